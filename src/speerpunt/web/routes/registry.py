"""Registry: actors, their spearheads, the actor × sector matrix, overlaps, maps, and record editing.

Reading follows the app's read policy; editing needs an editor assigned to the record's actor (or an
admin), the CSRF token and the version the user loaded (a stale version gives 409).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from markupsafe import Markup
from pydantic import BaseModel, Field

from speerpunt.errors import RegistryError, Text
from speerpunt.i18n import gettext
from speerpunt.registry.models import MODELS
from speerpunt.web import registry_view as rv
from speerpunt.web.cache import registry_data
from speerpunt.web.deps import Editor, may_edit_actor, reader
from speerpunt.web.i18n import translate
from speerpunt.web.params import records, table_or_json
from speerpunt.web.registry_maps import registry_layer
from speerpunt.web.render import ENV, render

router = APIRouter()
read = [Depends(reader)]
KINDS = tuple(MODELS)


def _frames(request: Request) -> tuple:
    reg = rv.registry(request.app)
    return reg, reg.actors(), reg.selections()


def matrix(selections, actors):
    """Actor × sector cross-tab of the registry's selections (counts of labels)."""
    tab = selections.groupby(["actor", "sector"]).size().unstack(fill_value=0)
    tab = tab.reindex(index=[a for a in actors["id"] if a in tab.index])
    return tab


def overlaps(selections):
    """Sectors chosen by more than one actor of the same province: who, and with which labels."""
    g = selections.groupby(["actor_province", "sector"])
    out = g.agg(
        actors=("actor", lambda s: sorted(set(s))), labels=("label", lambda s: sorted(set(s)))
    )
    out["n_actors"] = out["actors"].map(len)
    return (
        out[out["n_actors"] > 1]
        .reset_index()
        .sort_values(["actor_province", "n_actors"], ascending=[True, False])
    )


# ---- pages ---------------------------------------------------------------------------------
@router.get("/registry", include_in_schema=False, dependencies=read)
def registry_page(request: Request) -> Response:
    def compute() -> dict:
        reg, actors, sels = _frames(request)
        return {
            "actors": actors.to_dict("records"),
            "counts": sels.groupby("actor").size().to_dict(),
            "sectors": reg.records("sectors").to_dict("records"),
        }

    return render(request, "registry.html", **registry_data(request, "registry", compute))


@router.get("/registry/actors/{actor_id}", include_in_schema=False, dependencies=read)
def actor_page(request: Request, actor_id: str) -> Response:
    reg = rv.registry(request.app)
    actor = reg.get("actors", actor_id)
    user = request.state.user
    return render(
        request,
        "actor.html",
        actor=actor,
        selections=reg.selections(actor=actor_id).to_dict("records"),
        features=reg.features(actor=actor_id).to_dict("records"),
        can_edit=bool(user and may_edit_actor(user, actor_id)),
        **rv.scorecard_context(reg, actor_id, request.state.lang),
    )


@router.get("/registry/actors/{actor_id}/scorecard.svg", include_in_schema=False, dependencies=read)
def scorecard_chart_svg(request: Request, actor_id: str) -> Response:
    reg = rv.registry(request.app)
    svg = rv.scorecard_svg(reg, actor_id, request.state.lang)
    return Response(svg, media_type="image/svg+xml")


@router.get("/registry/matrix", include_in_schema=False, dependencies=read)
def matrix_page(request: Request) -> Response:
    lang = request.state.lang

    def compute() -> dict:
        from speerpunt.registry.doubt import doubtful_pairs

        reg, actors, sels = _frames(request)
        sectors = reg.records("sectors").set_index("id")
        tab = matrix(sels, actors)
        labels = sectors[lang].to_dict() if lang in sectors else {}
        # the big table as HTML once per version and language: its ~2,000 cells are most of the page's cost
        table = ENV.get_template("_matrix_table.html").render(
            t=lambda key, **kw: gettext(lang, key, **kw),
            columns=list(tab.columns),
            rows=[
                (actor, [int(v) for v in row])
                for actor, row in zip(tab.index, tab.to_numpy(), strict=True)
            ],
            shaky={(r.actor, r.sector): r.ambiguity for r in doubtful_pairs(sels).itertuples()},
            names=actors.set_index("id")["name"].to_dict(),
            sector_labels=labels,
        )
        return {
            "table": Markup(table),
            "sector_labels": labels,
            "overlaps": overlaps(sels).to_dict("records"),
        }

    return render(request, "matrix.html", **registry_data(request, "matrix", compute))


@router.get("/registry/map", include_in_schema=False, dependencies=read)
def map_page(request: Request, province: str = "prov-antwerpen", sector: str = "") -> Response:
    """The Leaflet map of one province (every sector, or one): it draws ``/api/registry/map``; the
    table below lists the same features for readers without the map."""

    def compute() -> dict:
        reg, actors, _ = _frames(request)
        layer, problem = _layer(request, province, sector)
        chosen = (province, sector)
        if layer is not None:  # the canonical ids, so the pickers show what the map shows
            chosen = (layer["properties"]["province"], layer["properties"]["sector"] or "")
        feats = layer["features"] if layer else []
        names = actors.set_index("id")["name"].to_dict()
        shown = sorted({a for f in feats for a in f["properties"]["actors"]})
        return {
            "provinces": actors[actors["type"] == "province"].to_dict("records"),
            "sectors": reg.records("sectors").to_dict("records"),
            "province": chosen[0],
            "sector": chosen[1],
            "layer": layer,
            "features": feats,
            "map_sectors": sorted(
                {(f["properties"]["sector"], f["properties"]["sector_label"]) for f in feats}
            ),
            "map_actors": [(a, names.get(a, a)) for a in shown],
            "problem": problem,
        }

    # the layer once per registry version, province, sector and language (logged-in readers too)
    page = registry_data(request, "map", compute, province=province, sector=sector)
    return render(request, "registry_map.html", **page)


def _layer(request: Request, province: str, sector: str) -> tuple:
    """The registry map's GeoJSON layer (or the problem), once per registry version and selection."""
    return registry_data(
        request,
        "layer",
        lambda: registry_layer(rv.registry(request.app), province, sector, request.state.lang),
        province=province,
        sector=sector,
    )


def _sector_page(request: Request, sector: str):
    """The sector policy page of the registry on the app's default panel (screening cached per sector)."""
    from speerpunt.registry.sector_policy import sector_policy

    reg = rv.registry(request.app)
    ws = request.app.state.workspace
    sid = reg.sector_id(sector)
    return ws.memo(
        "default",
        "registry-sector",
        lambda: sector_policy(reg, sid, panel=ws.panel()),
        sector=sid,
        version=reg.data_version(),
    )


@router.get("/registry/sectors", include_in_schema=False, dependencies=read)
def sector_choice(request: Request, sector: str = "logistics") -> Response:
    """The sector form's target: on to that sector's page (unknown sectors answer 400 there)."""
    from urllib.parse import quote

    return RedirectResponse(f"/registry/sectors/{quote(sector, safe='')}", status_code=303)


@router.get("/registry/sectors/{sector}", include_in_schema=False, dependencies=read)
def sector_policy_page(request: Request, sector: str) -> Response:
    reg = rv.registry(request.app)
    page = _sector_page(request, sector)
    return render(
        request,
        "registry_sector.html",
        page=page,
        sectors=reg.records("sectors").to_dict("records"),
        names=reg.actors().set_index("id")["name"].to_dict(),
        records=lambda df: df.astype(object).where(df.notna(), None).to_dict("records"),
        w=rv.SECTOR_WORDS["nl" if request.state.lang == "nl" else "en"],
    )


@router.get("/api/registry/sectors/{sector}", tags=["registry"], dependencies=read)
def api_sector_policy(request: Request, sector: str, part: str = "agreement") -> Response:
    """One part of a sector's policy page (statistics, choices, benchmark, features, instruments,
    projects, clusters, domains, recommendations, agreement) as JSON or CSV."""
    from speerpunt.registry.sector_policy import PARTS

    if part not in PARTS:
        raise RegistryError(
            Text("err_unknown_part", part=part, choices=", ".join(PARTS)), column="part"
        )
    df = getattr(_sector_page(request, sector), part)
    if request.query_params.get("format") == "csv":
        df = df.map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
    return table_or_json(request, df, f"registry-sector-{part}")


@router.get("/registry/new/{kind}", include_in_schema=False, dependencies=read)
def new_page(request: Request, kind: str) -> Response:
    user = request.state.user
    if user is None:
        return RedirectResponse(f"/login?next=/registry/new/{kind}", status_code=303)
    rv.check_new_kind(kind, request.state.lang, user)
    return _new_form(request, kind, {})


@router.post("/registry/new/{kind}", include_in_schema=False)
async def new_submit(request: Request, user: Editor, kind: str) -> Response:
    rv.check_new_kind(kind, request.state.lang, user)
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    values = {"id": form.get("id", "").strip() or None, **rv.changes_from_form(kind, form, {})}
    if not values["id"]:
        raise RegistryError(Text("err_record_needs_id"), column="id")
    rv.check_may_edit(user, kind, values, request.state.lang)
    record = rv.registry(request.app).add_record(kind, values, user=user.username)
    return RedirectResponse(f"/registry/{kind}/{record['id']}/edit", status_code=303)


def _new_form(request: Request, kind: str, record: dict) -> Response:
    return render(
        request,
        "edit.html",
        kind=kind,
        record=record,
        new=True,
        fields=rv.editable_fields(kind),
        value=rv.form_value,
        history=[],
    )


@router.get("/registry/{kind}/{record_id}/edit", include_in_schema=False, dependencies=read)
def edit_page(request: Request, kind: str, record_id: str) -> Response:
    reg = rv.registry(request.app)
    record = reg.get(kind, record_id)
    user = request.state.user
    if user is None:
        return RedirectResponse(f"/login?next=/registry/{kind}/{record_id}/edit", status_code=303)
    rv.check_may_edit(user, kind, record, request.state.lang)
    return _edit_form(request, kind, record_id, record)


@router.post("/registry/{kind}/{record_id}/edit", include_in_schema=False)
async def edit_submit(request: Request, user: Editor, kind: str, record_id: str) -> Response:
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    reg = rv.registry(request.app)
    record = reg.get(kind, record_id)
    rv.check_may_edit(user, kind, record, request.state.lang)
    changes = rv.changes_from_form(kind, form, record)
    try:
        version = int(form.get("version", "-1"))
    except ValueError:
        version = -1
    if changes:
        record = rv.update(request.app, user, kind, record_id, changes, version, request.state.lang)
    return _edit_form(
        request,
        kind,
        record_id,
        record,
        flash=f"{translate(request.state.lang, 'saved')} (v{record['version']})",
    )


def _edit_form(request: Request, kind: str, record_id: str, record: dict, **extra) -> Response:
    """The edit form of one record with its editable fields and history."""
    return render(
        request,
        "edit.html",
        kind=kind,
        record=record,
        fields=rv.editable_fields(kind),
        value=rv.form_value,
        history=rv.history_rows(request.app, kind, record_id),
        **extra,
    )


# ---- API -----------------------------------------------------------------------------------
class RecordChange(BaseModel):
    version: int = Field(description="The version the change is based on (optimistic locking)")
    changes: dict = Field(description="Field → new value")


@router.get("/api/registry/matrix", tags=["registry"], dependencies=read)
def api_matrix(request: Request, format: str = Query("json", pattern="^(json|csv)$")) -> Response:
    """Actor × sector matrix: number of spearhead labels per actor and canonical sector."""
    _, actors, sels = _frames(request)
    tab = matrix(sels, actors).reset_index()
    return table_or_json(request, tab, "actor-sector-matrix")


@router.get("/api/registry/overlaps", tags=["registry"], dependencies=read)
def api_overlaps(request: Request, format: str = Query("json", pattern="^(json|csv)$")) -> Response:
    """Sectors chosen by several actors of one province."""
    _, _, sels = _frames(request)
    df = overlaps(sels)
    if format == "csv":
        df = df.assign(actors=df["actors"].map("|".join), labels=df["labels"].map("|".join))
    return table_or_json(request, df, "overlaps")


@router.get("/api/registry/map", tags=["registry"], dependencies=read)
def api_map(request: Request, province: str = "prov-antwerpen", sector: str = "") -> JSONResponse:
    """GeoJSON of one province's registry map (one sector, or every sector when ``sector`` is empty):
    numbered points, zones and connections, each with its source, year, actors, location precision,
    style and doubt mark, and the province's boundaries in the foreign member ``boundaries``."""
    layer, problem = _layer(request, province, sector)
    if problem:
        raise RegistryError(problem)
    return JSONResponse(layer, media_type="application/geo+json")


@router.get("/api/registry/{kind}", tags=["registry"], dependencies=read)
def api_records(
    request: Request, kind: str, format: str = Query("json", pattern="^(json|csv)$")
) -> Response:
    """Every record of a kind (actors, selections, features, sectors, documents …) with its version."""
    if kind not in KINDS:
        raise RegistryError(
            Text("rg_unknown_kind", kind=kind, choices=", ".join(KINDS)), column="kind"
        )
    reg = rv.registry(request.app)
    df = reg.selections() if kind == "selections" else reg.records(kind)
    if format == "csv":
        df = df.map(lambda v: "|".join(map(str, v)) if isinstance(v, list) else v)
    return table_or_json(request, df, f"registry-{kind}")


@router.get("/api/registry/{kind}/{record_id}", tags=["registry"], dependencies=read)
def api_record(request: Request, kind: str, record_id: str) -> JSONResponse:
    """One record with its version and change history."""
    reg = rv.registry(request.app)
    return JSONResponse(
        {
            "record": reg.get(kind, record_id),
            "history": records(reg.history(kind, record_id).astype({"at": str})),
        }
    )


@router.patch("/api/registry/{kind}/{record_id}", tags=["registry"])
def api_update(
    request: Request, user: Editor, kind: str, record_id: str, body: RecordChange
) -> JSONResponse:
    """Change fields of a record (editor assigned to its actor, or admin). Send the ``version`` you read:
    if someone saved in between the answer is 409 with the current record."""
    return JSONResponse(
        rv.update(
            request.app, user, kind, record_id, body.changes, body.version, request.state.lang
        )
    )
