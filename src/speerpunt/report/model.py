"""What a report is made of: sections with paragraphs, tables of raw values and charts.

A :class:`ReportTable` keeps the library's raw numbers together with how each column is shown (``kind``), so
the HTML, PDF and XLSX renderers format the *same* values and a test can compare every shown number with
the library's result.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import pandas as pd

from speerpunt.report.charts import Chart


@dataclass(frozen=True)
class Column:
    """``key`` in the frame, ``header`` shown, ``kind``: number, percent, index, int, text, longtext,
    keyfigure (the row's own kind) or by_measure (the row's ``measure`` decides, e.g. share → percent)."""

    key: str
    header: str
    kind: str = "text"
    decimals: int | None = None


@dataclass
class ReportTable:
    key: str
    title: str
    columns: list[Column]
    frame: pd.DataFrame
    notes: list[str] = field(default_factory=list)
    source: str = ""


@dataclass
class Section:
    key: str
    title: str
    paragraphs: list[str] = field(default_factory=list)
    tables: list[ReportTable] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    items: list[tuple[str, str]] = field(default_factory=list)
    subsections: list[Section] = field(default_factory=list)


@dataclass
class ReportData:
    """Everything a renderer needs; built by :func:`speerpunt.report.build.build_report_data`."""

    lang: str
    title: str
    subtitle: str
    region: str
    reference: str
    sections: list[Section]
    footer: str = ""
    #: Cover page: ``title``, ``region``, ``period``, ``date``, ``organisation``.
    cover: dict[str, str] = field(default_factory=dict)

    def tables(self) -> list[ReportTable]:
        """Every table in reading order (sub-sections included)."""
        out: list[ReportTable] = []

        def walk(sections: list[Section]) -> None:
            for s in sections:
                out.extend(s.tables)
                walk(s.subsections)

        walk(self.sections)
        return out

    def charts(self) -> list[Chart]:
        out: list[Chart] = []

        def walk(sections: list[Section]) -> None:
            for s in sections:
                out.extend(s.charts)
                walk(s.subsections)

        walk(self.sections)
        return out

    def close(self) -> None:
        for c in self.charts():
            c.close()


#: A provider adds an optional section: it gets the panel and the report context and returns a Section or
#: ``None`` when it has nothing to add (e.g. a module that is not installed).
SectionProvider = Callable[..., "Section | None"]
