"""One exception hierarchy for everything the user can get wrong.

The CLI and the web app turn these into one-line messages (and exit code 2 / HTTP 400);
nothing else in the package catches them.

A message raised with :class:`Text` (``DataError(Text("io_file_empty"), file=…)``) carries its catalogue
id and fields besides the English text, so :meth:`SpeerpuntError.one_line` writes it in any language of
the catalogue (:mod:`speerpunt.i18n`); its English is the catalogue's ``en`` text, so it reads exactly as
a plain string would. Numbers inside a message are :class:`Num`, written in the language's conventions.

>>> err = DataError(Text("io_negative_value", value=Num(-5, "g")), file="x.csv", row=3, column="value")
>>> err.one_line()
"x.csv, line 3, column 'value': negative value -5; counts and amounts must be ≥ 0"
>>> err.one_line("nl")
"x.csv, regel 3, kolom 'value': negatieve waarde -5; aantallen en bedragen moeten ≥ 0 zijn"
"""

from __future__ import annotations

import re


class Num:
    """A number inside a message: in English as ``format(value, spec)`` (the message's own wording), in
    another language through the one formatter (:func:`speerpunt.i18n.fmt_number`) with as many decimals
    as the English shows (``Num(593.5, ".10g")`` → ``593.5`` / ``593,5``; ``Num(1048576, ",")`` →
    ``1,048,576`` / ``1.048.576``)."""

    __slots__ = ("spec", "value")

    def __init__(self, value: float, spec: str = "") -> None:
        self.value = value
        self.spec = spec

    def __str__(self) -> str:
        return format(self.value, self.spec)

    def __repr__(self) -> str:
        return f"Num({self.value!r}, {self.spec!r})"

    def text(self, lang: str) -> str:
        english = str(self)
        if lang == "en":
            return english
        from speerpunt.i18n.numbers import fmt_number

        # Decimals as shown in English (none for '1e+11': that falls back to ten).
        found = re.fullmatch(r"-?[\d,]*(?:\.(\d*))?", english)
        decimals = len(found.group(1) or "") if found else 10
        return fmt_number(self.value, lang, decimals)


class Text(str):
    """A message by catalogue id (``key``) and ``fields``; as a string it is the English text.

    Fields are written as they are, except :class:`Num` and nested :class:`Text`, which follow the
    language. It stays a plain ``str`` for everything else (comparisons, JSON, ``in``)."""

    key: str
    fields: dict[str, object]

    def __new__(cls, key: str, /, **fields: object) -> Text:
        obj = super().__new__(cls, _render("en", key, fields))
        obj.key = key
        obj.fields = fields
        return obj

    def __reduce__(self):  # pickle/deepcopy keep the id and fields, not only the English
        return (_text, (self.key, self.fields))

    def text(self, lang: str) -> str:
        """The message in ``lang`` (English: the string itself)."""
        return str.__str__(self) if lang == "en" else _render(lang, self.key, self.fields)


class Phrase(str):
    """An English phrase of the read summary's words (``decimal comma ','``, ``C is inside B-E``) used
    inside a message; in another language its ``rv_*`` words are replaced
    (:func:`speerpunt.i18n.reading.phrase`)."""

    def text(self, lang: str) -> str:
        from speerpunt.i18n.reading import phrase

        return phrase(lang, str.__str__(self))


class Joined(str):
    """Messages joined by ``sep`` (``"; "``): as a string the English, in another language each part
    written in it (:class:`Text` parts by their id, plain strings as they are).

    >>> str(Joined([Text("rg_missing", field="name"), "x"], "; "))
    'name: missing; x'
    """

    parts: tuple[str, ...]
    sep: str

    def __new__(cls, parts, sep: str = "; ") -> Joined:
        obj = super().__new__(cls, sep.join(str.__str__(p) for p in parts))
        obj.parts, obj.sep = tuple(parts), sep
        return obj

    def __reduce__(self):
        return (Joined, (self.parts, self.sep))

    def text(self, lang: str) -> str:
        return self.sep.join(in_lang(p, lang) for p in self.parts)


def _text(key: str, fields: dict[str, object]) -> Text:
    return Text(key, **fields)


def _render(lang: str, key: str, fields: dict[str, object]) -> str:
    from speerpunt.i18n.catalog import gettext

    shown = {
        k: v.text(lang) if isinstance(v, Text | Num | Phrase | Joined) else v
        for k, v in fields.items()
    }
    return gettext(lang, key, **shown)


def in_lang(message: str, lang: str) -> str:
    """``message`` in ``lang`` when it is a :class:`Text`, else as it is (English)."""
    return message.text(lang) if isinstance(message, Text | Joined) else message


class SpeerpuntError(Exception):
    """Base class: a problem the user can fix, described in one line."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        row: int | None = None,
        column: str | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.row = row
        self.column = column
        super().__init__(self.one_line())

    @property
    def translated(self) -> bool:
        """True when the message has a catalogue id (so :meth:`one_line` can write it in any language)."""
        return isinstance(self.message, Text | Joined)

    def one_line(self, lang: str = "en") -> str:
        """``file, line row, column 'col': message`` with the parts that are known, in ``lang``."""
        where = [str(self.file)] if self.file else []
        if lang == "en":
            if self.row is not None:
                where.append(f"line {self.row}")
            if self.column is not None:
                where.append(f"column '{self.column}'")
        else:
            from speerpunt.i18n.catalog import gettext

            if self.row is not None:
                where.append(gettext(lang, "err_at_line", row=self.row))
            if self.column is not None:
                where.append(gettext(lang, "err_at_column", column=self.column))
        prefix = ", ".join(where)
        message = in_lang(self.message, lang)
        return f"{prefix}: {message}" if prefix else message


class DataError(SpeerpuntError):
    """Input data is malformed (reader or validation)."""


class ClassificationError(SpeerpuntError):
    """Unknown code, scheme or a classification break in the way."""


class MeasureError(SpeerpuntError):
    """A measure was asked for something the panel cannot give (absent region, year, variable)."""


class ConfigError(SpeerpuntError):
    """A configuration file (screening YAML, policy sectors) is invalid."""


class RegistryError(SpeerpuntError):
    """Registry import/edit problems."""
