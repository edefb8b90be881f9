"""Render the HTML report to PDF with WeasyPrint (the same HTML, print CSS with page numbers)."""

from __future__ import annotations

import logging
from pathlib import Path


def render_pdf(html: str, out: Path) -> Path:
    """Write ``html`` as a PDF to ``out``; no URL is fetched (the HTML is self-contained)."""
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
