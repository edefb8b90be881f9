"""``speerpunt registry …`` on both backends."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys

import pytest
import typer
import yaml
from typer.testing import CliRunner

from speerpunt.cli.registry import register
from speerpunt.registry.curated import DATA

runner = CliRunner()


@pytest.fixture(scope="module")
def app() -> typer.Typer:
    app = typer.Typer()
    register(app)
    return app


def run(app, url, *args) -> str:
    result = runner.invoke(app, ["registry", *args, "--db", url], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.stdout


def test_init_then_query(app, db_url):
    out = run(app, db_url, "init")
    assert "registry ready" in out and "selections" in out
    table = run(app, db_url, "actors", "--type", "RESOC")
    assert table.count("RESOC") >= 15 and "resoc-kempen" in table


def test_matrix_csv(app, loaded_url):
    rows = list(csv.reader(io.StringIO(run(app, loaded_url, "matrix", "--format", "csv"))))
    assert rows[0][0] == "actor" and "logistics" in rows[0]
    assert len(rows) == 21
    assert all(v in ("0", "1") for r in rows[1:] for v in r[1:])
    kempen = dict(zip(rows[0], next(r for r in rows if r[0] == "resoc-kempen"), strict=True))
    assert kempen["logistics"] == "1" and kempen["diamond"] == "0"


def test_overview_csv(app, loaded_url):
    rows = list(csv.DictReader(io.StringIO(run(app, loaded_url, "overview", "--format", "csv"))))
    assert {"sector", "actors"} <= set(rows[0])
    assert rows[0]["sector"] == "logistics"
    counts = {r["sector"]: int(r["actors"]) for r in rows}
    assert counts["logistics"] == max(counts.values())


def test_features_csv_and_geojson(app, loaded_url):
    out = run(
        app,
        loaded_url,
        "features",
        "--sector",
        "logistics",
        "--actor",
        "RESOC Kempen",
        "--format",
        "csv",
    )
    rows = list(csv.DictReader(io.StringIO(out)))
    assert {"kind", "name", "source"} <= set(rows[0])
    assert {r["kind"] for r in rows} <= {"point", "zone", "connection"}
    assert "Turnhout-zone" in {r["name"] for r in rows}
    gj = json.loads(
        run(app, loaded_url, "features", "--sector", "cleantech", "--format", "geojson")
    )
    assert gj["type"] == "FeatureCollection" and gj["features"]


def test_selections_overlap_changes_coherence(app, loaded_url):
    out = run(app, loaded_url, "selections", "--actor", "RESOC Turnhout", "--format", "json")
    assert {r["actor"] for r in json.loads(out)} == {"resoc-kempen"}
    ov = list(
        csv.DictReader(
            io.StringIO(run(app, loaded_url, "overlap", "--by", "province", "--format", "csv"))
        )
    )
    assert len(ov) == 10
    ch = run(app, loaded_url, "changes", "--format", "yaml")
    assert "dropped" in ch
    co = list(csv.DictReader(io.StringIO(run(app, loaded_url, "coherence", "--format", "csv"))))
    assert {"lq_end", "regional_shift", "flag", "note"} <= set(co[0])


def test_export_import_via_cli(app, loaded_url, tmp_path):
    path = tmp_path / "actors.yaml"
    run(app, loaded_url, "export", "--kind", "actors", "--format", "yaml", "--out", str(path))
    # the curated actors: those of actors.yaml plus one "cluster organisation" per cluster
    curated = len(yaml.safe_load((DATA / "actors.yaml").read_text(encoding="utf-8"))["actors"])
    curated += len(yaml.safe_load((DATA / "clusters.yaml").read_text(encoding="utf-8"))["clusters"])
    exported = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert len(exported) == curated
    assert {a["id"] for a in exported} >= {"resoc-kempen", "prov-limburg", "cluster-catalisti"}
    out = run(app, loaded_url, "import", "--kind", "actors", str(path))
    assert out.strip() == f"imported {curated} actors"


def test_errors_are_one_line_with_exit_2(tmp_path):
    env = {**os.environ, "SPEERPUNT_DB": f"sqlite:///{tmp_path / 'cli.sqlite'}"}
    cmd = [sys.executable, "-c", "from speerpunt.cli.main import main; main()", "registry"]
    empty = subprocess.run([*cmd, "actors"], capture_output=True, text=True, env=env, timeout=300)
    assert empty.returncode == 2 and "run 'speerpunt registry init' first" in empty.stderr
    subprocess.run([*cmd, "init"], check=True, capture_output=True, env=env, timeout=300)
    bad = tmp_path / "bad.csv"
    bad.write_text("id,type,name\nx,planet,Mars\ny,city,\n")
    res = subprocess.run(
        [*cmd, "import", "--kind", "actors", str(bad)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert res.returncode == 2
    assert res.stderr.count("\n") == 1 and res.stderr.startswith("error: ")
    assert "line 2: type" in res.stderr and "line 3: name: missing" in res.stderr
    assert "Traceback" not in res.stderr


def test_history_command(app, loaded_url):
    rows = json.loads(
        run(
            app,
            loaded_url,
            "history",
            "--kind",
            "actors",
            "--id",
            "resoc-kempen",
            "--format",
            "json",
        )
    )
    assert len(rows) == 1 and rows[0]["action"] == "insert" and rows[0]["before"] is None
    assert rows[0]["after"]["aliases"][0] == "RESOC Turnhout"
