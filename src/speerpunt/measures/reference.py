"""Reference regions and sector selections shared by every measure.

A *reference specification* says against what a region is compared:

* ``"country"`` (default): the region's country, i.e. its NUTS0 code (the first two letters of a NUTS code);
* any region code in the panel (an ancestor such as ``BE2``, the EU, or any other region);
* ``"rest:CODE"``: ``CODE`` without the region itself (``x_R − x_r``); ``"rest"`` is the rest of the country.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["BE", "BE21"], "sector": ["A", "A"], "year": [2000, 2000],
...                    "variable": ["employment"] * 2, "value": [10.0, 2.0]})
>>> resolve_reference(Panel(df), "BE21", "country")
'BE'
>>> split_reference("rest:BE")
('BE', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.panel import TOTAL, Panel

PARTITION_PREFERENCE = ("sections", "a10", "a10-coarse")


def split_reference(reference: str) -> tuple[str, bool]:
    """``'rest:BE'`` → ``('BE', True)``; ``'BE'`` → ``('BE', False)``; ``'rest'`` → ``('country', True)``."""
    ref = reference.strip()
    if ref.lower() == "rest":
        return "country", True
    if ref.lower().startswith("rest:"):
        return ref[5:].strip(), True
    return ref, False


def resolve_reference(panel: Panel, region: str, reference: str = "country") -> str:
    """The code of the reference region for ``region`` (without the ``rest:`` prefix)."""
    return reference_codes(panel, [region], reference)[0]


def reference_codes(panel: Panel, regions: Sequence[str], reference: str = "country") -> list[str]:
    """Reference code for each region; raises :class:`MeasureError` naming an absent reference."""
    code, _ = split_reference(reference)
    have = set(panel.regions)
    if code.lower() != "country":
        if code not in have:
            raise MeasureError(Text("ms_reference_missing", code=code), column="reference")
        return [code] * len(regions)
    out = list(_countries(tuple(regions)))
    if set(out) <= have:  # one set operation on the few distinct countries, not a test per region
        return out
    for region, ref in zip(regions, out, strict=True):
        if ref not in have:
            raise MeasureError(
                Text("ms_country_missing", region=region, ref=ref),
                column="reference",
            )
    return out


@lru_cache(maxsize=16)
def _countries(regions: tuple[str, ...]) -> tuple[str, ...]:
    """The country code (first two characters) of each region, remembered per region list."""
    return tuple(r[:2] for r in regions)


def resolve_sectors(panel: Panel, sectors: str | Sequence[str] | None) -> list[str]:
    """The sectors a measure works on.

    ``None``: the finest known partition of the economy present in the data (``a10`` for Eurostat's
    regional A*10 aggregates), else every sector except ``TOTAL``; ``"all"``: every sector except ``TOTAL``;
    a scheme name (``"a10"``) or a list of codes: those, which must be in the data.
    """
    available = [s for s in panel.sectors if s != TOTAL]
    if sectors is None:
        partition = default_partition(available)
        if partition is not None:
            return partition
        _refuse_overlaps(available, Text("ms_overlap_data"))
        return available
    if isinstance(sectors, str) and sectors.lower() == "all":
        return available
    if isinstance(sectors, str):
        from speerpunt.classify import sector_set

        chosen = sector_set(sectors, available=panel.sectors)
    else:
        chosen = list(sectors)
    have = set(panel.sectors)
    missing = [s for s in chosen if s not in have]
    if missing:
        raise MeasureError(Text("ms_sectors_missing", sectors=", ".join(missing)), column="sector")
    if not isinstance(sectors, str):
        _refuse_overlaps(chosen, Text("ms_overlap_asked"))
    return list(chosen)


def _refuse_overlaps(codes: Sequence[str], what: str) -> None:
    """Sectors that contain each other (``20`` inside ``C``) would be counted twice wherever a measure sums
    over sectors (a missing ``TOTAL``, shares of the economy, diversity indices): refuse, naming a pair."""
    pairs = _overlapping(tuple(sorted(codes)))
    if pairs:
        part, whole = pairs[0]
        raise MeasureError(
            Text("ms_overlap", what=what, part=part, whole=whole),
            column="sector",
        )


@lru_cache(maxsize=64)
def _overlapping(codes: tuple[str, ...]) -> list[tuple[str, str]]:
    from speerpunt.io.aggregates_check import overlaps

    return overlaps(list(codes))


def default_partition(available: Sequence[str]) -> list[str] | None:
    """The finest known partition of the economy whose codes are all in ``available``, else ``None``.

    Tried in order: NACE sections (A–U), then Eurostat's regional ``a10`` (A, B-E, F, G-I, J, K, L, M_N, O-Q,
    R-U), then the coarse ``a10-coarse`` split (A, B-E, F, G-J, K-N, O-U).
    """
    from speerpunt.classify import sector_set

    have = set(available)
    for scheme in PARTITION_PREFERENCE:
        codes = sector_set(scheme)
        if set(codes) <= have:
            return list(codes)
    return None


def resolve_regions(panel: Panel, regions: str | Sequence[str] | None, variable: str) -> list[str]:
    """All regions of the variable when ``None``; otherwise the given ones, which must be present."""
    if regions is None:
        return panel.regions_of(variable)
    regions = [regions] if isinstance(regions, str) else list(regions)
    panel.require(variable=variable, regions=regions)
    return regions


def region_totals(wide: pd.DataFrame, sectors: Sequence[str]) -> pd.Series:
    """Region totals: the ``TOTAL`` column where the data have one, else the sum over ``sectors``.

    A sum that touches a missing cell is missing (NaN), never a partial sum.
    """
    part = wide.reindex(columns=list(sectors)).to_numpy(dtype=float)
    summed = part.sum(axis=1)  # NaN as soon as one part is missing
    if TOTAL in wide.columns:
        given = wide[TOTAL].to_numpy(dtype=float)
        summed = np.where(np.isnan(given), summed, given)
    return pd.Series(summed, index=wide.index)


@lru_cache(maxsize=16)
def _union_positions(
    regions: tuple[str, ...], refs: tuple[str, ...]
) -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """The distinct labels of ``regions`` and ``refs`` (first appearance order) and each one's position
    among them; remembered per selection (several periods and measures ask for the same regions)."""
    labels = tuple(dict.fromkeys([*regions, *refs]))
    # object indexes: lists of strings would be inferred as Arrow strings first
    pos = pd.Index(list(labels), dtype=object)
    ri = pos.get_indexer(pd.Index(list(regions), dtype=object))
    fi = pos.get_indexer(pd.Index(list(refs), dtype=object))
    ri.flags.writeable = False  # shared by every caller of the cache
    fi.flags.writeable = False
    return labels, ri, fi


class Comparison(NamedTuple):
    """Region and reference values of ``years × regions × sectors`` with totals and flag codes.

    ``x, rx``: ``(n_years, n_regions, n_sectors)``; ``xt, rt``: ``(n_years, n_regions)``; ``flags`` and
    ``ref_flags``: codes into ``vocab`` (the panel core's flag words, ``':'`` for an absent cell).
    """

    x: np.ndarray
    xt: np.ndarray
    rx: np.ndarray
    rt: np.ndarray
    flags: np.ndarray
    ref_flags: np.ndarray
    vocab: np.ndarray


def comparison_block(
    panel: Panel,
    variable: str,
    years: Sequence[int],
    regions: Sequence[str],
    refs: Sequence[str],
    sectors: Sequence[str],
    rest: bool,
) -> Comparison:
    """Region values, region totals, reference values and reference totals as aligned arrays.

    Read from the panel's dense core for every year asked at once. Regions absent from the data give
    NaN rows. For ``rest`` the region is subtracted from its reference.

    Touches only the cells asked for (no rescan of the long table). Totals are the ``TOTAL`` cell where
    present and not missing, else the sum over ``sectors`` (missing as soon as one part is).
    """
    core = panel.core(variable)
    labels, ri, fi = _union_positions(tuple(regions), tuple(refs))
    has_total = TOTAL in core.sectors
    values, codes = core.block(years, labels, [*sectors, TOTAL] if has_total else list(sectors))
    part = values[:, :, :-1] if has_total else values
    totals = part.sum(axis=2)  # NaN as soon as one part is missing
    if has_total:  # the data's TOTAL where given, else the sum
        given = values[:, :, -1]
        totals = np.where(np.isnan(given), totals, given)
        codes = codes[:, :, :-1]
    # np.take gives C-ordered copies; a fancy index on the middle axis would lay the result out region
    # first, and every later ravel into the long frame would then copy element by element.
    x, xt, rx, rt = (
        np.take(a, i, axis=1) for a, i in ((part, ri), (totals, ri), (part, fi), (totals, fi))
    )
    if rest:
        rx = rx - x
        rt = rt - xt
    flags = np.take(codes, ri, axis=1)
    ref_flags = np.take(codes, fi, axis=1)
    return Comparison(x, xt, rx, rt, flags, ref_flags, core.flag_vocab)
