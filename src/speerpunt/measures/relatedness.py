"""Revealed comparative advantage, co-location proximity, relatedness density, entry and exit.

Notes
-----
On a complete region × sector matrix ``x`` (regions *r*, sectors *i*):

* RCA (Balassa 1965): ``RCA_ri = (x_ri / Σ_i x_ri) / (Σ_r x_ri / Σ_r Σ_i x_ri)``. The reference is the
  set of regions analysed (the Growth Lab's "world"); totals are sums over the sectors analysed.
* Presence: ``M_ri = 1`` if ``RCA_ri ≥ threshold`` (default 1), else 0. Diversity ``k_r = Σ_i M_ri``,
  ubiquity ``u_i = Σ_r M_ri``.
* Proximity (Hidalgo et al. 2007): ``φ_ij = Σ_r M_ri M_rj / max(u_i, u_j)`` — the smaller of the two
  conditional probabilities that a region specialised in one sector is specialised in the other.
  By this formula ``φ_ii = 1`` (``NaN`` for a sector no region is specialised in).
* Relatedness density: ``density_ri = Σ_j M_rj φ_ij / Σ_j φ_ij``, the share of the proximity of *i*
  to all sectors that falls on sectors the region is specialised in. ``convention="stata"`` (default, the
  Growth Lab's Stata ``ecomplexity``) leaves the sector itself out of both sums (``φ_ii := 0``);
  ``convention="py-ecomplexity"`` (the Growth Lab's Python package) keeps ``φ_ii = 1`` in them.
* Entry of a specialisation between two years: ``M`` goes from 0 to 1; exit: from 1 to 0.

**Missing cells** are never read as zero (EconGeo and py-ecomplexity do read them as zero). A matrix with
missing cells is made complete by leaving out, one at a time, the region or sector with the largest share
of missing cells (a region first on a tie, so that the sector set stays comparable); regions or sectors
whose total is zero are left out too. Every output keeps the left-out regions and sectors as rows with
``NaN`` results and a ``note`` saying why. Aggregates (``TOTAL``, overlapping sub-totals) are kept out by
the default sector selection (the finest known partition present, see
:func:`speerpunt.measures.reference.resolve_sectors`). Regions are those of one NUTS level (``level``):
by default the level of the region asked about, else the level most regions of the data have.

References
----------
Balassa, B. (1965). Trade liberalisation and "revealed" comparative advantage. *The Manchester School*,
33(2), 99–123. — Hidalgo, C. A., Klinger, B., Barabási, A.-L. & Hausmann, R. (2007). The product space
conditions the development of nations. *Science*, 317(5837), 482–487. — Growth Lab, Harvard: Stata
``ecomplexity`` and Python ``py-ecomplexity``. — Balland, P.-A. et al. (2019). Smart specialization policy
in the European Union: relatedness, knowledge complexity and regional diversification. *Regional Studies*,
53(9), 1252–1268.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Core, Panel
>>> df = pd.DataFrame({"region": list("PPQQ"), "sector": ["A", "B"] * 2, "year": 2020,
...                    "variable": "employment", "value": [30.0, 10.0, 10.0, 50.0]})
>>> r = rca(Panel(df), variable="employment", year=2020)
>>> r.set_index(["region", "sector"])["rca"].round(4).to_dict()
{('P', 'A'): 1.875, ('P', 'B'): 0.4167, ('Q', 'A'): 0.4167, ('Q', 'B'): 1.3889}
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
import pandas as pd

from speerpunt._parallel import each
from speerpunt.errors import MeasureError, Num, SpeerpuntError, Text
from speerpunt.measures._notes import (
    chunked_label_column,
    join_notes,
    text_column,
)
from speerpunt.measures.reference import resolve_sectors
from speerpunt.panel import Core, Panel

CONVENTIONS = ("stata", "py-ecomplexity")
CELL_COLUMNS = ["region", "sector", "year", "variable", "value", "rca", "m", "note"]


# ---- the complete matrix the measures work on ---------------------------------------------------
@dataclass(frozen=True)
class Matrix:
    """A complete region × sector matrix (``complete``; ``values`` as a frame), the grid it came from
    (``raw``, as read) and what was left out of it, with the reason."""

    #: the complete matrix, C-ordered: rows ``regions[inside_rows]``, columns ``sectors[inside_cols]``
    complete: np.ndarray
    regions: list[str]
    sectors: list[str]
    #: ``regions × sectors`` as read (``NaN`` where missing); :attr:`raw` is its frame.
    raw_values: np.ndarray
    #: Which of ``regions`` / ``sectors`` are in ``complete``.
    inside_rows: np.ndarray
    inside_cols: np.ndarray
    excluded_regions: dict[str, str] = field(default_factory=dict)
    excluded_sectors: dict[str, str] = field(default_factory=dict)
    #: Row and column sums of ``complete`` when already computed (:func:`line_sums`), else ``None``.
    sums: tuple[np.ndarray, np.ndarray] | None = None

    @property
    def full(self) -> bool:
        """Nothing left out: ``complete`` is the whole grid."""
        return bool(self.inside_rows.all() and self.inside_cols.all())

    @cached_property
    def values(self) -> pd.DataFrame:
        """The complete matrix as a frame (its own copy), built on first use: RCA and density work on
        :attr:`complete` and never need it."""
        rows, cols = self.inside_rows, self.inside_cols
        return pd.DataFrame(
            self.complete.copy(),
            index=_label_index(tuple(self.regions), "region")[rows],
            columns=_label_index(tuple(self.sectors), None)[cols],
            copy=False,  # already a fresh copy
        )

    @cached_property
    def raw(self) -> pd.DataFrame:
        """The grid it came from as a frame (built on first use: the measures read :attr:`raw_values`)."""
        return pd.DataFrame(
            self.raw_values.copy(),
            index=pd.Index(self.regions, name="region"),
            columns=pd.Index(self.sectors),
        )

    def region_notes(self) -> np.ndarray:
        """One note per region of ``regions`` (``''`` for the regions in ``values``)."""
        return np.array([self.excluded_regions.get(r, "") for r in self.regions], dtype=object)

    def sector_notes(self) -> np.ndarray:
        return np.array([self.excluded_sectors.get(s, "") for s in self.sectors], dtype=object)

    def cell_notes(self) -> np.ndarray:
        """Region × sector notes: the region's reason, else the sector's."""
        reg = self.region_notes()[:, None]
        sec = self.sector_notes()[None, :]
        return np.where(
            reg != "", reg, np.broadcast_to(sec, (len(self.regions), len(self.sectors)))
        )


@lru_cache(maxsize=65536)
def nuts_level(code: str) -> int | None:
    """The NUTS level of ``code``, ``None`` for codes outside NUTS (aggregates such as ``EU27_2020``)."""
    from speerpunt.classify import nuts_level as classify_level

    try:
        return classify_level(code)
    except SpeerpuntError:
        return None


def regions_at_level(
    regions: Sequence[str], level: int | str | None, region: str | None = None
) -> list[str]:
    """The regions of one NUTS level.

    ``level=None``: the level of ``region`` when given, else the level most regions have (the finer on a
    tie); ``"all"``: every region; an integer: that level. Codes without a NUTS level are kept only when
    no region has one (e.g. country codes of trade data).
    """
    if level == "all":
        return list(regions)
    levels = {r: nuts_level(r) for r in regions}
    if level is None:
        if region is not None:
            level = levels.get(region, nuts_level(region))
        else:
            counts = Counter(lv for lv in levels.values() if lv is not None)
            level = max(counts, key=lambda lv: (counts[lv], lv)) if counts else None
    if level is None:
        return [r for r in regions if levels[r] is None] if region is None else list(regions)
    try:
        level = int(level)
    except ValueError:
        raise MeasureError(Text("ms_nuts_level", level=repr(level)), column="level") from None
    return [r for r in regions if levels[r] == level]


@lru_cache(maxsize=64)
def _regions_at_level_cached(
    regions: tuple[str, ...], level: int | str | None, region: str | None
) -> tuple[str, ...]:
    """:func:`regions_at_level` remembered per region list (every year of a panel usually has the same
    regions: one NUTS-level look-up per region instead of one per region and year)."""
    return tuple(regions_at_level(regions, level, region))


def region_sector_matrix(
    panel: Panel,
    *,
    variable: str,
    year: int,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    keep: str | None = None,
    regions_first: bool = False,
) -> Matrix:
    """The complete region × sector matrix of one variable and year, after the missing-cell policy.

    ``keep``: a region whose missing sectors are left out first, so that it stays in the matrix.
    ``regions_first``: then leave out every region with a missing cell (instead of the line with the
    largest share of missing cells), keeping all sectors of ``keep``.
    """
    (grid,) = _grids(
        panel, variable=variable, years=[year], sectors=sectors, level=level, keep=keep
    )
    raw = grid.values()
    return _complete(
        raw, grid, variable=variable, year=year, keep=keep, regions_first=regions_first
    )


@dataclass(frozen=True)
class _Grid:
    """The regions and sectors of one year's matrix, before the missing-cell policy."""

    core: Core
    yi: int
    regions: list[str]
    sectors: list[str]
    #: positions of ``regions`` and ``sectors`` in the core (-1: not in it)
    at: tuple[np.ndarray, np.ndarray]

    def values(self, out: np.ndarray | None = None) -> np.ndarray:
        """The year's ``regions × sectors`` values (``NaN`` where missing), into ``out`` if given."""
        return self.core.year_values(self.yi, *self.at, out=out)

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.regions), len(self.sectors)


def _grids(
    panel: Panel,
    *,
    variable: str,
    years: Sequence[int],
    sectors: str | Sequence[str] | None,
    level: int | str | None,
    keep: str | None,
) -> list[_Grid]:
    """The grid of each year (checked and resolved once for all years)."""
    panel.require(variable=variable, years=years, regions=[keep] if keep else [])
    secs = list(resolve_sectors(panel, sectors))
    # Read from the panel's dense core: one year's block, then the missing-cell policy on integer
    # positions (no DataFrame reindex/drop per step).
    core = panel.core(variable)
    cols = core.positions("sectors", secs)
    out = []
    # Years with the same regions share one list and one positions array, looked up once: the core
    # gives them one tuple object, which stays alive in the core while it keys this dict.
    shared: dict[int, tuple[list[str], np.ndarray]] = {}
    for yi in core.positions("years", tuple(years)):  # remembered by the core: no Index per call
        present = core.regions_in_year(int(yi))
        if id(present) not in shared:
            regs = _regions_at_level_cached(present, level, keep)
            shared[id(present)] = list(regs), core.positions("regions", regs)
        labels, rows = shared[id(present)]
        if len(labels) < 2:
            raise MeasureError(
                Text("ms_two_regions", level=level, found=len(labels)), column="region"
            )
        out.append(_Grid(core, int(yi), labels, secs, (rows, cols)))
    return out


def _complete(
    raw: np.ndarray,
    grid: _Grid,
    *,
    variable: str,
    year: int,
    keep: str | None = None,
    regions_first: bool = False,
    sums: tuple[np.ndarray, np.ndarray] | None = None,
) -> Matrix:
    """The missing-cell policy on one year's ``raw`` grid (kept, not copied: the caller owns it);
    ``sums``: its :func:`line_sums` when the caller has them."""
    regs, secs = grid.regions, grid.sectors
    if keep is not None and keep not in regs:
        raise MeasureError(
            Text("ms_region_no_variable", region=keep, variable=variable, year=year),
            column="region",
        )
    rs, cs = sums if sums is not None else line_sums(raw)
    if _clear(rs) and _clear(cs):
        # The usual case, decided from the sums the RCA needs anyway: a NaN or an infinite cell makes
        # its line's sum non-finite, and no line sum is near zero, so nothing is left out.
        return _whole(raw, grid, (rs, cs))
    miss = np.isnan(raw)
    rows = np.ones(len(regs), dtype=bool)
    cols = np.ones(len(secs), dtype=bool)
    excl_r: dict[str, str] = {}
    excl_s: dict[str, str] = {}
    if keep is not None:
        gaps = np.flatnonzero(miss[regs.index(keep)])
        excl_s.update({secs[j]: f"left out: missing for {keep}" for j in gaps})
        cols[gaps] = False
    if regions_first:
        sub = miss[:, cols]
        names = [s for s, c in zip(secs, cols, strict=True) if c]
        for i in np.flatnonzero(sub.any(axis=1)):
            excl_r[regs[i]] = _region_gap([names[j] for j in np.flatnonzero(sub[i])], sub.shape[1])
            rows[i] = False
    if _lines(miss, rows, cols).any():
        _drop_missing_cells(miss, rows, cols, regs, secs, excl_r, excl_s)
    x = _lines(raw, rows, cols)
    zero_r = np.flatnonzero(rows)[x.sum(axis=1) == 0]
    excl_r.update({regs[i]: "left out: zero total" for i in zero_r})
    rows[zero_r] = False
    x = _lines(raw, rows, cols)
    zero_s = np.flatnonzero(cols)[x.sum(axis=0) == 0]
    excl_s.update({secs[j]: "left out: zero in every region" for j in zero_s})
    cols[zero_s] = False
    if rows.sum() < 2 or cols.sum() < 2:
        raise MeasureError(
            Text(
                "ms_too_few_left",
                regions=rows.sum(),
                sectors=cols.sum(),
                variable=variable,
                year=year,
            ),
            column="value",
        )
    full = rows.all() and cols.all()
    return Matrix(
        # A fresh C-ordered array kept as it is: a frame would hold it column-major, its ``to_numpy()``
        # would be Fortran-ordered and every later ``ravel`` into the long frame would gather element
        # by element (a third of the DataFrame RCA's time at 1,200 × 64 × 25).
        _lines(raw, rows, cols).copy() if full else raw[np.ix_(rows, cols)],
        regs,
        secs,
        raw,
        inside_rows=rows,
        inside_cols=cols,
        excluded_regions=excl_r,
        excluded_sectors=excl_s,
    )


def _whole(raw: np.ndarray, grid: _Grid, sums: tuple[np.ndarray, np.ndarray]) -> Matrix:
    """The matrix of a year where nothing is left out: ``raw`` itself (the caller owns it)."""
    rows, cols = grid.shape
    return Matrix(raw, grid.regions, grid.sectors, raw, _all_in(rows), _all_in(cols), sums=sums)


@lru_cache(maxsize=32)
def _all_in(n: int) -> np.ndarray:
    """A read-only mask of ``n`` lines, all in (shared by every matrix with nothing left out)."""
    mask = np.ones(n, dtype=bool)
    mask.flags.writeable = False
    return mask


def line_sums(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Row and column sums of a matrix (or of each matrix of a stack, years first), as matrix-vector
    products (BLAS: one pass over the matrix each, ≈ 4× faster than ``sum(axis=…)`` at 1,200 × 64;
    integer-valued data sum exactly in any order, so a tie ``RCA = 1`` on counts is the same either
    way)."""
    return x @ np.ones(x.shape[-1]), np.ones(x.shape[-2]) @ x


def _clear(sums: np.ndarray) -> bool:
    """Every sum finite and clearly away from zero (a sum within 1e-12 of the largest may be an exact
    zero summed in another order: such a matrix takes the general path, which tests ``== 0``). A NaN
    sum fails both comparisons."""
    size = np.abs(sums)
    low, high = size.min(), size.max()
    return bool(np.isfinite(high) and low > 1e-12 * high)


@lru_cache(maxsize=64)
def _label_index(labels: tuple[str, ...], name: str | None) -> pd.Index:
    """``pd.Index(labels, name=name)``, remembered per label list: every year of a panel usually has the
    same regions, and inferring a string index of 1,200 labels per year cost more than the year's RCA.
    An Index is immutable, so the frames of several years may share it."""
    return pd.Index(list(labels), name=name)


def _lines(raw: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``raw[np.ix_(rows, cols)]``; ``raw`` itself (no copy) when every line is in."""
    return raw if rows.all() and cols.all() else raw[np.ix_(rows, cols)]


def _drop_missing_cells(
    miss: np.ndarray,
    rows: np.ndarray,
    cols: np.ndarray,
    regs: Sequence[str],
    secs: Sequence[str],
    excl_r: dict[str, str],
    excl_s: dict[str, str],
) -> None:
    """Leave out the line (region or sector) with the largest share of missing cells until none remain.

    ``rows``/``cols`` (the lines still in) are updated in place; a region goes first on a tie.
    """
    while True:
        r_idx, c_idx = np.flatnonzero(rows), np.flatnonzero(cols)
        sub = miss[np.ix_(r_idx, c_idx)]
        if not sub.any():
            return
        by_region, by_sector = sub.mean(axis=1), sub.mean(axis=0)
        if by_region.max() >= by_sector.max():
            i = int(np.argmax(by_region))
            gaps = [secs[c_idx[j]] for j in np.flatnonzero(sub[i])]
            excl_r[regs[r_idx[i]]] = _region_gap(gaps, sub.shape[1])
            rows[r_idx[i]] = False
        else:
            j = int(np.argmax(by_sector))
            gaps = [regs[r_idx[i]] for i in np.flatnonzero(sub[:, j])]
            excl_s[secs[c_idx[j]]] = (
                f"left out: missing in {len(gaps)} of {sub.shape[0]} regions ({_codes(gaps)})"
            )
            cols[c_idx[j]] = False


def _region_gap(sectors: Sequence[str], n: int) -> str:
    return f"left out: {len(sectors)} of {n} sectors missing ({_codes(sectors)})"


def _codes(codes: Sequence[str], most: int = 5) -> str:
    """``'C, F'``; long lists end in an ellipsis."""
    codes = list(codes)
    return ", ".join(codes[:most]) + (", …" if len(codes) > most else "")


# ---- the arithmetic on complete numpy matrices -------------------------------------------------
def rca_matrix(
    x: np.ndarray,
    *,
    sums: tuple[np.ndarray, np.ndarray] | None = None,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """Balassa RCA of a complete matrix with positive row and column sums (or of each matrix of a
    stack, years first).

    ``sums``: its row and column sums when known (:func:`line_sums`); ``out``: where to write.

    >>> rca_matrix(np.array([[30.0, 10.0], [10.0, 50.0]])).round(4).tolist()
    [[1.875, 0.4167], [0.4167, 1.3889]]
    """
    rows, cols = sums if sums is not None else line_sums(x)
    share = np.divide(x, rows[..., None], out=out)
    national = cols / cols.sum(axis=-1, keepdims=True)
    return np.divide(share, national[..., None, :], out=share)


def proximity_matrix(m: np.ndarray) -> np.ndarray:
    """``φ_ij = Σ_r M_ri M_rj / max(u_i, u_j)`` of a 0/1 matrix ``M``; ``NaN`` where both ubiquities
    are zero."""
    co = co_occurrence(m)
    ubiquity = np.diag(co)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum.outer(ubiquity, ubiquity)
    phi[~np.isfinite(phi)] = np.nan
    return phi


def co_occurrence(m: np.ndarray) -> np.ndarray:
    """``MᵀM`` of a 0/1 matrix, as float64. Multiplied in float32 (twice as fast): products of 0 and 1
    and their sums up to 2²⁴ regions are exact in float32, so the counts are the same.

    >>> co_occurrence(np.array([[1.0, 1.0], [0.0, 1.0]])).tolist()
    [[1.0, 1.0], [1.0, 2.0]]
    """
    if m.shape[0] >= 2**24:
        return m.T @ m
    low = m.astype(np.float32)
    return (low.T @ low).astype(np.float64)


def density_matrix(
    m: np.ndarray, phi: np.ndarray, convention: str = "stata", out: np.ndarray | None = None
) -> np.ndarray:
    """``Σ_j M_rj φ_ij / Σ_j φ_ij`` with ``φ_ii`` as the convention says (0 for Stata, 1 for Python)."""
    w = np.nan_to_num(phi, nan=0.0)
    if convention == "stata":
        np.fill_diagonal(w, 0.0)
    spread = np.matmul(m, w, out=out)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.divide(spread, w.sum(axis=0), out=spread)


def check_convention(convention: str) -> str:
    if convention not in CONVENTIONS:
        raise MeasureError(
            Text("ms_unknown_convention", convention=convention, choices=", ".join(CONVENTIONS)),
            column="convention",
        )
    return convention


@dataclass(frozen=True)
class Presence:
    """RCA and M of a complete matrix, embedded back in the full region × sector grid (``NaN`` outside)."""

    matrix: Matrix
    rca: np.ndarray
    m: np.ndarray

    @property
    def inside(self) -> tuple[np.ndarray, np.ndarray]:
        """Boolean masks of the regions and sectors that are in the complete matrix."""
        return self.matrix.inside_rows, self.matrix.inside_cols

    def embed_into(self, inner: np.ndarray, out: np.ndarray) -> None:
        """``out`` (full grid) holds ``inner`` in place and ``NaN`` elsewhere."""
        if out is inner:
            return
        if self.matrix.full:
            np.copyto(out, inner)
            return
        out.fill(np.nan)
        out[np.ix_(*self.inside)] = inner

    def embed(self, inner: np.ndarray) -> np.ndarray:
        """A full-grid array with ``inner`` (complete-matrix shape) in place and ``NaN`` elsewhere."""
        if self.matrix.full:  # nothing left out: the grid is the matrix
            return inner
        out = np.empty(self.matrix.raw_values.shape)
        self.embed_into(inner, out)
        return out

    def density(self, convention: str, into: np.ndarray | None = None) -> np.ndarray:
        """Relatedness density on the full grid (``NaN`` outside the complete part), into ``into`` if
        given."""
        phi = proximity_matrix(self.m)
        if into is None:
            return self.embed(density_matrix(self.m, phi, convention))
        dens = density_matrix(self.m, phi, convention, out=into if self.matrix.full else None)
        self.embed_into(dens, into)
        return into


def check_threshold(threshold: float) -> None:
    if not np.isfinite(threshold) or threshold <= 0:
        raise MeasureError(
            Text(
                "ms_rca_threshold",
                threshold=Num(threshold) if np.isfinite(threshold) else threshold,
            ),
            column="threshold",
        )


def presence(
    matrix: Matrix,
    threshold: float = 1.0,
    *,
    into: tuple[np.ndarray, np.ndarray] | None = None,
) -> Presence:
    """RCA and ``M = RCA ≥ threshold`` (as 0/1 floats) on the complete part of ``matrix``.

    ``into``: full-grid arrays (regions × sectors) that receive RCA and M, ``NaN`` outside the complete
    part; when nothing is left out, the returned :class:`Presence` holds them.
    """
    check_threshold(threshold)
    if into is not None and matrix.full:
        r = rca_matrix(matrix.complete, sums=matrix.sums, out=into[0])
        return Presence(matrix, r, np.greater_equal(r, threshold, out=into[1]))
    r = rca_matrix(matrix.complete, sums=matrix.sums)
    pres = Presence(matrix, r, (r >= threshold).astype(float))
    if into is not None:
        pres.embed_into(r, into[0])
        pres.embed_into(pres.m, into[1])
    return pres


def cells_frame(
    parts: Sequence[tuple[Presence, int, dict[str, np.ndarray]]],
    *,
    variable: str,
    region: str | None = None,
    columns: Sequence[str] | None = None,
) -> pd.DataFrame:
    """One long frame for several years: ``(presence, year, extra full-grid columns)`` per year.

    With ``region`` only that region's rows are built (labels and notes included); a year in which it
    was left out is an error saying why. ``columns``: the frame's columns in that order (default: the
    label columns, ``value``, ``rca``, ``m``, the extra columns, ``note``).
    """
    mats, rows_of, years = [], [], []
    cols: dict[str, list[np.ndarray]] = {}
    for pres, year, extra in parts:
        mat = pres.matrix
        if region is not None and region in mat.excluded_regions:
            raise MeasureError(
                Text("ms_region_not_analysed", region=region, reason=mat.excluded_regions[region]),
                column="region",
            )
        rows = (
            slice(None)
            if region is None
            else np.flatnonzero(np.asarray(mat.regions, dtype=object) == region)
        )
        mats.append(mat)
        rows_of.append(rows)
        years.append(year)
        full = {
            "value": mat.raw_values,
            "rca": pres.embed(pres.rca),
            "m": pres.embed(pres.m),
            **extra,
        }
        for name, arr in full.items():
            cols.setdefault(name, []).append(np.asarray(arr)[rows].ravel())
    text = _text_columns(mats, rows_of, variable)
    sizes = [len(v) for v in cols["value"]]
    year = np.repeat(np.asarray(years, dtype=np.int64), sizes)
    numeric = {name: _joined(arrs) for name, arrs in cols.items()}
    return _frame(text, year, numeric, columns)


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays end to end, always a fresh array: a single year's may be a view of the caller's
    matrices, which a frame built without copying must not share."""
    return arrays[0].copy() if len(arrays) == 1 else np.concatenate(arrays)


def _frame(
    text: dict[str, object],
    year: np.ndarray,
    numeric: dict[str, np.ndarray],
    columns: Sequence[str] | None,
) -> pd.DataFrame:
    """The long frame from its parts, sharing their memory (each part is the frame's own array)."""
    frame = {
        "region": text["region"],
        "sector": text["sector"],
        "year": year,
        "variable": text["variable"],
        **numeric,
        "note": text["note"],
    }
    return pd.DataFrame(frame, columns=list(columns) if columns else None, copy=False)


def _text_columns(
    mats: Sequence[Matrix], rows_of: Sequence[slice | np.ndarray], variable: str
) -> dict[str, object]:
    """The region, sector, variable and note columns of the long frame (the rows ``rows_of`` of each
    year's grid, C order).

    The label columns are one chunk per year of cached grid blocks (:func:`chunked_label_column`), so
    years with the same regions and sectors share one gathered block.
    """
    chunks: dict[str, list[tuple[list[str], int, int]]] = {
        "region": [],
        "sector": [],
        "variable": [],
    }
    notes: list[np.ndarray | int] = []
    last: tuple[list[str], list[str]] = ([], [])
    for mat, rows in zip(mats, rows_of, strict=True):
        regs = list(mat.regions) if isinstance(rows, slice) else [mat.regions[i] for i in rows]
        secs = list(mat.sectors)
        # The previous year's lists when equal: one object, so its label block is looked up once.
        regs, secs = (last[0] if regs == last[0] else regs), (last[1] if secs == last[1] else secs)
        last = regs, secs
        size = len(regs) * len(secs)
        chunks["region"].append((regs, len(secs), 1))
        chunks["sector"].append((secs, 1, len(regs)))
        chunks["variable"].append(([variable], size, 1))
        has_note = bool(mat.excluded_regions or mat.excluded_sectors)
        notes.append(mat.cell_notes()[rows].ravel() if has_note else size)
    out: dict[str, object] = {name: chunked_label_column(c) for name, c in chunks.items()}
    if all(isinstance(k, int) for k in notes):
        # no note anywhere: cached blocks of empty strings, one chunk per year (no per-row work)
        out["note"] = chunked_label_column([([""], k, 1) for k in notes])
    else:
        out["note"] = text_column(
            np.concatenate(
                [np.full(k, "", dtype=object) if isinstance(k, int) else k for k in notes]
            )
        )
    return out


#: Cells of the consecutive years computed together (≈ 2 MB a column: in cache from one step to the next).
BLOCK_CELLS = 1 << 18


def _every_cell(
    panel: Panel,
    *,
    variable: str,
    years: list[int],
    sectors: str | Sequence[str] | None,
    level: int | str | None,
    threshold: float,
    convention: str | None,
    columns: Sequence[str],
) -> pd.DataFrame:
    """:func:`rca` (and with a ``convention`` :func:`density`) for every region: each year's values,
    RCA, M and density are written straight into its slice of the result columns (no per-year arrays
    joined afterwards). Consecutive years with the same regions and sectors are computed as one stack
    (a few array operations per block instead of per year); the blocks are shared between two cores
    (:func:`speerpunt._parallel.each`). A year with a missing cell or a zero line takes the general
    path of :func:`region_sector_matrix`."""
    check_threshold(threshold)
    grids = _grids(panel, variable=variable, years=years, sectors=sectors, level=level, keep=None)
    sizes = [g.shape[0] * g.shape[1] for g in grids]
    edges = np.cumsum([0, *sizes])
    names = ["value", "rca", "m", *(["density"] if convention else [])]
    numeric = {name: np.empty(int(edges[-1])) for name in names}
    year = np.empty(int(edges[-1]), dtype=np.int64)
    found: list[Presence] = [None] * len(grids)  # type: ignore[list-item]  # filled by each block
    blocks = _blocks(grids, sizes)

    def fill(b: int) -> None:
        first, stop = blocks[b]
        grid = grids[first]
        at = slice(int(edges[first]), int(edges[stop]))
        stack = (stop - first, *grid.shape)
        value, rca_, m = (numeric[name][at].reshape(stack) for name in names[:3])
        grid.core.year_values(np.array([g.yi for g in grids[first:stop]]), *grid.at, out=value)
        rows, cols = line_sums(value)
        whole = all(_clear(rows[j]) and _clear(cols[j]) for j in range(stop - first))
        if whole:  # the usual case: one RCA and one M for the block
            rca_matrix(value, sums=(rows, cols), out=rca_)
            np.greater_equal(rca_, threshold, out=m)
        for j, i in enumerate(range(first, stop)):
            year[int(edges[i]) : int(edges[i + 1])] = years[i]
            if whole:
                found[i] = Presence(_whole(value[j], grids[i], (rows[j], cols[j])), rca_[j], m[j])
            else:
                sums = rows[j], cols[j]
                mat = _complete(value[j], grids[i], variable=variable, year=years[i], sums=sums)
                found[i] = presence(mat, threshold, into=(rca_[j], m[j]))

    each(fill, [int(edges[stop] - edges[first]) for first, stop in blocks])
    if convention:
        # After the split, in this thread: the products are BLAS calls, which use both cores
        # themselves (two threads each calling a threaded BLAS wait for each other).
        for i, pres in enumerate(found):
            pres.density(
                convention, numeric["density"][edges[i] : edges[i + 1]].reshape(grids[i].shape)
            )
    text = _text_columns([p.matrix for p in found], [slice(None)] * len(found), variable)
    return _frame(text, year, numeric, columns)


def _blocks(grids: Sequence[_Grid], sizes: Sequence[int]) -> list[tuple[int, int]]:
    """``(first, stop)`` runs of consecutive years with the same regions and sectors, of at most
    :data:`BLOCK_CELLS` cells (at least one year each)."""
    out, first, cells = [], 0, 0
    for i, (grid, size) in enumerate(zip(grids, sizes, strict=True)):
        same = grid.at[0] is grids[first].at[0] and grid.at[1] is grids[first].at[1]
        if i > first and (not same or cells + size > BLOCK_CELLS):
            out.append((first, i))
            first, cells = i, 0
        cells += size
    if grids:
        out.append((first, len(grids)))
    return out


def _cells(
    panel: Panel,
    variable: str,
    years: list[int],
    region: str | None,
    sectors: str | Sequence[str] | None,
    level: int | str | None,
    threshold: float,
    convention: str | None,
) -> pd.DataFrame:
    """The long frame of :func:`rca` (``convention`` None) or :func:`density`: every region's cells
    written in place (:func:`_every_cell`), or one region's rows of each year's matrix."""
    columns = [*CELL_COLUMNS[:-1], "density", "note"] if convention else CELL_COLUMNS
    if region is None:
        return _every_cell(
            panel,
            variable=variable,
            years=years,
            sectors=sectors,
            level=level,
            threshold=threshold,
            convention=convention,
            columns=columns,
        )
    parts = []
    for y in years:
        mat = region_sector_matrix(
            panel, variable=variable, year=y, sectors=sectors, level=level, keep=region
        )
        pres = presence(mat, threshold)
        parts.append((pres, y, {"density": pres.density(convention)} if convention else {}))
    return cells_frame(parts, variable=variable, region=region, columns=columns)


def year_list(year: int | Sequence[int]) -> list[int]:
    """``2020`` → ``[2020]``; a sequence of years as a list of ints."""
    return [int(year)] if np.ndim(year) == 0 else [int(y) for y in year]


# ---- public measures ----------------------------------------------------------------------------
def rca(
    panel: Panel,
    *,
    variable: str,
    year: int | Sequence[int],
    region: str | None = None,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Revealed comparative advantage and presence ``M`` of every region × sector.

    Parameters
    ----------
    panel : Panel
    variable : str
    year : int or list of int
        Several years give one frame (each year its own matrix and missing-cell policy).
    region : str, optional
        Report this region only (the matrix is built from every region at its NUTS level).
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present (never ``TOTAL``).
    level : int, ``"all"`` or None
        NUTS level of the regions compared (default: the level most regions have).
    threshold : float
        ``M = 1`` where ``RCA ≥ threshold`` (default 1).

    Returns
    -------
    DataFrame
        ``region, sector, year, variable, value, rca, m, note``.

    Notes
    -----
    ``RCA_ri = (x_ri / Σ_i x_ri) / (Σ_r x_ri / Σ_ri x_ri)`` over the complete matrix (module notes).
    """
    return _cells(panel, variable, year_list(year), region, sectors, level, threshold, None)


def proximity(
    panel: Panel,
    *,
    variable: str,
    year: int,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Co-location proximity ``φ`` of every ordered pair of sectors (Hidalgo et al. 2007).

    Returns
    -------
    DataFrame
        ``sector_i, sector_j, co_occurrence, ubiquity_i, ubiquity_j, proximity`` with
        ``proximity = co_occurrence / max(ubiquity_i, ubiquity_j)``; the diagonal is included (``φ_ii = 1``).
        Sectors left out by the missing-cell policy are not in the table.

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.panel import Panel
    >>> df = pd.DataFrame({"region": list("PPPQQQRRR"), "sector": list("ABC") * 3, "year": 2020,
    ...                    "variable": "employment", "value": [5., 5., 1., 5., 1., 5., 1., 5., 5.]})
    >>> phi = proximity(Panel(df), variable="employment", year=2020)
    >>> phi.query("sector_i == 'A' and sector_j == 'B'")["proximity"].item()
    0.5
    """
    mat = region_sector_matrix(panel, variable=variable, year=year, sectors=sectors, level=level)
    m = presence(mat, threshold).m
    phi = proximity_matrix(m)
    secs = list(mat.values.columns)
    u = m.sum(axis=0)
    k = len(secs)
    return pd.DataFrame(
        {
            "sector_i": np.repeat(secs, k),
            "sector_j": np.tile(secs, k),
            "co_occurrence": (m.T @ m).ravel(),
            "ubiquity_i": np.repeat(u, k),
            "ubiquity_j": np.tile(u, k),
            "proximity": phi.ravel(),
        }
    )


def density(
    panel: Panel,
    *,
    variable: str,
    year: int | Sequence[int],
    region: str | None = None,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
    convention: str = "stata",
) -> pd.DataFrame:
    """Relatedness density of every region × sector (Hidalgo et al. 2007; Growth Lab).

    Parameters
    ----------
    year : int or list of int
        Several years give one frame (each year its own matrix, proximity and missing-cell policy).
    region : str, optional
        Report this region only (the matrix is still built from every region at its NUTS level).
    convention : ``"stata"`` or ``"py-ecomplexity"``
        Whether the sector itself counts in its own density (module notes).

    Returns
    -------
    DataFrame
        ``region, sector, year, variable, value, rca, m, density, note``.

    Notes
    -----
    ``density_ri = Σ_j M_rj φ_ij / Σ_j φ_ij``: 0 when the region has no specialisation related to *i*,
    1 when it is specialised in every sector related to *i*.

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.panel import Panel
    >>> df = pd.DataFrame({"region": list("PPPQQQRRR"), "sector": list("ABC") * 3, "year": 2020,
    ...                    "variable": "employment", "value": [5., 5., 1., 5., 1., 5., 1., 5., 5.]})
    >>> d = density(Panel(df), variable="employment", year=2020, region="P")
    >>> d.set_index("sector")["density"].to_dict()
    {'A': 0.5, 'B': 0.5, 'C': 1.0}
    """
    check_convention(convention)
    return _cells(panel, variable, year_list(year), region, sectors, level, threshold, convention)


ENTRY_EXIT_COLUMNS = [
    "region",
    "sector",
    "variable",
    "start",
    "end",
    "rca_start",
    "rca_end",
    "m_start",
    "m_end",
    "change",
    "note",
]


def entry_exit(
    panel: Panel,
    *,
    variable: str,
    start: int,
    end: int,
    region: str | None = None,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
) -> pd.DataFrame:
    """Entries and exits of specialisations between two years.

    Returns
    -------
    DataFrame
        ``region, sector, variable, start, end, rca_start, rca_end, m_start, m_end, change, note``;
        ``change`` is ``"entry"`` (M 0 → 1), ``"exit"`` (1 → 0), ``"kept"`` (1 → 1), ``"absent"``
        (0 → 0), or empty where a year's cell was left out (see ``note``).

    Notes
    -----
    ``region`` reports one region only (the matrices are built from every region at its NUTS level).
    RCA is computed separately in each year over the regions and sectors complete in that year, with
    the same threshold. Entry/exit as in EconGeo's ``entry.list``/``exit.list`` (Boschma et al.).

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.panel import Panel
    >>> df = pd.DataFrame({"region": list("PPQQ") * 2, "sector": ["A", "B"] * 4,
    ...                    "year": [2010] * 4 + [2020] * 4, "variable": "employment",
    ...                    "value": [30., 10., 10., 50., 10., 30., 50., 10.]})
    >>> ee = entry_exit(Panel(df), variable="employment", start=2010, end=2020)
    >>> ee.set_index(["region", "sector"])["change"].to_dict()
    {('P', 'A'): 'exit', ('P', 'B'): 'entry', ('Q', 'A'): 'entry', ('Q', 'B'): 'exit'}
    """
    if start >= end:
        raise MeasureError(Text("ms_start_before_end", start=start, end=end), column="start")
    a, b = (
        rca(
            panel,
            variable=variable,
            year=y,
            region=region,
            sectors=sectors,
            level=level,
            threshold=threshold,
        ).set_index(["region", "sector"])
        for y in (start, end)
    )
    a, b = a.align(b, join="outer")
    m0, m1 = a["m"].to_numpy(), b["m"].to_numpy()
    change = np.select(
        [np.isnan(m0) | np.isnan(m1), (m0 == 0) & (m1 == 1), (m0 == 1) & (m1 == 0), m0 == 1],
        ["", "entry", "exit", "kept"],
        default="absent",
    )
    notes = [
        (f["note"].fillna("not in the data").to_numpy(dtype=object), y)
        for f, y in ((a, start), (b, end))
    ]
    note = join_notes(m0.shape, *((n != "", f"{y}: " + n) for n, y in notes))
    out = pd.DataFrame(
        {
            "variable": variable,
            "start": start,
            "end": end,
            "rca_start": a["rca"].to_numpy(),
            "rca_end": b["rca"].to_numpy(),
            "m_start": m0,
            "m_end": m1,
            "change": change,
            "note": note,
        },
        index=a.index,
    ).reset_index()
    return out[ENTRY_EXIT_COLUMNS]
