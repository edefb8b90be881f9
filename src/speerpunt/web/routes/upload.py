"""Upload of a user's own panel (CSV/XLSX), validated by :func:`speerpunt.io.read_panel`.

The file goes to a temporary file only for the reader and is deleted right after; a valid panel is kept in
memory under a random key (until the server stops); an invalid one leaves nothing behind.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, HTTPException, Request, UploadFile
from fastapi.responses import JSONResponse, Response
from starlette.concurrency import run_in_threadpool

from speerpunt.errors import DataError, SpeerpuntError
from speerpunt.panel import Panel
from speerpunt.web.deps import Viewer, reader
from speerpunt.web.render import render

router = APIRouter()
SUFFIXES = (".csv", ".xlsx", ".txt")


@router.get("/upload", include_in_schema=False, dependencies=[Depends(reader)])
def upload_page(request: Request) -> Response:
    return render(request, "upload.html", mb=request.app.state.settings.max_upload_bytes // 2**20)


async def _validated(request: Request, file: UploadFile, variable: str | None) -> tuple[str, Panel]:
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

    def read() -> Panel:
        from speerpunt.io import read_panel

        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / name
            path.write_bytes(content)
            try:
                return read_panel(path, variable=variable or None)
            except SpeerpuntError as exc:
                # Name the user's file, not the temporary path.
                raise type(exc)(exc.message, file=name, row=exc.row, column=exc.column) from None

    return name, await run_in_threadpool(read)


def _summary(key: str, name: str, panel: Panel) -> dict:
    return {
        "data": key,
        "name": name,
        "regions": panel.regions,
        "sectors": panel.sectors,
        "years": panel.years,
        "variables": panel.variables,
        "rows": len(panel),
    }


@router.post("/upload", include_in_schema=False)
async def upload_form(
    request: Request,
    user: Viewer,
    file: Annotated[UploadFile, File()],
    variable: Annotated[str, Form()] = "",
) -> Response:
    mb = request.app.state.settings.max_upload_bytes // 2**20
    try:
        name, panel = await _validated(request, file, variable)
    except SpeerpuntError as exc:
        return render(request, "upload.html", status=400, mb=mb, error=exc.one_line())
    key = request.app.state.workspace.add_upload(panel, name, owner=f"user:{user.id}")
    return render(request, "upload.html", mb=mb, result=_summary(key, name, panel))


@router.post("/api/upload", tags=["data"], status_code=201)
async def api_upload(
    request: Request,
    user: Viewer,
    file: Annotated[UploadFile, File()],
    variable: Annotated[str, Form()] = "",
) -> JSONResponse:
    """Validate and load a panel (CSV/XLSX, multipart field ``file``); returns its ``data`` key, which
    every other endpoint accepts as ``?data=``. Invalid files give 400 with the reader's one-line error."""
    name, panel = await _validated(request, file, variable)
    key = request.app.state.workspace.add_upload(panel, name, owner=f"user:{user.id}")
    return JSONResponse(_summary(key, name, panel), status_code=201)
