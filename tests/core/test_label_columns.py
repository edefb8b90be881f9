"""The string columns of result frames and the core's block read, against straightforward references.

The grid label blocks are cached across calls: these tests check that two different label sets of the
same shape (two panels, two reference choices) never get each other's block, that a frame which changes
its column leaves the cache alone, and that the sparse note path equals a plain Python list.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from speerpunt.measures import location_quotient
from speerpunt.measures._notes import grid_label_column, string_column
from speerpunt.panel import Panel


def _plain(labels: list[str], repeat: int, tile: int, blocks: int) -> list[str]:
    """The same column written as Python lists, without numpy or Arrow."""
    block = [lab for lab in labels for _ in range(repeat)] * tile
    return block * blocks


@pytest.mark.parametrize(("repeat", "tile", "blocks"), [(1, 1, 1), (3, 1, 2), (1, 4, 3), (2, 2, 0)])
def test_grid_label_column_equals_plain_lists(repeat, tile, blocks):
    labels = ["BE21", "BE22", "NL33", "ÅX"]
    got = grid_label_column(labels, repeat=repeat, tile=tile, blocks=blocks)
    assert list(got) == _plain(labels, repeat, tile, blocks)
    assert str(got.dtype) == "str"


def test_cached_blocks_of_equal_shape_are_never_mixed_up():
    a = ["R1", "R2", "R3"]
    b = ["X1", "X2", "X3"]  # same length and shape: only the labels differ
    first = list(grid_label_column(a, repeat=2, blocks=2))
    second = list(grid_label_column(b, repeat=2, blocks=2))
    again = list(grid_label_column(a, repeat=2, blocks=2))
    assert first == again == _plain(a, 2, 1, 2)
    assert second == _plain(b, 2, 1, 2)
    # A different shape of the same labels is a different block.
    assert list(grid_label_column(a, tile=2)) == _plain(a, 1, 2, 1)


def test_a_frame_that_changes_its_label_column_leaves_the_cache_alone():
    labels = ["P", "Q"]
    frame = pd.DataFrame({"region": grid_label_column(labels, repeat=2, blocks=2)}, copy=False)
    frame.loc[0, "region"] = "changed"
    frame["region"] = frame["region"].str.lower()
    assert list(grid_label_column(labels, repeat=2, blocks=2)) == _plain(labels, 2, 1, 2)


def test_sparse_notes_equal_plain_lists():
    rng = np.random.default_rng(5)
    labels = ["", "value provisional", "région manquante", "x"]
    codes = np.where(rng.random(5000) < 0.03, rng.integers(1, 4, 5000), 0)
    got = string_column(labels, codes)
    assert list(got) == [labels[c] for c in codes]
    dense = rng.integers(0, 4, 50)  # most rows filled: the Arrow take path
    assert list(string_column(labels, dense)) == [labels[c] for c in dense]


def _panel(regions: list[str], seed: int) -> Panel:
    rng = np.random.default_rng(seed)
    rows = [
        (r, s, y, "employment", float(rng.integers(1, 100)))
        for r in regions
        for s in ("A", "B", "C")
        for y in (2000, 2001)
    ]
    return Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))


def test_two_panels_of_the_same_shape_get_their_own_labels():
    """LQ frames of two panels with equal shapes but other codes, one after the other, against labels
    written out by hand from the panels' own codes."""
    one = _panel(["BE", "BE21", "BE22"], 1)
    two = _panel(["NL", "NL31", "NL32"], 2)
    for panel, regs, ref in ((one, ["BE21", "BE22"], "BE"), (two, ["NL31", "NL32"], "NL")):
        lq = location_quotient(
            panel, variable="employment", year=[2000, 2001], reference=ref, regions=regs
        )
        expected = [(y, r, s) for y in (2000, 2001) for r in regs for s in ("A", "B", "C")]
        assert list(zip(lq["year"], lq["region"], lq["sector"], strict=True)) == expected
        assert set(lq["reference"]) == {ref}
        # and the numbers of those rows are that panel's, computed here from its long table
        d = panel.data.set_index(["year", "region", "sector"])["value"]
        for y, r, s, got in zip(lq["year"], lq["region"], lq["sector"], lq["lq"], strict=True):
            share = d[(y, r, s)] / sum(d[(y, r, t)] for t in "ABC")
            rshare = d[(y, ref, s)] / sum(d[(y, ref, t)] for t in "ABC")
            assert got == pytest.approx(share / rshare, rel=1e-12)


def test_block_with_absent_labels_equals_a_cell_by_cell_read():
    rng = np.random.default_rng(3)
    rows = [
        (r, s, y, "employment", float(rng.integers(0, 50)), "p" if rng.random() < 0.2 else "")
        for r in ("R1", "R2", "R3")
        for s in ("A", "B")
        for y in (2000, 2001, 2002)
        if rng.random() < 0.9
    ]
    panel = Panel(
        pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value", "flag"])
    )
    core = panel.core("employment")
    years, regions, sectors = [2002, 1999, 2000], ["R3", "ZZ", "R1", "R3"], ["B", "TOTAL", "A"]
    values, flags = core.block(years, regions, sectors)
    cells = {(r, s, y): (v, f) for r, s, y, _, v, f in rows}
    for i, y in enumerate(years):
        for j, r in enumerate(regions):
            for k, s in enumerate(sectors):
                if (r, s, y) in cells:
                    v, f = cells[(r, s, y)]
                    assert values[i, j, k] == v
                    assert core.flag_vocab[flags[i, j, k]] == f
                else:
                    assert np.isnan(values[i, j, k])
                    assert core.flag_vocab[flags[i, j, k]] == ":"


def test_remembered_positions_follow_the_labels_asked_for():
    """Core.positions remembers label lists: lists of the same length, asked in turn, each get their own
    positions (checked against a dictionary of the core's labels), and the remembered arrays are read-only."""
    panel = _panel(["BE", "BE21", "BE22", "BE23"], 4)
    core = panel.core("employment")
    where = {r: i for i, r in enumerate(core.regions)}
    for labels in (["BE21", "BE22"], ["BE22", "BE21"], ["BE23", "XX"], ["BE21", "BE22"]):
        got = core.positions("regions", labels)
        assert got.tolist() == [where.get(r, -1) for r in labels]
        assert not got.flags.writeable
    assert core.positions("years", [2001, 1990]).tolist() == [1, -1]
    other = _panel(["NL", "NL31", "NL32"], 5).core("employment")
    assert other.positions("regions", ["BE21", "NL32"]).tolist() == [-1, 2]


def test_label_blocks_built_from_several_threads_are_each_right():
    """Measures run in the web server's threads: blocks built and evicted concurrently stay correct."""
    from concurrent.futures import ThreadPoolExecutor

    def build(i: int) -> bool:
        labels = [f"R{i % 7}-{j}" for j in range(50)]
        got = grid_label_column(labels, repeat=3, blocks=2)
        return list(got) == _plain(labels, 3, 1, 2)

    with ThreadPoolExecutor(4) as pool:
        assert all(pool.map(build, range(200)))
