"""Render the HTML report to PDF with WeasyPrint (the same HTML, print CSS with page numbers)."""

from __future__ import annotations

import logging
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
    HTML(string=html, base_url=str(out.parent), url_fetcher=fetcher).write_pdf(str(out))
    return out
