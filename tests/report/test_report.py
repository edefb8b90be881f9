"""The complete report for Provincie Antwerpen (BE21) against Belgium on the embedded data, default screening.

The LQ, structure and shift-share tables (HTML and XLSX) are recomputed here from the raw Eurostat CSV with
plain arithmetic; the screening, sensitivity and key-figure tables, which have no short closed form, are
compared with the library's own result for them (they check that the report renders, never recomputes). The
HTML is checked for external references, the PDF is rasterised with pdftoppm and each page must be non-blank,
and the XLSX must carry number formats.
"""

from __future__ import annotations

import base64
import csv
import math
import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np
import pytest
from openpyxl import load_workbook
from PIL import Image

from speerpunt.io import read_panel
from speerpunt.report import write_report
from speerpunt.report.fmt import fmt_value
from speerpunt.report.keyfigures import key_figures
from speerpunt.report.pdf import print_html
from speerpunt.screening import load_config, screen, threshold_sensitivity

REGION, REFERENCE, START, YEAR = "BE21", "BE", 2008, 2018
A10 = ["A", "B-E", "F", "G-I", "J", "K", "L", "M_N", "O-Q", "R-U"]
#: Section headings (h2) the Dutch report must show, in the HTML and in the PDF.
HEADINGS = (
    "Regioprofiel",
    "Sectorstructuur",
    "Shift-share-analyse",
    "Screening van speerpuntsectoren",
    "Gevoeligheid van de selectie",
    "Portfoliodiagram",
    "Kerncijfers van de kandidaat-sectoren",
    "Methode",
    "Gegevens en opmerkingen",
)


class Tables(HTMLParser):
    """Collects ``data-table`` tables: key → list of rows ``(row key, [cell attrs + text])``."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: dict[str, list] = {}
        self._table = self._row = self._cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "table" and "data-table" in a:
            self._table = self.tables.setdefault(a["data-table"], [])
        elif tag == "tr" and self._table is not None and "data-row" in a:
            self._row = (a["data-row"], [])
            self._table.append(self._row)
        elif tag == "td" and self._row is not None:
            self._cell = {**a, "text": ""}
            self._row[1].append(self._cell)

    def handle_endtag(self, tag):
        if tag == "td":
            self._cell = None
        elif tag == "table":
            self._table = self._row = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell["text"] += data


@pytest.fixture(scope="module")
def panel():
    return read_panel("be-employment")


@pytest.fixture(scope="module")
def raw(shared_dir):
    """``raw(geo, year, sector)``: a cell of the shared Eurostat CSV, read with the csv module."""
    path = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    with path.open(encoding="utf-8") as fh:
        rows = {(r["geo"], int(r["year"])): r for r in csv.DictReader(fh)}
    return lambda geo, year, sector: float(rows[(geo, year)][sector])


def lq_by_hand(raw, year: int, sector: str) -> float:
    """(x_ri / x_r) / (x_Ri / x_R) with the published TOTAL as x_r and x_R."""
    return (raw(REGION, year, sector) / raw(REGION, year, "TOTAL")) / (
        raw(REFERENCE, year, sector) / raw(REFERENCE, year, "TOTAL")
    )


@pytest.fixture(scope="module")
def outputs(panel, tmp_path_factory):
    folder = tmp_path_factory.mktemp("report")
    html = write_report(
        panel,
        region=REGION,
        reference=REFERENCE,
        lang="nl",
        out=folder,
        extra_outputs=[folder / "rapport.xlsx"],
        progress=False,
    )
    return {"html": html, "pdf": folder / "speerpunt_BE21_nl.pdf", "xlsx": folder / "rapport.xlsx"}


@pytest.fixture(scope="module")
def tables(outputs):
    parser = Tables()
    parser.feed(outputs["html"].read_text(encoding="utf-8"))
    return parser.tables


def cells(tables, key):
    """``{row key: {column: (raw value, text)}}`` for the numeric cells of one table."""
    return {
        row: {c["data-col"]: (float(c["data-v"]), c["text"]) for c in cs if "data-v" in c}
        for row, cs in tables[key]
    }


def same(shown: float, expected: float) -> bool:
    return (math.isnan(shown) and math.isnan(expected)) or shown == pytest.approx(
        expected, rel=1e-12
    )


def test_default_config_writes_html_pdf_and_xlsx(outputs):
    assert outputs["html"].name == "speerpunt_BE21_nl.html"
    for path in outputs.values():
        assert path.is_file() and path.stat().st_size > 10_000
    text = outputs["html"].read_text(encoding="utf-8")
    assert "Provincie Antwerpen" in text and "Source: Eurostat, nama_10r_3empers" in text
    for heading in HEADINGS:
        assert f">{heading}</h2>" in text, heading


def test_every_shown_number_is_formatted_from_its_raw_value(tables):
    n = 0
    for rows in tables.values():
        for _, cs in rows:
            for c in cs:
                if "data-v" in c:
                    dec = int(c["data-dec"]) if "data-dec" in c else None
                    assert c["text"] == fmt_value(
                        float(c["data-v"]), c["data-kind"], "nl", dec, fixed=True
                    ) or (c["data-kind"] == "int" and c["text"] == str(int(float(c["data-v"])))), c
                    n += 1
    assert n > 200


def test_lq_and_structure_tables_by_hand(raw, tables):
    shown = cells(tables, "lq-employment")
    assert sorted(shown) == sorted(A10)
    for s in A10:
        start, end = lq_by_hand(raw, START, s), lq_by_hand(raw, YEAR, s)
        assert same(shown[s]["lq_start"][0], start), s
        assert same(shown[s]["lq_end"][0], end), s
        assert shown[s]["lq_change"][0] == pytest.approx(end - start, rel=1e-9, abs=1e-12), s
    structure = cells(tables, "structure-employment")
    assert sorted(structure) == sorted(A10)
    for s in A10:
        assert same(structure[s]["value"][0], raw(REGION, YEAR, s))
        assert same(structure[s]["share"][0], raw(REGION, YEAR, s) / raw(REGION, YEAR, "TOTAL"))
        assert same(
            structure[s]["reference_share"][0],
            raw(REFERENCE, YEAR, s) / raw(REFERENCE, YEAR, "TOTAL"),
        )
    # 114.6 / 836.0 = 0.1371 (BE21, B-E, 2018)
    assert structure["B-E"]["share"][1] == "13,7%"


def test_shift_share_table_by_hand(raw, tables):
    """Dunn: national x0·G, mix x0·(G_i − G), regional x0·(g_ri − G_i); TOTAL sums the sectors."""
    shown = cells(tables, "shiftshare-employment")
    assert sorted(shown) == sorted([*A10, "TOTAL"])
    big_g = raw(REFERENCE, YEAR, "TOTAL") / raw(REFERENCE, START, "TOTAL") - 1
    total = dict.fromkeys(
        (
            "value_start",
            "value_end",
            "actual_change",
            "national_share",
            "industry_mix",
            "regional_shift",
        ),
        0.0,
    )
    for s in A10:
        x0, x1 = raw(REGION, START, s), raw(REGION, YEAR, s)
        big_gi = raw(REFERENCE, YEAR, s) / raw(REFERENCE, START, s) - 1
        expected = {
            "value_start": x0,
            "value_end": x1,
            "actual_change": x1 - x0,
            "national_share": x0 * big_g,
            "industry_mix": x0 * (big_gi - big_g),
            "regional_shift": x0 * ((x1 / x0 - 1) - big_gi),
        }
        for col, value in expected.items():
            assert shown[s][col][0] == pytest.approx(value, rel=1e-9, abs=1e-9), (s, col)
            total[col] += value
    for col, value in total.items():
        assert shown["TOTAL"][col][0] == pytest.approx(value, rel=1e-9, abs=1e-9), col


def test_screening_and_sensitivity_equal_the_library(panel, tables):
    result = screen(panel, region=REGION, reference=REFERENCE, config=load_config())
    shown = cells(tables, "screening")
    for r in result.table.itertuples():
        assert same(shown[r.sector]["score"][0], r.score)
        assert shown[r.sector]["rank"][0] == r.rank
    status = {row: cs[2]["text"] for row, cs in tables["screening"]}  # code, sector, status
    assert status == {
        s: {"candidate": "kandidaat", "rejected": "afgewezen"}[st]
        for s, st in zip(result.table["sector"], result.table["status"], strict=True)
    }
    sens = threshold_sensitivity(result.metrics, load_config()).summary
    stab = cells(tables, "sensitivity")
    for r in sens.itertuples():
        assert same(stab[r.sector]["stability"][0], r.stability)


def test_key_figure_sheets_equal_the_library_for_each_candidate(panel, tables):
    result = screen(panel, region=REGION, reference=REFERENCE, config=load_config())
    kf = key_figures(
        panel,
        region=REGION,
        reference=REFERENCE,
        sectors=result.selected,
        variables=["employment", "value_added"],
        year=YEAR,
    )
    assert result.selected and all(f"kf-{s}" in tables for s in result.selected)
    for s in result.selected:
        rows = tables[f"kf-{s}"]
        expected = kf[kf["sector"] == s].reset_index(drop=True)
        assert len(rows) == len(expected)
        for (_, cs), e in zip(rows, expected.itertuples(), strict=True):
            fig = cs[1]
            if e.kind == "symbol":
                assert fig["text"] == (e.text or "/")
            else:
                assert same(float(fig["data-v"]), e.value)
                if math.isnan(e.value):
                    assert fig["text"] == "/"


def test_html_references_no_external_url(outputs):
    text = outputs["html"].read_text(encoding="utf-8")
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", text) + re.findall(
        r"url\(([^)]*)\)", text
    )
    assert refs, "expected inlined charts"
    assert all(r.startswith(("data:", "#")) for r in refs), [
        r[:40] for r in refs if not r.startswith("data:")
    ]
    assert "<link" not in text and "@import" not in text and "<script" not in text
    for uri in re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', text):
        svg = base64.b64decode(uri).decode("utf-8")
        inner = re.findall(r"""(?:xlink:)?href\s*=\s*["']([^"']*)["']""", svg)
        assert all(r.startswith("#") for r in inner)
        assert "<image" not in svg


def test_pdf_pages_are_not_blank(outputs, tmp_path):
    subprocess.run(
        ["pdftoppm", "-r", "30", "-png", str(outputs["pdf"]), str(tmp_path / "p")], check=True
    )
    pages = sorted(tmp_path.glob("p-*.png"))
    assert len(pages) >= 6
    for page in pages:
        grey = np.asarray(Image.open(page).convert("L"), dtype=float)
        assert grey.std() > 5.0, f"{page.name} looks blank"


def _comma(x: float, decimals: int) -> str:
    """Dutch number text written here, not by the library: ``1.2345`` → ``'1,23'``."""
    return f"{x:.{decimals}f}".replace(".", ",")


def test_pdf_text_holds_every_heading_and_the_lq_and_structure_rows(raw, outputs):
    """The PDF's own text (pdftotext, table rows kept on one line by ``-layout``): every section
    heading, and for each sector a row with its LQ of the start and end year and one with its
    employment and shares, all recomputed from the raw CSV and formatted by hand."""
    text = subprocess.run(
        ["pdftotext", "-layout", "-enc", "UTF-8", str(outputs["pdf"]), "-"],
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    flat = " ".join(text.split())
    for heading in HEADINGS:
        assert heading in flat, heading
    rows = [line.split() for line in text.splitlines()]
    for s in A10:
        lq = [_comma(lq_by_hand(raw, y, s), 2) for y in (START, YEAR)]
        share = [
            _comma(100 * raw(g, YEAR, s) / raw(g, YEAR, "TOTAL"), 1) + "%"
            for g in (REGION, REFERENCE)
        ]
        structure = [_comma(raw(REGION, YEAR, s), 1), *share]
        mine = [r for r in rows if r and r[0] == s]
        assert any(_holds(r, lq) for r in mine), (s, lq)
        assert any(_holds(r, structure) for r in mine), (s, structure)


def _holds(tokens: list[str], run: list[str]) -> bool:
    """``run`` occurs in ``tokens`` as consecutive items."""
    return any(tokens[i : i + len(run)] == run for i in range(len(tokens) - len(run) + 1))


def test_pdf_embeds_its_fonts(outputs):
    """Every font of the PDF is embedded (a subset), the body font among them."""
    listing = subprocess.run(
        ["pdffonts", str(outputs["pdf"])], capture_output=True, check=True, text=True
    ).stdout.splitlines()[2:]
    assert listing, "no font in the PDF"
    names = [line.split()[0] for line in listing]
    assert any(n.endswith("+DejaVu-Sans") for n in names), names
    for line in listing:
        # columns: name, type words, encoding, emb, sub, uni, object, generation
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line


class _Markup(HTMLParser):
    """Every start tag with its attributes and every text run, in document order."""

    def __init__(self) -> None:
        super().__init__()
        self.items: list[tuple] = []

    def handle_starttag(self, tag, attrs):
        self.items.append(("tag", tag, tuple(attrs)))

    def handle_data(self, data):
        self.items.append(("text", data))


def test_the_pdf_html_drops_only_the_data_attributes(outputs):
    """``print_html`` (what WeasyPrint gets) equals the report's HTML with every ``data-*``
    attribute removed: same tags, other attributes (the chart URIs too) and text."""
    html = outputs["html"].read_text(encoding="utf-8")
    full, printed = _Markup(), _Markup()
    full.feed(html)
    printed.feed(print_html(html))
    expected = [
        ("tag", i[1], tuple(a for a in i[2] if not a[0].startswith("data-")))
        if i[0] == "tag"
        else i
        for i in full.items
    ]
    assert printed.items == expected
    assert sum(a[0] == "data-v" for i in full.items if i[0] == "tag" for a in i[2]) > 200
    assert "data-" not in "".join(str(i[2]) for i in printed.items if i[0] == "tag")


def test_xlsx_has_a_sheet_per_table_with_number_formats(raw, outputs):
    wb = load_workbook(outputs["xlsx"])
    for name in (
        "info",
        "profile",
        "structure-employment",
        "lq-employment",
        "shiftshare-employment",
        "screening",
        "sensitivity",
        "references",
        "matrix",
    ):
        assert name in wb.sheetnames, name
    ws = wb["lq-employment"]
    header = [c.value for c in ws[2]]
    col = header.index("LQ 2018") + 1
    by_sector = {
        ws.cell(row=r, column=1).value: ws.cell(row=r, column=col) for r in range(3, ws.max_row + 1)
    }
    for s in A10:
        assert by_sector[s].value == pytest.approx(lq_by_hand(raw, YEAR, s), rel=1e-12), s
        assert by_sector[s].number_format == "0.00"
    share = wb["structure-employment"]
    assert share.cell(row=3, column=4).number_format == "0.0%"


def test_english_report_uses_english_words_and_numbers(panel, tmp_path):
    out = write_report(
        panel,
        region=REGION,
        reference=REFERENCE,
        lang="en",
        out=tmp_path / "r.html",
        progress=False,
    )
    text = out.read_text(encoding="utf-8")
    assert "Spearhead sectors: regional profile of" in text and "Region profile" in text
    parser = Tables()
    parser.feed(text)
    structure = {row: cs for row, cs in parser.tables["structure-employment"]}
    assert [c["text"] for c in structure["B-E"] if c.get("data-col") == "share"] == ["13.7%"]


def test_no_report_file_for_an_unknown_format(panel, tmp_path):
    from speerpunt.errors import SpeerpuntError

    with pytest.raises(SpeerpuntError, match="unknown report format '.docx'"):
        write_report(
            panel, region=REGION, reference=REFERENCE, out=tmp_path / "r.docx", progress=False
        )
    assert not list(Path(tmp_path).iterdir())
