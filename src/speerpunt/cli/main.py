"""The ``speerpunt`` command. Each family of commands lives in its own module with ``register(app)``."""

from __future__ import annotations

import importlib
import sys

import typer

from speerpunt.errors import SpeerpuntError

app = typer.Typer(
    name="speerpunt",
    help="Regional smart-specialisation analysis: location quotients, shift-share, screening, reports, registry.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command modules, each with a ``register(app)`` function. Add a line here when a family lands.
MODULES = [
    "speerpunt.cli.web",
    "speerpunt.cli.core",
    "speerpunt.cli.screening",
    "speerpunt.cli.advanced",
    "speerpunt.cli.complexity",
    "speerpunt.cli.registry",
    "speerpunt.cli.maps",
]


def _register_all() -> None:
    for name in MODULES:
        importlib.import_module(name).register(app)


def main() -> None:
    """Entry point: turn every :class:`SpeerpuntError` into one line on stderr and exit code 2."""
    _register_all()
    try:
        app(standalone_mode=False)
    except SpeerpuntError as exc:
        typer.echo(f"error: {exc.one_line()}", err=True)
        sys.exit(2)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        sys.exit(code or 0)
    except typer.Abort:
        sys.exit(1)
    except Exception as exc:  # click usage errors carry their own exit code
        import click

        if isinstance(exc, click.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, (OSError, UnicodeDecodeError)):
            typer.echo(f"error: {exc}", err=True)
            sys.exit(2)
        raise
