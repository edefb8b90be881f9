"""Optional report sections: a list of providers, each turning the report context into a section or ``None``.

Add your own with :func:`register_section`. The built-in providers add the advanced measures when their
modules are present: specialisation and diversity indices (:mod:`speerpunt.measures.specialisation`),
the complexity / S3 diversification chart (:mod:`speerpunt.measures.complexity`) and similar regions
(:mod:`speerpunt.measures.similarity`).
"""

from __future__ import annotations

import importlib.util
from collections.abc import Callable
from dataclasses import dataclass

from speerpunt.panel import Panel
from speerpunt.report.model import Section
from speerpunt.screening import ScreeningResult, SectorMetrics


@dataclass
class ReportContext:
    """What a section provider may use: the panel, the report's region, reference, language and results."""

    panel: Panel
    region: str
    reference: str
    lang: str
    metrics: SectorMetrics
    screening: ScreeningResult


Provider = Callable[[ReportContext], Section | None]
SECTION_PROVIDERS: list[Provider] = []


def register_section(provider: Provider) -> Provider:
    """Add ``provider`` to the report's optional sections (usable as a decorator)."""
    if provider not in SECTION_PROVIDERS:
        SECTION_PROVIDERS.append(provider)
    return provider


def has_module(name: str) -> bool:
    """True when the optional module ``name`` is importable (built by another part of the project)."""
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
