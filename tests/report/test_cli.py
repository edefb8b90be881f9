"""``speerpunt keyfigures``, ``charts`` and ``report`` end to end on the embedded data."""

from __future__ import annotations

import io

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


def test_keyfigures_in_dutch_and_english(app):
    args = [
        "keyfigures",
        "--data",
        "be-employment",
        "--region",
        "BE21",
        "--reference",
        "BE",
        "--sector",
        "B-E",
        "--periods",
        "2000-2007,2008-2018",
        "--lq-year",
        "2018",
        "--lq-period",
        "2008-2018",
        "--format",
        "csv",
    ]
    nl = CliRunner().invoke(app, [*args, "--lang", "nl"])
    en = CliRunner().invoke(app, [*args, "--lang", "en"])
    assert nl.exit_code == 0 and en.exit_code == 0, nl.output + en.output
    d_nl = pd.read_csv(io.StringIO(nl.stdout), keep_default_na=False)
    d_en = pd.read_csv(io.StringIO(en.stdout), keep_default_na=False)
    assert list(d_nl.columns) == ["sector", "variable", "label", "text", "note"]
    t_nl = d_nl[d_nl["variable"] == "employment"].set_index("label")["text"]
    t_en = d_en[d_en["variable"] == "employment"].set_index("label")["text"]
    va = d_nl[d_nl["variable"] == "value_added"]
    assert (va["text"] == "/").all() and (
        va["note"] == "Toegevoegde waarde zit niet in de gegevens"
    ).all()
    va_en = d_en[d_en["variable"] == "value_added"]
    assert (va_en["note"] == "Value added is not in the data").all()
    # Eurostat: BE21 B-E 114.6 thousand of 836.0 in 2018; 134.5 in 2008 → −14.8 %
    assert t_nl["Werkgelegenheid in Provincie Antwerpen (duizend personen)"] == "114,6"
    assert t_nl["Aandeel in werkgelegenheid Provincie Antwerpen"] == "13,7%"
    assert t_nl["Trend 2008-2018"] == "-14,8%"
    assert t_en["Trend 2008-2018"] == "-14.8%"
    # (114.6 / 836.0) / (562.2 / 4817.1) = 1.1745, printed with two decimals like the study's 1,02
    assert t_en["Specialisation index 2018 (BE)"] == "1.17"


def test_keyfigures_bad_period_is_one_line(app):
    res = CliRunner().invoke(app, ["keyfigures", "--sector", "F", "--periods", "2000to2007"])
    assert res.exit_code != 0
    assert "is not of the form 2000-2007" in str(res.exception)


def test_charts_writes_svg_png_and_alt_text(app, tmp_path):
    res = CliRunner().invoke(
        app,
        ["charts", "--region", "BE21", "--reference", "BE", "--lang", "en", "--out", str(tmp_path)],
    )
    assert res.exit_code == 0, res.output
    for name in ("portfolio", "lq", "shift-share", "screening-heatmap"):
        assert (tmp_path / f"{name}.svg").read_text(encoding="utf-8").startswith("<svg")
        assert (tmp_path / f"{name}.png").read_bytes()[:4] == b"\x89PNG"
    alt = (tmp_path / "alt-text.txt").read_text(encoding="utf-8")
    assert "portfolio: Portfolio chart of 10 sectors" in alt
    series = sorted(tmp_path.glob("timeseries-*.svg"))
    assert len(series) >= 1
    for svg in series:  # written by speerpunt itself; matplotlib draws the same drawing as PNG
        assert svg.read_text(encoding="utf-8").startswith("<svg")
        assert svg.with_suffix(".png").read_bytes()[:4] == b"\x89PNG"


def test_report_xlsx(app, tmp_path):
    out = tmp_path / "r.xlsx"
    res = CliRunner().invoke(
        app,
        [
            "report",
            "--region",
            "BE21",
            "--reference",
            "BE",
            "--lang",
            "en",
            "--out",
            str(out),
            "--no-progress",
        ],
    )
    assert res.exit_code == 0, res.output
    assert f"report written to {out}" in res.stdout
    from openpyxl import load_workbook

    assert "screening" in load_workbook(out).sheetnames


def _total_scores(html: str) -> dict[str, float]:
    """The scorecard's ``total`` row per actor, read from the report's HTML (raw values in data-v)."""
    import re

    table = html.split('data-table="registry-scorecard-totals"', 1)[1].split("</table>", 1)[0]
    rows = re.findall(
        r"<tr[^>]*><td>([^<]+)</td><td>total</td>.*?data-col=\"score\"[^>]*data-v=\"([^\"]+)\"",
        table,
    )
    return {actor: float(v) for actor, v in rows}


def test_report_includes_the_curated_registry_by_default(app, tmp_path):
    from importlib.resources import files

    args = ["report", "--data", "be-employment", "--region", "BE21", "--reference", "BE"]
    args += ["--lang", "en", "--no-progress"]
    res = CliRunner().invoke(app, [*args, "--out", str(tmp_path / "on.html")])
    assert res.exit_code == 0, res.output
    html = (tmp_path / "on.html").read_text(encoding="utf-8")
    assert 'id="registry"' in html and "Policy for the sector: Logistics" in html
    assert "study-comparison" not in html  # the A*10 sectors are not the study's policy sectors
    # by hand from the shipped codes: explicit = 2, implicit = 1, absent = 0, summed per actor
    codes = pd.read_csv(files("speerpunt.registry") / "data" / "assessments.csv")
    points = codes["code"].map({"explicit": 2, "implicit": 1, "absent": 0})
    assert points.notna().all()
    by_hand = points.groupby(codes["actor"]).sum()
    names = {
        "prov-antwerpen": "Provincie Antwerpen",
        "resoc-antwerpen": "RESOC Antwerpen",
        "resoc-kempen": "RESOC Kempen",
        "resoc-mechelen": "RESOC Mechelen",
    }
    expected = {name: float(by_hand.get(actor, 0)) for actor, name in names.items()}
    assert _total_scores(html) == expected
    assert expected["Provincie Antwerpen"] > 0  # the province's codes are there at all
    off = CliRunner().invoke(app, [*args, "--no-registry", "--out", str(tmp_path / "off.html")])
    assert off.exit_code == 0, off.output
    assert "registry-scorecard" not in (tmp_path / "off.html").read_text(encoding="utf-8")


def test_report_with_an_empty_registry_database_is_one_line(app, tmp_path):
    from speerpunt.errors import RegistryError
    from speerpunt.registry.store import init_db

    url = init_db(f"sqlite:///{tmp_path / 'empty.sqlite'}")
    res = CliRunner().invoke(
        app, ["report", "--region", "BE21", "--db", url, "--out", str(tmp_path / "r.html")]
    )
    assert isinstance(res.exception, RegistryError)
    assert "is empty" in res.exception.one_line() and "--db" in res.exception.one_line()
    assert not (tmp_path / "r.html").exists()
