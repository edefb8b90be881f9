"""``speerpunt firms …`` end to end on a small register and on the Statbel file."""

from __future__ import annotations

import io
import os
import subprocess
import sys

import pandas as pd
import pytest
import typer
from typer.testing import CliRunner

from speerpunt.cli.firms import register as register_cli
from tests.firms.test_dynamics import MOVES


@pytest.fixture(scope="module")
def app():
    a = typer.Typer()
    register_cli(a)
    return a


@pytest.fixture
def records(tmp_path):
    path = tmp_path / "firms.csv"
    MOVES.to_csv(path, index=False)
    return path


def test_transitions_and_panel_commands(app, records):
    res = CliRunner().invoke(
        app, ["firms", "transitions", str(records), "--start", "2015", "--end", "2019", "-f", "csv"]
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout)).set_index("initial_class")
    assert df.loc["all", ["stayed", "grew", "shrank", "exited"]].tolist() == [3, 2, 1, 1]
    res = CliRunner().invoke(
        app,
        [
            "firms",
            "panel",
            str(records),
            "--territory",
            "country",
            "--nace-level",
            "division",
            "--min-firms",
            "1",
            "--dominance",
            "1",
        ],
    )
    assert res.exit_code == 0, res.output
    p = pd.read_csv(io.StringIO(res.stdout), dtype={"sector": str})
    emp = p[(p["variable"] == "employees") & (p["year"] == 2019)].set_index("sector")["value"]
    assert emp.to_dict() == {"20": 25 + 300 + 280, "25": 6 + 12 + 8 + 4}


def test_statbel_demography_command(app, shared_dir):
    zip_path = shared_dir / "data/statbel/vat_enterprises_2019/TF_VAT_NACE_SQ_2019.zip"
    res = CliRunner().invoke(
        app,
        [
            "firms",
            "demography",
            "--statbel",
            str(zip_path),
            "--territory",
            "province",
            "--nace-level",
            "section",
            "-f",
            "csv",
        ],
    )
    assert res.exit_code == 0, res.output
    df = pd.read_csv(io.StringIO(res.stdout), dtype={"region": str})
    assert df[(df["region"] == "10000") & (df["sector"] == "TOTAL")]["enterprises"].tolist() == [
        169_944
    ]


def test_bad_records_exit_2_with_one_line(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "firm_id,year,region,nace,employees\n1,2020,11002,20140,3\n1,2020,11002,20140,4\n"
    )
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "from speerpunt.cli.main import main; main()",
            "firms",
            "panel",
            str(bad),
        ],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines()[-1] == (
        "error: bad.csv, column 'firm_id': duplicate firm-year: firm 1 has 2 records in 2020 "
        "(1 duplicated firm-year)"
    )
    assert "Traceback" not in proc.stderr


def test_spark_command_leaves_standard_error_to_the_analyst(tmp_path):
    # A fresh process starts its own JVM: Spark's start-up notes and warnings (log profile, default
    # level, host name, native Hadoop library) and PySpark's Arrow fallback must not reach the user;
    # the JVM's own notice of the vector module it is started with is the one line left.
    good = tmp_path / "good.csv"
    good.write_text("firm_id,year,region,nace,employees\n1,2020,11002,20140,3\n2,2020,11002,46,4\n")
    cmd = "from speerpunt.cli.main import main; main()"
    proc = subprocess.run(
        [sys.executable, "-c", cmd, "firms", "panel", str(good), "--engine", "spark"],
        capture_output=True,
        text=True,
        # what an earlier Spark start in this process put in the environment, the child must set itself
        env={
            k: v
            for k, v in os.environ.items()
            if k not in ("LOG4J_CONFIGURATION_FILE", "SPARK_LOCAL_IP")
        },
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("region,sector,year,variable,value,flag\n")
    lines = [x for x in proc.stderr.splitlines() if "jdk.incubator.vector" not in x]
    assert len(lines) == 1 and lines[0].startswith("note: 2 firm-years of 2 firms"), proc.stderr


def test_demography_and_concentration_commands(app, tmp_path):
    # Five firms in 2020 with 50, 20, 15, 10, 5 employees (firm 5 new); firm 6 only in 2019.
    path = tmp_path / "five.csv"
    pd.DataFrame(
        {
            "firm_id": [1, 2, 3, 4, 6, 1, 2, 3, 4, 5],
            "year": [2019] * 5 + [2020] * 5,
            "region": ["11002"] * 10,
            "nace": ["25110"] * 10,
            "employees": [40, 20, 15, 10, 3, 50, 20, 15, 10, 5],
        }
    ).to_csv(path, index=False)
    common = ["--nace-level", "section", "-f", "csv"]
    res = CliRunner().invoke(app, ["firms", "concentration", str(path), "--year", "2020", *common])
    assert res.exit_code == 0, res.output
    c = pd.read_csv(io.StringIO(res.stdout)).iloc[0]
    # top 20 % of 5 firms = 1 firm: 50 / 100; Herfindahl .5² + .2² + .15² + .1² + .05² = .325
    assert (c["sector"], c["firms"], c["employees"]) == ("C", 5, 100)
    assert c["top_share"] == pytest.approx(0.5) and c["herfindahl"] == pytest.approx(0.325)
    res = CliRunner().invoke(app, ["firms", "demography", str(path), *common])
    assert res.exit_code == 0, res.output
    d = pd.read_csv(io.StringIO(res.stdout)).set_index("year")
    # births unknown in the first year, deaths in the last: firm 5 was born in 2020, firm 6 died in 2019
    assert d.loc[2019, ["active", "deaths"]].tolist() == [5, 1] and pd.isna(d.loc[2019, "births"])
    assert d.loc[2020, ["active", "births"]].tolist() == [5, 1] and pd.isna(d.loc[2020, "deaths"])
    assert d.loc[2020, "birth_rate"] == pytest.approx(0.2)
