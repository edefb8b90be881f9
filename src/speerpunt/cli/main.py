"""The ``speerpunt`` command. Each family of commands lives in its own module with ``register(app)``."""

from __future__ import annotations

import importlib
import os
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
    "speerpunt.cli.sectors",
    "speerpunt.cli.firms",
    # last: its register() also adds the shared reading options to every command that takes --data
    "speerpunt.cli.inspect",
]


def _register_all() -> None:
    for name in MODULES:
        importlib.import_module(name).register(app)


def _click_exception_types() -> tuple[type[BaseException], ...]:
    """Click's exception base as the installed typer raises it.

    typer >= 0.29 vendors click (``typer._click``) and raises its own copies of click's exceptions, which
    are not subclasses of ``click.ClickException``; older typer raises click's. Catch whichever exist.
    """
    types: list[type[BaseException]] = []
    if hasattr(typer, "TyperException"):
        types.append(typer.TyperException)
    click = sys.modules.get("click")  # loaded only when typer itself runs on click
    if click is not None:
        types.append(click.ClickException)
    return tuple(types)


def _usage_line(exc: BaseException) -> str:
    """One line for a usage error: what is wrong and where to look for help."""
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    message = " ".join(str(message).split())
    ctx = getattr(exc, "ctx", None)
    path = getattr(ctx, "command_path", None) if ctx is not None else None
    hint = f" (see '{path} --help')" if path else ""
    return f"error: {message}{hint}"


def main() -> None:
    """Entry point: every error becomes one line on stderr with a non-zero exit code, never a traceback.

    A :class:`SpeerpuntError` and a usage error (unknown option or command, bad option value) exit with
    code 2, like click's own usage errors.
    """
    from speerpunt.cli.lang import ENV, cli_lang, split_lang
    from speerpunt.i18n import available, gettext

    lang, args = split_lang(sys.argv[1:])
    if lang is not None:
        if lang not in available():
            typer.echo(
                f"error: unknown language '{lang}' (choose {', '.join(available())})", err=True
            )
            sys.exit(2)
        os.environ[ENV] = lang
    _register_all()
    click_errors = _click_exception_types()
    try:
        app(args=args, standalone_mode=False)
    except SpeerpuntError as exc:
        lang = cli_lang()
        typer.echo(f"{gettext(lang, 'cli_error')}: {exc.one_line(lang)}", err=True)
        sys.exit(2)
    except (typer.Exit, SystemExit) as exc:
        code = getattr(exc, "exit_code", getattr(exc, "code", 0))
        sys.exit(code or 0)
    except typer.Abort:
        sys.exit(1)
    except click_errors as exc:
        if type(exc).__name__ == "NoArgsIsHelpError":
            # a bare group call: the help text is what the user asked for
            exc.show()
            sys.exit(0)
        typer.echo(_usage_line(exc), err=True)
        sys.exit(getattr(exc, "exit_code", 2) or 2)
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"{gettext(cli_lang(), 'cli_error')}: {exc}", err=True)
        sys.exit(2)
