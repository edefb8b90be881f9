"""Home, region dashboard and sector pages, and their API: LQ, indicators, shift-share, map, series."""

from __future__ import annotations

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response

from speerpunt.errors import MeasureError
from speerpunt.measures import shift_share
from speerpunt.web import views
from speerpunt.web.deps import reader
from speerpunt.web.params import csv_links, records, selection, table_or_json
from speerpunt.web.render import render

router = APIRouter(dependencies=[Depends(reader)])


def _choices(request: Request) -> dict:
    sel = selection(request)
    info = request.app.state.workspace.describe(sel.data)
    return {"selection": sel, "info": info, "data_info": info}


def _map_sector(request: Request, sector: str | None, sectors: list[str], kpis: dict) -> str | None:
    """The map's sector: the one asked for, else the most specialised one, else the first."""
    if sector in sectors:
        return sector
    top = (kpis.get("top_lq") or {}).get("sector")
    return top if top in sectors else (sectors[0] if sectors else None)


# ---- pages ---------------------------------------------------------------------------------
@router.get("/", include_in_schema=False)
def home(request: Request) -> Response:
    return render(request, "home.html", **_choices(request))


@router.get("/region", include_in_schema=False)
def region(
    request: Request,
    sector: str | None = None,
    measure: str = Query("lq", pattern="^(lq|growth)$"),
) -> Response:
    ctx = _choices(request)
    sel = ctx["selection"]
    page = views.region_page(request.app.state.workspace, sel, request.state.lang)
    map_sector = _map_sector(request, sector, page["sectors"], page["kpis"])
    return render(
        request,
        "region.html",
        **{**ctx, **page},
        map_sector=map_sector,
        measure=measure,
        sector_choices=[
            s
            for s in views.region_indicators(request.app.state.workspace, sel)["sector"]
            if s != "TOTAL"
        ],
        measures=views.MAP_MEASURES,
        csv_url=csv_links(request, "/api/indicators", **sel.query()),
    )


@router.get("/sector", include_in_schema=False)
def sector(request: Request, sector: str | None = None) -> Response:
    ctx = _choices(request)
    sel = ctx["selection"]
    ind = views.region_indicators(request.app.state.workspace, sel)
    codes = [s for s in ind["sector"] if s != "TOTAL"]
    chosen = sector if sector in codes else codes[0]
    page = views.sector_page(request.app.state.workspace, sel, chosen, request.state.lang)
    return render(
        request,
        "sector.html",
        **{**ctx, **page},
        sector_codes=codes,
        csv_url=csv_links(request, "/api/sector", **sel.query(sector=chosen)),
    )


# ---- API -----------------------------------------------------------------------------------
@router.get("/api/meta", tags=["data"])
def api_meta(request: Request, data: str = "default") -> JSONResponse:
    """Regions, sectors, years and variables of the data set (``data``: ``default`` or an upload key)."""
    return JSONResponse(request.app.state.workspace.describe(data))


@router.get("/api/lq", tags=["measures"])
def api_lq(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    year: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Location quotients of one region (all regions when ``region`` is empty) for one year:
    the same rows as ``speerpunt lq``."""
    sel = selection(request)
    df = views.lq_table(request.app.state.workspace, sel, [region] if region else None)
    return table_or_json(request, df, f"lq-{region or 'all'}-{sel.end}")


@router.get("/api/indicators", tags=["measures"])
def api_indicators(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    start: int | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """The region dashboard's sector table: level, share, growth, LQ at both years, trend, shift-share."""
    sel = selection(request)
    df = views.region_indicators(request.app.state.workspace, sel)
    kpis = views.key_numbers(df)
    return table_or_json(
        request,
        df,
        f"indicators-{sel.region}-{sel.start}-{sel.end}",
        {"selection": sel.query(), "key_numbers": kpis},
    )


@router.get("/api/shift-share", tags=["measures"])
def api_shift_share(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    start: int | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Dunn shift-share of the region: one row per sector and a TOTAL row."""
    sel = selection(request)
    df = request.app.state.workspace.compute(
        sel.data,
        "shift_share",
        shift_share,
        variable=sel.variable,
        start=sel.start,
        end=sel.end,
        reference=sel.reference,
        regions=[sel.region],
    )
    return table_or_json(request, df, f"shift-share-{sel.region}-{sel.start}-{sel.end}")


@router.get("/api/lq-map", tags=["measures"])
def api_lq_map(
    request: Request,
    sector: str,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    year: int | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """LQ of one sector in every region at the selected region's NUTS level (the choropleth's data)."""
    sel = selection(request)
    df = views.lq_across(request.app.state.workspace, sel, sector)
    return table_or_json(request, df, f"lq-map-{sector}-{sel.end}")


@router.get("/api/map", tags=["measures"])
def api_map(
    request: Request,
    sector: str,
    measure: str = Query("lq", pattern="^(lq|growth)$"),
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    start: int | None = None,
    end: int | None = None,
    data: str = "default",
) -> Response:
    """GeoJSON of the choropleth: the regions at the selected region's NUTS level with the sector's LQ
    (end year) or growth (start–end), each with its tooltip, fill colour and link; ``legend`` has the
    colour steps. 404 when no boundaries are configured (``speerpunt serve --geo-dir``)."""
    sel = selection(request)
    codes = views.region_indicators(request.app.state.workspace, sel)["sector"]
    if sector not in set(codes) - {"TOTAL"}:
        raise MeasureError(f"sector '{sector}' is not among the region's sectors", column="sector")
    geo = views.region_map(request.app.state.workspace, sel, request.state.lang, sector, measure)
    if geo is None:
        raise HTTPException(
            404, "no boundaries for these regions (start the server with --geo-dir)"
        )
    return JSONResponse(geo, media_type="application/geo+json")


@router.get("/api/timeseries", tags=["measures"])
def api_timeseries(
    request: Request,
    region: str | None = None,
    variable: str | None = None,
    start: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Value and index (start year = 100) of every sector of the region, per year."""
    sel = selection(request)
    df = views.index_table(request.app.state.workspace, sel)
    return table_or_json(request, df, f"timeseries-{sel.region}")


@router.get("/api/sector", tags=["measures"])
def api_sector(
    request: Request,
    sector: str,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    start: int | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """One sector: the selected region's key figures and LQs across regions (the sector page)."""
    sel = selection(request)
    page = views.sector_page(request.app.state.workspace, sel, sector, request.state.lang)
    sheet = page["sheet"]
    return table_or_json(
        request,
        page["across"],
        f"sector-{sector}-{sel.end}",
        {"sector": sector, "key_figures": records_one(sheet)},
    )


def records_one(row: dict | None) -> dict | None:
    if row is None:
        return None
    import pandas as pd

    return records(pd.DataFrame([row]))[0]
