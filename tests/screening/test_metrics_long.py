"""The metrics' long lookup table and its per-measure look-ups against a plain construction: one boolean
filter of each measure function's frame per measure, as a reader of :data:`_SOURCES` would write it."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.io import read_panel
from speerpunt.screening.metrics import _SOURCES, sector_metrics


@pytest.fixture(scope="module")
def panel():
    return read_panel("be-employment")


def _plain_long(m) -> pd.DataFrame:
    parts = []
    for var in m.variables:
        for measure, (src, col) in _SOURCES.items():
            f = m.frames[var][src]
            f = f[f["sector"].isin(m.sectors)].drop_duplicates("sector")
            parts.append(
                pd.DataFrame(
                    {
                        "sector": f["sector"].to_numpy(),
                        "variable": var,
                        "measure": measure,
                        "value": f[col].to_numpy(dtype=float),
                        "note": f["note"].fillna("").to_numpy(dtype=object),
                    }
                )
            )
    return pd.concat(parts, ignore_index=True)


@pytest.mark.parametrize(
    ("region", "reference", "kw"),
    [
        ("BE21", "BE", {}),
        ("BE24", "BE2", {"start": 2003, "year": 2015}),
        ("BE2", "BE", {"sectors": ["C"]}),
        ("BE25", "BE", {"exclude": ["A", "O-Q"]}),
        ("BE21", "BE", {"variables": ["employment", "value_added"]}),  # one absent variable
    ],
)
def test_long_and_lookups_match_a_plain_construction(panel, region, reference, kw):
    m = sector_metrics(panel, region=region, reference=reference, **kw)
    expected = _plain_long(m)
    pd.testing.assert_frame_equal(m.long, expected)
    for var in m.variables:
        for measure in _SOURCES:
            rows = expected[(expected["variable"] == var) & (expected["measure"] == measure)]
            want = rows.set_index("sector")["value"].reindex(m.sectors)
            got = m.value(var, measure)
            np.testing.assert_array_equal(got.to_numpy(), want.to_numpy())
            assert list(got.index) == m.sectors
            want_note = rows.set_index("sector")["note"].reindex(m.sectors).fillna("not computed")
            assert m.note(var, measure).tolist() == want_note.tolist()
    # a measure the table lacks: all missing, noted as not computed
    assert m.value("employment", "no_such_measure").isna().all()
    assert set(m.note("employment", "no_such_measure")) == {"not computed"}
