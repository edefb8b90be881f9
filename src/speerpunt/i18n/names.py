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
        label = sector_label(code, lang)
    except SpeerpuntError:
        label = None
    return label or _policy_label(code, lang) or code


@lru_cache(maxsize=1)
def _policy_labels() -> dict[str, tuple[str, str]]:
    from speerpunt.classify import policy_sectors

    return {k: (v.label_nl, v.label_en) for k, v in policy_sectors().items()}


def is_policy_sector(code: str) -> bool:
    """A policy sector of the vocabulary (``bouw``), whose id pages show by its label only."""
    return code in _policy_labels()


def _policy_label(code: str, lang: str) -> str | None:
    """The vocabulary's label of a policy sector (``bouw`` → "Bouw"), English for any language but nl."""
    labels = _policy_labels().get(code)
    return None if labels is None else labels[0 if lang == "nl" else 1]


@lru_cache(maxsize=8192)
def region_name(code: str, lang: str = "nl") -> str:
    """The NUTS name of ``code`` (Dutch names for Belgium); ``rest:BE`` is "rest van België"."""
    if code.startswith("rest:"):
        return gettext(lang, "rest_of", region=region_name(code[5:], lang))
    if code == "country":
        return gettext(lang, "country")
    named = _territory_names().get(code)
    if named:
        return named
    if "+" in code:  # a union of regions: its members' names
        return " + ".join(region_name(c, lang) for c in code.split("+"))
    from speerpunt.classify.nuts import nuts_name

    try:
        return nuts_name(code, lang) or code
    except SpeerpuntError:
        return code


@lru_cache(maxsize=1)
def _territory_names() -> dict[str, str]:
    """Named territories (``resoc:westhoek`` → "RESOC Westhoek"), from the registry's actor territories."""
    from speerpunt.classify import territories

    t = territories()
    return dict(zip(t["id"], t["name"], strict=True))


def variable_name(variable: str, lang: str = "nl") -> str:
    """``employment`` → "Werkgelegenheid"; a variable of a user's own panel keeps its name."""
    key = f"var_{variable}"
    return gettext(lang, key) if has(lang, key) else variable
