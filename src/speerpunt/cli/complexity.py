"""Relatedness, complexity and similar-region commands: complexity, density, similar, benchmark, entry-exit."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import (
    DataOpt,
    EncodingOpt,
    FormatOpt,
    OutOpt,
    RegionOpt,
    SectorsOpt,
    VariableOpt,
    emit,
    run_measure,
)
from speerpunt.cli.core import EndOpt, StartOpt, YearOpt

ThresholdOpt = Annotated[
    float, typer.Option("--threshold", help="M = 1 where RCA ≥ this (default 1).")
]
ConventionOpt = Annotated[
    str,
    typer.Option(
        "--convention",
        help="Growth Lab convention to reproduce: stata (default) or py-ecomplexity.",
    ),
]
LevelOpt = Annotated[
    str | None,
    typer.Option(
        "--level",
        help="NUTS level of the regions compared (0–3) or 'all' "
        "(default: the region's own level, or the level most regions have).",
    ),
]
FullOpt = Annotated[bool, typer.Option("--full", help="Print every column (notes included).")]
BENCHMARK = "BE21,DE60,NL41,BE31,SE22+DK01"


def _level(spec: str | None) -> int | str | None:
    return int(spec) if spec is not None and spec.isdigit() else spec


def complexity(
    data: DataOpt = "be-employment",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    what: Annotated[
        str, typer.Option("--what", help="regions (ECI) or sectors (PCI).")
    ] = "regions",
    sectors: SectorsOpt = None,
    threshold: ThresholdOpt = 1.0,
    convention: ConventionOpt = "stata",
    level: LevelOpt = None,
    full: FullOpt = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Economic complexity of regions (ECI) or of sectors (PCI), eigenvector method.

    Example: speerpunt complexity --data be-employment --year 2018 --variable employment --what regions
    """
    from speerpunt.errors import SpeerpuntError, Text
    from speerpunt.measures.complexity import complexity as compute

    if what not in ("regions", "sectors"):
        raise SpeerpuntError(Text("cli_what", what=what), column="--what")
    res = run_measure(
        compute,
        data,
        variable=variable,
        year=year,
        sectors=sectors,
        level=_level(level),
        threshold=threshold,
        convention=convention,
        encoding=encoding,
    )
    table = res.regions if what == "regions" else res.sectors
    short = ["region", "diversity", "eci"] if what == "regions" else ["sector", "ubiquity", "pci"]
    emit(table if full else table[short], fmt, out)


def density(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    sectors: SectorsOpt = None,
    threshold: ThresholdOpt = 1.0,
    convention: ConventionOpt = "stata",
    level: LevelOpt = None,
    chart: Annotated[
        Path | None,
        typer.Option("--chart", help="Also draw the S3 diversification chart (.svg or .png)."),
    ] = None,
    lang: Annotated[str, typer.Option("--lang", help="Chart language: en or nl.")] = "en",
    full: FullOpt = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Relatedness density and complexity of every sector for one region (the S3 chart's data).

    Example: speerpunt density --data be-employment --region BE21 --year 2018 --chart s3-BE21.svg
    """
    from speerpunt.measures.complexity import diversification

    res = run_measure(
        diversification,
        data,
        variable=variable,
        year=year,
        region=region,
        sectors=sectors,
        level=_level(level),
        threshold=threshold,
        convention=convention,
        encoding=encoding,
    )
    if chart is not None:
        from speerpunt.report.diversification_chart import diversification_chart

        diversification_chart(res, lang=lang, path=chart)
    emit(res if full else res[["sector", "rca", "density", "pci"]], fmt, out)


def similar(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    top: Annotated[int, typer.Option("--top", help="How many regions to list.")] = 10,
    method: Annotated[
        str, typer.Option("--method", help="cosine (default), krugman or euclidean-loglq.")
    ] = "cosine",
    with_size: Annotated[
        bool, typer.Option("--with-size", help="Also compare the regions' size.")
    ] = False,
    sectors: SectorsOpt = None,
    level: LevelOpt = None,
    full: FullOpt = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Regions with the most similar sector structure ("spiegelregio's"), explained by sector.

    Example: speerpunt similar --data be-employment --region BE21 --year 2018 --top 5 --method krugman
    """
    from speerpunt.measures.similarity import similar_regions

    res = run_measure(
        similar_regions,
        data,
        region=region,
        year=year,
        variable=variable,
        method=method,
        with_size=with_size,
        top=top,
        level=_level(level),
        sectors=sectors,
        encoding=encoding,
    )
    emit(res if full else res[["rank", "region", "score", "top_sectors", "note"]], fmt, out)


def benchmark(
    data: DataOpt = "eu-employment",
    regions: Annotated[
        str,
        typer.Option(
            "--regions", help="Comma-separated codes; A+B sums regions (SE22+DK01 ≈ Öresund)."
        ),
    ] = BENCHMARK,
    variable: VariableOpt = "employment",
    year: YearOpt = 2017,
    start: Annotated[int | None, typer.Option("--start", help="First year of the growth.")] = None,
    reference: Annotated[
        str,
        typer.Option(
            "--reference", help="LQ reference: auto (EU if present), group, country or a code."
        ),
    ] = "auto",
    sectors: SectorsOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Shares, location quotients and growth of benchmark regions side by side.

    The default regions are the study's benchmarks: Antwerp (BE21), Hamburg (DE60), Noord-Brabant (NL41),
    Walloon Brabant (BE31) and Öresund ≈ Skåne + Hovedstaden (SE22+DK01); the default year is the last
    one with sector detail for all of them in eu-employment.

    Example: speerpunt benchmark --data eu-employment --regions BE21,DE60,NL41,BE31,SE22+DK01 --year 2018
    """
    from speerpunt.measures.similarity import benchmark_table

    codes = [r.strip() for r in regions.split(",") if r.strip()]
    res = run_measure(
        benchmark_table,
        data,
        codes,
        year,
        variable,
        start=start,
        reference=reference,
        sectors=sectors,
        encoding=encoding,
    )
    if res.attrs.get("note"):
        typer.echo(f"note: {res.attrs['note']}", err=True)
    emit(res, fmt, out)


def entry_exit(
    data: DataOpt = "be-employment",
    variable: VariableOpt = "employment",
    start: StartOpt = 2008,
    end: EndOpt = 2018,
    region: Annotated[str | None, typer.Option("--region", "-r", help="Only this region.")] = None,
    every: Annotated[
        bool, typer.Option("--all", help="Also list kept and absent specialisations.")
    ] = False,
    sectors: SectorsOpt = None,
    threshold: ThresholdOpt = 1.0,
    level: LevelOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
) -> None:
    """Specialisations gained (entry, M 0→1) and lost (exit, M 1→0) between two years.

    Example: speerpunt entry-exit --data be-employment --start 2008 --end 2018 --region BE21
    """
    from speerpunt.measures.relatedness import entry_exit as compute

    res = run_measure(
        compute,
        data,
        variable=variable,
        start=start,
        end=end,
        region=region,
        sectors=sectors,
        level=_level(level),
        threshold=threshold,
        encoding=encoding,
    )
    if not every:
        res = res[res["change"].isin(["entry", "exit"])]
    emit(res.reset_index(drop=True), fmt, out)


def register(app: typer.Typer) -> None:
    app.command("complexity")(complexity)
    app.command("density")(density)
    app.command("similar")(similar)
    app.command("benchmark")(benchmark)
    app.command("entry-exit")(entry_exit)
