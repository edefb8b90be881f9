"""The one number formatter of the CLI, the web app and the reports (Babel), in the study's conventions.

Dutch: thousands with a dot (35.991), decimal comma, a percent sign without a space (5,4%); English the
British way (35,991; 5.4%). A value that is not available is ``/`` in every language, and a number that
rounds to zero is shown without a sign (never ``-0,00``). Formatting only renders: it never changes a value.

>>> fmt_number(35991, "nl"), fmt_percent(0.054, "nl"), fmt_index(2.3, "nl", 2)
('35.991', '5,4%', '2,30')
>>> fmt_number(35991, "en"), fmt_percent(0.054, "en"), fmt_index(float("nan"), "en")
('35,991', '5.4%', '/')
>>> fmt_index(-0.001, "nl", 2), fmt_percent(-0.0001, "nl"), fmt_number(None, "nl")
('0,00', '0,0%', '/')
"""

from __future__ import annotations

import math

from babel.numbers import format_decimal, format_percent

from speerpunt.errors import SpeerpuntError

#: Babel locale of each interface language (a new catalogue language needs a line here).
LOCALES = {"nl": "nl_BE", "en": "en_GB", "fr": "fr_BE", "de": "de_BE"}
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


def _number(x: object) -> float | None:
    """``x`` as a finite float, or None when it is missing (None, NaN, ±inf)."""
    if x is None or isinstance(x, str):
        return None
    try:
        value = float(x)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return value if math.isfinite(value) else None


def _unsigned_zero(x: float, decimals: int) -> float:
    """0.0 for a value that shows as zero at ``decimals`` decimals (so no '-0,00')."""
    return 0.0 if round(x, decimals) == 0 else x


def fmt_number(x: object, lang: str, decimals: int = 1, *, fixed: bool = False) -> str:
    """``35991 → '35.991'``; up to ``decimals`` decimals, trailing zeros dropped (``114.6 → '114,6'``).

    ``fixed=True`` always shows ``decimals`` decimals (``11 → '11,0'``), so a table column lines up.
    """
    value = _number(x)
    if value is None:
        return x if isinstance(x, str) and x else NA
    digit = "0" if fixed else "#"
    pattern = "#,##0" + ("." + digit * decimals if decimals else "")
    return format_decimal(_unsigned_zero(value, decimals), pattern, locale=locale_for(lang))


def fmt_percent(x: object, lang: str, decimals: int = 1) -> str:
    """A fraction as a percentage: ``-0.035 → '-3,5%'``."""
    value = _number(x)
    if value is None:
        return NA
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "") + "%"
    shown = 0.0 if round(value * 100, decimals) == 0 else value
    return format_percent(shown, pattern, locale=locale_for(lang))


def fmt_index(x: object, lang: str, decimals: int = 1) -> str:
    """An index such as an LQ with a fixed number of decimals: ``2.3 → '2,3'`` (one by default)."""
    value = _number(x)
    if value is None:
        return NA
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return format_decimal(_unsigned_zero(value, decimals), pattern, locale=locale_for(lang))


def fmt_value(
    x: object, kind: str, lang: str, decimals: int | None = None, *, fixed: bool = False
) -> str:
    """Format by kind: ``number``, ``percent``, ``index`` or ``text``."""
    if kind == "text":
        return NA if x is None or x == "" or (isinstance(x, float) and math.isnan(x)) else str(x)
    if kind == "percent":
        return fmt_percent(x, lang, 1 if decimals is None else decimals)
    if kind == "index":
        return fmt_index(x, lang, 2 if decimals is None else decimals)
    return fmt_number(x, lang, 1 if decimals is None else decimals, fixed=fixed)


def fmt_measure(x: object, measure: str, lang: str) -> str:
    """Format a screening measure by its kind (shares and growth as %, LQs with two decimals)."""
    return fmt_value(x, KINDS.get(measure, "number"), lang)
