"""Geographic concentration of each sector across a set of regions: locational Gini, Hoover, Krugman.

Notes
-----
For sector *i* over regions *r* (which should partition a territory, e.g. all NUTS3 of a country), with
``x_i = Σ_r x_ri`` and ``x = Σ_r x_r`` summed over the chosen regions, region totals ``x_r`` being the sum over
the sectors analysed (REAT's convention):

* ``locational_gini``: REAT's ``gini.conc`` — the Gini of the location quotients ``C_r = (x_ri/x_r)/(x_i/x)``
  over the regions, ``2/(n² C̄) Σ_λ λ (C_(λ) − C̄)`` with the ``C`` sorted ascending (0 = spread like total
  activity, → 1 = all in one region);
* ``hoover``: Hoover's coefficient of localisation ``½ Σ_r |x_ri/x_i − x_r/x|`` (0–1);
* ``krugman``: REAT's ``krugman.conc``, ``Σ_r |x_ri/x_i − x_r/x|`` (0–2, twice Hoover);
* ``herfindahl``: ``Σ_r (x_ri/x_i)²``, the concentration of the sector's activity on few regions.

Regions with a missing value for the sector are left out of that sector's measures (with a note).

References
----------
Hoover, E. M. (1936). The measurement of industrial localization. *Review of Economics and Statistics* 18(4),
162–171. — Krugman, P. (1991). *Geography and Trade*. MIT Press. — Farhauer, O. & Kröll, A. (2013).
*Standorttheorien*. Springer. — Wieland, T. (2019). REAT, ``gini.conc``, ``krugman.conc``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": ["R1", "R1", "R2", "R2"], "sector": ["A", "B"] * 2, "year": 2020,
...                    "variable": "employment", "value": [10.0, 90.0, 0.0, 100.0]})
>>> c = concentration(Panel(df), variable="employment", year=2020, regions=["R1", "R2"])
>>> c.set_index("sector")["hoover"].round(4).to_dict()
{'A': 0.5, 'B': 0.0263}
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.measures._notes import join_notes
from speerpunt.measures.reference import resolve_regions, resolve_sectors
from speerpunt.measures.specialisation import lq_gini_rows
from speerpunt.panel import Panel

_NUTS = re.compile(r"^[A-Z]{2}[0-9A-Z]{0,3}$")


def default_regions(regions: Sequence[str]) -> list[str]:
    """The deepest complete NUTS level present when every code looks like NUTS, else all regions.

    Mixing levels (BE, BE2, BE21 …) would count the same jobs twice, and a level with gaps would leave
    parts of the territory out: a level is complete when every region one level up has a child at it.

    >>> default_regions(["BE", "BE2", "BE21", "BE22", "BE3", "BE31", "BE211", "BEZZ"])
    ['BE21', 'BE22', 'BE31']
    """
    regions = list(regions)
    if not regions or not all(_NUTS.match(r) for r in regions):
        return regions
    # Extra-regio codes (BEZ, BEZZ, BEZZZ) are no territory.
    regions = [r for r in regions if not (len(r) > 2 and r.endswith("Z"))] or regions
    lengths = sorted({len(r) for r in regions}, reverse=True)
    for length in lengths:
        level = [r for r in regions if len(r) == length]
        parents = [r for r in regions if len(r) == length - 1]
        if all(any(c.startswith(p) for c in level) for p in parents):
            return level
    return [r for r in regions if len(r) == lengths[0]]


def concentration(
    panel: Panel,
    *,
    variable: str,
    year: int,
    regions: str | Sequence[str] | None = None,
    sectors: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Concentration of every sector across ``regions`` (one row per sector).

    Parameters
    ----------
    regions : list of str, optional
        Regions that partition a territory. Default: the deepest complete NUTS level in the panel
        (see :func:`default_regions`).
    sectors : scheme name, list of codes or ``"all"``, optional
        Default: the finest known partition present in the data.

    Returns
    -------
    DataFrame
        ``sector, year, variable, n_regions, locational_gini, hoover, krugman, herfindahl, note``.
    """
    panel.require(variable=variable, years=[year])
    regs = resolve_regions(panel, regions, variable)
    if regions is None:
        regs = default_regions(regs)
    secs = resolve_sectors(panel, sectors)
    x = (
        panel.wide(variable, year).reindex(index=regs, columns=secs).to_numpy(dtype=float).T
    )  # sectors × regions
    region_total = np.nansum(x, axis=0)  # Σ over sectors per region
    valid = ~np.isnan(x)
    w = np.where(
        valid, region_total[None, :], np.nan
    )  # a region's weight counts only where it has data
    with np.errstate(divide="ignore", invalid="ignore"):
        share = x / np.nansum(x, axis=1, keepdims=True)
        wshare = w / np.nansum(w, axis=1, keepdims=True)
        lq = share / wshare
        krugman = np.nansum(np.abs(share - wshare), axis=1)
        herf = np.nansum(share**2, axis=1)
    n = valid.sum(axis=1)
    empty = (n == 0) | (np.nansum(x, axis=1) == 0)
    missing = len(regs) - n
    note = join_notes(
        (len(secs),),
        (empty, "no activity in the sector in these regions"),
        (
            (missing > 0) & ~empty,
            np.array(
                [f"{m} of {len(regs)} regions missing, left out" for m in missing], dtype=object
            ),
        ),
    )
    out = pd.DataFrame({"sector": secs, "year": year, "variable": variable, "n_regions": n})
    out["locational_gini"] = np.where(empty, np.nan, lq_gini_rows(lq))
    out["hoover"] = np.where(empty, np.nan, krugman / 2.0)
    out["krugman"] = np.where(empty, np.nan, krugman)
    out["herfindahl"] = np.where(empty, np.nan, herf)
    out["note"] = note
    return out
