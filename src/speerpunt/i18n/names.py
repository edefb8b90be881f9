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


def sector_tag(code: str, lang: str = "nl") -> str:
    """A sector in running text and chart labels: a NACE or data code as itself, a policy sector by its
    label (its id, ``chemie_life_sciences``, is a file name, not a word for readers).

    >>> sector_tag("C20", "nl"), sector_tag("bouw", "en")
    ('C20', 'Construction')
    """
    return _policy_label(code, lang) or code


@lru_cache(maxsize=1024)
def sector_code(code: str) -> str:
    """What a table's *code* column shows: a NACE or data code as itself, a policy sector as its NACE
    definition, consecutive divisions joined by a dash and exclusions after "minus".

    >>> sector_code("chemie_life_sciences"), sector_code("groothandel_logistiek"), sector_code("C20")
    ('20–22', '46, 49–53', 'C20')
    """
    if not is_policy_sector(code):
        return code
    from speerpunt.classify import policy_sectors

    s = policy_sectors()[code]
    text = _runs(s.nace)
    return f"{text} minus {_runs(s.exclude)}" if s.exclude else text


def _runs(codes: tuple[str, ...]) -> str:
    """``('20', '21', '22', '46')`` → ``'20–22, 46'``: runs of three or more consecutive divisions."""
    out: list[list[str]] = []
    for c in codes:
        prev = out[-1][-1] if out else None
        if (
            prev
            and c.isdigit()
            and prev.isdigit()
            and len(c) == len(prev) == 2
            and int(c) == int(prev) + 1
        ):
            out[-1].append(c)
        else:
            out.append([c])
    return ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(r) for r in out)


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
    named = _territory_names().get(code) or _municipality_name(code, lang)
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


@lru_cache(maxsize=1)
def _municipalities() -> dict[str, tuple[str, str, str]]:
    """NIS code → (Dutch name, French name, region NIS code) of the 2019 municipalities (Statbel)."""
    import csv
    from importlib import resources

    path = resources.files("speerpunt.firms") / "data" / "municipalities_2019.csv"
    with path.open(encoding="utf-8") as f:
        return {
            r["nis"]: (r["name_nl"], r["name_fr"], r["region"])
            for r in csv.DictReader(f)
            if r["nis"].isdigit()
        }


def _municipality_name(code: str, lang: str) -> str | None:
    """A municipality's name (Statbel data are by NIS code): Dutch in nl, French in fr, else the name
    in the municipality's own language (Flemish ones Dutch, Walloon and Brussels ones French)."""
    if not (len(code) == 5 and code.isdigit()):
        return None
    row = _municipalities().get(code)
    if row is None:
        return None
    nl, fr, region = row
    if lang == "nl":
        return nl
    if lang == "fr":
        return fr
    return nl if region == "02000" else fr
