"""``sector_records``: the grouped look-up gives exactly the records of the boolean filter it replaced;
``criterion_results`` combines them as :func:`combine` does sector by sector."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import speerpunt as sp
from speerpunt.screening import screen
from speerpunt.screening.engine import combine, criterion_results, sector_records
from speerpunt.screening.reasons import reason_text


def test_sector_records_equal_the_boolean_filter_on_the_embedded_data():
    result = screen(sp.read_panel("be-employment"), region="BE21", reference="BE")
    details = result.details
    records_of = sector_records(details)
    for sector in [*details["sector"].unique(), "no-such-sector"]:
        assert records_of(sector) == details[details["sector"] == sector].to_dict("records")
    # The reasons the screening wrote are those of the per-sector filter (the old computation).
    raw = result.table.copy()
    for c in result.config.criteria:
        raw[c.name] = raw[c.name].map({"pass": True, "fail": False, "unknown": None})
    expected = [
        reason_text(r, details[details["sector"] == r["sector"]], result.config, result.metrics)
        for r in raw.to_dict("records")
    ]
    assert result.table["reason"].tolist() == expected
    assert result.reasons("en").tolist() == expected


def test_sector_records_keep_order_of_interleaved_rows():
    d = pd.DataFrame(
        {"sector": ["B", "A", "B", "C", "A"], "v": [1, 2, 3, 4, 5]}, index=[9, 7, 5, 3, 1]
    )
    assert sector_records(d)("A") == [{"sector": "A", "v": 2}, {"sector": "A", "v": 5}]
    assert sector_records(d)("Z") == []


@pytest.mark.parametrize("how", ["any", "all"])
def test_criterion_results_combine_each_sector_as_combine_does(how):
    """Every mix of True/False/None per sector, for any/all, a sector without rows and a row of a
    sector not screened: the result of :func:`combine` on that sector's rows (group by group)."""
    from dataclasses import replace

    from speerpunt.screening import load_config

    base = load_config()
    cfg = replace(base, criteria=tuple(replace(c, combine=how) for c in base.criteria))
    names = [c.name for c in cfg.criteria]
    values = [True, False, None]
    rows = []
    sectors = [f"S{i}" for i in range(27)] + ["empty"]
    for i, sector in enumerate(sectors[:-1]):
        mix = [values[i % 3], values[(i // 3) % 3], values[(i // 9) % 3]]
        for name in names:
            rows += [{"sector": sector, "criterion": name, "passed": v} for v in mix[: 1 + i % 3]]
    rows.append({"sector": "outside", "criterion": names[0], "passed": True})
    details = pd.DataFrame(rows[::-1])  # interleaved order
    got = criterion_results(details, cfg, sectors)
    for c in cfg.criteria:
        for sector in sectors:
            mine = details[(details["sector"] == sector) & (details["criterion"] == c.name)]
            want = combine(list(mine["passed"]), c.combine) if len(mine) else None
            assert got.at[sector, c.name] is want, (sector, c.name)


def test_reasons_equal_those_of_the_dataframe_implementation():
    """The reasons for BE21 against three references, in both languages, are those written by the
    per-criterion DataFrame filters before (saved from commit 412c129 in data/be21_reasons.json)."""
    expected = json.loads((Path(__file__).parent / "data" / "be21_reasons.json").read_text("utf-8"))
    panel = sp.read_panel("be-employment")
    for ref, texts in expected.items():
        result = screen(panel, region="BE21", reference=ref)
        assert result.table.set_index("sector")["reason"].to_dict() == texts["table"]
        assert result.reasons("nl").to_dict() == texts["nl"]
        assert result.reasons("en").to_dict() == texts["en"]
