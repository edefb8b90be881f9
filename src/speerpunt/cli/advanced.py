"""Advanced-measure commands: specialisation, concentration, lq-ci, lq-variants."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from speerpunt.cli.common import (
    DataOpt,
    FormatOpt,
    OutOpt,
    ReferenceOpt,
    RegionOpt,
    SectorsOpt,
    VariableOpt,
    emit,
    load_selection,
    run_measure,
)
from speerpunt.cli.core import YearOpt

if TYPE_CHECKING:  # pandas is loaded when a command runs, not when the CLI starts
    import pandas as pd

RegionsOpt = Annotated[
    str | None,
    typer.Option(
        "--regions", help="Comma-separated region codes (default: all, or the deepest NUTS level)."
    ),
]
HalfOpt = Annotated[
    bool, typer.Option("--half", help="Krugman as ½Σ|s−s_R| (0–1) instead of Σ (0–2).")
]


def _regions(spec: str | None) -> list[str] | None:
    return None if spec is None else [r.strip() for r in spec.split(",") if r.strip()]


def _emit_table(
    measure: Callable[..., pd.DataFrame],
    data: str,
    regions: str | None,
    sectors: str | None,
    fmt: str,
    out: Path | None,
    **kwargs: Any,
) -> None:
    """Run a table-valued measure over the comma-separated ``regions`` and emit its result."""
    res = run_measure(
        measure, data, regions=_regions(regions), sectors=sectors, check_scheme=False, **kwargs
    )
    emit(res, fmt, out)


def specialisation(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    sectors: SectorsOpt = None,
    half: HalfOpt = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Specialisation and diversity of one region: columns measure,value (Krugman, Hoover, Gini, Herfindahl,
    entropy, Theil, related/unrelated variety, RDI). --region all gives one row per region.

    Example: speerpunt specialisation --data be-employment --region BE21 --reference BE --year 2018
    """
    from speerpunt.errors import SpeerpuntError, Text
    from speerpunt.measures.specialisation import specialisation as one_region
    from speerpunt.measures.specialisation import specialisation_table

    sel = load_selection(
        data,
        regions=None if region.lower() == "all" else [region],
        reference=reference,
        sectors=sectors,
        all_regions=True,
    )
    if sel.overlapping:
        raise SpeerpuntError(
            Text(
                "cli_overlapping_sectors",
                pairs=", ".join(f"{a}/{b}" for a, b in sel.overlapping),
            ),
            column="--sectors",
        )
    panel, reference = sel.panel, sel.reference
    if region.lower() == "all":
        emit(
            specialisation_table(
                panel,
                variable=variable,
                year=year,
                reference=reference,
                sectors=sel.sectors,
                half=half,
            ),
            fmt,
            out,
        )
        return
    res = one_region(
        panel,
        region=sel.regions[0],
        reference=reference,
        variable=variable,
        year=year,
        sectors=sel.sectors,
        half=half,
    )
    for note in res["note"][res["note"] != ""]:
        typer.echo(f"note: {note}", err=True)
    emit(res[["measure", "value"]], fmt, out)


def concentration(
    data: DataOpt = "be-employment",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    regions: RegionsOpt = None,
    sectors: SectorsOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Geographic concentration of each sector across regions: locational Gini, Hoover, Krugman, Herfindahl.

    Example: speerpunt concentration --data be-employment --year 2018 --regions BE21,BE22,BE23,BE24,BE25
    """
    from speerpunt.measures.concentration import concentration as run

    _emit_table(run, data, regions, sectors, fmt, out, variable=variable, year=year)


def lq_ci(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    sectors: SectorsOpt = None,
    level: Annotated[float, typer.Option("--level", help="Confidence level, e.g. 0.95.")] = 0.95,
    method: Annotated[str, typer.Option("--method", help="delta or fieller.")] = "delta",
    scale: Annotated[
        float,
        typer.Option("--scale", help="Multiplier to counts, e.g. 1000 for thousands of persons."),
    ] = 1.0,
    min_count: Annotated[
        float,
        typer.Option("--min-count", help="Flag cells with fewer counts than this (after --scale)."),
    ] = 20.0,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Confidence intervals of location quotients (Beyene & Moineddin 2005) with a small-cell flag.

    Example: speerpunt lq-ci --data be-employment --region BE21 --year 2018 --scale 1000 --method fieller
    """
    from speerpunt.measures.lq_variants import lq_confidence

    _emit_table(
        lq_confidence,
        data,
        region,
        sectors,
        fmt,
        out,
        variable=variable,
        year=year,
        reference=reference,
        level=level,
        method=method,
        scale=scale,
        min_count=min_count,
    )


def lq_variants(
    data: DataOpt = "be-employment",
    regions: RegionsOpt = None,
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    sectors: SectorsOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """LQ, rest-of-reference LQ, log LQ and the LQ standardised per sector across the regions.

    Example: speerpunt lq-variants --data be-employment --regions BE21,BE22,BE23,BE24,BE25 --year 2018
    """
    from speerpunt.measures.lq_variants import lq_variants as run

    _emit_table(
        run, data, regions, sectors, fmt, out, variable=variable, year=year, reference=reference
    )


def register(app: typer.Typer) -> None:
    """Add the advanced-measure commands to ``app``."""
    app.command("specialisation")(specialisation)
    app.command("concentration")(concentration)
    app.command("lq-ci")(lq_ci)
    app.command("lq-variants")(lq_variants)
