"""The report's cover and its one-page summary in plain words, for a reader who will not open the annex.

The summary only restates results the library returned (screening, shift-share, sensitivity, data flags):
the candidate sectors and why, what changed over the period, and the caveats that limit the conclusions.
"""

from __future__ import annotations

from datetime import date

import pandas as pd
from markupsafe import Markup, escape

from speerpunt.i18n import (
    fmt_index,
    fmt_number,
    fmt_percent,
    gettext,
    region_name,
    sector_name,
    variable_name,
)
from speerpunt.panel import TOTAL, Panel
from speerpunt.report.model import Section
from speerpunt.screening import SELECTED_STATUSES, UNDECIDED, reference_growth

#: A candidate whose verdict holds in fewer of the sensitivity runs than this is called fragile.
FRAGILE = 0.8


def cover(
    region: str, reference: str, lang: str, start: int, year: int, organisation: str
) -> dict[str, str]:
    """Title, region, period, date and organisation for the cover page."""
    return {
        "title": gettext(lang, "cover_title"),
        "region": f"{region_name(region, lang)} ({region})",
        "period": gettext(
            lang,
            "cover_period",
            start=start,
            year=year,
            reference=region_name(reference, lang),
        ),
        "date": date.today().strftime("%d-%m-%Y" if lang == "nl" else "%d %B %Y"),
        "organisation": organisation,
    }


def _li(items: list[str]) -> str:
    return "<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"


def _candidates(result, metrics, var: str, lang: str) -> list[str]:
    table = result.table.set_index("sector")
    share, lq, growth = (metrics.value(var, m) for m in ("share", "lq", "growth"))
    out = []
    for code in table.index[table["status"].isin(SELECTED_STATUSES)]:
        passed = [
            c.title(lang).lower()
            for c in result.config.criteria
            if table.at[code, c.name] == "pass"
        ]
        facts = gettext(
            lang,
            "summary_facts",
            share=fmt_percent(share.get(code), lang),
            lq=fmt_index(lq.get(code), lang, 2),
            growth=fmt_percent(growth.get(code), lang),
        )
        why = ", ".join(passed) or gettext(lang, table.at[code, "status"])
        if table.at[code, "status"] != "candidate":
            why = f"{gettext(lang, table.at[code, 'status'])}: {table.at[code, 'justification']}"
        out.append(
            f"<strong>{escape(sector_name(code, lang))}</strong> ({escape(code)}): "
            f"{escape(why)}. {escape(facts)}"
        )
    return out


def _changes(metrics, var: str, lang: str, unit: str) -> list[str]:
    ss = metrics.frames[var]["shift_share"]
    total = ss[ss["sector"] == TOTAL]
    out = []
    if len(total):
        row = total.iloc[0]
        out.append(
            gettext(
                lang,
                "summary_total",
                variable=variable_name(var, lang),
                start=metrics.start,
                year=metrics.year,
                growth=fmt_percent(row["value_end"] / row["value_start"] - 1, lang),
                ref_growth=fmt_percent(reference_growth(metrics, var), lang),
            )
        )
    body = ss[(ss["sector"] != TOTAL) & ss["regional_shift"].notna()]
    body = body.sort_values("regional_shift")
    if len(body):
        best, worst = body.iloc[-1], body.iloc[0]
        if best["regional_shift"] > 0:
            out.append(
                gettext(
                    lang,
                    "summary_best",
                    sector=sector_name(best["sector"], lang),
                    shift=f"{fmt_number(best['regional_shift'], lang, 1)} {unit}".strip(),
                )
            )
        if worst["regional_shift"] < 0:
            out.append(
                gettext(
                    lang,
                    "summary_worst",
                    sector=sector_name(worst["sector"], lang),
                    shift=f"{fmt_number(abs(worst['regional_shift']), lang, 1)} {unit}".strip(),
                )
            )
    return [str(escape(s)) for s in out]


def _unit(panel: Panel, variable: str, lang: str) -> str:
    """The variable's unit in ``lang`` ("duizend personen"), empty when the panel gives none."""
    from speerpunt.report.keyfigures import UNIT_NAMES

    unit = panel.unit(variable) or ""
    return UNIT_NAMES.get(lang, {}).get(unit, unit)


def _caveats(panel: Panel, result, sens_summary: pd.DataFrame, region: str, lang: str) -> list[str]:
    out = []
    chosen = set(result.selected)
    fragile = [
        sector_name(r.sector, lang)
        for r in sens_summary.itertuples()
        if r.sector in chosen and isinstance(r.stability, float) and r.stability < FRAGILE
    ]
    if fragile:
        out.append(gettext(lang, "caveat_fragile", sectors=", ".join(fragile)))
    table = result.table
    undecided = [sector_name(c, lang) for c in table.loc[table["status"] == UNDECIDED, "sector"]]
    if undecided:
        out.append(gettext(lang, "caveat_undecided", sectors=", ".join(undecided)))
    if result.metrics.missing_variables:
        out.append(
            gettext(lang, "caveat_missing", variables=", ".join(result.metrics.missing_variables))
        )
    flagged = panel.flagged()
    n = int((flagged["region"] == region).sum()) if len(flagged) else 0
    if n:
        out.append(gettext(lang, "caveat_flags", n=n))
    if panel.meta.breaks:
        years = ", ".join(str(b.year) for b in panel.meta.breaks)
        out.append(gettext(lang, "caveat_breaks", years=years))
    out.append(gettext(lang, "caveat_judgement"))
    return [str(escape(s)) for s in out]


def summary_section(
    panel: Panel, result, sens_summary: pd.DataFrame, region: str, lang: str
) -> Section:
    """Candidates and why, what changed, caveats — each as a short list (HTML paragraphs)."""
    metrics = result.metrics
    var = metrics.variables[0]
    candidates = _candidates(result, metrics, var, lang)
    paragraphs = [
        f"<strong>{escape(gettext(lang, 'summary_candidates'))}</strong>",
        _li(candidates) if candidates else str(escape(gettext(lang, "no_candidates"))),
        f"<strong>{escape(gettext(lang, 'summary_changes'))}</strong>",
        _li(_changes(metrics, var, lang, _unit(panel, var, lang))),
        f"<strong>{escape(gettext(lang, 'summary_caveats'))}</strong>",
        _li(_caveats(panel, result, sens_summary, region, lang)),
    ]
    # markup of our own around pieces escaped above: the report template must not escape it again
    return Section("summary", gettext(lang, "summary"), paragraphs=[Markup(p) for p in paragraphs])
