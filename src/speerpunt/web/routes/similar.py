"""Similar regions (structure), specialisation indices and relatedness / complexity (S3 diversification)."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response

from speerpunt.i18n import fmt_number, gettext, sector_name
from speerpunt.web import svg
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
        sel.data,
        "s3-chart",
        lambda: svg.scatter(
            [
                {"label": sector_name(s, lang), "code": s, "x": d, "y": p, "size": v}
                for s, d, p, v in zip(
                    div["sector"], div["density"], div["pci"], div["value"], strict=True
                )
            ],
            title=f"{gettext(lang, 'density')} × {gettext(lang, 'complexity')} {sel.region} {sel.end}",
            desc=f"{gettext(lang, 'density')} (x), PCI (y)",
            xfmt=lambda v: fmt_number(v, lang, 2, fixed=True),
            yfmt=lambda v: fmt_number(v, lang, 2, fixed=True),
            xlabel=gettext(lang, "density"),
            ylabel="PCI",
            yref=0.0,
        ),
        sel=sel.cache_key(),
        lang=lang,
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
