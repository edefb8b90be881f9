"""Measure notes in the reader's language: each English note has a stable code (a catalogue key).

The measures write their ``note`` column in English, the canonical form a CSV keeps. Each note is one or
more ``"; "``-separated parts; every known part matches one pattern below, whose code is the catalogue key
``note_<code>`` and whose named groups fill the translation. A part no pattern knows is kept as written
(a year prefix ``"2018: …"`` is kept and the rest translated).

>>> note_text("zero in 2010: growth undefined; reference value missing", "nl")
'nul in 2010: groei niet bepaald; referentiewaarde ontbreekt'
>>> note_text("2018: reference has zero in this sector: LQ undefined", "nl")
'2018: referentie heeft nul in deze sector: LQ niet bepaald'
>>> note_code("region value missing: not available")
('region_value_missing_flag', {'flag': 'not available'})
"""

from __future__ import annotations

import re
from functools import cache

from speerpunt.i18n.catalog import gettext

#: code → pattern of one note part (anchored); the catalogue has ``note_<code>`` in every language
NOTES: dict[str, str] = {
    "zero_growth": r"zero in (?P<year>\d{4}): growth undefined",
    "year_missing": r"(?P<year>\d{4}) missing: (?P<flag>.+)",
    "ref_zero_lq": r"reference has zero in this sector: LQ undefined",
    "ref_zero_mix": r"reference has zero in this sector: industry mix undefined",
    "ref_value_missing": r"reference value missing",
    "ref_value_missing_flag": r"reference value missing: (?P<flag>.+)",
    "ref_total_missing": r"reference total missing",
    "region_total_missing": r"region total missing",
    "region_total_homothetic": r"region total missing: homothetic value undefined",
    "region_value_missing_flag": r"region value missing: (?P<flag>.+)",
    "own_reference": r"region is its own reference: rest-of-reference LQ undefined",
    "lq_zero_log": r"LQ is 0: log LQ undefined",
    "zero_count_interval": r"zero count: interval undefined",
    "zero_count": r"zero count",
    "no_activity": r"no activity in the sector in these regions",
    "same_structure": r"same structure as the reference: RDI undefined",
    "one_year": r"one year of data \((?P<year>\d{4})\): no growth period",
    "policy_built": r"policy sectors built from the finest NACE level: (?P<sectors>.+)",
    "not_in_data": r"not in the data at all: (?P<sectors>.+)",
}
_COMPILED = {code: re.compile(rf"^{p}$") for code, p in NOTES.items()}
_YEAR = re.compile(r"^(?P<year>\d{4}): (?P<rest>.+)$")


def note_code(part: str) -> tuple[str, dict[str, str]] | None:
    """The code and fields of one note part, or None when no pattern knows it."""
    for code, pattern in _COMPILED.items():
        m = pattern.match(part)
        if m:
            return code, m.groupdict()
    return None


@cache
def _part(part: str, lang: str) -> str:
    found = note_code(part)
    if found is not None:
        return gettext(lang, f"note_{found[0]}", **found[1])
    m = _YEAR.match(part)
    if m and note_code(m["rest"]) is not None:
        return f"{m['year']}: {_part(m['rest'], lang)}"
    return part


def note_text(note: object, lang: str) -> str:
    """A measure's note in ``lang`` (``''`` for no note)."""
    if not isinstance(note, str) or not note:
        return ""
    return "; ".join(_part(p, lang) for p in note.split("; "))
