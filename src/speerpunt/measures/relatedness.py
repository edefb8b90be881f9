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
>>> from speerpunt.panel import ABSENT, Panel
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

from speerpunt.errors import MeasureError, Num, SpeerpuntError, Text
from speerpunt.measures._notes import (
    chunked_label_column,
    join_notes,
    text_column,
)
from speerpunt.measures.reference import resolve_sectors
from speerpunt.panel import ABSENT, Panel

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
    panel.require(variable=variable, years=[year], regions=[keep] if keep else [])
    secs = resolve_sectors(panel, sectors)
    # Read from the panel's dense core: one year's block, then the missing-cell policy on integer
    # positions (no DataFrame reindex/drop per step).
    core = panel.core(variable)
    yi = int(core.positions("years", (year,))[0])  # remembered by the core: no Index built per call
    in_year = core.regions[(core.flags[yi] != ABSENT).any(axis=1)]
    regs = list(_regions_at_level_cached(tuple(in_year), level, keep))
    if len(regs) < 2:
        raise MeasureError(Text("ms_two_regions", level=level, found=len(regs)), column="region")
    raw = core.block([year], regs, secs)[0][0]
    miss = np.isnan(raw)
    rows = np.ones(len(regs), dtype=bool)
    cols = np.ones(len(secs), dtype=bool)
    excl_r: dict[str, str] = {}
    excl_s: dict[str, str] = {}
    if keep is not None:
        if keep not in regs:
            raise MeasureError(
                Text("ms_region_no_variable", region=keep, variable=variable, year=year),
                column="region",
            )
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
def rca_matrix(x: np.ndarray) -> np.ndarray:
    """Balassa RCA of a complete matrix with positive row and column sums."""
    share = x / x.sum(axis=1, keepdims=True)
    return share / (x.sum(axis=0, keepdims=True) / x.sum())


def proximity_matrix(m: np.ndarray) -> np.ndarray:
    """``φ_ij = Σ_r M_ri M_rj / max(u_i, u_j)``; ``NaN`` where both ubiquities are zero."""
    co = m.T @ m
    ubiquity = np.diag(co)
    with np.errstate(divide="ignore", invalid="ignore"):
        phi = co / np.maximum.outer(ubiquity, ubiquity)
    phi[~np.isfinite(phi)] = np.nan
    return phi


def density_matrix(m: np.ndarray, phi: np.ndarray, convention: str = "stata") -> np.ndarray:
    """``Σ_j M_rj φ_ij / Σ_j φ_ij`` with ``φ_ii`` as the convention says (0 for Stata, 1 for Python)."""
    w = np.nan_to_num(phi, nan=0.0)
    if convention == "stata":
        np.fill_diagonal(w, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        return (m @ w) / w.sum(axis=0)


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

    def embed(self, inner: np.ndarray) -> np.ndarray:
        """A full-grid array with ``inner`` (complete-matrix shape) in place and ``NaN`` elsewhere."""
        rows, cols = self.inside
        if rows.all() and cols.all():  # nothing left out: the grid is the matrix
            return inner
        out = np.full((len(rows), len(cols)), np.nan)
        out[np.ix_(rows, cols)] = inner
        return out


def presence(matrix: Matrix, threshold: float = 1.0) -> Presence:
    """RCA and ``M = RCA ≥ threshold`` (as 0/1 floats) on the complete part of ``matrix``."""
    if not np.isfinite(threshold) or threshold <= 0:
        raise MeasureError(
            Text(
                "ms_rca_threshold",
                threshold=Num(threshold) if np.isfinite(threshold) else threshold,
            ),
            column="threshold",
        )
    r = rca_matrix(matrix.complete)
    return Presence(matrix, r, (r >= threshold).astype(float))


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

    The label columns are one chunk per year of cached grid blocks (:func:`chunked_label_column`), so
    years with the same regions and sectors share one gathered block.
    """
    label_chunks: dict[str, list[tuple[list[str], int, int]]] = {
        "region": [],
        "sector": [],
        "variable": [],
    }
    cols: dict[str, list[np.ndarray]] = {}
    years: list[int] = []
    sizes: list[int] = []
    values, notes = [], []
    any_note = False
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
        regs = list(mat.regions) if region is None else [mat.regions[i] for i in rows]
        n_sec = len(mat.sectors)
        label_chunks["region"].append((regs, n_sec, 1))
        label_chunks["sector"].append((list(mat.sectors), 1, len(regs)))
        label_chunks["variable"].append(([variable], len(regs) * n_sec, 1))
        years.append(year)
        sizes.append(len(regs) * n_sec)
        values.append(mat.raw_values[rows].ravel())
        full = {"rca": pres.embed(pres.rca), "m": pres.embed(pres.m), **extra}
        for name, arr in full.items():
            cols.setdefault(name, []).append(np.asarray(arr)[rows].ravel())
        has_note = bool(mat.excluded_regions or mat.excluded_sectors)
        any_note |= has_note
        notes.append(mat.cell_notes()[rows].ravel() if has_note else len(regs) * n_sec)
    frame = {
        "region": chunked_label_column(label_chunks["region"]),
        "sector": chunked_label_column(label_chunks["sector"]),
        "year": np.repeat(np.asarray(years, dtype=np.int64), sizes),
        "variable": chunked_label_column(label_chunks["variable"]),
        "value": _joined(values),
        **{name: _joined(arrs) for name, arrs in cols.items()},
        "note": (
            text_column(
                np.concatenate(
                    [np.full(k, "", dtype=object) if isinstance(k, int) else k for k in notes]
                )
            )
            if any_note
            # no note anywhere: cached blocks of empty strings, one chunk per year (no per-row work)
            else chunked_label_column([([""], k, 1) for k in sizes])
        ),
    }
    return pd.DataFrame(frame, columns=list(columns) if columns else None, copy=False)


def _joined(arrays: list[np.ndarray]) -> np.ndarray:
    """The arrays end to end, always a fresh array: a single year's may be a view of the caller's
    matrices, which a frame built without copying must not share."""
    return arrays[0].copy() if len(arrays) == 1 else np.concatenate(arrays)


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
    parts = []
    for y in year_list(year):
        mat = region_sector_matrix(
            panel, variable=variable, year=y, sectors=sectors, level=level, keep=region
        )
        parts.append((presence(mat, threshold), y, {}))
    return cells_frame(parts, variable=variable, region=region, columns=CELL_COLUMNS)


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
    parts = []
    for y in year_list(year):
        mat = region_sector_matrix(
            panel, variable=variable, year=y, sectors=sectors, level=level, keep=region
        )
        pres = presence(mat, threshold)
        dens = density_matrix(pres.m, proximity_matrix(pres.m), convention)
        parts.append((pres, y, {"density": pres.embed(dens)}))
    return cells_frame(
        parts, variable=variable, region=region, columns=[*CELL_COLUMNS[:-1], "density", "note"]
    )


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
