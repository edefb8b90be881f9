"""SME structure and dynamics: all spearhead sectors side by side, then one sector in detail.

The overview has a row per spearhead sector: Statbel's enterprises, starts and stops of the region and,
when the server has a firm register (``speerpunt serve --firms FILE``), its firms by size class, SMEs and
their share, births and deaths. The detail of the chosen sector: Statbel enterprise demography against
Belgium and, with a register, size classes, transitions, births/deaths and concentration.

Every number comes from the library (:func:`speerpunt.firms.statbel.statbel_profile`,
:func:`speerpunt.firms.profile.sectors_overview`, :func:`speerpunt.screening.demography.business_demography`,
:func:`speerpunt.report.firms_section.firms_section`); the page lays them out like the report section.
"""

from __future__ import annotations

import threading

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from speerpunt.errors import SpeerpuntError
from speerpunt.web.deps import reader
from speerpunt.web.params import selection
from speerpunt.web.render import render

router = APIRouter(dependencies=[Depends(reader)])
ENTERPRISES = "be-enterprises-2019"
_LOCK = threading.Lock()


def _sector(request: Request, asked: str | None, sel) -> str:
    """The sector asked for, else the selection's first policy sector, else construction."""
    from speerpunt.classify import is_nace, policy_sectors

    known = policy_sectors()
    if asked and (asked in known or is_nace(asked)):
        return asked
    return next((s for s in sel.sectors if s in known), "bouw")


def _demography(ws, region: str, sector: str):
    """Stock, starts and stops of ``sector`` in ``region`` from the Statbel data, against Belgium."""
    from speerpunt.screening.demography import business_demography

    def compute():
        built = ws.derive(ENTERPRISES, region, "country", sector)
        return business_demography(
            built.panel, regions=built.regions, sectors=built.sectors, reference=built.reference
        )

    return ws.memo(ENTERPRISES, "firms-demography", compute, region=region, sector=sector)


def _records(request: Request):
    """The server's firm register, loaded once (``None`` when none is configured)."""
    path = request.app.state.settings.firms
    if not path:
        return None
    with _LOCK:
        recs = getattr(request.app.state, "firm_records", None)
        if recs is None:
            from speerpunt.firms.records import load_records

            recs = request.app.state.firm_records = load_records(path)
    return recs


def _overview(ws, records, region: str, territory: dict) -> tuple[list[dict], dict]:
    """One row per spearhead sector (after a row for all sectors from Statbel) and the register's years.

    Statbel's enterprises, starts and stops of ``region`` and, with a register, the firms of ``region``
    (``territory``: its NIS codes) by size class in its last year, SMEs and their share, births and deaths.
    """
    from speerpunt.firms.profile import sectors_overview
    from speerpunt.firms.statbel import statbel_profile

    def compute():
        statbel = statbel_profile(territory).set_index("sector")
        rows = [{"sector": s, **statbel.loc[s].to_dict()} for s in statbel.index]
        years: dict = {}
        if records is not None:
            reg = sectors_overview(records, territory=territory)
            years = dict(reg.attrs)
            reg = reg.set_index("sector")
            for row in rows:
                if row["sector"] in reg.index:
                    row.update(reg.loc[row["sector"]].drop("region").to_dict())
        return rows, years

    return ws.memo("firms", "overview", compute, region=region, register=records is not None)


@router.get("/firms", include_in_schema=False)
def firms_page(request: Request, sector: str | None = None) -> Response:
    from speerpunt.classify import policy_sectors
    from speerpunt.i18n.catalog import gettext
    from speerpunt.report.firms_section import firms_section, region_territory

    sel = selection(request)
    ws = request.app.state.workspace
    lang = request.state.lang
    region = sel.region_spec or sel.region
    chosen = _sector(request, sector, sel)
    demography = error = None
    try:
        demography = _demography(ws, region, chosen)
    except SpeerpuntError as exc:
        error = exc.one_line()
    section = None
    records = _records(request)
    overview, overview_years, overview_error = [], {}, None
    territory = region_territory(region)
    if territory is None:
        overview_error = gettext(lang, "firms_overview_no_nis")
    else:
        try:
            overview, overview_years = _overview(ws, records, region, territory)
        except SpeerpuntError as exc:
            overview_error = exc.one_line()
    if records is not None:
        section = ws.memo(
            "firms",
            "profile",
            lambda: firms_section(records, [chosen], lang, region=region),
            region=region,
            sector=chosen,
            lang=lang,
        )
    return render(
        request,
        "firms.html",
        selection=sel,
        info=ws.describe(sel.data),
        sector=chosen,
        firm_sectors=list(policy_sectors()),
        demography=demography,
        demography_error=error,
        section=section,
        overview=overview,
        overview_years=overview_years,
        overview_error=overview_error,
        action="/firms",
    )
