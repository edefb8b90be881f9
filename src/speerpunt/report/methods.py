"""The methods section: formulas, conventions and references, in Dutch or English."""

from __future__ import annotations

from markupsafe import Markup

from speerpunt.report.i18n import t
from speerpunt.report.model import Section
from speerpunt.screening import ScreeningConfig

_ITEMS = {
    "nl": [
        (
            "Aandeel",
            "s<sub>ri</sub> = x<sub>ri</sub> / x<sub>r</sub>; het totaal is de TOTAL-rij van de "
            "gegevens waar die bestaat.",
        ),
        (
            "Trend (groei)",
            "g = x(t<sub>1</sub>) / x(t<sub>0</sub>) − 1 (cumulatief, zoals de ‘trend’ in de "
            "studie); jaarlijkse groei (g+1)<sup>1/(t<sub>1</sub>−t<sub>0</sub>)</sup> − 1.",
        ),
        (
            "Locatiequotiënt (specialisatie-index)",
            "LQ<sub>ri</sub> = (x<sub>ri</sub> / x<sub>r</sub>) / "
            "(x<sub>Ri</sub> / x<sub>R</sub>); LQ &gt; 1: gespecialiseerd ten opzichte van de referentie R. "
            "Trendsymbool +, − of = naargelang de LQ steeg, daalde of gelijk bleef (tolerantie {tol}).",
        ),
        (
            "Shift-share (Dunn 1960)",
            "Δx<sub>ri</sub> = x<sub>ri</sub>(t<sub>0</sub>)·G + "
            "x<sub>ri</sub>(t<sub>0</sub>)·(G<sub>i</sub> − G) + x<sub>ri</sub>(t<sub>0</sub>)·(g<sub>ri</sub> − "
            "G<sub>i</sub>): nationale component, sectorstructuur en regionale component; de drie delen tellen "
            "exact op tot de werkelijke verandering.",
        ),
        (
            "Screening",
            "Elk criterium vergelijkt een maatstaf met een drempel (absoluut, kwantiel of rang); "
            "ontbrekende gegevens maken een criterium ‘onbekend’, niet ‘niet voldaan’. De regel combineert de "
            "criteria (driewaardige logica). Expertoordelen vereisen een schriftelijke motivering en een auteur.",
        ),
        (
            "Gevoeligheid",
            "Elke drempel afzonderlijk ×{lo:g} … ×{hi:g} in {steps} stappen; stabiliteit = "
            "aandeel van de doorrekeningen waarin de sector geselecteerd is. Ook met andere referentieregio's.",
        ),
        (
            "Prestatiematrix",
            "Sterk (zwak) als de waarde meer dan 20 % boven (onder) het midden ligt "
            "(SERV, tabel 3).",
        ),
        (
            "Referenties",
            "Provincie Antwerpen (2013), Speerpuntsectoren, §4.2; Dunn (1960), Papers of the "
            "Regional Science Association 6; Isard (1960), Methods of Regional Analysis; SERV (2015), tabel 3; "
            "Delgado, Porter &amp; Stern (2014), US Cluster Mapping; Okabe &amp; Ito (2008), kleurenpalet.",
        ),
    ],
    "en": [
        (
            "Share",
            "s<sub>ri</sub> = x<sub>ri</sub> / x<sub>r</sub>; the total is the data's TOTAL row where "
            "there is one.",
        ),
        (
            "Trend (growth)",
            "g = x(t<sub>1</sub>) / x(t<sub>0</sub>) − 1 (cumulative, the study's ‘trend’); "
            "annual growth (g+1)<sup>1/(t<sub>1</sub>−t<sub>0</sub>)</sup> − 1.",
        ),
        (
            "Location quotient (specialisation index)",
            "LQ<sub>ri</sub> = (x<sub>ri</sub> / x<sub>r</sub>) / "
            "(x<sub>Ri</sub> / x<sub>R</sub>); LQ &gt; 1: specialised against the reference R. Trend symbol +, − "
            "or = as the LQ rose, fell or stayed the same (tolerance {tol}).",
        ),
        (
            "Shift-share (Dunn 1960)",
            "Δx<sub>ri</sub> = x<sub>ri</sub>(t<sub>0</sub>)·G + "
            "x<sub>ri</sub>(t<sub>0</sub>)·(G<sub>i</sub> − G) + x<sub>ri</sub>(t<sub>0</sub>)·(g<sub>ri</sub> − "
            "G<sub>i</sub>): national share, industry mix and regional shift; the three parts add up exactly to "
            "the actual change.",
        ),
        (
            "Screening",
            "Each criterion compares a measure with a threshold (absolute, quantile or rank); missing "
            "data make a criterion ‘unknown’, not ‘fail’. The rule combines the criteria (three-valued logic). "
            "Expert overrides require a written justification and an author.",
        ),
        (
            "Sensitivity",
            "Each threshold alone ×{lo:g} … ×{hi:g} in {steps} steps; stability = share of runs in "
            "which the sector is selected. Also under other reference regions.",
        ),
        (
            "Performance matrix",
            "Strong (weak) when the value is more than 20 % above (below) the centre "
            "(SERV, Table 3).",
        ),
        (
            "References",
            "Provincie Antwerpen (2013), Speerpuntsectoren, §4.2; Dunn (1960), Papers of the "
            "Regional Science Association 6; Isard (1960), Methods of Regional Analysis; SERV (2015), Table 3; "
            "Delgado, Porter &amp; Stern (2014), US Cluster Mapping; Okabe &amp; Ito (2008), colour palette.",
        ),
    ],
}


def methods_section(lang: str, config: ScreeningConfig) -> Section:
    """Formulas and references; the numbers in it are the configuration's own settings."""
    fields = {
        "tol": config.lq_tolerance,
        "lo": 1 - config.sensitivity_range,
        "hi": 1 + config.sensitivity_range,
        "steps": config.sensitivity_steps,
    }
    # The texts are ours and carry markup (sub/superscripts); only the numbers are filled in (escaped).
    items = [(k, Markup(v).format(**fields)) for k, v in _ITEMS[lang]]
    return Section("methods", t("methods", lang), items=items)
