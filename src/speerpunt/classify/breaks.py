"""Classification breaks: declaring them, checking trends against them, converting across them.

A trend (growth, LQ change, shift-share) from a year before a break to a year on or after it compares two
classifications and is blocked unless the panel was converted with a conversion key (a table
``old_sector, new_sector, weight``; the weights of each old sector sum to 1).

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": "R", "sector": "C", "year": [2000, 2010],
...                    "variable": "employment", "value": [1.0, 2.0]})
>>> p = Panel(df).with_meta(breaks=(nacebel_2008_break(),))
>>> [b.message for b in check_break(p, 2000, 2010, "employment")]
['trend 2000–2010 crosses the NACE-BEL 2003→2008 break; supply a conversion key']
>>> check_break(p, 2008, 2010, "employment")
[]
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from speerpunt.errors import ConfigError, Num, Text
from speerpunt.panel import COLUMNS, KEY, ClassificationBreak, Panel

CONVERSION_COLUMNS = ["old_sector", "new_sector", "weight"]
WEIGHT_TOLERANCE = 1e-6


def nacebel_2008_break(variable: str | None = None) -> ClassificationBreak:
    """The NACE-BEL 2003 → 2008 break: data from 2008 on are in NACE-BEL 2008 (NACE Rev. 2)."""
    return ClassificationBreak(year=2008, description="NACE-BEL 2003→2008", variable=variable)


@dataclass(frozen=True)
class BlockingBreak:
    """A break that blocks a trend, with the message to show in outputs."""

    brk: ClassificationBreak
    start: int
    end: int

    @property
    def message(self) -> str:
        """One line for tables and reports, naming the period and the break."""
        lo, hi = sorted((self.start, self.end))
        return f"trend {lo}–{hi} crosses the {self.brk.description} break; supply a conversion key"

    def __str__(self) -> str:
        return self.message


def check_break(
    panel: Panel, start: int, end: int, variable: str | None = None
) -> list[BlockingBreak]:
    """The panel's declared breaks that block a trend from ``start`` to ``end`` (empty when none)."""
    return [
        BlockingBreak(b, int(start), int(end))
        for b in panel.meta.breaks_between(start, end, variable)
    ]


def read_conversion(table: pd.DataFrame | str | Path) -> pd.DataFrame:
    """Validate a conversion key (DataFrame or CSV path) and return ``old_sector, new_sector, weight``.

    Raises
    ------
    ConfigError
        Missing columns, non-numeric or negative weights, or weights of an old sector not summing to 1
        (naming the file, the line and the sector).
    """
    file = None
    if isinstance(table, str | Path):
        file = str(table)
        try:
            table = pd.read_csv(table, dtype=str, keep_default_na=False)
        except (OSError, UnicodeDecodeError, pd.errors.ParserError) as exc:
            raise ConfigError(Text("cl_cannot_read_key", detail=str(exc)), file=file) from exc
    missing = [c for c in CONVERSION_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(
            Text("cl_key_columns", columns=", ".join(missing)), file=file, column=missing[0]
        )
    key = table[CONVERSION_COLUMNS].copy().reset_index(drop=True)
    for col in ("old_sector", "new_sector"):
        key[col] = key[col].astype(str).str.strip()
    weights = pd.to_numeric(key["weight"], errors="coerce")
    # Data line = header line + 1 + position (CSV line numbers are what the user sees).
    bad = weights.isna() | (weights < 0)
    if bad.any():
        i = int(np.flatnonzero(bad.to_numpy())[0])
        raise ConfigError(
            Text("cl_bad_weight", weight=repr(key["weight"][i])),
            file=file,
            row=i + 2,
            column="weight",
        )
    key["weight"] = weights.astype(float)
    sums = key.groupby("old_sector", sort=False)["weight"].sum()
    off = sums[(sums - 1.0).abs() > WEIGHT_TOLERANCE]
    if not off.empty:
        sector = str(off.index[0])
        first = int(np.flatnonzero((key["old_sector"] == sector).to_numpy())[0])
        raise ConfigError(
            Text("cl_weights_sum", sector=sector, total=Num(off.iloc[0], ".6g")),
            file=file,
            row=first + 2,
            column="weight",
        )
    return key


def apply_conversion(
    panel: Panel, conversion_table: pd.DataFrame | str | Path, before: int | None = None
) -> Panel:
    """Map the old sector codes of the years before a break onto the new codes.

    value_new(j) = Σ_i weight(i→j) · value_old(i) for the years before ``before`` (default: the year of
    the panel's single declared break; every year when none is declared). Sectors not in the key stay as
    they are; a missing old cell makes every new cell it feeds missing. The declared breaks get the key
    attached, so they no longer block trends.
    """
    key = read_conversion(conversion_table)
    if before is None and len(panel.meta.breaks) == 1:
        before = panel.meta.breaks[0].year
    d = panel.data
    old = d["sector"].isin(set(key["old_sector"]))
    if before is not None:
        old &= d["year"] < before
    moved = d[old].merge(key, left_on="sector", right_on="old_sector")
    moved["value"] = moved["value"] * moved["weight"]
    g = moved.groupby(["region", "new_sector", "year", "variable"], sort=False)
    summed = g.agg(
        value=("value", "sum"),
        n_valid=("value", "count"),
        n=("value", "size"),
        flag=("flag", lambda f: "".join(sorted(set("".join(f))))),
    )
    summed["value"] = summed["value"].where(summed["n_valid"] == summed["n"])
    summed = summed.reset_index().rename(columns={"new_sector": "sector"})
    summed.loc[summed["value"].isna() & (summed["flag"] == ""), "flag"] = ":"
    out = pd.concat([d[~old], summed[COLUMNS]], ignore_index=True)
    clash = out.duplicated(KEY, keep=False)
    if clash.any():
        row = out[clash].iloc[0]
        raise ConfigError(
            Text("cl_creates_sector", **{k: row[k] for k in ("sector", "year", "region")}),
            column="new_sector",
        )
    breaks = tuple(
        replace(b, conversion=key) if before is None or b.year == before else b
        for b in panel.meta.breaks
    )
    meta = replace(
        panel.meta,
        breaks=breaks,
        notes=(*panel.meta.notes, "sectors converted with a conversion key"),
    )
    return Panel._trusted(out.sort_values(KEY, kind="stable"), meta)
