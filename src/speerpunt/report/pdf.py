"""Render the HTML report to PDF with WeasyPrint (the same HTML, print CSS with page numbers)."""

from __future__ import annotations

import logging
import re
import sys
from pathlib import Path
from types import ModuleType


def _no_search(_name: str) -> None:
    return None


def import_weasyprint() -> ModuleType:
    """``import weasyprint``, loading its C libraries (GObject, Pango, HarfBuzz, fontconfig) by their
    file names directly.

    WeasyPrint tries several names per library (``gobject-2.0-0``, ``gobject-2.0``, …,
    ``libgobject-2.0.so.0``); cffi hands every name it cannot load directly to
    ``ctypes.util.find_library``, which on Linux starts ``ldconfig`` and ``gcc`` — 54 processes and
    ≈ 0.3 s of CPU per import. With that search switched off for the import, the names fall through to
    the ``.so.0`` file name, which the dynamic loader opens at once: the same libraries (see
    ``tests/report/test_pdf_import.py``). Where only the search finds them (no loadable file name), the
    half-done import is forgotten and repeated with the search.
    """
    if "weasyprint" in sys.modules:
        return sys.modules["weasyprint"]
    import ctypes.util

    search = ctypes.util.find_library
    ctypes.util.find_library = _no_search
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = search
        import weasyprint
    finally:
        ctypes.util.find_library = search
    return weasyprint


#: A ``data-*`` attribute as the report template writes it: the value in double quotes, which the
#: autoescaped template never leaves unescaped inside a value or in text (``"`` becomes ``&#34;``), and
#: the chart ``data:`` URIs are base64 (no space, no quote). So the pattern meets real attributes only.
_DATA_ATTRIBUTE = re.compile(r' data-[a-z][a-z0-9-]*="[^"<>]*"')


def print_html(html: str) -> str:
    """``html`` without its ``data-*`` attributes, which WeasyPrint would parse and carry through the
    style cascade for every table cell although the PDF shows nothing of them (they hold the raw values
    for checks of the HTML, ``data-v``, and test hooks; the report's CSS selects none of them). On the
    W-EU report (4,600 cells) this is ≈ 0.2 s of WeasyPrint's 5 s.

    >>> print_html('<td class="num" data-col="lq" data-v="1.25">1,25</td>')
    '<td class="num">1,25</td>'
    >>> print_html('<td>see data-v=&#34;1&#34;</td>')  # text, as the autoescaped template writes it
    '<td>see data-v=&#34;1&#34;</td>'
    """
    return _DATA_ATTRIBUTE.sub("", html)


def render_pdf(html: str, out: Path) -> Path:
    """Write ``html`` as a PDF to ``out``; no URL is fetched (the HTML is self-contained)."""
    import_weasyprint()
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # WeasyPrint logs every unsupported CSS property; the report's CSS is print-checked, so keep it quiet.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)
    out.parent.mkdir(parents=True, exist_ok=True)
    # Only data: URIs are resolved and any failure is fatal, so rendering never touches the network and
    # never silently drops a chart.
    fetcher = URLFetcher(allowed_protocols=("data",), fail_on_errors=True)
    HTML(string=print_html(html), base_url=str(out.parent), url_fetcher=fetcher).write_pdf(str(out))
    return out
