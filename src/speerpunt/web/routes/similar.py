"""Similar regions (structure), specialisation indices and relatedness / complexity (S3 diversification)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from speerpunt.i18n import fmt_number, gettext
from speerpunt.web.deps import reader
from speerpunt.web.params import selection, table_or_json
from speerpunt.web.render import render

router = APIRouter(dependencies=[Depends(reader)])
METHODS = ("cosine", "krugman", "euclidean-loglq")


def _compute(request: Request, name: str, measure, *, reference: bool = False, **params):
    """The selection and ``measure`` on its data (cached) for the selected region, variable and end
    year, and with ``reference`` the selected reference region."""
    sel = selection(request)
    if reference:
        params["reference"] = sel.reference
    return sel, request.app.state.workspace.compute(
        sel.data, name, measure, region=sel.region, variable=sel.variable, year=sel.end, **params
    )


def _similar(request: Request, method: str):
    from speerpunt.measures.similarity import similar_regions

    return _compute(request, "similar", similar_regions, method=method, top=15)


def _diversification(request: Request):
    from speerpunt.measures.complexity import diversification

    return _compute(request, "diversification", diversification)


def _specialisation(request: Request):
    from speerpunt.measures.specialisation import specialisation

    return _compute(request, "specialisation", specialisation, reference=True)


def _s3_chart(div, lang: str):
    """The S3 diversification chart of the reports (relatedness density × complexity) for the page."""
    from speerpunt.report.charts import Chart
    from speerpunt.report.diversification_chart import diversification_chart
    from speerpunt.web.views import CHART_LOCK

    alt = f"{gettext(lang, 'density')} × PCI: " + ", ".join(
        f"{s} {fmt_number(d, lang, 2, fixed=True)} × {fmt_number(p, lang, 2, fixed=True)}"
        for s, d, p in zip(div["sector"], div["density"], div["pci"], strict=True)
    )
    with CHART_LOCK:
        chart = Chart("s3", diversification_chart(div, lang=lang), alt)
        html = chart.html()
        chart.close()
    return html


@router.get("/similar", include_in_schema=False)
def similar_page(
    request: Request, method: str = Query("cosine", pattern="^(cosine|krugman|euclidean-loglq)$")
) -> Response:
    sel, sim = _similar(request, method)
    _, div = _diversification(request)
    _, spec = _specialisation(request)
    lang = request.state.lang
    info = request.app.state.workspace.describe(sel.data)
    chart = request.app.state.workspace.memo(
        sel.data, "s3-chart", lambda: _s3_chart(div, lang), sel=sel.cache_key(), lang=lang
    )
    return render(
        request,
        "similar.html",
        selection=sel,
        info=info,
        data_info=info,
        similar=sim,
        method=method,
        methods=METHODS,
        diversification=div,
        specialisation=spec,
        chart=chart,
    )


@router.get("/api/similar", tags=["measures"])
def api_similar(
    request: Request,
    region: str | None = None,
    variable: str | None = None,
    end: int | None = None,
    data: str = "default",
    method: str = Query("cosine", pattern="^(cosine|krugman|euclidean-loglq)$"),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Regions with the most similar sector structure (cosine, Krugman or Euclidean log-LQ)."""
    sel, sim = _similar(request, method)
    return table_or_json(request, sim, f"similar-{sel.region}-{sel.end}")


@router.get("/api/relatedness", tags=["measures"])
def api_relatedness(
    request: Request,
    region: str | None = None,
    variable: str | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """RCA, presence, relatedness density, PCI and COG of the region's sectors (S3 diversification)."""
    sel, div = _diversification(request)
    return table_or_json(request, div, f"relatedness-{sel.region}-{sel.end}")


@router.get("/api/specialisation", tags=["measures"])
def api_specialisation(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    variable: str | None = None,
    end: int | None = None,
    data: str = "default",
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Specialisation indices of the region (Krugman, Hoover, Gini, Herfindahl, Theil, variety …)."""
    sel, spec = _specialisation(request)
    return table_or_json(request, spec, f"specialisation-{sel.region}-{sel.end}")
