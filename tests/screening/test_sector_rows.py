"""``sector_rows``: the grouped look-up gives exactly the rows of the boolean filter it replaced."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

import speerpunt as sp
from speerpunt.screening import screen
from speerpunt.screening.engine import sector_rows
from speerpunt.screening.reasons import reason_text


def test_sector_rows_equal_the_boolean_filter_on_the_embedded_data():
    result = screen(sp.read_panel("be-employment"), region="BE21", reference="BE")
    details = result.details
    rows_of = sector_rows(details)
    for sector in [*details["sector"].unique(), "no-such-sector"]:
        pd.testing.assert_frame_equal(rows_of(sector), details[details["sector"] == sector])
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


def test_sector_rows_keep_order_and_index_of_interleaved_rows():
    d = pd.DataFrame(
        {"sector": ["B", "A", "B", "C", "A"], "v": [1, 2, 3, 4, 5]}, index=[9, 7, 5, 3, 1]
    )
    got = sector_rows(d)("A")
    assert got.index.tolist() == [7, 1] and got["v"].tolist() == [2, 5]
    assert sector_rows(d)("Z").empty and list(sector_rows(d)("Z").columns) == ["sector", "v"]


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
