"""Embedded datasets: a registry (``speerpunt/data/datasets.yaml``) and cached loaders.

>>> list_datasets()["name"].tolist()
['be-employment', 'bench-employment', 'eu-employment', 'eu-sbs-2014', 'be-enterprises-2019', 'gdp-regions']
>>> load_dataset("be-employment").meta.nuts_vintage
'2016'
"""

from __future__ import annotations

from functools import cache
from importlib.resources import as_file, files

import pandas as pd
import yaml

from speerpunt.errors import DataError, Text
from speerpunt.io.layouts import to_cells
from speerpunt.io.text import decode, parse_delimited
from speerpunt.io.validate import clean, to_panel_frame
from speerpunt.panel import KEY, Panel, PanelMeta

_DATA = files("speerpunt") / "data"


@cache
def _registry() -> dict[str, dict]:
    entries = yaml.safe_load((_DATA / "datasets.yaml").read_text(encoding="utf-8"))
    return {e["name"]: e for e in entries}


def dataset_names() -> list[str]:
    return list(_registry())


def dataset_entry(name: str) -> dict:
    """The registry entry of an embedded dataset (an empty dict for any other name)."""
    return dict(_registry().get(name or "", {}))


def list_datasets() -> pd.DataFrame:
    """One row per embedded dataset: name, description, regions, years, variables, unit, attribution."""
    rows = []
    for name, entry in _registry().items():
        panel = load_dataset(name)
        rows.append(
            {
                "name": name,
                "description": " ".join(entry["description"].split()),
                "regions": len(panel.regions),
                "years": f"{panel.years[0]}–{panel.years[-1]}",
                "variables": ", ".join(panel.variables),
                "unit": entry["unit"],
                "attribution": entry["attribution"],
            }
        )
    return pd.DataFrame(rows)


def load_dataset(name: str) -> Panel:
    """The embedded dataset ``name`` as a Panel (read once per process; each call gets its own copy)."""
    panel = _load(name)
    return Panel._trusted(panel.data.copy(), panel.meta)


def _meta(name: str, entry: dict) -> PanelMeta:
    return PanelMeta(
        name=name,
        units=dict(entry.get("units") or {entry["variable"]: entry["unit"]}),
        source=entry["source"],
        attribution=entry["attribution"],
        classification=entry["classification"],
        nuts_vintage=str(entry["nuts_vintage"]),
    )


def meta_for_file(filename: str) -> PanelMeta | None:
    """The registry's metadata when ``filename`` is one of the embedded files (e.g. read from disk)."""
    for name, entry in _registry().items():
        if entry.get("file") == filename:
            return _meta(name, entry)
    return None


@cache
def _load(name: str) -> Panel:
    registry = _registry()
    if name not in registry:
        raise DataError(
            Text("io_no_dataset", name=name, names=", ".join(registry)),
            column="--data",
        )
    entry = registry[name]
    meta = _meta(name, entry)
    if "combine" in entry:
        # Region codes of the parts are disjoint, so concatenation cannot create duplicate keys;
        # Panel() checks that anyway.
        frames = [_load(part).data for part in entry["combine"]]
        return Panel(pd.concat(frames, ignore_index=True), meta)
    if "reader" in entry:
        # Detailed upstream files with their own layout (see speerpunt.data.readers).
        from speerpunt.data import readers

        read = getattr(readers, entry["reader"])
        data = (_DATA / entry["file"]).read_bytes()
        frame = read(data, entry["file"]).sort_values(KEY, kind="stable")
        return Panel._trusted(to_panel_frame(frame), meta)
    with as_file(_DATA / entry["file"]) as path:
        text = decode(path.read_bytes(), "utf-8", entry["file"])
    cells = to_cells(parse_delimited(text, entry["file"]), entry["variable"])
    # The shipped Eurostat files are written in plain numbers (``1234.5``): no convention to detect
    # (a test checks that detecting gives the same panel), which saves a tenth of a second per start.
    cells.fixed_numbers = True
    return Panel._trusted(to_panel_frame(clean(cells, scheme="regional")), meta)
