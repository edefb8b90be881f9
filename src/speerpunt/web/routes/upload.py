"""Upload of a user's own panel (CSV/XLSX), validated by :func:`speerpunt.io.read_panel`.

The file goes to a temporary file only for the reader and is deleted right after; a valid panel is stored
by the workspace on disk under a random key, owned by the uploading user, within its quota and expiry; an
invalid one leaves nothing behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from speerpunt.errors import DataError, SpeerpuntError
from speerpunt.io.summary import ReadSummary
from speerpunt.panel import Panel
from speerpunt.web.deps import Viewer, reader
from speerpunt.web.errors import error_message, warning_message
from speerpunt.web.reading import reading_text
from speerpunt.web.render import render

router = APIRouter()
SUFFIXES = (".csv", ".xlsx", ".txt")


@router.get("/upload", include_in_schema=False, dependencies=[Depends(reader)])
def upload_page(request: Request) -> Response:
    return render(request, "upload.html", mb=request.app.state.settings.max_upload_bytes // 2**20)


ReadField = Annotated[str, Form()]


def _read_options(variable: str, sheet: str, decimal: str, thousands: str) -> dict[str, str]:
    """The form's reading options (empty fields are left to the reader's detection)."""
    given = {"variable": variable, "sheet": sheet, "decimal": decimal, "thousands": thousands}
    return {k: v.strip() for k, v in given.items() if v.strip()}


async def _validated(
    request: Request, file: UploadFile, options: dict[str, str]
) -> tuple[str, Panel, ReadSummary]:
    limit = request.app.state.settings.max_upload_bytes
    name = Path(file.filename or "upload.csv").name
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise DataError(
            f"only CSV or XLSX files can be uploaded, not '{suffix or name}'", file=name
        )
    content = await file.read(limit + 1)
    if len(content) > limit:
        raise HTTPException(413, f"{name}: the file is larger than {limit // 2**20} MB")
    if not content:
        raise DataError("the file is empty", file=name)

    def read() -> tuple[Panel, ReadSummary]:
        from speerpunt.io.read import read_with_summary

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            try:
                # Overlapping sectors are shown in the summary; each analysis then chooses sectors.
                return read_with_summary(path, **{"allow_overlaps": True, **options})
            except SpeerpuntError as exc:
                # Name the user's file, not the temporary path.
                raise type(exc)(exc.message, file=name, row=exc.row, column=exc.column) from None

    panel, summary = await run_in_threadpool(read)
    return name, panel, summary


def _summary(key: str, name: str, panel: Panel, reading: ReadSummary) -> dict:
    return {
        "data": key,
        "name": name,
        "regions": panel.regions,
        "sectors": panel.sectors,
        "years": panel.years,
        "variables": panel.variables,
        "rows": len(panel),
        "reading": reading.to_dict(),
        "reading_text": reading.to_text(),
    }


@router.post("/upload", include_in_schema=False)
async def upload_form(
    request: Request,
    user: Viewer,
    file: Annotated[UploadFile, File()],
    variable: ReadField = "",
    sheet: ReadField = "",
    decimal: ReadField = "",
    thousands: ReadField = "",
) -> Response:
    mb = request.app.state.settings.max_upload_bytes // 2**20
    options = _read_options(variable, sheet, decimal, thousands)
    try:
        name, panel, reading = await _validated(request, file, options)
    except SpeerpuntError as exc:
        return render(
            request,
            "upload.html",
            status=400,
            mb=mb,
            error=error_message(request.state.lang, exc),
            options=options,
        )
    key = request.app.state.workspace.add_upload(panel, name, owner=f"user:{user.id}")
    lang = request.state.lang
    result = _summary(key, name, panel, reading) | {
        "reading_text": reading_text(reading, lang, warnings=False),
        "warnings": [warning_message(lang, w) for w in reading.warnings],
    }
    return render(request, "upload.html", mb=mb, result=result, options=options)


@router.post("/api/upload", tags=["data"], status_code=201)
async def api_upload(
    request: Request,
    user: Viewer,
    file: Annotated[UploadFile, File()],
    variable: ReadField = "",
    sheet: ReadField = "",
    decimal: ReadField = "",
    thousands: ReadField = "",
) -> JSONResponse:
    """Validate and load a panel (CSV/XLSX, multipart field ``file``; optional fields ``variable``,
    ``sheet``, ``decimal``, ``thousands``); returns its ``data`` key, which every other endpoint accepts
    as ``?data=``, and ``reading``: what the reader detected (as ``speerpunt inspect``). Invalid files
    give 400 with the reader's one-line error."""
    options = _read_options(variable, sheet, decimal, thousands)
    name, panel, reading = await _validated(request, file, options)
    key = request.app.state.workspace.add_upload(panel, name, owner=f"user:{user.id}")
    return JSONResponse(_summary(key, name, panel, reading), status_code=201)
