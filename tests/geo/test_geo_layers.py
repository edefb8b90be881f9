"""The geo package sits below report, registry and web; report and registry do not import each other both ways.

Checked on the source (every ``import``, including the ones inside functions) and on a fresh interpreter.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "src" / "speerpunt"


def _imports(package: str) -> set[str]:
    """Every ``speerpunt.<sub>`` a package's modules import, at the top or inside functions."""
    found = set()
    for path in (PKG / package).rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            found |= {".".join(n.split(".")[:2]) for n in names if n.startswith("speerpunt.")}
    return found


def test_geo_imports_nothing_above_it():
    above = {"speerpunt.report", "speerpunt.registry", "speerpunt.web", "speerpunt.cli"}
    assert not _imports("geo") & above


def test_report_does_not_import_registry_or_web():
    # registry draws with report's charts; report reaching back into registry would close a cycle
    assert not _imports("report") & {"speerpunt.registry", "speerpunt.web", "speerpunt.cli"}


def test_each_layer_imports_alone():
    for module, banned in (
        ("speerpunt.geo", ("speerpunt.report", "speerpunt.registry", "speerpunt.web")),
        ("speerpunt.report.choropleth", ("speerpunt.registry", "speerpunt.web")),
        ("speerpunt.registry.maps", ("speerpunt.web", "speerpunt.cli")),
    ):
        code = (
            f"import sys, {module}; "
            f"bad = sorted(m for m in sys.modules if m.startswith({banned!r})); "
            "print(bad); sys.exit(1 if bad else 0)"
        )
        run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
        assert run.returncode == 0, f"{module} pulls in {run.stdout.strip()} {run.stderr[-300:]}"
