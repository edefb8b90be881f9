"""The read summary in the reader's language (``speerpunt --lang nl inspect`` and the web upload page).

:class:`speerpunt.io.summary.ReadSummary` holds what the reader detected as English phrases ("delimited
text", "decimal comma ','", "line 3: …"); its ``to_text(lang)`` writes the labels from the catalogue.
Here the detected *values* are written in the page's language too: every phrase is a ``rv_*`` entry of
the catalogue whose English text is the pattern that recognises it (:mod:`speerpunt.i18n.patterns`).
The reader's warnings carry their own catalogue id (:class:`speerpunt.errors.Text`) and are written in
the language as they are (:func:`warnings_in`).

>>> from speerpunt.io.summary import ReadSummary
>>> s = ReadSummary("x.csv", format="delimited text", separator=";", layout="long")
>>> [line for line in reading_text(s, "nl").splitlines() if line.startswith(("formaat", "scheidingsteken"))]
['formaat: tekst met scheidingstekens', 'scheidingsteken: puntkomma']
"""

from __future__ import annotations

from dataclasses import replace

from speerpunt.errors import Text, in_lang
from speerpunt.i18n import gettext, has
from speerpunt.i18n.patterns import match_key, replace_keys
from speerpunt.io.summary import ReadSummary

SEPARATORS = {"\t": "rv_tab", ",": "rv_comma", ";": "rv_semicolon", "|": "rv_pipe"}
WORDS = (
    "rv_delimited",
    "rv_embedded",
    "rv_long",
    "rv_wide_sector",
    "rv_wide_year",
    "rv_value_columns",
    "rv_layout_tsv",
    "rv_differs",
)
#: Number conventions, longest phrases first ("decimal point '.'" before "decimal '.'").
NUMBERS = (
    "rv_decimal_point",
    "rv_decimal_comma",
    "rv_no_decimals",
    "rv_differs",
    "rv_thousands",
    "rv_percentages",
    "rv_as_given",
    "rv_given_decimal",
    "rv_given_thousands",
)
FLAGS = tuple(f"rv_flag_{c}" for c in ("na", "c", "p", "e", "b", "u", "z", "d", "n", "r", "s", "q"))


def _one(lang: str, text: str, keys: tuple[str, ...]) -> str:
    if isinstance(text, Text):
        return text.text(lang)
    found = match_key(lang, text, keys)
    return text if found is None else found


def _role(lang: str, role: str) -> str:
    """A column's role in the tidy table (``region``, ``year`` …) in ``lang``."""
    key = f"rv_role_{role}"
    return gettext(lang, key) if has(lang, key) else role


def translated(summary: ReadSummary, lang: str) -> ReadSummary:
    """A copy of ``summary`` with its detected values in ``lang`` (and without the warnings)."""
    if lang == "en":
        return replace(summary, warnings=[])
    return replace(
        summary,
        format=_one(lang, summary.format, WORDS),
        layout=_one(lang, summary.layout, WORDS),
        header_mapping={_role(lang, r): col for r, col in summary.header_mapping.items()},
        numbers=replace_keys(lang, summary.numbers, NUMBERS),
        numbers_by_column={
            col: replace_keys(lang, how, NUMBERS) for col, how in summary.numbers_by_column.items()
        },
        skipped_lines=[_one(lang, x, ("rv_line", "rv_dropped")) for x in summary.skipped_lines],
        totals=[_one(lang, x, ("rv_total_region",)) for x in summary.totals],
        aggregates=[_one(lang, x, ("rv_inside",)) for x in summary.aggregates],
        parts_of_total=_one(
            lang, summary.parts_of_total, ("rv_partition", "rv_inside_no_other", "rv_as_requested")
        ),
        flags={
            ", ".join(_one(lang, part, FLAGS) for part in k.split(", ")): n
            for k, n in summary.flags.items()
        },
        suppressed_examples=[in_lang(x, lang) for x in summary.suppressed_examples],
        warnings=[],
    )


def phrase(lang: str, text: str) -> str:
    """A detected-value phrase of the summary (number conventions, ``C is inside B-E``) in ``lang``.

    >>> phrase("nl", "decimal comma ','"), phrase("nl", "C is inside B-E; 20 is inside C")
    ("decimaalkomma ','", 'C ligt binnen B-E; 20 ligt binnen C')
    """
    return text if lang == "en" else replace_keys(lang, text, (*NUMBERS, "rv_inside"))


def warnings_in(summary: ReadSummary, lang: str) -> list[str]:
    """The reader's warnings in ``lang`` (one that has no catalogue id stays English)."""
    return [in_lang(w, lang) for w in summary.warnings]


def reading_text(summary: ReadSummary, lang: str, *, warnings: bool = True) -> str:
    """The summary's lines (as ``speerpunt inspect``), labels, detected values and (unless
    ``warnings=False``, for a page that lists them apart) the warnings in ``lang``."""
    label = gettext(lang, "read_warning")
    warned = [f"{label}: {w}" for w in warnings_in(summary, lang)] if warnings else []
    text = "\n".join([translated(summary, lang).to_text(lang), *warned])
    key = SEPARATORS.get(summary.separator or "")
    if key is None or lang == "en":
        return text
    label = gettext(lang, "read_separator")
    english = f"{label}: {gettext('en', key)}"
    return "\n".join(
        f"{label}: {gettext(lang, key)}" if line == english else line for line in text.splitlines()
    )
