"""The report's SME section on a hand-countable firm register (SERV-style size classes and transitions)."""

from __future__ import annotations

import subprocess
import sys

import pandas as pd
import pytest

from speerpunt.firms.records import load_records
from speerpunt.report.firms_section import firms_section

# firm, year, NIS municipality, NACE-BEL, employees. 11002 Antwerpen and 12025 Mechelen lie in BE21;
# 44021 Gent does not; 62010 (IT) is not construction.
ROWS = [
    (1, 2018, "11002", "41201", 5), (1, 2020, "11002", "41201", 12),  # 0-9 → 10-49: grew
    (2, 2018, "11002", "43211", 3), (2, 2020, "11002", "43211", 3),  # stayed
    (3, 2018, "12025", "42110", 4), (3, 2020, "12025", "42110", 2),  # stayed
    (4, 2018, "11002", "41201", 8),  # exited
    (5, 2018, "11002", "43211", 20), (5, 2020, "11002", "43211", 15),  # 10-49, stayed
    (6, 2020, "11002", "41201", 1),  # entered
    (7, 2018, "44021", "41201", 7), (7, 2020, "44021", "41201", 50),  # Gent: outside BE21
    (8, 2018, "11002", "62010", 9), (8, 2020, "11002", "62010", 9),  # not construction
]  # fmt: skip


@pytest.fixture(scope="module")
def register(tmp_path_factory):
    df = pd.DataFrame(ROWS, columns=["firm_id", "year", "region", "nace", "employees"])
    path = tmp_path_factory.mktemp("firms") / "register.parquet"
    df.to_parquet(path, index=False)
    return path


def test_size_classes_and_transitions_of_construction_in_antwerp(register):
    section = firms_section(load_records(register), ["bouw"], "nl", region="BE21")
    tables = {t.key: t.frame for t in section.tables}
    size = tables["firms_size"].set_index("size_class")
    # 2020 in BE21: firms 2, 3, 6 (3 + 2 + 1 employees) are 0-9; firms 1 and 5 are 10-49
    assert size.loc["0-9", "firms"] == 3 and size.loc["0-9", "employees"] == 6
    assert size.loc["0-9", "firm_share"] == pytest.approx(3 / 5)
    # two firms only: their employees are confidential, shown as "/", never as a number
    assert size.loc["10-49", "firms"] == 2 and pd.isna(size.loc["10-49", "employees"])
    moves = tables["firms_transitions"].set_index("initial_class")
    # 0-9 in 2018: firms 1 (grew), 2 and 3 (stayed), 4 (exited)
    assert moves.loc["0-9", "firms"] == 4
    assert moves.loc["0-9", ["stayed_share", "grew_share", "exited_share"]].tolist() == [
        0.5,
        0.25,
        0.25,
    ]
    total = moves.loc["Totaal"]  # five firms in 2018: three stayed, one grew, one exited
    assert total["firms"] == 5 and total["stayed_share"] == pytest.approx(0.6)
    assert "Provincie Antwerpen" in " ".join(section.paragraphs)


def test_report_command_adds_the_section(register, tmp_path):
    out = tmp_path / "r.html"
    cmd = [sys.executable, "-m", "speerpunt", "report", "--data", "be-employment", "--region"]
    cmd += ["BE21", "--firms", str(register), "--sectors", "bouw=41,42,43", "--out", str(out)]
    cmd += ["--no-registry", "--no-progress", "--lang", "en"]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-800:]
    html = out.read_text(encoding="utf-8")
    assert "SME structure and dynamics of the candidate sectors" in html
    assert "Moves between size classes, 2018 → 2020" in html
