"""The CLI's own messages in Dutch or English from the one catalogue (``--lang``, ``SPEERPUNT_LANG``)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path


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


BAD = Path(__file__).resolve().parents[1] / "badinput"


def test_reader_errors_are_one_dutch_line_with_exit_2():
    """The corpus's ambiguous number and negative value, through inspect and lq, with --lang nl."""
    amb = _cli("--lang", "nl", "inspect", str(BAD / "ambiguous_thousands.csv"))
    assert amb.returncode == 2 and amb.stdout == "" and "Traceback" not in amb.stderr
    (line,) = amb.stderr.strip().splitlines()
    assert line.startswith("fout: ambiguous_thousands.csv, regel 2, kolom 'value': ")
    assert "dubbelzinnig getal '35.991': het leest als 35.991 (duizendtalscheiding '.')" in line
    lq = [
        "lq",
        "--data",
        str(BAD / "negative_value.csv"),
        "--region",
        "BE21",
        "--reference",
        "BE21",
    ]
    neg = _cli("--lang", "nl", *lq, "--year", "2000")
    assert neg.returncode == 2 and "Traceback" not in neg.stderr
    assert neg.stderr.strip() == (
        "fout: negative_value.csv, regel 3, kolom 'value': "
        "negatieve waarde -5; aantallen en bedragen moeten ≥ 0 zijn"
    )
    # English stays as it was, word for word
    en = _cli("--lang", "en", *lq, "--year", "2000")
    assert en.returncode == 2 and en.stderr.strip() == (
        "error: negative_value.csv, line 3, column 'value': "
        "negative value -5; counts and amounts must be ≥ 0"
    )


def test_inspect_writes_the_readers_warnings_in_dutch():
    out = _cli(
        "--lang", "nl", "inspect", str(BAD / "allow_parts.csv"), "--allow-parts-exceed-total"
    )
    assert out.returncode == 0, out.stderr
    assert (
        "waarschuwing: delen overschrijden TOTAL in 1 regio-jaren (toegestaan door "
        "allow_parts_exceed_total / --allow-parts-exceed-total)"
    ) in out.stdout.splitlines()
    assert "parts exceed" not in out.stdout


#: Dutch words not English, and English words not Dutch, of the CLI's own messages (written here).
DUTCH_WORDS = {"onbekende", "onbekend", "kies", "uit", "vraagt", "bestand", "geef", "of", "niet"}
DUTCH_WORDS |= {"moet", "liggen", "zou", "gevraagde", "sectoren", "overlappen", "binnen", "dubbel"}
DUTCH_WORDS |= {"gebruik", "rapportformaat", "geometriemap", "bestaat", "gevonden", "noch"}
DUTCH_WORDS |= {"vijf", "provincies", "kaart", "schrijven", "gevonden", "ondersteund"}
ENGLISH_WORDS = {"unknown", "choose", "from", "needs", "file", "give", "got", "or", "must", "after"}
ENGLISH_WORDS |= {"start", "year", "overlap", "inside", "twice", "would", "count", "asked"}
ENGLISH_WORDS |= {"use", "report", "format", "folder", "does", "exist", "found", "nor"}
ENGLISH_WORDS |= {"five", "flemish", "provinces", "cannot", "write", "map", "unsupported", "type"}


def _dutch_line(result: subprocess.CompletedProcess) -> str:
    """The one Dutch error line of a refused command: exit 2, nothing on stdout, no traceback; its
    words (quoted data, options and paths left out) hold Dutch words and none of the English list."""
    assert result.returncode == 2 and result.stdout == "", result.stderr
    assert "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("fout: ")
    words = set(re.findall(r"[a-z]+", re.sub(r"'[^']*'|--?[\w-]+|/\S*", " ", line.lower())))
    assert words & DUTCH_WORDS and not words & ENGLISH_WORDS, words
    return line


def test_the_clis_own_errors_are_one_dutch_line_with_exit_2(tmp_path):
    """Option errors the commands check themselves: a sector set, an output format, a missing --out."""
    sets = _cli("--lang", "nl", "sectors", "--set", "xx")
    assert _dutch_line(sets).startswith("fout: kolom '--set': onbekende sectorenset 'xx' (sets: ")
    fmt = _cli("--lang", "nl", "inspect", "--format", "yaml", str(BAD / "allow_parts.csv"))
    assert (
        _dutch_line(fmt) == "fout: kolom '--format': onbekend formaat 'yaml' (kies uit text, json)"
    )
    lq = ["lq", "--data", "be-employment", "--region", "BE21", "--format", "xlsx"]
    out = _cli("--lang", "nl", *lq)
    assert _dutch_line(out) == "fout: kolom '--out': --format xlsx vraagt --out BESTAND"
    # English stays word for word as it was
    en = _cli("--lang", "en", *lq)
    assert en.returncode == 2
    assert en.stderr.strip() == "error: column '--out': --format xlsx needs --out FILE"


def test_measure_errors_are_one_dutch_line_with_exit_2():
    """An end year before the start year and overlapping sectors (C lies inside B-E)."""
    ss = ["shiftshare", "--data", "be-employment", "--region", "BE21", "--start", "2015"]
    nl = _cli("--lang", "nl", *ss, "--end", "2010")
    assert _dutch_line(nl) == "fout: kolom 'end': eindjaar 2010 moet na beginjaar 2015 liggen"
    en = _cli("--lang", "en", *ss, "--end", "2010")
    assert en.returncode == 2
    assert en.stderr.strip() == "error: column 'end': end year 2010 must be after start year 2015"
    spec = ["specialisation", "--data", "be-employment", "--region", "BE21", "--sectors", "A,B-E,C"]
    line = _dutch_line(_cli("--lang", "nl", *spec))
    assert line.startswith(
        "fout: kolom 'sector': de gevraagde sectoren overlappen: C ligt binnen B-E"
    )
    assert "zou C dubbel tellen" in line


def test_screening_configuration_errors_are_one_dutch_line_with_exit_2(tmp_path):
    """A quantile above 1 (1.5, written 1,5 in Dutch) and a rule naming a criterion never defined."""
    config = tmp_path / "drempel.yaml"
    config.write_text(
        'criteria:\n  groot:\n    measure: lq\n    operator: ">="\n    threshold: {quantile: 1.5}\n'
        "rule: groot\n",
        encoding="utf-8",
    )
    screen = ["screen", "--data", "be-employment", "--region", "BE21", "--config", str(config)]
    line = _dutch_line(_cli("--lang", "nl", *screen))
    assert (
        line == f"fout: {config}, regel 5: criterium 'groot': kwantiel 1,5 ligt niet tussen 0 en 1"
    )
    en = _cli("--lang", "en", *screen)
    assert en.returncode == 2 and en.stderr.strip() == (
        f"error: {config}, line 5: criterion 'groot': quantile 1.5 is not between 0 and 1"
    )
    config.write_text(
        'criteria:\n  groot:\n    measure: lq\n    operator: ">="\n    threshold: 1.2\n'
        "rule: groot and klein\n",
        encoding="utf-8",
    )
    line = _dutch_line(_cli("--lang", "nl", *screen))
    assert "regel 'groot and klein': onbekend criterium 'klein' (gedefinieerd: groot)" in line


def test_report_and_map_errors_are_one_dutch_line_with_exit_2(tmp_path):
    """A report file type the report cannot write, and a geometry folder that does not exist."""
    report = _cli("--lang", "nl", "report", "--region", "BE21", "--out", str(tmp_path / "r.doc"))
    assert _dutch_line(report) == (
        "fout: kolom '--out': onbekend rapportformaat '.doc' (gebruik .html, .pdf of .xlsx)"
    )
    nowhere = tmp_path / "nergens"
    choro = ["map", "choropleth", "--sector", "C", "--out", str(tmp_path / "k.svg")]
    line = _dutch_line(_cli("--lang", "nl", *choro, "--geo-dir", str(nowhere)))
    assert line == f"fout: kolom '--geo-dir': de geometriemap {nowhere} bestaat niet"
    en = _cli("--lang", "en", *choro, "--geo-dir", str(nowhere))
    assert en.returncode == 2 and en.stderr.strip() == (
        f"error: column '--geo-dir': geometry folder {nowhere} does not exist"
    )
    line = _dutch_line(_cli("--lang", "nl", *choro, "--geo-dir", str(tmp_path)))
    assert (
        line
        == f"fout: kolom '--geo-dir': belgium.json niet gevonden in {tmp_path} (noch in belgium)"
    )


def test_registry_map_errors_are_one_dutch_line_with_exit_2(tmp_path, shared_dir):
    """A city that is not a Flemish province (Gent) and a map file type the maps cannot write."""
    geo = ["--geo-dir", str(shared_dir / "data" / "geo" / "belgium"), "--sector", "logistics"]
    gent = _cli(
        "--lang",
        "nl",
        "map",
        "projects",
        "--province",
        "Gent",
        *geo,
        "--out",
        str(tmp_path / "a.svg"),
    )
    assert (
        _dutch_line(gent)
        == "fout: kolom '--province': 'Gent' is geen van de vijf Vlaamse provincies"
    )
    tif = ["map", "projects", "--province", "Antwerpen", *geo, "--out", str(tmp_path / "a.tif")]
    assert _dutch_line(_cli("--lang", "nl", *tif)) == (
        "fout: kolom '--out': kan geen kaart schrijven als '.tif' (gebruik .svg, .png of .geojson)"
    )
    en = _cli("--lang", "en", *tif)
    assert en.returncode == 2 and en.stderr.strip() == (
        "error: column '--out': cannot write a map as '.tif' (use .svg, .png or .geojson)"
    )


def test_firm_record_errors_are_one_dutch_line_with_exit_2(tmp_path):
    """A records file that does not exist and one of a type the firm tools do not read."""
    missing = tmp_path / "geen.parquet"
    line = _dutch_line(_cli("--lang", "nl", "firms", "check", str(missing)))
    assert line == f"fout: {missing}: bestand niet gevonden"
    yaml_file = tmp_path / "ondernemingen.yaml"
    yaml_file.write_text("a: 1\n", encoding="utf-8")
    line = _dutch_line(_cli("--lang", "nl", "firms", "check", str(yaml_file)))
    assert line == (
        f"fout: {yaml_file}: niet ondersteund bestandstype '.yaml' (gebruik .parquet of .csv)"
    )
    en = _cli("--lang", "en", "firms", "check", str(yaml_file))
    assert en.returncode == 2 and en.stderr.strip() == (
        f"error: {yaml_file}: unsupported file type '.yaml' (use .parquet or .csv)"
    )
