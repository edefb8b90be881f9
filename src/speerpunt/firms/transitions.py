"""Size-class transitions between two years: who stayed, grew, shrank, exited, entered.

A firm present in the start year is *stayed*, *grew* or *shrank* by comparing its size class in the
end year with its class at the start; a firm without a record in the end year *exited*; a firm with a
record in the end year only *entered*. Classes are ordered (0–9 < 10–49 < 50–249 < 250+ by default).
Firms are grouped by their sector / region **at the start** (entrants by their end-year keys).

This reproduces the SERV-style statement "74 % of SMEs stayed in the same employment size class between
2005 and 2011, 7.5 % grew, 18.5 % shrank or stopped" (SERV 2014, seed ``004`` lines ~2444–2450) with
``transition_summary(records, 2005, 2011, sme_only=True)``.

Example
-------
>>> import pandas as pd
>>> from speerpunt.firms.records import load_records
>>> df = pd.DataFrame({"firm_id": [1, 1, 2, 2, 3, 4], "year": [2005, 2011, 2005, 2011, 2005, 2011],
...                    "region": ["11002"] * 6, "nace": ["25"] * 6,
...                    "employees": [5, 6, 5, 20, 30, 2]})
>>> s = transition_summary(load_records(df), 2005, 2011)
>>> s[s.initial_class == "all"][["firms", "stayed", "grew", "shrank", "exited"]].values.tolist()
[[3, 1, 1, 0, 1]]
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import pandas as pd

from speerpunt.errors import MeasureError, Text
from speerpunt.firms.expressions import (
    SIZE_BOUNDS,
    Sectors,
    check_bounds,
    class_labels,
    dotted,
    size_class,
    with_keys,
)
from speerpunt.firms.records import FirmRecords
from speerpunt.firms.territory import Territory

ENTRY = "(entry)"
EXIT = "(exit)"
OUTCOMES = ("stayed", "grew", "shrank", "exited")


def _years(records: FirmRecords, start: int, end: int) -> None:
    r = records.report
    if not start < end:
        raise MeasureError(Text("fr_start_before_end", start=start, end=end), column="start")
    for y in (start, end):
        if not r.first_year <= y <= r.last_year:
            raise MeasureError(
                Text("fr_year_outside", year=y, first=r.first_year, last=r.last_year),
                file=records.source,
                column="year",
            )


def transition_matrix(
    records: FirmRecords,
    start: int,
    end: int,
    *,
    by: str | None = None,
    territory: Territory | None = "province",
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    bounds: Sequence[int] = SIZE_BOUNDS,
    sme_only: bool = False,
) -> pd.DataFrame:
    """Firms by ``from_class → to_class`` between ``start`` and ``end`` (long format).

    Parameters
    ----------
    territory, nace_level, sectors
        Keys for ``by``; named sectors or areas (a mapping, ``'policy'``, ``'resoc'``) also restrict
        the firms to those in them (at the start; entrants at the end).
    by : {None, "sector", "region"}
        Split the matrix by the firm's sector or region at the start (``territory``/``nace_level``).
    sme_only : bool
        Keep only firms below the last bound at the start (entrants: at the end).

    Returns
    -------
    DataFrame
        ``[by,] from_class, to_class, firms, share`` with ``from_class = '(entry)'`` for entrants,
        ``to_class = '(exit)'`` for exits; ``share`` = firms / firms in the same ``from_class`` row.
    """
    bounds = check_bounds(bounds)
    _years(records, start, end)
    if by not in (None, "sector", "region"):
        raise MeasureError(Text("fr_by", by=by), column="by")
    key = {"sector": "sector", "region": "area", None: None}[by]
    t = records.table
    # Named sectors or areas restrict the firms; a plain level does not, so it needs no join.
    restricts = sectors is not None or not isinstance(territory, str | None) or territory == "resoc"
    keyed = (
        with_keys(records, territory=territory, nace_level=nace_level, sectors=sectors)
        if key or restricts
        else t
    )
    last = len(bounds)

    def side(year, name):
        s = keyed.filter(keyed.year == year)
        cols = {"firm_id": s.firm_id, name: size_class(s.employees, bounds)}
        if key:
            cols["key"] = s[key]
        # Without a split, a firm in two overlapping named sectors or areas counts once.
        return s.select(**cols) if key or not restricts else s.select(**cols).distinct()

    a, b = side(start, "c0"), side(end, "c1")
    if sme_only:
        a = a.filter(a.c0 < last)
    b_plain = t.filter(t.year == end).select(firm_id=t.firm_id, c1=size_class(t.employees, bounds))
    a_plain = t.filter(t.year == start).select(firm_id=t.firm_id)
    moves = a.left_join(b_plain, a.firm_id == b_plain.firm_id)
    moves = moves.select(*(["key"] if key else []), c0=moves.c0, c1=moves.c1.fill_null(-1))
    entries = b.anti_join(a_plain, b.firm_id == a_plain.firm_id)
    if sme_only:
        entries = entries.filter(entries.c1 < last)
    entries = entries.select(*(["key"] if key else []), c0=ibis.literal(-2), c1=entries.c1)
    both = moves.union(entries, distinct=False)
    groups = [*(["key"] if key else []), "c0", "c1"]
    m = records.execute(both.group_by(groups).aggregate(firms=both.count()))
    labels = class_labels(bounds)
    name = {i: lab for i, lab in enumerate(labels)} | {-1: EXIT, -2: ENTRY}
    m["from_class"] = m["c0"].map(name)
    m["to_class"] = m["c1"].map(name)
    row_keys = ([by] if by else []) + ["from_class"]
    if by:
        m = m.rename(columns={"key": by})
        if by == "sector":
            m[by] = dotted(m[by])
    m["share"] = m["firms"] / m.groupby(row_keys)["firms"].transform("sum")
    m["_o0"] = m["c0"].where(m["c0"] >= 0, 99)
    m["_o1"] = m["c1"].where(m["c1"] >= 0, 99)
    m = m.sort_values(([by] if by else []) + ["_o0", "_o1"])
    return m[[*([by] if by else []), "from_class", "to_class", "firms", "share"]].reset_index(
        drop=True
    )


def transition_summary(
    records: FirmRecords,
    start: int,
    end: int,
    *,
    by: str | None = None,
    territory: Territory | None = "province",
    nace_level: str | None = "division",
    sectors: Sectors | None = None,
    bounds: Sequence[int] = SIZE_BOUNDS,
    sme_only: bool = False,
) -> pd.DataFrame:
    """Stayed / grew / shrank / exited by initial size class (and ``'all'``), with shares.

    The ``grew_share`` column per initial class answers "which size class has the most growers".

    Returns
    -------
    DataFrame
        ``[by,] initial_class, firms, stayed, grew, shrank, exited, stayed_share, grew_share,
        shrank_share, exited_share, entered`` — ``entered`` (firms new in ``end``) on the ``all`` row.

    Notes
    -----
    ``grew_share_k = |{f: class_end(f) > k, class_start(f) = k}| / |{f: class_start(f) = k}|``.
    """
    m = transition_matrix(
        records,
        start,
        end,
        by=by,
        territory=territory,
        nace_level=nace_level,
        sectors=sectors,
        bounds=bounds,
        sme_only=sme_only,
    )
    labels = class_labels(bounds)
    order = {lab: i for i, lab in enumerate(labels)}
    keys = [by] if by else []
    moves = m[m["from_class"] != ENTRY].copy()
    f = moves["from_class"].map(order)
    to = moves["to_class"].map(order)
    moves["outcome"] = "exited"
    moves.loc[to.notna() & (to == f), "outcome"] = "stayed"
    moves.loc[to.notna() & (to > f), "outcome"] = "grew"
    moves.loc[to.notna() & (to < f), "outcome"] = "shrank"
    wide = moves.pivot_table(
        index=[*keys, "from_class"], columns="outcome", values="firms", aggfunc="sum", fill_value=0
    )
    wide = wide.reindex(columns=list(OUTCOMES), fill_value=0).reset_index()
    wide = wide.rename(columns={"from_class": "initial_class"})
    wide["_order"] = wide["initial_class"].map(order)
    total = (
        wide.groupby(keys)[list(OUTCOMES)].sum().reset_index()
        if keys
        else (wide[list(OUTCOMES)].sum().to_frame().T)
    )
    total["initial_class"] = "all"
    total["_order"] = len(labels)
    entries = m[m["from_class"] == ENTRY]
    entered = entries.groupby(keys)["firms"].sum() if keys else entries["firms"].sum()
    total["entered"] = total[keys[0]].map(entered).fillna(0).astype(int) if keys else int(entered)
    out = pd.concat([wide, total], ignore_index=True)
    out["firms"] = out[list(OUTCOMES)].sum(axis=1)
    for o in OUTCOMES:
        out[o] = out[o].astype(int)
        out[f"{o}_share"] = out[o] / out["firms"]
    # entrants have no initial class: the count stands on the 'all' row only
    out["entered"] = out["entered"].astype("Int64")
    out.columns.name = None
    out = out.sort_values([*keys, "_order"]).reset_index(drop=True)
    cols = [
        *keys,
        "initial_class",
        "firms",
        *OUTCOMES,
        *(f"{o}_share" for o in OUTCOMES),
        "entered",
    ]
    return out[cols]
