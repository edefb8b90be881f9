"""One function per page: build the page's data from library results (the same dict feeds HTML and JSON).

Charts are drawn by :mod:`speerpunt.web.svg` from these results and cached with them.
"""

from __future__ import annotations

import pandas as pd

from speerpunt.i18n import fmt_number, fmt_percent, gettext, region_name, sector_name
from speerpunt.measures import index_series, indicators, location_quotient
from speerpunt.web import svg
from speerpunt.web.data import Workspace
from speerpunt.web.selection import Selection

TOP_SERIES = 6


def region_indicators(
    ws: Workspace, sel: Selection, regions: list[str] | None = None
) -> pd.DataFrame:
    """The indicator table of the selected region (or of ``regions``): level, share, growth, LQs,
    trend and shift-share per sector."""
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


def peer_regions(ws: Workspace, sel: Selection) -> list[str]:
    """Regions at the same NUTS depth as the selected one (code length), for maps and comparisons."""
    regions = ws.describe(sel.data)["regions"]
    return [r for r in regions if len(r) == len(sel.region)]


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
    t = lambda k: gettext(lang, k)  # noqa: E731
    body = ind[ind["sector"] != "TOTAL"].sort_values("lq_end", ascending=False)
    rname = region_name(sel.region, lang)
    num2 = lambda v: fmt_number(v, lang, 2, fixed=True)  # noqa: E731
    pct = lambda v: fmt_percent(v, lang, 0)  # noqa: E731
    lq_bars = svg.bar_chart(
        [(sector_name(s, lang), v) for s, v in zip(body["sector"], body["lq_end"], strict=True)],
        title=f"{t('lq_long')} {rname} {sel.end}",
        desc=f"{t('lq')} {sel.end}; 1 = {t('reference')}",
        fmt=num2,
        reference=1.0,
    )
    total_row = ind[ind["sector"] == "TOTAL"]
    total_growth = float(total_row["growth"].iloc[0]) if len(total_row) else None
    portfolio = svg.scatter(
        [
            {"label": sector_name(s, lang), "code": s, "x": g, "y": q, "size": v}
            for s, g, q, v in zip(
                body["sector"], body["growth"], body["lq_end"], body["value_end"], strict=True
            )
        ],
        title=f"{t('portfolio')} {rname} {sel.start}–{sel.end}",
        desc=t("portfolio_desc"),
        xfmt=pct,
        yfmt=num2,
        xlabel=f"{t('growth')} {sel.start}–{sel.end}",
        ylabel=f"{t('lq')} {sel.end}",
        xref=total_growth,
        yref=1.0,
    )
    parts = ["national_share", "industry_mix", "regional_shift"]
    shift = svg.stacked_bars(
        [
            (sector_name(r["sector"], lang), [r[p] for p in parts])
            for r in body.sort_values("actual_change").to_dict("records")
        ],
        [t(p) for p in parts],
        title=f"{t('shift_share')} {rname} {sel.start}–{sel.end}",
        desc=f"{t('national_share')}, {t('industry_mix')}, {t('regional_shift')}",
        fmt=lambda v: fmt_number(v, lang, 1),
    )
    series = index_table(ws, sel)
    top = list(body.sort_values("value_end", ascending=False)["sector"][:TOP_SERIES])
    lines = [
        (sector_name(s, lang), list(zip(g["year"].astype(int), g["index"], strict=True)))
        for s in top + ["TOTAL"]
        for g in [series[series["sector"] == s]]
        if len(g)
    ]
    timeseries = svg.line_chart(
        lines,
        title=f"{t('timeseries')} {rname} ({sel.start} = 100)",
        desc=f"{t('timeseries')}: index {sel.start} = 100",
        fmt=lambda v: fmt_number(v, lang, 0),
        reference=100.0,
    )
    return {
        "lq": lq_bars,
        "portfolio": portfolio,
        "shift": shift,
        "timeseries": timeseries,
        "series": series[series["sector"].isin(top + ["TOTAL"])],
    }


MAP_MEASURES = ("lq", "growth")


def region_map(ws: Workspace, sel: Selection, lang: str, sector: str, measure: str) -> dict | None:
    """The choropleth of ``measure`` (LQ or growth) of ``sector`` over the peer regions, as GeoJSON."""
    from speerpunt.web.maps import choropleth

    def compute() -> dict | None:
        peers = region_indicators(ws, sel, peer_regions(ws, sel))
        rows = peers[peers["sector"] == sector].rename(columns={"lq_end": "lq"})
        return choropleth(rows, sel, lang, sector, measure)

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
        lambda: svg.bar_chart(
            [
                (f"{r} {region_name(r, lang)}", v)
                for r, v in zip(across["region"], across["lq"], strict=True)
            ],
            title=f"{gettext(lang, 'lq')} {sector_name(sector, lang)} {sel.end}",
            desc=gettext(lang, "regions_compared"),
            fmt=lambda v: fmt_number(v, lang, 2, fixed=True),
            reference=1.0,
            highlight=f"{sel.region} {region_name(sel.region, lang)}",
        ),
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
