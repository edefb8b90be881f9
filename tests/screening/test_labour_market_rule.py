"""The optional labour-market rule of 003 (an important sector with bottleneck vacancies) on user data."""

from __future__ import annotations

from importlib import resources

import pandas as pd

from speerpunt.panel import Panel
from speerpunt.screening import load_config, screen

RULE = resources.files("speerpunt.screening") / "labour-market-003.yaml"
# employment and bottleneck vacancies per sector in region R (the reference N is R times 3 / times 2)
EMPLOYMENT = {"A": 10, "B": 40, "C": 30, "D": 20, "E": 5}
BOTTLENECKS = {"A": 50, "B": 5, "C": 30, "D": 10, "E": 5}


def _panel(variables: dict[str, dict[str, int]]) -> Panel:
    rows = []
    for variable, values in variables.items():
        for sector, v in values.items():
            for year in (2010, 2020):
                rows += [
                    ("R", sector, year, variable, float(v)),
                    ("N", sector, year, variable, float(v * 3)),
                ]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


def test_the_rule_quotes_003(shared_dir):
    seed = (shared_dir / "seeds" / "003_5dded1aa7ac0127d.txt").read_text(encoding="utf-8")
    lines = seed.splitlines()
    assert "voorname economische sectoren die vaak kampen met knelpunten" in lines[353]
    cfg = load_config(str(RULE))
    assert cfg.rule.text == "important and bottlenecks"
    assert "voorname" in RULE.read_text(encoding="utf-8")


def test_important_sector_with_bottleneck_vacancies():
    # by hand: employment shares 10, 40, 30, 20, 5 (of 105) — the upper 40 % are B and C, whatever
    # interpolation the 60th percentile uses (it lies between 20 and 30); bottleneck shares 50, 5, 30,
    # 10, 5 — the upper 40 % are A and C (percentile between 10 and 30). Important and bottlenecks: C.
    res = screen(
        _panel({"employment": EMPLOYMENT, "bottleneck_vacancies": BOTTLENECKS}),
        region="R",
        reference="N",
        config=load_config(str(RULE)),
    )
    table = res.table.set_index("sector")
    assert res.selected == ["C"]
    assert table.loc["A", "important"] == "fail" and table.loc["A", "bottlenecks"] == "pass"
    assert table.loc["B", "important"] == "pass" and table.loc["B", "bottlenecks"] == "fail"


def test_all_vacancies_stand_in_when_bottlenecks_are_missing():
    res = screen(
        _panel({"employment": EMPLOYMENT, "vacancies": BOTTLENECKS}),
        region="R",
        reference="N",
        config=load_config(str(RULE)),
    )
    assert res.selected == ["C"]


def test_missing_vacancy_data_is_unknown_not_fail():
    res = screen(
        _panel({"employment": EMPLOYMENT}),
        region="R",
        reference="N",
        config=load_config(str(RULE)),
    )
    table = res.table.set_index("sector")
    assert set(table["bottlenecks"]) == {"unknown"}
    assert res.selected == []
    assert table.loc["B", "reason"].startswith("undecided (missing data)")
    assert table.loc["B", "status"] == "undecided"
