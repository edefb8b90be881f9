"""Report downloads for the current selection (HTML, PDF, XLSX), rendered by :mod:`speerpunt.report`."""

from __future__ import annotations

import tempfile
import threading
from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.concurrency import run_in_threadpool

from speerpunt.errors import SpeerpuntError
from speerpunt.web import workbench
from speerpunt.web.deps import reader
from speerpunt.web.params import selection
from speerpunt.web.render import render

router = APIRouter(dependencies=[Depends(reader)])
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_DIR = Path(tempfile.mkdtemp(prefix="speerpunt-reports-"))
_LOCK = threading.Lock()


@router.get("/report", include_in_schema=False)
def report_page(request: Request) -> Response:
    sel = selection(request)
    info = request.app.state.workspace.describe(sel.data)
    return render(
        request,
        "report.html",
        selection=sel,
        info=info,
        data_info=info,
        query={k: v for k, v in request.query_params.items() if k not in ("format", "lang")},
        formats=list(MEDIA),
    )


@router.get("/api/report", tags=["reports"])
async def api_report(
    request: Request,
    region: str | None = None,
    reference: str = "country",
    start: int | None = None,
    end: int | None = None,
    lang: str | None = None,
    config: str | None = None,
    data: str = "default",
    format: str = Query("html", pattern="^(html|pdf|xlsx)$"),
) -> Response:
    """The region's report for the current selection (and screening configuration) as a download."""
    sel = selection(request)
    language = lang if lang in ("nl", "en") else request.state.lang
    mapping, name = workbench.mapping_from_request(request, request.app.state.accounts)
    ws = request.app.state.workspace

    def build() -> Path:
        import yaml

        from speerpunt.report import write_report
        from speerpunt.screening.config import parse_config

        m = dict(mapping, year=sel.end, start=sel.start)
        cfg = parse_config(
            yaml.safe_dump(m, allow_unicode=True, sort_keys=False), source=name or "web"
        )
        stem = f"{sel.region}-{sel.start}-{sel.end}-{language}-{abs(hash((sel, repr(m)))) % 10**10}"
        out = _DIR / f"{stem}.{format}"
        with _LOCK:
            if not out.exists():
                tmp = _DIR / f"{stem}.part.{format}"
                write_report(
                    ws.panel(sel.data),
                    region=sel.region,
                    reference=sel.reference,
                    lang=language,
                    out=tmp,
                    config=cfg,
                )
                tmp.replace(out)
        return out

    path = await run_in_threadpool(build)
    if not path.exists():
        raise SpeerpuntError("the report could not be written")
    filename = f"speerpunt-{sel.region}-{sel.end}-{language}.{format}"
    return FileResponse(path, media_type=MEDIA[format], filename=filename)
