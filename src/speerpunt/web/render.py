"""Jinja2 rendering with the per-request context (user, language, CSRF token, navigation)."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from speerpunt.i18n import (
    available,
    fmt_number,
    fmt_percent,
    gettext,
    has,
    region_name,
    sector_name,
    variable_name,
)
from speerpunt.i18n.names import is_policy_sector
from speerpunt.i18n.notes import note_text
from speerpunt.web.selection import carried

ENV = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html", "svg"]),
    trim_blocks=True,
    lstrip_blocks=True,
)

NAV = [
    ("/", "home"),
    ("/region", "dashboard"),
    ("/sector", "sector"),
    ("/screening", "screening"),
    ("/similar", "similar"),
    ("/firms", "firms_page"),
    ("/registry", "registry"),
    ("/report", "report"),
    ("/upload", "upload"),
]


def note_html(note: str, lang: str) -> Markup:
    """A measure's note (English in the data) in ``lang``, part by part (:mod:`speerpunt.i18n.notes`);
    a part the notes catalogue does not know stays English and is marked ``lang="en"``.

    >>> str(note_html("reference value missing; odd thing", "nl"))
    'referentiewaarde ontbreekt; <span lang="en">odd thing</span>'
    """
    out = []
    for part in note.split("; "):
        done = note_text(part, lang)
        known = lang == "en" or done != part
        out.append(Markup.escape(done) if known else Markup('<span lang="en">%s</span>') % part)
    return Markup("; ").join(out)


def page_context(request: Request) -> dict:
    lang = request.state.lang
    user = request.state.user

    def t(key: str, **kw: object) -> str:
        return gettext(lang, key, **kw)

    def url(path: str, **params: object) -> str:
        clean = {k: v for k, v in params.items() if v is not None and v != ""}
        return path + ("?" + urlencode(clean) if clean else "")

    def link(path: str, **changes: object) -> str:
        """``path`` with the user's selection (and ``changes``): every menu item and page link."""
        return url(path, **{**carried(request), **changes})

    def word(prefix: str, value: object) -> str:
        """The catalogue's word for a code (``word('spec', 'gini')``), or the code itself."""
        key = f"{prefix}_{value}"
        return gettext(lang, key) if has(lang, key) else str(value)

    def lang_url(code: str) -> str:
        params = dict(request.query_params)
        params["lang"] = code
        return request.url.path + "?" + urlencode(params)

    return {
        "request": request,
        "lang": lang,
        "user": user,
        "csrf": request.state.csrf,
        "csrf_field": Markup(
            f'<input type="hidden" name="csrf_token" value="{request.state.csrf}">'
        ),
        "t": t,
        "url": url,
        "link": link,
        "word": word,
        "lang_url": lang_url,
        "langs": available(),
        "note": lambda n: note_html(str(n), lang),
        "num": lambda v, d=1: fmt_number(v, lang, d, fixed=True),
        "pct": lambda v, d=1: fmt_percent(v, lang, d),
        "sector_name": lambda c: sector_name(c, lang),
        # a NACE code is shown before its name; a policy sector's id is not (its label says it)
        "sector_code": lambda c: "" if is_policy_sector(str(c)) else c,
        "sector_pairs": lambda pairs: ", ".join(
            f"{sector_name(a, lang)} / {sector_name(b, lang)}" for a, b in pairs
        ),
        "region_name": lambda c: region_name(c, lang),
        "variable_name": lambda v: variable_name(v, lang),
        "nav": NAV,
        "path": request.url.path,
        **_pickers(request, lang),
    }


def _pickers(request: Request, lang: str) -> dict:
    """Named territories whose members the data have, and the named policy-sector sets, for the
    selection forms (a page without a selection gets none)."""
    sel = getattr(request.state, "selection", None)
    if sel is None:
        return {"territory_choices": [], "set_choices": [], "dataset_choices": []}
    from speerpunt.classify import named_sets, territories
    from speerpunt.io.datasets import dataset_entry, dataset_names

    ws = request.app.state.workspace
    have = set(ws.describe(sel.dataset)["regions"])
    t = territories()
    places = [
        (tid, name)
        for tid, name, members in zip(t["id"], t["name"], t["members"], strict=True)
        if tid not in have and set(members.split("+")) <= have
    ]
    sets = [(k, k) for k in named_sets()]
    return {
        "territory_choices": places,
        "set_choices": sets,
        # GDP and other TOTAL-only context data have no sector structure to analyse
        "dataset_choices": [
            d
            for d in dataset_names()
            if not dataset_entry(d).get("classification", "").startswith("TOTAL only")
        ],
        "default_dataset": ws.spec,
    }


def render(request: Request, template: str, status: int = 200, **ctx: object) -> HTMLResponse:
    context = page_context(request)
    context.update(ctx)
    html = ENV.get_template(template).render(**context)
    return HTMLResponse(html, status_code=status)


#: Statuses whose page has a title of its own (the others: "Error <status>").
ERROR_TITLES = {404: "err_404_title", 405: "err_405_title"}


def render_error(request: Request, status: int, message: object) -> HTMLResponse:
    """The error page in the reader's language; ``message`` is a ``str`` or a
    :class:`speerpunt.web.errors.Message` (which marks text left in English)."""
    return render(
        request,
        "error.html",
        status=status,
        status_code=status,
        message=message,
        title_key=ERROR_TITLES.get(status),
    )
