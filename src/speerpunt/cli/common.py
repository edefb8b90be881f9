"""Shared plumbing for the thin CLI: options, data loading, output rendering, error handling."""

from __future__ import annotations

import functools
import inspect
import json
import sys
from collections.abc import Callable
from contextvars import ContextVar
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, get_type_hints

import typer

from speerpunt.errors import SpeerpuntError, Text

if TYPE_CHECKING:  # pandas is loaded when a command runs, not when the CLI starts
    import pandas as pd

FORMATS = ("table", "csv", "json", "xlsx", "parquet")

DataOpt = Annotated[
    str,
    typer.Option(
        "--data",
        "-d",
        help="A file (CSV, XLSX, Parquet, Eurostat TSV) or an embedded dataset name.",
    ),
]
REGION_HELP = (
    "Region: a code (BE21), a union (BE252+BE253+BE258), a named territory (resoc:westhoek, "
    "'RESOC Westhoek') or municipalities' NIS codes joined by + (Statbel data)."
)
RegionOpt = Annotated[str, typer.Option("--region", "-r", help=REGION_HELP)]
ReferenceOpt = Annotated[
    str,
    typer.Option(
        "--reference",
        help="Reference region: 'country' (default, the region's NUTS0), any region code, union or "
        "named territory, or 'rest:CODE' for the rest of CODE without the region.",
    ),
]
TerritoriesOpt = Annotated[
    Path | None,
    typer.Option(
        "--territories", help="YAML of named territories (name: [codes]) besides the registry's."
    ),
]
VariableOpt = Annotated[str, typer.Option("--variable", "-v", help="Variable, e.g. employment.")]
FormatOpt = Annotated[
    str, typer.Option("--format", "-f", help="table, csv, json, xlsx or parquet.")
]
OutOpt = Annotated[
    Path | None, typer.Option("--out", "-o", help="Write to this file instead of stdout.")
]
SectorsOpt = Annotated[
    str | None,
    typer.Option(
        "--sectors",
        help="A sector scheme (a10), codes (C,F), policy sectors (bouw), a named set (antwerp-2013), "
        "a YAML file of policy sectors, or definitions name=NACE,NACE;name2=… (e.g. "
        "chem=C20,C21;log=G46,H49-H53). Built from the finest NACE level in the data; see "
        "'speerpunt sectors'.",
    ),
]


EncodingOpt = Annotated[
    str,
    typer.Option(
        "--encoding", help="Text encoding of CSV/TSV input, e.g. latin-1 (default utf-8)."
    ),
]


SheetOpt = Annotated[
    str | None,
    typer.Option("--sheet", help="XLSX sheet: its name or 0-based index (default: the first)."),
]
MemberOpt = Annotated[
    str | None,
    typer.Option(
        "--member", help="The file to read inside a .zip holding several (or use data.zip:member)."
    ),
]
DecimalOpt = Annotated[
    str | None,
    typer.Option(
        "--decimal",
        help="Decimal separator of the file's numbers ('.' or ','), when it is ambiguous.",
    ),
]
ThousandsOpt = Annotated[
    str | None,
    typer.Option(
        "--thousands",
        help="Thousands separator of the file's numbers: '.', ',', space, apostrophe or none.",
    ),
]
AllowPartsOpt = Annotated[
    bool,
    typer.Option(
        "--allow-parts-exceed-total",
        help="Read a file whose sectors add up to more than its TOTAL (normally refused).",
    ),
]
ReadVariableOpt = Annotated[
    str | None,
    typer.Option(
        "--variable", "-v", help="Variable to read: names the values of a wide file or selects one."
    ),
]
#: The reading options every command with ``--data`` takes (added by :func:`add_read_options`).
READ_OPTIONS: dict[str, tuple[object, object]] = {
    "variable": (ReadVariableOpt, None),
    "encoding": (EncodingOpt, "utf-8"),
    "sheet": (SheetOpt, None),
    "member": (MemberOpt, None),
    "decimal": (DecimalOpt, None),
    "thousands": (ThousandsOpt, None),
    "allow_parts_exceed_total": (AllowPartsOpt, False),
}
_READ: ContextVar[dict[str, Any] | None] = ContextVar("speerpunt_read_options", default=None)


def load_data(
    spec: str,
    *,
    sectors: str | None = None,
    encoding: str = "utf-8",
    check_scheme: bool = True,
    check_overlaps: bool = True,
):
    """Read a panel from a path or an embedded dataset name (errors become one-line messages).

    The reading options of the running command (``--variable``, ``--sheet``, ``--decimal``,
    ``--thousands``, ``--allow-parts-exceed-total``, ``--encoding``) apply. When ``sectors`` names a
    scheme (``a10``, ``nace`` …) the file's sector codes are checked against it (unless
    ``check_scheme=False``); sectors that contain each other are refused unless ``sectors`` chooses
    among them (the measures would sum them).
    """
    from speerpunt.classify.aggregates import is_code_list
    from speerpunt.io.read import read_with_summary

    options = dict(_READ.get() or {})
    if encoding != "utf-8":
        options["encoding"] = encoding
    scheme = (
        sectors
        if check_scheme
        and isinstance(sectors, str)
        and not is_code_list(sectors)
        and sectors != "all"
        else None
    )
    panel, _ = read_with_summary(
        spec, scheme=scheme, sectors=sectors, check_overlaps=check_overlaps, **options
    )
    return panel


def read_options(**given: Any) -> dict[str, Any]:
    """The reader keywords of the command-line values (a list of variables is not a variable name)."""
    options = {k: v for k, v in given.items() if k in READ_OPTIONS and v != READ_OPTIONS[k][1]}
    variable = options.get("variable")
    if variable is not None and ("," in variable or variable in ("both", "all")):
        options.pop("variable")
    return options


def add_read_options(app: typer.Typer) -> None:
    """Give every command of ``app`` (and its groups) that takes ``--data`` the reading options.

    A command that already has ``--variable`` or ``--encoding`` keeps its own, whose value then also
    reaches the reader; the others are added. The values are set for :func:`load_data` while the command
    runs, so the command modules need not pass them on.
    """
    for info in app.registered_commands:
        if info.callback is not None and not getattr(info.callback, "_read_options", False):
            params = inspect.signature(info.callback).parameters
            if "data" in params:
                info.callback = _with_read_options(info.callback)
    for group in app.registered_groups:
        if group.typer_instance is not None:
            add_read_options(group.typer_instance)


def _with_read_options(command: Callable[..., Any]) -> Callable[..., Any]:
    hints = get_type_hints(command, include_extras=True)
    sig = inspect.signature(command)
    params = [
        p.replace(annotation=hints.get(p.name, p.annotation)) for p in sig.parameters.values()
    ]
    own = set(sig.parameters)
    added = [
        inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=ann, default=default)
        for name, (ann, default) in READ_OPTIONS.items()
        if name not in own
    ]

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = {name: kwargs.pop(name) for name in [a.name for a in added] if name in kwargs}
        values.update({k: kwargs[k] for k in READ_OPTIONS if k in kwargs})
        token = _READ.set(read_options(**values))
        try:
            return command(*args, **kwargs)
        finally:
            _READ.reset(token)

    wrapper.__signature__ = sig.replace(parameters=params + added)  # type: ignore[attr-defined]
    wrapper.__annotations__ = {**hints, **{a.name: a.annotation for a in added}}
    del wrapper.__wrapped__  # typer must see the new signature, not the command's
    wrapper._read_options = True  # type: ignore[attr-defined]
    return wrapper


def load_selection(
    data: str,
    *,
    regions: list[str] | None,
    reference: str | None = "country",
    sectors: str | None = None,
    encoding: str = "utf-8",
    territories: Path | None = None,
    keep_sectors: bool = False,
    all_regions: bool = False,
    check_scheme: bool = True,
):
    """Read ``data`` and build the territories and policy sectors asked for (notes go to stderr).

    A scheme in ``sectors`` (``a10`` …) is checked against the file's codes (unless ``check_scheme=False``
    or the data are a detailed embedded dataset); a list of codes chooses among overlapping sectors; policy
    sectors are built from the finest level present, so overlapping raw codes are not refused for them.

    Returns a :class:`speerpunt.classify.selection.Selection`: its ``panel``, ``regions``, ``reference``
    and ``sectors`` are plain codes the measures take as they are.
    """
    from speerpunt.classify import partitions
    from speerpunt.classify.selection import select
    from speerpunt.io.datasets import dataset_entry

    policy = policy_sectors_asked(sectors)
    is_scheme = bool(sectors) and sectors.strip().lower() in partitions()
    # detailed embedded data: a scheme's codes are built from the finest level, not checked
    checked = check_scheme and is_scheme and not dataset_entry(data).get("reader")
    panel = load_data(
        data,
        sectors=None if policy else sectors,
        encoding=encoding,
        check_scheme=checked,
        check_overlaps=not policy,
    )
    sel = select(
        panel,
        regions=regions,
        reference=reference,
        sectors=sectors,
        territory_file=territories,
        keep_sectors=keep_sectors,
        all_regions=all_regions,
    )
    if isinstance(sel.sectors, str):
        sel.sectors = parse_sectors(sel.sectors)
    for note in sel.notes:
        typer.echo(f"note: {note}", err=True)
    if sel.overlapping:
        pairs = ", ".join(f"{a}/{b}" for a, b in sel.overlapping)
        typer.echo(f"note: the policy sectors overlap ({pairs}); never add them up", err=True)
    return sel


def parse_sectors(spec: str | None) -> str | list[str] | None:
    """``'a10'`` stays a scheme name; ``'A,C,F'`` (or ``'"Chemie, pharma",C'``) becomes a list."""
    from speerpunt.classify.aggregates import is_code_list, split_codes

    if spec is None:
        return None
    return split_codes(spec) if is_code_list(spec) else spec


def run_measure(
    measure: Callable[..., Any],
    data: str,
    /,
    *args: Any,
    sectors: str | None = None,
    encoding: str = "utf-8",
    check_scheme: bool = True,
    **kwargs: Any,
) -> Any:
    """Read ``data`` and call ``measure(panel, *args, sectors=…, **kwargs)`` with ``--sectors`` parsed.

    Territories in ``region``/``regions`` and a territory ``reference`` are built as new regions, and
    policy sectors in ``sectors`` as new sectors (see :func:`load_selection`); ``check_scheme=False``
    reads the data without checking its sector codes against a scheme.
    """
    region, regions = kwargs.get("region"), kwargs.get("regions")
    specs = list(regions) if regions else None
    if specs is None and isinstance(region, str) and region.lower() != "all":
        specs = [region]
    ref = kwargs.get("reference")
    ref_ok = isinstance(ref, str) and ref.lower() not in ("auto", "group")
    sel = load_selection(
        data,
        regions=specs,
        reference=ref if ref_ok else "country",
        sectors=sectors,
        encoding=encoding,
        all_regions=True,
        check_scheme=check_scheme,
    )
    if regions:
        kwargs["regions"] = sel.regions
    elif specs is not None:
        kwargs["region"] = sel.regions[0]
    if ref_ok:
        kwargs["reference"] = sel.reference
    chosen = sel.sectors if policy_sectors_asked(sectors) or isinstance(sel.sectors, list) else None
    return measure(sel.panel, *args, sectors=chosen or parse_sectors(sectors), **kwargs)


def policy_sectors_asked(spec: str | None) -> bool:
    """True when ``--sectors`` names policy sectors (a set, names, a YAML file or name=NACE)."""
    from speerpunt.classify.vocabulary import policy_spec

    return policy_spec(spec) is not None


def emit(df: pd.DataFrame, fmt: str = "table", out: Path | None = None) -> None:
    """Render a result table to stdout or a file in the chosen format."""
    if fmt not in FORMATS:
        raise SpeerpuntError(
            Text("cli_unknown_format", fmt=fmt, choices=", ".join(FORMATS)), column="--format"
        )
    if fmt in ("xlsx", "parquet") and out is None:
        raise SpeerpuntError(Text("cli_format_needs_out", fmt=fmt), column="--out")
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "table":
        text = df.to_string(index=False, na_rep="NA")
    elif fmt == "csv":
        from speerpunt.io.safe import to_safe_csv

        text = to_safe_csv(df)
    elif fmt == "json":
        text = json.dumps(
            json.loads(df.to_json(orient="records", force_ascii=False)),
            indent=1,
            ensure_ascii=False,
        )
    elif fmt == "xlsx":
        from speerpunt.io import write_xlsx

        write_xlsx(df, out)
        return
    else:
        df.to_parquet(out, index=False)
        return
    if out is None:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")
    else:
        out.write_text(text if text.endswith("\n") else text + "\n", encoding="utf-8")


def fail(message: str, code: int = 2) -> None:
    """Print one line to stderr and exit non-zero, no traceback."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)
