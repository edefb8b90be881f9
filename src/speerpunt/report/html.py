"""Render a :class:`ReportData` as one self-contained HTML file (CSS inline, charts as ``data:`` URIs).

Numeric cells carry their raw value (``data-v``) beside the formatted text so that the shown numbers can be
checked against the library's results.

One escaping path: the template is autoescaped and never marks data ``|safe``; a section that means to
carry markup (formulas with sub/superscripts, the rule in ``<code>``) builds it with
``markupsafe.Markup(...).format(...)``, which escapes what it fills in. Inside CSS strings the
``css_string`` filter applies.
"""

from __future__ import annotations

import base64
from functools import cache
from importlib import resources
from importlib.metadata import PackageNotFoundError, version

import jinja2
import pandas as pd

from speerpunt.report.charts import Chart
from speerpunt.report.fmt import KINDS, NA, fmt_value
from speerpunt.report.i18n import t
from speerpunt.report.keyfigures import KIND_DECIMALS
from speerpunt.report.model import ReportData, ReportTable

_NUMERIC = {"number", "percent", "index", "int"}


@cache
def _template() -> jinja2.Template:
    """The report template shipped beside this module (``report.html``, package data), compiled once
    per process (≈ 20 ms; a run writing the HTML and then the PDF renders it twice)."""
    text = resources.files("speerpunt.report").joinpath("report.html").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)
    env.filters["css_string"] = css_string
    return env.from_string(text)


def css_string(value: object) -> str:
    r"""``value`` safe inside a double-quoted CSS string: every character that is not a letter, digit,
    space or plain punctuation becomes a CSS escape (``\3c `` for ``<``).

    >>> css_string('a"b</style>')
    'a\\22 b\\3c \\2f style\\3e '
    """
    return "".join(
        ch if ch.isalnum() or ch in " .,:;()-–—_" else f"\\{ord(ch):x} " for ch in str(value)
    )


def chart_uri(chart: Chart) -> str:
    """The chart's SVG as a base64 ``data:`` URI (works in browsers and in WeasyPrint)."""
    return "data:image/svg+xml;base64," + base64.b64encode(chart.svg().encode("utf-8")).decode(
        "ascii"
    )


def cell_text(value: object, kind: str, lang: str, decimals: int | None = None) -> str:
    """How a table cell shows ``value`` (``/`` when missing)."""
    if _missing(value):
        return NA if kind in _NUMERIC else ""
    if kind == "int":
        return str(int(value))
    if kind in _NUMERIC:
        # Table columns show a fixed number of decimals so that they line up (11,0 above 3,7).
        return fmt_value(float(value), kind, lang, decimals, fixed=True)
    return str(value)


def table_rows(table: ReportTable, lang: str) -> list[dict]:
    """Rows of cells ``{text, raw, cls, col}`` for the template (``raw`` only on numeric cells)."""
    rows = []
    for i, rec in enumerate(table.frame.to_dict("records")):
        cells = []
        for c in table.columns:
            v = rec.get(c.key)
            kind = c.kind
            if kind == "keyfigure":
                cells.append(
                    {
                        "text": v,
                        "raw": _raw(rec.get("value")) if rec.get("kind") != "symbol" else None,
                        "cls": "keyfigure",
                        "col": "value",
                        "kind": rec.get("kind"),
                        "dec": KIND_DECIMALS.get(rec.get("kind"), 1),
                    }
                )
                continue
            if kind == "by_measure":  # a column mixing measures: each row is shown as its measure
                kind = KINDS.get(rec.get("measure"), "number")
            numeric = kind in _NUMERIC
            cls = "num" if numeric else ("longtext" if kind == "longtext" else "")
            cells.append(
                {
                    "text": cell_text(v, kind, lang, c.decimals),
                    "raw": _raw(v) if numeric else None,
                    "cls": cls,
                    "col": c.key,
                    "kind": kind,
                    "dec": c.decimals,
                }
            )
        rows.append({"key": rec.get("sector", rec.get("label", i)), "cells": cells})
    return rows


def _missing(v: object) -> bool:
    """None, NaN and pandas' NA (scalars only)."""
    return v is None or (not isinstance(v, str) and bool(pd.isna(v)))


def _raw(v: object) -> str:
    return "nan" if _missing(v) else repr(float(v))


def render_html(report: ReportData) -> str:
    """The report as one HTML document with no external reference."""
    try:
        ver = version("speerpunt")
    except PackageNotFoundError:
        ver = "dev"
    return _template().render(
        report=report,
        toc=t("toc", report.lang),
        generated=t("generated", report.lang, version=ver),
        rows=lambda tb: table_rows(tb, report.lang),
        chart_uri=chart_uri,
    )
