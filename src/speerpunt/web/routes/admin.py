"""User management and the audit log (admins only).

Assigned actors must be actors of the registry (by id): a name, a misspelling or an unknown id is refused
with a suggestion, and the form comes back with what the admin typed — otherwise an editor would be
silently locked out of her own records.
"""

from __future__ import annotations

import difflib
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, Field

from speerpunt.errors import ConfigError, SpeerpuntError, Text
from speerpunt.web.accounts import ROLES
from speerpunt.web.deps import Admin
from speerpunt.web.errors import error_message
from speerpunt.web.registry_view import audit_entries, registry, registry_actor_ids
from speerpunt.web.render import render

router = APIRouter()


class NewUser(BaseModel):
    username: str
    password: str
    role: str = "viewer"
    actors: list[str] = Field(default_factory=list)


class UserChange(BaseModel):
    role: str | None = None
    actors: list[str] | None = None
    password: str | None = None


def _actor_list(raw: str) -> list[str]:
    return [a.strip() for a in raw.replace("\n", ",").split(",") if a.strip()]


def known_actors(request: Request, actors: list[str]) -> list[str]:
    """``actors`` when every one is an actor id of the registry; otherwise a one-line error naming the
    first unknown one and the closest id (matched on ids, names and aliases)."""
    try:
        table = registry(request.app).actors()
    except SpeerpuntError:
        table = None
    ids = set() if table is None else set(table["id"].astype(str))
    for actor in actors:
        if actor in ids:
            continue
        if not ids:
            raise ConfigError(Text("err_no_actors_yet", actor=actor), column="actors")
        names = {str(i): str(i) for i in ids}
        for rec in table.to_dict("records"):
            names[str(rec["name"])] = str(rec["id"])
            for alias in rec.get("aliases") or []:
                names[str(alias)] = str(rec["id"])
        folded = {k.casefold(): v for k, v in names.items()}
        close = difflib.get_close_matches(actor.casefold(), list(folded), n=1, cutoff=0.6)
        hint = Text("err_did_you_mean", id=folded[close[0]]) if close else ""
        raise ConfigError(
            Text("err_not_actor_id", actor=actor, hint=hint, example=sorted(ids)[0]),
            column="actors",
        )
    return actors


def _users_page(request: Request, status: int = 200, **extra: object) -> Response:
    return render(
        request,
        "admin_users.html",
        status=status,
        users=request.app.state.accounts.users(),
        roles=ROLES,
        actor_ids=registry_actor_ids(request.app),
        **extra,
    )


@router.get("/admin/users", include_in_schema=False)
def users_page(request: Request, user: Admin) -> Response:
    return _users_page(request)


@router.post("/admin/users", include_in_schema=False)
def users_create(
    request: Request,
    user: Admin,
    username: Annotated[str, Form()],
    password: Annotated[str, Form()],
    role: Annotated[str, Form()] = "viewer",
    actors: Annotated[str, Form()] = "",
) -> Response:
    try:
        request.app.state.accounts.create_user(
            username, password, role, known_actors(request, _actor_list(actors)), by=user.username
        )
    except SpeerpuntError as exc:
        typed = {"username": username, "role": role, "actors": actors}
        return _users_page(
            request, 400, error=error_message(request.state.lang, exc), typed_new=typed
        )
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}", include_in_schema=False)
def users_update(
    request: Request,
    user: Admin,
    user_id: int,
    role: Annotated[str, Form()],
    actors: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    try:
        request.app.state.accounts.update_user(
            user_id,
            by=user.username,
            role=role,
            actors=known_actors(request, _actor_list(actors)),
            password=password or None,
        )
    except SpeerpuntError as exc:
        typed = {"id": user_id, "role": role, "actors": actors}
        return _users_page(
            request, 400, error=error_message(request.state.lang, exc), typed_edit=typed
        )
    return RedirectResponse("/admin/users", status_code=303)


@router.post("/admin/users/{user_id}/delete", include_in_schema=False)
def users_delete(request: Request, user: Admin, user_id: int) -> Response:
    request.app.state.accounts.delete_user(user_id, by=user.username)
    return RedirectResponse("/admin/users", status_code=303)


@router.get("/admin/audit", include_in_schema=False)
def audit_page(request: Request, user: Admin) -> Response:
    return render(request, "audit.html", entries=audit_entries(request.app))


# ---- API -----------------------------------------------------------------------------------
@router.get("/api/users", tags=["accounts"])
def api_users(request: Request, user: Admin) -> JSONResponse:
    """All users with role and assigned actors (admin)."""
    return JSONResponse({"records": [u.as_dict() for u in request.app.state.accounts.users()]})


@router.post("/api/users", tags=["accounts"], status_code=201)
def api_create_user(request: Request, user: Admin, body: NewUser) -> JSONResponse:
    """Create a user (admin)."""
    created = request.app.state.accounts.create_user(
        body.username,
        body.password,
        body.role,
        known_actors(request, body.actors),
        by=user.username,
    )
    return JSONResponse(created.as_dict(), status_code=201)


@router.patch("/api/users/{user_id}", tags=["accounts"])
def api_update_user(request: Request, user: Admin, user_id: int, body: UserChange) -> JSONResponse:
    """Change a user's role, assigned actors or password (admin)."""
    actors = None if body.actors is None else known_actors(request, body.actors)
    changed = request.app.state.accounts.update_user(
        user_id, by=user.username, role=body.role, actors=actors, password=body.password
    )
    return JSONResponse(changed.as_dict())


@router.delete("/api/users/{user_id}", tags=["accounts"])
def api_delete_user(request: Request, user: Admin, user_id: int) -> JSONResponse:
    """Delete a user (admin)."""
    request.app.state.accounts.delete_user(user_id, by=user.username)
    return JSONResponse({"deleted": user_id})


@router.get("/api/audit", tags=["accounts"])
def api_audit(request: Request, user: Admin) -> JSONResponse:
    """Every change: registry history and web-side changes (who, when, before, after)."""
    return JSONResponse({"records": audit_entries(request.app)})
