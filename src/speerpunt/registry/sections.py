"""Report sections of the policy registry: functions a report calls to add a registry section.

They render what :mod:`speerpunt.registry.scorecard` and the other registry modules returned, in
the report's model (:class:`~speerpunt.report.model.Section`, tables with raw values and charts);
they compute nothing themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager

import matplotlib.pyplot as plt
import pandas as pd

from speerpunt.errors import RegistryError, SpeerpuntError, Text
from speerpunt.registry import scorecard as sc
from speerpunt.report.charts import OKABE_ITO, STYLE, Chart
from speerpunt.report.model import Column, ReportTable, Section

CODE_STYLE = {  # colour and a mark, so the chart reads without colour too
    "explicit": (OKABE_ITO["blue"], "●"),
    "implicit": (OKABE_ITO["skyblue"], "◐"),
    "absent": (OKABE_ITO["vermillion"], "○"),
    sc.NOT_CODED: ("#DDDDDD", ""),
}
WORDS = {
    "nl": {
        "title": "Beoordeling van de strategische documenten",
        "explicit": "expliciet",
        "implicit": "impliciet",
        "absent": "afwezig",
        sc.NOT_CODED: "niet gecodeerd",
        "inhoud": "inhoud",
        "analyse": "analyse",
        "implementatie": "implementatie",
        "total": "totaal",
        "actor": "actor",
        "group": "groep",
        "criterion": "criterium",
        "code": "code",
        "quote": "citaat",
        "source": "bron",
        "coded": "gecodeerd",
        "score": "score",
        "max_score": "maximum",
        "share": "aandeel",
        "intro": "Score: expliciet = 2, impliciet = 1, afwezig = 0 over de gecodeerde criteria; "
        "een criterium dat de studie voor een actor niet bespreekt telt niet mee (001, Tabel 2-4).",
    },
    "en": {
        "title": "Assessment of the strategy documents",
        "explicit": "explicit",
        "implicit": "implicit",
        "absent": "absent",
        sc.NOT_CODED: "not coded",
        "inhoud": "content",
        "analyse": "analysis",
        "implementatie": "implementation",
        "total": "total",
        "actor": "actor",
        "group": "group",
        "criterion": "criterion",
        "code": "code",
        "quote": "quote",
        "source": "source",
        "coded": "coded",
        "score": "score",
        "max_score": "maximum",
        "share": "share",
        "intro": "Score: explicit = 2, implicit = 1, absent = 0 over the coded criteria; a criterion "
        "the study does not discuss for an actor does not count (001, Tabel 2-4).",
    },
}


def scorecard_chart(
    card: pd.DataFrame, *, names: dict[str, str] | None = None, lang: str = "en"
) -> Chart:
    """Actors × 22 criteria, each cell coloured and marked by its code, groups separated."""
    w = WORDS[lang]
    names = names or {}
    crits = card[["group", "criterion", "criterion_nl"]].drop_duplicates()
    rows = card[["actor", "generation"]].drop_duplicates()
    multi_gen = rows["generation"].nunique() > 1
    with plt.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(2.6 + 0.34 * len(crits), 1.9 + 0.34 * len(rows)))
        for i, r in enumerate(rows.itertuples(index=False)):
            mine = card[(card["actor"] == r.actor) & (card["generation"] == r.generation)]
            codes = dict(zip(mine["criterion"], mine["code"], strict=True))
            for j, crit in enumerate(crits["criterion"]):
                colour, mark = CODE_STYLE[codes.get(crit, sc.NOT_CODED)]
                ax.add_patch(plt.Rectangle((j, i), 0.92, 0.88, color=colour))
                ax.text(j + 0.46, i + 0.44, mark, ha="center", va="center", color="white")
        bounds = crits.reset_index(drop=True).groupby("group", sort=False).size().cumsum()
        for x in bounds.to_numpy()[:-1]:
            ax.axvline(x - 0.04, color="#1d2733", linewidth=1)
        ax.set_xlim(0, len(crits))
        ax.set_ylim(len(rows), 0)
        ax.set_xticks([j + 0.46 for j in range(len(crits))], list(crits["criterion_nl"]))
        ax.tick_params(axis="x", labelsize=7, length=0)
        plt.setp(ax.get_xticklabels(), rotation=60, ha="right", rotation_mode="anchor")
        labels = [
            names.get(r.actor, r.actor) + (f" ({r.generation})" if multi_gen else "")
            for r in rows.itertuples(index=False)
        ]
        ax.set_yticks([i + 0.44 for i in range(len(rows))], labels)
        ax.tick_params(axis="y", length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        handles = [
            plt.Rectangle((0, 0), 1, 1, color=CODE_STYLE[k][0], label=f"{CODE_STYLE[k][1]} {w[k]}")
            for k in ("explicit", "implicit", "absent", sc.NOT_CODED)
        ]
        ax.legend(
            handles=handles, loc="lower left", bbox_to_anchor=(0, 1.01), ncol=4, frameon=False
        )
    tot = sc.totals(card)
    tot = tot[tot["group"] == "total"]
    alt = f"{w['title']}: " + "; ".join(
        f"{names.get(r.actor, r.actor)} {r.coded} {w['coded']}, {w['score']} {r.score}/{r.max_score}"
        for r in tot.itertuples(index=False)
    )
    return Chart("registry-scorecard", fig, alt)


def scorecard_section(
    assessments: pd.DataFrame,
    criteria: pd.DataFrame,
    actors: Sequence[str] | None = None,
    *,
    names: dict[str, str] | None = None,
    lang: str = "en",
) -> Section:
    """The scorecard as a report section: totals per group, every code with its quote and line, a chart."""
    w = WORDS[lang]
    card = sc.scorecard(assessments, criteria, actors)
    names = names or {}
    tot = sc.totals(card)
    tot = tot.assign(
        actor=tot["actor"].map(lambda a: names.get(a, a)), group=tot["group"].map(w.get)
    )
    coded = card[card["code"] != sc.NOT_CODED]
    detail = coded.assign(
        actor=coded["actor"].map(lambda a: names.get(a, a)),
        group=coded["group"].map(w.get),
        code=coded["code"].map(w.get),
        source=coded["doc"].astype(str) + ":" + coded["line"].astype(str),
    )
    totals_table = ReportTable(
        "registry-scorecard-totals",
        f"{w['title']} — {w['total']}",
        [
            Column("actor", w["actor"]),
            Column("group", w["group"]),
            Column("coded", w["coded"], "int"),
            Column("score", w["score"], "int"),
            Column("max_score", w["max_score"], "int"),
            Column("share", w["share"], "percent", 0),
        ],
        tot,
        source="001 Tabel 2-4",
    )
    detail_table = ReportTable(
        "registry-scorecard",
        w["title"],
        [
            Column("actor", w["actor"]),
            Column("group", w["group"]),
            Column("criterion_nl", w["criterion"]),
            Column("code", w["code"]),
            Column("quote", w["quote"], "longtext"),
            Column("source", w["source"]),
        ],
        detail[["actor", "group", "criterion_nl", "code", "quote", "source"]],
        source="001",
    )
    return Section(
        "registry-scorecard",
        w["title"],
        paragraphs=[w["intro"]],
        tables=[totals_table, detail_table],
        charts=[scorecard_chart(card, names=names, lang=lang)],
    )


POLICY_WORDS = {
    "nl": {
        "title": "Beleid voor de sector",
        "statistics": "Cijfers en screening",
        "agreement": "Keuzes en cijfers per provincie",
        "choices": "Wie kiest de sector",
        "recommendations": "Aanbevelingen",
        "instruments": "Instrumenten",
    },
    "en": {
        "title": "Policy for the sector",
        "statistics": "Statistics and screening verdict",
        "agreement": "Choices and numbers per province",
        "choices": "Who chooses the sector",
        "recommendations": "Recommendations",
        "instruments": "Instruments",
    },
}
_POLICY_TABLES = {  # part → (column, kind) shown; the frames keep every field
    "statistics": [
        ("region", "text"),
        ("aggregate", "text"),
        ("share", "percent"),
        ("lq", "index"),
        ("growth", "percent"),
        ("regional_shift", "number"),
        ("status", "text"),
    ],
    "agreement": [
        ("province", "text"),
        ("chosen_by", "text"),
        ("screening", "text"),
        ("verdict", "text"),
    ],
    "choices": [
        ("actor_name", "text"),
        ("label", "text"),
        ("since", "int"),
        ("generation", "text"),
        ("ambiguous", "text"),
    ],
    "instruments": [
        ("name", "text"),
        ("level", "text"),
        ("amount", "number"),
        ("amount_note", "longtext"),
    ],
    "recommendations": [("building_block", "text"), ("text", "longtext"), ("status", "text")],
}


def sector_policy_section(page, *, lang: str = "en") -> Section:
    """A sector's policy page (:func:`speerpunt.registry.sector_policy.sector_policy`) as a report section."""
    w = POLICY_WORDS[lang]
    name = page.sector["nl"] if lang == "nl" else page.sector["en"]
    tables = [
        ReportTable(
            f"registry-sector-{part}",
            w[part],
            [
                Column(c, c.replace("_", " "), kind, 2 if kind == "index" else None)
                for c, kind in cols
            ],
            getattr(page, part),
            source="000, 001, 002, 003" if part != "statistics" else "",
        )
        for part, cols in _POLICY_TABLES.items()
        if len(getattr(page, part))
    ]
    return Section(
        f"registry-sector-{page.sector['id']}",
        f"{w['title']}: {name}",
        paragraphs=page.notes,
        tables=tables,
    )


def registry_provider(reg, sectors: Sequence[str] | None = None):
    """A report section provider (``build_report_data(..., providers=[...])`` or
    :func:`speerpunt.report.sections.register_section`) that adds the registry to a region's report.

    For the report's region (a province such as BE21, or Flanders BE2) the section holds the
    scorecard of the sub-regional actors whose territory lies in it and the policy page of each
    sector in ``sectors`` (default: the sectors those actors chose), with the sector's project map for a
    province (:func:`project_map_chart`).
    """
    from speerpunt.registry.analyses import study_selections
    from speerpunt.registry.sector_policy import sector_policy

    def provider(ctx) -> Section | None:
        # The pages read the same eleven tables about 160 times and write nothing: read each once.
        with reg.snapshot():
            return _registry_section(ctx)

    def _registry_section(ctx) -> Section | None:
        actors = reg.actors()
        inside = actors[
            actors["type"].isin(["province", "RESOC"])
            & actors["territory"].map(
                lambda t: bool(t) and all(c.startswith(ctx.region) for c in t)
            )
        ]
        if inside.empty:
            return None
        names = inside.set_index("id")["name"].to_dict()
        assessed = sorted(set(inside["id"]) & set(reg.records("assessments")["actor"]))
        subsections = []
        if assessed:
            subsections.append(
                scorecard_section(
                    reg.records("assessments"),
                    reg.records("criteria"),
                    assessed,
                    names=names,
                    lang=ctx.lang,
                )
            )
        chosen = study_selections(reg.selections())
        wanted = (
            list(sectors)
            if sectors is not None
            else sorted(set(chosen.loc[chosen["actor"].isin(inside["id"]), "sector"]))
        )
        screenings: dict = {}  # one screening per region for all sector pages of this build
        for sid in wanted:
            try:
                page = sector_policy(
                    reg, sid, panel=ctx.panel, reference=ctx.reference, cache=screenings
                )
            except RegistryError as exc:  # e.g. the report's data lack the sector's aggregate
                page = sector_policy(reg, sid)
                page.notes.append(f"no statistics from the report's data: {exc.one_line()}")
            section = sector_policy_section(page, lang=ctx.lang)
            chart = project_map_chart(reg, ctx.region, sid, ctx.lang)
            section.charts += [chart] if chart else []
            subsections.append(section)
        title = {"nl": "Beleidsregister", "en": "Policy registry"}[ctx.lang]
        return Section("registry", title, subsections=subsections)

    return provider


def project_map_chart(reg, region: str, sector: str, lang: str = "nl") -> Chart | None:
    """The printed project map of a province × sector: the layer the web's registry map draws
    (:func:`speerpunt.registry.maps.map_layer`), drawn by :func:`~speerpunt.registry.maps.province_sector_map`.
    ``None`` when no boundaries are configured (``--geo-dir`` / ``SPEERPUNT_GEO_DIR``), ``region`` is not a
    Flemish province (BE21 … BE25) or the registry maps nothing of the sector there."""
    from speerpunt.geo import resolve_geo_dir
    from speerpunt.registry.maps import province_sector_map, resolve_province

    try:
        geo_dir = resolve_geo_dir()
        _, actor, name = resolve_province(region, geo_dir)
    except SpeerpuntError:
        return None
    features = reg.features()
    if not ((features["province"] == actor) & (features["sector"] == sector)).any():
        return None
    fig = province_sector_map(
        features, region, sector, geo_dir, lang=lang, selections=reg.selections()
    )
    alt = {
        "nl": f"Kaart van de projecten, zones en verbindingen van {sector} in de provincie {name}",
        "en": f"Map of the projects, zones and connections of {sector} in the province of {name}",
    }[lang]
    return Chart(f"registry-map-{sector}", fig, alt)


CURATED_URL = "sqlite://"  # in memory: the report never writes to a database the user did not name


@contextmanager
def report_registry(db: str | None = None) -> Iterator:
    """The registry a report reads: the database at ``db`` (initialised and loaded), or by default the
    curated dataset shipped with the package, loaded into an in-memory SQLite database for this report.
    """
    from speerpunt.registry.store import Registry

    reg = Registry(db) if db else Registry(CURATED_URL, create=True)
    try:
        if reg.count("actors") == 0:
            raise RegistryError(
                Text("cli_registry_empty", url=reg.url),
                column="--db",
            )
        yield reg
    finally:
        reg.close()
