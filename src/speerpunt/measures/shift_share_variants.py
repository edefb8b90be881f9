"""Shift-share variants on top of Dunn: Esteban-Marquillas, Arcelus and dynamic (Barff & Knight).

Notes
-----
Symbols for a region *r*, sector *i*, period ``t0 → t1`` and reference *R* (see
:mod:`speerpunt.measures.shift_share`): ``x_ri`` the base-year value, ``x_r`` the region's base-year total,
``x_Ri`` and ``x_R`` the reference's, ``g_ri`` the region's growth in *i*, ``g_r`` the region's total growth,
``G_i`` the reference's growth in *i* and ``G`` the reference's total growth. Every variant returns Dunn's
``national_share``, ``industry_mix`` and ``regional_shift`` plus its own columns.

**Esteban-Marquillas (1972).** Homothetic value ``x̂_ri = x_r · x_Ri / x_R``: what the region would have in
*i* with the reference's structure. The regional shift splits into

    homothetic_competitive = x̂_ri (g_ri − G_i)
    allocation_effect      = (x_ri − x̂_ri)(g_ri − G_i)        (sum = regional_shift)

The allocation effect is positive where the region is specialised in a sector in which it is competitive.

**Arcelus (1984).** The regional shift splits into a regional growth effect, due to the region's overall
growth differing from the reference's, and a regional industry-mix effect, the sector's growth differing from
the region's own total beyond what the reference shows; each is split with homothetic values as in
Esteban-Marquillas (Arcelus's eight-component model without the trivial splits of the first two parts):

    regional_growth_effect       = x_ri (g_r − G)
                                 = x̂_ri (g_r − G) + (x_ri − x̂_ri)(g_r − G)
    regional_industry_mix_effect = x_ri [(g_ri − g_r) − (G_i − G)]
                                 = x̂_ri [(g_ri − g_r) − (G_i − G)] + (x_ri − x̂_ri)[(g_ri − g_r) − (G_i − G)]

with ``regional_growth_effect + regional_industry_mix_effect = regional_shift``. Columns:
``homothetic_regional_growth``, ``allocation_regional_growth``, ``homothetic_regional_industry_mix``,
``allocation_regional_industry_mix``.

**Dynamic (Barff & Knight 1988).** Dunn's decomposition for every pair of consecutive years in the period,
summed per region and sector. The reference's growth rates and the base values are updated every year, so
shifts in structure during the period are not attributed to the base year. Over a single year it equals
Dunn. ``yearly=True`` appends the yearly parts (rows with ``span = "year"``).

**Zero and missing cells.** A sector with a zero base value has no growth rate: Dunn's parts other than the
regional shift are 0 and the whole change is in the regional shift. The variants follow the same rule: the
parts that need ``g_ri`` (``homothetic_competitive``, ``homothetic_regional_industry_mix``) are 0 and the
residual part (``allocation_effect``, ``allocation_regional_industry_mix``) takes the rest, so every identity
still holds. A missing cell makes that sector's parts missing (with a note); ``TOTAL`` rows sum the sectors
that have a result.

References
----------
Dunn, E. S. (1960). A statistical and analytical technique for regional analysis. *Papers of the Regional
Science Association* 6, 97–112. — Esteban-Marquillas, J. M. (1972). A reinterpretation of shift-share
analysis. *Regional and Urban Economics* 2(3), 249–255. — Arcelus, F. J. (1984). An extension of shift-share
analysis. *Growth and Change* 15(1), 3–8. — Barff, R. A. & Knight, P. L. (1988). Dynamic shift-share analysis.
*Growth and Change* 19(2), 1–10. — Loveridge, S. & Selting, A. C. (1998). A review and comparison of
shift-share identities. *International Regional Science Review* 21(1), 37–58.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = [("R", "A", 2000, 10.0), ("R", "B", 2000, 30.0), ("R", "A", 2001, 20.0), ("R", "B", 2001, 30.0),
...         ("N", "A", 2000, 100.0), ("N", "B", 2000, 100.0), ("N", "A", 2001, 110.0), ("N", "B", 2001, 90.0)]
>>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "value"]).assign(variable="employment"))
>>> em = shift_share_variant(p, method="esteban-marquillas", variable="employment", start=2000, end=2001,
...                          reference="N", regions=["R"])
>>> em.set_index("sector").loc["A", ["regional_shift", "homothetic_competitive", "allocation_effect"]].tolist()
[9.0, 18.0, -9.0]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.measures._notes import extend_notes, join_notes
from speerpunt.measures.growth import _check_period, break_note
from speerpunt.measures.reference import (
    Comparison,
    comparison_block,
    reference_codes,
    resolve_regions,
    resolve_sectors,
    split_reference,
)
from speerpunt.measures.shift_share import (
    PARTS,
    DunnTable,
    dunn_frame,
    dunn_parts,
    dunn_table,
    shift_share,
)
from speerpunt.panel import Panel

METHODS = ("dunn", "esteban-marquillas", "arcelus", "dynamic")
EM_COLUMNS = ["homothetic_value", "homothetic_competitive", "allocation_effect"]
ARCELUS_COLUMNS = [
    "homothetic_value",
    "regional_growth_effect",
    "regional_industry_mix_effect",
    "homothetic_regional_growth",
    "allocation_regional_growth",
    "homothetic_regional_industry_mix",
    "allocation_regional_industry_mix",
]
# Columns that are sums over sectors in the TOTAL row (the homothetic value sums to the region total too).
_ADDITIVE = set(EM_COLUMNS) | set(ARCELUS_COLUMNS)


def esteban_marquillas_parts(
    x0: np.ndarray,
    xt0: np.ndarray,
    r0: np.ndarray,
    rt0: np.ndarray,
    regional_shift: np.ndarray,
    g_ri: np.ndarray,
    g_i: np.ndarray,
) -> dict[str, np.ndarray]:
    """Homothetic value and the split of ``regional_shift`` (regions × sectors arrays; totals per region)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        hom = xt0[:, None] * r0 / rt0[:, None]
        comp = np.where(x0 > 0, hom * (g_ri - g_i), 0.0)
    return {
        "homothetic_value": hom,
        "homothetic_competitive": comp,
        "allocation_effect": regional_shift - comp,
    }


def arcelus_parts(
    x0: np.ndarray,
    hom: np.ndarray,
    regional_shift: np.ndarray,
    g_ri: np.ndarray,
    g_r: np.ndarray,
    g_i: np.ndarray,
    big_g: np.ndarray,
) -> dict[str, np.ndarray]:
    """Arcelus's regional growth and regional industry-mix effects with their homothetic splits."""
    rg_rate = (g_r - big_g)[:, None]
    growth_effect = x0 * rg_rate
    mix_effect = regional_shift - growth_effect
    hom_growth = hom * rg_rate
    hom_mix = np.where(x0 > 0, hom * ((g_ri - g_r[:, None]) - (g_i - big_g[:, None])), 0.0)
    return {
        "homothetic_value": hom,
        "regional_growth_effect": growth_effect,
        "regional_industry_mix_effect": mix_effect,
        "homothetic_regional_growth": hom_growth,
        "allocation_regional_growth": growth_effect - hom_growth,
        "homothetic_regional_industry_mix": hom_mix,
        "allocation_regional_industry_mix": mix_effect - hom_mix,
    }


def _growth(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        g = b / a - 1.0
    return np.where(np.isfinite(g), g, np.nan)


def _variant_parts(method: str, table: DunnTable) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Region × sector arrays of the Esteban-Marquillas or Arcelus variant from the Dunn table's
    comparison block and parts, and where the region total is missing (per region)."""
    c, dunn = table.block, table.parts
    x0, xt0, r0, rt0 = c.x[0], c.xt[0], c.rx[0], c.rt[0]
    regional, g_ri, g_i = (
        dunn["regional_shift"],
        dunn["regional_growth"],
        dunn["reference_sector_growth"],
    )
    em = esteban_marquillas_parts(x0, xt0, r0, rt0, regional, g_ri, g_i)
    if method == "esteban-marquillas":
        parts = em
    else:
        big_g = dunn["reference_growth"][:, 0]
        parts = arcelus_parts(
            x0, em["homothetic_value"], regional, g_ri, _region_growth(c), g_i, big_g
        )
    out = {}
    no_shift = np.isnan(regional)
    for key, value in parts.items():
        value = np.asarray(value, dtype=float)
        # A split of a missing regional shift is missing too, even where one part could be computed.
        out[key] = value if key == "homothetic_value" else np.where(no_shift, np.nan, value)
    return out, np.isnan(xt0)


def _region_growth(c: Comparison) -> np.ndarray:
    """Each region's growth between the block's two years (Arcelus's ``g_r``).

    Without a published TOTAL a missing cell leaves the region total unknown: the region's growth is
    then taken over the sectors that have data in both years rather than losing every sector's effects
    (computed only when some region needs it)."""
    (x0, x1), (xt0, xt1) = c.x, c.xt
    g_r = _growth(xt0, xt1)
    gaps = np.isnan(g_r)
    if gaps.any():
        both = ~np.isnan(x0) & ~np.isnan(x1)
        sums = _growth(np.where(both, x0, 0.0).sum(axis=1), np.where(both, x1, 0.0).sum(axis=1))
        g_r = np.where(gaps, sums, g_r)
    return g_r


def _attach(
    table: DunnTable,
    parts: dict[str, np.ndarray],
    total_missing: np.ndarray,
    columns: list[str],
) -> pd.DataFrame:
    """The Dunn frame with the variant's columns (rows: each region's sectors, then its ``TOTAL``).

    The ``TOTAL`` row sums the sectors the Dunn ``TOTAL`` counts (those with an actual change),
    skipping a missing part as the Dunn ``TOTAL`` does.
    """
    n_reg, n_sec = total_missing.shape[0], next(iter(parts.values())).shape[1]
    counted = ~np.isnan(table.cols["actual_change"][:, :n_sec])
    any_counted = counted.any(axis=1)
    extra = {}
    for col in columns:
        v = parts[col]
        # = nansum over the counted cells (nansum sums the same array with NaN set to 0)
        total = np.where(any_counted, np.where(counted & ~np.isnan(v), v, 0.0).sum(axis=1), np.nan)
        extra[col] = np.column_stack([v, total])
    flag = np.zeros((n_reg, n_sec + 1), dtype=bool)
    flag[:, :n_sec] = total_missing[:, None]
    note = extend_notes(table.note, flag, "region total missing: homothetic value undefined")
    return dunn_frame(table, extra, note)


def _dynamic(
    panel: Panel,
    variable: str,
    start: int,
    end: int,
    reference: str,
    regions: list[str],
    sectors: list[str],
    yearly: bool,
) -> pd.DataFrame:
    """Dunn parts of every consecutive pair of years, summed: one array pass over all steps."""
    years = [int(y) for y in panel.core(variable).years if start <= y <= end]
    steps = list(zip(years[:-1], years[1:], strict=True))
    base = shift_share(
        panel,
        variable=variable,
        start=start,
        end=end,
        reference=reference,
        regions=regions,
        sectors=sectors,
    )
    _, rest = split_reference(reference)
    refs = reference_codes(panel, regions, reference)
    c = comparison_block(panel, variable, years, regions, refs, sectors, rest)
    step = dunn_parts(c.x[:-1], c.x[1:], c.rx[:-1], c.rx[1:], c.rt[:-1], c.rt[1:])
    n_reg, n_sec = len(regions), len(sectors)
    blocked = np.array([bool(break_note(panel, a, b, variable)) for a, b in steps], dtype=bool)
    parts = {k: np.where(blocked[:, None, None], np.nan, step[k]) for k in PARTS}
    if steps:
        summed = {k: v.sum(axis=0) for k, v in parts.items()}  # NaN as soon as one step is
    else:
        summed = {k: np.full((n_reg, n_sec), np.nan) for k in PARTS}
    gap = np.zeros((len(steps), n_reg, n_sec), dtype=bool)
    for v in parts.values():
        gap |= np.isnan(v)
    gap_note = np.full((n_reg, n_sec), "", dtype=object)
    for i, (a, _) in enumerate(steps):
        hit = gap[i]
        if hit.any():
            cur = gap_note[hit]
            gap_note[hit] = np.where(cur == "", f"{a}–{a + 1}", cur + f", {a}–{a + 1}")
    out = base.copy()
    actual = out["actual_change"].to_numpy().reshape(n_reg, n_sec + 1)[:, :n_sec]
    counted = ~np.isnan(actual)  # the same rows as the Dunn TOTAL
    for col in PARTS:
        v = summed[col]
        # As the Dunn TOTAL: a part that is unknown for a counted sector leaves the total unknown.
        total = np.where(counted.any(axis=1), np.where(counted, v, 0.0).sum(axis=1), np.nan)
        out[col] = np.column_stack([v, total]).ravel()
    extra = np.full((n_reg, n_sec + 1), "", dtype=object)
    extra[:, :n_sec] = np.where(gap_note == "", "", "dynamic parts missing for " + gap_note)
    extra = extra.ravel()
    uneven = any(b - a != 1 for a, b in steps)
    out["note"] = join_notes(
        (len(out),),
        (out["note"].to_numpy() != "", out["note"].to_numpy()),
        (extra != "", extra),
        (np.full(len(out), uneven), "years missing in the period: steps longer than 1"),
    )
    out["span"] = "period"
    if yearly:
        yearly_parts = [
            shift_share(
                panel,
                variable=variable,
                start=a,
                end=b,
                reference=reference,
                regions=regions,
                sectors=sectors,
            )
            for a, b in steps
        ]
        out = pd.concat([out, *[p.assign(span="year") for p in yearly_parts]], ignore_index=True)
    return out


def shift_share_variant(
    panel: Panel,
    *,
    method: str,
    variable: str,
    start: int,
    end: int,
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
    yearly: bool = False,
) -> pd.DataFrame:
    """Shift-share by ``method``: ``dunn``, ``esteban-marquillas``, ``arcelus`` or ``dynamic``.

    Parameters
    ----------
    panel : Panel
    method : str
        One of :data:`METHODS`.
    variable : str
        E.g. ``"employment"`` or ``"value_added"``.
    start, end : int
        The period.
    reference : str
        ``"country"`` (default), a region code or ``"rest:CODE"``.
    regions, sectors : optional
        As in :func:`~speerpunt.measures.shift_share.shift_share`.
    yearly : bool
        ``dynamic`` only: also return the yearly Dunn parts (rows with ``span = "year"``).

    Returns
    -------
    DataFrame
        The columns of :func:`~speerpunt.measures.shift_share.shift_share` (one row per sector plus
        ``TOTAL`` per region) with the variant's columns before ``note``: :data:`EM_COLUMNS`,
        :data:`ARCELUS_COLUMNS`, or ``span`` for ``dynamic`` (whose ``national_share``, ``industry_mix`` and
        ``regional_shift`` are the sums of the yearly parts).
    """
    if method not in METHODS:
        raise MeasureError(
            Text("ms_unknown_shift_share", method=method, choices=", ".join(METHODS)),
            column="method",
        )
    if yearly and method != "dynamic":
        raise MeasureError(Text("ms_yearly_dynamic"), column="yearly")
    _check_period(start, end)
    panel.require(variable=variable, years=[start, end])
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors)
    if method == "dynamic":
        return _dynamic(panel, variable, start, end, reference, regs, secs, yearly)
    table = dunn_table(panel, variable, start, end, reference, regs, secs)
    if method == "dunn":
        return dunn_frame(table)
    columns = EM_COLUMNS if method == "esteban-marquillas" else ARCELUS_COLUMNS
    parts, total_missing = _variant_parts(method, table)
    return _attach(table, parts, total_missing, columns)
