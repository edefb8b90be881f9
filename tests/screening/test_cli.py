"""``speerpunt screen`` and ``speerpunt matrix`` end to end on the embedded data."""

from __future__ import annotations

import io
import subprocess
import sys

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from speerpunt.cli.screening import register


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register(a)
    return a


def test_screen_csv_has_sector_status_reason_and_a_column_per_criterion(app):
    res = CliRunner().invoke(
        app,
        [
            "screen",
            "--data",
            "be-employment",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout))
    assert list(df.columns[:3]) == ["sector", "status", "reason"]
    assert {"important", "specialised", "growing", "outperforming"} <= set(df.columns)
    assert len(df) == 10
    t = df.set_index("sector")
    # BE21 2018 employment LQ vs BE of B-E, from the Eurostat table: (114.6/836) / (…) > 1 → specialised
    assert t.loc["B-E", "specialised"] == "pass"
    assert set(df["status"]) <= {"candidate", "rejected"}


def test_screen_with_an_override_config(app, tmp_path):
    cfg = tmp_path / "s.yaml"
    cfg.write_text(
        "variables: [employment]\ncriteria:\n  spec: {measure: lq, op: '>=', threshold: 1}\nrule: spec\n"
        "overrides:\n  - {sector: F, action: add, justification: 'Construction tied to the port', "
        "author: 'Steering committee'}\n",
        encoding="utf-8",
    )
    res = CliRunner().invoke(
        app,
        [
            "screen",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--config",
            str(cfg),
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(io.StringIO(res.stdout)).set_index("sector")
    assert t.loc["F", "status"] == "added by override"
    assert "Steering committee" in t.loc["F", "reason"]


def test_screen_sensitivity_and_references_views(app):
    sens = CliRunner().invoke(
        app,
        [
            "screen",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--view",
            "sensitivity",
            "--format",
            "csv",
        ],
    )
    assert sens.exit_code == 0, sens.output
    s = pd.read_csv(io.StringIO(sens.stdout))
    assert list(s.columns) == ["sector", "selected", "stability", "flips"]
    assert s["stability"].between(0, 1).all()
    refs = CliRunner().invoke(
        app,
        [
            "screen",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--view",
            "references",
            "--format",
            "csv",
        ],
    )
    assert refs.exit_code == 0, refs.output
    assert pd.read_csv(io.StringIO(refs.stdout)).columns.tolist() == [
        "sector",
        "BE",
        "BE2",
        "rest:BE",
        "n_selected",
    ]


def test_matrix_grid(app):
    res = CliRunner().invoke(
        app,
        [
            "matrix",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--centre",
            "reference",
            "--grid",
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    grid = pd.read_csv(io.StringIO(res.stdout)).set_index("y_class")
    assert list(grid.index) == ["strong", "average", "weak"]
    assert (
        "M_N" in grid.loc["strong", "average"]
    )  # LQ 1.12 is within ±20 % of 1; growth 31.9 % ≫ 8.2 %


def test_override_without_justification_exits_2_with_one_line(tmp_path):
    cfg = tmp_path / "bad.yaml"
    cfg.write_text(
        "criteria:\n  spec: {measure: lq, op: '>=', threshold: 1}\nrule: spec\n"
        "overrides:\n  - {sector: F, action: add, author: me}\n",
        encoding="utf-8",
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from speerpunt.cli.main import main; main()",
            "screen",
            "--region",
            "BE21",
            "--config",
            str(cfg),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip() == (
        f"error: {cfg}, line 5: override of 'F' refused: a written justification is required"
    )
    assert "Traceback" not in proc.stderr


def test_screen_reasons_in_dutch(app):
    res = CliRunner().invoke(
        app, ["screen", "--region", "BE21", "--reference", "BE", "--lang", "nl", "--format", "csv"]
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(io.StringIO(res.stdout)).set_index("sector")
    # BE21 2018: B-E share 114.6 / 836 = 13,7 %, LQ 1,17 against Belgium
    assert t.loc["B-E", "reason"].startswith("voldoet aan de regel: Belangrijk (aandeel 13,7% ≥")
    assert "Gespecialiseerd (LQ 1,17 ≥ 1,00)" in t.loc["B-E", "reason"]


def test_example_config_reproduces_the_studys_expert_judgement(app, repo_dir):
    cfg = repo_dir / "src" / "speerpunt" / "screening" / "antwerp-2013.yaml"
    res = CliRunner().invoke(
        app,
        [
            "screen",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--config",
            str(cfg),
            "--format",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    t = pd.read_csv(io.StringIO(res.stdout)).set_index("sector")["status"]
    assert t["F"] == "added by override"  # bouw
    assert t["O-Q"] == "removed by override"  # public sector
    assert sorted(t[t.isin(["candidate", "added by override"])].index) == [
        "B-E",
        "F",
        "G-I",
        "J",
        "M_N",
    ]
