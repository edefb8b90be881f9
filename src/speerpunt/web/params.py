"""Reading the user's selection from the query string, and rendering tables as JSON or CSV."""

from __future__ import annotations

import json
import math

import pandas as pd
from fastapi import Request
from fastapi.responses import JSONResponse, Response

from speerpunt.errors import MeasureError
from speerpunt.web.data import DEFAULT, Selection, Workspace

PREFERRED_REGION = "BE21"


def _int(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise MeasureError(f"'{raw}' is not a year", column=name) from None


def selection(request: Request) -> Selection:
    """The data set, region, reference, variable and period asked for, with sensible defaults."""
    ws: Workspace = request.app.state.workspace
    q = request.query_params
    key = q.get("data") or DEFAULT
    info = ws.describe(key)
    years = info["years"]
    regions = info["regions"]
    variable = q.get("variable") or (
        "employment" if "employment" in info["variables"] else info["variables"][0]
    )
    if variable not in info["variables"]:
        raise MeasureError(f"variable '{variable}' is not in the data", column="variable")
    default_region = PREFERRED_REGION if PREFERRED_REGION in regions else _first_subregion(regions)
    region = q.get("region") or default_region
    if region not in regions:
        raise MeasureError(f"region '{region}' is not in the data", column="region")
    end = _int(request, "end", _int(request, "year", years[-1]))
    # Ten-year period by default, as the study and the CLI (2008–2018 for the embedded data).
    start = _int(request, "start", max(years[0], end - 10))
    return Selection(key, region, q.get("reference") or "country", variable, start, end)


def _first_subregion(regions: list[str]) -> str:
    deeper = [r for r in regions if len(r) > 2]
    return (deeper or regions)[0]


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
