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
    """UTF-8 CSV whose text cells cannot run as formulas, under a safe file name (any script)."""
    from speerpunt.io.safe import safe_filename, to_safe_csv
    from speerpunt.web.security import content_disposition

    return Response(
        to_safe_csv(df),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": content_disposition(safe_filename(filename, suffix=".csv"))
        },
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
