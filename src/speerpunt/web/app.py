"""The FastAPI application: sessions, language, CSRF, errors, and the routers.

``create_app(settings)`` builds everything from :class:`~speerpunt.web.config.Settings`; the routers in
:mod:`speerpunt.web.routes` stay thin over the library.
"""

from __future__ import annotations

import os
from pathlib import Path

from fastapi import Depends, FastAPI, HTTPException, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from speerpunt.errors import SpeerpuntError
from speerpunt.i18n import gettext as translate
from speerpunt.web.accounts import Accounts, LoginLimiter, StaleConfig, make_engine
from speerpunt.web.config import Settings
from speerpunt.web.data import PageCache, Workspace
from speerpunt.web.errors import Message, error_message, localise, validation_message
from speerpunt.web.registry_view import StaleEdit
from speerpunt.web.render import render, render_error
from speerpunt.web.security import (
    CSRF_FIELD,
    CSRF_HEADER,
    UNSAFE_METHODS,
    csrf_valid,
    parse_proxies,
)
from speerpunt.web.selection import NeedsReference, SelectionProblem
from speerpunt.web.storage import ReportFiles, UploadStore

HERE = Path(__file__).parent


async def csrf_guard(request: Request) -> None:
    """Every state-changing request must carry the session's CSRF token (header or form field)."""
    if request.method not in UNSAFE_METHODS:
        return
    sent = request.headers.get(CSRF_HEADER)
    ctype = request.headers.get("content-type", "")
    if not sent and ctype.startswith(("application/x-www-form-urlencoded", "multipart/form-data")):
        limit = request.app.state.settings.max_upload_bytes + 64 * 1024
        if int(request.headers.get("content-length") or 0) > limit:
            raise HTTPException(413, "request too large")
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not csrf_valid(request.app.state.settings.secret_key, request.state.token, sent):
        raise HTTPException(403, "missing or invalid CSRF token")


def create_app(settings: Settings | None = None, *, workspace: Workspace | None = None) -> FastAPI:
    """Build the application (tables are created, nothing is seeded: see :func:`speerpunt.web.setup.bootstrap`)."""
    settings = settings or Settings.from_env()
    app = FastAPI(
        title="speerpunt",
        version="0.1.0",
        description="Regional smart-specialisation analysis: pages and a JSON API over the speerpunt library.",
        dependencies=[Depends(csrf_guard)],
        docs_url=None,
        redoc_url=None,
        openapi_url=None,  # served below, behind the same read permission as every page
    )
    engine = make_engine(settings.db_url)
    app.state.settings = settings
    app.state.engine = engine
    app.state.accounts = Accounts(engine, settings.session_hours)
    app.state.workspace = workspace or Workspace(settings.data)
    app.state.limiter = LoginLimiter(
        engine, settings.login_max_failures, settings.login_window_seconds
    )
    app.state.proxies = parse_proxies(settings.trusted_proxies)
    # Files on disk: expired reports and uploads from earlier runs are removed here, at start.
    root = Path(settings.files_root)
    app.state.reports = ReportFiles(root, settings.report_ttl_seconds)
    if app.state.workspace.uploads is None:
        app.state.workspace.uploads = UploadStore(
            root,
            ttl=settings.upload_ttl_seconds,
            max_count=settings.upload_max_count,
            quota_bytes=settings.upload_quota_bytes,
        )
    app.state.registry = None
    app.state.pages = PageCache()
    if settings.geo_dir:
        from speerpunt.web.maps import GEO_DIR

        GEO_DIR["path"] = settings.geo_dir
        # The reports' print maps read the same boundaries (speerpunt.geo.resolve_geo_dir).
        os.environ.setdefault("SPEERPUNT_GEO_DIR", settings.geo_dir)

    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    _install_middleware(app)
    _install_errors(app)

    from speerpunt.web.routes import include_all

    include_all(app)
    _install_openapi(app)
    return app


def _install_openapi(app: FastAPI) -> None:
    """``/openapi.json`` for whoever may read (so ``--login-to-read`` closes it too)."""
    from speerpunt.web.deps import reader

    @app.get("/openapi.json", include_in_schema=False, dependencies=[Depends(reader)])
    def openapi() -> JSONResponse:
        return JSONResponse(app.openapi())


def from_environment() -> FastAPI:
    """The app of one worker process (``uvicorn --factory``): settings from ``SPEERPUNT_*`` variables, the
    data loaded before the first request."""
    app = create_app(Settings.from_env())
    app.state.workspace.panel()
    return app


def _install_middleware(app: FastAPI) -> None:
    from speerpunt.web.middleware import WebMiddleware

    app.add_middleware(WebMiddleware, web=app)


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or "application/json" in request.headers.get(
        "accept", ""
    )


def _install_errors(app: FastAPI) -> None:
    @app.exception_handler(NeedsReference)
    async def needs_reference(request: Request, exc: NeedsReference):
        if _wants_json(request):
            return _error(request, 400, exc.one_line())
        sel = exc.selection
        keep = {k: v for k, v in request.query_params.items() if k != "reference"}
        keep.update({k: str(v) for k, v in sel.query().items() if k != "reference"})
        return render(
            request,
            "reference.html",
            selection=sel,
            keep=keep,
            problem=exc.one_line(),
            regions=request.app.state.workspace.describe(sel.data)["regions"],
        )

    @app.exception_handler(SelectionProblem)
    async def selection_problem(request: Request, exc: SelectionProblem):
        message = translate(request.state.lang, f"bad_{exc.part}", spec=exc.spec, detail=exc.detail)
        return _error(request, 400, message)

    @app.exception_handler(SpeerpuntError)
    async def speerpunt_error(request: Request, exc: SpeerpuntError):
        return _error(request, 400, exc.one_line(), error_message(request.state.lang, exc))

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if exc.status_code == 401 and not _wants_json(request):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/login?next={_quote(target)}", status_code=303)
        lang = request.state.lang
        if exc.status_code in (404, 405) and exc.detail in ("Not Found", "Method Not Allowed"):
            # the router's own answers: no route, or a route without this method
            key = f"err_{exc.status_code}"
            fields = {"path": request.url.path, "method": request.method}
            page = Message(translate(lang, key, **fields))
            response = _error(request, exc.status_code, translate("en", key, **fields), page)
        else:
            detail = str(exc.detail)
            response = _error(request, exc.status_code, detail, localise(lang, detail))
        response.headers.update(exc.headers or {})
        return response

    @app.exception_handler(StaleEdit)
    async def stale_edit(request: Request, exc: StaleEdit):
        message = translate(request.state.lang, "stale", current=exc.current["version"])
        if _wants_json(request):
            return JSONResponse(
                {"error": message, "status": 409, "current": exc.current}, status_code=409
            )
        return render_error(request, 409, message)

    @app.exception_handler(StaleConfig)
    async def stale_config(request: Request, exc: StaleConfig):
        if _wants_json(request):
            return JSONResponse(
                {"error": str(exc), "status": 409, "current": exc.current}, status_code=409
            )
        return render_error(request, 409, exc.text(request.state.lang))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError):
        errors = list(exc.errors())
        english = validation_message("en", errors)
        return _error(request, 422, str(english), validation_message(request.state.lang, errors))

    @app.exception_handler(Exception)
    async def server_error(request: Request, exc: Exception):
        # Starlette still logs the traceback and re-raises after this answer.
        lang = getattr(request.state, "lang", None)
        if lang is None:  # failed before the session was read: no page context to render with
            return PlainTextResponse(translate("en", "err_500"), status_code=500)
        return _error(request, 500, translate("en", "err_500"), Message(translate(lang, "err_500")))


def _error(request: Request, status: int, message: str, page: Message | None = None) -> Response:
    """JSON ``{"error": message}`` for the API (English, stable for programs), else an HTML page with
    ``page`` (the message in the reader's language) or ``message``."""
    if _wants_json(request):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render_error(request, status, page if page is not None else message)


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")


def all_routes(app: FastAPI) -> list[tuple[str, str, object]]:
    """Every (method, path, route) the app serves, including routes of included routers — so tests
    can enumerate them all (a new endpoint cannot escape the authorisation matrix)."""
    from fastapi.routing import APIRoute

    out: list[tuple[str, str, object]] = []

    def walk(routes, prefix: str = "") -> None:
        for r in routes:
            if isinstance(r, APIRoute):
                out.extend((m, prefix + r.path, r) for m in sorted(r.methods))
            elif hasattr(r, "original_router"):
                walk(r.original_router.routes, prefix + getattr(r.original_router, "prefix", ""))
            elif hasattr(r, "routes") and hasattr(r, "path") and not isinstance(r, StaticFiles):
                walk(r.routes, prefix + r.path)

    walk(app.routes)
    return out


def required_role(route) -> str | None:
    """The role a route's dependencies demand (see :func:`speerpunt.web.deps.require`), or None."""
    stack = (
        list(getattr(route, "dependant", None).dependencies) if hasattr(route, "dependant") else []
    )
    while stack:
        dep = stack.pop()
        role = getattr(dep.call, "required_role", None)
        if role:
            return role
        stack.extend(dep.dependencies)
    return None
