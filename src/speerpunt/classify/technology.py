"""Eurostat's technology-intensity classes of manufacturing and knowledge-intensity classes of services.

Source: Eurostat, *High-tech industry and knowledge-intensive services* (metadata ``htec_esms``, Annex 3:
aggregations of manufacturing and services based on NACE Rev. 2), following the OECD's R&D-intensity
classification.

Manufacturing at the 2-digit level (the default, ``detail="division"``):

* high technology: 21, 26;
* medium-high technology: 20, 27–30;
* medium-low technology: 19, 22–25, 33;
* low technology: 10–18, 31–32.

Footnote 17 of the SERV report (seed ``004``, line ~1316) uses the same classes but leaves out division 33.
With ``detail="group"`` the 3-digit refinement of Eurostat is used (30.3 is high-tech; 25.4, 30.2, 30.4, 30.9
and 32.5 medium-high; 18.2 and 30.1 medium-low).

Services (2-digit): knowledge-intensive services (KIS) are 50–51, 58–66, 69–75, 78, 80, 84–93; less
knowledge-intensive services (LKIS) are 45–47, 49, 52–53, 55–56, 68, 77, 79, 81–82, 94–99. Each comes with a
subclass (e.g. "high-tech knowledge-intensive services" for 59–63 and 72).

Example
-------
>>> technology_intensity("21"), technology_intensity("20.14"), technology_intensity("62")
('high', 'medium-high', 'kis')
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from speerpunt.classify.nace import nace_codes, nace_level, nace_parent, normalise_nace
from speerpunt.errors import ClassificationError, Text

CLASS_LABELS = {
    "high": ("High-technology manufacturing", "Hoogtechnologische industrie"),
    "medium-high": ("Medium-high-technology manufacturing", "Middelhoogtechnologische industrie"),
    "medium-low": ("Medium-low-technology manufacturing", "Middellaagtechnologische industrie"),
    "low": ("Low-technology manufacturing", "Laagtechnologische industrie"),
    "kis": ("Knowledge-intensive services", "Kennisintensieve diensten"),
    "lkis": ("Less knowledge-intensive services", "Minder kennisintensieve diensten"),
}


def _span(first: int, last: int) -> list[str]:
    return [f"{d:02d}" for d in range(first, last + 1)]


_MANUFACTURING = {
    "high": ["21", "26"],
    "medium-high": ["20", *_span(27, 30)],
    "medium-low": ["19", *_span(22, 25), "33"],
    "low": [*_span(10, 18), "31", "32"],
}
#: 3-digit exceptions to the 2-digit classes (Eurostat htec, Annex 3).
_GROUP_EXCEPTIONS = {
    "30.3": "high",
    "25.4": "medium-high",
    "30.2": "medium-high",
    "30.4": "medium-high",
    "30.9": "medium-high",
    "32.5": "medium-high",
    "18.2": "medium-low",
    "30.1": "medium-low",
}
_SERVICES = {  # subclass: (class, divisions)
    "knowledge-intensive market services": (
        "kis",
        ["50", "51", *_span(69, 71), "73", "74", "78", "80"],
    ),
    "high-tech knowledge-intensive services": ("kis", [*_span(59, 63), "72"]),
    "knowledge-intensive financial services": ("kis", _span(64, 66)),
    "other knowledge-intensive services": ("kis", ["58", "75", *_span(84, 93)]),
    "less knowledge-intensive market services": (
        "lkis",
        [*_span(45, 47), "49", "52", "55", "56", "68", "77", "79", "81", "82", "95"],
    ),
    "other less knowledge-intensive services": ("lkis", ["53", "94", "96", *_span(97, 99)]),
}


@lru_cache(maxsize=1)
def technology_table() -> pd.DataFrame:
    """Division-level table: ``division, label_en, intensity, subclass`` (manufacturing and services).

    >>> t = technology_table()
    >>> t.loc[t["intensity"] == "high", "division"].tolist()
    ['21', '26']
    """
    rows = []
    for intensity, divisions in _MANUFACTURING.items():
        rows += [(d, intensity, CLASS_LABELS[intensity][0]) for d in divisions]
    for subclass, (intensity, divisions) in _SERVICES.items():
        rows += [(d, intensity, subclass) for d in divisions]
    table = pd.DataFrame(rows, columns=["division", "intensity", "subclass"])
    known = set(nace_codes("division"))
    table = table[table["division"].isin(known)].sort_values("division").reset_index(drop=True)
    return table


def technology_intensity(code: str, detail: str = "division") -> str | None:
    """Technology class of a manufacturing code or knowledge class of a service code.

    Parameters
    ----------
    code : str
        A NACE division, group or class (sections and aggregates have no single class: ``None``).
    detail : {'division', 'group'}
        ``'division'`` uses Eurostat's 2-digit list, ``'group'`` its 3-digit refinement.

    Returns
    -------
    str or None
        ``'high'``, ``'medium-high'``, ``'medium-low'``, ``'low'`` (manufacturing), ``'kis'``, ``'lkis'``
        (services), or ``None`` (agriculture, mining, utilities, construction; sections).

    >>> technology_intensity("30.30", detail="group"), technology_intensity("30.30")
    ('high', 'medium-high')
    """
    if detail not in ("division", "group"):
        raise ClassificationError(Text("cl_unknown_detail", detail=detail))
    c = normalise_nace(code)
    level = nace_level(c)
    if level == "section":
        return None
    if detail == "group" and level in ("group", "class"):
        group = c if level == "group" else nace_parent(c)
        if group in _GROUP_EXCEPTIONS:
            return _GROUP_EXCEPTIONS[group]
    division = c[:2]
    table = technology_table()
    hit = table.loc[table["division"] == division, "intensity"]
    return None if hit.empty else str(hit.iloc[0])


def technology_subclass(code: str) -> str | None:
    """The Eurostat subclass of a service division (e.g. ``'high-tech knowledge-intensive services'``).

    >>> technology_subclass("62")
    'high-tech knowledge-intensive services'
    """
    division = normalise_nace(code)[:2]
    table = technology_table()
    hit = table.loc[table["division"] == division, "subclass"]
    return None if hit.empty else str(hit.iloc[0])
