"""The bad- and tricky-input corpus: every file gives its own one-line DataError, or its correct reading.

``expected.csv`` lists, per file, the reader options, a substring of the message, the 1-based line
(header = line 1; empty for errors about the whole file) and the column. ``readings.csv`` lists cells
that files which can be read must hold (value and flag). All were worked out by reading the files, not
by running the reader. Bombs (huge unpacked sizes, huge sheet dimensions) are made here, never committed.
"""

from __future__ import annotations

import csv
import gzip
import math
import zipfile
from pathlib import Path

import pytest

from speerpunt.errors import DataError
from speerpunt.io import check_file, inspect_file, read_panel

HERE = Path(__file__).resolve().parent
MANIFESTS = ("expected.csv", "readings.csv")


def _rows(name: str) -> list[dict[str, str]]:
    with open(HERE / name, newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cases() -> list[dict[str, str]]:
    return _rows("expected.csv")


def _readings() -> list[dict[str, str]]:
    return _rows("readings.csv")


def _options(spec: str) -> dict[str, object]:
    out: dict[str, object] = {}
    for part in filter(None, spec.split(";")):
        key, value = part.split("=", 1)
        out[key] = value == "true" if value in ("true", "false") else value
    return out


def test_corpus_is_complete():
    listed = {c["file"] for c in _cases()} | {r["file"] for r in _readings()}
    present = {
        p.name
        for p in HERE.iterdir()
        if p.suffix != ".py" and p.name not in MANIFESTS and not p.name.startswith("__")
    }
    assert listed == present
    assert len(present) >= 80


@pytest.mark.parametrize("case", _cases(), ids=lambda c: c["file"] + c["options"])
def test_bad_file_gives_one_line_error(case):
    with pytest.raises(DataError) as info:
        check_file(HERE / case["file"], **_options(case["options"]))
    err = info.value
    line = err.one_line()
    assert "\n" not in line
    assert line.startswith(case["file"] + ", ") or line.startswith(case["file"] + ": ")
    assert case["message"] in line
    if case["line"]:
        assert err.row == int(case["line"])
        assert f"line {case['line']}" in line
    else:
        assert err.row is None and ", line " not in line
    if case["column"]:
        assert err.column == case["column"]
        assert f"column '{case['column']}'" in line
    else:
        assert err.column is None


@pytest.mark.parametrize(
    "case", _readings(), ids=lambda c: f"{c['file']}:{c['sector']}:{c['year']}"
)
def test_tricky_file_reads_correctly(case):
    panel = read_panel(HERE / case["file"], **_options(case["options"]))
    d = panel.data
    row = d[
        (d["region"] == case["region"])
        & (d["sector"] == case["sector"])
        & (d["year"] == int(case["year"]))
        & (d["variable"] == case["variable"])
    ]
    assert len(row) == 1, (case, panel.regions, panel.sectors)
    value = float(row["value"].iloc[0])
    expected = float(case["value"])
    assert (math.isnan(value) and math.isnan(expected)) or value == pytest.approx(
        expected, rel=1e-12
    )
    assert row["flag"].iloc[0] == (case["flag"] or ("" if not math.isnan(expected) else ":"))


def test_summaries_say_what_was_detected():
    dutch = inspect_file(HERE / "dutch_thousands.csv")
    assert dutch.separator == ";" and dutch.numbers == "decimal comma ',', thousands '.'"
    statbel = inspect_file(HERE / "statbel_title_rows.csv", variable="employment")
    assert statbel.header_line == 4
    assert statbel.header_mapping == {
        "region": "gewest",
        "sector": "sector",
        "year": "jaar",
        "value": "waarde",
    }
    assert [s.split(":")[0] for s in statbel.skipped_lines] == [
        "line 1",
        "line 2",
        "line 9",
        "line 10",
    ]
    german = inspect_file(HERE / "destatis_insgesamt.csv", variable="employment")
    assert german.sector_relabels["Insgesamt"] == "TOTAL"
    assert german.sector_relabels["Verarbeitendes Gewerbe (C)"] == "C"
    assert german.aggregates == ["C is inside B-E"]
    # B-E and F are the parts of the total; C, inside B-E, is not summed with it.
    assert german.parts_of_total.startswith("B-E, F ")
    assert any("contain each other" in w for w in german.warnings)
    utf16 = inspect_file(HERE / "utf16_le_nobom.csv")
    assert utf16.encoding == "utf-16-le"
    zero = inspect_file(HERE / "suppressed_zero.csv")
    assert zero.suppressed == 1 and zero.flags == {
        "zero that looks suppressed (its parent is larger than the sum of its parts)": 1
    }
    mixed = inspect_file(HERE / "decimal_option_conflict.csv")
    assert any("mixes number conventions" in w for w in mixed.warnings)


def test_gzip_bomb_is_refused_before_it_is_unpacked(tmp_path):
    bomb = tmp_path / "bomb.csv.gz"
    with gzip.open(bomb, "wb", compresslevel=9) as fh:
        fh.write(b"region,sector,year,variable,value\n")
        block = b"0" * (1 << 20)
        for _ in range(40):  # 40 MB of zeros pack to about 40 kB
            fh.write(block)
    assert bomb.stat().st_size < 200_000
    with pytest.raises(DataError, match="more than 200 times its size") as info:
        read_panel(bomb)
    assert info.value.file == "bomb.csv.gz"
    with pytest.raises(DataError, match="unpacks to more than 1 MB"):
        read_panel(bomb, max_unpacked_bytes=1_000_000)


def _one_cell_sheet(path: Path, ref: str, dimension: str) -> None:
    """A minimal XLSX whose only data cell sits at ``ref`` and whose sheet declares ``dimension``."""
    sheet = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="{dimension}"/><sheetData>'
        '<row r="1"><c r="A1" t="inlineStr"><is><t>region</t></is></c>'
        '<c r="B1" t="inlineStr"><is><t>sector</t></is></c></row>'
        f'<row r="{ref[3:]}"><c r="{ref}"><v>1</v></c></row>'
        "</sheetData></worksheet>"
    )
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": sheet,
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def test_xlsx_with_a_cell_at_xfd1048576_is_refused_before_loading(tmp_path):
    declared = tmp_path / "declared.xlsx"
    _one_cell_sheet(declared, "XFD1048576", "A1:XFD1048576")
    assert declared.stat().st_size < 3000
    with pytest.raises(DataError, match=r"declares 1,048,576 rows × 16,384 columns") as info:
        read_panel(declared)
    assert "max_cells" in str(info.value)
    # The same cell behind a dimension that lies: counted while reading, refused as soon as it passes.
    lying = tmp_path / "lying.xlsx"
    _one_cell_sheet(lying, "XFD1048576", "A1:B1")
    with pytest.raises(DataError, match="holds"):
        read_panel(lying)
    # A small limit applies to an ordinary sheet too.
    with pytest.raises(DataError, match="more than the limit of 4"):
        read_panel(HERE / "xlsx_missing_sheet.xlsx", max_cells=4)


def test_xlsx_package_that_unpacks_too_far_is_refused(tmp_path):
    big = tmp_path / "big.xlsx"
    _one_cell_sheet(big, "C2", "A1:C2")
    with zipfile.ZipFile(big, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("xl/media/padding.bin", b"\0" * 30_000_000)
    with pytest.raises(DataError, match="compression bomb"):
        read_panel(big)
