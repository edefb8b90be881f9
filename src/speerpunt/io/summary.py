"""What a read found, before anything is computed: :class:`ReadSummary` (``speerpunt inspect``).

The summary lists what was detected (format, encoding, separator, number conventions, header mapping,
skipped title and note lines), what the panel holds (rows, regions, sectors, years, variables, units, flags
by kind), the totals and aggregates found and how they are used, the zeros that look suppressed, and every
warning. ``to_dict()`` is what the web upload and ``--format json`` show and what
``PanelMeta.reading`` keeps; ``to_text()`` is the terminal rendering.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from speerpunt.panel import Panel, describe_flag


@dataclass
class ReadSummary:
    """Everything :func:`speerpunt.io.inspect_file` reports about one file."""

    file: str
    format: str = ""
    encoding: str | None = None
    separator: str | None = None
    sheet: str | None = None
    layout: str = ""
    header_line: int = 1
    header_mapping: dict[str, str] = field(default_factory=dict)
    ignored_columns: list[str] = field(default_factory=list)
    skipped_lines: list[str] = field(default_factory=list)
    numbers: str = ""
    numbers_by_column: dict[str, str] = field(default_factory=dict)
    rows: int = 0
    regions: list[str] = field(default_factory=list)
    sectors: list[str] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    units: dict[str, str] = field(default_factory=dict)
    flags: dict[str, int] = field(default_factory=dict)
    sector_relabels: dict[str, str] = field(default_factory=dict)
    totals: list[str] = field(default_factory=list)
    aggregates: list[str] = field(default_factory=list)
    parts_of_total: str = ""
    suppressed: int = 0
    suppressed_examples: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def describe_panel(self, panel: Panel) -> None:
        """Fill the counts from the panel that was read."""
        d = panel.data
        self.rows = len(panel)
        self.regions = list(panel.regions)
        self.sectors = list(panel.sectors)
        self.years = list(panel.years)
        self.variables = list(panel.variables)
        self.units = dict(panel.meta.units)
        missing = d["value"].isna()
        counts: dict[str, int] = {}
        counts_by_flag = d.loc[(d["flag"] != "") | missing, "flag"].value_counts()
        for flag, n in counts_by_flag[counts_by_flag > 0].items():
            for ch in str(flag) or ":":
                key = describe_flag(ch)
                counts[key] = counts.get(key, 0) + int(n)
        self.flags = dict(sorted(counts.items()))

    def to_dict(self) -> dict:
        """Plain JSON-ready data."""
        return asdict(self)

    def conventions(self) -> dict:
        """The part kept in ``PanelMeta.reading``: how the file was read, not what it holds."""
        keep = (
            "format",
            "encoding",
            "separator",
            "sheet",
            "layout",
            "header_line",
            "header_mapping",
            "ignored_columns",
            "skipped_lines",
            "numbers",
            "numbers_by_column",
            "sector_relabels",
            "totals",
            "aggregates",
            "parts_of_total",
            "suppressed",
            "warnings",
        )
        return {k: v for k, v in self.to_dict().items() if k in keep}

    def to_text(self, lang: str = "en") -> str:
        """A terminal rendering, one fact per line, its labels in ``lang`` (the catalogue's ``read_*``)."""
        from speerpunt.i18n import gettext

        def w(key: str) -> str:
            return gettext(lang, f"read_{key}")

        def codes(values: list, limit: int = 12) -> str:
            sep = "; " if any("," in str(v) for v in values) else ", "
            shown = sep.join(map(str, values[:limit]))
            return f"{len(values)}: {shown}" + (" …" if len(values) > limit else "")

        sep_name = {"\t": "tab", ",": "comma", ";": "semicolon", "|": "pipe"}
        lines = [f"{w('file')}: {self.file}", f"{w('format')}: {self.format}"]
        if self.encoding:
            lines.append(f"{w('encoding')}: {self.encoding}")
        if self.separator:
            lines.append(f"{w('separator')}: {sep_name.get(self.separator, repr(self.separator))}")
        if self.sheet:
            lines.append(f"{w('sheet')}: {self.sheet}")
        lines.append(f"{w('layout')}: {self.layout} ({w('header_on_line')} {self.header_line})")
        if self.header_mapping:
            mapping = ", ".join(f"{col} → {role}" for role, col in self.header_mapping.items())
            lines.append(f"{w('header_mapping')}: {mapping}")
        if self.ignored_columns:
            lines.append(f"{w('columns_not_read')}: {', '.join(self.ignored_columns)}")
        for skipped in self.skipped_lines:
            lines.append(f"{w('skipped')}: {skipped}")
        lines.append(f"{w('numbers')}: {self.numbers or w('no_text_numbers')}")
        for col, how in self.numbers_by_column.items():
            lines.append(f"  {w('column')} {col}: {how}")
        lines += [
            f"{w('rows')}: {self.rows}",
            f"{w('regions')} {codes(self.regions)}",
            f"{w('sectors')} {codes(self.sectors)}",
            f"{w('years')} {codes(self.years)}",
            f"{w('variables')} {codes(self.variables)}",
        ]
        for var, unit in self.units.items():
            lines.append(f"{w('unit_of')} {var}: {unit}")
        if self.flags:
            lines.append(f"{w('flags')}: " + ", ".join(f"{k} {n}" for k, n in self.flags.items()))
        if self.sector_relabels:
            pairs = [f"'{label}' → {code}" for label, code in self.sector_relabels.items()]
            lines.append(f"{w('sector_relabels')}: " + "; ".join(pairs))
        if self.totals:
            lines.append(f"{w('totals')}: {', '.join(self.totals)}")
        for agg in self.aggregates:
            lines.append(f"{w('aggregate')}: {agg}")
        if self.parts_of_total:
            lines.append(f"{w('parts_of_total')}: {self.parts_of_total}")
        if self.suppressed:
            lines.append(
                f"{w('suppressed')}: {self.suppressed}, {w('eg')} "
                + "; ".join(self.suppressed_examples)
            )
        lines += [f"{w('warning')}: {x}" for x in self.warnings]
        return "\n".join(lines)
