"""Rendering tables as JSON or CSV (the selection itself is parsed by :mod:`speerpunt.web.selection`)."""

from __future__ import annotations

import json
import math

import pandas as pd
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from speerpunt.web.selection import get_selection

#: The selection dependency under its older name (routes call ``selection(request)``).
selection = get_selection


def clean(value: object) -> object:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def records(df: pd.DataFrame) -> list[dict]:
    """JSON-safe records (NaN → null)."""
    return json.loads(df.to_json(orient="records", force_ascii=False, double_precision=15))


def wants_csv(request: Request) -> bool:
    return request.query_params.get("format") == "csv"


def csv_response(df: pd.DataFrame, filename: str) -> Response:
    return Response(
        df.to_csv(index=False, lineterminator="\n"),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
    )


def table_or_json(
    request: Request, df: pd.DataFrame, filename: str, extra: dict | None = None
) -> Response:
    """``?format=csv`` gives the table as CSV; otherwise JSON ``{records: [...], **extra}``."""
    if wants_csv(request):
        return csv_response(df, filename)
    return JSONResponse({**(extra or {}), "records": records(df)})


def csv_links(request: Request, api_path: str, **params: object) -> str:
    from urllib.parse import urlencode

    clean_params = {k: v for k, v in params.items() if v not in (None, "")}
    clean_params["format"] = "csv"
    return f"{api_path}?{urlencode(clean_params)}"
