"""First start: registry seeded from the curated dataset, an initial admin account."""

from __future__ import annotations

import os
import secrets

from fastapi import FastAPI

ADMIN_ENV = "SPEERPUNT_ADMIN_PASSWORD"


def bootstrap(app: FastAPI, *, admin_name: str = "admin") -> dict:
    """Seed an empty database. Returns what was done: ``{"registry": bool, "admin": name or None,
    "password": the generated password or None}`` (a password read from the environment is not echoed)."""
    from speerpunt.web.registry_view import ensure_registry

    done = {"registry": ensure_registry(app), "admin": None, "password": None}
    accounts = app.state.accounts
    if accounts.count_users() == 0:
        password = os.environ.get(ADMIN_ENV)
        generated = not password
        if generated:
            password = secrets.token_urlsafe(12)
        accounts.create_user(admin_name, password, "admin", by="setup")
        done["admin"] = admin_name
        done["password"] = password if generated else None
    return done
