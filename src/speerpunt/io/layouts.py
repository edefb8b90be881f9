"""Recognise a table's layout from its header and melt it into raw long cells.

Layouts (header names are matched case-insensitively):

* **long**: ``region, sector, year, variable, value[, flag]`` (``geo`` for region; ``variable`` may be
  left out when the reader is given ``variable=``);
* **wide by sector**: ``region`` (or ``geo``), ``year``, then one column per sector — the layout of
  Eurostat's regional tables as shipped in ``speerpunt/data``;
* **wide by year**: ``region``, ``sector`` [, ``variable``], then one column per year (``2008``, ``2009`` …);
* **Eurostat SDMX-CSV**: ``… geo, TIME_PERIOD, OBS_VALUE[, OBS_FLAG]`` (see :mod:`speerpunt.io.eurostat`).

The result is a :class:`Cells` table: one row per data cell, still as found in the file, with the
line and column it came from so that validation can name them.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, Text
from speerpunt.io.text import RawTable, object_frame

#: Header names of each role, in order of preference (compared without case, accents, spaces or a
#: parenthesised suffix such as ``GEO (Codes)``): English, Dutch, French and German statistical offices.
ALIASES = {
    "region": (
        "region",
        "geo",
        "regio",
        "regios",
        "gewest",
        "provincie",
        "province",
        "arrondissement",
        "gemeente",
        "municipality",
        "commune",
        "bundesland",
        "land",
        "kreis",
        "nuts",
        "nuts_code",
        "nuts_id",
        "nuts2",
        "nuts3",
        "geo_code",
        "region_code",
        "regiocode",
        "code_region",
    ),
    "sector": (
        "sector",
        "nace_r2",
        "nace",
        "nace_code",
        "nace_rev2",
        "nacebel",
        "nace_bel",
        "industry",
        "ind_code",
        "industrie",
        "branche",
        "bedrijfstak",
        "secteur",
        "activite",
        "activiteit",
        "activity",
        "wirtschaftszweig",
        "wz2008",
        "wz08",
        "sector_code",
        "sectorcode",
        "code_nace",
    ),
    "year": (
        "year",
        "time",
        "time_period",
        "jaar",
        "annee",
        "jahr",
        "period",
        "periode",
        "perioden",
    ),
    "variable": ("variable", "variabele", "indicator", "indicateur", "merkmal"),
    "value": ("value", "obs_value", "waarde", "valeur", "wert"),
    "flag": ("flag", "obs_flag", "vlag", "drapeau"),
}
LONG_HEADER = "region,sector,year,variable,value[,flag]"
YEAR_HEADER = re.compile(r"^\d{4}(\.0)?$")


@dataclass
class Cells:
    """Raw long cells: columns ``region, sector, year, variable, value, flag, line, vcol``.

    ``vcol`` is the file column the value came from (a sector or year header in wide files);
    ``names`` maps the roles region/sector/year/variable/flag to the file's header names;
    ``fixed_numbers`` is True for formats that always write plain numbers (Eurostat);
    ``ignored`` lists the file's columns that are not part of the panel.
    """

    file: str
    layout: str
    data: pd.DataFrame
    names: dict[str, str]
    fixed_numbers: bool = False
    units: dict[str, str] = field(default_factory=dict)
    ignored: list[str] = field(default_factory=list)


def header_key(name: str) -> str:
    """``'Année '`` → ``'annee'``; ``'GEO (Codes)'`` → ``'geo'``; ``'NACE Rev2'`` → ``'nace_rev2'``."""
    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    text = re.sub(r"\s*\([^)]*\)\s*$", "", text.strip().lower())
    return re.sub(r"[\s_\-.']+", "_", text).strip("_")


def find_columns(header: list[str]) -> dict[str, str]:
    """Map roles to header names present in ``header`` (the most preferred alias of each role)."""
    keys: dict[str, str] = {}
    for h in header:
        keys.setdefault(header_key(h), h)
    found = {}
    for role, aliases in ALIASES.items():
        for alias in aliases:
            if alias in keys and keys[alias] not in found.values():
                found[role] = keys[alias]
                break
    return found


def to_cells(raw: RawTable, variable: str | None, default_variable: str | None = None) -> Cells:
    """Dispatch on the header; ``variable`` names (or selects) the variable of wide files."""
    if not len(raw.header) or raw.header == [""]:
        raise DataError(Text("err_file_empty"), file=raw.file, row=raw.header_line)
    roles = find_columns(raw.header)
    if "value" in roles and "obs_value" in (h.lower() for h in raw.header):
        from speerpunt.io.eurostat import sdmx_cells

        return sdmx_cells(raw, roles, variable)
    if "region" not in roles:
        raise DataError(
            Text("io_no_region_column", header=LONG_HEADER),
            file=raw.file,
            row=raw.header_line,
            column=raw.header[0],
        )
    if "value" in roles:
        return _long(raw, roles, variable)
    if "sector" in roles and "year" in roles:
        return _value_columns(raw, roles, variable)
    if "year" in roles:
        return _wide_by_sector(raw, roles, variable, default_variable)
    if "sector" in roles:
        return _wide_by_year(raw, roles, variable)
    raise DataError(
        Text("io_no_layout", header=LONG_HEADER),
        file=raw.file,
        row=raw.header_line,
    )


def _value_columns(raw: RawTable, roles: dict[str, str], variable: str | None) -> Cells:
    """Region, sector and year columns, then one column per variable (``emp``, ``firms`` …).

    ``variable`` names the column to read; without it the file must have exactly one other column.
    Columns not read (labels, other variables) are listed in ``Cells.ignored``.
    """
    known = {roles[r] for r in ("region", "sector", "year", "flag") if r in roles}
    others = [h for h in raw.header if h not in known]
    if variable is not None:
        match = [h for h in others if h == variable] or [
            h for h in others if h.lower() == variable.lower()
        ]
        if not match:
            raise DataError(
                Text(
                    "io_no_value_column",
                    variable=variable,
                    columns=", ".join(others) or Text("io_none"),
                ),
                file=raw.file,
                row=raw.header_line,
            )
        column = match[0]
    elif len(others) == 1 or len(numeric := [h for h in others if _numeric(raw.cells[h])]) == 1:
        column = others[0] if len(others) == 1 else numeric[0]
    else:
        raise DataError(
            Text("io_several_value_columns", columns=", ".join(others)),
            file=raw.file,
            row=raw.header_line,
        )
    cells = _long(raw, dict(roles, value=column), column, check_extra=False)
    cells.layout = "value-columns"
    cells.names["variable"] = column
    cells.ignored = [h for h in others if h != column]
    return cells


def _numeric(column: pd.Series) -> bool:
    """Whether the first filled cells of a column look like values (numbers, flags, ``:``)."""
    sample = column[column.astype(str).str.strip() != ""].head(200).astype(str).str.strip()
    return bool(len(sample)) and bool(
        sample.str.fullmatch(r"[-+]?[0-9][0-9.,' ]*(?:[eE][-+]?[0-9]+)?\s*[a-z]*|:\s*[a-z]*").all()
    )


def _long(
    raw: RawTable, roles: dict[str, str], variable: str | None, *, check_extra: bool = True
) -> Cells:
    required = ["region", "sector", "year", "value"] + ([] if variable else ["variable"])
    missing = [r for r in required if r not in roles]
    if missing:
        hint = Text("io_hint_variable") if missing == ["variable"] else ""
        raise DataError(
            Text("io_missing_column", column=missing[0], hint=hint, header=LONG_HEADER),
            file=raw.file,
            row=raw.header_line,
            column=missing[0],
        )
    known = set(roles.values())
    extra = [h for h in raw.header if h not in known]
    if extra and check_extra:
        raise DataError(
            Text("io_unexpected_column", header=LONG_HEADER),
            file=raw.file,
            row=raw.header_line,
            column=extra[0],
        )
    c = raw.cells
    data = object_frame(
        {
            "region": c[roles["region"]].to_numpy(),
            "sector": c[roles["sector"]].to_numpy(),
            "year": c[roles["year"]].to_numpy(),
            "variable": c[roles["variable"]].to_numpy() if "variable" in roles else variable,
            "value": c[roles["value"]].to_numpy(),
            "flag": c[roles["flag"]].to_numpy() if "flag" in roles else "",
            "line": raw.lines,
            "vcol": roles["value"],
        },
        len(c),
    )
    if "variable" in roles:
        data = _keep_variable(data, variable, raw.file, roles["variable"])
    return Cells(raw.file, "long", data, dict(roles, variable=roles.get("variable", "variable")))


def _wide_by_sector(
    raw: RawTable, roles: dict[str, str], variable: str | None, default_variable: str | None
) -> Cells:
    if variable is None and default_variable is None and "variable" not in roles:
        raise DataError(
            Text("io_wide_sector_variable"),
            file=raw.file,
            row=raw.header_line,
        )
    ids = {"region": roles["region"], "year": roles["year"]}
    if "variable" in roles:
        ids["variable"] = roles["variable"]
    sectors = [h for h in raw.header if h not in ids.values()]
    if not sectors:
        raise DataError(Text("io_wide_no_sector"), file=raw.file, row=raw.header_line)
    data = _melt(raw, id_cols=ids, melt_cols=sectors, melt_role="sector")
    if "variable" in roles:
        data = _keep_variable(data, variable, raw.file, roles["variable"])
    else:
        data["variable"] = pd.Series(variable or default_variable, index=data.index, dtype=object)
    names = {
        "region": roles["region"],
        "year": roles["year"],
        "sector": "header",
        "variable": roles.get("variable", "variable"),
    }
    return Cells(raw.file, "wide-sector", data, names)


def _wide_by_year(raw: RawTable, roles: dict[str, str], variable: str | None) -> Cells:
    fixed = [roles["region"], roles["sector"]] + (
        [roles["variable"]] if "variable" in roles else []
    )
    others = [h for h in raw.header if h not in fixed]
    not_years = [h for h in others if not YEAR_HEADER.match(h)]
    if not_years:
        raise DataError(
            Text("io_wide_not_year"),
            file=raw.file,
            row=raw.header_line,
            column=not_years[0],
        )
    if not others:
        raise DataError(Text("io_wide_no_year"), file=raw.file, row=raw.header_line)
    if "variable" not in roles and variable is None:
        raise DataError(
            Text("io_wide_year_variable"),
            file=raw.file,
            row=raw.header_line,
        )
    ids = {"region": roles["region"], "sector": roles["sector"]}
    if "variable" in roles:
        ids["variable"] = roles["variable"]
    data = _melt(raw, id_cols=ids, melt_cols=others, melt_role="year")
    if "variable" in roles:
        data = _keep_variable(data, variable, raw.file, roles["variable"])
    else:
        data["variable"] = pd.Series(variable, index=data.index, dtype=object)
    names = {
        "region": roles["region"],
        "sector": roles["sector"],
        "year": "header",
        "variable": roles.get("variable", "variable"),
    }
    return Cells(raw.file, "wide-year", data, names)


def _melt(
    raw: RawTable, *, id_cols: dict[str, str], melt_cols: list[str], melt_role: str
) -> pd.DataFrame:
    """Row-major melt with numpy: each row × each melted column → one cell, keeping its line."""
    n, k = len(raw.cells), len(melt_cols)
    out = {role: np.repeat(raw.cells[col].to_numpy(), k) for role, col in id_cols.items()}
    out[melt_role] = np.tile(np.asarray(melt_cols, dtype=object), n)
    out["value"] = raw.cells[melt_cols].to_numpy().ravel()
    out["flag"] = np.full(n * k, "", dtype=object)
    out["line"] = np.repeat(raw.lines, k)
    out["vcol"] = np.tile(np.asarray(melt_cols, dtype=object), n)
    return object_frame(out, n * k)


def _keep_variable(
    data: pd.DataFrame, variable: str | None, file: str, column: str
) -> pd.DataFrame:
    """Rows of ``variable`` only (all rows when ``None``)."""
    if variable is None:
        return data
    keep = (data["variable"].astype(str).str.strip() == variable).to_numpy()
    if not keep.any():
        raise DataError(Text("io_variable_absent", variable=variable), file=file, column=column)
    return data[keep].reset_index(drop=True)
