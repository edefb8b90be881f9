"""Hostile region and sector codes in every report format, and report file names that stay in their folder.

The panel is built here from hostile codes (script tags, attribute breakers, spreadsheet formulas, a path
traversal, non-Latin-1 letters). The HTML must contain them only as text (no script element, no element
with an event handler), the PDF must show them literally (pdftotext), and the XLSX must hold no formula and
keep the numbers numeric. The CLI is run as a subprocess.
"""

from __future__ import annotations

import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from speerpunt.io import read_panel
from speerpunt.io.safe import output_path, safe_filename
from speerpunt.report import write_report
from speerpunt.report.api import report_paths

SCRIPT = "<script>alert(1)</script>"
IMG = '"><img src=x onerror=alert(1)>'
TRAVERSAL = "../../../../tmp/x"
FORMULA = '=HYPERLINK("http://evil.example","x")'
SECTORS = {"TOTAL": None, "A": 0.30, "=1+2": 0.25, IMG.replace("1", "2"): 0.20, "@SUM(1)": 0.15}
REGIONS = ["BE", SCRIPT, IMG, TRAVERSAL, FORMULA, "Łódź€", "-2+3"]


def hostile_rows() -> pd.DataFrame:
    rows = []
    for i, region in enumerate(REGIONS):
        for year in range(2008, 2019):
            total = 1000.0 + 50 * i + 7 * (year - 2008) * (i + 1)
            for j, (sector, share) in enumerate(SECTORS.items()):
                value = total if share is None else round(total * (share + 0.01 * ((i + j) % 3)), 1)
                rows.append((region, sector, year, "employment", value))
    return pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"])


@pytest.fixture(scope="module")
def hostile_csv(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "hostile.csv"
    hostile_rows().to_csv(path, index=False)
    return path


@pytest.fixture(scope="module", params=[SCRIPT, IMG])
def outputs(request, hostile_csv, tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("report")
    html = write_report(
        read_panel(hostile_csv),
        region=request.param,
        reference="BE",
        lang="en",
        out=folder,
        extra_outputs=[folder / "report.xlsx"],
        progress=False,
    )
    return {"region": request.param, "folder": folder, "html": html, "xlsx": folder / "report.xlsx"}


class Elements(HTMLParser):
    """Every start tag with its attributes, and all text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def test_report_files_are_named_by_region_and_language_inside_the_folder(outputs):
    files = sorted(p.name for p in outputs["folder"].iterdir())
    html_name = safe_filename("speerpunt", outputs["region"], "en", suffix=".html")
    assert files == sorted([html_name, html_name[:-5] + ".pdf", "report.xlsx"])
    assert "/" not in html_name and "<" not in html_name and '"' not in html_name


def test_html_shows_hostile_codes_as_text_only(outputs):
    parser = Elements()
    parser.feed(outputs["html"].read_text(encoding="utf-8"))
    assert not [t for t, _ in parser.tags if t == "script"]
    handlers = [(t, a) for t, a in parser.tags if any(k.lower().startswith("on") for k in a)]
    assert not handlers
    assert not [a for t, a in parser.tags if t == "img" and a.get("src") == "x"]
    text = "".join(parser.text)
    assert outputs["region"] in text  # the region is named, as plain text
    assert IMG.replace("1", "2") in text and "=1+2" in text  # so are the hostile sectors


def test_pdf_shows_hostile_codes_literally(outputs):
    pdf = outputs["html"].with_suffix(".pdf")
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], capture_output=True, check=True, text=True
    ).stdout
    flat = " ".join(text.split())
    # pdftotext may break a long code over two lines; the joined text must still hold it verbatim
    assert outputs["region"] in flat or outputs["region"].replace(" ", "") in flat.replace(" ", "")
    assert "=1+2" in flat and "@SUM(1)" in flat


def test_xlsx_holds_no_formula_and_numbers_stay_numbers(outputs, hostile_csv):
    wb = load_workbook(outputs["xlsx"])
    texts, numbers = [], []
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                elif isinstance(cell.value, int | float):
                    numbers.append(cell.value)
    starts = ("=", "+", "-", "@", "\t", "\r")
    live = [t for t in texts if t.startswith(starts) and t not in ("+", "-")]
    assert not live, live[:5]
    assert "'=1+2" in texts and "'@SUM(1)" in texts
    # the shift-share parts of a shrinking sector are negative and must stay numbers
    assert any(n < 0 for n in numbers)
    # the LQ of sector A in the region, 2018, as plain arithmetic on the raw CSV
    raw = pd.read_csv(hostile_csv, keep_default_na=False)
    r18 = raw[raw["year"] == 2018].set_index(["region", "sector"])["value"]
    reg = outputs["region"]
    lq = (r18[(reg, "A")] / r18[(reg, "TOTAL")]) / (r18[("BE", "A")] / r18[("BE", "TOTAL")])
    assert any(abs(n - lq) < 1e-9 for n in numbers), lq


def test_report_paths_stay_inside_the_folder(tmp_path):
    for region in (
        TRAVERSAL,
        "..",
        "/etc/passwd",
        "a\\..\\..\\b",
        "CON",
        "x" * 400,
        "\u202egnp.exe",
    ):
        for path in report_paths(tmp_path / "out", region, "nl"):
            assert path.parent == tmp_path / "out"
            assert path.resolve().parent == (tmp_path / "out").resolve()
            assert len(path.name.encode()) <= 160
    a = report_paths(tmp_path, "a/b", "nl")[0]
    b = report_paths(tmp_path, "a_b", "nl")[0]
    assert a != b  # two codes that clean to the same text still get different files


def test_safe_filename_keeps_letters_of_any_script():
    assert safe_filename("speerpunt", "Łódź", "nl", suffix=".pdf") == "speerpunt_Łódź_nl.pdf"
    assert safe_filename("speerpunt", "BE22", "nl", suffix=".pdf") == "speerpunt_BE22_nl.pdf"
    name = safe_filename("Łódź€")
    assert name.startswith("Łódź-") and "€" not in name
    with pytest.raises(Exception, match="outside the output folder"):
        output_path(Path("."), "../x.pdf")


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", "from speerpunt.cli.main import main; main()", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=600,
    )


def test_cli_report_cannot_escape_its_folder(hostile_csv, tmp_path):
    deep = tmp_path / "a" / "b" / "c"
    deep.mkdir(parents=True)
    res = cli(
        "report",
        "--data",
        str(hostile_csv),
        "--region",
        TRAVERSAL,
        "--reference",
        "BE",
        "--lang",
        "nl",
        "--no-progress",
        "--out",
        "reports",
        cwd=deep,
    )
    assert res.returncode == 0, res.stderr
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    stem = safe_filename("speerpunt", TRAVERSAL, "nl")
    assert written == [f"a/b/c/reports/{stem}.html", f"a/b/c/reports/{stem}.pdf"]
    assert not Path("/tmp/x_nl.html").exists() and not Path("/tmp/tmp/x.html").exists()


def test_cli_report_default_folder_keeps_every_region(tmp_path):
    """``speerpunt report --region BE22`` without ``--out`` must not overwrite the Antwerp report."""
    for region in ("BE21", "BE22"):
        res = cli("report", "--region", region, "--reference", "BE", "--no-progress", cwd=tmp_path)
        assert res.returncode == 0, res.stderr
    out = tmp_path / "out"
    assert sorted(p.name for p in out.iterdir()) == [
        "speerpunt_BE21_nl.html",
        "speerpunt_BE21_nl.pdf",
        "speerpunt_BE22_nl.html",
        "speerpunt_BE22_nl.pdf",
    ]
    assert "Provincie Antwerpen" in (out / "speerpunt_BE21_nl.html").read_text(encoding="utf-8")
    assert "Provincie Limburg" in (out / "speerpunt_BE22_nl.html").read_text(encoding="utf-8")
