"""Firm-level commands: ``speerpunt firms panel|sizeclass|transitions|demography|concentration|reach|check|generate``."""

from __future__ import annotations

from contextlib import contextmanager
from pathlib import Path
from typing import Annotated

import typer

from speerpunt.cli.common import FormatOpt, OutOpt, emit
from speerpunt.errors import SpeerpuntError, Text

firms_app = typer.Typer(
    help="Firm records (KBO/RSZ-style registers) → panels, SME structure and dynamics, instrument reach; "
    "runs on DuckDB or Spark.",
    no_args_is_help=True,
)

RecordsArg = Annotated[
    Path, typer.Argument(help="Firm records: Parquet or CSV, one row per firm and year.")
]
EngineOpt = Annotated[str, typer.Option("--engine", help="duckdb (default) or spark.")]
MasterOpt = Annotated[
    str, typer.Option("--master", help="Spark master: local[2] (default) or a cluster URL.")
]
TerritoryOpt = Annotated[
    str,
    typer.Option(
        "--territory",
        help="municipality, arrondissement, province, region, country, resoc, or unions "
        "'Name=NIS+NIS,Other=NIS'.",
    ),
]
NaceOpt = Annotated[
    str, typer.Option("--nace-level", help="section, division, group, class or subclass.")
]
SectorsOpt = Annotated[
    str | None,
    typer.Option(
        "--sectors", help="'policy' (the spearhead sectors) or 'Name=NACE+NACE,Other=NACE'."
    ),
]
BoundsOpt = Annotated[
    str,
    typer.Option("--bounds", help="Size-class bounds, e.g. 10,50,250 (0-9, 10-49, 50-249, 250+)."),
]
YearOpt = Annotated[int | None, typer.Option("--year", help="One year (default: every year).")]


def _unions(spec: str, what: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for part in spec.split(","):
        name, sep, codes = part.partition("=")
        if not sep or not name.strip() or not codes.strip():
            raise SpeerpuntError(Text("cli_expected_union", part=part), column=f"--{what}")
        out[name.strip()] = [c.strip() for c in codes.split("+") if c.strip()]
    return out


def _territory(spec: str):
    return None if spec == "all" else (_unions(spec, "territory") if "=" in spec else spec)


def _sectors(spec: str | None):
    if spec is None or spec == "policy":
        return spec
    return _unions(spec, "sectors")


def _keys(territory: str, nace_level: str, sectors: str | None) -> dict:
    """The territory / sector keyword arguments every measure takes."""
    return {
        "territory": _territory(territory),
        "nace_level": nace_level,
        "sectors": _sectors(sectors),
    }


def _bounds(spec: str) -> tuple[int, ...]:
    try:
        return tuple(int(x) for x in spec.split(","))
    except ValueError as exc:
        raise SpeerpuntError(Text("cli_bounds", spec=spec), column="--bounds") from exc


@contextmanager
def _working(message: str):
    """A spinner on stderr while the engine works (long scans, Spark start-up)."""
    from rich.console import Console

    with Console(stderr=True).status(message):
        yield


def _load(records: Path, engine: str, master: str, recheck: bool = False):
    from speerpunt.firms.records import load_records

    with _working(f"reading and checking {records.name} on {engine}…"):
        recs = load_records(records, engine=engine, master=master, recheck=recheck)
    r = recs.report
    typer.echo(
        f"note: {r.rows:,} firm-years of {r.firms:,} firms, {r.first_year}–{r.last_year}; "
        f"{r.region_moves:,} firms moved region and {r.sector_moves:,} moved sector "
        "(each year counts where the firm was)" + "".join(f"; {n}" for n in r.notes),
        err=True,
    )
    return recs


def _run(records: Path, engine: str, master: str, message: str, fn, *args, **kwargs):
    """Load and check ``records``, then ``fn(records, *args, **kwargs)`` under a spinner."""
    recs = _load(records, engine, master)
    with _working(message):
        return fn(recs, *args, **kwargs)


def check(
    records: RecordsArg,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Validate firm records and report what was counted (moves between regions and sectors).

    Always runs every check; other commands skip them on a file that passed and has not changed since.

    Example: speerpunt firms check firms.parquet
    """
    emit(_load(records, engine, master, recheck=True).report.to_frame(), fmt, out)


def panel(
    records: RecordsArg,
    territory: TerritoryOpt = "arrondissement",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    min_firms: Annotated[
        int, typer.Option("--min-firms", help="Confidential below this many firms.")
    ] = 3,
    dominance: Annotated[
        float,
        typer.Option("--dominance", help="Confidential when one firm holds more than this share."),
    ] = 0.85,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "csv",
    out: OutOpt = None,
) -> None:
    """Employees and firms by area × sector × year, confidential cells blanked with flag c.

    Example: speerpunt firms panel firms.parquet --territory resoc --nace-level division -o panel.csv
    """
    from speerpunt.firms.expressions import Confidentiality
    from speerpunt.firms.panels import firm_panel

    p = _run(
        records,
        engine,
        master,
        "aggregating…",
        firm_panel,
        **_keys(territory, nace_level, sectors),
        confidentiality=Confidentiality(min_firms, dominance),
    )
    emit(p.data, fmt, out)


def sizeclass(
    records: RecordsArg,
    year: YearOpt = None,
    territory: TerritoryOpt = "all",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    bounds: BoundsOpt = "10,50,250",
    sme_share: Annotated[
        bool, typer.Option("--sme-share", help="The SME share per cell instead.")
    ] = False,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Firms and employment by size class (or the SME share) per year, area and sector.

    Example: speerpunt firms sizeclass firms.parquet --year 2019 --nace-level section --sme-share
    """
    from speerpunt.firms.sizeclass import size_class_table
    from speerpunt.firms.sizeclass import sme_share as sme

    fn = sme if sme_share else size_class_table
    keys = _keys(territory, nace_level, sectors)
    res = _run(records, engine, master, "counting…", fn, year=year, **keys, bounds=_bounds(bounds))
    emit(res, fmt, out)


def transitions(
    records: RecordsArg,
    start: Annotated[int, typer.Option("--start", help="First year.")],
    end: Annotated[int, typer.Option("--end", help="Second year.")],
    by: Annotated[str | None, typer.Option("--by", help="sector or region (at the start).")] = None,
    sme_only: Annotated[
        bool, typer.Option("--sme-only", help="Only firms below the last bound.")
    ] = False,
    matrix: Annotated[
        bool, typer.Option("--matrix", help="The full class × class matrix.")
    ] = False,
    territory: TerritoryOpt = "province",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    bounds: BoundsOpt = "10,50,250",
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Stayed / grew / shrank / exited by initial size class between two years (or the matrix).

    Example: speerpunt firms transitions firms.parquet --start 2005 --end 2011 --sme-only
    """
    from speerpunt.firms.transitions import transition_matrix, transition_summary

    fn = transition_matrix if matrix else transition_summary
    res = _run(
        records,
        engine,
        master,
        "matching the two years…",
        fn,
        start,
        end,
        by=by,
        **_keys(territory, nace_level, sectors),
        bounds=_bounds(bounds),
        sme_only=sme_only,
    )
    emit(res, fmt, out)


def demography(
    records: Annotated[
        Path | None, typer.Argument(help="Firm records (omit with --statbel).")
    ] = None,
    statbel: Annotated[
        Path | None, typer.Option("--statbel", help="Statbel's TF_VAT_NACE_SQ_<year>.zip instead.")
    ] = None,
    survival: Annotated[
        bool, typer.Option("--survival", help="Survival at 1/3/5 years per cohort.")
    ] = False,
    territory: TerritoryOpt = "all",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Births, deaths and their rates (or survival) from firm records, or starts/stops from Statbel.

    Example: speerpunt firms demography --statbel TF_VAT_NACE_SQ_2019.zip --territory resoc --sectors policy
    """
    # The package re-exports the functions under the modules' names: import them, not the modules.
    from speerpunt.firms.demography import demography as births_deaths
    from speerpunt.firms.demography import survival as survival_fn

    if (records is None) == (statbel is None):
        raise SpeerpuntError(Text("cli_records_or_statbel"), column="--statbel")
    keys = _keys(territory, nace_level, sectors)
    if statbel is not None:
        from speerpunt.firms.statbel import statbel_demography

        with _working(f"loading {statbel.name} into DuckDB…"):
            res = statbel_demography(statbel, **keys)
    else:
        fn = survival_fn if survival else births_deaths
        res = _run(records, engine, master, "counting births and deaths…", fn, **keys)
    emit(res, fmt, out)


def concentration(
    records: RecordsArg,
    year: YearOpt = None,
    productivity: Annotated[
        bool, typer.Option("--productivity", help="Value added per employee instead.")
    ] = False,
    territory: TerritoryOpt = "all",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Top-20 % share of employment and Herfindahl per cell (or value added per employee).

    Example: speerpunt firms concentration firms.parquet --year 2019 --nace-level section
    """
    from speerpunt.firms.concentration import concentration as concentration_fn
    from speerpunt.firms.concentration import productivity as productivity_fn

    fn = productivity_fn if productivity else concentration_fn
    keys = _keys(territory, nace_level, sectors)
    res = _run(records, engine, master, "measuring…", fn, year=year, **keys)
    emit(res, fmt, out)


def reach(
    records: RecordsArg,
    support: Annotated[
        Path, typer.Option("--support", help="Support records: firm_id, instrument, year, amount.")
    ],
    by_sector: Annotated[bool, typer.Option("--by-sector", help="Split per sector.")] = False,
    effect: Annotated[
        str | None, typer.Option("--effect", help="Difference-in-differences for this instrument.")
    ] = None,
    horizon: Annotated[
        int, typer.Option("--horizon", help="Years after support for --effect.")
    ] = 2,
    territory: TerritoryOpt = "province",
    nace_level: NaceOpt = "division",
    sectors: SectorsOpt = None,
    engine: EngineOpt = "duckdb",
    master: MasterOpt = "local[2]",
    fmt: FormatOpt = "table",
    out: OutOpt = None,
) -> None:
    """Reach of support instruments (unique firms, employees, sectors, amounts) or their effect.

    Example: speerpunt firms reach firms.parquet --support support.csv --by-sector --sectors policy
    """
    recs = _load(records, engine, master)
    if effect is not None:
        from speerpunt.firms.effectiveness import effectiveness

        res = effectiveness(
            recs,
            support,
            effect,
            horizon=horizon,
            territory=_territory(territory),
            nace_level=nace_level,
        )
        for caveat in res.attrs["caveats"]:
            typer.echo(f"caveat: {caveat}", err=True)
    else:
        from speerpunt.firms.reach import reach as reach_fn

        res = reach_fn(
            recs,
            support,
            by_sector=by_sector,
            **_keys(territory, nace_level, sectors),
        )
    emit(res, fmt, out)


def generate(
    out: Annotated[Path, typer.Argument(help="Parquet file to write.")],
    firm_years: Annotated[
        int, typer.Option("--firm-years", help="About this many records.")
    ] = 100_000,
    years: Annotated[
        str, typer.Option("--years", help="First and last year, e.g. 2010-2019.")
    ] = "2010-2019",
    seed: Annotated[
        int, typer.Option("--seed", help="Random seed (same seed, same register).")
    ] = 0,
) -> None:
    """Write a deterministic synthetic firm register (Belgian municipalities and NACE-BEL codes).

    Example: speerpunt firms generate firms.parquet --firm-years 1000000 --years 2010-2019
    """
    from speerpunt.firms.synthetic import write_register

    first, _, last = years.partition("-")
    if not (first.isdigit() and last.isdigit()):
        raise SpeerpuntError(Text("cli_years_range", years=years), column="--years")
    with _working(f"writing {out.name}…"):
        write_register(out, firm_years, years=(int(first), int(last)), seed=seed)
    typer.echo(str(out))


def register(app: typer.Typer) -> None:
    for fn in (check, panel, sizeclass, transitions, demography, concentration, reach, generate):
        firms_app.command(fn.__name__)(fn)
    app.add_typer(firms_app, name="firms")
