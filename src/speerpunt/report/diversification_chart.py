"""The S3 diversification chart: relatedness density × complexity per sector for one region.

Balland et al. (2019) place each sector of a region by how related it is to what the region already does
(relatedness density, x) and how complex it is (PCI, y): sectors to the upper right are the most promising
diversification options, the region's current specialisations (``M = 1``) are marked. Bubble area is
proportional to the region's value (e.g. employment) in the sector. Dashed lines mark the medians of the
sectors shown. Colours are Okabe–Ito (blue filled for specialisations, vermilion outlined for the others),
so the two groups differ in colour *and* fill and stay apart in grey print and for colour-blind readers.

The chart renders what :func:`speerpunt.measures.complexity.diversification` returned; it computes
nothing of its own.

Reference
---------
Balland, P.-A., Boschma, R., Crespo, J. & Rigby, D. L. (2019). Smart specialization policy in the European
Union: relatedness, knowledge complexity and regional diversification. *Regional Studies*, 53(9),
1252–1268.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from speerpunt.errors import ConfigError, DataError, Text
from speerpunt.report.choropleth import add_notes, new_figure, save_figure

SPECIALISED = "#0072B2"  # Okabe–Ito blue
OTHER = "#D55E00"  # Okabe–Ito vermilion
NEEDED = ("region", "sector", "value", "density", "pci", "m")
TEXTS = {
    "en": {
        "title": "S3 diversification chart — {region}, {year}",
        "x": "Relatedness density",
        "y": "Complexity (PCI)",
        "yes": "current specialisation (RCA ≥ threshold)",
        "no": "not specialised",
        "size": "Bubble area ∝ {variable}. Dashed lines: medians of the sectors shown.",
        "missing": "Not shown (no density or PCI): {sectors}.",
    },
    "nl": {
        "title": "S3-diversificatiekaart — {region}, {year}",
        "x": "Verwantschapsdichtheid",
        "y": "Complexiteit (PCI)",
        "yes": "huidige specialisatie (RCA ≥ drempel)",
        "no": "geen specialisatie",
        "size": "Oppervlakte van de bol ∝ {variable}. Stippellijnen: medianen van de getoonde sectoren.",
        "missing": "Niet getoond (geen dichtheid of PCI): {sectors}.",
    },
}


def diversification_chart(
    cells: pd.DataFrame,
    *,
    lang: str = "en",
    title: str | None = None,
    labels: dict[str, str] | None = None,
    path: str | Path | None = None,
) -> Figure:
    """Draw the S3 chart of one region from the rows of :func:`~speerpunt.measures.diversification`.

    Parameters
    ----------
    cells : DataFrame
        Rows of one region with ``region, sector, value, density, pci, m`` (``year``, ``variable``
        used in the title when present).
    lang : ``"en"`` or ``"nl"``
    title : str, optional
        Replaces the default title.
    labels : dict, optional
        Sector code → label to print beside the bubble (default: the code).
    path : path, optional
        Write the chart there as SVG or PNG (by extension); SVG keeps the labels as text.

    Returns
    -------
    Figure
    """
    if lang not in TEXTS:
        raise ConfigError(Text("cli_unknown_lang", lang=lang), column="--lang")
    missing = [c for c in NEEDED if c not in cells.columns]
    if missing:
        raise DataError(Text("rp_chart_columns", columns=", ".join(missing)), column=missing[0])
    regions = cells["region"].unique()
    if len(regions) != 1:
        raise DataError(Text("rp_chart_one_region", n=len(regions)), column="region")
    t = TEXTS[lang]
    shown = cells.dropna(subset=["density", "pci"])
    fig = new_figure(9.0, 7.0)
    ax = fig.add_axes((0.09, 0.16, 0.88, 0.74))
    _bubbles(ax, shown, labels or {})
    _decorate(ax, shown, t)
    first = cells.iloc[0]
    default_title = t["title"].format(region=regions[0], year=first.get("year", ""))
    from speerpunt.i18n import variable_name

    notes = [t["size"].format(variable=variable_name(str(first.get("variable", "value")), lang))]
    left_out = cells.loc[~cells.index.isin(shown.index), "sector"].tolist()
    if left_out:
        notes.append(t["missing"].format(sectors=", ".join(left_out)))
    add_notes(fig, title or default_title, notes)
    if path is not None:
        save_figure(fig, path)
    return fig


def _bubbles(ax, shown: pd.DataFrame, labels: dict[str, str]) -> None:
    value = shown["value"].to_numpy(dtype=float)
    top = np.nanmax(value) if len(value) and np.nanmax(value) > 0 else 1.0
    area = 30 + 1500 * np.nan_to_num(value) / top
    spec = shown["m"].to_numpy() == 1
    ax.scatter(
        shown["density"][spec],
        shown["pci"][spec],
        s=area[spec],
        c=SPECIALISED,
        edgecolors="#000000",
        linewidths=0.8,
        alpha=0.75,
        zorder=3,
    )
    ax.scatter(
        shown["density"][~spec],
        shown["pci"][~spec],
        s=area[~spec],
        facecolors="white",
        edgecolors=OTHER,
        linewidths=1.6,
        alpha=0.9,
        zorder=2,
    )
    for code, x, y in zip(shown["sector"], shown["density"], shown["pci"], strict=True):
        ax.annotate(
            labels.get(code, code),
            (x, y),
            xytext=(6, 4),
            textcoords="offset points",
            fontsize=8,
            zorder=4,
        )


def _decorate(ax, shown: pd.DataFrame, t: dict[str, str]) -> None:
    if len(shown):
        ax.axvline(shown["density"].median(), color="#777777", linestyle="--", linewidth=0.8)
        ax.axhline(shown["pci"].median(), color="#777777", linestyle="--", linewidth=0.8)
    ax.set_xlabel(t["x"])
    ax.set_ylabel(t["y"])
    ax.grid(True, color="#eeeeee", zorder=0)
    handles = [
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor=SPECIALISED,
            markeredgecolor="#000000",
            label=t["yes"],
        ),
        Line2D(
            [],
            [],
            marker="o",
            linestyle="",
            markersize=9,
            markerfacecolor="white",
            markeredgecolor=OTHER,
            markeredgewidth=1.6,
            label=t["no"],
        ),
    ]
    ax.legend(handles=handles, loc="best", fontsize=8, frameon=True)
