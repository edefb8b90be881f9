"""One presentation layer for words and numbers: gettext catalogues (:mod:`.catalog`), the number
formatter (:mod:`.numbers`) and names of sectors, regions and variables (:mod:`.names`).

The CLI, the web app and the reports all go through this package, so a word or a number is written once.
Add a language with ``pybabel init -i src/speerpunt/i18n/locale/speerpunt.pot -d src/speerpunt/i18n/locale
-D speerpunt -l fr``, translate the ``.po`` file and add its Babel locale to :data:`.numbers.LOCALES`.
"""

from __future__ import annotations

from speerpunt.i18n.catalog import available, gettext, has, messages
from speerpunt.i18n.names import region_name, sector_code, sector_name, sector_tag, variable_name
from speerpunt.i18n.numbers import (
    KINDS,
    NA,
    fmt_index,
    fmt_measure,
    fmt_number,
    fmt_percent,
    fmt_value,
    locale_for,
)

DEFAULT_LANG = "nl"

__all__ = [
    "DEFAULT_LANG",
    "KINDS",
    "NA",
    "available",
    "fmt_index",
    "fmt_measure",
    "fmt_number",
    "fmt_percent",
    "fmt_value",
    "gettext",
    "has",
    "locale_for",
    "messages",
    "pick_lang",
    "region_name",
    "sector_code",
    "sector_name",
    "sector_tag",
    "variable_name",
]


def pick_lang(query: str | None, cookie: str | None, accept: str | None) -> str:
    """``?lang=``, else the cookie, else the browser's Accept-Language, else Dutch.

    >>> pick_lang(None, None, "en-GB,en;q=0.9"), pick_lang("xx", None, None)
    ('en', 'nl')
    """
    langs = available()
    for cand in (query, cookie):
        if cand in langs:
            return cand
    for part in (accept or "").split(","):
        code = part.split(";")[0].strip()[:2].lower()
        if code in langs:
            return code
    return DEFAULT_LANG
