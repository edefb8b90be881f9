"""gettext message catalogues, read from the ``.po`` files beside this module.

``locale/<lang>/LC_MESSAGES/speerpunt.po`` holds every user-facing text of the CLI, the web app and the
reports under a symbolic message id (``msgid "home_intro"``); ``locale/speerpunt.pot`` is the template a
translator starts from (``pybabel init -i locale/speerpunt.pot -d locale -D speerpunt -l fr``). The ``.po``
file is compiled to a ``.mo`` in memory on first use (Babel), so a clean clone needs no build step; an
untranslated message falls back to English.

>>> gettext("nl", "home"), gettext("en", "home")
('Start', 'Home')
>>> gettext("nl", "upload_intro", mb=10)[:30]
'Laad een eigen panel (CSV of X'
"""

from __future__ import annotations

import gettext as _gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from speerpunt.errors import SpeerpuntError

LOCALE_DIR = Path(__file__).parent / "locale"
DOMAIN = "speerpunt"
FALLBACK = "en"


def available() -> tuple[str, ...]:
    """Languages with a catalogue, the default (Dutch) first."""
    return _languages(LOCALE_DIR)


@cache
def _languages(folder: Path) -> tuple[str, ...]:
    """The catalogues in ``folder``, read once per folder: the web app picks a language on every request,
    and globbing the locale tree each time cost more CPU (~0.3 ms) than answering a cached page."""
    langs = sorted(p.parent.parent.name for p in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return tuple(sorted(langs, key=lambda code: code != "nl"))


@cache
def translations(lang: str) -> _gettext.GNUTranslations:
    """The compiled catalogue of ``lang`` with English as fallback."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not path.exists():
        raise SpeerpuntError(
            f"unknown language '{lang}' (choose {' or '.join(available())})", column="--lang"
        )
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    buf = io.BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    out = _gettext.GNUTranslations(buf)
    if lang != FALLBACK:
        out.add_fallback(translations(FALLBACK))
    return out


def gettext(lang: str, key: str, /, **fields: object) -> str:
    """The text of message ``key`` in ``lang`` with ``fields`` filled in (``str.format``)."""
    text = translations(lang).gettext(key)
    return text.format(**fields) if fields else text


def has(lang: str, key: str) -> bool:
    """True when the catalogue of ``lang`` (or English) defines ``key``."""
    return translations(lang).gettext(key) != key


def messages(lang: str) -> dict[str, str]:
    """Every message id of ``lang``'s own ``.po`` file with its text (for tests and tools)."""
    path = LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"
    with path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=DOMAIN)
    return {m.id: m.string for m in catalog if m.id}
