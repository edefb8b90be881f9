"""English phrases and messages recognised by their catalogue text, to be written in another language.

A catalogue entry's English text *is* the pattern that recognises it: ``"year {year} is not in the data"``
matches ``"year 1990 is not in the data"`` with ``year="1990"``, which is then written with another
language's text of the same key. Used for texts that are kept as English strings (the read summary's
detected values, the web's own error texts); new messages carry their id instead
(:class:`speerpunt.errors.Text`).
"""

from __future__ import annotations

import re
from functools import cache

from speerpunt.i18n.catalog import gettext


@cache
def _pattern(key: str, whole: bool = True, lang: str = "en") -> re.Pattern[str]:
    """``key``'s text in ``lang`` as a pattern, its ``{fields}`` as named groups (anchored when
    ``whole``)."""
    parts = re.split(r"\{(\w+)\}", gettext(lang, key))
    seen: set[str] = set()
    regex = ""
    for i, part in enumerate(parts):
        if i % 2 == 0:
            regex += re.escape(part)
        else:  # a field used twice must have the same text twice
            regex += f"(?P={part})" if part in seen else f"(?P<{part}>.*?)"
            seen.add(part)
    return re.compile(f"^{regex}$" if whole else regex, re.S)


def match_key(lang: str, text: str, keys: tuple[str, ...]) -> str | None:
    """``text`` in ``lang`` when it is the English text of one of ``keys`` (fields filled), else None.

    >>> match_key("nl", "the file is empty", ("err_file_empty",))
    'het bestand is leeg'
    """
    for key in keys:
        found = _pattern(key).match(text)
        if found:
            return gettext(lang, key, **found.groupdict())
    return None


def replace_keys(lang: str, text: str, keys: tuple[str, ...]) -> str:
    """Every English text of ``keys`` inside ``text`` replaced by its ``lang`` text (in key order).

    >>> replace_keys("nl", "decimal comma ',', thousands '.'", ("rv_decimal_comma", "rv_thousands"))
    "decimaalkomma ',', duizendtallen '.'"
    """
    for key in keys:
        text = _pattern(key, whole=False).sub(
            lambda m, k=key: gettext(lang, k, **m.groupdict()), text
        )
    return text
