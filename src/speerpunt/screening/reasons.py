"""One-line reasons for a sector's screening status, in English or Dutch.

The reason names the criteria that decided the status with the values and thresholds that applied, the
criteria that could not be judged (and why), and an override with its author.
"""

from __future__ import annotations

import pandas as pd

from speerpunt.i18n.notes import note_text
from speerpunt.report.fmt import fmt_measure
from speerpunt.screening.config import ScreeningConfig
from speerpunt.screening.metrics import SectorMetrics

_WORDS = {
    "en": {
        "meets": "meets the rule",
        "fails": "does not meet the rule",
        "undecided": "undecided (missing data)",
        "unknown": "unknown",
        "not": "not",
        "override_add": "added by override",
        "override_remove": "removed by override",
        "by": "by",
        "redundant": "override has no effect",
        "absent": "not in the data",
    },
    "nl": {
        "meets": "voldoet aan de regel",
        "fails": "voldoet niet aan de regel",
        "undecided": "onbeslist (ontbrekende gegevens)",
        "unknown": "onbekend",
        "not": "niet",
        "override_add": "toegevoegd door expertoordeel",
        "override_remove": "geschrapt door expertoordeel",
        "by": "door",
        "redundant": "expertoordeel verandert niets",
        "absent": "niet in de gegevens",
    },
}


MEASURE_NAMES = {
    "en": {
        "share": "share",
        "level": "level",
        "lq": "LQ",
        "growth": "growth",
        "cagr": "annual growth",
        "regional_shift": "regional shift",
        "lq_change": "LQ change",
        "start_rate": "start rate",
        "stop_rate": "stop rate",
        "net_entry_rate": "net entry rate",
        "start_rate_ratio": "start rate / reference",
        "stop_rate_ratio": "stop rate / reference",
    },
    "nl": {
        "share": "aandeel",
        "level": "niveau",
        "lq": "LQ",
        "growth": "groei",
        "cagr": "jaarlijkse groei",
        "regional_shift": "regionale component",
        "lq_change": "LQ-verandering",
        "start_rate": "oprichtingsgraad",
        "stop_rate": "stopzettingsgraad",
        "net_entry_rate": "netto-oprichtingsgraad",
        "start_rate_ratio": "oprichtingsgraad / referentie",
        "stop_rate_ratio": "stopzettingsgraad / referentie",
    },
}
VARIABLE_WORDS = {
    "en": {"employment": "employment", "value_added": "value added", "enterprises": "enterprises"},
    "nl": {
        "employment": "werkgelegenheid",
        "value_added": "toegevoegde waarde",
        "enterprises": "ondernemingen",
    },
}


#: Business-demography measures: rates as percentages, ratios with two decimals.
_DEMOGRAPHY_KINDS = {
    "start_rate": ("percent", 1),
    "stop_rate": ("percent", 1),
    "net_entry_rate": ("percent", 1),
    "start_rate_ratio": ("index", 2),
    "stop_rate_ratio": ("index", 2),
}


def _fmt(x: float, measure: str, lang: str) -> str:
    if measure in _DEMOGRAPHY_KINDS:
        from speerpunt.report.fmt import fmt_value

        kind, decimals = _DEMOGRAPHY_KINDS[measure]
        return fmt_value(x, kind, lang, decimals=decimals)
    return fmt_measure(x, measure, lang)


def _evidence(rows: list[dict], lang: str) -> str:
    """``'share 21.7% ≥ 8.8%'`` for each variable of one criterion (``rows``: its detail records)."""
    parts = []
    for r in rows:
        if r["passed"] is None:
            continue
        sym = {">=": "≥", ">": ">", "<=": "≤", "<": "<"}[r["op"]]
        if not r["passed"]:
            sym = {"≥": "<", ">": "≤", "≤": ">", "<": "≥"}[sym]
        var = "" if len(rows) == 1 else f"{VARIABLE_WORDS[lang].get(r['variable'], r['variable'])} "
        measure = r["measure"]
        name = MEASURE_NAMES[lang].get(measure, measure)
        parts.append(
            f"{var}{name} {_fmt(r['value'], measure, lang)} {sym} {_fmt(r['threshold'], measure, lang)}"
        )
    return ", ".join(parts)


def reason_text(
    row: dict,
    details: pd.DataFrame | list[dict],
    config: ScreeningConfig,
    metrics: SectorMetrics,
    lang: str = "en",
) -> str:
    """The reason for one sector: ``row`` has the criterion results (True/False/None), ``rule``, ``status``
    and override fields; ``details`` are that sector's rows of the detail table (a frame, or its
    records as :func:`~speerpunt.screening.engine.sector_records` gives them)."""
    w = _WORDS[lang]
    # Plain records: a sector has a handful of detail rows, and a DataFrame filter per criterion cost
    # more than the whole text (pandas' per-call overhead, five screenings per report).
    records = details if isinstance(details, list) else details.to_dict("records")

    def of(criterion: str) -> list[dict]:
        return [r for r in records if r["criterion"] == criterion]

    verdict = row["rule"]
    decided = [c for c in config.rule.names if row[c] is verdict] if verdict is not None else []
    shown = []
    for c in config.criteria:
        if c.name not in decided:
            continue
        ev = _evidence(of(c.name), lang)
        label = c.title(lang)
        shown.append(f"{label if row[c.name] else w['not'] + ' ' + label.lower()} ({ev})")
    unknown = [
        f"{config.criterion(c).title(lang)} {w['unknown']}: "
        f"{'; '.join(note_text(r['note'], lang) for r in of(c) if r['note'])}"
        for c in config.rule.names
        if row[c] is None
    ]
    head = w["meets"] if verdict else (w["undecided"] if verdict is None else w["fails"])
    text = head + (": " + "; ".join(shown) if shown else "")
    if unknown:
        text += " — " + "; ".join(unknown)
    if metrics.missing_variables:
        missing = [VARIABLE_WORDS[lang].get(v, v) for v in metrics.missing_variables]
        text += f" [{', '.join(missing)}: {w['absent']}]"
    if row.get("override"):
        key = "override_add" if row["override"] == "add" else "override_remove"
        effect = (
            w[key]
            if row["status"] in ("added by override", "removed by override")
            else w["redundant"]
        )
        text += f" — {effect} {w['by']} {row['author']}: {row['justification']}"
    return text
