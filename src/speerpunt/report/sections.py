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

from markupsafe import escape

from speerpunt.errors import SpeerpuntError
from speerpunt.panel import Panel
from speerpunt.report.charts import Chart
from speerpunt.report.i18n import region_name, sector_code, sector_name, t
from speerpunt.report.model import Column, ReportTable, Section
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


def _unavailable(key: str, title: str, exc: SpeerpuntError) -> Section:
    return Section(key, title, paragraphs=[escape(exc.one_line())])


def _variable(ctx: ReportContext) -> str:
    return ctx.metrics.variables[0]


@register_section
def specialisation_section(ctx: ReportContext) -> Section | None:
    """Specialisation and diversity indices of the region (Krugman, Hoover, Gini, entropy, variety …)."""
    if not has_module("speerpunt.measures.specialisation"):
        return None
    from speerpunt.measures.specialisation import specialisation

    title = {
        "nl": "Specialisatie- en diversiteitsindices",
        "en": "Specialisation and diversity indices",
    }
    try:
        res = specialisation(
            ctx.panel,
            region=ctx.region,
            variable=_variable(ctx),
            year=ctx.metrics.year,
            reference=ctx.reference,
            sectors=ctx.metrics.sectors,
        )
    except SpeerpuntError as exc:
        return _unavailable("specialisation", title[ctx.lang], exc)
    table = ReportTable(
        "specialisation",
        title[ctx.lang],
        [
            Column("measure", t("measure", ctx.lang)),
            Column("value", t("value", ctx.lang), "index", 3),
        ],
        res[["measure", "value"]],
        notes=[n for n in res["note"] if n],
    )
    return Section("specialisation", title[ctx.lang], tables=[table])


@register_section
def similar_regions_section(ctx: ReportContext) -> Section | None:
    """The regions whose sector structure is closest to the region's (cosine similarity)."""
    if not has_module("speerpunt.measures.similarity"):
        return None
    from speerpunt.measures.similarity import similar_regions

    title = {"nl": "Vergelijkbare regio's", "en": "Similar regions"}
    try:
        res = similar_regions(
            ctx.panel,
            region=ctx.region,
            year=ctx.metrics.year,
            variable=_variable(ctx),
            top=5,
            sectors=ctx.metrics.sectors,
        )
    except SpeerpuntError as exc:
        return _unavailable("similar", title[ctx.lang], exc)
    res = res.assign(name=res["region"].map(lambda r: region_name(r, ctx.lang)))
    table = ReportTable(
        "similar",
        title[ctx.lang],
        [
            Column("rank", t("rank", ctx.lang), "int"),
            Column("region", t("code", ctx.lang)),
            Column("name", t("region", ctx.lang)),
            Column("score", t("score", ctx.lang), "index", 3),
            Column("top_sectors", t("sector", ctx.lang)),
        ],
        res[["rank", "region", "name", "score", "top_sectors"]],
        notes=[n for n in res["note"] if n],
    )
    return Section("similar", title[ctx.lang], tables=[table])


@register_section
def diversification_section(ctx: ReportContext) -> Section | None:
    """The S3 diversification chart (relatedness density × complexity; Balland et al. 2019)."""
    if not (
        has_module("speerpunt.measures.complexity")
        and has_module("speerpunt.report.diversification_chart")
    ):
        return None
    from speerpunt.measures.complexity import diversification
    from speerpunt.report.diversification_chart import diversification_chart

    title = {"nl": "Diversificatiekansen (S3-diagram)", "en": "Diversification options (S3 chart)"}
    try:
        cells = diversification(
            ctx.panel,
            variable=_variable(ctx),
            year=ctx.metrics.year,
            region=ctx.region,
            sectors=ctx.metrics.sectors,
        )
        fig = diversification_chart(cells, lang=ctx.lang)
    except SpeerpuntError as exc:
        return _unavailable("diversification", title[ctx.lang], exc)
    shown = cells.dropna(subset=["density", "pci"])
    best = shown.sort_values(["density", "pci"], ascending=False)["sector"].head(3).tolist()
    alt = (
        f"S3 diversification chart of {ctx.region}: relatedness density (horizontal) against product "
        f"complexity (vertical) for {len(shown)} sectors; bubble size is the level, filled bubbles are "
        f"current specialisations. Highest density: {', '.join(best) or 'none'}."
    )
    table = ReportTable(
        "diversification",
        title[ctx.lang],
        [
            Column("sector", t("code", ctx.lang)),
            Column("rca", "RCA", "index"),
            Column("density", "density", "index", 3),
            Column("pci", "PCI", "index"),
            Column("cog", "COG", "index"),
        ],
        cells[["sector", "rca", "density", "pci", "cog"]],
        notes=[n for n in cells["note"] if n],
    )
    return Section(
        "diversification",
        title[ctx.lang],
        tables=[table],
        charts=[Chart("diversification", fig, alt)],
    )


@register_section
def map_section(ctx: ReportContext) -> Section | None:
    """Print maps: the LQ of each candidate sector (at most three) over the regions at the region's NUTS
    level in its country, from the same boundaries as the web maps (the geo folder in ``--geo-dir`` /
    ``SPEERPUNT_GEO_DIR``). Left out when no boundaries are configured or the codes are not NUTS."""
    from speerpunt.geo import resolve_geo_dir
    from speerpunt.measures import location_quotient
    from speerpunt.report.choropleth import choropleth

    level = len(ctx.region) - 2
    if level not in (1, 2, 3) or not ctx.screening.selected:
        return None
    try:
        geo_dir = resolve_geo_dir()
    except SpeerpuntError:
        return None
    peers = [r for r in ctx.panel.regions if len(r) == len(ctx.region) and r[:2] == ctx.region[:2]]
    title = t("maps_title", ctx.lang)
    charts = []
    for sector in ctx.screening.selected[:3]:
        lq = location_quotient(
            ctx.panel,
            variable=_variable(ctx),
            year=ctx.metrics.year,
            reference=ctx.reference,
            regions=peers,
            sectors=[sector],
        )
        name = sector_name(sector, ctx.lang)
        try:
            fig = choropleth(
                lq[["region", "lq"]].rename(columns={"lq": "value"}),
                level=f"nuts{level}",
                geo_dir=geo_dir,
                title=f"{name} ({sector_code(sector)}): LQ {ctx.metrics.year}",
                legend_label="LQ",
                lang=ctx.lang,
                center=1.0,
                within=[ctx.region[:2]],
                source=ctx.panel.meta.source or None,
            )
        except SpeerpuntError as exc:
            return _unavailable("maps", title, exc)
        above = [
            region_name(r, ctx.lang) for r, v in zip(lq["region"], lq["lq"], strict=True) if v > 1
        ]
        alt = t(
            "alt_map",
            ctx.lang,
            sector=name,
            year=ctx.metrics.year,
            above=", ".join(above) or t("alt_none", ctx.lang),
        )
        charts.append(Chart(f"map-{sector}", fig, alt))
    return Section("maps", title, charts=charts)


STUDY_TITLE = {
    "nl": "Screening en de keuze van de studie (Antwerpen 2013)",
    "en": "Screening and the study's choice (Antwerp 2013)",
}
STUDY_WORDS = {
    "nl": {
        "intro": "De studie koos zes speerpuntsectoren (000, r. 1165-1168). Per sector: de keuze van de "
        "studie, het oordeel van de screening en, waar ze verschillen, waarom.",
        "study": "studie",
        "status": "screening",
        "agreement": "overeenkomst",
        "why": "waarom",
        "value": "waarde",
        "threshold": "drempel",
    },
    "en": {
        "intro": "The study chose six spearhead sectors (000, lines 1165-1168). Per sector: the study's "
        "choice, the screening's verdict and, where they differ, why.",
        "study": "study",
        "status": "screening",
        "agreement": "agreement",
        "why": "why",
        "value": "value",
        "threshold": "threshold",
    },
}


@register_section
def study_comparison_section(ctx: ReportContext) -> Section | None:
    """The screening's verdicts beside the Antwerp study's six spearhead sectors
    (:func:`speerpunt.screening.study.compare_with_study`), when the report screens those sectors
    (``--sectors antwerp-2013``); otherwise no section."""
    from speerpunt.screening.study import compare_with_study, study_choice

    if not set(study_choice()) <= set(ctx.metrics.sectors):
        return None
    w = STUDY_WORDS[ctx.lang]
    flat = ctx.screening.to_frame(ctx.lang)
    res = compare_with_study(flat, ctx.lang)
    evidence = [c for c in flat.columns if c.endswith(("_value", "_threshold"))]
    res[evidence] = flat[evidence].to_numpy()
    res["code"] = res["sector"].map(sector_code)
    res["label"] = res["sector"].map(lambda s: sector_name(s, ctx.lang))
    columns = [
        Column("code", t("code", ctx.lang)),
        Column("label", t("sector", ctx.lang)),
        Column("study", w["study"]),
        Column("status", w["status"]),
        Column("agreement", w["agreement"]),
        *(
            Column(c, f"{c.rsplit('_', 1)[0]}: {w[c.rsplit('_', 1)[1]]}", "index", 3)
            for c in evidence
        ),
        Column("why", w["why"], "longtext"),
    ]
    table = ReportTable("study-comparison", STUDY_TITLE[ctx.lang], columns, res)
    return Section(
        "study-comparison", STUDY_TITLE[ctx.lang], paragraphs=[w["intro"]], tables=[table]
    )
