"""Summing the sectors of a Panel into aggregates (Eurostat aggregates, policy sectors).

A sum is only as good as its parts: when one member cell is missing (NaN, e.g. confidential) or absent, the
sum is missing too, and its flag carries the members' flags (``":"`` when a member row is absent). A missing
cell is never read as zero.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": "R", "sector": ["G", "H", "I"], "year": 2010,
...                    "variable": "employment", "value": [1.0, 2.0, 3.0]})
>>> aggregate_panel(Panel(df), ["G-I"]).data[["sector", "value"]].values.tolist()
[['G-I', 6.0]]
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace

import pandas as pd

from speerpunt.classify.aggregates import is_sector_code, sector_classes, sector_set
from speerpunt.errors import ClassificationError, Text
from speerpunt.panel import COLUMNS, FLAG_MEANINGS, KEY, Panel

_FLAG_LETTERS = [f for f in FLAG_MEANINGS if f != ":"]


def resolve_members(
    targets: Mapping[str, frozenset[str]], sectors: Iterable[str]
) -> dict[str, list[str]]:
    """For each target (a set of NACE classes) the panel sectors that add up to it exactly.

    Coarsest sectors are taken first, so a published sub-total (``G-I``) is used rather than re-summed.

    Raises
    ------
    ClassificationError
        A target cannot be built from the sectors without gaps (the message names the uncovered NACE
        divisions).
    """
    candidates = [(s, sector_classes(s)) for s in dict.fromkeys(sectors) if is_sector_code(s)]
    candidates.sort(key=lambda sc: (-len(sc[1]), sc[0]))
    out: dict[str, list[str]] = {}
    for name, wanted in targets.items():
        chosen: list[str] = []
        covered: set[str] = set()
        for code, classes in candidates:
            if classes <= wanted and not classes & covered:
                chosen.append(code)
                covered |= classes
        gap = wanted - covered
        if gap:
            divisions = sorted({c[:2] for c in gap})
            have = sorted(set(sectors))
            shown = (
                ", ".join(have)
                if len(have) <= 12
                else f"{', '.join(have[:12])} … ({len(have)} codes)"
            )
            raise ClassificationError(
                Text("cl_cannot_build", name=name, divisions=", ".join(divisions), shown=shown),
                column="sector",
            )
        out[name] = chosen
    return out


def sum_sectors(
    panel: Panel, members: Mapping[str, Iterable[str]], note: str | None = None
) -> Panel:
    """New Panel with one sector per key of ``members``: the sum of the listed panel sectors.

    Missing or absent members make the sum missing (flagged), never zero.
    """
    links = pd.DataFrame(
        [(m, target) for target, ms in members.items() for m in dict.fromkeys(ms)],
        columns=["sector", "target"],
    )
    absent = sorted(set(links["sector"]) - set(panel.data["sector"]))
    if absent:
        raise ClassificationError(
            Text("cl_sectors_absent", codes=", ".join(absent)), column="sector"
        )
    size = links.groupby("target").size().rename("n_members")
    d = panel.data.merge(links, on="sector")
    keys = ["region", "target", "year", "variable"]
    letters = [f for f in _FLAG_LETTERS if f in set("".join(d["flag"].unique()))]
    for letter in letters:
        d[letter] = d["flag"].str.contains(letter, regex=False)
    g = d.groupby(keys, sort=False)
    out = g.agg(value=("value", "sum"), n_valid=("value", "count"), n_rows=("value", "size"))
    if letters:
        out = out.join(g[letters].any())
    out = out.reset_index().merge(size, left_on="target", right_index=True)
    flag = pd.Series("", index=out.index)
    for letter in letters:
        flag = flag + out[letter].map({True: letter, False: ""})
    flag = flag + (out["n_rows"] < out["n_members"]).map({True: ":", False: ""})
    incomplete = out["n_valid"] < out["n_members"]
    out["value"] = out["value"].where(~incomplete)
    out["flag"] = flag.where(~(incomplete & (flag == "")), ":")
    result = out.rename(columns={"target": "sector"})[COLUMNS].sort_values(KEY, kind="stable")
    meta = panel.meta
    if note:
        meta = replace(meta, notes=(*meta.notes, note))
    return Panel._trusted(result, meta)


def aggregate_panel(
    panel: Panel, mapping: str | Iterable[str] | Mapping[str, Iterable[str]]
) -> Panel:
    """Sum a panel's NACE sectors into aggregates.

    Parameters
    ----------
    panel : Panel
    mapping : scheme name, list of aggregate codes, or dict
        ``'a10'``, ``['G-I', 'TOTAL']`` …: each aggregate is built from the panel's sectors that cover it
        exactly (coarsest first). A dict ``{new_code: [panel sectors]}`` sums exactly those sectors.

    Returns
    -------
    Panel
        One sector per aggregate; a sum touching a missing or absent cell is missing, with the members'
        flags (``":"`` for an absent member).
    """
    if isinstance(mapping, Mapping):
        members = {str(k): [str(v) for v in vs] for k, vs in mapping.items()}
        return sum_sectors(panel, members, note=f"sectors summed into {', '.join(members)}")
    codes = sector_set(mapping) if isinstance(mapping, str) else [str(c).strip() for c in mapping]
    targets = {c: sector_classes(c) for c in codes}
    members = resolve_members(targets, panel.sectors)
    return sum_sectors(panel, members, note=f"sectors aggregated into {', '.join(codes)}")
