"""The Antwerp study's benchmark regions: sector structure beside GDP per inhabitant and per person employed.

The study compares Provincie Antwerpen with Hamburg, Brabant wallon, Noord-Brabant and the Öresund region.
Öresund is stated here as **Hovedstaden (DK01) + Sydsverige (SE22)**: SE22 is Skåne *and* Blekinge (the SBS
data have no NUTS3; Skåne, SE224, holds 587 of SE22's 656 thousand jobs in 2014) and Zealand (DK02) is left
out.

* :func:`benchmark_structure`: per sector the share of the region's total and the LQ against the region's own
  country (for Öresund: Denmark + Sweden), built with :func:`speerpunt.classify.selection.select` so unions
  and policy sectors work; a suppressed cell stays missing.
* :func:`benchmark_economy`: GDP, GDP per inhabitant and GDP per person employed (GDP ÷ total employment
  of the regional accounts). For a union, GDP and employment are summed and the population is recovered as
  ``GDP / GDP per inhabitant`` of each part.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> gdp = Panel(pd.DataFrame({"region": ["A", "A", "B", "B"], "sector": "TOTAL", "year": 2014,
...     "variable": ["gdp", "gdp_per_inhabitant"] * 2, "value": [100e6, 20000.0, 50e6, 25000.0]}))
>>> emp = Panel(pd.DataFrame({"region": ["A", "B"], "sector": "TOTAL", "year": 2014,
...     "variable": "employment", "value": [2.0, 1.0]}))
>>> row = benchmark_economy(gdp, emp, ["A+B"], 2014).iloc[0]
>>> round(row["gdp_per_inhabitant"]), round(row["gdp_per_person_employed"])
(21429, 50000)
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.panel import TOTAL, Panel

#: The study's benchmark regions (default order) and how each is delimited here.
STUDY_BENCHMARKS = {
    "BE21": "Provincie Antwerpen",
    "DE60": "Hamburg",
    "BE31": "Brabant wallon",
    "NL41": "Noord-Brabant",
    "DK01+SE22": "Öresund ≈ Hovedstaden (DK01) + Sydsverige (SE22: Skåne and Blekinge), without Zealand",
}
ECONOMY_COLUMNS = [
    "region",
    "name",
    "year",
    "gdp_meur",
    "gdp_per_inhabitant",
    "employment_thousand",
    "gdp_per_person_employed",
    "note",
]


def _cell(panel: Panel, region: str, variable: str, year: int) -> float:
    d = panel.data
    hit = d[
        (d["region"] == region)
        & (d["variable"] == variable)
        & (d["year"] == year)
        & (d["sector"] == TOTAL)
    ]
    return float(hit["value"].iloc[0]) if len(hit) else float("nan")


def benchmark_economy(
    gdp: Panel, employment: Panel, regions: Sequence[str], year: int
) -> pd.DataFrame:
    """GDP (million EUR), GDP per inhabitant (EUR) and per person employed (EUR) of each region or union.

    ``gdp`` holds ``gdp`` (EUR) and ``gdp_per_inhabitant``; ``employment`` the total employment in thousand
    persons (``TOTAL``). A missing part leaves the figure missing, with a note naming it.
    """
    rows = []
    for spec in regions:
        parts = spec.split("+")
        g = np.array([_cell(gdp, p, "gdp", year) for p in parts])
        gph = np.array([_cell(gdp, p, "gdp_per_inhabitant", year) for p in parts])
        emp = np.array([_cell(employment, p, "employment", year) for p in parts])
        missing = [
            p for p, a, b, c in zip(parts, g, gph, emp, strict=True) if np.isnan([a, b, c]).any()
        ]
        total_gdp = g.sum()
        population = (g / gph).sum()
        rows.append(
            {
                "region": spec,
                "name": STUDY_BENCHMARKS.get(spec, spec),
                "year": year,
                "gdp_meur": total_gdp / 1e6,
                "gdp_per_inhabitant": total_gdp / population,
                "employment_thousand": emp.sum(),
                "gdp_per_person_employed": total_gdp / (emp.sum() * 1000.0),
                "note": f"missing for {', '.join(missing)} in {year}" if missing else "",
            }
        )
    return pd.DataFrame(rows, columns=ECONOMY_COLUMNS)


def benchmark_structure(
    panel: Panel,
    regions: Sequence[str],
    *,
    variable: str = "employment",
    year: int,
    sectors: str | None = None,
) -> pd.DataFrame:
    """Share and LQ per sector of each region (columns ``share_<R>``, ``lq_<R>``), each LQ against the
    region's own country (a union's countries summed: Öresund against Denmark + Sweden)."""
    from speerpunt.classify.selection import select
    from speerpunt.measures import location_quotient

    out: pd.DataFrame | None = None
    for spec in regions:
        countries = sorted({p[:2] for p in spec.split("+")})
        reference = "+".join(countries)
        sel = select(panel, regions=[spec], reference=reference, sectors=sectors)
        lq = location_quotient(sel.panel, variable=variable, year=year, **sel.kwargs())
        part = lq.set_index("sector")[["share", "lq"]].rename(
            columns={"share": f"share_{spec}", "lq": f"lq_{spec}"}
        )
        part[f"reference_{spec}"] = reference
        out = part if out is None else out.join(part, how="outer")
    if out is None:
        raise MeasureError(Text("sc_give_region"), column="regions")
    return out.reset_index()
