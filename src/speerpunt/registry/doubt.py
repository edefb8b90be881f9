"""Doubt travels: derived outputs marked where they rest on an ambiguous table cell.

Two kinds of cells are ambiguous (see ``data/ambiguities.yaml``):

* a selection loaded with ``ambiguous = True`` (its column was reconstructed from the order of the
  cells only, or it is the most likely of several actors);
* a cell whose actor cannot be determined at all, listed with its ``candidates`` and not loaded
  (one "Zorg" cell of 000 Tabel 13 belongs to RESOC Antwerpen *or* RESOC Mechelen).

Every (actor, sector) pair that either kind touches is *doubtful*. Each function here runs an
analysis of :mod:`speerpunt.registry.analyses` twice, with the ambiguous selections included and
excluded, returns the rows of the requested mode with two extra columns ``ambiguous`` (the row
rests on a doubtful pair) and ``ambiguity`` (which cells, with document and line), and counts
both runs in a :class:`Doubtful` result.

>>> s = pd.DataFrame({"actor": ["a", "a", "b"], "sector": ["x", "y", "x"],
...                   "generation": ["g1", "g2", "g1"], "ambiguous": [False, True, False],
...                   "doc": ["001"] * 3, "line": [1, 2, 3]})
>>> r = changes(s, ["g1"], ["g2"], cells=[])
>>> r.frame[["actor", "sector", "change", "ambiguous"]].to_dict("records")
[{'actor': 'a', 'sector': 'y', 'change': 'added', 'ambiguous': True}, \
{'actor': 'a', 'sector': 'x', 'change': 'dropped', 'ambiguous': False}]
>>> r.included, r.excluded
(2, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from speerpunt.errors import RegistryError, Text
from speerpunt.registry import analyses as an
from speerpunt.registry.curated import ambiguities

MODES = ("include", "exclude")


@dataclass(frozen=True)
class Doubtful:
    """A derived table in one mode, and the count it gives with ambiguous cells included and excluded."""

    frame: pd.DataFrame
    mode: str
    included: int
    excluded: int
    what: str

    @property
    def marked(self) -> int:
        """Rows of ``frame`` that rest on an ambiguous cell."""
        return int(self.frame["ambiguous"].sum()) if len(self.frame) else 0

    def line(self) -> str:
        """One line for the terminal: both counts and the number of marked rows."""
        return (
            f"{self.what}: {self.included} with ambiguous cells included, {self.excluded} "
            f"with them excluded; {self.marked} of the {len(self.frame)} rows shown rest on an "
            f"ambiguous cell (column 'ambiguous')"
        )


def check_mode(mode: str) -> str:
    """``include`` or ``exclude``, else a one-line error naming ``--ambiguous``."""
    if mode not in MODES:
        raise RegistryError(
            Text("rg_ambiguous_mode", mode=mode),
            column="--ambiguous",
        )
    return mode


def certain(selections: pd.DataFrame) -> pd.DataFrame:
    """The selections without the ambiguous ones."""
    if "ambiguous" not in selections:
        return selections
    return selections[~selections["ambiguous"].fillna(False).astype(bool)].reset_index(drop=True)


def doubtful_pairs(
    selections: pd.DataFrame,
    cells: Iterable[Mapping[str, Any]] | None = None,
    generations: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Every (actor, sector) touched by an ambiguous selection or an unattributed cell, with why.

    ``cells`` default to the curated ambiguities; ``generations`` limit the cells (and the
    selections, if they carry a ``generation``) to those generations. A pair the actor also chose
    in a certain cell of those generations is not doubtful. Columns ``actor, sector, ambiguity``
    (the reasons joined with "; ").
    """
    cells = ambiguities() if cells is None else list(cells)
    # (actor, sector, doc, line) → reason; a cell's fuller reason replaces its selection's
    reasons: dict[tuple[str, str, str, int], str] = {}
    sel = selections
    if generations is not None and "generation" in sel:
        sel = sel[sel["generation"].isin(list(generations))]
    if "ambiguous" in sel:
        for r in sel[sel["ambiguous"].fillna(False).astype(bool)].to_dict("records"):
            key = (r["actor"], r["sector"], str(r["doc"]), int(r["line"]))
            reasons[key] = f"{r['doc']} line {r['line']}"
    for c in cells:
        if not c.get("sector") or (
            generations is not None and c.get("generation") not in generations
        ):
            continue
        who = ", ".join(c.get("candidates") or [])
        for actor in c.get("candidates") or []:
            key = (actor, c["sector"], str(c["doc"]), int(c["line"]))
            reasons[key] = f"{c['doc']} line {c['line']} ('{c['label']}': one of {who})"
    # an actor that also chose the sector in a certain cell has it for sure in these generations
    sure = set(zip(certain(sel)["actor"], certain(sel)["sector"], strict=True))
    rows = [(a, s, why) for (a, s, _, _), why in reasons.items() if (a, s) not in sure]
    df = pd.DataFrame(rows, columns=["actor", "sector", "ambiguity"])
    return df.groupby(["actor", "sector"], as_index=False)["ambiguity"].agg(
        lambda s: "; ".join(dict.fromkeys(s))
    )


def _mark(frame: pd.DataFrame, pairs: pd.DataFrame) -> pd.DataFrame:
    out = frame.merge(pairs, on=["actor", "sector"], how="left")
    out["ambiguous"] = out["ambiguity"].notna()
    out["ambiguity"] = out["ambiguity"].fillna("")
    return out


def _generations(selections: pd.DataFrame) -> list[str] | None:
    return (
        sorted(selections["generation"].dropna().unique()) if "generation" in selections else None
    )


def changes(
    selections: pd.DataFrame,
    old: Sequence[str],
    new: Sequence[str],
    *,
    ambiguous: str = "include",
    cells: Iterable[Mapping[str, Any]] | None = None,
) -> Doubtful:
    """:func:`~speerpunt.registry.analyses.generation_changes`, marked; counts = number of changes."""
    check_mode(ambiguous)
    # a change is doubtful when the pair is doubtful on either side
    pairs = pd.concat(
        [doubtful_pairs(selections, cells, old), doubtful_pairs(selections, cells, new)]
    )
    pairs = pairs.groupby(["actor", "sector"], as_index=False)["ambiguity"].agg("; ".join)
    inc = an.generation_changes(selections, old, new)
    exc = an.generation_changes(certain(selections), old, new)
    shown = inc if ambiguous == "include" else exc
    return Doubtful(_mark(shown, pairs), ambiguous, len(inc), len(exc), "changes")


def overview(
    selections: pd.DataFrame,
    *,
    ambiguous: str = "include",
    cells: Iterable[Mapping[str, Any]] | None = None,
    **rule: Any,
) -> Doubtful:
    """:func:`~speerpunt.registry.analyses.overview_sectors` with both counts per sector.

    Adds ``actors_included`` / ``actors_excluded`` and ``provinces_included`` /
    ``provinces_excluded``; ``actors``, ``provinces`` and ``selected`` follow the mode. A sector is
    marked when one of its pairs is doubtful. Counts = number of sectors the rule selects.
    """
    check_mode(ambiguous)
    pairs = doubtful_pairs(selections, cells, _generations(selections))
    inc = an.overview_sectors(selections, **rule)
    exc = an.overview_sectors(certain(selections), **rule)
    shown = (inc if ambiguous == "include" else exc).copy()
    other = exc if ambiguous == "include" else inc
    cols = ["sector", "actors", "provinces"]
    both = inc[cols].merge(exc[cols], on="sector", how="left", suffixes=("_included", "_excluded"))
    shown = shown.merge(both.fillna(0).astype({c: int for c in both.columns[1:]}), on="sector")
    shown = shown.merge(
        other[["sector", "selected"]].rename(columns={"selected": "selected_other_mode"}),
        on="sector",
        how="left",
    )
    shown["selected_other_mode"] = shown["selected_other_mode"].fillna(False).astype(bool)
    why = pairs.groupby("sector")["ambiguity"].agg(lambda s: "; ".join(dict.fromkeys(s)))
    shown["ambiguity"] = shown["sector"].map(why).fillna("")
    shown["ambiguous"] = shown["ambiguity"] != ""
    return Doubtful(
        shown,
        ambiguous,
        int(inc["selected"].sum()),
        int(exc["selected"].sum()),
        "sectors selected for an overview map",
    )


def overlap(
    selections: pd.DataFrame,
    by: str = "actor",
    *,
    ambiguous: str = "include",
    cells: Iterable[Mapping[str, Any]] | None = None,
) -> Doubtful:
    """:func:`~speerpunt.registry.analyses.jaccard_overlap` with the Jaccard of both modes.

    A pair is marked when a doubtful (actor, sector) of either side (an actor, or any actor of the
    province) is involved. Counts = pairs with a Jaccard above 0.
    """
    check_mode(ambiguous)
    pairs = doubtful_pairs(selections, cells, _generations(selections))
    inc = an.jaccard_overlap(selections, by=by)
    exc = an.jaccard_overlap(certain(selections), by=by)
    key = ["a", "b"]
    shown = (inc if ambiguous == "include" else exc).merge(
        inc[[*key, "jaccard"]].merge(
            exc[[*key, "jaccard"]], on=key, how="outer", suffixes=("_included", "_excluded")
        ),
        on=key,
        how="left",
    )
    if by == "actor":
        side = pairs.groupby("actor")["ambiguity"].agg("; ".join)
    else:
        province = selections.drop_duplicates("actor").set_index("actor")["actor_province"]
        side = pairs.assign(p=pairs["actor"].map(province)).groupby("p")["ambiguity"].agg("; ".join)
    why = shown["a"].map(side).fillna("") + "; " + shown["b"].map(side).fillna("")
    shown["ambiguity"] = why.str.strip("; ")
    shown["ambiguous"] = shown["ambiguity"] != ""
    return Doubtful(
        shown,
        ambiguous,
        int((inc["jaccard"] > 0).sum()),
        int((exc["jaccard"] > 0).sum()),
        "pairs that share a sector",
    )


def coherence(
    selections: pd.DataFrame,
    actors: pd.DataFrame,
    sectors: pd.DataFrame,
    panel: Any,
    *,
    ambiguous: str = "include",
    cells: Iterable[Mapping[str, Any]] | None = None,
    **kwargs: Any,
) -> Doubtful:
    """:func:`~speerpunt.registry.analyses.coherence`, marked; counts = choices flagged 'not supported'."""
    check_mode(ambiguous)
    pairs = doubtful_pairs(selections, cells, _generations(selections))
    run: Callable[[pd.DataFrame], pd.DataFrame] = lambda s: an.coherence(  # noqa: E731
        s, actors, sectors, panel, **kwargs
    )
    inc = run(selections)
    exc = run(certain(selections))
    shown = inc if ambiguous == "include" else exc
    return Doubtful(
        _mark(shown, pairs),
        ambiguous,
        int((inc["flag"] == "not supported").sum()),
        int((exc["flag"] == "not supported").sum()),
        "choices the statistics do not support",
    )


def feature_doubt(
    features: Iterable[Mapping[str, Any]],
    selections: pd.DataFrame,
    cells: Iterable[Mapping[str, Any]] | None = None,
) -> list[str]:
    """For each map feature, why the choice it illustrates rests on an ambiguous cell ('' if not).

    A feature shows a sector for its actors. It is marked when *every* actor it names has the
    feature's sector only through ambiguous cells (in the generations of ``selections``); a feature
    without actors is never marked.

    >>> s = pd.DataFrame({"actor": ["a"], "sector": ["x"], "generation": ["g"],
    ...                   "ambiguous": [True], "doc": ["001"], "line": [7]})
    >>> feature_doubt([{"actors": ["a"], "sector": "x"}, {"actors": [], "sector": "x"}], s, cells=[])
    ['a: 001 line 7', '']
    """
    pairs = doubtful_pairs(selections, cells, _generations(selections))
    why = {(r.actor, r.sector): r.ambiguity for r in pairs.itertuples()}
    out = []
    for f in features:
        actors = list(f.get("actors") or [])
        reasons = [why.get((a, f.get("sector"))) for a in actors]
        out.append(
            "; ".join(f"{a}: {r}" for a, r in zip(actors, reasons, strict=True))
            if actors and all(reasons)
            else ""
        )
    return out
