"""Report wording in Dutch and English (one dictionary per language, looked up with :func:`t`)."""

from __future__ import annotations

from speerpunt.errors import ClassificationError, SpeerpuntError

TEXT = {
    "nl": {
        "alt_none": "geen",
        "alt_portfolio": (
            "Portfoliodiagram van {n} sectoren: locatiequotiënt in {year} (horizontaal, lijn bij 1) tegen de "
            "groei {start}–{year} (verticaal, lijn bij de groei van de referentie {ref_growth}); de grootte van "
            "een bel is het niveau. Gespecialiseerd en sneller groeiend dan de referentie: {quad}."
        ),
        "alt_timeseries": (
            "Tijdreeks van {label}: niveau van {v0} in {y0} tot {v1} in {y1}; locatiequotiënt van {lq0} "
            "tot {lq1}."
        ),
        "alt_timeseries_empty": "Tijdreeks van {label}: geen gegevens.",
        "alt_shiftshare": (
            "Shift-share-componenten {start}–{year} per sector als horizontale balken (nationale component, "
            "sectorstructuur, regionale component). Grootste positieve regionale componenten: {top}."
        ),
        "alt_heatmap": "Screening: sectoren (rijen) tegen criteria (kolommen), ✓ voldaan, ✗ niet voldaan, "
        "? onbekend. {items}.",
        "alt_heatmap_item": "{title}: {k} van {n} voldaan",
        "alt_lq": (
            "Locatiequotiënten in {year} per sector als horizontale balken met een lijn bij 1. Boven 1 "
            "(gespecialiseerd): {above}."
        ),
        "kf_variable_missing": "{variable} zit niet in de gegevens",
        "title": "Speerpuntsectoren: regionaal profiel van {region}",
        "subtitle": "Referentie: {reference} · {variable} · {start}–{year}",
        "generated": "Gemaakt met speerpunt {version}",
        "toc": "Inhoud",
        "profile": "Regioprofiel",
        "structure": "Sectorstructuur",
        "lq_section": "Specialisatie (locatiequotiënten)",
        "shiftshare": "Shift-share-analyse",
        "screening": "Screening van speerpuntsectoren",
        "sensitivity": "Gevoeligheid van de selectie",
        "portfolio": "Portfoliodiagram",
        "matrix": "Prestatiematrix",
        "keyfigures": "Kerncijfers van de kandidaat-sectoren",
        "methods": "Methode",
        "datanotes": "Gegevens en opmerkingen",
        "extra": "Bijkomende analyses",
        "sector": "Sector",
        "code": "Code",
        "level": "Niveau",
        "share": "Aandeel",
        "ref_share": "Aandeel referentie",
        "lq": "LQ",
        "lq_start": "LQ {start}",
        "lq_end": "LQ {year}",
        "growth": "Groei",
        "cagr": "Jaarlijkse groei",
        "actual_change": "Werkelijke verandering",
        "national_share": "Nationale component",
        "industry_mix": "Sectorstructuur (mix)",
        "regional_shift": "Regionale component",
        "status": "Status",
        "reason": "Motivering",
        "score": "Score",
        "rank": "Rang",
        "stability": "Stabiliteit",
        "flips": "Kantelt bij",
        "selected": "Geselecteerd",
        "criterion": "Criterium",
        "measure": "Maatstaf",
        "rule": "Regel",
        "threshold": "Drempel",
        "value": "Waarde",
        "result": "Resultaat",
        "variable": "Variabele",
        "region": "Regio",
        "reference": "Referentie",
        "years": "Jaren",
        "total": "Totaal",
        "n_sectors": "Aantal sectoren",
        "unit": "Eenheid",
        "source": "Bron",
        "period": "Periode",
        "override": "Expertoordeel",
        "author": "Auteur",
        "justification": "Motivering",
        "n_selected": "Aantal referenties met selectie",
        "x_class": "Specialisatie",
        "y_class": "Groei",
        "candidate": "kandidaat",
        "rejected": "afgewezen",
        "added by override": "toegevoegd (expert)",
        "removed by override": "geschrapt (expert)",
        "pass": "ja",
        "fail": "nee",
        "unknown": "onbekend",
        "strong": "Sterk",
        "average": "Gemiddeld",
        "weak": "Zwak",
        "lq_trend": "Trend LQ",
        "no_candidates": "Geen kandidaat-sectoren.",
        "none": "Geen.",
        "note": "Opmerking",
        "missing_cells": "Ontbrekende of gemarkeerde cellen",
        "breaks": "Classificatiebreuken",
        "flag": "Vlag",
        "year": "Jaar",
        "meaning": "Betekenis",
        "chart_level": "Niveau",
        "chart_lq": "Locatiequotiënt",
        "chart_growth": "Groei {start}–{year}",
        "chart_selected": "geselecteerd",
        "chart_not_selected": "niet geselecteerd",
        "chart_ref_growth": "groei referentie",
        "chart_change": "Verandering {start}–{year}",
    },
    "en": {
        "alt_none": "none",
        "alt_portfolio": (
            "Portfolio chart of {n} sectors: location quotient in {year} (horizontal, line at 1) against "
            "growth {start}–{year} (vertical, line at the reference's growth {ref_growth}); bubble size is "
            "the level. Specialised and growing faster than the reference: {quad}."
        ),
        "alt_timeseries": (
            "Time series of {label}: level from {v0} in {y0} to {v1} in {y1}; location quotient from {lq0} "
            "to {lq1}."
        ),
        "alt_timeseries_empty": "Time series of {label}: no data.",
        "alt_shiftshare": (
            "Shift-share components {start}–{year} per sector as horizontal bars (national share, industry "
            "mix, regional shift). Largest positive regional shifts: {top}."
        ),
        "alt_heatmap": "Screening heat-map: sectors (rows) against criteria (columns), ✓ pass, ✗ fail, "
        "? unknown. {items}.",
        "alt_heatmap_item": "{title}: {k} of {n} pass",
        "alt_lq": (
            "Location quotients in {year} per sector as horizontal bars with a line at 1. Above 1 "
            "(specialised): {above}."
        ),
        "kf_variable_missing": "{variable} is not in the data",
        "title": "Spearhead sectors: regional profile of {region}",
        "subtitle": "Reference: {reference} · {variable} · {start}–{year}",
        "generated": "Made with speerpunt {version}",
        "toc": "Contents",
        "profile": "Region profile",
        "structure": "Sector structure",
        "lq_section": "Specialisation (location quotients)",
        "shiftshare": "Shift-share analysis",
        "screening": "Spearhead screening",
        "sensitivity": "Sensitivity of the selection",
        "portfolio": "Portfolio chart",
        "matrix": "Performance matrix",
        "keyfigures": "Key figures of the candidate sectors",
        "methods": "Methods",
        "datanotes": "Data and notes",
        "extra": "Further analyses",
        "sector": "Sector",
        "code": "Code",
        "level": "Level",
        "share": "Share",
        "ref_share": "Reference share",
        "lq": "LQ",
        "lq_start": "LQ {start}",
        "lq_end": "LQ {year}",
        "growth": "Growth",
        "cagr": "Annual growth",
        "actual_change": "Actual change",
        "national_share": "National share",
        "industry_mix": "Industry mix",
        "regional_shift": "Regional shift",
        "status": "Status",
        "reason": "Reason",
        "score": "Score",
        "rank": "Rank",
        "stability": "Stability",
        "flips": "Flips at",
        "selected": "Selected",
        "criterion": "Criterion",
        "measure": "Measure",
        "rule": "Rule",
        "threshold": "Threshold",
        "value": "Value",
        "result": "Result",
        "variable": "Variable",
        "region": "Region",
        "reference": "Reference",
        "years": "Years",
        "total": "Total",
        "n_sectors": "Number of sectors",
        "unit": "Unit",
        "source": "Source",
        "period": "Period",
        "override": "Expert override",
        "author": "Author",
        "justification": "Justification",
        "n_selected": "References selecting it",
        "x_class": "Specialisation",
        "y_class": "Growth",
        "candidate": "candidate",
        "rejected": "rejected",
        "added by override": "added by override",
        "removed by override": "removed by override",
        "pass": "yes",
        "fail": "no",
        "unknown": "unknown",
        "strong": "Strong",
        "average": "Average",
        "weak": "Weak",
        "lq_trend": "LQ trend",
        "no_candidates": "No candidate sectors.",
        "none": "None.",
        "note": "Note",
        "missing_cells": "Missing or flagged cells",
        "breaks": "Classification breaks",
        "flag": "Flag",
        "year": "Year",
        "meaning": "Meaning",
        "chart_level": "Level",
        "chart_lq": "Location quotient",
        "chart_growth": "Growth {start}–{year}",
        "chart_selected": "selected",
        "chart_not_selected": "not selected",
        "chart_ref_growth": "reference growth",
        "chart_change": "Change {start}–{year}",
    },
}


def t(key: str, lang: str, **fields: object) -> str:
    """The text for ``key`` in ``lang`` with ``fields`` filled in (the key itself when it is unknown)."""
    if lang not in TEXT:
        raise SpeerpuntError(f"unknown language '{lang}' (choose nl or en)", column="--lang")
    text = TEXT[lang].get(key, key)
    return text.format(**fields) if fields else text


def sector_name(code: str, lang: str) -> str:
    """The NACE or aggregate label of ``code`` from :mod:`speerpunt.classify` (the code itself when unknown)."""
    from speerpunt.classify.aggregates import sector_label

    try:
        return sector_label(code, lang) or code
    except ClassificationError:  # a user's own sector label is its own name
        return code


def region_name(code: str, lang: str) -> str:
    """The NUTS name of ``code`` (Dutch names for Belgium), or the code when unknown."""
    if code.startswith("rest:"):
        base = region_name(code[5:], lang)
        return f"{'rest van' if lang == 'nl' else 'rest of'} {base}"
    from speerpunt.classify.nuts import nuts_name

    try:
        return nuts_name(code, lang) or code
    except ClassificationError:  # a user's own region code is its own name
        return code
