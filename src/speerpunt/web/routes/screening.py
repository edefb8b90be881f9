"""Screening workbench: thresholds → candidates, evidence and sensitivity; saved configurations; overrides.

Saving over an existing configuration needs the version the editor started from (optimistic concurrency):
a stale save is answered 409 with the current version, never a silent overwrite.
"""

from __future__ import annotations

import copy
from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from speerpunt.errors import ConfigError
from speerpunt.web import workbench
from speerpunt.web.accounts import User
from speerpunt.web.deps import Editor, reader
from speerpunt.web.params import records, selection, table_or_json
from speerpunt.web.render import render
from speerpunt.web.rules import show_rule
from speerpunt.web.selection import KEYS

router = APIRouter()


def _state(request: Request) -> tuple:
    sel = selection(request)
    mapping, name = workbench.mapping_from_request(request, request.app.state.accounts)
    return sel, mapping, name, workbench.run(request.app.state.workspace, sel, mapping)


@router.get("/screening", include_in_schema=False, dependencies=[Depends(reader)])
def screening_page(request: Request) -> Response:
    sel = selection(request)
    mapping, name = workbench.mapping_from_request(request, request.app.state.accounts)
    lang = request.state.lang
    ws = request.app.state.workspace
    info = ws.describe(sel.data)
    out, words = workbench.run_in_words(ws, sel, mapping, lang)
    # the saved configuration's version goes in the save form (optimistic concurrency)
    saved = request.app.state.accounts.config(name) if name else None
    criteria = [
        {
            "name": c,
            "title": words["titles"].get(c, c),
            "spec": spec,
            "kind": workbench.threshold_number(spec["threshold"])[0],
            "value": workbench.threshold_number(spec["threshold"])[1],
        }
        for c, spec in mapping["criteria"].items()
    ]
    return render(
        request,
        "screening.html",
        selection=sel,
        info=info,
        data_info=info,
        mapping=mapping,
        criteria=criteria,
        config_name=name,
        config_version=saved["version"] if saved else None,
        configs=request.app.state.accounts.configs(),
        table=words["table"],
        frame=out["frame"],
        details=words["details"],
        sensitivity=words["sensitivity"],
        sensitivity_error=out["sensitivity_error"],
        thresholds=words["thresholds"],
        rule_text=show_rule(mapping["rule"], mapping["criteria"], lang),
        query={
            k: v for k, v in request.query_params.items() if k not in ("format", "lang", "table")
        },
    )


@router.get("/api/screening", tags=["screening"], dependencies=[Depends(reader)])
def api_screening(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    start: int | None = None,
    end: int | None = None,
    config: str | None = None,
    rule: str | None = None,
    data: str = "default",
    table: str = Query("candidates", pattern="^(candidates|evidence|thresholds|sensitivity)$"),
    format: str = Query("json", pattern="^(json|csv)$"),
) -> Response:
    """Screen the region's sectors. Thresholds: ``th_<criterion>=<number>``, operators ``op_<criterion>``,
    ``rule``; ``config`` starts from a saved configuration. Returns candidates with reasons, the evidence
    per criterion, the thresholds that applied and the sensitivity summary; with ``format=csv`` the table
    named by ``table``."""
    sel, mapping, name, out = _state(request)
    tables = {
        "candidates": out["frame"],
        "evidence": out["result"].details,
        "thresholds": out["result"].thresholds,
        "sensitivity": out["sensitivity"],
    }
    extra = {
        "selection": sel.query(),
        "configuration": mapping,
        "selected": out["result"].selected,
        "evidence": records(tables["evidence"]),
        "thresholds": records(tables["thresholds"]),
        "sensitivity": records(tables["sensitivity"]),
        "sensitivity_error": out["sensitivity_error"],
    }
    return table_or_json(
        request,
        tables[table] if format == "csv" else out["frame"],
        f"screening-{table}-{sel.region}-{sel.end}",
        extra,
    )


@router.get("/api/screening/configs", tags=["screening"], dependencies=[Depends(reader)])
def api_configs(request: Request) -> JSONResponse:
    """Saved screening configurations."""
    return JSONResponse({"records": request.app.state.accounts.configs()})


class SaveConfig(BaseModel):
    name: str
    mapping: dict = Field(
        description="The screening YAML as a mapping (criteria, rule, overrides …)"
    )
    version: int | None = Field(
        None, description="The version you started from: needed to replace an existing one."
    )


class NewOverride(BaseModel):
    config: str
    sector: str
    action: str = Field(pattern="^(add|remove)$")
    justification: str
    version: int | None = Field(
        None,
        description="If given, the override is refused (409) unless the configuration is still at this version.",
    )


def _save(
    request: Request, name: str, mapping: dict, user: User, expected: int | None = None
) -> dict:
    import yaml

    from speerpunt.screening.config import parse_config

    parse_config(yaml.safe_dump(mapping, allow_unicode=True), source=name)  # refuse what cannot run
    return request.app.state.accounts.save_config(
        name, {"mapping": mapping}, by=user.username, expected_version=expected
    )


def _override(
    request: Request,
    config: str,
    sector: str,
    action: str,
    justification: str,
    user: User,
    version: int | None = None,
) -> dict:
    saved = request.app.state.accounts.config(config)
    mapping = copy.deepcopy(saved["mapping"]) if saved else workbench.default_mapping()
    if not justification.strip():
        raise ConfigError("an override needs a written justification", column="justification")
    overrides = [o for o in (mapping.get("overrides") or []) if o.get("sector") != sector]
    overrides.append(
        {
            "sector": sector,
            "action": action,
            "justification": justification.strip(),
            "author": user.username,
            "date": date.today().isoformat(),
        }
    )
    mapping["overrides"] = overrides
    # read-modify-write on the version just read: an override saved in between is not lost
    expected = version if version is not None else (saved["version"] if saved else None)
    return _save(request, config, mapping, user, expected)


@router.post("/api/screening/configs", tags=["screening"], status_code=201)
def api_save_config(request: Request, user: Editor, body: SaveConfig) -> JSONResponse:
    """Save a new named configuration, or replace one by sending the ``version`` you started from
    (editor); a stale version gives 409 with the current configuration."""
    return JSONResponse(
        _save(request, body.name, body.mapping, user, body.version), status_code=201
    )


@router.post("/api/screening/overrides", tags=["screening"], status_code=201)
def api_add_override(request: Request, user: Editor, body: NewOverride) -> JSONResponse:
    """Add an expert override with its justification to a saved configuration (editor)."""
    return JSONResponse(
        _override(
            request, body.config, body.sector, body.action, body.justification, user, body.version
        ),
        status_code=201,
    )


@router.post("/screening/save", include_in_schema=False)
async def save_form(request: Request, user: Editor, name: Annotated[str, Form()]) -> Response:
    form = await request.form()
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    base = (
        request.app.state.accounts.config(params.get("config", ""))
        if params.get("config")
        else None
    )
    mapping = workbench.apply_edits(
        copy.deepcopy(base["mapping"] if base else workbench.default_mapping()), params
    )
    started = params.get("version", "")
    same = params.get("config", "").strip() == name.strip() and started.isdigit()
    _save(request, name, mapping, user, int(started) if same else None)
    return RedirectResponse(_back(params, config=name), status_code=303)


@router.post("/screening/override", include_in_schema=False)
async def override_form(
    request: Request,
    user: Editor,
    config: Annotated[str, Form()],
    sector: Annotated[str, Form()],
    action: Annotated[str, Form()],
    justification: Annotated[str, Form()],
) -> Response:
    form = await request.form()
    _override(request, config, sector, action, justification, user)
    params = {k: v for k, v in form.items() if isinstance(v, str)}
    return RedirectResponse(_back(params, config=config), status_code=303)


def _back(params: dict, **changes: str) -> str:
    from urllib.parse import urlencode

    keep = {k: v for k, v in params.items() if k in KEYS and v}
    keep.update(changes)
    return "/screening?" + urlencode(keep)
