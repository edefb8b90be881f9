"""Screening and report commands: screen, keyfigures, matrix, charts, report."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import (
    DataOpt,
    FormatOpt,
    OutOpt,
    ReferenceOpt,
    RegionOpt,
    SectorsOpt,
    TerritoriesOpt,
    emit,
    load_data,
    load_selection,
)
from speerpunt.errors import SpeerpuntError, Text

ConfigOpt = Annotated[
    Path | None,
    typer.Option("--config", "-c", help="Screening YAML (default: the study's three criteria)."),
]
LangOpt = Annotated[str, typer.Option("--lang", "-l", help="Language: nl or en.")]
VariablesOpt = Annotated[
    str,
    typer.Option(
        "--variable", "-v", help="employment, value_added, both, or a comma-separated list."
    ),
]
VIEWS = ("result", "details", "sensitivity", "references", "study")


def _variables(spec: str) -> list[str]:
    if spec == "both":
        return ["employment", "value_added"]
    return [v.strip() for v in spec.split(",") if v.strip()]


def _periods(spec: str | None) -> list[tuple[int, int]] | None:
    """``'2000-2007,2008-2010'`` → ``[(2000, 2007), (2008, 2010)]``."""
    if not spec:
        return None
    out = []
    for part in spec.split(","):
        try:
            a, b = (int(x) for x in part.strip().split("-"))
        except ValueError:
            raise SpeerpuntError(
                Text("cli_period_form", period=part.strip()), column="--periods"
            ) from None
        out.append((a, b))
    return out


def screen(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    config: ConfigOpt = None,
    view: Annotated[str, typer.Option("--view", help=f"One of {', '.join(VIEWS)}.")] = "result",
    lang: Annotated[
        str, typer.Option("--lang", "-l", help="Language of the reasons: en or nl.")
    ] = "en",
    sectors: SectorsOpt = None,
    territories: TerritoriesOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Screen the sectors of a region: status, reason and one column per criterion.

    --view details gives every criterion's value and threshold per variable; sensitivity the stability of
    each sector over the threshold grid; references the status under other reference regions; study the
    verdicts beside the Antwerp study's six spearhead sectors, with why they differ.

    Example: speerpunt screen --data be-employment --region BE21 --reference BE --format csv
    Example: speerpunt screen --data eu-sbs-2014 --region BE21 --reference BE --sectors antwerp-2013
    """
    from dataclasses import replace

    from speerpunt import screening as sc

    if view not in VIEWS:
        raise SpeerpuntError(
            Text("cli_unknown_view_from", view=view, choices=", ".join(VIEWS)), column="--view"
        )
    if lang not in ("en", "nl"):
        raise SpeerpuntError(Text("cli_unknown_lang", lang=lang), column="--lang")
    cfg = sc.load_config(config)
    sel = load_selection(
        data, regions=[region], reference=reference, sectors=sectors, territories=territories
    )
    panel, region, reference = sel.panel, sel.regions[0], sel.reference
    if sectors:
        cfg = replace(cfg, sectors=sel.sectors)
    if view == "references":
        emit(
            sc.reference_sensitivity(panel, region=region, reference=reference, config=cfg),
            fmt,
            out,
        )
        return
    result = sc.screen(panel, region=region, reference=reference, config=cfg)
    if view == "result":
        emit(result.to_frame(lang), fmt, out)
    elif view == "study":
        from speerpunt.screening.study import compare_with_study

        emit(compare_with_study(result.to_frame(lang), lang), fmt, out)
    elif view == "details":
        emit(result.details, fmt, out)
    else:
        emit(sc.threshold_sensitivity(result.metrics, cfg).summary, fmt, out)


def keyfigures(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    sector: Annotated[
        str, typer.Option("--sector", "-s", help="Sector code(s), comma-separated.")
    ] = "B-E",
    lang: LangOpt = "nl",
    variable: VariablesOpt = "both",
    year: Annotated[
        int | None, typer.Option("--year", help="Year of levels and shares (default: last).")
    ] = None,
    periods: Annotated[
        str | None,
        typer.Option(
            "--periods",
            help="Trend periods, e.g. 2000-2007,2008-2010,2000-2010, or per variable: "
            "employment=2000-2007,2008-2010;value_added=2000-2006,2007-2010.",
        ),
    ] = None,
    lq_year: Annotated[
        int | None, typer.Option("--lq-year", help="Year of the specialisation index.")
    ] = None,
    lq_period: Annotated[
        str | None, typer.Option("--lq-period", help="Period of the index trend, e.g. 2000-2007.")
    ] = None,
    sectors: SectorsOpt = None,
    territories: TerritoriesOpt = None,
    composition: Annotated[
        bool, typer.Option("--composition", help="The sector by its NACE codes, largest first.")
    ] = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Key-figure sheet of a sector in the layout of the study's Tabel 5–11 (Dutch or English numbers).

    --sector takes data codes, policy sectors (chemie_life_sciences) or name=NACE,… definitions. Where the
    study printed the figure (Tabel 5–11) a 'published' column stands beside the recomputed one with the
    reason they differ. --periods takes one list for every variable or var=…;var=… per variable.
    --composition lists the sector by its NACE codes instead.

    Example: speerpunt keyfigures --data be-employment --region BE21 --reference BE --sector B-E --lang nl
    Example: speerpunt keyfigures --data eu-sbs-2014 --region BE21 --sector chemie_life_sciences --lang nl
    """
    from speerpunt.classify.vocabulary import policy_spec
    from speerpunt.report.fmt import locale_for
    from speerpunt.report.i18n import region_name
    from speerpunt.report.keyfigures import (
        format_key_figures,
        key_figures,
        sector_composition,
        with_published,
    )

    locale_for(lang)
    spec = sectors or sector
    sel = load_selection(
        data,
        regions=[region],
        reference=reference,
        sectors=spec,
        territories=territories,
        keep_sectors=True,
    )
    panel, code = sel.panel, sel.regions[0]
    chosen = sel.sectors if isinstance(sel.sectors, list) else [sel.sectors]
    variables = _variables(variable)
    if variable == "both" and not set(variables) & set(panel.variables):
        variables = list(panel.variables)
    lqp = _periods(lq_period)
    if composition:
        defs = {s.name: s for s in policy_spec(spec) or []}
        year_c = year or max(panel.years)
        frames = [
            sector_composition(
                panel, region=code, sector=defs[s], variable=variables[0], year=year_c, lang=lang
            )
            for s in chosen
            if s in defs
        ]
        if not frames:
            raise SpeerpuntError(
                Text("cli_composition_policy"),
                column="--composition",
            )
        import pandas as pd  # loaded when the command runs, not when the CLI starts

        emit(pd.concat(frames, ignore_index=True), fmt, out)
        return
    kf = key_figures(
        panel,
        region=code,
        reference=sel.reference,
        sectors=chosen,
        variables=variables,
        year=year,
        periods=_variable_periods(periods),
        lq_year=lq_year,
        lq_period=lqp[0] if lqp else None,
    )
    from speerpunt.measures import resolve_reference

    ref = resolve_reference(panel, code, sel.reference)
    names = {
        "region_name": region_name(code, lang) if code == region else region,
        "reference_name": ref,
    }
    sheet = format_key_figures(kf, lang, **names)
    cols = ["sector", "variable", "label", "text", "note"]
    pub = with_published(
        sheet, kf, lang, source=panel.meta.name or data, nace=_nace_text(spec), **names
    )
    if (pub["published"] != "").any():
        sheet, cols = pub, [*cols, "published", "difference"]
    emit(sheet[cols], fmt, out)


def _variable_periods(spec: str | None):
    """``'2000-2007,2008-2010'`` for every variable, or ``'employment=…;value_added=…'`` per variable."""
    if not spec or "=" not in spec:
        return _periods(spec)
    out = {}
    for part in spec.split(";"):
        name, _, rest = part.partition("=")
        out[name.strip()] = _periods(rest)
    return out


def _nace_text(spec: str) -> str:
    from speerpunt.classify.vocabulary import policy_spec

    defs = policy_spec(spec) or []
    return "; ".join(f"{s.name} = NACE {', '.join(s.nace)}" for s in defs)


def matrix(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    config: ConfigOpt = None,
    x: Annotated[
        str, typer.Option("--x", help="Measure across: lq, share, growth, cagr, …")
    ] = "lq",
    y: Annotated[str, typer.Option("--y", help="Measure down: growth, cagr, lq, …")] = "growth",
    variable: Annotated[
        str, typer.Option("--variable", "-v", help="Variable of both measures.")
    ] = "employment",
    band: Annotated[
        float, typer.Option("--band", help="Band around the centre (0.2 = ±20 %).")
    ] = 0.2,
    centre: Annotated[str, typer.Option("--centre", help="mean, reference or a number.")] = "mean",
    grid: Annotated[
        bool, typer.Option("--grid", help="Print the 3 × 3 grid instead of one row per sector.")
    ] = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Performance matrix (SERV Table 3): strong / average / weak on two measures, ±20 % around the centre.

    Example: speerpunt matrix --data be-employment --region BE21 --reference BE --x lq --y growth --grid
    """
    from speerpunt import screening as sc

    cfg = sc.load_config(config)
    panel = load_data(data)
    metrics = sc.sector_metrics(
        panel,
        region=region,
        reference=reference,
        variables=[variable],
        year=cfg.year,
        start=cfg.start,
        period_length=cfg.period_length,
        sectors=cfg.sectors,
        exclude=cfg.exclude,
    )
    try:
        centre_value: str | float = float(centre)
    except ValueError:
        centre_value = centre
    pm = sc.performance_matrix(metrics, x=x, y=y, variable=variable, band=band, centre=centre_value)
    emit(sc.matrix_grid(pm).reset_index() if grid else pm, fmt, out)


def charts(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    config: ConfigOpt = None,
    lang: LangOpt = "nl",
    variable: VariablesOpt = "employment",
    out: Annotated[
        Path, typer.Option("--out", "-o", help="Folder for the SVG and PNG files.")
    ] = Path("charts"),
) -> None:
    """Write every report chart as SVG and PNG (portfolio, LQ, shift-share, heat-map, time series) with
    their alt texts in alt-text.txt.

    Example: speerpunt charts --data be-employment --region BE21 --reference BE --out out/charts
    """
    from speerpunt import screening as sc
    from speerpunt.report.build import build_report_data

    panel = load_data(data)
    report = build_report_data(
        panel,
        region=region,
        reference=reference,
        lang=lang,
        config=sc.load_config(config),
        variables=_variables(variable),
    )
    try:
        lines = []
        for chart in report.charts():
            for path in chart.save(out):
                typer.echo(str(path))
            lines.append(f"{chart.name}: {chart.alt}")
        (out / "alt-text.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    finally:
        report.close()


def report(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    lang: LangOpt = "nl",
    out: Annotated[
        Path,
        typer.Option(
            "--out",
            "-o",
            help="FILE.html, FILE.pdf, FILE.xlsx, or a folder: speerpunt_<region>_<lang>.html and "
            ".pdf in it.",
        ),
    ] = Path("out"),
    config: ConfigOpt = None,
    variable: VariablesOpt = "employment",
    progress: Annotated[
        bool, typer.Option("--progress/--no-progress", help="Show a progress bar.")
    ] = True,
    sectors: SectorsOpt = None,
    territories: TerritoriesOpt = None,
    firms: Annotated[
        Path | None,
        typer.Option(
            "--firms",
            help="Firm records (Parquet/CSV: firm_id, year, region, nace, employees …): adds the SME "
            "structure and dynamics of the candidate sectors.",
        ),
    ] = None,
    statbel: Annotated[
        bool,
        typer.Option(
            "--statbel",
            help="Add the region's enterprises, starts and stops (Statbel VAT data, 2019) against "
            "Belgium, for all sectors and each spearhead sector.",
        ),
    ] = False,
    registry: Annotated[
        bool,
        typer.Option(
            "--registry/--no-registry",
            help="Add the policy registry (scorecards, sector policy pages); default on.",
        ),
    ] = True,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Registry database URL (default: the curated registry, loaded in memory).",
        ),
    ] = None,
) -> None:
    """Write the complete regional report: profile, structure, LQ, shift-share, screening with evidence and
    sensitivity, portfolio, key figures of the candidates, the policy registry (assessment scorecards and
    sector policy pages of the region's actors; --no-registry leaves it out), methods and data notes.

    Example: speerpunt report --data be-employment --region BE21 --reference BE --lang nl --out out/BE21.pdf
    Example: speerpunt report --data eu-sbs-2014 --region BE21 --sectors antwerp-2013 --out out/sbs.html
    """
    from contextlib import ExitStack
    from dataclasses import replace

    from speerpunt import screening as sc
    from speerpunt.report.api import write_report

    sel = load_selection(
        data, regions=[region], reference=reference, sectors=sectors, territories=territories
    )
    cfg = sc.load_config(config)
    if sectors:
        cfg = replace(cfg, sectors=sel.sectors)
    with ExitStack() as stack:
        from speerpunt.report.sections import SECTION_PROVIDERS

        providers = list(SECTION_PROVIDERS)
        if firms is not None:
            from speerpunt.firms.records import load_records
            from speerpunt.report.firms_section import firms_provider

            providers.append(firms_provider(load_records(firms)))
        if statbel:
            from speerpunt.report.statbel_section import statbel_provider

            providers.append(statbel_provider())
        if registry:
            from speerpunt.registry.sections import registry_provider, report_registry

            reg = stack.enter_context(report_registry(db))
            providers.append(registry_provider(reg))
        path = write_report(
            sel.panel,
            region=sel.regions[0],
            reference=sel.reference,
            lang=lang,
            out=out,
            config=cfg,
            variables=_variables(variable),
            progress=progress,
            providers=providers,
        )
    typer.echo(f"report written to {path}")


def register(app: typer.Typer) -> None:
    app.command("screen")(screen)
    app.command("keyfigures")(keyfigures)
    app.command("matrix")(matrix)
    app.command("charts")(charts)
    app.command("report")(report)
