"""Locale-aware number formatting with Babel (Dutch ``nl`` and English ``en``).

The study's conventions: thousands with a dot (35.991), decimal comma (5,4%; 2,3) and ``/`` for a value
that is not available. Formatting never rounds a number before it is shown — it only renders it.

Example
-------
>>> fmt_number(35991, "nl"), fmt_percent(0.054, "nl"), fmt_index(2.3, "nl")
('35.991', '5,4%', '2,3')
>>> fmt_number(35991, "en"), fmt_percent(0.054, "en"), fmt_index(float("nan"), "en")
('35,991', '5.4%', '/')
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

from speerpunt.errors import SpeerpuntError

LOCALES = {"nl": "nl_BE", "en": "en_GB"}
NA = "/"
#: How each measure is shown.
KINDS = {
    "level": "number",
    "value": "number",
    "share": "percent",
    "lq": "index",
    "growth": "percent",
    "cagr": "percent",
    "regional_shift": "number",
    "industry_mix": "number",
    "national_share": "number",
    "actual_change": "number",
    "lq_change": "index",
    "score": "index",
    "reference_share": "percent",
    "stability": "percent",
}


def locale_for(lang: str) -> str:
    if lang not in LOCALES:
        raise SpeerpuntError(f"unknown language '{lang}' (choose nl or en)", column="--lang")
    return LOCALES[lang]


def _missing(x: object) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def fmt_number(x: float | None, lang: str, decimals: int = 1, *, fixed: bool = False) -> str:
    """``35991 → '35.991'``; up to ``decimals`` decimals, trailing zeros dropped (``114.6 → '114,6'``).

    ``fixed=True`` always shows ``decimals`` decimals (``11 → '11,0'``), so a table column lines up.
    """
    if _missing(x):
        return NA
    digit = "0" if fixed else "#"
    pattern = "#,##0" + ("." + digit * decimals if decimals else "")
    return format_decimal(float(x), pattern, locale=locale_for(lang))


def fmt_percent(x: float | None, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage: ``-0.035 → '-3,5%'``."""
    if _missing(x):
        return NA
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    return format_percent(float(x), pattern, locale=locale_for(lang))


def fmt_index(x: float | None, lang: str, decimals: int = 1) -> str:
    """An index such as an LQ with a fixed number of decimals: ``2.3 → '2,3'``."""
    if _missing(x):
        return NA
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(float(x), pattern, locale=locale_for(lang))


def fmt_value(
    x: float | None, kind: str, lang: str, decimals: int | None = None, *, fixed: bool = False
) -> str:
    """Format by kind: ``number``, ``percent``, ``index`` or ``text``."""
    if kind == "text":
        return NA if _missing(x) or x == "" else str(x)
    if kind == "percent":
        return fmt_percent(x, lang, 1 if decimals is None else decimals)
    if kind == "index":
        return fmt_index(x, lang, 2 if decimals is None else decimals)
    return fmt_number(x, lang, 1 if decimals is None else decimals, fixed=fixed)


def fmt_measure(x: float | None, measure: str, lang: str) -> str:
    """Format a screening measure by its kind (shares and growth as %, LQs with two decimals)."""
    return fmt_value(x, KINDS.get(measure, "number"), lang)
