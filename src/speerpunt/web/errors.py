"""Error messages in the reader's language, from the one catalogue (:mod:`speerpunt.i18n`).

The web code raises its errors with English text (the JSON API keeps that text, stable for programs).
Every such message is an ``err_*`` entry of the catalogue, and its English text *is* the pattern that
recognises it: ``"year {year} is not in the data"`` matches ``"year 1990 is not in the data"`` with
``year="1990"``, which is then written with the page language's text of the same key
(:mod:`speerpunt.i18n.patterns`). A library error raised with its catalogue id (the reader's,
:class:`speerpunt.errors.Text`) is written from that id. A message the catalogue does not know (a library's
own wording) is kept as it is and marked ``lang="en"`` on a page in another language, so it is never
passed off as translated.

>>> str(localise("nl", "year 1990 is not in the data"))
'jaar 1990 staat niet in de gegevens'
>>> localise("nl", "something new").foreign
'en'
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from speerpunt.errors import SpeerpuntError, Text, in_lang
from speerpunt.i18n import gettext
from speerpunt.i18n.patterns import _pattern, match_key

#: Catalogue keys of messages the web code raises in English (matched back by their English text).
ERROR_KEYS = (
    "err_request_too_large",
    "err_csrf",
    "err_login_to_read",
    "err_login_first",
    "err_needs_role",
    "err_file_too_large",
    "err_only_csv_xlsx",
    "err_file_empty",
    "err_config_name",
    "err_config_gone",
    "err_config_exists",
    "err_config_changed",
    "err_justification",
    "err_selection_expired",
    "err_no_upload",
    "err_no_uploads",
    "err_not_a_year",
    "err_variable_missing",
    "err_year_missing",
    "err_start_after_end",
    "err_sector_missing",
    "err_no_boundaries",
    "err_user_exists",
    "err_no_user",
    "err_user_name",
    "err_unknown_role",
    "err_password_short",
    "err_report_failed",
    "err_invalid_request",
)

#: pydantic's error types → the catalogue's wording of a form/query field problem.
FIELD_KEYS = {
    "missing": "err_field_missing",
    "int_parsing": "err_field_int",
    "int_from_float": "err_field_int",
    "float_parsing": "err_field_float",
    "bool_parsing": "err_field_bool",
}


@dataclass(frozen=True)
class Message:
    """An error text for a page: ``prefix`` (where: file, line, column) and ``text``; ``foreign`` is the
    language of ``text`` when it differs from the page's (then the HTML marks it with ``lang``)."""

    text: str
    prefix: str = ""
    foreign: str | None = None

    def __str__(self) -> str:
        return f"{self.prefix}: {self.text}" if self.prefix else self.text

    def __html__(self) -> str:
        text = escape(self.text)
        if self.foreign:
            text = Markup(f'<span lang="{self.foreign}">{text}</span>')
        return str(Markup(f"{escape(self.prefix)}: {text}") if self.prefix else text)


#: Keys whose text some error paths already write in the page's language (kept as they are).
LOCALISED_KEYS = ("admins_only", "not_yours", "forbidden", "not_found", "stale", "login_blocked")


def localise(lang: str, message: str) -> Message:
    """``message`` (English, as raised) in ``lang`` when the catalogue knows it, else marked English."""
    if lang == "en":
        return Message(message)
    found = match_key(lang, message, ERROR_KEYS)
    if found is not None:
        return Message(found)
    if any(_pattern(key, lang=lang).match(message) for key in LOCALISED_KEYS):
        return Message(message)
    return Message(message, foreign="en")


def error_message(lang: str, exc: SpeerpuntError) -> Message:
    """A library error's one line in ``lang``: the place (file, line, column) and the message.

    >>> str(error_message("nl", SpeerpuntError("the file is empty", file="x.csv", row=3)))
    'x.csv, regel 3: het bestand is leeg'
    """
    where = [str(exc.file)] if exc.file else []
    if exc.row is not None:
        where.append(gettext(lang, "err_at_line", row=exc.row))
    if exc.column is not None:
        where.append(gettext(lang, "err_at_column", column=exc.column))
    if exc.translated:
        return Message(exc.message.text(lang), ", ".join(where))
    found = localise(lang, exc.message)
    return Message(found.text, ", ".join(where), found.foreign)


def warning_message(lang: str, warning: str) -> Message:
    """A reader's warning in ``lang``: from its catalogue id, else kept English and marked so."""
    if isinstance(warning, Text) or lang == "en":
        return Message(in_lang(warning, lang))
    return Message(warning, foreign="en")


def validation_message(lang: str, errors: list[dict]) -> Message:
    """FastAPI's request validation errors as one line: ``field: what is wrong`` per field."""
    parts = []
    for e in errors:
        field = ".".join(str(p) for p in e.get("loc", ())[1:]) or "?"
        parts.append(
            gettext(lang, FIELD_KEYS.get(e.get("type", ""), "err_field_invalid"), field=field)
        )
    return Message("; ".join(parts) or gettext(lang, "err_invalid_request"))
