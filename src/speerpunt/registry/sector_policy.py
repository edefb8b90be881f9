"""A sector's policy page: the numbers, who chooses it, what serves it, and where the two disagree.

:func:`sector_policy` gathers, for one canonical sector, the results other modules compute — the
screening of its panel aggregate in each Flemish province and in the Flemish Region
(:func:`speerpunt.screening.screen`), the registry's selections, map features, instruments, projects,
clusters, policy domains and recommendations — and one comparison of its own: per province, whether
actors there chose the sector and whether the screening selects its aggregate.

The statistics are those of the *aggregate* that contains the sector (logistics H49-H53 is measured
by G-I): every statistics row says so. A sector without a NACE aggregate (cleantech, bio-based) gets
no statistics and no verdict — "no data", never "not supported".
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import pandas as pd

from speerpunt.errors import RegistryError, Text
from speerpunt.registry import doubt
from speerpunt.registry.analyses import study_selections

#: Flemish provinces (registry actor) → NUTS 2 region of the embedded panels, and the Flemish Region
PROVINCES = {
    "prov-antwerpen": "BE21",
    "prov-limburg": "BE22",
    "prov-oost-vlaanderen": "BE23",
    "prov-vlaams-brabant": "BE24",
    "prov-west-vlaanderen": "BE25",
}
FLANDERS = "BE2"
#: the generation of the other Antwerp actors' priorities in 000 (City, University, Voka)
CONTEXT = "context-2014"
#: the parts of a :class:`SectorPolicy`, in the order the page shows them
PARTS = (
    "statistics",
    "agreement",
    "choices",
    "benchmark",
    "others",
    "features",
    "instruments",
    "projects",
    "clusters",
    "domains",
    "recommendations",
)


@dataclass
class SectorPolicy:
    """Everything the sector page shows, as tidy frames (see :func:`sector_policy`)."""

    sector: dict[str, Any]
    statistics: pd.DataFrame
    choices: pd.DataFrame
    benchmark: pd.DataFrame
    others: pd.DataFrame
    features: pd.DataFrame
    instruments: pd.DataFrame
    projects: pd.DataFrame
    clusters: pd.DataFrame
    domains: pd.DataFrame
    recommendations: pd.DataFrame
    agreement: pd.DataFrame
    notes: list[str] = field(default_factory=list)


def _serving(records: pd.DataFrame, sector: str, column: str = "sectors") -> pd.DataFrame:
    if records.empty:
        return records
    keep = records[column].map(lambda s: sector in (s or []))
    return records[keep].reset_index(drop=True)


def screening_key(panel, region: str, reference: str, config) -> tuple:
    """The key of one screening in a sector-page ``cache``: the configuration's repr covers every
    field; ``id(panel)`` is safe while the cache's owner holds the panel."""
    return (id(panel), region, reference, repr(config))


def _statistics(
    panel, aggregate: str | None, reference: str, start, end, cache: dict | None = None
) -> pd.DataFrame:
    """Screening of the aggregate in each province and in Flanders: share, LQ, growth, shift, verdict.

    ``cache`` (a dict owned by the caller, e.g. one report build) keeps each screening by panel,
    region, reference and configuration, so the pages of several sectors screen each region once.
    """
    cols = ["region", "aggregate", "share", "lq", "growth", "regional_shift", "status", "reason"]
    if panel is None or aggregate is None:
        return pd.DataFrame(columns=cols)
    from speerpunt.screening import load_config, screen
    from speerpunt.screening.engine import config_metrics

    if aggregate not in panel.sectors:
        raise RegistryError(Text("rg_panel_no_sector", sector=aggregate), column="--data")
    cfg = load_config()
    if start is not None or end is not None:
        cfg = replace(cfg, start=start or cfg.start, year=end or cfg.year)
    cache = {} if cache is None else cache

    def screened(region: str, config):
        key = screening_key(panel, region, reference, config)
        if key not in cache:
            cache[key] = screen(panel, region=region, reference=reference, config=config)
        return cache[key]

    def measured(region: str, config):
        # Figures only: the metrics a screening would start from, without screening them.
        key = ("metrics", *screening_key(panel, region, reference, config))
        if key not in cache:
            cache[key] = config_metrics(
                panel, config, region=region, reference=reference, variables=config.variables
            )
        return cache[key]

    rows = []
    for region in [*PROVINCES.values(), FLANDERS]:
        res = screened(region, cfg)
        m = res.metrics
        table = res.table.set_index("sector")
        if aggregate in table.index:
            status, reason = table.at[aggregate, "status"], table.at[aggregate, "reason"]
        else:
            # a finer aggregate (C inside B-E): its figures, but no verdict — the screening ranks the
            # sectors of one partition, and adding C beside B-E would count manufacturing twice
            m = measured(region, replace(cfg, sectors=[aggregate]))
            status = "not screened"
            reason = (
                f"{aggregate} is not one of the screened sectors ({', '.join(table.index)}): "
                "figures only, no verdict"
            )
        var = m.variables[0]
        rows.append(
            {
                "region": region,
                "aggregate": aggregate,
                "share": m.value(var, "share").get(aggregate),
                "lq": m.value(var, "lq").get(aggregate),
                "growth": m.value(var, "growth").get(aggregate),
                "regional_shift": m.value(var, "regional_shift").get(aggregate),
                "status": status,
                "reason": reason,
            }
        )
    return pd.DataFrame(rows, columns=cols)


def _agreement(
    choices: pd.DataFrame, statistics: pd.DataFrame, pairs: pd.DataFrame
) -> pd.DataFrame:
    """Per province: who chose the sector, the screening status, and whether the two agree."""
    from speerpunt.screening import SELECTED_STATUSES

    status = (
        statistics.set_index("region")["status"] if len(statistics) else pd.Series(dtype=object)
    )
    doubtful = set(pairs["actor"])
    rows = []
    for province, region in PROVINCES.items():
        mine = choices[choices["actor_province"] == province]
        actors = sorted(set(mine["actor"]))
        st = status.get(region)
        chosen = bool(actors)
        if st is None or st == "not screened":
            verdict = "no verdict: the aggregate is not screened"
        else:
            supported = st in SELECTED_STATUSES
            verdict = {
                (True, True): "agree: chosen and selected by the numbers",
                (True, False): "disagree: chosen, not selected by the numbers",
                (False, True): "disagree: selected by the numbers, not chosen",
                (False, False): "agree: neither",
            }[(chosen, supported)]
        shaky = sorted(a for a in actors if a in doubtful)
        rows.append(
            {
                "province": province,
                "region": region,
                "chosen_by": " ".join(actors),
                "screening": st if st is not None else "",
                "verdict": verdict,
                "ambiguous": bool(shaky),
                "ambiguity": " ".join(shaky),
            }
        )
    return pd.DataFrame(rows)


def sector_policy(
    reg,
    sector: str,
    *,
    panel=None,
    reference: str = "BE",
    start: int | None = None,
    end: int | None = None,
    everything: bool = False,
    cache: dict | None = None,
) -> SectorPolicy:
    """The policy page of one sector (id, English/Dutch name or a label as written).

    Parameters
    ----------
    reg : :class:`~speerpunt.registry.store.Registry`
    panel : a :class:`~speerpunt.Panel` with the sector's aggregate for the Flemish provinces
        (e.g. ``read_panel("be-employment")``); ``None`` leaves the statistics empty.
    everything : all generations and actor types instead of the study's scope for the choices.
    cache : a dict the caller keeps across the pages of one build (same panel): each region's
        screening is then computed once instead of once per sector.

    Returns
    -------
    SectorPolicy
        ``statistics`` (region, aggregate, share, lq, growth, regional_shift, status, reason);
        ``choices`` (actor, name, type, province, label, since, generation, ambiguous, doc, line);
        ``benchmark`` (the benchmark regions' choices); ``others`` (the City of Antwerp, the
        University of Antwerp and Voka, 000 lines 560-700); ``features``; ``instruments``, ``projects``,
        ``clusters``, ``domains`` serving the sector; ``recommendations``; ``agreement`` (per province:
        chosen_by, screening, verdict, ambiguous).
    """
    sid = reg.sector_id(sector)
    rec = reg.get("sectors", sid)
    sel = reg.selections(sector=sid)
    actors = reg.actors().set_index("id")
    scoped = sel if everything else study_selections(sel)
    choices = scoped.assign(
        since=scoped.groupby("actor")["year"].transform("min"),
    )[
        [
            "actor",
            "actor_name",
            "actor_type",
            "actor_province",
            "label",
            "since",
            "generation",
            "status",
            "ambiguous",
            "doc",
            "line",
        ]
    ].sort_values(["actor_province", "actor", "since"], ignore_index=True)
    bench = sel[sel["actor"].map(lambda a: actors.at[a, "country"] not in (None, "BE"))]
    bench = pd.concat([bench, sel[sel["generation"] == "benchmark-2014"]]).drop_duplicates("id")
    bench = bench.assign(country=bench["actor"].map(actors["country"]))[
        ["actor", "actor_name", "country", "label", "ambiguous", "note", "doc", "line"]
    ].reset_index(drop=True)
    others = sel[sel["generation"] == CONTEXT][
        ["actor", "actor_name", "label", "year", "ambiguous", "note", "doc", "line"]
    ].reset_index(drop=True)
    stats = _statistics(panel, rec.get("aggregate"), reference, start, end, cache)
    notes = []
    if rec.get("aggregate"):
        notes.append(
            f"statistics of aggregate {rec['aggregate']} for {rec['en']} "
            f"({' '.join(rec.get('nace') or [])}): {rec.get('aggregate_note') or ''}".strip()
        )
    else:
        notes.append(f"{rec['en']} has no NACE aggregate in the panels: no statistics, no verdict")
    pairs = doubt.doubtful_pairs(scoped, None, sorted(scoped["generation"].dropna().unique()))
    pairs = pairs[pairs["sector"] == sid]
    clusters = _serving(reg.records("clusters"), sid)
    return SectorPolicy(
        sector=rec,
        statistics=stats,
        choices=choices,
        benchmark=bench,
        others=others,
        features=reg.features(sector=sid)[
            ["id", "province", "kind", "name", "actors", "source", "year", "remark", "doc", "line"]
        ],
        instruments=_serving(reg.records("instruments"), sid),
        projects=_serving(reg.records("projects"), sid),
        clusters=clusters,
        domains=_serving(reg.records("policy_domains"), sid),
        recommendations=reg.records("recommendations")
        .query("sector == @sid")
        .reset_index(drop=True),
        agreement=_agreement(choices, stats, pairs) if len(stats) else pd.DataFrame(),
        notes=notes,
    )
