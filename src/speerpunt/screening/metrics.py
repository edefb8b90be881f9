"""The per-sector measures a screening tests, gathered from the library's measure functions.

Nothing is computed here that :mod:`speerpunt.measures` does not compute: this module calls
:func:`~speerpunt.measures.location_quotient`, :func:`~speerpunt.measures.growth`,
:func:`~speerpunt.measures.lq_trend` and :func:`~speerpunt.measures.shift_share` once per variable (each
vectorised over the sectors) and lays the results out as one long table ``sector, variable, measure, value,
note`` that criteria look up.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.panel import TOTAL, Panel

#: measure name → (source frame, column)
_SOURCES = {
    "level": ("lq", "value"),
    "share": ("lq", "share"),
    "lq": ("lq", "lq"),
    "growth": ("growth", "growth"),
    "cagr": ("growth", "cagr"),
    "regional_shift": ("shift_share", "regional_shift"),
    "lq_change": ("lq_trend", "lq_change"),
}


@dataclass
class SectorMetrics:
    """The library's results for one region, reference and period, per variable.

    ``frames[variable]`` holds the raw results (``lq``, ``lq_start``, ``growth``, ``lq_trend``,
    ``shift_share``) exactly as the measure functions returned them; ``long`` is the lookup table.
    """

    region: str
    reference: str
    year: int
    start: int
    sectors: list[str]
    variables: list[str]
    missing_variables: list[str]
    frames: dict[str, dict[str, pd.DataFrame]] = field(default_factory=dict)
    long: pd.DataFrame = field(default_factory=pd.DataFrame)
    _cache: dict = field(default_factory=dict, repr=False)

    def _lookup(self, variable: str, measure: str) -> pd.DataFrame:
        key = (variable, measure)
        if key not in self._cache:
            # the rows of every (variable, measure) found in one pass over ``long``, not one scan each
            if "rows" not in self._cache:
                groups = self.long.groupby(["variable", "measure"], sort=False, dropna=False)
                self._cache["rows"] = groups.indices
            rows = self._cache["rows"].get(key, np.array([], dtype=np.intp))
            d = self.long.iloc[rows]
            self._cache[key] = d.set_index("sector")[["value", "note"]].reindex(self.sectors)
        return self._cache[key]

    def value(self, variable: str, measure: str) -> pd.Series:
        """Values of one measure indexed by sector (NaN where missing)."""
        return self._lookup(variable, measure)["value"].copy()

    def note(self, variable: str, measure: str) -> pd.Series:
        return self._lookup(variable, measure)["note"].fillna("not computed")


def screening_years(
    panel: Panel,
    variables: Sequence[str],
    year: int | None,
    start: int | None,
    period_length: int = 10,
) -> tuple[int, int]:
    """``(start, year)``: ``year`` defaults to the last year of the first variable present, ``start`` to
    ``period_length`` years earlier (or the first year available). Data with one year give
    ``(year, year)``: no growth period."""
    present = [v for v in variables if v in panel.variables] or panel.variables
    years = sorted(panel.data.loc[panel.data["variable"] == present[0], "year"].unique())
    if not years:
        raise MeasureError(Text("sc_no_years"), column="year")
    end = int(year) if year is not None else int(years[-1])
    begin = int(start) if start is not None else max(int(years[0]), end - period_length)
    if begin == end and start is None and len(years) == 1:
        return begin, end  # one year of data: levels, shares and LQs only (see sector_metrics)
    if begin >= end:
        raise MeasureError(Text("sc_period_empty", begin=begin, end=end), column="start")
    return begin, end


def sector_metrics(
    panel: Panel,
    *,
    region: str,
    reference: str = "country",
    variables: Sequence[str] = ("employment",),
    year: int | None = None,
    start: int | None = None,
    period_length: int = 10,
    sectors: str | Sequence[str] | None = None,
    exclude: Sequence[str] = (),
    lq_tolerance: float = 0.05,
) -> SectorMetrics:
    """Every screening measure for ``region`` against ``reference``, per sector and variable.

    Variables absent from the panel are listed in ``missing_variables`` rather than raising, so a criterion
    on employment *and/or* value added still works on employment-only data.

    Example
    -------
    >>> import pandas as pd
    >>> rows = [(r, s, y, "employment", v) for r, s, y, v in [
    ...     ("R", "A", 2000, 10.0), ("R", "B", 2000, 30.0), ("R", "A", 2010, 20.0), ("R", "B", 2010, 30.0),
    ...     ("N", "A", 2000, 50.0), ("N", "B", 2000, 150.0), ("N", "A", 2010, 60.0), ("N", "B", 2010, 160.0)]]
    >>> p = Panel(pd.DataFrame(rows, columns=["region", "sector", "year", "variable", "value"]))
    >>> m = sector_metrics(p, region="R", reference="N")
    >>> m.value("employment", "growth").round(2).to_dict()
    {'A': 1.0, 'B': 0.0}
    """
    from speerpunt.measures import growth, location_quotient, lq_trend, shift_share

    present = [v for v in variables if v in panel.variables]
    missing = [v for v in variables if v not in panel.variables]
    if not present:
        raise MeasureError(
            Text(
                "sc_no_variables",
                variables=", ".join(variables),
                available=", ".join(panel.variables),
            ),
            column="variable",
        )
    begin, end = screening_years(panel, present, year, start, period_length)
    probe = location_quotient(
        panel, variable=present[0], year=end, reference=reference, regions=[region], sectors=sectors
    )
    secs = [s for s in probe["sector"] if s not in set(exclude) and s != TOTAL]
    out = SectorMetrics(
        region=region,
        reference=str(probe["reference"].iloc[0]),
        year=end,
        start=begin,
        sectors=secs,
        variables=present,
        missing_variables=missing,
    )
    rows = []
    for var in present:
        kw = {"variable": var, "regions": [region], "sectors": secs}
        if begin == end:
            frames = _one_year_frames(panel, end, reference, kw)
            out.frames[var] = frames
            rows += _long_rows(frames, secs, var)
            continue
        frames = {
            "lq": location_quotient(panel, year=end, reference=reference, **kw),
            "lq_start": location_quotient(panel, year=begin, reference=reference, **kw),
            "growth": growth(panel, start=begin, end=end, **kw),
            "lq_trend": lq_trend(
                panel, start=begin, end=end, reference=reference, tolerance=lq_tolerance, **kw
            ),
            "shift_share": shift_share(panel, start=begin, end=end, reference=reference, **kw),
        }
        out.frames[var] = frames
        rows += _long_rows(frames, secs, var)
    rows += _demography_rows(panel, region, reference, secs, end, present)
    out.long = pd.concat(rows, ignore_index=True)
    return out


def _demography_rows(
    panel: Panel, region: str, reference: str, secs: list[str], year: int, present: list[str]
) -> list[pd.DataFrame]:
    """Start/stop rates as measures of variable ``enterprises`` when the data have starts and stops."""
    from speerpunt.screening.demography import MEASURES, business_demography, has_demography

    if "enterprises" not in present or not has_demography(panel):
        return []
    d = business_demography(panel, regions=[region], sectors=secs, reference=reference, year=year)
    return [
        pd.DataFrame(
            {
                "sector": d["sector"].to_numpy(),
                "variable": "enterprises",
                "measure": m,
                "value": d[m].to_numpy(dtype=float),
                "note": d["note"].to_numpy(dtype=object),
            }
        )
        for m in MEASURES
    ]


def _long_rows(frames: dict[str, pd.DataFrame], secs: list[str], var: str) -> list[pd.DataFrame]:
    """The measures of ``_SOURCES`` as one long frame ``sector, variable, measure, value, note``, in the
    order of ``_SOURCES`` (each source frame is filtered to ``secs`` once, not once per measure)."""
    picked = {}
    for src in dict.fromkeys(src for src, _ in _SOURCES.values()):
        f = frames[src]
        picked[src] = f[f["sector"].isin(secs)].drop_duplicates("sector")
    parts = [(measure, picked[src], col) for measure, (src, col) in _SOURCES.items()]
    return [
        pd.DataFrame(
            {
                "sector": np.concatenate([f["sector"].to_numpy(dtype=object) for _, f, _ in parts]),
                "variable": var,
                "measure": np.repeat(
                    np.array([m for m, _, _ in parts], dtype=object), [len(f) for _, f, _ in parts]
                ),
                "value": np.concatenate([f[col].to_numpy(dtype=float) for _, f, col in parts]),
                "note": np.concatenate(
                    [f["note"].fillna("").to_numpy(dtype=object) for _, f, _ in parts]
                ),
            }
        )
    ]


#: Columns of the period frames that only need the end year (kept); every other number is missing.
_END_YEAR_COLUMNS = {"value_end", "lq_end", "share_end"}


def _one_year_frames(panel: Panel, year: int, reference: str, kw: dict) -> dict[str, pd.DataFrame]:
    """Level, share and LQ of the one year; growth, LQ trend and shift-share missing with a note.

    The period frames keep the measures' own columns (the reports read them): they are computed over a
    placeholder start year (a copy of ``year``), then every number that needs a start is blanked.
    """
    from speerpunt.measures import growth, location_quotient, lq_trend, shift_share

    lq = location_quotient(panel, year=year, reference=reference, **kw)
    copy = panel.data[panel.data["year"] == year].assign(year=year - 1)
    twin = Panel._trusted(pd.concat([copy, panel.data], ignore_index=True), panel.meta)
    period = {"start": year - 1, "end": year}
    frames = {
        "lq": lq,
        "lq_start": lq,
        "growth": growth(twin, **period, **kw),
        "lq_trend": lq_trend(twin, **period, reference=reference, **kw),
        "shift_share": shift_share(twin, **period, reference=reference, **kw),
    }
    note = f"one year of data ({year}): no growth period"
    for name in ("growth", "lq_trend", "shift_share"):
        f = frames[name].copy()
        for col in f.columns:
            if col in _END_YEAR_COLUMNS or col in ("region", "reference", "sector", "variable"):
                continue
            if col in ("start", "end"):
                f[col] = year
            elif col == "trend":
                f[col] = ""
            elif col == "note":
                f[col] = note
            elif pd.api.types.is_numeric_dtype(f[col]):
                f[col] = float("nan")
        frames[name] = f
    return frames


def reference_growth(metrics: SectorMetrics, variable: str) -> float:
    """The reference's total growth over the period, as the shift-share computed it (``G``)."""
    ss = metrics.frames[variable]["shift_share"]
    g = ss["reference_growth"].dropna()
    return float(g.iloc[0]) if len(g) else float("nan")
