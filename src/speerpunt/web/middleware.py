"""One pure ASGI middleware for every request: session and user, CSRF token, language, security
headers, and the answer cache for anonymous readers of pure computations.

Pure ASGI (not ``BaseHTTPMiddleware``) because it runs on every request: cached pages are answered here
without entering the router, which keeps the dashboard fast under load.
"""

from __future__ import annotations

import re

from markupsafe import escape
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from speerpunt.web.i18n import pick_lang
from speerpunt.web.security import SESSION_COOKIE, csrf_token, new_token

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]
#: Pages and API answers that depend only on the URL and the language (pure computations on immutable
#: data): served from a cache, to anonymous readers as they are, to logged-in readers per view (role and
#: actors) with their own CSRF token and name put back in. Screening pages can change (saved
#: configurations), so they are cached under the configurations' version (below).
CACHEABLE = (
    "/region",
    "/sector",
    "/similar",
    "/api/lq",
    "/api/indicators",
    "/api/shift-share",
    "/api/lq-map",
    "/api/timeseries",
    "/api/sector",
    "/api/similar",
    "/api/relatedness",
    "/api/specialisation",
    "/api/meta",
)

#: Registry pages and API answers: they change when the registry does, so anonymous answers are cached
#: under the registry's data version too (read from the database per request, see web/cache.py); the
#: forms (new/edit) are never cached.
REGISTRY_CACHEABLE = ("/registry", "/api/registry")


#: The screening workbench and its API: they show the saved configurations, so their answers are cached
#: under the configurations' version (Accounts.configs_version, read from the database per request).
SCREENING_CACHEABLE = ("/screening", "/api/screening")


def _registry_cacheable(path: str) -> bool:
    return path.startswith(REGISTRY_CACHEABLE) and not (
        path.endswith("/edit") or path.startswith("/registry/new")
    )


# ---- logged-in readers: one rendering shared by every user who would see the same page ------------
#: What stands in a shared page for the two things that differ between users who see the same page:
#: the session's CSRF token and the name shown in the header (NUL bytes never occur in a rendered page).
CSRF_MARK = b"\x00csrf\x00"
NAME_MARK = b"\x00user\x00"


def _name_spot(name: bytes) -> bytes:
    """The header's user badge (base.html) with ``name`` in it: the only place a shared page names its
    reader."""
    return b'data-testid="user">' + name + b" <small>"


def user_view(user) -> tuple:
    """Everything a cacheable page's content may depend on about its reader: the role (menus, edit
    links) and the assigned actors (the "edit" badges of the registry). Users with the same view share
    one rendering."""
    return (user.role, tuple(user.actors))


def shareable(body: bytes, csrf: str, name: str) -> bytes | None:
    """``body`` with the reader's CSRF token and name replaced by marks, or None when the reader's name
    is still somewhere else in it (the page would not be the same for another reader: never shared).

    >>> shareable(b'<b data-testid="user">ann <small>x</small></b><i>tok</i>', "tok", "ann")
    b'<b data-testid="user">\\x00user\\x00 <small>x</small></b><i>\\x00csrf\\x00</i>'
    >>> shareable(b'<b data-testid="user">ann <small></small></b> by ann', "tok", "ann") is None
    True
    """
    shown = str(escape(name)).encode()
    out = body.replace(csrf.encode(), CSRF_MARK).replace(_name_spot(shown), _name_spot(NAME_MARK))
    if re.search(rb"(?<![\w.@-])" + re.escape(shown) + rb"(?![\w.@-])", out):
        return None
    return out


def personal(template: bytes, csrf: str, name: str) -> bytes:
    """A shared page for one reader: their CSRF token and name put back in."""
    shown = str(escape(name)).encode()
    return template.replace(CSRF_MARK, csrf.encode()).replace(NAME_MARK, shown)


def _cookie(
    name: str, value: str, *, secure: bool, http_only: bool = True, max_age: int | None = None
) -> bytes:
    parts = [f"{name}={value}", "Path=/", "SameSite=lax"]
    if http_only:
        parts.append("HttpOnly")
    if secure:
        parts.append("Secure")
    if max_age is not None:
        parts.append(f"Max-Age={max_age}")
    return "; ".join(parts).encode()


class WebMiddleware:
    def __init__(self, app: ASGIApp, web) -> None:
        self.app = app
        self.web = web  # the FastAPI app (its state: settings, accounts, page cache)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        state = self.web.state
        settings = state.settings
        request = Request(scope)
        token = request.cookies.get(SESSION_COOKIE)
        fresh = token is None or len(token) > 100
        if fresh:
            token = new_token()
            user = None
        else:
            user = state.accounts.cached_user(token)
            if user is False:
                user = await run_in_threadpool(state.accounts.user_for, token)
        qlang = request.query_params.get("lang")
        lang = pick_lang(
            qlang, request.cookies.get("sp_lang"), request.headers.get("accept-language")
        )
        st = scope.setdefault("state", {})
        st.update(token=token, user=user, csrf=csrf_token(settings.secret_key, token), lang=lang)

        extra: list[tuple[bytes, bytes]] = list(SECURITY_HEADERS)
        if qlang == lang:
            extra.append(
                (
                    b"set-cookie",
                    _cookie(
                        "sp_lang",
                        lang,
                        secure=settings.secure_cookies,
                        http_only=False,
                        max_age=365 * 86400,
                    ),
                )
            )

        def session_cookie() -> list[tuple[bytes, bytes]]:
            new = st.get("new_token")
            if fresh or new:
                return [
                    (
                        b"set-cookie",
                        _cookie(SESSION_COOKIE, new or token, secure=settings.secure_cookies),
                    )
                ]
            return []

        key = None
        path = scope["path"]
        if scope["method"] == "GET":
            # anonymous readers share pages as they are; logged-in readers with the same view share
            # one rendering with their CSRF token and name put back in (see shareable/personal)
            view = ("anonymous",) if user is None else ("user", *user_view(user))
            if path == "/" or path.startswith(CACHEABLE):
                key = (path, scope.get("query_string", b""), lang, view)
            elif _registry_cacheable(path):
                from speerpunt.web.cache import registry_version

                version = await run_in_threadpool(registry_version, self.web)
                key = (path, scope.get("query_string", b""), lang, view, "registry", version)
            elif path.startswith(SCREENING_CACHEABLE):
                version = await run_in_threadpool(state.accounts.configs_version)
                key = (path, scope.get("query_string", b""), lang, view, "screening", version)
        if key is not None:
            hit = state.pages.get(key)
            if hit is not None:
                body, headers = hit
                if user is not None:
                    body = personal(body, st["csrf"], user.username)
                length = [(b"content-length", str(len(body)).encode())]
                await send(
                    {
                        "type": "http.response.start",
                        "status": 200,
                        "headers": headers + length + extra + session_cookie(),
                    }
                )
                await send({"type": "http.response.body", "body": body})
                return

        captured: dict = {"status": None, "headers": None, "body": []}

        async def wrapped(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(raw=list(message["headers"]))
                captured["status"] = message["status"]
                captured["headers"] = [
                    (k, v) for k, v in headers.raw if k not in (b"content-length",)
                ]
                for k, v in extra + session_cookie():
                    if k == b"set-cookie" or k not in {h for h, _ in headers.raw}:
                        headers.append(k.decode(), v.decode())
                message["headers"] = headers.raw
            elif message["type"] == "http.response.body" and key and captured["status"] == 200:
                captured["body"].append(message.get("body", b""))
                if not message.get("more_body", False):
                    headers = [(k, v) for k, v in captured["headers"] if k != b"set-cookie"]
                    body = b"".join(captured["body"])
                    if user is not None:
                        body = shareable(body, st["csrf"], user.username)
                    if body is not None:
                        state.pages.put(key, (body, headers))
            await send(message)

        await self.app(scope, receive, wrapped)
