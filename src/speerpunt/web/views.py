"""One function per page: build the page's data from library results (the same dict feeds HTML and JSON).

Charts are drawn by the reports' chart layer (:mod:`speerpunt.report.charts`, matplotlib's object API) and
cached with the results.
"""

from __future__ import annotations

import threading

import pandas as pd

from speerpunt.i18n import region_name, sector_name, sector_tag
from speerpunt.measures import index_series, indicators, location_quotient
from speerpunt.web.data import Workspace
from speerpunt.web.selection import Selection

TOP_SERIES = 6
#: The dashboard's charts show at most this many sectors (the largest); the table shows them all.
MAX_CHART_SECTORS = 40
#: matplotlib's rc settings are process-wide: one chart is drawn at a time (results are cached).
CHART_LOCK = threading.Lock()


def region_indicators(
    ws: Workspace, sel: Selection, regions: list[str] | None = None
) -> pd.DataFrame:
    """The indicator table of the selected region (or of ``regions``): level, share, growth, LQs,
    trend and shift-share per sector. With one year (``start == end``, e.g. the SBS 2014 data) only the
    end-year columns are filled: growth, trend and shift-share are missing, never zero."""
    if sel.start == sel.end:
        return ws.compute(
            sel.data,
            "indicators-one-year",
            _one_year_indicators,
            variable=sel.variable,
            year=sel.end,
            reference=sel.reference,
            regions=regions or [sel.region],
        )
    return ws.compute(
        sel.data,
        "indicators",
        indicators,
        variable=sel.variable,
        start=sel.start,
        end=sel.end,
        reference=sel.reference,
        regions=regions or [sel.region],
    )


def _one_year_indicators(panel, *, variable, year, reference, regions) -> pd.DataFrame:
    """:func:`indicators`' columns for a single year, from :func:`location_quotient` (TOTAL row kept)."""
    lq = location_quotient(
        panel, variable=variable, year=year, reference=reference, regions=regions
    )
    out = pd.DataFrame(
        {
            "region": lq["region"],
            "reference": lq["reference"],
            "sector": lq["sector"],
            "variable": variable,
            "start": year,
            "end": year,
            "value_start": float("nan"),
            "value_end": lq["value"],
            "share_start": float("nan"),
            "share_end": lq["share"],
            "growth": float("nan"),
            "cagr": float("nan"),
            "lq_start": float("nan"),
            "lq_end": lq["lq"],
            "lq_change": float("nan"),
            "lq_trend": "",
            "actual_change": float("nan"),
            "national_share": float("nan"),
            "industry_mix": float("nan"),
            "regional_shift": float("nan"),
            "note": lq["note"],
        }
    )
    totals = lq.groupby("region", sort=False)[["total"]].first().reset_index()
    total_rows = pd.DataFrame(
        {
            "region": totals["region"],
            "reference": lq["reference"].iloc[0] if len(lq) else reference,
            "sector": "TOTAL",
            "variable": variable,
            "start": year,
            "end": year,
            "value_end": totals["total"],
            "share_end": 1.0,
            "lq_end": 1.0,
            "lq_trend": "",
            "note": "",
        }
    )
    return pd.concat([out, total_rows], ignore_index=True).reindex(columns=out.columns)


def territory_members(ws: Workspace, sel: Selection) -> list[str]:
    """The data regions a territory of the selection sums (``BE21+BE22`` → BE21, BE22; RESOC Westhoek
    → its arrondissements), by the library's :func:`~speerpunt.classify.territories.members_of`;
    ``[]`` for a plain region of the data."""
    if not sel.source or sel.region in ws.describe(sel.source)["regions"]:
        return []
    from speerpunt.classify.territories import members_of

    return ws.memo(
        sel.source,
        "members",
        lambda: members_of(ws.panel(sel.source), sel.region_spec)[1],
        spec=sel.region_spec,
    )


def peer_regions(ws: Workspace, sel: Selection) -> list[str]:
    """Regions at the same NUTS depth as the selected one (code length), for maps and comparisons; for a
    territory, at its members' depth (a union of provinces is shown by its provinces)."""
    regions = ws.describe(sel.data)["regions"]
    members = territory_members(ws, sel)
    if members:
        like = members[0]
        same = [r for r in regions if len(r) == len(like) and r.isdigit() == like.isdigit()]
        return [sel.region, *same]
    peers = [r for r in regions if len(r) == len(sel.region)]
    if sel.reference in ("country", "rest"):
        # each peer against its own country: leave out rows without one in the data (EU28 totals)
        have = set(regions)
        peers = [r for r in peers if r == sel.region or r[:2] in have]
    return peers


def lq_table(ws: Workspace, sel: Selection, regions: list[str] | None) -> pd.DataFrame:
    """LQs of ``regions`` (every region for ``None``) in the end year, as ``speerpunt lq``."""
    return ws.compute(
        sel.data,
        "lq",
        location_quotient,
        variable=sel.variable,
        year=sel.end,
        reference=sel.reference,
        regions=regions,
    )


def lq_across(ws: Workspace, sel: Selection, sector: str | None = None) -> pd.DataFrame:
    """LQs of every peer region in the end year (against each region's own reference)."""
    lq = lq_table(ws, sel, peer_regions(ws, sel))
    return lq if sector is None else lq[lq["sector"] == sector]


def index_table(ws: Workspace, sel: Selection) -> pd.DataFrame:
    """Value and index (start year = 100) of every sector of the region, per year."""
    return ws.compute(
        sel.data,
        "index",
        index_series,
        variable=sel.variable,
        base_year=sel.start,
        regions=[sel.region],
    )


def key_numbers(ind: pd.DataFrame) -> dict:
    body = ind[ind["sector"] != "TOTAL"]
    total = ind[ind["sector"] == "TOTAL"].iloc[0] if (ind["sector"] == "TOTAL").any() else None
    by_lq = body.dropna(subset=["lq_end"]).sort_values("lq_end", ascending=False)
    by_size = body.dropna(subset=["value_end"]).sort_values("value_end", ascending=False)
    return {
        "total_end": None if total is None else total["value_end"],
        "total_growth": None if total is None else total["growth"],
        "specialised": [str(s) for s in by_lq.loc[by_lq["lq_end"] > 1, "sector"]],
        "top_lq": None
        if by_lq.empty
        else {"sector": by_lq.iloc[0]["sector"], "lq": by_lq.iloc[0]["lq_end"]},
        "largest": None
        if by_size.empty
        else {"sector": by_size.iloc[0]["sector"], "share": by_size.iloc[0]["share_end"]},
    }


def chosen_sectors(ind: pd.DataFrame, sel: Selection) -> pd.DataFrame:
    """The indicator rows of the selection's sectors (all when none are chosen), TOTAL kept."""
    if not sel.sectors:
        return ind
    return ind[ind["sector"].isin([*sel.sectors, "TOTAL"])].reset_index(drop=True)


def region_page(ws: Workspace, sel: Selection, lang: str) -> dict:
    ind = chosen_sectors(region_indicators(ws, sel), sel)
    kpis = key_numbers(ind)
    body = ind[ind["sector"] != "TOTAL"]
    charts = ws.memo(
        sel.data,
        "region-charts",
        lambda: _region_charts(ws, sel, lang, ind),
        sel=sel.cache_key(),
        lang=lang,
    )
    return {
        "selection": sel,
        "indicators": ind,
        "kpis": kpis,
        "charts": charts,
        "sectors": list(body["sector"]),
    }


def _region_charts(ws: Workspace, sel: Selection, lang: str, ind: pd.DataFrame) -> dict:
    """The dashboard's charts, drawn by the reports' chart layer (:mod:`speerpunt.report.charts`)."""
    from speerpunt.report.charts import index_chart, lq_chart, portfolio_chart, shift_share_chart

    body = ind[ind["sector"] != "TOTAL"]
    n_all = len(body)
    # a chart of a thousand NACE subclasses is unreadable and takes minutes: draw the largest ones
    body = body.nlargest(MAX_CHART_SECTORS, "value_end") if n_all > MAX_CHART_SECTORS else body
    body = body.sort_values("lq_end", ascending=False)
    names = {s: sector_name(s, lang) for s in ind["sector"]}
    short = {k: v if len(v) <= 32 else v[:31].rstrip() + "…" for k, v in names.items()}
    total = ind[ind["sector"] == "TOTAL"]
    # Dunn: the national share of the total is x_r0 · G, so G is the reference's growth.
    ref_growth = (
        float(total["national_share"].iloc[0] / total["value_start"].iloc[0])
        if len(total)
        else float("nan")
    )
    series = index_table(ws, sel)
    top = list(body.sort_values("value_end", ascending=False)["sector"][:TOP_SERIES])
    shown = series[series["sector"].isin(top + ["TOTAL"])]
    portfolio = pd.DataFrame(
        {
            "sector": body["sector"],
            "label": [sector_tag(s, lang) for s in body["sector"]],
            "lq": body["lq_end"],
            "growth": body["growth"],
            "level": body["value_end"],
            "selected": False,
        }
    )
    with CHART_LOCK:
        charts = [
            lq_chart(body.rename(columns={"lq_end": "lq"}), labels=short, lang=lang, year=sel.end),
            portfolio_chart(
                portfolio,
                reference_growth=ref_growth,
                lang=lang,
                start=sel.start,
                year=sel.end,
                legend=False,
                names=names,
            ),
            shift_share_chart(body, labels=short, lang=lang, start=sel.start, year=sel.end),
            index_chart(shown, labels=short, lang=lang, base_year=sel.start),
        ]
        html = [c.html() for c in charts]
        for c in charts:
            c.close()
    return {
        "lq": html[0],
        "portfolio": html[1],
        "shift": html[2],
        "timeseries": html[3],
        "series": shown,
        "limited": (len(body), n_all) if n_all > len(body) else None,
    }


MAP_MEASURES = ("lq", "growth")


def region_map(ws: Workspace, sel: Selection, lang: str, sector: str, measure: str) -> dict | None:
    """The choropleth of ``measure`` (LQ or growth) of ``sector`` over the peer regions, as GeoJSON."""
    from speerpunt.web.maps import choropleth

    def compute() -> dict | None:
        peers = region_indicators(ws, sel, peer_regions(ws, sel))
        rows = peers[peers["sector"] == sector].rename(columns={"lq_end": "lq"})
        return choropleth(rows, sel, lang, sector, measure, territory_members(ws, sel))

    return ws.memo(
        sel.data, "map", compute, sel=sel.cache_key(), lang=lang, sector=sector, measure=measure
    )


def sector_page(ws: Workspace, sel: Selection, sector: str, lang: str) -> dict:
    ind = region_indicators(ws, sel)
    row = ind[ind["sector"] == sector]
    across = lq_across(ws, sel, sector).sort_values("lq", ascending=False)
    chart = ws.memo(
        sel.data,
        "sector-chart",
        lambda: _regions_chart(across, sel, sector, lang),
        sel=sel.cache_key(),
        sector=sector,
        lang=lang,
    )
    return {
        "selection": sel,
        "sector": sector,
        "sheet": None if row.empty else row.iloc[0].to_dict(),
        "across": across,
        "chart": chart,
    }


def _regions_chart(across: pd.DataFrame, sel: Selection, sector: str, lang: str):
    from speerpunt.report.charts import lq_chart

    names = {r: f"{r} {region_name(r, lang)}" for r in across["region"]}
    with CHART_LOCK:
        chart = lq_chart(
            across,
            labels=names,
            lang=lang,
            year=sel.end,
            key="region",
            highlight=sel.region,
            name=f"lq-{sector}",
        )
        html = chart.html()
        chart.close()
    return html
