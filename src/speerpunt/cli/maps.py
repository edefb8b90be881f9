"""``speerpunt map …``: project maps per province × sector, Flanders overviews, choropleths."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import DataOpt, ReferenceOpt, VariableOpt, load_data
from speerpunt.errors import ConfigError, DataError, Text

GeoDirOpt = Annotated[
    Path | None,
    typer.Option(
        "--geo-dir",
        help="Folder with belgium.json, REFNIS_2019.csv and the NUTS "
        "GeoJSON files (default: $SPEERPUNT_GEO_DIR).",
    ),
]
MapOutOpt = Annotated[Path, typer.Option("--out", "-o", help="FILE.svg, FILE.png or FILE.geojson.")]
SectorOpt = Annotated[str, typer.Option("--sector", "-s", help="Registry sector, e.g. logistics.")]
LangOpt = Annotated[str, typer.Option("--lang", help="nl or en.")]
BasemapOpt = Annotated[
    str | None,
    typer.Option("--basemap", help="municipality or arrondissement (light background)."),
]
DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Registry database URL: map its features instead of the curated "
        "dataset shipped with the package.",
    ),
]
LEVEL_LENGTH = {"arrondissement": 5, "province": 4, "nuts0": 2, "nuts1": 3, "nuts2": 4, "nuts3": 5}
MEASURES = ("lq", "share", "value")

map_app = typer.Typer(
    help="Maps without network: projects per province × sector, overviews, choropleths.",
    no_args_is_help=True,
)


def _features(db: str | None, registry: bool):
    """The features and sector choices to map: the registry's (``--db``, or the default registry for
    ``registry map``), else the curated dataset shipped with the package (loaded into memory, so that
    the choices resting on ambiguous cells can be marked either way)."""
    from speerpunt.registry.sections import report_registry
    from speerpunt.registry.store import Registry

    if db is not None or registry:
        reg = Registry(db)
        try:
            if reg.count("features") > 0:
                return reg.features(), reg.selections()
            if db is not None:
                raise DataError(
                    Text("cli_no_map_features", url=reg.url),
                    column="--db",
                )
            typer.echo("note: the registry is empty; mapping the curated dataset", err=True)
        finally:
            reg.close()
    with report_registry() as curated:
        return curated.features(), curated.selections()


def _render(
    out: Path,
    sector: str,
    province: str | None,
    db: str | None,
    registry: bool,
    geo_dir: Path | None,
    lang: str,
    basemap: str | None,
) -> None:
    """Render one project map (``province`` ``None`` = the Flanders overview) and print its path."""
    from speerpunt.registry.maps import render_map

    features, selections = _features(db, registry)
    typer.echo(
        render_map(
            out,
            sector=sector,
            province=province,
            features=features,
            geo_dir=geo_dir,
            lang=lang,
            basemap=basemap,
            selections=selections,
        )
    )


def projects(
    province: Annotated[
        str, typer.Option("--province", "-p", help="Flemish province, e.g. Antwerpen.")
    ],
    sector: SectorOpt,
    out: MapOutOpt,
    geo_dir: GeoDirOpt = None,
    lang: LangOpt = "nl",
    basemap: BasemapOpt = None,
    db: DbOpt = None,
) -> None:
    """Points, zones and connections of one province × sector, with the Table 10 legend.

    Example: speerpunt map projects --province Antwerpen --sector logistics --out antwerpen.svg
    --geo-dir ../shared/data/geo/belgium
    """
    _render(out, sector, province, db, False, geo_dir, lang, basemap)


def overview(
    sector: SectorOpt,
    out: MapOutOpt,
    geo_dir: GeoDirOpt = None,
    lang: LangOpt = "nl",
    basemap: BasemapOpt = None,
    db: DbOpt = None,
) -> None:
    """Flanders-wide map of one sector (all five provinces).

    Example: speerpunt map overview --sector care --out zorg.png --geo-dir ../shared/data/geo/belgium
    """
    _render(out, sector, None, db, False, geo_dir, lang, basemap)


def registry_map(
    sector: SectorOpt,
    out: MapOutOpt,
    province: Annotated[
        str | None,
        typer.Option(
            "--province", "-p", help="Flemish province; without it the Flanders overview."
        ),
    ] = None,
    geo_dir: GeoDirOpt = None,
    lang: LangOpt = "nl",
    basemap: BasemapOpt = None,
    db: DbOpt = None,
) -> None:
    """Map the registry's features: one province × sector, or the Flanders overview.

    Example: speerpunt registry map --province Limburg --sector care --out zorg.svg
    --geo-dir ../shared/data/geo/belgium
    """
    _render(out, sector, province, db, True, geo_dir, lang, basemap)


def _measure_values(
    data: str, sector: str, year: int, level: str, measure: str, variable: str, reference: str
):
    from speerpunt.measures import location_quotient

    if measure not in MEASURES:
        raise ConfigError(
            Text("cli_unknown_measure", measure=measure, choices=", ".join(MEASURES)),
            column="--measure",
        )
    panel = load_data(data)
    regions = [
        r
        for r in panel.regions
        if len(r) == LEVEL_LENGTH[level] and r[:2].isalpha() and not r.endswith("ZZ")
    ]
    if not regions:
        raise DataError(Text("cli_no_regions_at_level", level=level), column="--level")
    res = location_quotient(
        panel, variable=variable, year=year, reference=reference, regions=regions, sectors=[sector]
    )
    return res[["region", measure]].rename(columns={measure: "value"})


def choropleth(
    out: MapOutOpt,
    sector: Annotated[str, typer.Option("--sector", "-s", help="Sector code of the data, e.g. C.")],
    data: DataOpt = "be-employment",
    year: Annotated[int, typer.Option("--year", "-y", help="Year, e.g. 2018.")] = 2018,
    level: Annotated[
        str, typer.Option("--level", help="arrondissement, province or nuts0-nuts3.")
    ] = "arrondissement",
    measure: Annotated[
        str, typer.Option("--measure", help="lq (diverging around 1), share or value.")
    ] = "lq",
    variable: VariableOpt = "employment",
    reference: ReferenceOpt = "country",
    vintage: Annotated[
        int, typer.Option("--vintage", help="NUTS version of the data's codes.")
    ] = 2016,
    geo_dir: GeoDirOpt = None,
    lang: LangOpt = "nl",
) -> None:
    """Choropleth of the LQ (or share, value) of one sector over arrondissements or provinces.

    Example: speerpunt map choropleth --data be-employment --sector C --year 2018
    --level arrondissement --out lq_c.svg --geo-dir ../shared/data/geo/belgium
    """
    from speerpunt.geo import resolve_geo_dir
    from speerpunt.report.choropleth import choropleth as draw
    from speerpunt.report.choropleth import save_figure

    if level not in LEVEL_LENGTH:
        raise ConfigError(
            Text("cli_unknown_level", level=level, choices=", ".join(LEVEL_LENGTH)),
            column="--level",
        )
    values = _measure_values(data, sector, year, level, measure, variable, reference)
    label = {"lq": "LQ", "share": "aandeel" if lang == "nl" else "share", "value": variable}[
        measure
    ]
    title = f"{label} {sector} {year}"
    fig = draw(
        values,
        level,
        resolve_geo_dir(geo_dir),
        title=title,
        legend_label=label,
        lang=lang,
        vintage=vintage,
        center=1.0 if measure == "lq" else None,
        source=f"{data} ({variable}, {year})",
    )
    typer.echo(save_figure(fig, out))


def register(app: typer.Typer) -> None:
    map_app.command("projects")(projects)
    map_app.command("overview")(overview)
    map_app.command("choropleth")(choropleth)
    app.add_typer(map_app, name="map")
