"""Readers on small files written here; every expected value is read off the file by eye."""

from __future__ import annotations

import gzip
import math

import numpy as np
import pandas as pd
import pytest
from openpyxl import Workbook

from speerpunt.errors import DataError
from speerpunt.io import read_panel


def _cell(panel, region, sector, year, variable="employment"):
    d = panel.data
    row = d[
        (d.region == region) & (d.sector == sector) & (d.year == year) & (d.variable == variable)
    ]
    assert len(row) == 1, (region, sector, year, variable)
    return row["value"].iloc[0], row["flag"].iloc[0]


def test_long_csv_values_flags_and_missing(tmp_path):
    f = tmp_path / "long.csv"
    f.write_text(
        "region,sector,year,variable,value,flag\n"
        "BE21,A,2000,employment,4.1,\n"
        "BE21,F,2000,employment,12.3 p,\n"
        "BE21,C,2000,employment,,\n"
        "BE21,K,2000,employment,c,\n"
        "BE21,L,2000,employment,: c,\n"
        "BE21,J,2000,employment,7,e\n"
        "BE21,M_N,2000,employment,0,\n"
    )
    p = read_panel(f)
    assert len(p) == 7
    assert _cell(p, "BE21", "A", 2000) == (4.1, "")
    assert _cell(p, "BE21", "F", 2000) == (12.3, "p")
    assert _cell(p, "BE21", "J", 2000) == (7.0, "e")
    assert _cell(p, "BE21", "M_N", 2000) == (0.0, "")
    for sector, flag in (("C", ":"), ("K", "c"), ("L", "c")):
        value, got = _cell(p, "BE21", sector, 2000)
        assert math.isnan(value) and got == flag


def test_long_csv_without_variable_column_needs_the_name(tmp_path):
    f = tmp_path / "nv.csv"
    f.write_text("region,sector,year,value\nBE21,A,2000,4.1\nBE21,A,2001,4.0\n")
    p = read_panel(f, variable="value_added")
    assert p.variables == ["value_added"]
    assert _cell(p, "BE21", "A", 2001, "value_added") == (4.0, "")
    with pytest.raises(DataError, match="missing required column 'variable'"):
        read_panel(f)


def test_long_csv_variable_keyword_selects(tmp_path):
    f = tmp_path / "two.csv"
    f.write_text(
        "region,sector,year,variable,value\nR,A,2000,employment,1\nR,A,2000,value_added,2\n"
    )
    assert read_panel(f).variables == ["employment", "value_added"]
    p = read_panel(f, variable="value_added")
    assert p.variables == ["value_added"] and p.data["value"].tolist() == [2.0]
    with pytest.raises(DataError, match="variable 'gdp' does not occur"):
        read_panel(f, variable="gdp")


def test_wide_by_sector_eurostat_layout_defaults_to_employment(tmp_path):
    f = tmp_path / "be_EMP_THS.csv"
    f.write_text("geo,year,A,F,TOTAL\nBE,2000,80.6,246.2,4109.0\nBEZZ,2000,,,5.7\n")
    p = read_panel(f)
    assert p.variables == ["employment"]
    assert p.unit("employment") == "thousand persons"
    assert len(p) == 6
    assert _cell(p, "BE", "F", 2000) == (246.2, "")
    value, flag = _cell(p, "BEZZ", "A", 2000)
    assert math.isnan(value) and flag == ":"
    assert _cell(p, "BEZZ", "TOTAL", 2000) == (5.7, "")


def test_wide_by_sector_with_region_header_requires_variable(tmp_path):
    f = tmp_path / "w.csv"
    f.write_text("region,year,A,F\nR1,2000,1,2\nR1,2001,3,4\n")
    with pytest.raises(DataError, match="needs the variable name"):
        read_panel(f)
    p = read_panel(f, variable="establishments")
    assert _cell(p, "R1", "F", 2001, "establishments") == (4.0, "")


def test_wide_by_year(tmp_path):
    f = tmp_path / "y.csv"
    f.write_text("region,sector,2008,2018\nBE21,C,80.5,75.25\nBE21,F,30,: c\n")
    p = read_panel(f, variable="employment")
    assert p.years == [2008, 2018]
    assert _cell(p, "BE21", "C", 2018) == (75.25, "")
    assert _cell(p, "BE21", "F", 2008) == (30.0, "")
    assert _cell(p, "BE21", "F", 2018)[1] == "c"


def test_wide_by_year_with_variable_column(tmp_path):
    f = tmp_path / "yv.csv"
    f.write_text("region,sector,variable,2008,2018\nR,C,employment,1,2\nR,C,value_added,10,20\n")
    assert read_panel(f).variables == ["employment", "value_added"]
    assert read_panel(f, variable="value_added").data["value"].tolist() == [10.0, 20.0]


def test_semicolon_and_decimal_comma(tmp_path):
    f = tmp_path / "nl.csv"
    f.write_text(
        "region;sector;year;variable;value\nBE21;A;2000;employment;4,1\n"
        "BE21;F;2000;employment;1.234,5\nBE21;C;2000;employment;7.5\n"
    )
    p = read_panel(f)
    assert _cell(p, "BE21", "A", 2000)[0] == 4.1
    assert _cell(p, "BE21", "F", 2000)[0] == 1234.5
    assert _cell(p, "BE21", "C", 2000)[0] == 7.5


def test_encoding_latin1_and_utf8_bom(tmp_path):
    f = tmp_path / "l1.csv"
    f.write_bytes(
        "region,sector,year,variable,value\nLiège,A,2000,employment,3\n".encode("latin-1")
    )
    with pytest.raises(DataError, match="--encoding latin-1") as info:
        read_panel(f)
    assert info.value.row == 2 and info.value.column == "region"
    assert read_panel(f, encoding="latin-1").regions == ["Liège"]
    g = tmp_path / "bom.csv"
    g.write_bytes("\ufeffregion,sector,year,variable,value\nR,A,2000,employment,3\n".encode())
    assert read_panel(g).regions == ["R"]


def test_blank_lines_keep_line_numbers(tmp_path):
    f = tmp_path / "blank.csv"
    f.write_text(
        "region,sector,year,variable,value\n\nR,A,2000,employment,1\n   \n\nR,B,2000,employment,x\n"
    )
    with pytest.raises(DataError) as info:
        read_panel(f)
    assert info.value.row == 6


def test_crlf_and_quoted_fields(tmp_path):
    f = tmp_path / "crlf.csv"
    f.write_bytes(
        b'region,sector,year,variable,value\r\n"Antwerpen, prov.",A,2000,employment,1\r\n'
        b"R,B,2000,employment,oops\r\n"
    )
    with pytest.raises(DataError) as info:
        read_panel(f)
    assert info.value.row == 3
    f.write_bytes(
        b'region,sector,year,variable,value\r\n"Antwerpen, prov.",A,2000,employment,1\r\n'
    )
    assert read_panel(f).regions == ["Antwerpen, prov."]


def test_year_as_float_text_is_accepted(tmp_path):
    # REAT's CSVs write years as 2008.0
    f = tmp_path / "reat.csv"
    f.write_text("region,sector,year,variable,value\nR,A,2008.0,employment,200939.0\n")
    assert read_panel(f).years == [2008]


def _xlsx(path, rows, start_row=1):
    wb = Workbook()
    ws = wb.active
    for i, row in enumerate(rows):
        for j, v in enumerate(row, start=1):
            ws.cell(row=start_row + i, column=j, value=v)
    wb.save(path)


def test_xlsx_long_and_spreadsheet_rows(tmp_path):
    f = tmp_path / "long.xlsx"
    _xlsx(
        f,
        [
            ["region", "sector", "year", "variable", "value", "flag"],
            ["BE21", "A", 2000, "employment", 4.1, None],
            ["BE21", "F", 2000, "employment", None, "c"],
            ["BE21", "C", 2000, "employment", "12.5 p", None],
        ],
    )
    p = read_panel(f)
    assert _cell(p, "BE21", "A", 2000) == (4.1, "")
    value, flag = _cell(p, "BE21", "F", 2000)
    assert math.isnan(value) and flag == "c"
    assert _cell(p, "BE21", "C", 2000) == (12.5, "p")
    g = tmp_path / "offset.xlsx"
    _xlsx(
        g,
        [
            ["region", "sector", "year", "variable", "value"],
            ["BE21", "A", 2000, "employment", 1],
            ["BE21", "B", 2000, "employment", -1],
        ],
        start_row=3,
    )
    with pytest.raises(DataError) as info:
        read_panel(g)
    assert info.value.row == 5 and info.value.column == "value"


def test_xlsx_wide_sheet_choice(tmp_path):
    f = tmp_path / "w.xlsx"
    wb = Workbook()
    wb.active.append(["nothing"])
    ws = wb.create_sheet("emp")
    ws.append(["geo", "year", "A", "TOTAL"])
    ws.append(["BE", 2000, 80.6, 4109.0])
    wb.save(f)
    p = read_panel(f, sheet="emp")
    assert _cell(p, "BE", "TOTAL", 2000) == (4109.0, "")
    assert _cell(p, "BE", "A", 2000) == (80.6, "")


def test_parquet_long(tmp_path):
    f = tmp_path / "p.parquet"
    pd.DataFrame(
        {
            "region": ["R", "R"],
            "sector": ["A", "B"],
            "year": [2000, 2000],
            "variable": "employment",
            "value": [1.5, np.nan],
            "flag": ["", "c"],
        }
    ).to_parquet(f)
    p = read_panel(f)
    assert _cell(p, "R", "A", 2000) == (1.5, "")
    assert _cell(p, "R", "B", 2000)[1] == "c"


TSV = (
    "freq,unit,nace_r2,wstatus,geo\\TIME_PERIOD\t2016 \t2017 \t2018 \n"
    "A,THS_PER,A,EMP,BE21 \t4.1 \t4.2 p\t: \n"
    "A,THS_PER,C,EMP,BE21 \t80.5 e\t:c\t: c\n"
    "A,THS_PER,F,EMP,BE21 \t0 z\t12.3 pe\t31.0 b\n"
    "A,THS_PER,A,SAL,BE21 \t1.0 \t1.1 \t1.2 \n"
)


def test_eurostat_tsv_flags_and_variables(tmp_path):
    f = tmp_path / "nama_10r_3empers.tsv"
    f.write_text(TSV)
    p = read_panel(f)
    assert p.variables == ["employees", "employment"]
    assert p.unit("employment") == "thousand persons"
    assert p.meta.attribution == "Source: Eurostat, nama_10r_3empers"
    assert _cell(p, "BE21", "A", 2016) == (4.1, "")
    assert _cell(p, "BE21", "A", 2017) == (4.2, "p")
    assert _cell(p, "BE21", "C", 2016) == (80.5, "e")
    assert _cell(p, "BE21", "F", 2016) == (0.0, "z")
    assert _cell(p, "BE21", "F", 2017) == (12.3, "pe")
    assert _cell(p, "BE21", "F", 2018) == (31.0, "b")
    assert _cell(p, "BE21", "A", 2018, "employees") == (1.2, "")
    for year, flag in ((2018, ":"), (2017, "c")):
        value, got = _cell(p, "BE21", "A" if year == 2018 else "C", year)
        assert math.isnan(value) and got == flag
    assert _cell(p, "BE21", "C", 2018)[1] == "c"
    assert len(read_panel(f, variable="employment")) == 9


def test_eurostat_tsv_gz_and_value_added(tmp_path):
    f = tmp_path / "nama_10r_3gva.tsv.gz"
    f.write_bytes(
        gzip.compress(
            b"unit,nace_r2,geo\\time\t2017 \t2018 \n"
            b"MIO_EUR,C,BE21 \t12000.5 \t12500.0 p\n"
            b"MIO_NAC,C,BE21 \t12000.5 \t12500.0 p\n"
            b"MIO_EUR,TOTAL,BE21 \t80000.0 \t: \n"
        )
    )
    p = read_panel(f)
    assert p.variables == ["value_added", "value_added_mio_nac"]
    assert p.unit("value_added") == "million euro"
    assert _cell(p, "BE21", "C", 2018, "value_added") == (12500.0, "p")
    assert math.isnan(_cell(p, "BE21", "TOTAL", 2018, "value_added")[0])


def test_eurostat_sdmx_csv(tmp_path):
    f = tmp_path / "sdmx.csv"
    f.write_text(
        "DATAFLOW,LAST UPDATE,freq,unit,nace_r2,wstatus,geo,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:NAMA_10R_3EMPERS(1.0),01/01/24,A,THS_PER,A,EMP,BE21,2018,4.2,p\n"
        "ESTAT:NAMA_10R_3EMPERS(1.0),01/01/24,A,THS_PER,C,EMP,BE21,2018,,c\n"
    )
    p = read_panel(f)
    assert p.variables == ["employment"]
    assert _cell(p, "BE21", "A", 2018) == (4.2, "p")
    value, flag = _cell(p, "BE21", "C", 2018)
    assert math.isnan(value) and flag == "c"


def test_schemes(tmp_path):
    f = tmp_path / "nace.csv"
    f.write_text(
        "region,sector,year,variable,value\nR,C10.1,2000,e,1\nR,C,2000,e,2\n"
        "R,B-E,2000,e,3\nR,M_N,2000,e,4\nR,TOTAL,2000,e,10\nR,20,2000,e,0.5\n"
    )
    # C, 20 and C10.1 lie inside B-E: refused unless allowed (these checks are about the scheme)
    with pytest.raises(DataError, match="is inside sector B-E"):
        read_panel(f, scheme="nace")
    assert len(read_panel(f, scheme="nace", allow_overlaps=True)) == 6
    # NACE codes outside A*10 are known, not errors
    assert len(read_panel(f, scheme="a10", allow_overlaps=True)) == 6
    g = tmp_path / "own.csv"
    g.write_text("region,sector,year,variable,value\nR,C,2000,e,1\nR,chemie,2000,e,2\n")
    assert read_panel(g).sectors == ["C", "chemie"]  # without a scheme, own labels are fine
    with pytest.raises(DataError, match="unknown sector code 'chemie' for scheme 'a10'") as info:
        read_panel(g, scheme="a10")
    assert info.value.row == 3 and info.value.column == "sector"
    with pytest.raises(DataError, match="unknown sector scheme or code .nacebel."):
        read_panel(f, scheme="nacebel", allow_overlaps=True)


def test_unknown_dataset_or_file():
    with pytest.raises(DataError, match="neither a file nor an embedded dataset"):
        read_panel("be-employmnet")
    with pytest.raises(DataError, match="no such file"):
        read_panel("/nonexistent/x.csv")


def test_regional_scheme_on_eurostat_layout(shared_dir, tmp_path):
    f = shared_dir / "data" / "eurostat" / "be_nama_10r_3empers_EMP_THS_2000_2018.csv"
    # one cell per data row and sector column of the wide file: 760 × 15 = 11400
    lines = f.read_text(encoding="utf-8").splitlines()
    assert (len(lines) - 1) * (len(lines[0].split(",")) - 2) == 760 * 15 == 11400
    assert len(read_panel(f, scheme="regional")) == 11400
    assert len(read_panel(f, scheme="a10")) == 11400
    # an unknown code in a wide file's header is reported at the header (line 1)
    g = tmp_path / "w.csv"
    g.write_text("geo,year,A,Chem,TOTAL\nBE,2000,1,2,10\n")
    with pytest.raises(DataError, match="unknown sector code 'Chem' for scheme 'a10'") as info:
        read_panel(g, scheme="a10")
    assert info.value.column == "Chem" and info.value.row == 1


def test_wide_by_sector_with_variable_column(tmp_path):
    f = tmp_path / "wv.csv"
    f.write_text(
        "geo,year,variable,A,TOTAL\nBE,2000,employment,80.6,4109.0\n"
        "BE,2000,value_added,2000.5,300000\n"
    )
    p = read_panel(f)
    assert p.variables == ["employment", "value_added"]
    assert _cell(p, "BE", "TOTAL", 2000, "value_added") == (300000.0, "")
    assert read_panel(f, variable="value_added").variables == ["value_added"]
    assert read_panel(f, variable="employment").variables == ["employment"]


def test_short_row_is_an_error_not_missing(tmp_path):
    f = tmp_path / "short.csv"
    f.write_text(
        "region,sector,year,variable,value,flag\nR,A,2000,employment,1,\nR,B,2000,employment\n"
    )
    with pytest.raises(DataError, match="row has 4 field") as info:
        read_panel(f)
    assert info.value.row == 3


def test_xlsx_header_errors_name_the_header_row(tmp_path):
    g = tmp_path / "low.xlsx"
    _xlsx(
        g,
        [["plaats", "sector", "year", "variable", "value"], ["BE21", "A", 2000, "e", 1]],
        start_row=4,
    )
    with pytest.raises(DataError, match="no 'region'") as info:
        read_panel(g)
    assert info.value.row == 4 and info.value.column == "plaats"
