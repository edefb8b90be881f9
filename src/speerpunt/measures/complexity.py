"""Economic and product complexity (ECI, PCI), complexity outlook (COI) and gain (COG).

Notes
-----
On the presence matrix ``M`` (see :mod:`speerpunt.measures.relatedness`) with diversity ``k_r = Σ_i M_ri``
and ubiquity ``u_i = Σ_r M_ri`` (Hidalgo & Hausmann 2009, eigenvector method):

* ``M̃_ij = Σ_r M_ri M_rj / (u_i k_r)``; the sector complexity ``q`` is the eigenvector of ``M̃`` for its
  second-largest eigenvalue, and the region complexity is ``e_r = Σ_i M_ri q_i / k_r`` (the mean ``q`` of
  the region's specialisations).
* Sign: chosen so that ``e`` correlates positively with diversity ``k``.
* Standardisation with the mean and standard deviation of ``e``:
  ``ECI = (e − mean(e)) / sd(e)``, ``PCI = (q − mean(e)) / sd(e)``. Using the ECI's mean and sd for PCI
  keeps ECI = the mean PCI of a region's specialisations.
* ``COI_r = Σ_i density_ri (1 − M_ri) q_i``, then standardised like ECI with its own mean and sd.
* ``COG_ri = (1 − M_ri) Σ_j (1 − M_rj) φ_ij q_j / Σ_l φ_jl / sd(e)``.

Two conventions, both of the Harvard Growth Lab:

* ``"stata"`` (default): Stata ``ecomplexity``. The mean and sd are taken over the region × sector cells
  (sd with ``n − 1``, i.e. ``sd(e)·√(n/(n−1))`` with ``n`` = regions × sectors); the proximity of a sector
  with itself is 0 in density, COI and COG.
* ``"py-ecomplexity"``: the Python package. Mean and population sd (``n``) over regions; ``φ_ii = 1``.

Both put ``M = 1`` at RCA ≥ threshold (Stata's ``RCA > threshold`` differs only at equality). Regions with
diversity 0 and sectors with ubiquity 0 (possible with a threshold above 1) get no ECI/PCI.

References
----------
Hidalgo, C. A. & Hausmann, R. (2009). The building blocks of economic complexity. *PNAS*, 106(26),
10570–10575. — Hausmann, R., Hidalgo, C. A. et al. (2014). *The Atlas of Economic Complexity*. MIT Press.
— Growth Lab, Harvard: Stata ``ecomplexity`` and Python ``py-ecomplexity``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": list("PPPQQQRRR"), "sector": list("ABC") * 3, "year": 2020,
...                    "variable": "employment", "value": [9., 9., 9., 9., 1., 9., 9., 1., 1.]})
>>> regions, sectors = complexity(Panel(df), variable="employment", year=2020)
>>> regions[["region", "diversity"]].to_dict("list")
{'region': ['P', 'Q', 'R'], 'diversity': [2.0, 2.0, 1.0]}
>>> bool(regions.set_index("region")["eci"].idxmin() == "R")
True
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np
import pandas as pd

from speerpunt.measures.relatedness import (
    Presence,
    cells_frame,
    check_convention,
    density_matrix,
    presence,
    proximity_matrix,
    region_sector_matrix,
)
from speerpunt.panel import Panel

REGION_COLUMNS = ["region", "year", "variable", "diversity", "eci", "coi", "note"]
SECTOR_COLUMNS = ["sector", "year", "variable", "ubiquity", "pci", "note"]
DIVERSIFICATION_COLUMNS = [
    "region",
    "sector",
    "year",
    "variable",
    "value",
    "rca",
    "m",
    "density",
    "pci",
    "cog",
    "note",
]


class Complexity(NamedTuple):
    """The region-level and sector-level results of :func:`complexity`."""

    regions: pd.DataFrame
    sectors: pd.DataFrame


class _Indices(NamedTuple):
    eci: np.ndarray
    pci: np.ndarray
    coi: np.ndarray
    cog: np.ndarray
    density: np.ndarray


def eigen_complexity(m: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Raw region and sector complexity (``e``, ``q``) of a 0/1 matrix, sign set by diversity.

    Regions with diversity 0 and sectors with ubiquity 0 get ``NaN``.
    """
    k = m.sum(axis=1)
    u = m.sum(axis=0)
    rows, cols = k > 0, u > 0
    if rows.sum() < 2 or cols.sum() < 2:  # no second eigenvector to rank by
        return np.full(k.shape, np.nan), np.full(u.shape, np.nan)
    mv = m[np.ix_(rows, cols)]
    kv, uv = k[rows], u[cols]
    # M̃ = U⁻¹ Mᵀ K⁻¹ M is similar to the symmetric S = U^-½ Mᵀ K⁻¹ M U^-½, whose eigenvectors
    # eigh finds stably and in ascending order of eigenvalue.
    a = mv / np.sqrt(kv)[:, None] / np.sqrt(uv)[None, :]
    _, vectors = np.linalg.eigh(a.T @ a)
    q = vectors[:, -2] / np.sqrt(uv)
    e = (mv @ q) / kv
    # With equal diversities the correlation is undefined and, as in Stata, the sign stays.
    if kv.std() > 0 and e.std() > 0 and np.corrcoef(kv, e)[0, 1] < 0:
        q, e = -q, -e
    return _embed(e, rows), _embed(q, cols)


def _embed(values: np.ndarray, mask: np.ndarray) -> np.ndarray:
    out = np.full(mask.shape, np.nan)
    out[mask] = values
    return out


def _indices(m: np.ndarray, convention: str) -> _Indices:
    """ECI, PCI, COI, COG and density of a complete 0/1 matrix under a convention."""
    e, q = eigen_complexity(m)
    phi = np.nan_to_num(proximity_matrix(m), nan=0.0)
    if convention == "stata":
        np.fill_diagonal(phi, 0.0)
    dens = density_matrix(m, phi, convention)
    qz = np.nan_to_num(q)
    coi = np.where(np.isnan(e), np.nan, (dens * (1 - m)) @ qz)
    with np.errstate(divide="ignore", invalid="ignore"):
        weighted = phi * (qz / phi.sum(axis=1))[:, None]
    cog = (1 - m) * ((1 - m) @ np.nan_to_num(weighted))
    scale = np.nanmax(np.abs(q)) if np.isfinite(q).any() else np.nan
    mean, sd = _moments(e, m.shape[1], convention, scale)
    coi_mean, coi_sd = _moments(coi, m.shape[1], convention, scale)
    return _Indices((e - mean) / sd, (q - mean) / sd, (coi - coi_mean) / coi_sd, cog / sd, dens)


def _moments(
    values: np.ndarray, n_sectors: int, convention: str, scale: float
) -> tuple[float, float]:
    """Mean and sd used to standardise: over regions (Python) or over region × sector cells (Stata).

    ``scale`` is the size of the sector complexities ``q``; a spread below ``1e-10 · scale`` is rounding
    noise of regions that cannot be told apart (e.g. all specialised in everything): no ECI then.
    """
    v = values[~np.isnan(values)]
    if v.size < 2:
        return np.nan, np.nan
    sd = v.std()
    if convention == "stata":
        n = v.size * n_sectors
        sd *= np.sqrt(n / (n - 1))
    return float(v.mean()), float(sd) if sd > 1e-10 * scale else np.nan


def _compute(
    panel: Panel,
    variable: str,
    year: int,
    sectors: str | Sequence[str] | None,
    level: int | str | None,
    threshold: float,
    convention: str,
    keep: str | None = None,
) -> tuple[Presence, _Indices]:
    check_convention(convention)
    mat = region_sector_matrix(
        panel, variable=variable, year=year, sectors=sectors, level=level, keep=keep
    )
    pres = presence(mat, threshold)
    return pres, _indices(pres.m, convention)


def complexity(
    panel: Panel,
    *,
    variable: str,
    year: int,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
    convention: str = "stata",
) -> Complexity:
    """ECI, COI and diversity of every region; PCI and ubiquity of every sector.

    Parameters
    ----------
    panel : Panel
    variable : str
    year : int
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present (never ``TOTAL``).
    level : int, ``"all"`` or None
        NUTS level of the regions (default: the level most regions have). To compare a chosen set of
        regions, pass ``panel.select(regions=...)``.
    threshold : float
        ``M = 1`` where ``RCA ≥ threshold``.
    convention : ``"stata"`` (default) or ``"py-ecomplexity"``
        Which Growth Lab implementation to reproduce exactly (module notes).

    Returns
    -------
    Complexity
        ``regions``: ``region, year, variable, diversity, eci, coi, note``;
        ``sectors``: ``sector, year, variable, ubiquity, pci, note``. Left-out regions and sectors are rows
        with ``NaN`` and a note.
    """
    pres, idx = _compute(panel, variable, year, sectors, level, threshold, convention)
    mat = pres.matrix
    rows, cols = pres.inside
    regions = pd.DataFrame(
        {
            "region": mat.regions,
            "year": year,
            "variable": variable,
            "diversity": _embed(pres.m.sum(axis=1), rows),
            "eci": _embed(idx.eci, rows),
            "coi": _embed(idx.coi, rows),
            "note": mat.region_notes(),
        },
        columns=REGION_COLUMNS,
    )
    sectors_out = pd.DataFrame(
        {
            "sector": mat.sectors,
            "year": year,
            "variable": variable,
            "ubiquity": _embed(pres.m.sum(axis=0), cols),
            "pci": _embed(idx.pci, cols),
            "note": mat.sector_notes(),
        },
        columns=SECTOR_COLUMNS,
    )
    return Complexity(regions, sectors_out)


def diversification(
    panel: Panel,
    *,
    variable: str,
    year: int,
    region: str | None = None,
    sectors: str | Sequence[str] | None = None,
    level: int | str | None = None,
    threshold: float = 1.0,
    convention: str = "stata",
) -> pd.DataFrame:
    """Per region × sector: RCA, M, relatedness density, PCI and COG — the S3 diversification data.

    Parameters
    ----------
    region : str, optional
        Report this region only; the matrix is built from every region at its NUTS level.
    Other parameters as :func:`complexity`.

    Returns
    -------
    DataFrame
        ``region, sector, year, variable, value, rca, m, density, pci, cog, note``. The S3 chart
        (Balland et al. 2019) plots ``density`` against ``pci`` for one region, marking ``m == 1``.

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.panel import Panel
    >>> df = pd.DataFrame({"region": list("PPPQQQRRR"), "sector": list("ABC") * 3, "year": 2020,
    ...                    "variable": "employment", "value": [9., 9., 9., 9., 1., 9., 9., 1., 1.]})
    >>> d = diversification(Panel(df), variable="employment", year=2020, region="R")
    >>> d[["sector", "m"]].to_dict("list")
    {'sector': ['A', 'B', 'C'], 'm': [1.0, 0.0, 0.0]}
    """
    pres, idx = _compute(panel, variable, year, sectors, level, threshold, convention, keep=region)
    rows, cols = pres.inside
    pci = np.broadcast_to(_embed(idx.pci, cols)[None, :], (len(rows), len(cols)))
    extra = {"density": pres.embed(idx.density), "pci": pci, "cog": pres.embed(idx.cog)}
    out = cells_frame([(pres, year, extra)], variable=variable, region=region)
    return out[DIVERSIFICATION_COLUMNS]
