"""Sector and territory commands: sectors, territories, demography, benchmark-study."""

from __future__ import annotations

from typing import Annotated

import typer

from speerpunt.cli.common import (
    DataOpt,
    FormatOpt,
    OutOpt,
    ReferenceOpt,
    SectorsOpt,
    TerritoriesOpt,
    emit,
    load_data,
    load_selection,
)
from speerpunt.errors import SpeerpuntError, Text

LangOpt = Annotated[str, typer.Option("--lang", "-l", help="Language of the labels: nl or en.")]


def sectors(
    set_name: Annotated[
        str | None, typer.Option("--set", help="Only this named set, e.g. antwerp-2013.")
    ] = None,
    lang: LangOpt = "nl",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """List the policy sectors (one vocabulary for statistics, screening, reports and the registry):
    name, label, NACE codes, named sets, the registry sectors that point to it, assumption and source.

    Example: speerpunt sectors --set antwerp-2013-spearheads --lang en
    """
    from speerpunt.classify.vocabulary import named_sets, sectors_table

    if lang not in ("nl", "en"):
        raise SpeerpuntError(Text("cli_unknown_lang", lang=lang), column="--lang")
    table = sectors_table(lang)
    if set_name is not None:
        sets = named_sets()
        if set_name not in sets:
            raise SpeerpuntError(
                Text("cli_unknown_set", name=set_name, sets=", ".join(sets)), column="--set"
            )
        order = {n: i for i, n in enumerate(sets[set_name]["sectors"])}
        table = table[table["name"].isin(order)].sort_values("name", key=lambda s: s.map(order))
    emit(table.reset_index(drop=True), fmt, out)


def territories(
    territory_file: TerritoriesOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """List the named territories usable as --region or --reference (RESOC areas and provinces of the
    registry, plus a YAML file of your own).

    Example: speerpunt territories
    """
    from speerpunt.classify.territories import territories as table

    emit(table(territory_file), fmt, out)


def demography(
    data: DataOpt = "be-enterprises-2019",
    region: Annotated[
        str,
        typer.Option(
            "--region", "-r", help="Region(s), comma-separated: codes, unions, named territories."
        ),
    ] = "BE21",
    reference: ReferenceOpt = "country",
    sectors_spec: SectorsOpt = None,
    territory_file: TerritoriesOpt = None,
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Business demography: enterprise stock, starts, stops, start and stop rates by region × sector, and
    the rates against the reference.

    Example: speerpunt demography --region "RESOC Westhoek" --sectors antwerp-2013
    """
    from speerpunt.screening.demography import business_demography

    regions = [r.strip() for r in region.split(",") if r.strip()]
    sel = load_selection(
        data,
        regions=regions,
        reference=reference,
        sectors=sectors_spec,
        territories=territory_file,
    )
    emit(
        business_demography(
            sel.panel, regions=sel.regions, sectors=sel.sectors, reference=sel.reference
        ),
        fmt,
        out,
    )


def benchmark_study(
    data: DataOpt = "eu-sbs-2014",
    regions: Annotated[
        str,
        typer.Option(
            "--regions",
            help="Comma-separated regions; A+B is a union (default: the study's benchmarks).",
        ),
    ] = "BE21,DE60,BE31,NL41,DK01+SE22",
    year: Annotated[int, typer.Option("--year", "-y", help="Year, e.g. 2014.")] = 2014,
    sectors_spec: SectorsOpt = None,
    view: Annotated[
        str, typer.Option("--view", help="structure (share and LQ per sector) or economy (GDP).")
    ] = "structure",
    gdp: Annotated[str, typer.Option("--gdp", help="GDP dataset.")] = "gdp-regions",
    employment: Annotated[
        str, typer.Option("--employment", help="Total employment for GDP per person employed.")
    ] = "eu-employment",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """The study's benchmark regions side by side: the sector structure (share, LQ against each region's
    own country; Öresund = Hovedstaden DK01 + Sydsverige SE22 against Denmark + Sweden), or GDP, GDP per
    inhabitant and GDP per person employed.

    Example: speerpunt benchmark-study --data eu-sbs-2014 --sectors antwerp-2013-spearheads
    Example: speerpunt benchmark-study --view economy --year 2014
    """
    from speerpunt.screening.benchmark import benchmark_economy, benchmark_structure

    codes = [r.strip() for r in regions.split(",") if r.strip()]
    if view == "economy":
        emit(benchmark_economy(load_data(gdp), load_data(employment), codes, year), fmt, out)
    elif view == "structure":
        emit(benchmark_structure(load_data(data), codes, year=year, sectors=sectors_spec), fmt, out)
    else:
        raise SpeerpuntError(
            Text("cli_unknown_view", view=view, choices=Text("cli_or", a="structure", b="economy")),
            column="--view",
        )


def register(app: typer.Typer) -> None:
    app.command("sectors")(sectors)
    app.command("territories")(territories)
    app.command("demography")(demography)
    app.command("benchmark-study")(benchmark_study)
