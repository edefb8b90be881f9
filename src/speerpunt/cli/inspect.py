"""``speerpunt inspect FILE``: what the reader finds in a file, before anything is computed.

Registered last: its ``register`` also gives every command with ``--data`` the shared reading options
(:func:`speerpunt.cli.common.add_read_options`).
"""

from __future__ import annotations

import json
from typing import Annotated

import typer

from speerpunt.cli.common import (
    AllowPartsOpt,
    DecimalOpt,
    EncodingOpt,
    MemberOpt,
    ReadVariableOpt,
    SheetOpt,
    ThousandsOpt,
    add_read_options,
    read_options,
)


def inspect_command(
    file: Annotated[
        str, typer.Argument(help="A file (CSV, TXT, XLSX, Parquet, Eurostat TSV) or dataset.")
    ],
    variable: ReadVariableOpt = None,
    sheet: SheetOpt = None,
    member: MemberOpt = None,
    decimal: DecimalOpt = None,
    thousands: ThousandsOpt = None,
    allow_parts_exceed_total: AllowPartsOpt = False,
    encoding: EncodingOpt = "utf-8",
    fmt: Annotated[str, typer.Option("--format", "-f", help="text or json.")] = "text",
) -> None:
    """What a file holds and how it will be read: format, encoding, separator, number conventions,
    header mapping, skipped lines, regions, sectors, years, variables, flags, totals, aggregates,
    suppressed-looking zeros and every warning. Errors are the reader's one-line errors (exit 2).

    Example: speerpunt inspect ../shared/data/reat/G.regions.emp.csv --variable emp
    """
    from speerpunt.errors import SpeerpuntError, Text
    from speerpunt.io import inspect_file

    if fmt not in ("text", "json"):
        raise SpeerpuntError(
            Text("cli_unknown_format", fmt=fmt, choices="text, json"), column="--format"
        )
    options = read_options(
        variable=variable,
        sheet=sheet,
        member=member,
        decimal=decimal,
        thousands=thousands,
        allow_parts_exceed_total=allow_parts_exceed_total,
        encoding=encoding,
    )
    summary = inspect_file(file, **options)
    if fmt == "json":
        typer.echo(json.dumps(summary.to_dict(), indent=1, ensure_ascii=False))
    else:
        from speerpunt.cli.lang import cli_lang
        from speerpunt.i18n.reading import reading_text

        typer.echo(reading_text(summary, cli_lang()))


def register(app: typer.Typer) -> None:
    app.command("inspect")(inspect_command)
    add_read_options(app)
