"""The streaming XLSX reader (speerpunt.io.xlsx_stream) against the in-memory reader (speerpunt.io.xlsx).

Workbooks are generated here with openpyxl; a small ``block_size`` sends them through the streaming
reader, which is then compared with the in-memory reading of the same file and with values worked out
by hand.
"""

from __future__ import annotations

import csv
import datetime as dt
import gc
import importlib.util
import tracemalloc
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from speerpunt.errors import DataError
from speerpunt.io import check_file
from speerpunt.io.read import read_with_summary
from speerpunt.io.summary import ReadSummary
from speerpunt.io.xlsx_stream import BLOCK_BYTES, read_xlsx_streamed

CODES = ["region", "sector", "variable", "flag"]
BADINPUT = Path(__file__).resolve().parents[1] / "badinput"
HEADER = ["gewest", "sector", "jaar", "variabele", "waarde", "vlag"]


def _text(panel) -> pd.DataFrame:
    return panel.data.astype(dict.fromkeys(CODES, str))


def _streamed(path: Path, **options):
    panel, summary = read_with_summary(path, block_size=2048, **options)
    # The streaming reader returns categorical codes; the in-memory reader plain text.
    assert isinstance(panel.data["sector"].dtype, pd.CategoricalDtype)
    return panel, summary


def _workbook(path: Path, rows: int = 300) -> dict:
    """Title rows, a Dutch header, dates as years, flags, notes below; expected values by hand."""
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("Werkgelegenheid")
    ws.append(["Werkgelegenheid per gewest"])
    ws.append([])
    ws.append(HEADER)
    expected = {}
    for i in range(rows):
        region, year = f"BE{i % 25:02d}", 2000 + i // 25
        a, f = 100 + 3 * i, 7 * i + 0.5
        # Every other year as an Excel date (a year column may hold dates).
        when = dt.datetime(year, 1, 1) if i % 2 else year
        ws.append([region, "A", when, "employment", a, None])
        ws.append([region, "F", when, "employment", f, "p" if i % 7 == 0 else None])
        ws.append([region, "TOTAL", when, "employment", a + f + 1, None])
        expected[(region, "F", year)] = f
        expected[(region, "TOTAL", year)] = a + f + 1
    ws.append([])
    ws.append(["Bron: Statbel, bewerking"])
    ws.append(["Noot: voorlopige cijfers"])
    wb.save(path)
    return expected


def test_streamed_sheet_equals_in_memory_sheet(tmp_path: Path) -> None:
    path = tmp_path / "werk.xlsx"
    expected = _workbook(path)
    streamed, s1 = _streamed(path)
    memory, s2 = read_with_summary(path)
    assert not isinstance(memory.data["sector"].dtype, pd.CategoricalDtype)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert (
        s1.skipped_lines
        == s2.skipped_lines
        == [
            "line 1: Werkgelegenheid per gewest",
            "line 905: Bron: Statbel, bewerking",
            "line 906: Noot: voorlopige cijfers",
        ]
    )
    assert s1.header_line == s2.header_line == 3
    assert s1.sheet == s2.sheet == "Werkgelegenheid"
    assert s1.header_mapping == s2.header_mapping
    d = _text(streamed).set_index(["region", "sector", "year"])
    assert len(d) == 900
    for key, value in list(expected.items())[::23]:
        assert d.loc[key, "value"] == pytest.approx(value)
    assert d.loc[("BE00", "F", 2000), "flag"] == "p"  # row i = 0: flagged


def test_sheet_by_name_and_index_streamed(tmp_path: Path) -> None:
    path = tmp_path / "two.xlsx"
    wb = Workbook(write_only=True)
    wb.create_sheet("leeg").append(["niets hier"])
    ws = wb.create_sheet("emp")
    ws.append(["geo", "year", "A", "TOTAL"])
    for k in range(40):
        ws.append([f"BE{k:02d}", 2018, k + 0.5, 10 * k + 1])
    wb.save(path)
    by_name, _ = _streamed(path, sheet="emp")
    by_index, summary = _streamed(path, sheet=1)
    memory, _ = read_with_summary(path, sheet="emp")
    pd.testing.assert_frame_equal(_text(by_name), _text(memory))
    pd.testing.assert_frame_equal(_text(by_index), _text(memory))
    assert summary.sheet == "emp"
    d = _text(by_name).set_index(["region", "sector"])["value"]
    assert d.loc[("BE07", "A")] == 7.5 and d.loc[("BE07", "TOTAL")] == 71
    with pytest.raises(DataError, match="no sheet 'foo'"):
        read_with_summary(path, sheet="foo", block_size=2048)


def _package(path: Path, sheet_xml: str, strings: list[str], prefix: str = "") -> None:
    """A hand-written XLSX (shared strings, cell styles) as spreadsheet programs write them."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    sst = "".join(f"<si><t>{s}</t></si>" for s in strings)
    files = {
        "[Content_Types].xml": '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/></Types>',
        "_rels/.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets><sheet name="Blad1" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/><Relationship Id="rId3" Type="{rel}/styles" Target="styles.xml"/></Relationships>',
        "xl/sharedStrings.xml": f'<?xml version="1.0"?><sst xmlns="{ns}" count="{len(strings)}" uniqueCount="{len(strings)}">{sst}</sst>',
        "xl/styles.xml": f'<?xml version="1.0"?><styleSheet xmlns="{ns}"><fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills><borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs><cellXfs count="2"><xf numFmtId="0"/><xf numFmtId="14" applyNumberFormat="1"/></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>',
        "xl/worksheets/sheet1.xml": (
            f'<?xml version="1.0"?><{prefix}worksheet xmlns{":" + prefix[:-1] if prefix else ""}="{ns}">'
            f"<{prefix}sheetData>{sheet_xml}</{prefix}sheetData></{prefix}worksheet>"
        ),
    }
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, text in files.items():
            zf.writestr(name, text)


def _row(r: int, cells: str) -> str:
    return f'<row r="{r}">{cells}</row>'


def test_shared_strings_dates_and_gaps_as_spreadsheet_programs_write_them(tmp_path: Path) -> None:
    strings = ["region", "sector", "year", "variable", "value", "BE21", "A", "employment", "12,5"]
    s = {t: i for i, t in enumerate(strings)}
    head = "".join(
        f'<c r="{c}1" t="s"><v>{s[h]}</v></c>' for c, h in zip("ABCDE", strings[:5], strict=True)
    )
    # Row 2: year as a date serial with the date style 1 (43101 = 2018-01-01); row 4 after a gap row,
    # its value a shared string in the decimal-comma convention; cell references omitted in row 4.
    rows = [
        _row(1, head),
        _row(
            2,
            f'<c r="A2" t="s"><v>{s["BE21"]}</v></c><c r="B2" t="s"><v>{s["A"]}</v></c>'
            f'<c r="C2" s="1"><v>43101</v></c><c r="D2" t="s"><v>{s["employment"]}</v></c>'
            '<c r="E2"><v>4.5</v></c>',
        ),
        _row(
            4,
            f'<c t="s"><v>{s["BE21"]}</v></c><c t="str"><v>F</v></c><c><v>2018</v></c>'
            f'<c t="s"><v>{s["employment"]}</v></c><c t="s"><v>{s["12,5"]}</v></c>',
        ),
    ]
    path = tmp_path / "excel.xlsx"
    _package(path, "".join(rows), strings)
    streamed, _ = _streamed(path)
    memory, _ = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    d = _text(streamed).set_index("sector")
    assert d.loc["A", "year"] == 2018 and d.loc["A", "value"] == 4.5
    assert d.loc["F", "value"] == 12.5 and d.loc["F", "year"] == 2018


def _xlsx_cases(name: str) -> list[dict[str, str]]:
    with open(BADINPUT / name, newline="", encoding="utf-8") as fh:
        return [c for c in csv.DictReader(fh) if c["file"].endswith(".xlsx")]


def _options(spec: str) -> dict[str, object]:
    return dict(part.split("=", 1) for part in filter(None, spec.split(";")))


def _both_errors(path: Path, **options) -> list[DataError]:
    """The errors of the in-memory reader and of the streaming one (a 64-byte block), in that order."""
    errors = []
    for block in (None, 64):
        with pytest.raises(DataError) as info:
            check_file(path, block_size=block, **options)
        errors.append(info.value)
    return errors


@pytest.mark.parametrize("case", _xlsx_cases("expected.csv"), ids=lambda c: c["file"])
def test_bad_workbook_gives_the_same_error_streamed(case: dict[str, str]) -> None:
    path = BADINPUT / case["file"]
    memory, streamed = _both_errors(path, **_options(case["options"]))
    assert streamed.one_line() == memory.one_line()
    assert case["message"] in streamed.one_line()
    assert streamed.row == (int(case["line"]) if case["line"] else None)
    assert streamed.column == (case["column"] or None)


@pytest.mark.parametrize(
    "case", _xlsx_cases("readings.csv"), ids=lambda c: f"{c['file']}:{c['options']}"
)
def test_tricky_workbook_reads_the_same_streamed(case: dict[str, str]) -> None:
    path = BADINPUT / case["file"]
    streamed, s1 = read_with_summary(path, block_size=64, **_options(case["options"]))
    memory, s2 = read_with_summary(path, **_options(case["options"]))
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert s1.skipped_lines == s2.skipped_lines
    d = _text(streamed)
    row = d[(d["region"] == case["region"]) & (d["sector"] == case["sector"])]
    row = row[row["year"] == int(case["year"])]
    assert float(row["value"].iloc[0]) == pytest.approx(float(case["value"]))


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        (True, "Sheet!E32 is the true/false value TRUE"),
        ("#N/A", "Sheet!E32 holds the spreadsheet error #N/A"),
        ("=E2+E3", "Sheet!E32 is a formula (=E2+E3) without a stored result"),
        (dt.date(2018, 5, 1), "Sheet!E32 is a date (2018-05-01 00:00:00)"),
    ],
)
def test_bad_cell_in_a_later_block_is_named(tmp_path: Path, cell, message: str) -> None:
    path = tmp_path / "late.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "sector", "year", "variable", "value"])
    for k in range(30):
        ws.append([f"R{k}", "A", 2018, "employment", k])
    ws.append(["R99", "A", 2018, "employment", cell])
    wb.save(path)
    # The streaming module itself refuses the cell (no fall back to the in-memory reader).
    with pytest.raises(DataError) as direct:
        read_xlsx_streamed(
            path,
            sheet=None,
            variable=None,
            decimal=None,
            thousands=None,
            summary=ReadSummary(path.name),
            max_cells=None,
            max_unpacked_bytes=None,
            block_size=64,
        )
    for err in [*_both_errors(path), direct.value]:
        assert message in str(err)
        assert err.row == 32 and err.column == "value"


def _one_cell_sheet():
    spec = importlib.util.spec_from_file_location("badinput_cases", BADINPUT / "test_badinput.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module._one_cell_sheet


def test_dimension_bomb_is_refused_streamed(tmp_path: Path) -> None:
    make = _one_cell_sheet()
    declared = tmp_path / "declared.xlsx"
    make(declared, "XFD1048576", "A1:XFD1048576")
    with pytest.raises(DataError, match=r"declares 1,048,576 rows × 16,384 columns"):
        read_with_summary(declared, block_size=64)
    lying = tmp_path / "lying.xlsx"
    make(lying, "XFD1048576", "A1:B1")
    with pytest.raises(DataError, match=r"holds 1,048,576 rows × 16,384 columns"):
        read_with_summary(lying, block_size=64)
    with pytest.raises(DataError, match="more than the limit of 4"):
        read_with_summary(BADINPUT / "xlsx_missing_sheet.xlsx", max_cells=4, block_size=64)


def test_data_in_an_unnamed_column_is_read_as_in_memory(tmp_path: Path) -> None:
    # Column F has values but no name: the in-memory reader gives its message.
    path = tmp_path / "unnamed.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "sector", "year", "variable", "value"])
    ws.append(["R1", "A", 2018, "employment", 1.5, "x"])
    wb.save(path)
    with pytest.raises(DataError) as streamed:
        read_with_summary(path, block_size=64)
    with pytest.raises(DataError) as memory:
        read_with_summary(path)
    assert streamed.value.one_line() == memory.value.one_line()
    assert "empty column name" in memory.value.one_line()


def _large(path: Path, rows: int) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("data")
    ws.append(["region", "sector", "year", "variable", "value"])
    rng = np.random.default_rng(3)
    values = rng.integers(0, 10_000_000, size=rows) / 10
    sectors = [f"S{k:02d}" for k in range(50)]
    for i in range(rows):
        ws.append([f"R{i // 50 % 400:03d}", sectors[i % 50], 1990 + i // 20_000, "emp", values[i]])
    wb.save(path)


def test_streaming_peak_memory_is_at_most_three_times_the_panel(tmp_path: Path) -> None:
    path = tmp_path / "large.xlsx"
    _large(path, 50_000)
    read_with_summary(BADINPUT / "xlsx_missing_sheet.xlsx", block_size=64)  # imports, once
    gc.collect()
    tracemalloc.start()
    try:
        panel, _ = read_with_summary(path, block_size=BLOCK_BYTES)  # the default block
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    size = int(panel.data.memory_usage(deep=True).sum())
    assert len(panel.data) == 50_000
    assert isinstance(panel.data["region"].dtype, pd.CategoricalDtype)
    assert peak <= 3 * size, (peak, size)


def test_formula_with_its_stored_result_reads_as_the_result(tmp_path: Path) -> None:
    head = "".join(
        f'<c r="{c}1" t="inlineStr"><is><t>{h}</t></is></c>'
        for c, h in zip("ABCDE", ["region", "sector", "year", "variable", "value"], strict=True)
    )
    ids = '<c t="inlineStr"><is><t>BE21</t></is></c><c t="inlineStr"><is><t>{s}</t></is></c>'
    ids += '<c><v>2018</v></c><c t="inlineStr"><is><t>employment</t></is></c>'
    rows = _row(1, head) + _row(2, ids.format(s="A") + "<c><v>4.5</v></c>")
    # E3 = E2*2 with its result 9 stored; E4 shares E3's formula (no text of its own) without a result.
    rows += _row(
        3, ids.format(s="F") + '<c r="E3"><f t="shared" si="0" ref="E3:E4">E2*2</f><v>9</v></c>'
    )
    good = tmp_path / "cached.xlsx"
    _package(good, rows, [])
    streamed, _ = _streamed(good)
    memory, _ = read_with_summary(good)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert _text(streamed).set_index("sector").loc["F", "value"] == 9
    bad = tmp_path / "shared.xlsx"
    _package(bad, rows + _row(4, ids.format(s="C") + '<c r="E4"><f t="shared" si="0"/></c>'), [])
    errors = [e.one_line() for e in _both_errors(bad)]
    assert errors[0] == errors[1]
    assert (
        "Sheet" not in errors[0]
        and "Blad1!E4 is a formula (=E3*2) without a stored result" in errors[0]
    )


def test_note_between_data_rows_is_data_in_both_readers(tmp_path: Path) -> None:
    path = tmp_path / "middle.xlsx"
    wb = Workbook()
    ws = wb.active
    ws.append(["region", "sector", "year", "variable", "value"])
    for k in range(20):
        ws.append([f"R{k:02d}", "A", 2018, "employment", k])
    ws.append(["Noot: breuk in de reeks"])
    ws.append(["R99", "A", 2018, "employment", 1])
    wb.save(path)
    errors = _both_errors(path)
    assert errors[0].one_line() == errors[1].one_line()
    assert errors[1].row == 22  # the note row, read as a row without sector, year or value


def test_sheet_xml_with_a_namespace_prefix_reads_the_same(tmp_path: Path) -> None:
    # Some writers spell every element with a prefix: <x:row>, <x:c>, <x:v>.
    table = [
        ["region", "sector", "year", "variable", "value"],
        ["BE21", "A", 2018, "employment", 4.5],
        ["BE21", "F", 2018, "employment", 7],
    ]
    rows = ""
    for i, values in enumerate(table, start=1):
        cells = "".join(
            f'<x:c r="{c}{i}" t="inlineStr"><x:is><x:t>{v}</x:t></x:is></x:c>'
            if isinstance(v, str)
            else f'<x:c r="{c}{i}"><x:v>{v}</x:v></x:c>'
            for c, v in zip("ABCDE", values, strict=True)
        )
        rows += f'<x:row r="{i}">{cells}</x:row>'
    path = tmp_path / "prefixed.xlsx"
    _package(path, rows, [], prefix="x:")
    streamed, _ = _streamed(path)
    memory, _ = read_with_summary(path)
    pd.testing.assert_frame_equal(_text(streamed), _text(memory))
    assert _text(streamed).set_index("sector")["value"].to_dict() == {"A": 4.5, "F": 7.0}
