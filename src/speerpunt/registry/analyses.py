"""Analyses of the registry: who prioritises what, where choices overlap, what changed, and whether
the statistics support each choice.

Pure functions over the DataFrames returned by :class:`~speerpunt.registry.store.Registry`
(``selections()``, ``actors()``, ``records("sectors")``) and, for coherence, a :class:`~speerpunt.Panel`.

Which selections count
----------------------
The study (001) maps the 20 sub-regional actors (provinces and RESOCs) from their strategy documents
of the 2007–2013 generation plus the 2013 update (survey and interviews). :func:`study_selections`
applies exactly that filter; the other analyses take whatever selections they are given.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import RegistryError, Text

SUBREGIONAL = ("province", "RESOC")
STUDY_GENERATIONS = ("streekpact-2007", "actualisatie-2013")
# the four sectors the study drew Flanders-wide overview maps for (001 lines 3105-3107, figures 52-55)
STUDY_OVERVIEW = ("logistics", "cleantech", "chemistry_life_sciences", "care")


def study_selections(
    selections: pd.DataFrame,
    *,
    generations: Sequence[str] = STUDY_GENERATIONS,
    actor_types: Sequence[str] = SUBREGIONAL,
) -> pd.DataFrame:
    """The selections of the sub-regional actors in the given document generations."""
    keep = selections["generation"].isin(generations) & selections["actor_type"].isin(actor_types)
    return selections[keep].reset_index(drop=True)


def _pairs(selections: pd.DataFrame) -> pd.DataFrame:
    return selections[["actor", "sector"]].drop_duplicates()


def actor_sector_matrix(
    selections: pd.DataFrame,
    actors: Sequence[str] | None = None,
    sectors: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Actor × sector presence: column ``actor``, then one 0/1 column per sector.

    ``actors`` / ``sectors`` fix the rows and columns (an actor without selections gets a row of 0s);
    by default every actor and sector that occurs, sorted.

    >>> s = pd.DataFrame({"actor": ["a", "a", "b"], "sector": ["x", "y", "x"]})
    >>> actor_sector_matrix(s).to_dict("records")
    [{'actor': 'a', 'x': 1, 'y': 1}, {'actor': 'b', 'x': 1, 'y': 0}]
    """
    pairs = _pairs(selections)
    rows = list(actors) if actors is not None else sorted(pairs["actor"].unique())
    cols = list(sectors) if sectors is not None else sorted(pairs["sector"].unique())
    table = pd.crosstab(pairs["actor"], pairs["sector"]).clip(upper=1)
    table = table.reindex(index=rows, columns=cols, fill_value=0).astype(int)
    table.columns.name = None
    return table.rename_axis("actor").reset_index()


def sector_counts(selections: pd.DataFrame) -> pd.DataFrame:
    """Per sector: number of distinct actors and of provinces (by the actors' province), most first.

    Columns ``sector, actors, provinces, actor_list``.
    """
    pairs = selections[["actor", "sector", "actor_province"]].drop_duplicates()
    grouped = pairs.groupby("sector")
    out = pd.DataFrame(
        {
            "actors": grouped["actor"].nunique(),
            "provinces": grouped["actor_province"].nunique(),
            "actor_list": grouped["actor"].agg(lambda a: " ".join(sorted(set(a)))),
        }
    ).reset_index()
    return out.sort_values(
        ["actors", "provinces", "sector"], ascending=[False, False, True], ignore_index=True
    )


def province_counts(selections: pd.DataFrame) -> pd.DataFrame:
    """Per province and sector: the number of actors in that province that chose the sector.

    Columns ``province, sector, actors``.
    """
    pairs = selections[["actor", "sector", "actor_province"]].drop_duplicates()
    out = pairs.groupby(["actor_province", "sector"])["actor"].nunique().reset_index()
    return out.rename(columns={"actor_province": "province", "actor": "actors"})


def overview_sectors(
    selections: pd.DataFrame,
    *,
    min_actors: int = 10,
    min_provinces: int = 4,
    reference: Sequence[str] = STUDY_OVERVIEW,
) -> pd.DataFrame:
    """Sectors chosen by enough actors in enough provinces to deserve a Flanders-wide overview map.

    Default rule: at least ``min_actors`` = 10 of the 20 sub-regional actors (half) and at least
    ``min_provinces`` = 4 of the 5 provinces. The study drew overview maps for logistics, cleantech,
    life sciences & chemistry and care "for the clusters that come up in enough provinces/RESOCs"
    (001 lines 3105-3107) without stating a threshold; ``reference`` holds those four so the output
    can show where the rule and the study agree.

    Returns columns ``sector, actors, provinces, selected, in_study, agreement`` (``both``,
    ``rule only``, ``study only`` or ``neither``), most chosen first.
    """
    if min_actors < 1 or min_provinces < 1:
        raise RegistryError(Text("rg_min_counts"), column="--min-actors")
    counts = sector_counts(selections).drop(columns="actor_list")
    missing = [s for s in reference if s not in set(counts["sector"])]
    if missing:
        extra = pd.DataFrame({"sector": missing, "actors": 0, "provinces": 0})
        counts = pd.concat([counts, extra], ignore_index=True)
    counts["selected"] = (counts["actors"] >= min_actors) & (counts["provinces"] >= min_provinces)
    counts["in_study"] = counts["sector"].isin(list(reference))
    labels = np.select(
        [counts["selected"] & counts["in_study"], counts["selected"], counts["in_study"]],
        ["both", "rule only", "study only"],
        default="neither",
    )
    counts["agreement"] = labels
    return counts


def jaccard_overlap(selections: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Jaccard similarity of the sector sets of every pair of actors (``by="actor"``) or provinces.

    J(A, B) = |A ∩ B| / |A ∪ B|. A province's set is the union of its actors' sectors (the province
    itself and its RESOCs). Returns columns ``a, b, shared, union, jaccard`` for a < b.

    >>> s = pd.DataFrame({"actor": ["p", "p", "q"], "sector": ["x", "y", "x"]})
    >>> jaccard_overlap(s).to_dict("records")
    [{'a': 'p', 'b': 'q', 'shared': 1, 'union': 2, 'jaccard': 0.5}]
    """
    if by not in ("actor", "province"):
        raise RegistryError(Text("rg_overlap_by", by=by), column="--by")
    key = "actor" if by == "actor" else "actor_province"
    pairs = selections[[key, "sector"]].drop_duplicates()
    m = pd.crosstab(pairs[key], pairs["sector"]).clip(upper=1)
    x = m.to_numpy()
    shared = x @ x.T
    sizes = x.sum(axis=1)
    union = sizes[:, None] + sizes[None, :] - shared
    i, j = np.triu_indices(len(m), k=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        jac = np.where(union[i, j] > 0, shared[i, j] / union[i, j], np.nan)
    names = m.index.to_numpy()
    return pd.DataFrame(
        {
            "a": names[i],
            "b": names[j],
            "shared": shared[i, j].astype(int),
            "union": union[i, j].astype(int),
            "jaccard": jac,
        }
    )


def generation_changes(
    selections: pd.DataFrame, old: Sequence[str], new: Sequence[str]
) -> pd.DataFrame:
    """Sectors added and dropped per actor between two sets of document generations.

    Only actors with selections in both are compared (an actor absent from one side tells nothing).
    Returns columns ``actor, sector, change`` with change ``added`` or ``dropped``.

    >>> s = pd.DataFrame({"actor": ["a", "a", "a"], "sector": ["x", "y", "z"],
    ...                   "generation": ["g1", "g1", "g2"]})
    >>> generation_changes(s, ["g1"], ["g2", "g1"]).to_dict("records")
    [{'actor': 'a', 'sector': 'z', 'change': 'added'}]
    """
    before = _pairs(selections[selections["generation"].isin(old)])
    after = _pairs(selections[selections["generation"].isin(new)])
    both = set(before["actor"]) & set(after["actor"])
    merged = before[before["actor"].isin(both)].merge(
        after[after["actor"].isin(both)], how="outer", on=["actor", "sector"], indicator=True
    )
    merged = merged[merged["_merge"] != "both"]
    merged["change"] = np.where(merged["_merge"] == "right_only", "added", "dropped")
    return merged[["actor", "sector", "change"]].sort_values(
        ["actor", "change", "sector"], ignore_index=True
    )


def territory_code(territory: Sequence[str]) -> str:
    """One region code for a territory: the NUTS3 code, the province if it is complete, else 'A+B+…'.

    >>> territory_code(["BE211", "BE212", "BE213"]), territory_code(["BE252", "BE253"])
    ('BE21', 'BE252+BE253')
    """
    codes = sorted(set(territory))
    if len(codes) == 1:
        return codes[0]
    if _complete(codes):
        return codes[0][:4]
    return "+".join(codes)


def _with_territories(panel, territories: dict[str, list[str]], variable: str):
    """The panel plus one summed region per multi-arrondissement territory (missing stays missing)."""
    from speerpunt.panel import Panel

    data = panel.data[panel.data["variable"] == variable]
    extra = []
    for code, parts in territories.items():
        if code in set(data["region"]):
            continue
        part = data[data["region"].isin(parts)]
        # a territory total is missing as soon as one of its arrondissements is missing
        summed = part.groupby(["sector", "year", "variable"], as_index=False).agg(
            value=("value", "sum"), n=("value", "count")
        )
        summed.loc[summed["n"] < len(parts), "value"] = np.nan
        summed["region"] = code
        summed["flag"] = ""
        extra.append(summed.drop(columns="n"))
    if not extra:
        return panel
    return Panel(pd.concat([data, *extra], ignore_index=True), panel.meta)


# number of arrondissements per Flemish province (NUTS 2016), to recognise a complete province
_PROVINCES = {"BE21": 3, "BE22": 3, "BE23": 6, "BE24": 2, "BE25": 8}


def _complete(codes: Sequence[str]) -> bool:
    parent = codes[0][:4]
    return _PROVINCES.get(parent) == len(codes) and all(c[:4] == parent for c in codes)


def coherence(
    selections: pd.DataFrame,
    actors: pd.DataFrame,
    sectors: pd.DataFrame,
    panel,
    *,
    variable: str = "employment",
    start: int,
    end: int,
    reference: str = "BE",
    lq_threshold: float = 1.0,
) -> pd.DataFrame:
    """The statistics behind each spearhead that has a NACE definition, flagged where they do not support it.

    For every (actor, canonical sector) pair whose sector has a NACE definition and a panel aggregate,
    the actor's territory (its arrondissements, summed where it spans several) is compared with the
    ``reference`` region: LQ in ``end`` and ``start``, growth ``start``→``end`` and the Dunn shift-share
    components of that aggregate (via :mod:`speerpunt.measures`). A choice is ``supported`` when the
    territory is specialised (LQ ≥ ``lq_threshold`` in ``end``) or the sector grew faster there than
    in the reference (regional shift > 0); otherwise it is flagged.

    The embedded panels hold A*10-style aggregates only, so the sector is represented by the aggregate
    that contains it (e.g. logistics H49-H53 by G-I): the ``note`` says so for every row.

    Returns columns ``actor, sector, label, territory, region, aggregate, lq_start, lq_end, growth,
    reference_growth, national_share, industry_mix, regional_shift, supported, flag, note``.
    """
    from speerpunt.measures import growth, location_quotient, shift_share

    secs = sectors.set_index("id")
    defined = secs[secs["aggregate"].notna() & secs["nace"].map(lambda n: bool(n))]
    chosen = selections[selections["sector"].isin(defined.index)]
    pairs = chosen.groupby(["actor", "sector"], as_index=False)["label"].agg(
        lambda s: " / ".join(dict.fromkeys(s))
    )
    terr = actors.set_index("id")["territory"]
    pairs["territory"] = pairs["actor"].map(lambda a: " ".join(terr.get(a) or []))
    pairs = pairs[pairs["territory"] != ""]
    if pairs.empty:
        raise RegistryError(Text("rg_no_coherence_pairs"))
    pairs["region"] = pairs["territory"].map(lambda t: territory_code(t.split()))
    pairs["aggregate"] = pairs["sector"].map(defined["aggregate"])
    missing = sorted(set(pairs["aggregate"]) - set(panel.sectors))
    if missing:
        raise RegistryError(
            Text("rg_panel_lacks", aggregates=", ".join(missing)),
            column="--data",
        )
    territories = {r: r.split("+") for r in pairs["region"].unique() if "+" in r}
    data = _with_territories(panel, territories, variable)
    regions = sorted(pairs["region"].unique())
    aggs = sorted(pairs["aggregate"].unique())
    key = ["region", "sector"]
    lq_e = location_quotient(
        data, variable=variable, year=end, reference=reference, regions=regions, sectors=aggs
    )[[*key, "lq", "note"]]
    lq_s = location_quotient(
        data, variable=variable, year=start, reference=reference, regions=regions, sectors=aggs
    )[[*key, "lq"]]
    gr = growth(data, variable=variable, start=start, end=end, regions=regions, sectors=aggs)[
        [*key, "growth", "note"]
    ]
    ref_gr = growth(
        data, variable=variable, start=start, end=end, regions=[reference], sectors=aggs
    )[["sector", "growth"]].rename(columns={"growth": "reference_growth"})
    ss = shift_share(
        data,
        variable=variable,
        start=start,
        end=end,
        reference=reference,
        regions=regions,
        sectors=aggs,
    )[[*key, "national_share", "industry_mix", "regional_shift", "note"]]
    stats = (
        lq_e.merge(lq_s, on=key, suffixes=("_end", "_start"))
        .merge(gr, on=key, suffixes=("", "_growth"))
        .merge(ss, on=key, suffixes=("", "_ss"))
        .merge(ref_gr, on="sector", how="left")
    )
    stats = stats.rename(columns={"sector": "aggregate"})
    out = pairs.merge(stats, on=["region", "aggregate"], how="left")
    specialised = out["lq_end"] >= lq_threshold
    competitive = out["regional_shift"] > 0
    known = out["lq_end"].notna() | out["regional_shift"].notna()
    supported = specialised | competitive  # comparisons with NaN are False
    out["supported"] = supported.where(known)
    out["flag"] = np.where(~known, "no data", np.where(supported, "", "not supported"))
    notes = out[["note", "note_growth", "note_ss"]].fillna("").agg("; ".join, axis=1)
    proxy = out.apply(
        lambda r: (
            f"sector {r['sector']} ({' '.join(defined.at[r['sector'], 'nace'])}) "
            f"measured by aggregate {r['aggregate']}: "
            f"{defined.at[r['sector'], 'aggregate_note']}"
        ),
        axis=1,
    )
    out["note"] = (proxy + "; " + notes).str.replace(r"(; )+", "; ", regex=True).str.strip("; ")
    cols = [
        "actor",
        "sector",
        "label",
        "territory",
        "region",
        "aggregate",
        "lq_start",
        "lq_end",
        "growth",
        "reference_growth",
        "national_share",
        "industry_mix",
        "regional_shift",
        "supported",
        "flag",
        "note",
    ]
    return out[cols].sort_values(["actor", "sector"], ignore_index=True)
