"""Classic shift-share analysis (Dunn 1960).

Notes
-----
For a period ``t0 → t1``, with ``G`` the reference's total growth, ``G_i`` the reference's growth in sector
*i* and ``g_ri`` the region's growth in sector *i*:

    Δx_ri = x_ri(t0)·G              national share
          + x_ri(t0)·(G_i − G)      industry mix
          + x_ri(t0)·(g_ri − G_i)   regional shift (competitive effect)

The three parts add up exactly to the actual change. The regional shift is computed as the remainder
``Δx_ri − national share − industry mix``, which equals the formula whenever ``x_ri(t0) > 0`` and, for a
sector that is new in the region (``x_ri(t0) = 0``), puts the whole change in the regional shift instead of
turning it into NaN (REAT's known defect). A missing cell makes that sector's parts missing (with a note); the
``TOTAL`` row sums the sectors that have results and says which were left out.

References
----------
Dunn, E. S. (1960). A statistical and analytical technique for regional analysis. *Papers of the Regional
Science Association* 6, 97–112. — Farhauer, O. & Kröll, A. (2014). *Standorttheorien*, ch. 10.

Example
-------
The Farhauer/Kröll example: region A has 90, 20, 10, 60 → 100, 40, 10, 55 and the nation
400, 150, 150, 400 → 440, 210, 135, 480 in four sectors.

>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = []
>>> for reg, v0, v1 in [("A", [90, 20, 10, 60], [100, 40, 10, 55]),
...                     ("N", [400, 150, 150, 400], [440, 210, 135, 480])]:
...     for s, a, b in zip("1234", v0, v1):
...         rows += [(reg, s, 2000, "employment", a), (reg, s, 2010, "employment", b)]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
>>> ss = shift_share(p, variable="employment", start=2000, end=2010, reference="N", regions=["A"])
>>> ss.set_index("sector").loc["TOTAL", ["actual_change", "national_share"]].round(2).tolist()
[25.0, 27.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from speerpunt.measures._notes import (
    SparseNotes,
    flag_code_text,
    grid_label_column,
    sparse_column,
    sparse_notes,
)
from speerpunt.measures.growth import _check_period, break_note
from speerpunt.measures.reference import (
    Comparison,
    comparison_block,
    reference_codes,
    resolve_regions,
    resolve_sectors,
    split_reference,
)
from speerpunt.panel import TOTAL, Panel

PARTS = ["national_share", "industry_mix", "regional_shift"]
SS_COLUMNS = [
    "region",
    "reference",
    "sector",
    "variable",
    "start",
    "end",
    "value_start",
    "value_end",
    "actual_change",
    *PARTS,
    "reference_growth",
    "reference_sector_growth",
    "regional_growth",
    "note",
]


def dunn_parts(
    x0: np.ndarray, x1: np.ndarray, r0: np.ndarray, r1: np.ndarray, rt0: np.ndarray, rt1: np.ndarray
) -> dict[str, np.ndarray]:
    """The Dunn decomposition on aligned arrays (regions × sectors; reference totals per region).

    Leading axes broadcast: ``(steps, regions, sectors)`` arrays with ``(steps, regions)`` totals give
    every step at once (the dynamic variant).

    Returns ``actual_change``, the three parts and the growth rates used. Pure arithmetic: callers
    (also the shift-share variants) share it so every variant starts from the same Dunn parts.
    """
    # Each array is computed once and then corrected in place (the same operations in the same order as
    # the textbook expressions, without a fresh array per step: at 1,200 × 64 cells the allocations
    # cost as much as the arithmetic).
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        big_g = np.asarray(rt1 / rt0 - 1.0, dtype=float)
        big_g = np.where(np.isfinite(big_g), big_g, np.nan)  # per region: small
        g_i = r1 / r0
        g_i -= 1.0
        g_i[~np.isfinite(g_i)] = np.nan
        g_ri = x1 / x0
        g_ri -= 1.0
        g_ri[~((x0 > 0) & np.isfinite(g_ri))] = np.nan
        # x0·(G_i − G) written as (x0/r0)·r1 − x0·(1 + G): no overflow when r0 is tiny.
        mix = x0 / r0
        mix *= r1
        mix -= x0 * (1.0 + big_g[..., None])
        mix[x0 == 0] = 0.0
    mix[~(np.isfinite(mix) | np.isnan(x0) | np.isnan(x1))] = np.nan
    actual = x1 - x0
    national = x0 * big_g[..., None]
    regional = actual - national
    regional -= mix
    return {
        "actual_change": actual,
        "national_share": national,
        "industry_mix": mix,
        "regional_shift": regional,
        "reference_growth": np.broadcast_to(big_g[..., None], x0.shape),
        "reference_sector_growth": g_i,
        "regional_growth": g_ri,
    }


def shift_share(
    panel: Panel,
    *,
    variable: str,
    start: int,
    end: int,
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Dunn shift-share of every region against its reference, one row per sector plus ``TOTAL``.

    Returns
    -------
    DataFrame
        Columns ``region, reference, sector, variable, start, end, value_start, value_end, actual_change,
        national_share, industry_mix, regional_shift, reference_growth, reference_sector_growth,
        regional_growth, note``.
    """
    _check_period(start, end)
    panel.require(variable=variable, years=[start, end])
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors)
    return dunn_frame(dunn_table(panel, variable, start, end, reference, regs, secs))


class DunnTable(NamedTuple):
    """Dunn's arrays of one period before they become a frame (shared with the shift-share variants).

    ``cols``: ``regions × (sectors + TOTAL)`` arrays per column of :data:`SS_COLUMNS`; ``note``: the notes
    of that grid, held where there is one; ``block``: the comparison the numbers came from.
    """

    variable: str
    start: int
    end: int
    regions: list[str]
    ref_labels: list[str]
    sectors: list[str]
    block: Comparison
    cols: dict[str, np.ndarray]
    note: SparseNotes
    parts: dict[str, np.ndarray]


def dunn_table(
    panel: Panel,
    variable: str,
    start: int,
    end: int,
    reference: str,
    regs: list[str],
    secs: list[str],
) -> DunnTable:
    """Dunn's parts, ``TOTAL`` rows and notes of resolved regions and sectors as arrays."""
    _, rest = split_reference(reference)
    refs = reference_codes(panel, regs, reference)
    c = comparison_block(panel, variable, [start, end], regs, refs, secs, rest)
    (x0, x1), (r0, r1), (rt0, rt1) = c.x, c.rx, c.rt
    parts = dunn_parts(x0, x1, r0, r1, rt0, rt1)
    unblocked = dict(parts)  # the variants split these, whether or not a break blanks Dunn's parts
    blocked = break_note(panel, start, end, variable)
    shape = x0.shape
    if blocked:
        for key in ("actual_change", *PARTS):
            parts[key] = np.full(shape, np.nan)
    note = sparse_notes(
        shape,
        (np.isnan(x0), flag_code_text(c.flags[0], c.vocab, f"{start} missing: ")),
        (np.isnan(x1), flag_code_text(c.flags[1], c.vocab, f"{end} missing: ")),
        ((np.isnan(r0) | np.isnan(r1)) & ~np.isnan(x0) & ~np.isnan(x1), "reference value missing"),
        (
            np.broadcast_to(np.isnan(parts["reference_growth"][:, :1]), shape),
            "reference total missing",
        ),
        (x0 == 0, f"zero in {start}: the whole change counts as regional shift"),
        ((r0 == 0) & (x0 > 0), "reference has zero in this sector: industry mix undefined"),
        (np.full(shape, bool(blocked)), blocked),
    )
    ref_label = [f"rest:{r}" for r in refs] if rest else list(refs)
    cols = {
        "value_start": x0,
        "value_end": x1,
        **{k: np.broadcast_to(np.asarray(v, dtype=float), shape) for k, v in parts.items()},
    }
    cols, note = _append_totals(cols, note, secs)
    return DunnTable(
        variable, start, end, list(regs), ref_label, list(secs), c, cols, note, unblocked
    )


def dunn_frame(
    t: DunnTable, extra: dict[str, np.ndarray] | None = None, note: SparseNotes | None = None
) -> pd.DataFrame:
    """The long frame of a :class:`DunnTable`: :data:`SS_COLUMNS` with ``extra`` columns (arrays of the
    ``cols`` shape) before ``note``; ``note`` replaces the table's notes when given."""
    n_reg, n_sec = len(t.regions), len(t.sectors)
    n = n_reg * (n_sec + 1)
    extra = extra or {}
    columns = [c for c in SS_COLUMNS if c != "note"] + list(extra) + ["note"]
    return pd.DataFrame(
        {
            "region": grid_label_column(t.regions, repeat=n_sec + 1),
            "reference": grid_label_column(t.ref_labels, repeat=n_sec + 1),
            "sector": grid_label_column([*t.sectors, TOTAL], tile=n_reg),
            "variable": grid_label_column([t.variable], repeat=n),
            "start": np.full(n, t.start, dtype=np.int64),
            "end": np.full(n, t.end, dtype=np.int64),
            **{k: t.cols[k].ravel() for k in SS_COLUMNS if k in t.cols},
            **{k: v.ravel() for k, v in extra.items()},
            "note": sparse_column(t.note if note is None else note),
        },
        columns=columns,
        copy=False,
    )


def _append_totals(
    cols: dict[str, np.ndarray], note: SparseNotes, sectors: Sequence[str]
) -> tuple[dict[str, np.ndarray], SparseNotes]:
    """Add a ``TOTAL`` column per region summing the sectors that have a result, naming the others."""
    ok = np.isfinite(cols["actual_change"])
    gap = np.flatnonzero(~ok.all(axis=1))  # the regions with a sector left out
    any_ok = ok.any(axis=1)
    n_reg, n_sec = ok.shape
    out = {}
    for key, arr in cols.items():
        wide = np.empty((n_reg, n_sec + 1))  # filled in place: no stacked copies
        wide[:, :n_sec] = arr
        if key in ("value_start", "value_end", "actual_change", *PARTS):
            wide[:, n_sec] = np.where(any_ok, _sum_with_result(arr, ok, gap), np.nan)
        else:
            wide[:, n_sec] = np.nan
        out[key] = wide
    with np.errstate(divide="ignore", invalid="ignore"):
        growth = out["value_end"][:, -1] / out["value_start"][:, -1] - 1.0
    out["regional_growth"][:, -1] = np.where(np.isfinite(growth), growth, np.nan)
    out["reference_growth"][:, -1] = cols["reference_growth"][:, 0]
    out["reference_sector_growth"][:, -1] = cols["reference_growth"][:, 0]
    names = np.asarray(sectors, dtype=object)
    # The sector notes move to the wider grid (one more column per region); the TOTAL cells of the
    # regions with a gap get theirs (strings only for those regions). Positions stay sorted.
    where = note.where + note.where // n_sec
    total_at = gap * (n_sec + 1) + n_sec
    total_texts = [f"sum without {', '.join(names[~ok[i]])} (missing)" for i in gap]
    order = np.argsort(np.concatenate([where, total_at]), kind="stable")
    texts = np.concatenate([note.texts, np.asarray(total_texts, dtype=object)])[order]
    return out, SparseNotes((n_reg, n_sec + 1), np.concatenate([where, total_at])[order], texts)


def _sum_with_result(arr: np.ndarray, ok: np.ndarray, gap: np.ndarray) -> np.ndarray:
    """Each row's sum over the cells where ``ok``: a plain row sum where every cell is ok, the rows in
    ``gap`` with the others counted as 0 (each row is summed alone, in the same order either way)."""
    total = arr.sum(axis=1)
    if gap.size:
        total[gap] = np.where(ok[gap], arr[gap], 0.0).sum(axis=1)
    return total
