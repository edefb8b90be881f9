"""Names of sectors and regions in the interface language, from :mod:`speerpunt.classify`.

A code the classification does not know is shown as the code itself (user data may use its own codes).
"""

from __future__ import annotations

from functools import lru_cache

from speerpunt.errors import SpeerpuntError


@lru_cache(maxsize=4096)
def sector_name(code: str, lang: str = "nl") -> str:
    if code == "TOTAL":
        return "Totaal" if lang == "nl" else "Total"
    try:
        from speerpunt.classify import sector_label

        return sector_label(code, lang) or code
    except (ImportError, SpeerpuntError, KeyError):
        return code


@lru_cache(maxsize=4096)
def region_name(code: str, lang: str = "nl") -> str:
    try:
        from speerpunt.classify import nuts_name

        return nuts_name(code, lang) or code
    except (ImportError, SpeerpuntError, KeyError):
        return code
