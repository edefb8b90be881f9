"""Number formatting in the study's conventions (Babel), including fixed decimals for table columns."""

from __future__ import annotations

from speerpunt.report.fmt import fmt_number, fmt_value
from speerpunt.report.html import cell_text


def test_fixed_decimals_line_up_a_column():
    assert fmt_number(11.0, "nl") == "11"  # free text: trailing zeros dropped
    assert fmt_number(11.0, "nl", 1, fixed=True) == "11,0"
    assert fmt_number(1234.5, "en", 1, fixed=True) == "1,234.5"
    assert fmt_value(-0.06, "number", "nl", fixed=True) == "-0,1"


def test_table_cells_use_fixed_decimals_and_slash_for_missing():
    assert cell_text(11.0, "number", "nl") == "11,0"
    assert cell_text(3.7, "number", "nl") == "3,7"
    assert cell_text(float("nan"), "number", "nl") == "/"
