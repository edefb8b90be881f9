"""The report section on business demography from Statbel's VAT-registered enterprises (end of 2019).

For the report's region (a NUTS code, a union ``A+B`` or a named territory such as ``resoc:westhoek``,
mapped to its NIS codes) and for Belgium: enterprises at the end of 2019, starts and stops during 2019,
start rate = starts / enterprises and stop rate = stops / enterprises, for all sectors and for each
spearhead sector. Every number comes from :func:`speerpunt.firms.statbel.statbel_profile`; this module
only lays the frame out.

Source: Statbel (Directorate-general Statistics – Statistics Belgium), open data "Enterprises subject to
VAT according to legal form" (``TF_VAT_NACE_SQ_2019``). Counts of enterprises, not of jobs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from markupsafe import escape

from speerpunt.errors import SpeerpuntError
from speerpunt.report.firms_section import region_territory
from speerpunt.report.i18n import region_name, sector_name, t
from speerpunt.report.model import Column, ReportTable, Section

KEY = "statbel_demography"


def statbel_section(region: str, lang: str, *, path: str | Path | None = None) -> Section | None:
    """Statbel demography of ``region`` against Belgium; ``None`` for a region without NIS codes.

    ``path`` is the Statbel file (default: the copy shipped with speerpunt).
    """
    from speerpunt.firms.statbel import ATTRIBUTION, statbel_profile
    from speerpunt.firms.territory import COUNTRY

    # Belgium as a whole also holds the enterprises with a head office abroad or unknown (Statbel's total).
    territory = "country" if region == COUNTRY else region_territory(region)
    if territory is None:
        return None
    title = t("firms_demography_statbel", lang)
    try:
        frame = statbel_profile(territory, path=path)
    except SpeerpuntError as exc:
        return Section(KEY, title, paragraphs=[escape(exc.one_line())])
    frame = frame.assign(
        sector_name=frame["sector"].map(
            lambda s: t("total", lang) if s == "TOTAL" else sector_name(s, lang)
        )
    )
    table = ReportTable(
        KEY,
        t("statbel_table_title", lang, region=region_name(region, lang)),
        [
            Column("sector_name", t("sector", lang)),
            Column("enterprises", t("enterprises", lang), "int"),
            Column("starts", t("starts", lang), "int"),
            Column("stops", t("stops", lang), "int"),
            Column("start_rate", t("start_rate", lang), "percent"),
            Column("stop_rate", t("stop_rate", lang), "percent"),
            Column("reference_enterprises", t("enterprises_ref", lang), "int"),
            Column("reference_start_rate", t("start_rate_ref", lang), "percent"),
            Column("reference_stop_rate", t("stop_rate_ref", lang), "percent"),
        ],
        frame,
        notes=[t("firms_statbel_note", lang)],
        source=ATTRIBUTION,
    )
    intro = t("statbel_intro", lang, region=region_name(region, lang))
    return Section(KEY, title, paragraphs=[escape(intro)], tables=[table])


def statbel_provider(path: str | Path | None = None) -> Callable:
    """A report section provider (see :mod:`speerpunt.report.sections`) for the report's region."""

    def provider(ctx) -> Section | None:
        return statbel_section(ctx.region, ctx.lang, path=path)

    return provider
