"""The app's routers. Pages render templates; ``/api/`` returns the same data as JSON (or CSV)."""

from __future__ import annotations

from fastapi import FastAPI


def include_all(app: FastAPI) -> None:
    from speerpunt.web.routes import (
        admin,
        analysis,
        auth,
        firms,
        registry,
        report,
        screening,
        similar,
        upload,
    )

    for module in (auth, admin, analysis, screening, similar, firms, registry, report, upload):
        app.include_router(module.router)
