"""Core commands: datasets, lq, shiftshare, indicators, run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import (
    DataOpt,
    EncodingOpt,
    FormatOpt,
    OutOpt,
    ReferenceOpt,
    RegionOpt,
    SectorsOpt,
    TerritoriesOpt,
    VariableOpt,
    emit,
    load_selection,
)

YearOpt = Annotated[int, typer.Option("--year", "-y", help="Year, e.g. 2018.")]
StartOpt = Annotated[int, typer.Option("--start", help="First year of the period, e.g. 2008.")]
EndOpt = Annotated[int, typer.Option("--end", help="Last year of the period, e.g. 2018.")]
METHODS = ("dunn", "esteban-marquillas", "arcelus", "dynamic")


def datasets(fmt: FormatOpt = "table", out: OutOpt = None) -> None:
    """List the embedded datasets.

    Example: speerpunt datasets
    """
    from speerpunt.io.datasets import list_datasets

    emit(list_datasets(), fmt, out)


def lq(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    year: YearOpt = 2018,
    sectors: SectorsOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
    territories: TerritoriesOpt = None,
) -> None:
    """Location quotients of one region, one row per sector.

    Example: speerpunt lq --data be-employment --region BE21 --reference BE --year 2018 --format csv
    Example: speerpunt lq --data eu-sbs-2014 --region BE21 --reference BE --year 2014 --sectors antwerp-2013
    Example: speerpunt lq --data be-enterprises-2019 --variable enterprises --year 2019 --region "RESOC Westhoek"
    """
    from speerpunt.measures import location_quotient

    sel = load_selection(
        data,
        regions=[region],
        reference=reference,
        sectors=sectors,
        encoding=encoding,
        territories=territories,
    )
    res = location_quotient(sel.panel, variable=variable, year=year, **sel.kwargs())
    emit(res, fmt, out)


def shiftshare(
    data: DataOpt = "be-employment",
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    start: StartOpt = 2008,
    end: EndOpt = 2018,
    sectors: SectorsOpt = None,
    method: Annotated[str, typer.Option("--method", help=f"One of {', '.join(METHODS)}.")] = "dunn",
    yearly: Annotated[
        bool, typer.Option("--yearly", help="Dynamic method: include the yearly parts.")
    ] = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
    territories: TerritoriesOpt = None,
) -> None:
    """Shift-share decomposition: one row per sector and a TOTAL row with the sums.

    Example: speerpunt shiftshare --data be-employment --region BE21 --reference BE --start 2008 --end 2018
    """
    from speerpunt.errors import SpeerpuntError, Text

    if method not in METHODS:
        raise SpeerpuntError(
            Text("cli_unknown_method", method=method, choices=", ".join(METHODS)),
            column="--method",
        )
    sel = load_selection(
        data,
        regions=[region],
        reference=reference,
        sectors=sectors,
        encoding=encoding,
        territories=territories,
    )
    panel = sel.panel
    kw = dict(
        variable=variable,
        start=start,
        end=end,
        reference=sel.reference,
        regions=sel.regions,
        sectors=sel.sectors,
    )
    if method == "dunn":
        from speerpunt.measures import shift_share

        res = shift_share(panel, **kw)
    else:
        from speerpunt.measures.shift_share_variants import shift_share_variant

        res = shift_share_variant(panel, method=method, yearly=yearly, **kw)
    if sel.overlapping and "sector" in res:
        res = res[res["sector"] != "TOTAL"]  # overlapping policy sectors are never summed
    emit(res, fmt, out)


def indicators(
    data: DataOpt = "be-employment",
    region: Annotated[
        str | None, typer.Option("--region", "-r", help="Region code, e.g. BE21.")
    ] = None,
    reference: ReferenceOpt = "country",
    variable: VariableOpt = "employment",
    start: StartOpt = 2008,
    end: EndOpt = 2018,
    sectors: SectorsOpt = None,
    all_regions: Annotated[
        bool, typer.Option("--all-regions", help="Every region of the data.")
    ] = False,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
    encoding: EncodingOpt = "utf-8",
    territories: TerritoriesOpt = None,
) -> None:
    """The full indicator table: level, share, growth, CAGR, LQ at both years and its trend, shift-share.

    Example: speerpunt indicators --region BE21 --reference BE --start 2008 --end 2018 --format csv
    Example: speerpunt indicators --all-regions --format parquet --out out/indicators.parquet
    """
    from speerpunt.errors import SpeerpuntError, Text
    from speerpunt.measures import indicators as compute

    if not all_regions and region is None:
        raise SpeerpuntError(Text("cli_region_or_all"), column="--region")
    sel = load_selection(
        data,
        regions=None if all_regions else [region],
        reference=reference,
        sectors=sectors,
        encoding=encoding,
        territories=territories,
    )
    panel, reference = sel.panel, sel.reference
    regions = sel.regions
    if all_regions:
        regions = panel.regions
        if reference == "country":
            have = set(regions)
            skipped = [r for r in regions if r[:2] not in have]
            regions = [r for r in regions if r[:2] in have]
            if skipped:
                typer.echo(
                    f"note: no country total in the data for {', '.join(skipped)}; left out",
                    err=True,
                )
    res = compute(
        panel,
        variable=variable,
        start=start,
        end=end,
        reference=reference,
        regions=regions,
        sectors=sel.sectors,
    )
    emit(res, fmt, out)


def run(
    out: Annotated[Path, typer.Option("--out", "-o", help="Output folder.")] = Path("out"),
    region: RegionOpt = "BE21",
    reference: ReferenceOpt = "BE",
    start: StartOpt = 2008,
    end: EndOpt = 2018,
) -> None:
    """The main job on the embedded data: indicator table (and the Dutch report) for Provincie Antwerpen.

    Example: speerpunt run --out out
    """
    from speerpunt.cli.jobs import main_job

    main_job(out=out, region=region, reference=reference, start=start, end=end)


def register(app: typer.Typer) -> None:
    app.command("datasets")(datasets)
    app.command("lq")(lq)
    app.command("shiftshare")(shiftshare)
    app.command("indicators")(indicators)
    app.command("run")(run)
