"""Report downloads for the current selection (HTML, PDF, XLSX), rendered by :mod:`speerpunt.report`.

Rendered files are kept in :class:`speerpunt.web.storage.ReportFiles` (named safely from the region, never
outside their folder, removed after their lifetime) and served as ``speerpunt_<region>_<lang>.<format>``.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, Response
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool

from speerpunt.errors import SpeerpuntError
from speerpunt.report.api import report_name
from speerpunt.web import workbench
from speerpunt.web.deps import reader
from speerpunt.web.params import selection
from speerpunt.web.render import render
from speerpunt.web.security import content_disposition

router = APIRouter(dependencies=[Depends(reader)])
MEDIA = {
    "html": "text/html; charset=utf-8",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


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
    files = request.app.state.reports

    def build() -> Path:
        import yaml

        from speerpunt.report import write_report
        from speerpunt.screening.config import parse_config

        m = dict(mapping, year=sel.end, start=sel.start)
        cfg = parse_config(
            yaml.safe_dump(m, allow_unicode=True, sort_keys=False), source=name or "web"
        )
        target = files.path(sel.region, language, format, repr((sel, m)))

        def write(part: Path) -> None:
            write_report(
                ws.panel(sel.data),
                region=sel.region,
                reference=sel.reference,
                lang=language,
                out=part,
                config=cfg,
                progress=False,
            )

        return files.build(target, write)

    path = await run_in_threadpool(build)
    if not path.exists():
        raise SpeerpuntError("the report could not be written")
    download = report_name(sel.region, language, f".{format}")
    return FileResponse(
        path,
        media_type=MEDIA[format],
        headers={"Content-Disposition": content_disposition(download)},
        background=BackgroundTask(files.cleanup),
    )
