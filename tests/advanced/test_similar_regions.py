"""Similar regions and benchmark tables: hand calculations and properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from speerpunt.errors import MeasureError
from speerpunt.measures.similarity import benchmark_table, similar_regions
from speerpunt.panel import Panel


def _panel(table: dict[tuple[str, int], list[float]], sectors: list[str]) -> Panel:
    rows = [
        (r, s, y, "employment", v)
        for (r, y), values in table.items()
        for s, v in zip(sectors, values, strict=True)
    ]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


# P and Q have the same structure (shares ¾, ¼), R the mirror image (¼, ¾).
PQR = _panel({("P", 2020): [3, 1], ("Q", 2020): [6, 2], ("R", 2020): [1, 3]}, ["A", "B"])


def _scores(method: str, **kw) -> dict[str, float]:
    res = similar_regions(PQR, region="P", year=2020, variable="employment", method=method, **kw)
    return res.set_index("region")["score"].to_dict()


def test_cosine_by_hand():
    # cos(P, R) = (¾·¼ + ¼·¾) / (¾² + ¼²) = 0.375 / 0.625
    assert _scores("cosine") == pytest.approx({"Q": 1.0, "R": 0.6})


def test_krugman_by_hand():
    assert _scores("krugman") == pytest.approx({"Q": 0.0, "R": 1.0})


def test_euclidean_log_lq_by_hand():
    # ln LQ differences = ln shares differences: ±ln 3 in both sectors.
    assert _scores("euclidean-loglq") == pytest.approx({"Q": 0.0, "R": math.sqrt(2) * math.log(3)})


def test_with_size_by_hand():
    # Q is twice P with the same structure: size ratio 2.
    assert _scores("cosine", with_size=True)["Q"] == pytest.approx(0.5)
    assert _scores("krugman", with_size=True)["Q"] == pytest.approx(0.5)
    assert _scores("euclidean-loglq", with_size=True)["Q"] == pytest.approx(math.log(2))


def test_ranking_and_explanation():
    res = similar_regions(PQR, region="P", year=2020, variable="employment", method="krugman")
    assert res["region"].tolist() == ["Q", "R"]
    assert res["rank"].tolist() == [1, 2]
    assert res["size_ratio"].tolist() == pytest.approx([2.0, 1.0])
    # R has 50 share points less in A and 50 more in B.
    assert res.loc[1, "top_sectors"] == "A (-0.50), B (+0.50)"
    cos = similar_regions(PQR, region="P", year=2020, variable="employment", explain=1)
    # cosine contributions of R: A ¾·¼ / 0.625 = 0.3, B the same → A first (stable order).
    assert cos.set_index("region").loc["R", "top_sectors"] == "A (+0.30)"


def test_top_limits_the_ranked_rows():
    res = similar_regions(PQR, region="P", year=2020, variable="employment", top=1)
    assert res["region"].tolist() == ["Q"]


def test_same_nuts_level_by_default_and_left_out_candidates_listed():
    table = {
        ("BE", 2020): [30, 30, 40],
        ("BE2", 2020): [20, 20, 20],
        ("BE211", 2020): [5, 5, 5],
        ("BE21", 2020): [5, 3, 2],
        ("BE22", 2020): [4, 4, 2],
        ("BE23", 2020): [1, 1, 8],
        ("BE24", 2020): [1, np.nan, 8],
    }
    res = similar_regions(
        _panel(table, list("ABC")), region="BE21", year=2020, variable="employment"
    )
    assert res["region"].tolist() == ["BE22", "BE23", "BE24"]
    assert res["rank"].tolist()[:2] == [1, 2] and pd.isna(res["rank"].iloc[2])
    assert np.isnan(res["score"].iloc[2])
    assert res["note"].iloc[2] == "left out: 1 of 3 sectors missing (B)"
    every = similar_regions(
        _panel(table, list("ABC")), region="BE21", year=2020, variable="employment", level="all"
    )
    assert set(every["region"]) == {"BE", "BE2", "BE211", "BE22", "BE23", "BE24"}


def test_zero_share_is_left_out_of_the_log_distance_with_a_note():
    p = _panel({("P", 2020): [2, 1, 1], ("Q", 2020): [2, 2, 0]}, list("ABC"))
    res = similar_regions(p, region="P", year=2020, variable="employment", method="euclidean-loglq")
    # A: ln(.5/.5) = 0, B: ln(.5/.25) = ln 2; C left out.
    assert res["score"].iloc[0] == pytest.approx(math.log(2))
    assert res["n_sectors"].iloc[0] == 2
    assert res["note"].iloc[0] == "1 sector(s) with a zero share left out"


def test_unknown_method_is_an_error():
    with pytest.raises(MeasureError, match="unknown method 'jaccard'"):
        similar_regions(PQR, region="P", year=2020, variable="employment", method="jaccard")


def test_region_without_activity_cannot_be_compared():
    p = _panel({("P", 2020): [3, 1], ("Q", 2020): [1, 3], ("Z", 2020): [0, 0]}, ["A", "B"])
    with pytest.raises(MeasureError, match="region Z cannot be compared: left out: zero total"):
        similar_regions(p, region="Z", year=2020, variable="employment")


def test_absent_region_is_an_error():
    with pytest.raises(MeasureError, match="region X is not in the data"):
        similar_regions(PQR, region="X", year=2020, variable="employment")


@st.composite
def structures(draw) -> np.ndarray:
    n_regions = draw(st.integers(2, 7))
    n_sectors = draw(st.integers(2, 7))
    return draw(arrays(float, (n_regions, n_sectors), elements=st.floats(1, 1000)))


def _random_panel(x: np.ndarray) -> Panel:
    table = {(f"R{i}", 2020): list(row) for i, row in enumerate(x)}
    return _panel(table, [f"S{j}" for j in range(x.shape[1])])


@settings(max_examples=30, deadline=None)
@given(
    structures(), st.floats(0.01, 100), st.sampled_from(["cosine", "krugman", "euclidean-loglq"])
)
def test_a_region_is_most_similar_to_its_own_structure(x, factor, method):
    """A clone of R0 at another scale has R0's structure: cosine 1, distances 0, ranked first."""
    p = _random_panel(np.vstack([x, x[0] * factor]))
    res = similar_regions(p, region="R0", year=2020, variable="employment", method=method, top=None)
    clone = res.set_index("region").loc[f"R{len(x)}", "score"]
    best = 1.0 if method == "cosine" else 0.0
    assert clone == pytest.approx(best, abs=1e-9)
    scores = res["score"].to_numpy()
    assert (scores <= 1 + 1e-9).all() if method == "cosine" else (scores >= -1e-12).all()


@settings(max_examples=30, deadline=None)
@given(
    structures(),
    st.floats(1e-3, 1e3),
    st.sampled_from(["cosine", "krugman", "euclidean-loglq"]),
    st.booleans(),
)
def test_invariant_to_units(x, factor, method, with_size):
    kw = {
        "region": "R0",
        "year": 2020,
        "variable": "employment",
        "method": method,
        "with_size": with_size,
        "top": None,
    }
    a = similar_regions(_random_panel(x), **kw).set_index("region")["score"]
    b = similar_regions(_random_panel(x * factor), **kw).set_index("region")["score"]
    np.testing.assert_allclose(a.sort_index(), b.sort_index(), rtol=1e-9, atol=1e-12)


# ---- benchmark table ---------------------------------------------------------------------------
BENCH = _panel(
    {
        ("BE", 2010): [30, 50],
        ("BE21", 2010): [10, 30],
        ("BE22", 2010): [20, 20],
        ("BE", 2020): [50, 50],
        ("BE21", 2020): [20, 30],
        ("BE22", 2020): [10, 40],
        ("NL41", 2010): [5, 5],
        ("NL41", 2020): [6, 4],
    },
    ["A", "B"],
)


def test_benchmark_by_hand_against_the_country():
    t = benchmark_table(
        BENCH, ["BE21", "BE21+BE22"], 2020, "employment", start=2010, reference="country"
    ).set_index("sector")
    assert list(t.index) == ["A", "B", "TOTAL"]
    assert t.loc["A", "share_BE21"] == pytest.approx(0.4)
    assert t.loc["A", "lq_BE21"] == pytest.approx(0.8)  # 0.4 / (50/100)
    assert t.loc["B", "lq_BE21"] == pytest.approx(1.2)
    assert t.loc["A", "growth_BE21"] == pytest.approx(1.0)  # 20/10 − 1
    assert t.loc["TOTAL", "growth_BE21"] == pytest.approx(0.25)  # 50/40 − 1
    # BE21 + BE22: 2020 [30, 70], 2010 [30, 50].
    assert t.loc["A", "share_BE21+BE22"] == pytest.approx(0.3)
    assert t.loc["A", "lq_BE21+BE22"] == pytest.approx(0.6)
    assert t.loc["B", "growth_BE21+BE22"] == pytest.approx(0.4)
    assert t.loc["TOTAL", "share_BE21"] == 1.0


def test_benchmark_against_the_group_and_a_code():
    group = benchmark_table(BENCH, ["BE21", "BE22"], 2020, "employment", reference="group")
    g = group.set_index("sector")
    # The group is BE21 + BE22 = [30, 70]: LQ_BE21,A = 0.4 / 0.3, LQ_BE22,A = 0.2 / 0.3.
    assert g.loc["A", "lq_BE21"] == pytest.approx(4 / 3)
    assert g.loc["A", "lq_BE22"] == pytest.approx(2 / 3)
    assert group.attrs == {"reference": "group", "start": 2010, "year": 2020}
    code = benchmark_table(BENCH, ["NL41"], 2020, "employment", reference="BE").set_index("sector")
    assert code.loc["A", "lq_NL41"] == pytest.approx(0.6 / 0.5)


def test_benchmark_auto_falls_back_to_the_group_without_an_eu_aggregate():
    t = benchmark_table(BENCH, ["BE21", "BE22"], 2020, "employment")
    assert t.attrs["reference"] == "group"


def test_region_across_two_countries_has_no_country_lq():
    t = benchmark_table(BENCH, ["BE21+NL41"], 2020, "employment", reference="country")
    assert t["lq_BE21+NL41"].isna().all()
    assert t["share_BE21+NL41"].iloc[0] == pytest.approx(26 / 60)


def test_benchmark_unknown_region_is_an_error():
    with pytest.raises(MeasureError, match="region DE60 is not in the data"):
        benchmark_table(BENCH, ["BE21", "DE60"], 2020, "employment")


def test_benchmark_start_after_year_is_an_error():
    with pytest.raises(MeasureError, match=r"start \(2020\) must not be after year \(2010\)"):
        benchmark_table(BENCH, ["BE21"], 2010, "employment", start=2020)
