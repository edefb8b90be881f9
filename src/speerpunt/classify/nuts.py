"""The NUTS hierarchy (vintages 2016 and 2021), Belgian Dutch names, 2016→2021 changes and NIS codes.

Data files (derived by ``scripts/build_nuts_table.py`` from Eurostat/GISCO's NUTS GeoJSON files and Statbel's
REFNIS list; codes and names only):

* ``nuts.csv``: every NUTS 0–3 code of 2016 and 2021, the extra-regio codes (``BEZ``, ``BEZZ``, ``BEZZZ`` …)
  and Eurostat's EU aggregates (``EU27_2020``, ``EU28`` …), with level, parent, country, name (Latin script;
  English for countries and aggregates) and a Dutch name for every Belgian code, country and aggregate;
* ``nuts_be_changes.csv``: the Belgian 2016→2021 changes (Limburg and Hainaut arrondissements, reorganised
  on 1 January 2019);
* ``nis_nuts.csv``: Belgian NIS codes of regions, provinces and arrondissements ↔ NUTS.

A NUTS code's parent is the code without its last character (``BE211`` → ``BE21``), with one exception
taken from the 2016 file: Northern Ireland's NUTS 3 units are coded UKN10…UKN16 there, under UKN0.

Example
-------
>>> nuts_name("BE21", "nl"), nuts_level("BE211"), nuts_parent("BE211")
('Provincie Antwerpen', 3, 'BE21')
>>> nuts_recode("BE221", "2016", "2021")
['BE224']
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

import pandas as pd

from speerpunt.errors import ClassificationError, Text

VINTAGES = ("2016", "2021")


def _read(name: str) -> pd.DataFrame:
    with resources.files("speerpunt.classify").joinpath(name).open(encoding="utf-8") as f:
        return pd.read_csv(f, dtype=str, keep_default_na=False)


@lru_cache(maxsize=1)
def _all() -> pd.DataFrame:
    return _read("nuts.csv")


@lru_cache(maxsize=2)
def _by_vintage(vintage: str) -> pd.DataFrame:
    t = _all()
    return t[t["vintage"] == vintage].set_index("code", drop=False)


@lru_cache(maxsize=1)
def _any_vintage() -> pd.DataFrame:
    # 2021 rows win for codes in both vintages (their names are in Latin script).
    t = _all().sort_values("vintage", ascending=False)
    return t.drop_duplicates("code").set_index("code", drop=False)


def _check_vintage(vintage: str) -> str:
    v = str(vintage)
    if v not in VINTAGES:
        raise ClassificationError(
            Text("cl_unknown_vintage", vintage=vintage, vintages=", ".join(VINTAGES))
        )
    return v


@lru_cache(maxsize=3)
def _records(vintage: str | None) -> dict[str, dict[str, str]]:
    # Plain dicts: lookups sit inside loops over thousands of codes, where DataFrame.loc is slow.
    table = _any_vintage() if vintage is None else _by_vintage(vintage)
    return {str(r["code"]): r for r in table.to_dict("records")}


def _row(code: str, vintage: str | None = None) -> dict[str, str]:
    c = str(code).strip()
    records = _records(None if vintage is None else _check_vintage(vintage))
    if c not in records:
        where = "" if vintage is None else Text("cl_in_nuts", vintage=vintage)
        raise ClassificationError(
            Text("cl_unknown_region", code=code, where=where), column="region"
        )
    return records[c]


def is_nuts(code: str, vintage: str | None = None) -> bool:
    """True for a code in ``nuts.csv`` (of the given vintage, or of either).

    >>> is_nuts("BE224"), is_nuts("BE224", "2016"), is_nuts("EU27_2020")
    (True, False, True)
    """
    return str(code).strip() in _records(None if vintage is None else _check_vintage(vintage))


def nuts_table(vintage: str = "2016") -> pd.DataFrame:
    """All codes of one vintage: ``code, vintage, level, parent, country, kind, name, name_nl``.

    ``level`` is an integer (``<NA>`` for EU aggregates); ``kind`` is ``nuts``, ``extra-regio`` or
    ``aggregate``.

    >>> t = nuts_table("2021")
    >>> int(t.loc[t["code"] == "BE329", "level"].iloc[0])
    3
    """
    t = _by_vintage(_check_vintage(vintage)).reset_index(drop=True).copy()
    t["level"] = pd.to_numeric(t["level"]).astype("Int64")
    return t


def nuts_level(code: str) -> int | None:
    """0 for a country, 1–3 below; ``None`` for an EU aggregate.

    >>> nuts_level("BE"), nuts_level("BEZZ"), nuts_level("EU28")
    (0, 2, None)
    """
    level = _row(code)["level"]
    return int(level) if level != "" else None


def nuts_parent(code: str, vintage: str = "2016") -> str | None:
    """The code one level up (``None`` for a country or an aggregate).

    The code must exist in ``vintage`` or, failing that, in the other vintage (the parent is the same).

    >>> nuts_parent("BE224", "2016")
    'BE22'
    """
    c = str(code).strip()
    row = _row(c, vintage) if is_nuts(c, vintage) else _row(c)
    return str(row["parent"]) or None


def nuts_ancestors(code: str) -> list[str]:
    """Parent, grandparent … up to the country.

    >>> nuts_ancestors("BE211")
    ['BE21', 'BE2', 'BE']
    """
    out: list[str] = []
    parent = nuts_parent(code)
    while parent is not None:
        out.append(parent)
        parent = nuts_parent(parent)
    return out


def nuts_children(code: str, vintage: str = "2016") -> list[str]:
    """The codes one level down in ``vintage`` (extra-regio codes included).

    >>> nuts_children("BE22", "2021")
    ['BE223', 'BE224', 'BE225']
    """
    c = str(code).strip()
    _row(c)
    return list(_children_index(_check_vintage(vintage)).get(c, ()))


@lru_cache(maxsize=2)
def _children_index(vintage: str) -> dict[str, tuple[str, ...]]:
    t = _by_vintage(vintage)
    t = t[t["parent"] != ""]
    return {parent: tuple(sorted(codes)) for parent, codes in t.groupby("parent")["code"]}


def nuts_country(code: str) -> str | None:
    """The country (NUTS 0) code, ``None`` for an EU aggregate.

    >>> nuts_country("NLZZZ"), nuts_country("EU27_2020")
    ('NL', None)
    """
    return str(_row(code)["country"]) or None


def nuts_name(code: str, lang: str = "en") -> str:
    """Name of a region: ``'en'`` gives Eurostat's Latin-script name (English for countries and aggregates);
    ``'nl'`` the Dutch name where one is shipped (Belgium, countries, aggregates), else the ``'en'`` name.

    >>> nuts_name("BE211", "nl"), nuts_name("BE32", "en")
    ('Arr. Antwerpen', 'Prov. Hainaut')
    """
    if lang not in ("en", "nl"):
        raise ClassificationError(Text("io_unknown_lang", lang=lang, langs="en, nl"))
    row = _row(code)
    return str(row["name_nl"] or row["name"]) if lang == "nl" else str(row["name"])


@lru_cache(maxsize=1)
def nuts_changes() -> pd.DataFrame:
    """Belgian NUTS 2016 → 2021 changes: ``old_code, new_code, relation, note``.

    ``relation`` is ``unchanged``, ``boundary change`` (main successor, territory changed), ``part`` (some
    municipalities moved to this unit) or ``merge``.
    """
    return _read("nuts_be_changes.csv")


def nuts_recode(code: str, from_vintage: str = "2016", to_vintage: str = "2021") -> list[str]:
    """The code(s) in ``to_vintage`` that continue ``code`` of ``from_vintage``.

    Belgian changes come from :func:`nuts_changes` (main successor first; values are *not* comparable when
    the relation is a boundary change or merge — check :func:`nuts_changes`). Other codes that exist in both
    vintages map to themselves.

    >>> nuts_recode("BE324"), nuts_recode("BE328", "2021", "2016")
    (['BE328'], ['BE324', 'BE327'])
    """
    c = str(code).strip()
    src, dst = _check_vintage(from_vintage), _check_vintage(to_vintage)
    _row(c, src)
    if src == dst:
        return [c]
    changes = nuts_changes()
    old, new = ("old_code", "new_code") if src < dst else ("new_code", "old_code")
    hit = changes[changes[old] == c]
    if src > dst:
        # Backwards, the main predecessors come first ("part" links are minor contributions).
        hit = hit.assign(minor=hit["relation"] == "part").sort_values(["minor", new], kind="stable")
    if not hit.empty:
        return list(dict.fromkeys(hit[new]))
    if is_nuts(c, dst):
        return [c]
    raise ClassificationError(
        Text("cl_no_successor", code=c, source=src, target=dst), column="region"
    )


@lru_cache(maxsize=1)
def nis_nuts() -> pd.DataFrame:
    """Belgian NIS codes of the country, regions, provinces and arrondissements ↔ NUTS codes.

    Columns ``nis, nuts, vintage, level, relation, name_nis_nl``; Verviers (NIS 63000) is split by NUTS into
    BE335 and BE336 (``relation = 'nuts is part of nis'``).
    """
    return _read("nis_nuts.csv")


def nis_to_nuts(nis: str, vintage: str = "2016") -> list[str]:
    """NUTS code(s) of a Belgian NIS code.

    >>> nis_to_nuts("11000"), nis_to_nuts("71000", "2021"), nis_to_nuts("63000")
    (['BE211'], ['BE224'], ['BE335', 'BE336'])
    """
    t = nis_nuts()
    hit = t[(t["nis"] == str(nis).strip()) & (t["vintage"] == _check_vintage(vintage))]
    if hit.empty:
        raise ClassificationError(Text("cl_unknown_nis", nis=nis, vintage=vintage), column="region")
    return sorted(hit["nuts"].unique())


def nuts_to_nis(code: str, vintage: str = "2016") -> str:
    """NIS code of a Belgian NUTS code (country, region, province or arrondissement).

    >>> nuts_to_nis("BE21"), nuts_to_nis("BE329", "2021")
    ('10000', '58000')
    """
    t = nis_nuts()
    hit = t[(t["nuts"] == str(code).strip()) & (t["vintage"] == _check_vintage(vintage))]
    if hit.empty:
        raise ClassificationError(Text("cl_no_nis", code=code, vintage=vintage), column="region")
    return str(hit["nis"].iloc[0])
