"""Similar regions ("spiegelregio's") and side-by-side benchmark tables.

Notes
-----
Structure is the vector of sector shares ``s_ri = x_ri / Σ_i x_ri`` over the sectors analysed. For the
region *r* and each candidate *q* at the same NUTS level:

* ``cosine``: ``Σ_i s_ri s_qi / (‖s_r‖ ‖s_q‖)`` — similarity, 1 for the same structure. Sector *i*
  contributes ``s_ri s_qi / (‖s_r‖ ‖s_q‖)``.
* ``krugman``: ``K = Σ_i |s_qi − s_ri|`` — dissimilarity from 0 (same structure) to 2 (REAT's
  convention). Sector *i* contributes ``|s_qi − s_ri|``; shown signed (``s_qi − s_ri``).
* ``euclidean-loglq``: ``D = √Σ_i (ln LQ_qi − ln LQ_ri)²``. Against a common reference the reference
  shares cancel (``ln LQ_qi − ln LQ_ri = ln s_qi − ln s_ri``), so ``D`` is the same for every reference
  (EU, the country, the panel total) and none is needed. Sectors with a zero in either region are left out
  of that pair (the logarithm is undefined) and counted in the ``note``.

``with_size=True`` also compares size ``X_r = Σ_i x_ri``: cosine is multiplied by
``min(X_r, X_q) / max(X_r, X_q)``; Krugman gets ``1 − min/max`` added; the Euclidean distance gets
``ln(X_q / X_r)`` as one more coordinate. All measures are invariant to the unit of the variable.

``top_sectors`` explains each result by the sectors that contribute most: for cosine the largest
contributions to the similarity, for the distances the largest contributions to the distance, with the
signed difference (candidate minus region: share points for Krugman, log points for Euclidean).

References
----------
Krugman, P. (1991). *Geography and Trade*. MIT Press. — Navarro, M. et al. (2014). Regional benchmarking
in the smart specialisation process: identification of reference regions based on structural similarity.
*S3 Working Paper Series* 03/2014, JRC-IPTS. — Wieland, T. (2019). REAT, ``krugman.spec``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": list("PPQQRR"), "sector": ["A", "B"] * 3, "year": 2020,
...                    "variable": "employment", "value": [3., 1., 6., 2., 1., 3.]})
>>> sim = similar_regions(Panel(df), region="P", year=2020, variable="employment")
>>> sim[["region", "score"]].round(3).to_dict("list")
{'region': ['Q', 'R'], 'score': [1.0, 0.6]}
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.measures.reference import region_totals, resolve_sectors
from speerpunt.measures.relatedness import region_sector_matrix
from speerpunt.panel import TOTAL, Panel

METHODS = ("cosine", "krugman", "euclidean-loglq")
SIMILAR_COLUMNS = [
    "rank",
    "region",
    "method",
    "score",
    "size_ratio",
    "top_sectors",
    "n_sectors",
    "note",
]
EU_CODES = ("EU27_2020", "EU28", "EU27_2007", "EU")


def _contributions(s: np.ndarray, target: np.ndarray, method: str) -> tuple[np.ndarray, np.ndarray]:
    """Per-sector contributions to the score and the signed differences shown (candidates × sectors)."""
    if method == "cosine":
        norm = np.linalg.norm(s, axis=1, keepdims=True) * np.linalg.norm(target)
        contrib = s * target / norm
        return contrib, contrib
    if method == "krugman":
        diff = s - target
        return np.abs(diff), diff
    with np.errstate(divide="ignore", invalid="ignore"):
        diff = np.log(s) - np.log(target)
    diff[~np.isfinite(diff)] = np.nan
    return diff**2, diff


def _score(contrib: np.ndarray, size: np.ndarray, method: str, with_size: bool) -> np.ndarray:
    """Combine the contributions (and the size ratio ``X_q / X_r``) into one score per candidate."""
    if method == "cosine":
        score = contrib.sum(axis=1)
        return score * np.minimum(size, 1 / size) if with_size else score
    if method == "krugman":
        score = contrib.sum(axis=1)
        return score + (1 - np.minimum(size, 1 / size)) if with_size else score
    squares = np.nansum(contrib, axis=1) + (np.log(size) ** 2 if with_size else 0.0)
    return np.sqrt(squares)


def _explain(
    sectors: Sequence[str], contrib: np.ndarray, shown: np.ndarray, most: int
) -> list[str]:
    """``"C (+0.12), H (-0.05)"``: the ``most`` sectors with the largest contribution, per candidate."""
    order = np.argsort(-np.nan_to_num(np.abs(contrib), nan=-1.0), axis=1, kind="stable")[:, :most]
    names = np.asarray(sectors, dtype=object)[order]
    values = np.take_along_axis(shown, order, axis=1)
    parts = np.where(
        np.isnan(values), "", names + " (" + np.char.mod("%+.2f", values).astype(object) + ")"
    )
    return [", ".join(p for p in row if p) for row in parts]


def similar_regions(
    panel: Panel,
    *,
    region: str,
    year: int,
    variable: str,
    method: str = "cosine",
    with_size: bool = False,
    top: int | None = 10,
    level: int | str | None = None,
    sectors: str | Sequence[str] | None = None,
    explain: int = 3,
) -> pd.DataFrame:
    """Rank the other regions by the similarity of their sector structure to ``region``.

    Parameters
    ----------
    panel : Panel
    region : str
    year : int
    variable : str
    method : ``"cosine"`` (default), ``"krugman"`` or ``"euclidean-loglq"``
        See the module notes; cosine is a similarity (higher is closer), the others are distances.
    with_size : bool
        Also compare the regions' size (total of the variable).
    top : int or None
        How many ranked regions to return (``None``: all).
    level : int, ``"all"`` or None
        NUTS level of the candidates (default: the level of ``region``).
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present (never ``TOTAL``).
    explain : int
        How many sectors ``top_sectors`` names.

    Returns
    -------
    DataFrame
        ``rank, region, method, score, size_ratio, top_sectors, n_sectors, note``, best first. Candidates
        left out by the missing-cell policy follow the ranked rows, with ``NaN`` score and a note.
    """
    if method not in METHODS:
        raise MeasureError(
            Text("ms_unknown_method", method=method, choices=", ".join(METHODS)), column="method"
        )
    mat = region_sector_matrix(
        panel,
        variable=variable,
        year=year,
        sectors=sectors,
        level=level,
        keep=region,
        regions_first=True,
    )
    if region in mat.excluded_regions:
        raise MeasureError(
            Text("ms_region_not_compared", region=region, reason=mat.excluded_regions[region]),
            column="region",
        )
    x = mat.values.to_numpy(dtype=float)
    pos = list(mat.values.index).index(region)
    totals = x.sum(axis=1)
    s = x / totals[:, None]
    others = np.arange(len(x)) != pos
    contrib, shown = _contributions(s[others], s[pos], method)
    size = totals[others] / totals[pos]
    score = _score(contrib, size, method, with_size)
    n_used = np.isfinite(contrib).sum(axis=1)
    score = np.where(n_used > 0, score, np.nan)
    left = len(mat.values.columns) - n_used
    note = np.where(left > 0, np.char.mod("%d sector(s) with a zero share left out", left), "")
    ranked = pd.DataFrame(
        {
            "region": mat.values.index[others],
            "method": method + (" + size" if with_size else ""),
            "score": score,
            "size_ratio": size,
            "top_sectors": _explain(list(mat.values.columns), contrib, shown, explain),
            "n_sectors": n_used,
            "note": note.astype(object),
        }
    )
    ranked = ranked.sort_values(
        ["score", "region"], ascending=[method != "cosine", True], kind="stable"
    ).head(top if top is not None else len(ranked))
    ranked.insert(0, "rank", pd.array(np.arange(1, len(ranked) + 1), dtype="Int64"))
    excluded = pd.DataFrame(
        {
            "region": [r for r in mat.excluded_regions if r != region],
            "method": method,
            "note": [n for r, n in mat.excluded_regions.items() if r != region],
        }
    )
    gaps = "; ".join(f"sector {s} {why}" for s, why in mat.excluded_sectors.items())
    out = pd.concat([ranked, excluded], ignore_index=True).reindex(columns=SIMILAR_COLUMNS)
    out["n_sectors"] = out["n_sectors"].astype("Int64")
    if gaps:
        out["note"] = np.where(
            out["note"].fillna("") != "", out["note"].fillna("") + "; " + gaps, gaps
        )
    return out


def benchmark_table(
    panel: Panel,
    regions: Sequence[str],
    year: int,
    variable: str,
    *,
    start: int | None = None,
    reference: str = "auto",
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Shares, location quotients and growth of a chosen set of regions, side by side.

    Parameters
    ----------
    panel : Panel
    regions : list of str
        Region codes; ``"SE22+DK01"`` is the sum of those regions (e.g. Öresund ≈ Skåne + Hovedstaden).
    year : int
    variable : str
    start : int, optional
        First year of the growth; default: the first year of the variable in the panel.
    reference : str
        For the LQ: ``"auto"`` (an EU aggregate when the panel has its sector values for ``year``,
        else the group), ``"group"`` (the sum of the regions compared), ``"country"`` (each region's
        NUTS0) or a region code.
    sectors : scheme name, list of codes or ``"all"``, optional

    Returns
    -------
    DataFrame
        One row per sector and a last row ``TOTAL``; columns ``sector`` then ``share_<R>`` for each region,
        ``lq_<R>``, and ``growth_<R>`` (``x(year) / x(start) − 1``). ``df.attrs`` holds ``reference``,
        ``start``, ``year`` and, when growth is missing, ``note``. Growth over a zero-length period (``start == year``, e.g. a
        panel of one year) is missing, never 0, and ``note`` says why.

    Notes
    -----
    ``share_ri = x_ri / x_r`` with ``x_r`` the data's ``TOTAL`` where present, else the sum of the sectors
    (a missing sector makes the total missing, never a partial sum); ``LQ_ri = share_ri / share_Ri``.
    Regions of different NUTS levels can be compared here; pick them at the same level for a fair view.

    Example
    -------
    >>> import pandas as pd
    >>> from speerpunt.panel import Panel
    >>> df = pd.DataFrame({"region": list("PPQQ") * 2, "sector": ["A", "B"] * 4,
    ...                    "year": [2010] * 4 + [2020] * 4, "variable": "employment",
    ...                    "value": [1., 3., 2., 2., 2., 2., 2., 2.]})
    >>> t = benchmark_table(Panel(df), ["P", "Q"], 2020, "employment", reference="group")
    >>> t.set_index("sector")[["share_P", "lq_P", "growth_P"]].round(3).loc["A"].to_list()
    [0.5, 1.0, 1.0]
    >>> one = benchmark_table(Panel(df), ["P", "Q"], 2020, "employment", start=2020, reference="group")
    >>> bool(one["growth_P"].isna().all()), one.attrs["note"][:24]
    (True, 'growth is missing: start')
    """
    regions = list(regions)
    if not regions:
        raise MeasureError(Text("ms_benchmark_region"), column="regions")
    years = panel.core(variable).years if variable in panel.variables else pd.Index([])
    start = int(years.min()) if start is None and len(years) else start
    if start is not None and start > year:
        raise MeasureError(Text("ms_start_not_after_year", start=start, year=year), column="start")
    parts = sorted({p for r in regions for p in r.split("+")})
    panel.require(variable=variable, years=sorted({start, year}), regions=parts)
    secs = resolve_sectors(panel, sectors)
    wide = panel.wide(variable, year)
    ref_code = _benchmark_reference(wide, reference, secs)
    now, then = (_combined(panel.wide(variable, y), regions, secs) for y in (year, start))
    ref_now = _reference_rows(wide, now, regions, ref_code, secs)
    table = {"sector": secs + [TOTAL]}
    with np.errstate(divide="ignore", invalid="ignore"):
        share = now.div(now[TOTAL], axis=0)
        lq = share / ref_now.div(ref_now[TOTAL], axis=0).to_numpy()
        growth = now / then - 1
    note = ""
    if start == year:  # no period to grow over: missing, never a silent 0 %
        growth = growth * np.nan
        note = (
            f"growth is missing: start ({start}) equals year ({year}), "
            "a zero-length period (the panel has one year only or --start equals --year)"
        )
    for name, frame in (("share", share), ("lq", lq), ("growth", growth)):
        for r in regions:
            table[f"{name}_{r}"] = frame.loc[r].replace([np.inf, -np.inf], np.nan).to_numpy()
    out = pd.DataFrame(table)
    out.attrs.update(reference=ref_code, start=start, year=year)
    if note:
        out.attrs["note"] = note
    return out


def _combined(wide: pd.DataFrame, regions: Sequence[str], sectors: list[str]) -> pd.DataFrame:
    """Regions × (sectors + TOTAL), summing the parts of ``A+B`` regions (missing if any part is)."""
    totals = region_totals(wide, sectors)
    full = wide.reindex(columns=sectors).assign(**{TOTAL: totals})
    rows = {}
    for r in regions:
        parts = full.reindex(r.split("+"))
        rows[r] = parts.sum(axis=0, min_count=1).where(parts.notna().all(axis=0))
    return pd.DataFrame(rows, index=full.columns).T


def _benchmark_reference(wide: pd.DataFrame, reference: str, sectors: list[str]) -> str:
    """``"auto"``: the first EU aggregate with every sector in the year, else the group compared."""
    if reference != "auto":
        return reference
    complete = wide.index[wide.reindex(columns=sectors).notna().all(axis=1)]
    return next((c for c in EU_CODES if c in complete), "group")


def _reference_rows(
    wide: pd.DataFrame, now: pd.DataFrame, regions: Sequence[str], ref: str, sectors: list[str]
) -> pd.DataFrame:
    """The reference's sector values (and TOTAL), one row per compared region."""
    if ref == "group":
        row = now.sum(axis=0, min_count=1).where(now.notna().all(axis=0))
        return pd.DataFrame([row] * len(regions), index=regions)
    if ref == "country":
        countries = [{p[:2] for p in r.split("+")} for r in regions]
        # A region spanning two countries (Öresund) has no single country to compare with.
        codes = [c.pop() if len(c) == 1 else None for c in countries]
    else:
        codes = [ref] * len(regions)
    missing = sorted({c for c in codes if c is not None and c not in wide.index})
    if missing:
        raise MeasureError(
            Text("ms_references_missing", codes=", ".join(missing)), column="reference"
        )
    rows = _combined(wide, [c for c in codes if c is not None], sectors).reindex(codes)
    rows.index = regions
    return rows
