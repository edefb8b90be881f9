"""The embedded Eurostat panels, checked against the raw CSV read independently with the csv module."""

from __future__ import annotations

import csv
import math
from importlib.resources import files

import pandas as pd
import pytest

from speerpunt.errors import DataError
from speerpunt.io import read_panel
from speerpunt.io.datasets import list_datasets, load_dataset

BE = "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
BENCH = "bench_nama_10r_3empers_EMP_THS_2000_2018.csv"


def _raw(name):
    with (files("speerpunt") / "data" / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    return rows[0], rows[1:]


def test_embedded_files_are_the_shared_ones(shared_dir):
    for name in (BE, BENCH):
        shipped = (files("speerpunt") / "data" / name).read_bytes()
        assert shipped == (shared_dir / "data" / "eurostat" / name).read_bytes()


def test_be_employment_shape_and_known_values():
    header, rows = _raw(BE)
    assert len(rows) == 760 and len(header) == 17
    p = load_dataset("be-employment")
    assert len(p) == 760 * 15
    assert p.variables == ["employment"]
    assert p.unit("employment") == "thousand persons"
    assert p.years == list(range(2000, 2019))
    assert "BE21" in p.regions and len(p.regions) == 40
    assert p.wide("employment", 2000).loc["BE", "TOTAL"] == 4109.0
    # BE21 2018 TOTAL and C, read off the file by eye
    line = next(r for r in rows if r[0] == "BE21" and r[1] == "2018")
    w = p.wide("employment", 2018)
    assert w.loc["BE21", "TOTAL"] == float(line[header.index("TOTAL")])
    assert w.loc["BE21", "C"] == float(line[header.index("C")])


@pytest.mark.parametrize(("name", "file"), [("be-employment", BE), ("bench-employment", BENCH)])
def test_every_empty_cell_is_missing_not_zero(name, file):
    header, rows = _raw(file)
    empty = {
        (r[0], header[j], int(r[1])) for r in rows for j in range(2, len(header)) if r[j] == ""
    }
    zero = {
        (r[0], header[j], int(r[1]))
        for r in rows
        for j in range(2, len(header))
        if r[j] != "" and float(r[j]) == 0.0
    }
    d = load_dataset(name).data
    missing = d[d["value"].isna()]
    assert set(zip(missing.region, missing.sector, missing.year, strict=True)) == empty
    assert (missing["flag"] == ":").all()
    zeros = d[d["value"] == 0.0]
    assert set(zip(zeros.region, zeros.sector, zeros.year, strict=True)) == zero
    assert len(d) == len(rows) * (len(header) - 2)


def test_known_empty_counts():
    # be: only BEZZ has gaps, 12 of its 15 cells in each of 19 rows → 228 (read off the file);
    # bench: 1008, counted with pandas.read_csv(...).isna().sum().sum() on the shared file.
    assert load_dataset("be-employment").data["value"].isna().sum() == 228
    assert load_dataset("bench-employment").data["value"].isna().sum() == 1008


def test_eu_employment_combines_both():
    be, bench, eu = (
        load_dataset(n) for n in ("be-employment", "bench-employment", "eu-employment")
    )
    assert len(eu) == len(be) + len(bench)
    assert {"BE21", "NL", "DE600", "EU28"} <= set(eu.regions)
    assert eu.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    assert eu.wide("employment", 2000).loc["DE", "TOTAL"] == 39971.0


def test_load_dataset_returns_independent_copies():
    a = load_dataset("be-employment")
    a.data.loc[0, "value"] = -1.0
    b = load_dataset("be-employment")
    assert b.data.loc[0, "value"] != -1.0


def test_meta_and_listing():
    p = load_dataset("be-employment")
    assert p.meta.nuts_vintage == "2016"
    assert p.meta.classification == "NACE Rev.2 A*10 aggregates (Eurostat regional accounts)"
    listing = list_datasets()
    assert list(listing.columns) == [
        "name",
        "description",
        "regions",
        "years",
        "variables",
        "unit",
        "attribution",
    ]
    row = listing.set_index("name").loc["bench-employment"]
    assert row["regions"] == 96 and row["years"] == "2000–2018"
    assert row["unit"] == "thousand persons"


def test_read_panel_accepts_dataset_names():
    p = read_panel("be-employment", variable="employment")
    assert len(p) == 11400
    with pytest.raises(Exception, match="value_added"):
        read_panel("be-employment", variable="value_added")
    with pytest.raises(DataError, match="embedded: be-employment, bench-employment, eu-employment"):
        read_panel("nl-employment")


def test_shared_csv_reads_the_same_as_embedded(shared_dir):
    p = read_panel(shared_dir / "data" / "eurostat" / BE)
    pd.testing.assert_frame_equal(p.data, load_dataset("be-employment").data)
    assert p.meta.nuts_vintage == "2016" and p.unit("employment") == "thousand persons"
    assert math.isclose(
        p.wide("employment", 2018).loc["BE", "TOTAL"],
        load_dataset("be-employment").wide("employment", 2018).loc["BE", "TOTAL"],
    )


@pytest.mark.parametrize("name", ["be-employment", "bench-employment"])
def test_embedded_plain_numbers_read_as_detected(name):
    """The embedded CSVs are read as plain numbers without detecting the convention: the panel is the
    one the general reader makes when it detects the convention itself."""
    from importlib.resources import as_file, files

    from speerpunt.io.datasets import dataset_entry
    from speerpunt.io.layouts import to_cells
    from speerpunt.io.text import decode, parse_delimited
    from speerpunt.io.validate import clean, to_panel_frame

    entry = dataset_entry(name)
    with as_file(files("speerpunt") / "data" / entry["file"]) as path:
        text = decode(path.read_bytes(), "utf-8", entry["file"])
    cells = to_cells(parse_delimited(text, entry["file"]), entry["variable"])
    assert not cells.fixed_numbers  # the reference detects
    detected = to_panel_frame(clean(cells, scheme="regional"))
    pd.testing.assert_frame_equal(load_dataset(name).data, detected)
