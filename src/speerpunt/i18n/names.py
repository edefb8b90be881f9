"""Names of sectors, regions and variables in the interface language, from :mod:`speerpunt.classify` and
the message catalogue. A code the classification does not know is shown as itself (user data may use its
own codes).

>>> region_name("BE21", "nl"), sector_name("TOTAL", "en"), variable_name("employment", "nl")
('Provincie Antwerpen', 'Total', 'Werkgelegenheid')
"""

from __future__ import annotations

from functools import lru_cache

from speerpunt.errors import SpeerpuntError
from speerpunt.i18n.catalog import gettext, has


@lru_cache(maxsize=8192)
def sector_name(code: str, lang: str = "nl") -> str:
    """The NACE or aggregate label of ``code`` (the code itself when unknown)."""
    if code == "TOTAL":
        return gettext(lang, "total")
    from speerpunt.classify.aggregates import sector_label

    try:
        return sector_label(code, lang) or code
    except SpeerpuntError:
        return code


@lru_cache(maxsize=8192)
def region_name(code: str, lang: str = "nl") -> str:
    """The NUTS name of ``code`` (Dutch names for Belgium); ``rest:BE`` is "rest van België"."""
    if code.startswith("rest:"):
        return gettext(lang, "rest_of", region=region_name(code[5:], lang))
    if code == "country":
        return gettext(lang, "country")
    from speerpunt.classify.nuts import nuts_name

    try:
        return nuts_name(code, lang) or code
    except SpeerpuntError:
        return code


def variable_name(variable: str, lang: str = "nl") -> str:
    """``employment`` → "Werkgelegenheid"; a variable of a user's own panel keeps its name."""
    key = f"var_{variable}"
    return gettext(lang, key) if has(lang, key) else variable
