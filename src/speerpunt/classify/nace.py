"""The NACE Rev. 2 hierarchy: sections, divisions, groups and classes with English and Dutch labels.

The data file ``nace_rev2.csv`` (``code, level, parent, section, label_en, label_nl``) holds all 21 sections,
88 divisions, 272 groups and 615 classes of NACE Rev. 2.

Sources: English labels from Eurostat, *NACE Rev. 2 – Statistical classification of economic activities in
the European Community* (Regulation (EC) No 1893/2006, Eurostat Methodologies and Working papers
KS-RA-07-015). Dutch labels of sections and divisions from Statbel's NACE-BEL 2008 (the Belgian national
version; its first four digits are NACE Rev. 2). Dutch labels of groups and classes are not included:
:func:`nace_label` falls back to the English label for them.

Codes are written as Eurostat does: ``"C"``, ``"20"``, ``"20.1"``, ``"20.14"``. ``"2014"`` and ``"C20"``
are accepted as well (see :func:`normalise_nace`).

Example
-------
>>> nace_label("C", "nl")
'Industrie'
>>> nace_section("20.14"), nace_parent("20.14"), nace_level("20.1")
('C', '20.1', 'group')
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import pandas as pd

from speerpunt.errors import ClassificationError, Text

LEVELS = {1: "section", 2: "division", 3: "group", 4: "class"}
LANGS = ("en", "nl")

_DOTLESS = re.compile(r"^\d{3,4}$")
_PREFIXED = re.compile(r"^[A-U]\d{2}(\.\d{1,2})?$")


@lru_cache(maxsize=1)
def nace_table() -> pd.DataFrame:
    """The whole NACE Rev. 2 table, indexed by code (a copy is safe to modify).

    >>> t = nace_table()
    >>> t["level"].value_counts().sort_index().tolist()
    [21, 88, 272, 615]
    """
    with (
        resources.files("speerpunt.classify").joinpath("nace_rev2.csv").open(encoding="utf-8") as f
    ):
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    table["level"] = table["level"].astype(int)
    return table.set_index("code", drop=False)


def normalise_nace(code: str) -> str:
    """Write a NACE code the Eurostat way: ``'2014'`` → ``'20.14'``, ``'C20'`` → ``'20'``, ``' c '`` → ``'C'``.

    >>> normalise_nace("2014"), normalise_nace("C20.1"), normalise_nace("c"), normalise_nace("A11")
    ('20.14', '20.1', 'C', 'A11')
    """
    c = str(code).strip().upper()
    if _PREFIXED.match(c):
        # Only the right section letter may prefix a division ("C20" yes, "A11" no).
        table = nace_table()
        rest = c[1:]
        return rest if rest in table.index and table.loc[rest, "section"] == c[0] else c
    if _DOTLESS.match(c):
        c = f"{c[:2]}.{c[2:]}"
    return c


def is_nace(code: str) -> bool:
    """True for a NACE Rev. 2 section, division, group or class (any accepted spelling).

    >>> is_nace("20.14"), is_nace("B-E"), is_nace("34")
    (True, False, False)
    """
    return normalise_nace(code) in nace_table().index


def _row(code: str) -> pd.Series:
    c = normalise_nace(code)
    table = nace_table()
    if c not in table.index:
        raise ClassificationError(Text("cl_not_nace", code=code))
    return table.loc[c]


def nace_level(code: str) -> str:
    """``'section'``, ``'division'``, ``'group'`` or ``'class'``.

    >>> nace_level("C"), nace_level("20"), nace_level("20.14")
    ('section', 'division', 'class')
    """
    return LEVELS[int(_row(code)["level"])]


def nace_label(code: str, lang: str = "en") -> str:
    """The label in English (``'en'``) or Dutch (``'nl'``; English where no Dutch label is shipped).

    >>> nace_label("20", "nl")
    'Vervaardiging van chemische producten'
    """
    if lang not in LANGS:
        raise ClassificationError(Text("io_unknown_lang", lang=lang, langs=", ".join(LANGS)))
    row = _row(code)
    return str(row[f"label_{lang}"] or row["label_en"])


def nace_parent(code: str) -> str | None:
    """The code one level up (``None`` for a section).

    >>> nace_parent("20"), nace_parent("A")
    ('C', None)
    """
    return str(_row(code)["parent"]) or None


def nace_children(code: str) -> list[str]:
    """The codes one level down, in classification order.

    >>> nace_children("B")
    ['05', '06', '07', '08', '09']
    """
    c = str(_row(code)["code"])
    table = nace_table()
    return table.loc[table["parent"] == c, "code"].tolist()


def nace_section(code: str) -> str:
    """The section letter of any NACE code.

    >>> nace_section("20.14"), nace_section("20")
    ('C', 'C')
    """
    return str(_row(code)["section"])


def nace_codes(level: str | None = None) -> list[str]:
    """All codes of one level (``'section'``, ``'division'``, ``'group'``, ``'class'``) or of all levels.

    >>> len(nace_codes("division"))
    88
    """
    table = nace_table()
    if level is None:
        return table["code"].tolist()
    wanted = {v: k for k, v in LEVELS.items()}.get(level)
    if wanted is None:
        raise ClassificationError(
            Text("cl_unknown_level", level=level, levels=", ".join(LEVELS.values()))
        )
    return table.loc[table["level"] == wanted, "code"].tolist()


def nace_classes_of(code: str) -> list[str]:
    """The 4-digit classes a NACE code covers (a class covers itself).

    >>> nace_classes_of("20.1")
    ['20.11', '20.12', '20.13', '20.14', '20.15', '20.16', '20.17']
    """
    return list(_classes_index()[str(_row(code)["code"])])


@lru_cache(maxsize=1)
def _classes_index() -> dict[str, tuple[str, ...]]:
    table = nace_table()
    index: dict[str, list[str]] = {c: [] for c in table["code"]}
    for cls, group, section in table.loc[
        table["level"] == 4, ["code", "parent", "section"]
    ].itertuples(index=False):
        for owner in (cls, group, group[:2], section):
            index[owner].append(cls)
    return {k: tuple(v) for k, v in index.items()}
