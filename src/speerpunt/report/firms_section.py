"""The report section on the SME structure and dynamics of the candidate sectors, from a firm register.

Every number comes from :func:`speerpunt.firms.profile.sector_profile` (size classes, SME share, size-class
transitions, births and deaths, concentration) on the firm records the user gives
(``speerpunt report --firms FILE``); this module only lays the frames out. Cells under the confidentiality
rule keep their flag ``c`` and are shown as "/" (never as zero).

Reference: SERV (2013), advice on SME policy (seed ``004``): SME counts and shares by sector, size-class
transitions ("74 % stayed in the same class, 7.5 % grew, 18.5 % shrank or stopped").
"""

from __future__ import annotations

from collections.abc import Callable

import pandas as pd
from markupsafe import escape

from speerpunt.errors import SpeerpuntError
from speerpunt.report.i18n import region_name, sector_name, t
from speerpunt.report.model import Column, ReportTable, Section


def sector_codes(sector: str) -> list[str] | None:
    """The NACE codes of a screened sector: a policy sector's list, a NACE code itself, the sections of an
    A*10 aggregate (``G-I`` → G, H, I); ``None`` when it cannot be matched to firm records."""
    from speerpunt.classify import is_nace, nace_section, policy_sectors, sector_classes

    known = policy_sectors()
    if sector in known:
        return list(known[sector].nace)
    if is_nace(sector):
        return [sector]
    try:
        classes = sector_classes(sector)
    except SpeerpuntError:
        return None
    return sorted({nace_section(c) for c in classes}) or None


def region_territory(region: str) -> dict[str, list[str]] | None:
    """The firm-register territory of a report region: its NIS codes (a NUTS code, a union ``A+B`` or a
    named territory such as ``resoc:westhoek``); ``None`` for a region outside Belgium's NIS codes."""
    from speerpunt.classify import nuts_to_nis, territories

    named = territories().set_index("id")["members"]
    members = (named[region] if region in named.index else region).split("+")
    try:
        return {region: [nuts_to_nis(m) for m in members]}
    except SpeerpuntError:
        return None


def profiles(
    records, sectors: list[str], start: int | None, end: int | None, territory=None
) -> dict:
    """``sector_profile`` of each sector that maps to NACE codes, concatenated per table."""
    from speerpunt.firms.profile import sector_profile

    tables: dict[str, list[pd.DataFrame]] = {}
    skipped = []
    for s in sectors:
        codes = sector_codes(s)
        if codes is None:
            skipped.append(s)
            continue
        profile = sector_profile(records, {s: codes}, start=start, end=end, territory=territory)
        for key, frame in profile.items():
            if "sector" not in frame:  # the transition summary is per initial class only
                frame = frame.assign(sector=s)
            tables.setdefault(key, []).append(frame)
    return {k: pd.concat(v, ignore_index=True) for k, v in tables.items()}, skipped


def firms_section(
    records, sectors: list[str], lang: str, start=None, end=None, region: str | None = None
) -> Section:
    """Size classes, transitions, demography and concentration of ``sectors`` in the register, for the
    firms of ``region`` (the whole register when ``region`` has no NIS codes, which the text says)."""
    r = records.report
    start = r.first_year if start is None else start
    end = r.last_year if end is None else end
    title = t("firms_section", lang)
    territory = region_territory(region) if region else None
    try:
        tables, skipped = profiles(records, sectors, start, end, territory)
    except SpeerpuntError as exc:
        return Section("firms", title, paragraphs=[escape(exc.one_line())])
    names = {s: sector_name(s, lang) for s in sectors}
    rows = f"{r.rows:,}".replace(",", ".")
    paras = [escape(t("firms_intro", lang, rows=rows, start=start, end=end))]
    where = t("firms_region", lang, region=region_name(region, lang)) if territory else None
    paras.append(escape(where or t("firms_whole_register", lang)))
    if skipped:
        paras.append(escape(t("firms_skipped", lang, sectors=", ".join(names[s] for s in skipped))))
    if not tables:
        return Section("firms", title, paragraphs=paras)

    def named(frame: pd.DataFrame) -> pd.DataFrame:
        return frame.assign(sector_name=frame["sector"].map(names))

    sector_col = Column("sector_name", t("sector", lang))
    out = [
        ReportTable(
            "firms_size",
            t("firms_size_title", lang, year=end),
            [
                sector_col,
                Column("size_class", t("size_class", lang)),
                Column("firms", t("firms", lang), "int"),
                Column("employees", t("employees", lang), "int"),
                Column("firm_share", t("firm_share", lang), "percent"),
                Column("employee_share", t("employee_share", lang), "percent"),
            ],
            named(tables["size_classes"]),
            notes=[t("firms_confidential_note", lang)],
        ),
        ReportTable(
            "firms_transitions",
            t("firms_transitions_title", lang, start=start, end=end),
            [
                sector_col,
                Column("initial_class", t("initial_class", lang)),
                Column("firms", t("firms", lang), "int"),
                Column("stayed_share", t("stayed", lang), "percent"),
                Column("grew_share", t("grew", lang), "percent"),
                Column("shrank_share", t("shrank", lang), "percent"),
                Column("exited_share", t("exited", lang), "percent"),
            ],
            named(tables["transitions"]).assign(
                initial_class=lambda f: f["initial_class"].replace("all", t("total", lang))
            ),
        ),
        ReportTable(
            "firms_demography",
            t("firms_demography_title", lang),
            [
                sector_col,
                Column("year", t("year", lang), "text"),
                Column("active", t("active_firms", lang), "int"),
                Column("births", t("births", lang), "int"),
                Column("deaths", t("deaths", lang), "int"),
                Column("birth_rate", t("birth_rate", lang), "percent"),
                Column("death_rate", t("death_rate", lang), "percent"),
            ],
            named(tables["demography"]).astype({"year": str}),
        ),
        ReportTable(
            "firms_concentration",
            t("firms_concentration_title", lang, year=end),
            [
                sector_col,
                Column("firms", t("firms", lang), "int"),
                Column("top_share", t("top_share", lang), "percent"),
                Column("herfindahl", t("herfindahl", lang), "number", 4),
            ],
            named(tables["concentration"]),
        ),
    ]
    return Section("firms", title, paragraphs=paras, tables=out)


def firms_provider(records) -> Callable:
    """A report section provider (see :mod:`speerpunt.report.sections`) for the screening's candidates."""

    def provider(ctx) -> Section:
        chosen = ctx.screening.selected or list(ctx.metrics.sectors)
        return firms_section(records, chosen, ctx.lang, region=ctx.region)

    return provider
