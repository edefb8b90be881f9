"""``.zip`` input: one member read as itself, several refused unless named, bombs refused."""

from __future__ import annotations

import subprocess
import sys
import zipfile

import openpyxl
import pytest

from speerpunt.errors import DataError
from speerpunt.io import read_panel

CSV = "region;sector;year;variable;value\nR1;C;2018;employment;1.234,5\nR1;TOTAL;2018;employment;2.000\n"


def _zip(path, members: dict[str, bytes], method=zipfile.ZIP_DEFLATED):
    with zipfile.ZipFile(path, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _values(panel):
    return panel.data.set_index(["region", "sector"])["value"].to_dict()


def test_single_csv_member_is_read_with_its_conventions(tmp_path):
    path = _zip(tmp_path / "data.zip", {"map/werk.csv": CSV.encode(), "__MACOSX/._werk.csv": b"x"})
    p = read_panel(path)
    # Dutch convention: 1.234,5 = 1234.5 and 2.000 = 2000 (hand-read)
    assert _values(p) == {("R1", "C"): 1234.5, ("R1", "TOTAL"): 2000.0}
    assert p.meta.source.endswith("data.zip:map/werk.csv")


def test_xlsx_member(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["region", "sector", "year", "variable", "value"])
    ws.append(["R1", "C", 2018, "employment", 7])
    ws.append(["R1", "TOTAL", 2018, "employment", 9])
    wb.save(tmp_path / "b.xlsx")
    path = _zip(tmp_path / "x.zip", {"b.xlsx": (tmp_path / "b.xlsx").read_bytes()})
    assert _values(read_panel(path)) == {("R1", "C"): 7.0, ("R1", "TOTAL"): 9.0}


def test_several_members_refused_listing_them_unless_named(tmp_path):
    other = CSV.replace("1.234,5", "1.500,5").encode()
    path = _zip(tmp_path / "two.zip", {"a.csv": CSV.encode(), "b.csv": other, "readme.pdf": b"%"})
    with pytest.raises(DataError) as exc:
        read_panel(path)
    msg = str(exc.value)
    assert "a.csv, b.csv" in msg and "two.zip:a.csv" in msg and "readme" not in msg
    assert _values(read_panel(f"{path}:b.csv"))[("R1", "C")] == 1500.5
    assert _values(read_panel(path, member="a.csv"))[("R1", "C")] == 1234.5
    with pytest.raises(DataError, match="no member 'c.csv'"):
        read_panel(path, member="c.csv")


def test_errors_name_the_zip_and_the_member(tmp_path):
    bad = CSV + "R2;C;2018;employment;abc\n"
    path = _zip(tmp_path / "bad.zip", {"werk.csv": bad.encode()})
    with pytest.raises(DataError) as exc:
        read_panel(path)
    assert str(exc.value).startswith("bad.zip:werk.csv, line 4")


def test_zip_bomb_by_ratio_and_by_limit(tmp_path):
    zeros = b"0" * 30_000_000  # 30 MB of one byte: packs ~1000:1, beyond the ratio of 200
    path = _zip(tmp_path / "bomb.zip", {"bomb.csv": zeros})
    assert path.stat().st_size < 200_000
    with pytest.raises(DataError, match="more than 200 times its size"):
        read_panel(path)
    small = _zip(tmp_path / "big.zip", {"big.csv": (CSV * 2000).encode()})
    with pytest.raises(DataError, match="limit max_unpacked_bytes"):
        read_panel(small, max_unpacked_bytes=10_000)


def test_zip_bomb_lying_about_its_size(tmp_path):
    # The central directory declares 100 bytes; the real count while unpacking must refuse.
    path = _zip(tmp_path / "liar.zip", {"x.csv": b"1" * 20_000_000})
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as zf:
        info = zf.getinfo("x.csv")
    cd = data.rfind(b"PK\x01\x02")
    data[cd + 24 : cd + 28] = (100).to_bytes(4, "little")  # uncompressed size in the directory
    path.write_bytes(bytes(data))
    assert info.file_size == 20_000_000
    with pytest.raises(DataError) as exc:
        read_panel(path)
    assert "liar.zip" in str(exc.value)


def test_cli_member_option_and_one_line_error(tmp_path):
    path = _zip(tmp_path / "two.zip", {"a.csv": CSV.encode(), "b.csv": CSV.encode()})
    base = [sys.executable, "-m", "speerpunt", "inspect", str(path)]
    res = subprocess.run(base, capture_output=True, text=True, timeout=120)
    assert res.returncode == 2 and len(res.stderr.strip().splitlines()) == 1
    assert "a.csv, b.csv" in res.stderr
    res = subprocess.run([*base, "--member", "b.csv"], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "two.zip:b.csv" in res.stdout
