"""Belgian territories for firm records: municipalities (NIS 2019) and every union of them.

Firm records carry a NIS code at any level: a municipality (``11002``), an arrondissement (``11000``),
a province (``10000``; Brussels has none, its region ``04000`` stands in) or a region (``02000``).
Statbel's pseudo-codes ``-----`` (registered abroad) and ``XXXXX`` (unknown) are kept as areas of their
own at every level except ``country``, where the whole register counts (as Statbel's Belgian totals do).

An aggregation target is a level name or a mapping ``area → NIS codes`` (any level): municipality unions,
RESOC areas (:func:`resoc_areas`), a city region. The mapping is turned into a small table
``code → area`` that the engines join.

Source of the municipality table: Statbel, ``TD_MUNTY_REFNIS`` in the open-data file
``TF_VAT_NACE_SQ_2019`` (see ``scripts/firms_reference_tables.py``).

>>> municipalities().loc["11002", "province"]
'10000'
>>> sorted(area_map("province").query("code == '11002'")["area"])
['10000']
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

import pandas as pd

from speerpunt.errors import ClassificationError, Text

LEVELS = ("municipality", "arrondissement", "province", "region", "country")
PSEUDO = ("-----", "XXXXX")
COUNTRY = "BE"

Territory = str | Mapping[str, Sequence[str]]


@cache
def municipalities() -> pd.DataFrame:
    """The 581 municipalities of 2019 (plus abroad and unknown), indexed by NIS code."""
    with (
        resources.files("speerpunt.firms")
        .joinpath("data/municipalities_2019.csv")
        .open(encoding="utf-8") as f
    ):
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    table["enterprises_2019"] = table["enterprises_2019"].astype(int)
    return table.set_index("nis", drop=False)


@cache
def _levels() -> pd.DataFrame:
    """Every NIS code at every level with its ancestors (None above the code's own level)."""
    m = municipalities()
    rows = []
    for r in m.itertuples(index=False):
        rows.append((r.nis, "municipality", r.nis, r.arrondissement, r.province, r.region))
    for level, cols in (
        ("arrondissement", ("arrondissement", "province", "region")),
        ("province", ("province", "region")),
        ("region", ("region",)),
    ):
        for values in m[list(cols)].drop_duplicates().itertuples(index=False):
            code = values[0]
            if code in PSEUDO:
                continue
            pad = (None,) * (4 - len(cols))
            rows.append((code, level, *pad, *values))
    out = pd.DataFrame(
        rows, columns=["code", "level", "municipality", "arrondissement", "province", "region"]
    )
    # Brussels' region code is also its province: keep one row, at the province level.
    out = out.drop_duplicates("code", keep="first").set_index("code", drop=False)
    out["country"] = COUNTRY
    return out


def nis_code_level(code: str) -> str:
    """The level of a NIS code: ``'municipality'``, ``'arrondissement'``, ``'province'`` or ``'region'``.

    >>> nis_code_level("11002"), nis_code_level("11000"), nis_code_level("04000")
    ('municipality', 'arrondissement', 'province')
    """
    levels = _levels()
    if code not in levels.index:
        raise ClassificationError(Text("fr_unknown_nis", code=code), column="region")
    return str(levels.loc[code, "level"])


def is_nis(code: str) -> bool:
    """True for a NIS 2019 code of any level (or a pseudo-code for abroad/unknown)."""
    return code in _levels().index


@cache
def resoc_areas() -> dict[str, tuple[str, ...]]:
    """The 15 Flemish RESOC areas as unions of arrondissements (from the registry's gazetteer).

    Two RESOCs in East Flanders are approximations: the gazetteer's note says which.

    >>> areas = resoc_areas()
    >>> len(areas), areas["RESOC Kempen"]
    (15, ('13000',))
    """
    path = resources.files("speerpunt.registry").joinpath("data/gazetteer.csv")
    with path.open(encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["kind"] == "resoc"]
    return {r["name"]: tuple(c for c in r["regions"].split(";") if c) for r in rows}


def area_map(territory: Territory) -> pd.DataFrame:
    """Table ``code, area``: every NIS code (any level) that falls inside each area of ``territory``.

    ``territory`` is a level name, ``'resoc'`` or a mapping ``area → NIS codes``. A code coarser than
    the target level (a province when arrondissements are asked) has no row; the caller reports it.
    """
    levels = _levels()
    if isinstance(territory, str):
        if territory == "resoc":
            return area_map(resoc_areas())
        if territory not in LEVELS:
            raise ClassificationError(
                Text("fr_unknown_territory", territory=territory, choices=", ".join(LEVELS)),
                column="territory",
            )
        rows = levels[levels[territory].notna() & ~levels["code"].isin(PSEUDO)]
        out = pd.DataFrame({"code": rows["code"], "area": rows[territory]})
        pseudo = pd.DataFrame(
            {
                "code": list(PSEUDO),
                "area": [COUNTRY if territory == "country" else c for c in PSEUDO],
            }
        )
        return pd.concat([out, pseudo], ignore_index=True)
    parts = []
    for area, codes in territory.items():
        for code in codes:
            if code not in levels.index:
                raise ClassificationError(
                    Text("fr_unknown_nis_in", code=code, area=area), column="territory"
                )
            level = levels.loc[code, "level"]
            inside = levels[levels[level] == code]["code"]
            parts.append(pd.DataFrame({"code": inside, "area": area}))
    if not parts:
        raise ClassificationError(Text("fr_no_areas"), column="territory")
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def territory_name(territory: Territory) -> str:
    """A short description for metadata: the level name or ``'N areas'``."""
    return territory if isinstance(territory, str) else f"{len(territory)} areas"
