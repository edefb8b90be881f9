"""Who may do what: dependencies for reading, role checks and record ownership."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated

from fastapi import Depends, HTTPException, Request

from speerpunt.web.accounts import RANK, User


def current_user(request: Request) -> User | None:
    return request.state.user


def reader(request: Request) -> User | None:
    """Reading is open when anonymous reading is on; otherwise any logged-in user may read."""
    user = request.state.user
    if user is None and not request.app.state.settings.anonymous_read:
        raise HTTPException(401, "log in to read")
    return user


def require(role: str) -> Callable[[Request], User]:
    """A dependency that returns the user when they have at least ``role`` (admin > editor > viewer)."""
    if role not in RANK:
        raise ValueError(role)

    def dependency(request: Request) -> User:
        user = request.state.user
        if user is None:
            raise HTTPException(401, "log in first")
        if not user.has_role(role):
            raise HTTPException(403, f"this needs the role '{role}'")
        return user

    dependency.required_role = role  # type: ignore[attr-defined]
    return dependency


def may_edit_actor(user: User, actor_id: str) -> bool:
    """Admins edit everything; editors only the actors assigned to them."""
    return user.role == "admin" or (user.role == "editor" and str(actor_id) in user.actors)


#: Route parameter types: the logged-in user with at least this role.
Viewer = Annotated[User, Depends(require("viewer"))]
Editor = Annotated[User, Depends(require("editor"))]
Admin = Annotated[User, Depends(require("admin"))]
