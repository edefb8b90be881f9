"""``speerpunt registry …``: the policy registry from the command line (thin over speerpunt.registry)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from speerpunt.cli.common import OutOpt, emit
from speerpunt.errors import RegistryError, Text

if TYPE_CHECKING:  # the registry stack (SQLAlchemy, alembic) loads when a registry command runs
    import pandas as pd

    from speerpunt.registry import doubt
    from speerpunt.registry.store import Registry

registry_app = typer.Typer(
    name="registry",
    help="Policy registry: actors, their spearhead choices, map features, assessments (docs/registry.md).",
    no_args_is_help=True,
)

DbOpt = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: $SPEERPUNT_DB, else a SQLite file in the user data folder).",
    ),
]
FmtOpt = Annotated[str, typer.Option("--format", "-f", help="table, csv, json or yaml.")]
GeoFmtOpt = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, json, yaml or geojson.")
]
KindOpt = Annotated[
    str,
    typer.Option(
        "--kind",
        "-k",
        help="actors, selections, features, documents, sectors, criteria, clusters, assessments, "
        "cluster_stages, instruments, projects, recommendations, survey or policy_domains.",
    ),
]
AllOpt = Annotated[
    bool,
    typer.Option(
        "--all",
        help="All actors and document generations, not only the "
        "study's 20 sub-regional actors in 2007-2013 + update.",
    ),
]


AmbOpt = Annotated[
    str,
    typer.Option(
        "--ambiguous",
        help="include or exclude the ambiguous table cells; rows resting on one are marked either "
        "way and both counts are printed on stderr.",
    ),
]


def _doubtful(result: doubt.Doubtful, fmt: str, out: Path | None) -> None:
    """Render a marked result and print both counts on stderr (stdout stays a clean table/file)."""
    render(result.frame, fmt, out)
    typer.echo(result.line(), err=True)


def open_registry(db: str | None) -> Registry:
    """The registry at ``db``; a one-line error if it has not been initialised."""
    from speerpunt.registry.store import Registry

    reg = Registry(db)
    if reg.count("actors") == 0:
        reg.close()
        raise RegistryError(
            Text("cli_registry_empty", url=reg.url),
            column="--db",
        )
    return reg


def _flat(df: pd.DataFrame) -> pd.DataFrame:
    """List cells joined with '|' for table and CSV output."""
    out = df.copy()
    for col in out.columns:
        if out[col].map(lambda v: isinstance(v, list)).any():
            out[col] = out[col].map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
    return out


def render(df: pd.DataFrame, fmt: str = "table", out: Path | None = None) -> None:
    """Print or write a result in table, csv, json, yaml or (for features) geojson."""
    import yaml

    from speerpunt.registry.records import to_geojson, to_plain

    if fmt in ("yaml", "geojson"):
        records = [
            {k: to_plain(None if _missing(v) else v) for k, v in r.items()}
            for r in df.to_dict("records")
        ]
        if fmt == "geojson":
            if "kind" not in df.columns:
                raise RegistryError(Text("cli_geojson_features"), column="--format")
            text = json.dumps(to_geojson(records), ensure_ascii=False, indent=1) + "\n"
        else:
            text = yaml.safe_dump(records, allow_unicode=True, sort_keys=False)
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
        return
    emit(_flat(df) if fmt in ("table", "csv") else df, fmt, out)


def _missing(value: object) -> bool:
    import pandas as pd

    return not isinstance(value, (list, dict, str)) and pd.isna(value)


def _show(df: pd.DataFrame, fmt: str, out: Path | None, table_columns: list[str]) -> None:
    """Render ``df``; the terminal table shows only ``table_columns``, files get every field."""
    render(df[table_columns] if fmt == "table" else df, fmt, out)


def _study(reg: Registry, everything: bool) -> pd.DataFrame:
    from speerpunt.registry import analyses as an

    sel = reg.selections()
    return sel if everything else an.study_selections(sel)


@registry_app.command("init")
def init(
    db: DbOpt = None,
    load: Annotated[
        bool, typer.Option("--load/--no-load", help="Load the curated dataset.")
    ] = True,
) -> None:
    """Create or upgrade the schema and load the curated dataset.

    Example: speerpunt registry init --db sqlite:///registry.sqlite
    """
    from speerpunt.registry.store import Registry, init_db

    url = init_db(db)
    with Registry(url) as reg:
        counts = reg.load_curated() if load else {}
    typer.echo(f"registry ready at {url}" + "".join(f"; {n} {k}" for k, n in counts.items()))


@registry_app.command("import")
def import_(
    file: Annotated[Path, typer.Argument(help="CSV, JSON, YAML or GeoJSON file.")],
    kind: KindOpt,
    db: DbOpt = None,
    user: Annotated[str, typer.Option("--user", help="Name recorded in the history.")] = "import",
) -> None:
    """Insert or update records from a file, all or nothing.

    Example: speerpunt registry import --kind selections new.csv
    """
    with open_registry(db) as reg:
        n = reg.import_records(kind, file, user=user)
    typer.echo(f"imported {n} {kind}")


@registry_app.command("export")
def export(
    kind: KindOpt,
    fmt: Annotated[str, typer.Option("--format", "-f", help="csv, json, yaml or geojson.")] = "csv",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Write every record of a kind (import reads the same files back).

    Example: speerpunt registry export --kind features --format geojson --out features.geojson
    """
    with open_registry(db) as reg:
        text = reg.export(kind, fmt, out)
    if out is None:
        sys.stdout.write(text)


@registry_app.command("actors")
def actors(
    type_: Annotated[str | None, typer.Option("--type", help="province, RESOC, city, …")] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """List the actors with their territory (NUTS3 codes) and aliases.

    Example: speerpunt registry actors --type RESOC
    """
    with open_registry(db) as reg:
        df = reg.actors(type_)
    _show(df, fmt, out, ["id", "type", "name", "province", "territory", "aliases"])


@registry_app.command("selections")
def selections(
    actor: Annotated[str | None, typer.Option("--actor", help="Actor id, name or alias.")] = None,
    sector: Annotated[
        str | None, typer.Option("--sector", help="Canonical sector or a label.")
    ] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Who prioritises what: spearhead selections with their label as written and provenance.

    Example: speerpunt registry selections --actor "RESOC Turnhout"
    """
    with open_registry(db) as reg:
        df = reg.selections(actor=actor, sector=sector)
    _show(
        df,
        fmt,
        out,
        ["actor", "label", "sector", "status", "generation", "ambiguous", "doc", "line"],
    )


@registry_app.command("features")
def features(
    sector: Annotated[
        str | None, typer.Option("--sector", help="Canonical sector or a label.")
    ] = None,
    actor: Annotated[str | None, typer.Option("--actor", help="Actor id, name or alias.")] = None,
    province: Annotated[str | None, typer.Option("--province", help="Province map.")] = None,
    fmt: GeoFmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Points, zones and connections on the maps, with source and year.

    Example: speerpunt registry features --sector logistics --actor "RESOC Kempen" --format csv
    """
    with open_registry(db) as reg:
        df = reg.features(sector=sector, actor=actor, province=province)
    _show(
        df,
        fmt,
        out,
        ["province", "sector", "kind", "subtype", "name", "source", "year", "precision"],
    )


@registry_app.command("matrix")
def matrix(
    everything: AllOpt = False,
    ambiguous: AmbOpt = "include",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Actor × sector matrix (1 = the actor chose the sector).

    Example: speerpunt registry matrix --format csv --ambiguous exclude
    """
    from speerpunt.registry import analyses as an
    from speerpunt.registry import doubt

    with open_registry(db) as reg:
        sel = _study(reg, everything)
        rows = (
            None if everything else list(reg.actors().query("type in ['province', 'RESOC']")["id"])
        )
    doubt.check_mode(ambiguous)
    inc = an.actor_sector_matrix(sel, actors=rows)
    exc = an.actor_sector_matrix(doubt.certain(sel), actors=rows, sectors=list(inc.columns[1:]))
    render(inc if ambiguous == "include" else exc, fmt, out)
    n_inc, n_exc = int(inc.iloc[:, 1:].to_numpy().sum()), int(exc.iloc[:, 1:].to_numpy().sum())
    typer.echo(
        f"actor × sector choices: {n_inc} with ambiguous cells included, {n_exc} with them excluded",
        err=True,
    )


@registry_app.command("overview")
def overview(
    min_actors: Annotated[int, typer.Option("--min-actors", help="Least number of actors.")] = 10,
    min_provinces: Annotated[
        int, typer.Option("--min-provinces", help="Least number of provinces.")
    ] = 4,
    everything: AllOpt = False,
    ambiguous: AmbOpt = "include",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Sectors that deserve a Flanders-wide overview map, compared with the study's four.

    Example: speerpunt registry overview --min-actors 10 --min-provinces 4 --ambiguous exclude
    """
    from speerpunt.registry import doubt

    with open_registry(db) as reg:
        sel = _study(reg, everything)
    result = doubt.overview(
        sel, ambiguous=ambiguous, min_actors=min_actors, min_provinces=min_provinces
    )
    _doubtful(result, fmt, out)


@registry_app.command("overlap")
def overlap(
    by: Annotated[str, typer.Option("--by", help="actor or province.")] = "actor",
    everything: AllOpt = False,
    ambiguous: AmbOpt = "include",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Jaccard overlap of the spearhead sets of every pair of actors or provinces.

    Example: speerpunt registry overlap --by province
    """
    from speerpunt.registry import doubt

    with open_registry(db) as reg:
        sel = _study(reg, everything)
    _doubtful(doubt.overlap(sel, by, ambiguous=ambiguous), fmt, out)


@registry_app.command("changes")
def changes(
    old: Annotated[
        str, typer.Option("--old", help="Comma-separated generations.")
    ] = "streekpact-2007,actualisatie-2013",
    new: Annotated[
        str, typer.Option("--new", help="Comma-separated generations.")
    ] = "synthese-2014",
    ambiguous: AmbOpt = "include",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Sectors added and dropped per actor between document generations.

    Example: speerpunt registry changes --old streekpact-2007 --new actualisatie-2013,streekpact-2007
    """
    from speerpunt.registry import doubt

    with open_registry(db) as reg:
        sel = reg.selections()
    _doubtful(doubt.changes(sel, old.split(","), new.split(","), ambiguous=ambiguous), fmt, out)


@registry_app.command("coherence")
def coherence(
    data: Annotated[
        str, typer.Option("--data", "-d", help="Panel file or embedded dataset.")
    ] = "be-employment",
    start: Annotated[int, typer.Option("--start", help="First year.")] = 2008,
    end: Annotated[int, typer.Option("--end", help="Last year.")] = 2018,
    variable: Annotated[str, typer.Option("--variable", "-v", help="Variable.")] = "employment",
    reference: Annotated[str, typer.Option("--reference", help="Reference region.")] = "BE",
    everything: AllOpt = False,
    ambiguous: AmbOpt = "include",
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """LQ, growth and shift-share behind each spearhead, flagged where the numbers do not support it.

    Example: speerpunt registry coherence --data be-employment --start 2008 --end 2018
    """
    from speerpunt.cli.common import load_data
    from speerpunt.registry import doubt

    panel = load_data(data)
    with open_registry(db) as reg:
        sel = _study(reg, everything)
        result = doubt.coherence(
            sel,
            reg.actors(),
            reg.records("sectors"),
            panel,
            ambiguous=ambiguous,
            variable=variable,
            start=start,
            end=end,
            reference=reference,
        )
    df = result.frame
    if fmt == "table":
        df = df.drop(columns=["note", "territory", "label", "ambiguity"]).round(3)
    render(df, fmt, out)
    typer.echo(result.line(), err=True)


@registry_app.command("scorecard")
def scorecard(
    actor: Annotated[
        list[str] | None,
        typer.Option("--actor", help="Actor id, name or alias (repeat to compare actors)."),
    ] = None,
    view: Annotated[
        str,
        typer.Option(
            "--view",
            help="criteria (every criterion with code, quote and line), totals (per group) or "
            "compare (criterion × actor, or × generation with one --actor).",
        ),
    ] = "criteria",
    chart: Annotated[
        Path | None, typer.Option("--chart", help="Also write the chart (SVG) to this file.")
    ] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Assessment scorecards: actors × the 22 criteria (content / analysis / implementation).

    Example: speerpunt registry scorecard --actor "RESOC Leuven" --actor "RESOC Kempen" --view totals
    """
    from speerpunt.registry import scorecard as sc

    views = ("criteria", "totals", "compare")
    if view not in views:
        raise RegistryError(
            Text("cli_unknown_view", view=view, choices=", ".join(views)), column="--view"
        )
    with open_registry(db) as reg:
        ids = [reg.actor_id(a) for a in actor] if actor else None
        card = sc.scorecard(
            reg.records("assessments"), reg.records("criteria"), ids, reg.records("documents")
        )
        names = reg.actors().set_index("id")["name"].to_dict()
    if chart is not None:
        from speerpunt.registry.sections import scorecard_chart

        chart.write_text(scorecard_chart(card, names=names).svg(), encoding="utf-8")
    if view == "totals":
        df = sc.totals(card)
    elif view == "compare":
        df = sc.compare(card, by="generation" if ids and len(ids) == 1 else "actor")
    else:
        df = card if fmt != "table" else card.drop(columns=["quote", "criterion_nl"])
    render(df, fmt, out)


@registry_app.command("sector")
def sector(
    name: Annotated[
        str, typer.Argument(help="Canonical sector id, English/Dutch name or a label.")
    ],
    part: Annotated[
        str,
        typer.Option(
            "--part",
            help="all, or one part: statistics, agreement, choices, benchmark, others, features, "
            "instruments, projects, clusters, domains or recommendations.",
        ),
    ] = "all",
    data: Annotated[
        str, typer.Option("--data", "-d", help="Panel file or embedded dataset for the statistics.")
    ] = "be-employment",
    reference: Annotated[str, typer.Option("--reference", help="Reference region.")] = "BE",
    everything: AllOpt = False,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """A sector's policy page: statistics and screening verdict, who chooses it since when, map
    features, instruments, projects, clusters, recommendations, and where choices and numbers disagree.

    Example: speerpunt registry sector logistics --part agreement --format csv
    """
    import yaml

    from speerpunt.cli.common import load_data
    from speerpunt.registry.records import to_plain
    from speerpunt.registry.sector_policy import PARTS, sector_policy

    if part != "all" and part not in PARTS:
        raise RegistryError(
            Text("cli_unknown_part", part=part, choices=", ".join(PARTS)), column="--part"
        )
    if part == "all" and fmt in ("csv", "geojson"):
        raise RegistryError(Text("cli_csv_one_part"), column="--part")
    panel = load_data(data)
    with open_registry(db) as reg:
        page = sector_policy(reg, name, panel=panel, reference=reference, everything=everything)
    if part != "all":
        render(getattr(page, part), fmt, out)
        return
    if fmt in ("json", "yaml"):
        doc = {"sector": page.sector, "notes": page.notes}
        for p in PARTS:
            frame = getattr(page, p)
            doc[p] = [
                {k: to_plain(None if _missing(v) else v) for k, v in r.items()}
                for r in frame.to_dict("records")
            ]
        text = (
            json.dumps(doc, ensure_ascii=False, indent=1, default=str)
            if fmt == "json"
            else yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
        ) + ("\n" if fmt == "json" else "")
        if out is None:
            sys.stdout.write(text)
        else:
            out.write_text(text, encoding="utf-8")
        return
    typer.echo(f"{page.sector['en']} ({page.sector['id']}) — " + "; ".join(page.notes))
    for p in PARTS:
        typer.echo(f"\n== {p} ==")
        frame = getattr(page, p)
        if frame.empty:
            typer.echo("(none)")
        else:
            render(frame.drop(columns=[c for c in ("reason", "note", "remark") if c in frame]), fmt)


@registry_app.command("recommendations")
def recommendations(
    sector: Annotated[
        str | None, typer.Option("--sector", help="Canonical sector or a label.")
    ] = None,
    status: Annotated[
        str | None, typer.Option("--status", help="proposed, planned, ongoing, done or dropped.")
    ] = None,
    years: Annotated[
        str | None,
        typer.Option(
            "--years", help="Comma-separated years: the status at the end of each (follow-up)."
        ),
    ] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Recommendations per sector and building block with owner, status and date; --years follows
    their status year by year from the history.

    Example: speerpunt registry recommendations --sector logistics --years 2014,2020,2025
    """
    from speerpunt.registry.followup import status_by_year

    with open_registry(db) as reg:
        df = reg.records("recommendations")
        if sector:
            df = df[df["sector"] == reg.sector_id(sector)]
        if status:
            df = df[df["status"] == status]
        if years:
            try:
                wanted = [int(y) for y in years.split(",")]
            except ValueError:
                raise RegistryError(Text("cli_not_years", years=years), column="--years") from None
            hist = reg.history("recommendations")
            df = (
                status_by_year(hist[hist["record_id"].isin(df["id"])], wanted)
                .merge(
                    df[["id", "sector", "building_block"]], left_on="recommendation", right_on="id"
                )
                .drop(columns="id")
            )
    if fmt == "table" and not years:
        df = df[["id", "sector", "building_block", "owner", "status", "date", "doc", "line"]]
    render(df, fmt, out)


@registry_app.command("history")
def history(
    kind: Annotated[str | None, typer.Option("--kind", "-k", help="Only this kind.")] = None,
    record_id: Annotated[str | None, typer.Option("--id", help="Only this record.")] = None,
    fmt: FmtOpt = "table",
    out: OutOpt = None,
    db: DbOpt = None,
) -> None:
    """Who changed what and when, with the record before and after.

    Example: speerpunt registry history --kind selections --id 001-1615-resoc-kempen-logistics
    """
    with open_registry(db) as reg:
        df = reg.history(kind, record_id)
    df["at"] = df["at"].map(lambda t: t.isoformat() if hasattr(t, "isoformat") else t)
    if fmt == "table":
        df = df.drop(columns=["before", "after"])
    render(df, fmt, out)


def _add_map_command() -> None:
    """``registry map``: added by ``speerpunt.registry.maps.register_cli`` (the maps engineer's hook)."""
    if any(c.name == "map" for c in registry_app.registered_commands):
        return
    # What ``speerpunt.registry.maps.register_cli`` does, without importing the map engine (matplotlib,
    # the registry stack) when the CLI starts: the command imports it when it runs.
    if (Path(__file__).parent.parent / "registry" / "maps.py").exists():
        from speerpunt.cli.maps import registry_map

        registry_app.command("map")(registry_map)


def register(app: typer.Typer) -> None:
    """Add the ``registry`` sub-app (with ``map`` when the maps module provides it)."""
    _add_map_command()
    app.add_typer(registry_app, name="registry")
