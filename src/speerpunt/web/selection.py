"""The user's selection, parsed once per request from the URL, and carried by every link.

Like Datasette's ``DataView``: data set, region, reference, variable, period, sectors and language live in the
query string (shareable, bookmarkable); :func:`get_selection` reads and validates them once (the result is kept
on ``request.state``), pages and the JSON API use the same :class:`Selection`, and
:meth:`Selection.query` gives the parameters every link and menu item carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request

from speerpunt.errors import MeasureError
from speerpunt.web.data import DEFAULT

PREFERRED_REGION = "BE21"
#: The query parameters that make up a selection (carried by every link).
KEYS = ("data", "region", "reference", "variable", "start", "end", "sectors", "lang")


@dataclass(frozen=True)
class Selection:
    """What the user is looking at: data key, region, reference, variable, years, sectors, language."""

    data: str
    region: str
    reference: str
    variable: str
    start: int
    end: int
    sectors: tuple[str, ...] = ()
    lang: str = field(default="nl", compare=False)

    @property
    def year(self) -> int:
        return self.end

    def query(self, **changes: object) -> dict[str, object]:
        """The selection as query parameters (``changes`` replace or add some); the built-in data set and
        an empty sector filter are left out so URLs stay short."""
        base: dict[str, object] = {
            "data": self.data,
            "region": self.region,
            "reference": self.reference,
            "variable": self.variable,
            "start": self.start,
            "end": self.end,
            "sectors": ",".join(self.sectors),
            "lang": self.lang,
        }
        base.update(changes)
        return {
            k: v
            for k, v in base.items()
            if v not in (None, "") and not (k == "data" and v == DEFAULT)
        }

    def cache_key(self) -> tuple:
        """What the numbers depend on (the language only changes words)."""
        q = self.query()
        q.pop("lang", None)
        return tuple(sorted(q.items()))

    def url(self, path: str, **changes: object) -> str:
        return f"{path}?{urlencode(self.query(**changes))}"


class NeedsReference(MeasureError):
    """The data set has no reference for the selected region (an upload without its country total):
    pages answer with a form that asks for one."""

    def __init__(self, selection: Selection, message: str) -> None:
        super().__init__(message, column="reference")
        self.selection = selection


def _int(raw: str | None, name: str, default: int) -> int:
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError:
        raise MeasureError(f"'{raw}' is not a year", column=name) from None


def _first_subregion(regions: list[str]) -> str:
    deeper = [r for r in regions if len(r) > 2]
    return (deeper or regions)[0]


def parse(request: Request) -> Selection:
    """Read the selection from the query string with sensible defaults, checking each value against the
    data set (a region, variable, year or sector that is not in the data is a one-line 400)."""
    ws = request.app.state.workspace
    q = request.query_params
    key = q.get("data") or DEFAULT
    info = ws.describe(key)
    years, regions = info["years"], info["regions"]
    variable = q.get("variable") or (
        "employment" if "employment" in info["variables"] else info["variables"][0]
    )
    if variable not in info["variables"]:
        raise MeasureError(f"variable '{variable}' is not in the data", column="variable")
    default_region = PREFERRED_REGION if PREFERRED_REGION in regions else _first_subregion(regions)
    region = q.get("region") or default_region
    if region not in regions:
        raise MeasureError(f"region '{region}' is not in the data", column="region")
    end = _int(q.get("end"), "end", _int(q.get("year"), "year", years[-1]))
    # Ten-year period by default, as the study and the CLI (2008–2018 for the embedded data).
    start = _int(q.get("start"), "start", min(y for y in years if y >= min(end, years[-1]) - 10))
    for name, year in (("start", start), ("end", end)):
        if year not in years:
            raise MeasureError(f"year {year} is not in the data", column=name)
    if start > end:
        raise MeasureError(f"the start year {start} is after the end year {end}", column="start")
    # ``sectors=A,C`` or one ``sectors`` per ticked box of the filter form
    sectors = tuple(s for s in ",".join(q.getlist("sectors")).split(",") if s.strip())
    unknown = [s for s in sectors if s not in info["sectors"]]
    if unknown:
        raise MeasureError(f"sector '{unknown[0]}' is not in the data", column="sectors")
    sel = Selection(
        key,
        region,
        q.get("reference") or "country",
        variable,
        start,
        end,
        sectors,
        request.state.lang,
    )
    _check_reference(ws, sel)
    return sel


def _check_reference(ws, sel: Selection) -> None:
    from speerpunt.measures.reference import resolve_reference

    try:
        ws.memo(
            sel.data,
            "reference",
            lambda: resolve_reference(ws.panel(sel.data), sel.region, sel.reference),
            region=sel.region,
            reference=sel.reference,
        )
    except MeasureError as exc:
        raise NeedsReference(sel, exc.one_line()) from None


def get_selection(request: Request) -> Selection:
    """The request's selection, parsed on first use and then reused (a FastAPI dependency)."""
    sel = getattr(request.state, "selection", None)
    if sel is None:
        sel = parse(request)
        request.state.selection = sel
    return sel


def carried(request: Request) -> dict[str, str]:
    """The selection parameters present in the current URL, for pages that have no selection of their own
    (registry, login …), so their menu links keep the user's choices."""
    sel = getattr(request.state, "selection", None)
    if sel is not None:
        return {k: str(v) for k, v in sel.query().items()}
    return {k: v for k, v in request.query_params.items() if k in KEYS and v}


#: Route parameter type: the parsed selection.
Sel = Annotated[Selection, Depends(get_selection)]
