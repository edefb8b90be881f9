"""Regional specialisation and diversity: Krugman, Hoover, Gini, Herfindahl, Theil, variety, RDI.

Notes
-----
Shares are taken over the sectors analysed: ``s_ri = x_ri / Σ_i x_ri`` and ``s_Ri = x_Ri / Σ_i x_Ri``, so that
they form a distribution (this is REAT's convention too; the published ``TOTAL`` is *not* used here, unlike
:func:`~speerpunt.measures.location_quotient`). A missing cell is left out of that region's sums and the
note says so; it is never read as zero. With ``reference="rest:R"`` the reference is ``R`` minus the region.

=====================  ==========================================================================  ======
column                 formula                                                                     range
=====================  ==========================================================================  ======
``krugman``            ``K = Σ_i |s_ri − s_Ri|`` (REAT ``krugman.spec``; ``half=True``: ``K/2``)   0–2
``hoover``             ``½ Σ_i |s_ri − s_Ri|`` (Hoover coefficient of specialisation)              0–1
``gini``               REAT ``gini.spec``: ``2/(n² L̄) Σ_λ λ (LQ_(λ) − L̄)`` over the sorted LQs     0–1
``herfindahl``         ``H = Σ_i s_ri²``                                                          1/n–1
``herfindahl_norm``    ``(H − 1/n) / (1 − 1/n)``                                                   0–1
``entropy``            ``E = −Σ_i s_ri log₂ s_ri`` (bits)                                          0–log₂n
``theil_relative``     ``Σ_i s_ri ln(s_ri / s_Ri)`` (Theil 1967 relative entropy, nats)            ≥ 0
``unrelated_variety``  ``UV = −Σ_g P_g log₂ P_g`` with ``P_g = Σ_{i∈g} s_ri`` (bits)               ≥ 0
``related_variety``    ``RV = Σ_g P_g H_g``, ``H_g = −Σ_{i∈g} (s_ri/P_g) log₂(s_ri/P_g)`` (bits)   ≥ 0
``rdi``                ``1 / Σ_i |s_ri − s_Ri|`` (Duranton & Puga 2000, REAT ``durpug``)           > 0.5
=====================  ==========================================================================  ======

Entropy decomposes exactly: ``E = UV + RV`` (Frenken, Van Oort & Verburg 2007). Groups *g* come from the
NACE hierarchy (see :func:`nace_groups`): divisions (``C10``, ``10``) group into sections, groups and classes
(``10.1``, ``C10.11``) into divisions, and sections into Eurostat's A*10 aggregates (B–E, G–I, M–N, O–Q,
R–U). Codes that are already aggregates (``B-E``, ``M_N``) form a group of their own and contribute to
unrelated variety only.

References
----------
Krugman, P. (1991). *Geography and Trade*. MIT Press. — Hoover, E. M. (1936). The measurement of industrial
localization. *Review of Economics and Statistics* 18(4), 162–171. — Theil, H. (1967). *Economics and
Information Theory*. North-Holland. — Frenken, K., Van Oort, F. & Verburg, T. (2007). Related variety,
unrelated variety and regional economic growth. *Regional Studies* 41(5), 685–697. — Duranton, G. & Puga, D.
(2000). Diversity and specialisation in cities. *Urban Studies* 37(3), 533–555. — Farhauer, O. & Kröll, A.
(2013). *Standorttheorien*. Springer. — Wieland, T. (2019). REAT: Regional Economic Analysis Toolbox (R).

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["R"] * 2 + ["N"] * 2, "sector": ["A", "B"] * 2, "year": 2020,
...                    "variable": "employment", "value": [30.0, 70.0, 500.0, 500.0]})
>>> t = specialisation(Panel(df), region="R", reference="N", variable="employment", year=2020)
>>> round(float(t.set_index("measure").loc["krugman", "value"]), 6)
0.4
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from speerpunt.classify import A10, is_nace, nace_section
from speerpunt.errors import MeasureError, Text
from speerpunt.measures._notes import join_notes, label_column, text_column
from speerpunt.measures.reference import (
    comparison_block,
    reference_codes,
    resolve_regions,
    resolve_sectors,
    split_reference,
)
from speerpunt.panel import Panel

MEASURES = [
    "krugman",
    "hoover",
    "gini",
    "herfindahl",
    "herfindahl_norm",
    "entropy",
    "theil_relative",
    "unrelated_variety",
    "related_variety",
    "rdi",
]

# Eurostat's A*10 aggregation of sections (the parent level of a section breakdown).
_A10_OF_SECTION = {section: agg for agg, sections in A10.items() for section in sections}
_NACE_CODE = re.compile(r"^([A-U])?(\d{2})(?:\.?(\d{1,2}))?$")


# ---- plain-vector measures in REAT's conventions --------------------------------------------------
def gini(
    x: Sequence[float], weights: Sequence[float] | None = None, normalise: bool = False
) -> float:
    """Gini coefficient from the Lorenz curve (Dörsam 2004; REAT ``gini``).

    ``G = 1 − Σ_j w_j (Y_{j−1} + Y_j)`` with the values sorted ascending, ``w_j`` the population shares
    (``1/n`` unweighted) and ``Y_j`` the cumulative value shares. ``normalise=True`` gives ``G·n/(n−1)``.
    Unlike REAT, weights are sorted together with the values.

    >>> round(gini([20, 50, 20, 10]), 10), round(gini([20, 50, 20, 10], normalise=True), 10)
    (0.3, 0.4)
    """
    v = np.asarray(x, dtype=float)
    w = np.ones_like(v) if weights is None else np.asarray(weights, dtype=float)
    order = np.argsort(v, kind="stable")
    v, w = v[order], w[order]
    pop = w / w.sum()
    cum = np.cumsum(v * w) / np.sum(v * w)
    g = 1.0 - float(np.sum(pop * (cum + np.concatenate(([0.0], cum[:-1])))))
    n = len(v)
    return g * n / (n - 1) if normalise else g


def herfindahl(x: Sequence[float], normalise: bool = False) -> float:
    """Herfindahl-Hirschman index ``Σ a_i²`` of the shares ``a_i``; normalised ``(H − 1/n)/(1 − 1/n)``.

    >>> round(herfindahl([20, 50, 20, 10]), 10), round(herfindahl([20, 50, 20, 10], normalise=True), 10)
    (0.34, 0.12)
    """
    v = np.asarray(x, dtype=float)
    h = float(np.sum((v / v.sum()) ** 2))
    n = len(v)
    return (h - 1.0 / n) / (1.0 - 1.0 / n) if normalise else h


def theil(x: Sequence[float]) -> float:
    """REAT's ``theil``: the mean log deviation ``(1/n) Σ ln(x̄ / x_j)`` (Störmann 2009).

    This is Theil's second measure (GE(0)) of inequality between the values; the relative Theil index of
    specialisation is the ``theil_relative`` column of :func:`specialisation_table`.

    >>> round(theil([10, 10, 10, 20, 50]), 7)
    0.2326302
    """
    v = np.asarray(x, dtype=float)
    return float(np.mean(np.log(v.mean() / v)))


def hoover(x: Sequence[float], weights: Sequence[float] | None = None) -> float:
    """Hoover index ``½ Σ |x_j/Σx − w_j/Σw|`` (REAT ``hoover``; ``w_j = 1/n`` without weights).

    >>> hoover([1, 1, 2], [1, 1, 2]), hoover([0, 0, 1])
    (0.0, 0.6666666666666667)
    """
    v = np.asarray(x, dtype=float)
    w = np.full_like(v, 1.0 / len(v)) if weights is None else np.asarray(weights, dtype=float)
    return float(0.5 * np.sum(np.abs(v / v.sum() - w / w.sum())))


# ---- row-wise (vectorised over regions) building blocks --------------------------------------------
def row_shares(x: np.ndarray) -> np.ndarray:
    """Each row divided by its sum over the non-missing cells (NaN stays NaN)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return x / np.nansum(x, axis=1, keepdims=True)


def krugman_rows(s: np.ndarray, r: np.ndarray, half: bool = False) -> np.ndarray:
    """``Σ_i |s_i − r_i|`` per row over the sectors present in both (``/2`` with ``half``)."""
    k = np.nansum(np.abs(s - r), axis=1)
    return k / 2.0 if half else k


def lq_gini_rows(lq: np.ndarray) -> np.ndarray:
    """REAT's Gini of location quotients per row: ``2/(n² L̄) Σ_λ λ (LQ_(λ) − L̄)``, NaN cells left out."""
    valid = np.isfinite(lq)
    n = valid.sum(axis=1)
    # Sorted in place with the invalid cells last (as +inf), so rank λ = column + 1; the tail past each
    # row's n cells is then zeroed, which is what a NaN-skipping sum of the same cells gives.
    srt = np.where(valid, lq, np.inf)
    srt.sort(axis=1)
    tail = np.arange(lq.shape[1])[None, :] >= n[:, None]
    srt[tail] = 0.0
    lam = np.arange(1, lq.shape[1] + 1)[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = srt.sum(axis=1) / n
        srt -= mean[:, None]
        srt *= lam
        srt[tail] = 0.0
        return 2.0 / (n**2 * mean) * srt.sum(axis=1)


def entropy_rows(s: np.ndarray, base: float = 2.0) -> np.ndarray:
    """``−Σ s log s`` per row (``0 log 0 = 0``; NaN cells left out)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        terms = np.where(s > 0, -s * np.log(s), 0.0)
    return np.nansum(np.where(np.isnan(s), 0.0, terms), axis=1) / np.log(base)


def variety_rows(
    s: np.ndarray, groups: Sequence[str], base: float = 2.0
) -> tuple[np.ndarray, np.ndarray]:
    """Related and unrelated variety per row (Frenken et al. 2007) for sector columns in ``groups``.

    Returns ``(related, unrelated)`` with ``related + unrelated = entropy_rows(s, base)``.
    """
    s0 = np.where(np.isnan(s), 0.0, s)
    return _variety(s0, np.log(s0), groups, base)


def _variety(
    s0: np.ndarray, log_s: np.ndarray, groups: Sequence[str], base: float
) -> tuple[np.ndarray, np.ndarray]:
    """:func:`variety_rows` of shares without NaN (``s0``) and their logarithms (computed once by the
    caller). ``−Σ_i s_i log(s_i / P_g(i))`` is written ``−Σ_i s_i (log s_i − log P_g(i))``."""
    labels, inverse = np.unique(np.asarray(groups, dtype=object), return_inverse=True)
    p_group = _group_sums(s0, inverse, len(labels))  # P_g per row
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.log(p_group)
        unrelated = np.where(p_group > 0, -p_group * log_p, 0.0).sum(axis=1) / np.log(base)
        # Σ_g P_g H_g, written per sector: −Σ_i s_i log(s_i / P_g(i)).
        terms = np.where(s0 > 0, -s0 * (log_s - log_p[:, inverse]), 0.0)
    return terms.sum(axis=1) / np.log(base), unrelated


def _group_sums(s0: np.ndarray, inverse: np.ndarray, n_groups: int) -> np.ndarray:
    """``P[:, g] = Σ_{i: inverse[i] = g} s0[:, i]``, one column slice or gather per group.

    Not a matrix product with a 0/1 membership matrix: on a shared machine a multi-threaded BLAS call of
    this size waited 5–10× longer than the arithmetic it does."""
    out = np.empty((s0.shape[0], n_groups))
    for g in range(n_groups):
        cols = np.flatnonzero(inverse == g)
        if cols.size and cols[-1] - cols[0] + 1 == cols.size:  # contiguous: a view, no gather
            out[:, g] = s0[:, cols[0] : cols[-1] + 1].sum(axis=1)
        else:
            out[:, g] = s0[:, cols].sum(axis=1)
    return out


# ---- NACE grouping for related variety -------------------------------------------------------------
def _section_of_division(division: int) -> str | None:
    """The NACE section of a division number, ``None`` for a number NACE does not use."""
    code = f"{division:02d}"
    return nace_section(code) if is_nace(code) else None


def nace_group(code: str) -> str:
    """Parent NACE group of a sector code for related/unrelated variety.

    >>> [nace_group(c) for c in ["C10", "20", "C10.1", "20.14", "H", "B-E", "tourism"]]
    ['C', 'C', 'C10', '20', 'G-I', 'B-E', 'tourism']
    """
    c = code.strip()
    if c in _A10_OF_SECTION:
        return _A10_OF_SECTION[c]
    m = _NACE_CODE.match(c)
    if not m:
        return c
    letter, division, sub = m.groups()
    if sub:
        return f"{letter or ''}{division}"
    return _section_of_division(int(division)) or c


def nace_groups(sectors: Sequence[str]) -> dict[str, str]:
    """``{sector: parent group}`` for every sector (see :func:`nace_group`)."""
    return {s: nace_group(s) for s in sectors}


@lru_cache(maxsize=64)
def _default_groups(sectors: tuple[str, ...]) -> list[str]:
    """:func:`nace_group` of each sector, remembered per sector list (a table lookup per code)."""
    return [nace_group(s) for s in sectors]


def _group_labels(
    sectors: Sequence[str], groups: Mapping[str, str] | Callable[[str], str] | None
) -> list[str]:
    if groups is None:
        return _default_groups(tuple(sectors))
    if callable(groups):
        return [groups(s) for s in sectors]
    missing = [s for s in sectors if s not in groups]
    if missing:
        raise MeasureError(Text("ms_no_group", sectors=", ".join(missing)), column="groups")
    return [groups[s] for s in sectors]


def _measure_rows(
    x: np.ndarray, rx: np.ndarray, groups: Sequence[str], half: bool
) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray, np.ndarray]:
    """The columns of :data:`MEASURES` per row of ``x`` against ``rx`` (rows × sectors, NaN = missing).

    Returns ``(values, n, same, no_activity)``: ``n`` sectors with data in both, whether the row has the
    reference's structure (:func:`same_structure`), and the rows whose region or reference sums to zero.
    Values are not yet blanked for empty rows.

    A cell missing on either side is left out of both rows' sums. It is set to 0 here rather than NaN:
    a 0 share adds nothing to any sum below (``0·log 0 = 0`` by the ``s > 0`` guards), so the plain sums
    equal the NaN-skipping sums of the row-wise building blocks above, without a NaN-replacing copy per
    measure. Each logarithm is taken once; at this size every pass over the cells costs more in memory
    traffic than in arithmetic.
    """
    both = ~(np.isnan(x) | np.isnan(rx))
    s, r = np.where(both, x, 0.0), np.where(both, rx, 0.0)
    x_sum, r_sum = s.sum(axis=1), r.sum(axis=1)
    n = both.sum(axis=1)
    with np.errstate(divide="ignore", invalid="ignore"):
        s /= x_sum[:, None]
        r /= r_sum[:, None]
        k_full = np.abs(s - r).sum(axis=1)
        same = same_structure(k_full, n)
        lq = s / r  # 0/0 = NaN where a cell is left out: not counted by the Gini
        log_s = np.log(s)
        theil = np.where(s > 0, s * np.log(lq), 0.0).sum(axis=1)
        entropy = np.where(s > 0, -s * log_s, 0.0).sum(axis=1) / np.log(2.0)
        h = (s * s).sum(axis=1)
        related, unrelated = _variety(s, log_s, groups, 2.0)
        values = {
            "krugman": k_full / 2.0 if half else k_full,
            "hoover": k_full / 2.0,
            "gini": lq_gini_rows(lq),
            "herfindahl": h,
            "herfindahl_norm": (h - 1.0 / n) / (1.0 - 1.0 / n),
            "entropy": entropy,
            "theil_relative": theil,
            "unrelated_variety": unrelated,
            "related_variety": related,
            "rdi": np.where(same, np.nan, 1.0 / k_full),
        }
    return values, n, same, (x_sum == 0) | (r_sum == 0)


def same_structure(k_full: np.ndarray, n: np.ndarray) -> np.ndarray:
    """Whether Krugman's full sum is 0 up to the rounding of the shares it is made of.

    Shares from exact data are exact ratios, but data in thousands (0.378 and 0.321 against 0.504 and
    0.428) or a reference summed from its regions leave a residue of a few ulps in
    ``Σ |s_i − s_Ri|``: each share carries a relative error of at most ``n · eps`` from its row's sum
    (non-negative cells), so two identical structures differ by at most about ``2 (n + 1) eps``; twice
    that is allowed. RDI is ``1 / K``; without this it was 6.0e15 for such a region instead of undefined.

    >>> same_structure(np.array([0.0, 1.7e-16, 1e-3]), np.array([2, 2, 2])).tolist()
    [True, True, False]
    """
    return k_full <= 4.0 * (n + 1) * np.finfo(float).eps


# ---- panel-level API --------------------------------------------------------------------------------
def specialisation_table(
    panel: Panel,
    *,
    variable: str,
    year: int | Sequence[int],
    reference: str = "country",
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
    half: bool = False,
    groups: Mapping[str, str] | Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """Every specialisation and diversity measure for every region (one row per region and year).

    Parameters
    ----------
    panel : Panel
    variable : str
    year : int or list of int
        Several years are computed in one pass (rows year by year).
    reference : str
        ``"country"`` (default), a region code or ``"rest:CODE"``.
    regions : list of str, optional
        Default: every region of the variable.
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present in the data. The sectors must not overlap.
    half : bool
        Report Krugman as ``½ Σ|s_ri − s_Ri|`` (0–1) instead of REAT's 0–2.
    groups : mapping or callable, optional
        Sector → group for related/unrelated variety; default :func:`nace_group`.

    Returns
    -------
    DataFrame
        ``region, reference, year, variable, n_sectors`` and the columns in :data:`MEASURES`, plus ``note``.
    """
    years = [int(year)] if np.ndim(year) == 0 else [int(y) for y in year]
    panel.require(variable=variable, years=years)
    _, rest = split_reference(reference)
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors)
    refs = reference_codes(panel, regs, reference)
    c = comparison_block(panel, variable, years, regs, refs, secs, rest)
    # Every (year, region) is one row of the row-wise building blocks.
    values, n, same, no_activity = _measure_rows(
        c.x.reshape(-1, len(secs)), c.rx.reshape(-1, len(secs)), _group_labels(secs, groups), half
    )
    empty = (n == 0) | no_activity
    for key in values:
        values[key] = np.where(empty, np.nan, values[key])
    missing = len(secs) - n
    counts, where = np.unique(missing, return_inverse=True)
    texts = np.array(
        [f"{m} of {len(secs)} sectors missing, left out" for m in counts], dtype=object
    )
    note = join_notes(
        (len(n),),
        (n == 0, "no sector with data in both region and reference"),
        (no_activity & (n > 0), "region or reference has no activity in these sectors"),
        ((missing > 0) & ~empty, texts[where.ravel()]),
        (same & ~empty, "same structure as the reference: RDI undefined"),
        (
            np.isinf(values["theil_relative"]),
            "a sector absent from the reference: relative Theil infinite",
        ),
    )
    ref_label = [f"rest:{code}" if rest else code for code in refs]
    reg_codes = np.tile(np.arange(len(regs)), len(years))
    out = pd.DataFrame(
        {
            "region": label_column(regs, reg_codes),
            "reference": label_column(ref_label, reg_codes),
            "year": np.repeat(np.asarray(years, dtype=np.int64), len(regs)),
            "variable": label_column([variable], np.zeros(len(n), dtype=np.int64)),
            "n_sectors": n,
            **{key: values[key] for key in MEASURES},
            "note": text_column(note),
        }
    )
    return out


def specialisation(
    panel: Panel,
    *,
    region: str,
    variable: str,
    year: int,
    reference: str = "country",
    sectors: str | Sequence[str] | None = None,
    half: bool = False,
    groups: Mapping[str, str] | Callable[[str], str] | None = None,
) -> pd.DataFrame:
    """All specialisation measures of one region as a tidy ``measure, value`` table (for the CLI).

    See :func:`specialisation_table` for the formulas; the note of the region, if any, is the last row's
    ``note``.
    """
    row = specialisation_table(
        panel,
        variable=variable,
        year=year,
        reference=reference,
        regions=[region],
        sectors=sectors,
        half=half,
        groups=groups,
    ).iloc[0]
    return pd.DataFrame(
        {
            "measure": MEASURES,
            "value": [float(row[m]) for m in MEASURES],
            "note": [""] * (len(MEASURES) - 1) + [row["note"]],
        }
    )


def krugman_matrix(
    panel: Panel,
    *,
    variable: str,
    year: int,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
    half: bool = False,
) -> pd.DataFrame:
    """Pairwise Krugman index between regions: ``K_jl = Σ_i |s_ji − s_li|`` (``/2`` with ``half``).

    Shares are over the sectors with data in both regions of a pair. Returns a square DataFrame
    (regions × regions) with zeros on the diagonal.
    """
    panel.require(variable=variable, years=[year])
    regs = resolve_regions(panel, regions, variable)
    secs = resolve_sectors(panel, sectors)
    x = panel.wide(variable, year).reindex(index=regs, columns=secs).to_numpy(dtype=float)
    # Pairs × sectors: restrict both regions to their common sectors, then renormalise.
    both = ~np.isnan(x)[:, None, :] & ~np.isnan(x)[None, :, :]
    xa = np.where(both, x[:, None, :], 0.0)
    xb = np.where(both, x[None, :, :], 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        sa = xa / xa.sum(axis=2, keepdims=True)
        sb = xb / xb.sum(axis=2, keepdims=True)
        k = np.abs(sa - sb).sum(axis=2)
    k = k / 2.0 if half else k
    return pd.DataFrame(k, index=pd.Index(regs, name="region"), columns=regs)
