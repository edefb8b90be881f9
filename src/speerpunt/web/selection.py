"""The user's selection, parsed once per request from the URL, and carried by every link.

Like Datasette's ``DataView``: data set, region, reference, variable, period, sectors and language live in the
query string (shareable, bookmarkable); :func:`get_selection` reads and validates them once (the result is kept
on ``request.state``), pages and the JSON API use the same :class:`Selection`, and
:meth:`Selection.query` gives the parameters every link and menu item carries.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Depends, Request

from speerpunt.errors import MeasureError, SpeerpuntError, Text
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
    #: The URL's own values when the numbers come from a panel built for a territory (``BE21+BE22``,
    #: ``resoc:westhoek``) or policy sectors (``antwerp-2013``): ``data`` is then that panel's key.
    source: str = ""
    region_spec: str = ""
    reference_spec: str = ""
    sectors_spec: str = ""
    #: Coverage of the policy sectors: ``(sector, status, codes)`` (status present/approximated/…).
    coverage: tuple[tuple[str, str, str], ...] = field(default=(), compare=False)
    overlapping: tuple[tuple[str, str], ...] = field(default=(), compare=False)

    @property
    def year(self) -> int:
        return self.end

    @property
    def dataset(self) -> str:
        """The data set key of the URL (the built-in one, an upload), whatever panel the numbers use."""
        return self.source or self.data

    def query(self, **changes: object) -> dict[str, object]:
        """The selection as query parameters (``changes`` replace or add some); the built-in data set and
        an empty sector filter are left out so URLs stay short."""
        base: dict[str, object] = {
            "data": self.dataset,
            "region": self.region_spec or self.region,
            "reference": self.reference_spec or self.reference,
            "variable": self.variable,
            "start": self.start,
            "end": self.end,
            "sectors": self.sectors_spec or ",".join(self.sectors),
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


class SelectionProblem(MeasureError):
    """A region, reference or sector set of the URL that cannot be built from the data: pages say so in
    their own language (catalogue ``bad_region``, ``bad_reference``, ``bad_sectors``) with the library's
    one-line reason as ``detail``."""

    def __init__(self, part: str, spec: str, detail: str) -> None:
        super().__init__(detail, column=part)
        self.part, self.spec, self.detail = part, spec, detail


def _problem(exc: SpeerpuntError, region: str, reference: str, sectors: str) -> SelectionProblem:
    """Which of the three specs the library refused: the one its message names, else its column."""
    message = exc.message
    if exc.column == "sectors" or (sectors and f"'{sectors}'" in message):
        return SelectionProblem("sectors", sectors, exc.message)
    if f"'{region}'" in message:
        return SelectionProblem("region", region, exc.message)
    if f"'{reference}'" in message or exc.column == "reference":
        return SelectionProblem("reference", reference, exc.message)
    return SelectionProblem("region", region, exc.message)


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
    if not [s for s in info["sectors"] if s != "TOTAL"]:
        raise MeasureError(Text("err_totals_only", key=key), column="data")
    variable = q.get("variable") or (
        "employment" if "employment" in info["variables"] else info["variables"][0]
    )
    if variable not in info["variables"]:
        raise MeasureError(f"variable '{variable}' is not in the data", column="variable")
    default_region = PREFERRED_REGION if PREFERRED_REGION in regions else _first_subregion(regions)
    region = (q.get("region") or default_region).strip()
    reference = (q.get("reference") or "country").strip()
    last = (info.get("sector_years") or years)[-1]
    end = _int(q.get("end"), "end", _int(q.get("year"), "year", last))
    # Ten-year period by default, as the study and the CLI (2008–2018 for the embedded data).
    start = _int(q.get("start"), "start", min(y for y in years if y >= min(end, years[-1]) - 10))
    for name, year in (("start", start), ("end", end)):
        if year not in years:
            raise MeasureError(f"year {year} is not in the data", column=name)
    if start > end:
        raise MeasureError(f"the start year {start} is after the end year {end}", column="start")
    # A typed set (``name=NACE,…``) or a named set from the form's list wins over the ticked boxes
    # (``sectors=A,C`` or one ``sectors`` per box).
    raw = (q.get("sectors_spec") or q.get("set") or ",".join(q.getlist("sectors"))).strip()
    codes = tuple(c.strip() for c in raw.split(",") if c.strip())
    plain = all(c in info["sectors"] for c in codes)
    if plain and region in regions and _plain_reference(reference, regions):
        sel = Selection(key, region, reference, variable, start, end, codes, request.state.lang)
    else:
        try:
            sel = _built(ws, key, region, reference, None if plain else raw, variable, start, end)
        except SpeerpuntError as exc:
            raise _problem(exc, region, reference, "" if plain else raw) from None
        sel = replace(sel, sectors=codes if plain else sel.sectors, lang=request.state.lang)
    _check_reference(ws, sel)
    return sel


def _plain_reference(reference: str, regions: list[str]) -> bool:
    ref = reference[5:] if reference.startswith("rest:") else reference
    return ref in ("country", "rest") or ref in regions


def _built(
    ws, key: str, region: str, reference: str, sectors: str | None, variable, start, end
) -> Selection:
    """The selection on a panel built for a territory or policy sectors (by the library's ``select``, as
    the CLI does), kept by the workspace under its own key."""
    if sectors and ("/" in sectors or "\\" in sectors or sectors.endswith((".yaml", ".yml"))):
        raise MeasureError(Text("err_sector_files"), column="sectors")
    built = ws.derive(key, region, reference, sectors)
    chosen = built.sectors
    # a scheme (a10, divisions …): its codes, or a clear error when unknown
    if isinstance(chosen, str):
        from speerpunt.classify import sector_set

        chosen = sector_set(chosen, available=built.panel.sectors)
    chosen = list(chosen or [])
    coverage = ()
    if built.coverage is not None and len(built.coverage):
        cov = built.coverage
        coverage = tuple(
            (str(sector), str(status), ", ".join(map(str, g["code"])))
            for (sector, status), g in cov.groupby(["sector", "status"], sort=False)
        )
    return Selection(
        built.key,
        built.regions[0],
        built.reference,
        variable,
        start,
        end,
        tuple(chosen),
        source=key,
        region_spec=region,
        reference_spec=reference,
        sectors_spec=sectors or "",
        coverage=coverage,
        overlapping=tuple(built.overlapping),
    )


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
        raise NeedsReference(sel, exc.message) from None


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
