"""Eurostat files: bulk TSV (``freq,unit,nace_r2,wstatus,geo\\TIME_PERIOD`` + year columns) and SDMX-CSV.

Eurostat's dimension codes become the panel's variable name and unit:

============================  =====================  ===========================
dimensions                    variable               unit
============================  =====================  ===========================
``wstatus=EMP``, ``THS_PER``  ``employment``         thousand persons
``wstatus=SAL``, ``THS_PER``  ``employees``          thousand persons
``wstatus=EMP``, ``THS_HW``   ``hours_worked``       thousand hours worked
``na_item=B1G``, ``MIO_EUR``  ``value_added``        million euro
no item, ``unit=MIO_EUR``     ``value_added``        million euro (``nama_10r_3gva``)
============================  =====================  ===========================

Another unit of the same item gets a suffix (``value_added_pps_eu27_2020``), and so does every other
dimension that takes more than one value in the file (``employment_f`` for ``sex=F``).
A file without a ``nace_r2`` dimension gets sector ``TOTAL``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text
from speerpunt.io.layouts import YEAR_HEADER, Cells
from speerpunt.io.text import RawTable, object_frame

ITEMS = {
    ("wstatus", "EMP"): "employment",
    ("wstatus", "SAL"): "employees",
    ("wstatus", "SELF"): "self_employed",
    ("na_item", "B1G"): "value_added",
    ("na_item", "D1"): "compensation_of_employees",
    ("na_item", "P51G"): "gross_fixed_capital_formation",
}
#: unit code → (label, whether it is the item's usual unit, kind)
UNITS = {
    "THS_PER": ("thousand persons", True, "persons"),
    "PER": ("persons", False, "persons"),
    "THS_HW": ("thousand hours worked", False, "hours"),
    "MIO_EUR": ("million euro", True, "money"),
    "MIO_NAC": ("million units of national currency", False, "money"),
    "MIO_PPS_EU27_2020": ("million purchasing power standards (EU27 2020)", False, "money"),
    "EUR_HAB": ("euro per inhabitant", False, "money"),
}
#: dimensions that are not part of the variable name
STRUCTURAL = {
    "freq",
    "unit",
    "wstatus",
    "na_item",
    "geo",
    "nace_r2",
    "time",
    "time_period",
    "dataflow",
    "last update",
    "obs_value",
    "obs_flag",
    "conf_status",
}


def tsv_cells(raw: RawTable, variable: str | None) -> Cells:
    """Melt a bulk TSV: the first column holds the dimensions, then one column per year."""
    first = raw.header[0]
    if "\\" not in first:
        raise DataError(
            Text("io_not_eurostat_tsv"),
            file=raw.file,
            row=raw.header_line,
            column=first,
        )
    dims = [d.strip().lower() for d in first.split("\\", 1)[0].split(",")]
    if "geo" not in dims:
        raise DataError(
            Text("io_tsv_needs_geo"),
            file=raw.file,
            row=raw.header_line,
            column=first,
        )
    years = raw.header[1:]
    not_year = [y for y in years if not YEAR_HEADER.match(y)]
    if not_year:
        raise DataError(
            Text("io_only_annual"),
            file=raw.file,
            row=raw.header_line,
            column=not_year[0],
        )
    keys = raw.cells[first].astype(str).str.split(",", expand=True)
    if keys.shape[1] != len(dims) or keys.isna().any(axis=None):
        bad = int(
            np.flatnonzero(keys.isna().any(axis=1).to_numpy() | (keys.shape[1] != len(dims)))[0]
        )
        raise DataError(
            Text("io_tsv_codes", n=len(dims), dims=",".join(dims)),
            file=raw.file,
            row=int(raw.lines[bad]),
            column=first,
        )
    keys.columns = dims
    keys = keys.apply(lambda col: col.str.strip())
    var, units = variable_names(keys)
    n, k = len(keys), len(years)
    data = object_frame(
        {
            "region": np.repeat(keys["geo"].to_numpy(), k),
            "sector": np.repeat(keys["nace_r2"].to_numpy(), k) if "nace_r2" in dims else "TOTAL",
            "year": np.tile(np.asarray(years, dtype=object), n),
            "variable": np.repeat(var.to_numpy(), k),
            "value": raw.cells[years].to_numpy().ravel(),
            "flag": "",
            "line": np.repeat(raw.lines, k),
            "vcol": np.tile(np.asarray(years, dtype=object), n),
        },
        n * k,
    )
    names = {"region": first, "sector": first, "year": "header", "variable": first}
    return _select(Cells(raw.file, "eurostat-tsv", data, names, True, units), variable, first)


def sdmx_cells(raw: RawTable, roles: dict[str, str], variable: str | None) -> Cells:
    """Eurostat SDMX-CSV: one observation per line (``OBS_VALUE``, ``OBS_FLAG``)."""
    lower = {h.lower(): h for h in raw.header}
    for need in ("geo", "time_period"):
        if need not in lower:
            raise DataError(
                Text("io_sdmx_column", column=need),
                file=raw.file,
                row=raw.header_line,
                column=need,
            )
    dims = [
        h
        for h in lower
        if h
        not in ("dataflow", "last update", "time_period", "obs_value", "obs_flag", "conf_status")
    ]
    keys = pd.DataFrame({d: raw.cells[lower[d]].astype(str).str.strip() for d in dims})
    var, units = variable_names(keys)
    data = object_frame(
        {
            "region": keys["geo"].to_numpy(),
            "sector": keys["nace_r2"].to_numpy() if "nace_r2" in keys else "TOTAL",
            "year": raw.cells[lower["time_period"]].to_numpy(),
            "variable": var.to_numpy(),
            "value": raw.cells[lower["obs_value"]].to_numpy(),
            "flag": raw.cells[lower["obs_flag"]].to_numpy() if "obs_flag" in lower else "",
            "line": raw.lines,
            "vcol": lower["obs_value"],
        },
        len(raw.cells),
    )
    names = {
        "region": lower["geo"],
        "sector": lower.get("nace_r2", "nace_r2"),
        "year": lower["time_period"],
        "variable": lower.get("unit", "unit"),
        "flag": "OBS_FLAG",
    }
    return _select(
        Cells(raw.file, "eurostat-sdmx", data, names, True, units),
        variable,
        lower.get("unit", raw.header[0]),
    )


def variable_names(keys: pd.DataFrame) -> tuple[pd.Series, dict[str, str]]:
    """Variable name per row and unit per variable from Eurostat dimension codes."""
    dims = [d for d in ("unit", "wstatus", "na_item") if d in keys] + [
        d for d in keys.columns if d not in STRUCTURAL and keys[d].nunique() > 1
    ]
    if not dims:
        return pd.Series("value", index=keys.index), {}
    combos = keys[dims].drop_duplicates()
    base_units = _usual_units(combos)
    names: list[str] = []
    units: dict[str, str] = {}
    # One pass per distinct combination of codes (a handful), not per row.
    for combo in combos.itertuples(index=False):
        codes = dict(zip(dims, combo, strict=True))
        name, unit = _name_one(codes, base_units)
        names.append(name)
        if unit:
            units[name] = unit
    lookup = combos.assign(_variable=names)
    var = keys[dims].merge(lookup, on=dims, how="left")["_variable"]
    var.index = keys.index
    return var, units


def _usual_units(combos: pd.DataFrame) -> set[str]:
    """The units that need no suffix: the usual one, or the only one present."""
    if "unit" not in combos:
        return set()
    present = set(combos["unit"])
    usual = {u for u in present if UNITS.get(u, ("", False, ""))[1]}
    return usual or (present if len(present) == 1 else set())


def _name_one(codes: dict[str, str], usual_units: set[str]) -> tuple[str, str | None]:
    unit = codes.get("unit")
    label, _, kind = UNITS.get(unit or "", (unit, False, ""))
    base = next((ITEMS[(d, c)] for d, c in codes.items() if (d, c) in ITEMS), None)
    if base is None:
        item = codes.get("na_item") or codes.get("wstatus")
        base = (
            item.lower()
            if item
            else {"persons": "employment", "money": "value_added", "hours": "hours_worked"}.get(
                kind, "value"
            )
        )
    if kind == "hours" and base in ("employment", "employees", "self_employed"):
        base = "hours_worked" if base == "employment" else f"hours_worked_{base}"
    elif unit and unit not in usual_units:
        base = f"{base}_{unit.lower()}"
    extra = [c.lower() for d, c in codes.items() if d not in STRUCTURAL]
    return "_".join([base, *extra]), label


def _select(cells: Cells, variable: str | None, column: str) -> Cells:
    if variable is None:
        return cells
    keep = (cells.data["variable"] == variable).to_numpy()
    if not keep.any():
        have = ", ".join(sorted(cells.data["variable"].unique()))
        raise DataError(
            Text("io_variable_not_in_file", variable=variable, have=have),
            file=cells.file,
            column=column,
        )
    cells.data = cells.data[keep].reset_index(drop=True)
    cells.units = {k: v for k, v in cells.units.items() if k == variable}
    return cells
