"""Assessment scorecards: each actor's strategy document on the 22 criteria of 001 (Tabel 2-4).

The coding frame of the study groups its 22 criteria into content (``inhoud``, 5), analysis
(``analyse``, 9) and implementation (``implementatie``, 8). A criterion the study's text discusses
for an actor is coded ``explicit``, ``implicit`` or ``absent`` with the quote and line behind it
(``assessments``); a criterion the text does not discuss for that actor stays *not coded* — it is
never counted as absent.

Score
-----
explicit = 2, implicit = 1, absent = 0. Per actor and group: ``coded`` (criteria with a code),
``score`` (sum of the coded criteria), ``max_score`` = 2 × coded and ``share`` = score / max_score
(missing when nothing is coded). The study itself gives no score: this one only summarises the codes,
and ``coded`` shows how much of the frame the text covers (most actors: 2-7 of 22).

>>> a = pd.DataFrame({"actor": ["x", "x"], "criterion": ["c1", "c2"], "code": ["explicit", "absent"],
...                   "quote": ["q", None], "doc": ["001", "001"], "line": [10, 11]})
>>> c = pd.DataFrame({"id": ["c1", "c2", "c3"], "category": ["inhoud", "inhoud", "analyse"],
...                   "nl": ["C1", "C2", "C3"]})
>>> totals(scorecard(a, c))[["actor", "group", "coded", "score", "max_score"]].to_dict("records")
[{'actor': 'x', 'group': 'inhoud', 'coded': 2, 'score': 2, 'max_score': 4}, \
{'actor': 'x', 'group': 'analyse', 'coded': 0, 'score': 0, 'max_score': 0}, \
{'actor': 'x', 'group': 'total', 'coded': 2, 'score': 2, 'max_score': 4}]
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from speerpunt.errors import RegistryError, Text

SCORES = {"explicit": 2, "implicit": 1, "absent": 0}
GROUPS = ("inhoud", "analyse", "implementatie")
GROUP_EN = {"inhoud": "content", "analyse": "analysis", "implementatie": "implementation"}
NOT_CODED = "not coded"


def scorecard(
    assessments: pd.DataFrame,
    criteria: pd.DataFrame,
    actors: Sequence[str] | None = None,
    documents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per actor × criterion (all 22, in the frame's order), coded or not.

    Columns ``actor, generation, group, criterion, criterion_nl, code, score, quote, doc, line``;
    ``score`` is a nullable integer (missing when not coded), ``code`` is ``not coded`` there.
    ``generation`` comes from the assessment's ``document`` (via ``documents``) when it has one,
    else ``streekpact-2007`` (the study coded the 2007-2013 documents).
    """
    if actors is None:
        actors = sorted(assessments["actor"].unique())
    unknown = sorted(set(actors) - set(assessments["actor"]))
    if unknown and len(unknown) == len(actors):
        raise RegistryError(Text("rg_no_assessments", actors=", ".join(unknown)), column="--actor")
    a = assessments.copy()
    gen = pd.Series("streekpact-2007", index=a.index)
    if documents is not None and "document" in a:
        by_doc = a["document"].map(documents.set_index("id")["generation"])
        gen = by_doc.where(by_doc.notna(), gen)
    a["generation"] = gen
    # the frame's order: content, analysis, implementation; within a group as in the study (line)
    order = criteria["line"] if "line" in criteria else pd.Series(range(len(criteria)))
    crit = criteria.assign(
        _group=criteria["category"].map(GROUPS.index), _order=order.to_numpy()
    ).sort_values(["_group", "_order"])
    rows = []
    for actor in actors:
        mine = a[a["actor"] == actor]
        gens = sorted(mine["generation"].unique()) or ["streekpact-2007"]
        for generation in gens:
            coded = mine[mine["generation"] == generation].set_index("criterion")
            for c in crit.itertuples():
                hit = coded.loc[c.id] if c.id in coded.index else None
                if isinstance(hit, pd.DataFrame):  # two codes for one criterion: refuse to guess
                    raise RegistryError(
                        Text("rg_codes_twice", actor=actor, n=len(hit), criterion=c.id),
                        column="criterion",
                    )
                code = NOT_CODED if hit is None else hit["code"]
                rows.append(
                    {
                        "actor": actor,
                        "generation": generation,
                        "group": c.category,
                        "criterion": c.id,
                        "criterion_nl": c.nl,
                        "code": code,
                        "score": SCORES.get(code, pd.NA),
                        "quote": None if hit is None else hit.get("quote"),
                        "doc": None if hit is None else hit.get("doc"),
                        "line": pd.NA if hit is None else hit.get("line"),
                    }
                )
    out = pd.DataFrame(rows)
    out["score"] = out["score"].astype("Int64")
    out["line"] = out["line"].astype("Int64")
    return out


def totals(card: pd.DataFrame) -> pd.DataFrame:
    """Per actor (and generation) and group, plus ``total``: coded, explicit, implicit, absent,
    score, max_score, share. Groups in frame order, then ``total``."""
    keys = ["actor", "generation"] if "generation" in card else ["actor"]
    parts = []
    for group, sub in [*((g, card[card["group"] == g]) for g in GROUPS), ("total", card)]:
        if group != "total" and sub.empty:
            continue
        g = sub.groupby(keys, sort=False)
        part = pd.DataFrame(
            {
                "coded": g["score"].count(),
                "explicit": g["code"].agg(lambda s: int((s == "explicit").sum())),
                "implicit": g["code"].agg(lambda s: int((s == "implicit").sum())),
                "absent": g["code"].agg(lambda s: int((s == "absent").sum())),
                "score": g["score"].sum(),
            }
        ).reset_index()
        part.insert(len(keys), "group", group)
        parts.append(part)
    out = pd.concat(parts, ignore_index=True)
    out["score"] = out["score"].astype(int)
    out["max_score"] = 2 * out["coded"]
    with np.errstate(invalid="ignore", divide="ignore"):
        out["share"] = np.where(
            out["max_score"] > 0, out["score"] / out["max_score"].clip(lower=1), np.nan
        )
    order = {g: i for i, g in enumerate([*GROUPS, "total"])}
    out = out.sort_values([*keys, "group"], key=lambda s: s.map(order) if s.name == "group" else s)
    cols = [
        *keys,
        "group",
        "coded",
        "explicit",
        "implicit",
        "absent",
        "score",
        "max_score",
        "share",
    ]
    if keys == ["actor", "generation"] and card["generation"].nunique() == 1:
        cols.remove("generation")
    return out[cols].reset_index(drop=True)


def compare(card: pd.DataFrame, by: str = "actor") -> pd.DataFrame:
    """Criterion × actor (``by="actor"``) or criterion × generation: the code in each cell.

    With ``by="generation"`` the card must hold one actor (compare its documents over time).
    """
    if by not in ("actor", "generation"):
        raise RegistryError(Text("rg_compare_by", by=by), column="--by")
    if by == "generation" and card["actor"].nunique() != 1:
        raise RegistryError(Text("rg_generation_one_actor"), column="--actor")
    keys = ["group", "criterion", "criterion_nl"]
    wide = card.pivot_table(index=keys, columns=by, values="code", aggfunc="first")
    wide.columns.name = None
    order = card[keys].drop_duplicates()
    return order.merge(wide.reset_index(), on=keys, how="left").reset_index(drop=True)
