"""Documentation stays in step with the code: every command is in the README, every public name documented."""

from __future__ import annotations

import inspect
from pathlib import Path

import typer

import speerpunt
from speerpunt.cli import main as cli_main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[str]:
    cli_main._register_all()
    root = typer.main.get_command(cli_main.app)
    out = []
    for name, cmd in root.commands.items():
        if hasattr(cmd, "commands"):
            out += [f"{name} {sub}" for sub in cmd.commands]
        else:
            out.append(name)
    return sorted(out)


def test_every_command_is_in_the_readme():
    missing = [c for c in _commands() if f"speerpunt {c}" not in README]
    assert not missing, f"commands not documented in README.md: {missing}"


def test_every_command_has_help_with_an_example():
    cli_main._register_all()
    root = typer.main.get_command(cli_main.app)
    lacking = []
    for name, cmd in root.commands.items():
        subs = cmd.commands.items() if hasattr(cmd, "commands") else [(None, cmd)]
        for sub, c in subs:
            if not (c.help or "").strip() or "speerpunt" not in (c.help or ""):
                lacking.append(f"{name} {sub or ''}".strip())
    assert not lacking, f"commands without help or example: {lacking}"


def test_every_public_name_has_a_docstring():
    undocumented = [
        n
        for n in speerpunt.__all__
        if (inspect.isfunction(getattr(speerpunt, n)) or inspect.isclass(getattr(speerpunt, n)))
        and not inspect.getdoc(getattr(speerpunt, n))
    ]
    assert not undocumented
