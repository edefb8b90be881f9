"""Policy sectors: shipped defaults, YAML validation with line numbers, aggregation of a NACE panel."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from speerpunt.classify import (
    PolicySector,
    load_policy_sectors,
    nace_codes,
    policy_sector_panel,
    policy_sectors,
)
from speerpunt.errors import ClassificationError, ConfigError
from speerpunt.panel import Panel

SPEARHEADS = [
    "chemie_life_sciences",
    "groothandel_logistiek",
    "bouw",
    "metaal_nieuwe_materialen",
    "creatieve_industrie",
    "zakelijke_dienstverlening",
]
TABLE_13_OTHERS = [
    "logistiek",
    "agro_landbouw",
    "detailhandel",
    "diamant",
    "toerisme",
    "zorg",
    "cleantech",
]


def test_shipped_sectors(shared_dir: Path) -> None:
    sectors = policy_sectors()
    assert set(SPEARHEADS + TABLE_13_OTHERS) <= set(sectors)
    study = (shared_dir / "seeds" / "000_5f628ccc190b7276.txt").read_text(encoding="utf-8")
    for s in sectors.values():
        assert isinstance(s, PolicySector)
        assert s.assumption and s.note and s.source and s.label_nl and s.label_en
        assert "000_5f628ccc190b7276" in s.source
        assert s.classes()
    # Labels of Tabel 13 appear in the study (line 3016-3068).
    for label in ("Creatieve industrie", "Bouw", "Diamant", "Toerisme", "Detailhandel"):
        assert label in study
    assert sectors["bouw"].nace == ("41", "42", "43")
    assert sectors["metaal_nieuwe_materialen"].nace == ("24", "25")
    assert sectors["chemie_life_sciences"].label_nl == "Chemie en life sciences"


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


GOOD = """name: haven
label_nl: Haven
label_en: Port
nace: ["52.22", "52.24", "50.2"]
assumption: false
"""


def test_good_file(tmp_path: Path) -> None:
    sectors = load_policy_sectors(_write(tmp_path, GOOD))
    haven = sectors["haven"]
    assert haven.nace == ("52.22", "52.24", "50.2")  # 50.2 is a group: its one class is 50.20
    assert haven.classes() == frozenset({"52.22", "52.24", "50.20"})
    assert not haven.assumption


@pytest.mark.parametrize(
    ("text", "line", "pattern"),
    [
        (
            'label_nl: A\nlabel_en: B\nnace:\n  - "20"\n  - "34"\n',
            5,
            "unknown NACE Rev. 2 code '34'",
        ),
        ('label_nl: A\nnace: ["20"]\n', 1, "missing required key 'label_en'"),
        ('label_nl: A\nlabel_en: B\nnace: ["20"]\ncolour: red\n', 4, "unknown key 'colour'"),
        ('label_nl: A\nlabel_en: B\nnace: "20"\n', 3, "must be a list"),
        ('label_nl: A\nlabel_en: B\nnace: ["20"]\nassumption: true\n', 1, "needs a 'note'"),
        ('label_nl: A\nlabel_en: B\nnace: ["20", "21",\n', 4, "invalid YAML"),
        ('label_nl: A\nlabel_en: B\nnace: ["20"]\nexclude: ["20"]\n', 1, "covers no NACE class"),
        (
            'sectors:\n  - label_nl: A\n    label_en: B\n    nace: ["20"]\n    name: x\n'
            '  - label_nl: C\n    label_en: D\n    nace: ["21"]\n    name: x\n',
            6,
            "defined twice",
        ),
    ],
)
def test_bad_files_name_file_and_line(tmp_path: Path, text: str, line: int, pattern: str) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(ConfigError, match=pattern) as info:
        load_policy_sectors(path)
    assert info.value.file == str(path)
    assert info.value.row == line
    assert f"{path}, line {line}" in info.value.one_line()


def test_folder_and_duplicates_across_files(tmp_path: Path) -> None:
    _write(tmp_path, GOOD, "a.yaml")
    assert list(policy_sectors(tmp_path)) == ["haven"]
    _write(tmp_path, GOOD, "b.yaml")
    with pytest.raises(ConfigError, match="'haven' also defined"):
        policy_sectors(tmp_path)


def _division_panel(values: dict[str, float]) -> Panel:
    df = pd.DataFrame(
        {
            "region": "R",
            "sector": list(values),
            "year": 2010,
            "variable": "employment",
            "value": list(values.values()),
        }
    )
    return Panel(df)


def test_policy_sector_panel_sums_divisions() -> None:
    divisions = nace_codes("division")
    values = {d: float(i + 1) for i, d in enumerate(divisions)}
    sectors = policy_sectors()
    chosen = [s for name, s in sectors.items() if name not in ("creatieve_industrie", "diamant")]
    out = policy_sector_panel(_division_panel(values), chosen).data.set_index("sector")["value"]
    # the policy sectors and TOTAL, built from the 88 divisions because the data have no TOTAL row
    assert len(out) == len(sectors) - 2 + 1
    assert out["TOTAL"] == sum(values.values())
    assert out["bouw"] == values["41"] + values["42"] + values["43"]
    assert out["chemie_life_sciences"] == values["20"] + values["21"] + values["22"]
    assert out["metaal_nieuwe_materialen"] == values["24"] + values["25"]
    expected_zd = sum(
        values[d] for d in ["69", "70", "71", "72", "73", "74", "77", "78", "79", "80", "81", "82"]
    )
    assert out["zakelijke_dienstverlening"] == expected_zd


def test_missing_stays_missing() -> None:
    values = {d: 1.0 for d in nace_codes("division")}
    values["42"] = np.nan
    sectors = policy_sectors()
    out = policy_sector_panel(_division_panel(values), [sectors["bouw"], sectors["zorg"]]).data
    out = out.set_index("sector")
    assert math.isnan(out.loc["bouw", "value"]) and out.loc["bouw", "flag"] == ":"
    assert out.loc["zorg", "value"] == 3.0


def test_group_asked_of_division_data_is_approximated_and_flagged() -> None:
    from speerpunt.classify.sector_build import build_sectors

    values = {d: 1.0 for d in nace_codes("division")}
    values["TOTAL"] = 88.0
    sectors = policy_sectors()
    built = build_sectors(_division_panel(values), [sectors["creatieve_industrie"]])
    cov = built.coverage.set_index("code")
    assert cov.loc["18.1", "status"] == "approximated" and cov.loc["18.1", "data_codes"] == "18"
    assert cov.loc["58", "status"] == "present"
    row = built.panel.data.set_index("sector").loc["creatieve_industrie"]
    # 18, 32, 46, 58, 59, 60, 70, 71, 73, 74, 90, 91: twelve divisions of value 1
    assert row["value"] == 12.0 and "e" in row["flag"]


def test_sections_panel_needs_a_total_and_keeps_it() -> None:
    df = pd.DataFrame(
        {
            "region": "R",
            "sector": ["F", "Q", "G-I"],
            "year": 2010,
            "variable": "x",
            "value": [5.0, 7.0, 9.0],
        }
    )
    sectors = policy_sectors()
    with pytest.raises(ClassificationError, match="no TOTAL"):
        policy_sector_panel(Panel(df), [sectors["bouw"], sectors["zorg"]])
    df = pd.concat([df, df.iloc[[0]].assign(sector="TOTAL", value=40.0)])
    out = policy_sector_panel(Panel(df), [sectors["bouw"], sectors["zorg"]]).data.set_index(
        "sector"
    )
    assert out["value"].to_dict() == {"TOTAL": 40.0, "bouw": 5.0, "zorg": 7.0}
