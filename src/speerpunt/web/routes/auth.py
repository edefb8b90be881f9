"""Log in and out. Login is rate limited per client address and per normalised user name."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from speerpunt.web.deps import Viewer
from speerpunt.web.i18n import translate
from speerpunt.web.render import render
from speerpunt.web.security import client_address, new_token

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only same-site paths: never redirect to another host after login."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_page(request: Request, next: str = "/") -> Response:
    return render(request, "login.html", next=_safe_next(next))


@router.post("/login", tags=["accounts"])
async def login(
    request: Request, username: str = Form(...), password: str = Form(...), next: str = Form("/")
) -> Response:
    """Check the password; on success open a fresh session (new cookie) and redirect to ``next``."""
    limiter = request.app.state.limiter
    client = client_address(
        request.client.host if request.client else None,
        request.headers.get("x-forwarded-for"),
        request.app.state.proxies,
    )
    lang = request.state.lang
    if await run_in_threadpool(limiter.blocked, client, username):
        return _login_failed(request, 429, translate(lang, "login_blocked"), username, next)
    user = await run_in_threadpool(request.app.state.accounts.authenticate, username, password)
    if user is None:
        await run_in_threadpool(limiter.failed, client, username)
        return _login_failed(request, 401, translate(lang, "login_failed"), username, next)
    await run_in_threadpool(limiter.succeeded, username)
    token = new_token()
    await run_in_threadpool(request.app.state.accounts.open_session, user, token)
    request.state.new_token = token
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"user": user.as_dict()})
    return RedirectResponse(_safe_next(next), status_code=303)


def _login_failed(
    request: Request, status: int, message: str, username: str, next: str
) -> Response:
    if "application/json" in request.headers.get("accept", ""):
        return JSONResponse({"error": message, "status": status}, status_code=status)
    return render(
        request,
        "login.html",
        status=status,
        error=message,
        username=username,
        next=_safe_next(next),
    )


@router.post("/logout", tags=["accounts"])
def logout(request: Request, user: Viewer) -> Response:
    """Close the session of the logged-in user."""
    request.app.state.accounts.close_session(request.state.token)
    request.state.new_token = new_token()
    return RedirectResponse("/", status_code=303)
