"""The plain-number shortcut (``speerpunt.io.validate.plain_conventions``) against full detection.

Cells in plain form (``1234.5``, ``12 p``, ``:``) skip the convention passes of
:func:`speerpunt.io.numbers.detect_columns`; whatever it returns must be what detection returns, and where
detection refuses (``35.991`` alone is ambiguous) the shortcut must decline.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from speerpunt.errors import DataError
from speerpunt.io.cells import parse_values
from speerpunt.io.numbers import detect_columns
from speerpunt.io.validate import plain_conventions

NUMBERS = ["7", "1234", "0", "12.5", "0.25", "1234.5678", "35.991", "1.234", "100.000", "999.1"]
TAILS = ["", " p", "p", " e", " :"]
OTHER = [":", ": c", "c", "", "1,5", "-3", "1 234", "1.234,5", "12%", "1e5", "5."]


@st.composite
def columns(draw):
    cells = []
    for _ in range(draw(st.integers(1, 30))):
        if draw(st.booleans()):
            cells.append(draw(st.sampled_from(NUMBERS)) + draw(st.sampled_from(TAILS)))
        else:
            cells.append(draw(st.sampled_from(OTHER)))
    vcols = draw(st.lists(st.sampled_from(["value", "2019", "2020"]), min_size=len(cells)))
    return pd.DataFrame(
        {"value": cells, "vcol": vcols[: len(cells)], "line": np.arange(2, len(cells) + 2)}
    )


def _read(values: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return parse_values(values.reset_index(drop=True))


@settings(max_examples=400, deadline=None)
@given(columns())
def test_shortcut_equals_detection_or_declines(d: pd.DataFrame) -> None:
    fast = plain_conventions(d)
    try:
        conventions, values, warnings = detect_columns(d, file="f.csv")
    except DataError:
        assert fast is None  # detection refuses: no reading may be guessed
        return
    if fast is None:
        return
    fast_conventions, fast_values = fast
    assert fast_conventions == conventions
    assert warnings == []
    (v1, f1, b1), (v2, f2, b2) = _read(values), _read(fast_values)
    np.testing.assert_array_equal(v1, v2)  # NaN where both are missing
    assert f1.tolist() == f2.tolist() and b1.tolist() == b2.tolist()


def test_shortcut_taken_for_plain_decimals_by_column() -> None:
    d = pd.DataFrame(
        {
            "value": ["1233.7288258363478", "35.991", "12 p", ":", "7", "8"],
            "vcol": ["2019", "2019", "2019", "2019", "2020", "2020"],
            "line": np.arange(2, 8),
        }
    )
    fast = plain_conventions(d)
    assert fast is not None
    conventions, values = fast
    # By hand: 2019 has decimals (the first settles the point, so 35.991 is a decimal); 2020 none.
    assert {k: (c.decimal, c.thousands) for k, c in conventions.items()} == {
        "2019": (".", ""),
        "2020": (None, ""),
    }
    value, flag, bad = _read(values)
    assert value[1] == 35.991 and value[2] == 12.0 and flag[2] == "p" and np.isnan(value[3])
    assert not bad.any()


def test_bare_numbers_come_back_as_exact_floats() -> None:
    cells = ["1233.7288258363478", "0.1", "1275.005606922493", "3"]
    d = pd.DataFrame({"value": cells, "vcol": "value", "line": np.arange(2, 6)})
    _, values = plain_conventions(d)
    assert values.dtype == np.float64
    assert values.tolist() == [float(c) for c in cells]
