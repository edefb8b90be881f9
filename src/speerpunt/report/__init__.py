"""Reports: key-figure sheets, charts and complete regional reports (HTML, PDF, XLSX; Dutch and English).

Reports render what the library computed — they never compute numbers of their own. The names below load
on first use, so that ``speerpunt.report.fmt`` (used by the screening's reasons) does not pull in matplotlib.
"""

from __future__ import annotations

import importlib

_EXPORTS = {
    "write_report": "api",
    "render": "api",
    "build_report_data": "build",
    "key_figures": "keyfigures",
    "format_key_figures": "keyfigures",
    "default_periods": "keyfigures",
    "Column": "model",
    "ReportData": "model",
    "ReportTable": "model",
    "Section": "model",
    "SECTION_PROVIDERS": "sections",
    "ReportContext": "sections",
    "register_section": "sections",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> object:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'speerpunt.report' has no attribute '{name}'")
    return getattr(importlib.import_module(f"speerpunt.report.{_EXPORTS[name]}"), name)
