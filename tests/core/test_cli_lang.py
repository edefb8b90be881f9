"""The CLI's own messages in Dutch or English from the one catalogue (``--lang``, ``SPEERPUNT_LANG``)."""

from __future__ import annotations

import os
import subprocess
import sys


def _cli(*args: str, **env: str) -> subprocess.CompletedProcess:
    full = {k: v for k, v in os.environ.items() if k not in ("LANG", "LC_ALL", "LC_MESSAGES")}
    return subprocess.run(
        [sys.executable, "-c", "from speerpunt.cli.main import main; main()", *args],
        capture_output=True,
        text=True,
        env={**full, **env},
        timeout=300,
    )


def test_inspect_summary_and_errors_follow_the_language(tmp_path):
    f = tmp_path / "p.csv"
    f.write_text("region,sector,year,variable,value\nR1,A,2010,jobs,5\nR1,B,2010,jobs,7\n")
    nl = _cli("--lang", "nl", "inspect", str(f))
    assert nl.returncode == 0, nl.stderr
    lines = nl.stdout.splitlines()
    assert lines[0] == "bestand: p.csv" and "rijen: 2" in lines
    assert "regio's 1: R1" in lines and "sectoren 2: A, B" in lines
    en = _cli("inspect", str(f), SPEERPUNT_LANG="en")
    assert en.stdout.splitlines()[0] == "file: p.csv" and "rows: 2" in en.stdout.splitlines()
    by_locale = _cli("inspect", str(tmp_path / "none.csv"), LANG="nl_BE.UTF-8")
    assert by_locale.returncode == 2 and by_locale.stderr.startswith("fout: ")
    assert len(by_locale.stderr.strip().splitlines()) == 1
    bad = _cli("--lang", "xx", "inspect", str(f))
    assert bad.returncode == 2 and "unknown language 'xx'" in bad.stderr
