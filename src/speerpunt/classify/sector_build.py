"""Build policy sectors as new rows of a panel, from the finest NACE level the data have.

A policy sector is a set of NACE classes (:class:`~speerpunt.classify.policy.PolicySector`). For each one the
panel's sectors inside it are chosen finest first (NACE-BEL subclasses ``20.140``, then classes, groups,
divisions, sections, aggregates) without overlap, and summed per region × year × variable. The panel keeps its
``TOTAL``, so shares and location quotients of a policy sector are taken against the true region total
(not against the sum of the chosen sectors). Overlapping policy sectors (wholesale in *groothandel* and in
*groothandel_logistiek*) are allowed: each is a measure of its own, never part of a total.

Every requested code gets a coverage status:

* ``present``: built exactly from the data's codes;
* ``approximated``: the data are coarser (a NACE group asked of division data): the smallest data code
  that contains it is used instead and the sum is flagged ``e`` (estimated);
* ``missing``: no data code covers it (outside the data's scope, e.g. NACE R in SBS): left out, and the sum
  is flagged ``e`` unless the dataset's counts are complete (an absent code is then a true zero);
* ``suppressed``: present, but missing (NaN, confidential) in some regions: the sum is missing there.

A sum that touches a missing cell is missing, never a partial sum. Where a dataset declares ``absent: zero``
(complete counts such as Statbel's enterprises) an absent row is a zero; elsewhere an absent row is missing.

Example
-------
>>> import pandas as pd
>>> from speerpunt.classify.policy import PolicySector
>>> from speerpunt.panel import Panel
>>> df = pd.DataFrame({"region": "R", "sector": ["41", "42", "43", "46", "TOTAL"], "year": 2014,
...                    "variable": "employment", "value": [10.0, 5.0, 25.0, 60.0, 1000.0]})
>>> bouw = PolicySector("bouw", "Bouw", "Construction", ("41", "42", "43"))
>>> built = build_sectors(Panel(df), [bouw])
>>> built.panel.wide("employment", 2014).loc["R", ["bouw", "TOTAL"]].tolist()
[40.0, 1000.0]
>>> built.coverage[["sector", "code", "status", "data_codes"]].values.tolist()[0]
['bouw', '41', 'present', '41']
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from speerpunt.classify.aggregates import is_sector_code, sector_classes
from speerpunt.classify.nace import is_nace, nace_classes_of, normalise_nace
from speerpunt.classify.policy import PolicySector
from speerpunt.errors import ClassificationError, Text
from speerpunt.panel import COLUMNS, KEY, TOTAL, Panel

COVERAGE_COLUMNS = ["sector", "code", "status", "data_codes", "note"]


@dataclass(frozen=True)
class BuiltSectors:
    """A panel with the policy sectors added (and ``TOTAL`` kept), and the coverage of every code."""

    panel: Panel
    sectors: list[str]
    coverage: pd.DataFrame
    skipped: tuple[str, ...] = ()

    def notes(self) -> list[str]:
        """One line per code that is not simply present (approximated, missing, suppressed)."""
        c = self.coverage[self.coverage["status"] != "present"]
        return [f"{r.sector}: {r.code} {r.status} — {r.note}" for r in c.itertuples()]


def subclass_class(code: str) -> str | None:
    """The NACE class of a NACE-BEL subclass ``'20.140'`` / ``'01.30X'`` (``None`` otherwise).

    >>> subclass_class("20.140"), subclass_class("01.30X"), subclass_class("20.14")
    ('20.14', '01.30', None)
    """
    c = str(code)
    if len(c) == 6 and c[2] == "." and c[:2].isdigit() and c[3:5].isdigit():
        return c[:5] if is_nace(c[:5]) else None
    return None


def code_classes(code: str) -> frozenset[str] | None:
    """The NACE classes a data sector code covers (``None`` for TOTAL and codes outside NACE)."""
    if code == TOTAL:
        return None
    cls = subclass_class(code)
    if cls is not None:
        return frozenset([cls])
    return sector_classes(code) if is_sector_code(code) else None


def _choose(
    wanted: frozenset[str], units: list[tuple[str, frozenset[str], bool]]
) -> tuple[list[str], set[str]]:
    """Data codes inside ``wanted``, finest first, without overlap; returns them and the classes covered."""
    chosen: list[str] = []
    covered: set[str] = set()
    by_subclass: set[str] = set()
    for code, classes, sub in units:
        if not classes <= wanted:
            continue
        # NACE-BEL subclasses of one class are disjoint from each other, but not from their class.
        if classes & covered or (not sub and classes & by_subclass):
            continue
        chosen.append(code)
        (by_subclass if sub else covered).update(classes)
    return chosen, covered | by_subclass


def resolve_sector(
    sector: PolicySector, data_codes: Iterable[str]
) -> tuple[list[str], list[dict[str, str]], bool]:
    """Data codes that make up ``sector``, the coverage rows of its codes, and whether it is estimated."""
    units = []
    for code in dict.fromkeys(data_codes):
        classes = code_classes(code)
        if classes:
            units.append((code, classes, subclass_class(code) is not None))
    units.sort(key=lambda u: (len(u[1]), not u[2], u[0]))
    wanted = sector.classes()
    members, covered = _choose(wanted, units)
    rows: list[dict[str, str]] = []
    estimated = False
    for code in sector.nace:
        own = frozenset(nace_classes_of(code)) & wanted
        inside = [m for m in members if code_classes(m) <= own] if own else []
        gap = own - covered
        if not gap:
            rows.append(_row(sector.name, code, "present", inside, ""))
            continue
        wider = [u for u in units if u[1] & gap and not u[1] <= wanted]
        if wider:
            best = min(wider, key=lambda u: (len(u[1]), u[0]))
            if best[0] not in members:
                members.append(best[0])
            covered |= best[1]
            estimated = True
            rows.append(
                _row(
                    sector.name,
                    code,
                    "approximated",
                    [*inside, best[0]],
                    f"the data are coarser: {code} is approximated by {best[0]}, which is wider",
                )
            )
        else:
            rows.append(
                _row(
                    sector.name,
                    code,
                    "missing" if not inside else "partly missing",
                    inside,
                    "no code of the data covers it (outside the data's scope)",
                )
            )
    return members, rows, estimated


def _row(sector: str, code: str, status: str, codes: Sequence[str], note: str) -> dict[str, str]:
    return {
        "sector": sector,
        "code": code,
        "status": status,
        "data_codes": " ".join(codes),
        "note": note,
    }


def absent_is_zero(panel: Panel) -> bool:
    """True for embedded datasets with complete counts (``absent: zero`` in datasets.yaml)."""
    from speerpunt.io.datasets import dataset_entry

    return dataset_entry(panel.meta.name or "").get("absent") == "zero"


def sum_members(
    data: pd.DataFrame,
    members: dict[str, list[str]],
    *,
    key: str,
    absent_zero: bool,
    extra_flag: dict[str, str] | None = None,
) -> pd.DataFrame:
    """Sum rows of ``data`` whose ``key`` (``'sector'`` or ``'region'``) is a member, per target.

    A missing member cell makes the sum missing; an absent member row does too unless ``absent_zero``.
    """
    links = pd.DataFrame(
        [(m, t) for t, ms in members.items() for m in dict.fromkeys(ms)], columns=[key, "target"]
    )
    if links.empty:
        return pd.DataFrame(columns=COLUMNS)
    size = links.groupby("target").size()
    d = data.merge(links, on=key)
    other = "region" if key == "sector" else "sector"
    keys = ["target", other, "year", "variable"]
    g = d.groupby(keys, sort=False)
    out = g.agg(value=("value", "sum"), n_valid=("value", "count"), n_rows=("value", "size"))
    out["flags"] = g["flag"].agg(lambda f: "".join(sorted(set("".join(f)) - {":"})))
    out = out.reset_index()
    need = out["target"].map(size)
    complete_rows = out["n_rows"] == need
    ok = (out["n_valid"] == out["n_rows"]) & (complete_rows | absent_zero)
    out["value"] = out["value"].where(ok)
    flag = out["flags"] + np.where(ok, "", ":")
    if extra_flag:
        add = out["target"].map(extra_flag).fillna("")
        flag = np.where(ok & (add != ""), flag + add, flag)
    out["flag"] = pd.Series(flag, index=out.index).map(lambda f: "".join(dict.fromkeys(f)))
    return out.rename(columns={"target": key})[COLUMNS]


def build_sectors(
    panel: Panel,
    sectors: Sequence[PolicySector],
    *,
    regions: Sequence[str] | None = None,
    keep: bool = False,
) -> BuiltSectors:
    """The panel with one new sector per policy sector (named by its ``name``) and ``TOTAL`` kept.

    Parameters
    ----------
    panel : Panel
        Must have a ``TOTAL`` sector (the region totals shares are taken against).
    sectors : list of PolicySector
    regions : list of str, optional
        Only these regions (default: all).
    keep : bool
        Keep the panel's own sectors too (default: only ``TOTAL`` and the policy sectors).

    Raises
    ------
    ClassificationError
        No ``TOTAL`` in the data, a policy sector's name clashes with a data code, or nothing of a
        sector is in the data.
    """
    data = panel.data if regions is None else panel.data[panel.data["region"].isin(regions)]
    codes = [s for s in panel.sectors if s != TOTAL]
    complete = absent_is_zero(panel)
    if TOTAL not in panel.sectors:
        data = pd.concat([data, _total(data, codes, complete)], ignore_index=True)
    members: dict[str, list[str]] = {}
    rows: list[dict[str, str]] = []
    flags: dict[str, str] = {}
    skipped: list[str] = []
    for s in sectors:
        if s.name in panel.sectors:
            raise ClassificationError(Text("cl_name_is_code", name=s.name), column="sector")
        m, r, estimated = resolve_sector(s, codes)
        if complete:  # complete counts: a class without any row has no enterprise at all
            for x in r:
                if x["status"] in ("missing", "partly missing"):
                    x["status"] = "present"
                    x["note"] = (
                        "some of its classes have no row in the data: zero, counts are complete"
                    )
        rows += r
        if not m and not complete:
            skipped.append(s.name)
            continue
        missing = any(x["status"] in ("missing", "partly missing") for x in r)
        if estimated or (missing and not complete):
            flags[s.name] = "e"
        members[s.name] = m
    if not members:
        raise ClassificationError(
            Text("cl_no_code_in_data", sectors=", ".join(skipped)), column="sector"
        )
    built = sum_members(data, members, key="sector", absent_zero=complete, extra_flag=flags)
    rows += _suppressed(data, members)
    kept = data if keep else data[data["sector"] == TOTAL]
    out = pd.concat([kept, built], ignore_index=True).sort_values(KEY, kind="stable")
    note = f"policy sectors built from the finest NACE level: {', '.join(members)}"
    if skipped:
        note += f"; not in the data at all: {', '.join(skipped)}"
    meta = replace(panel.meta, notes=(*panel.meta.notes, note))
    return BuiltSectors(
        Panel._trusted(out[COLUMNS], meta),
        list(members),
        pd.DataFrame(rows, columns=COVERAGE_COLUMNS),
        tuple(skipped),
    )


def _total(data: pd.DataFrame, codes: list[str], complete: bool) -> pd.DataFrame:
    """``TOTAL`` as the sum of codes that partition the economy, else :class:`ClassificationError`."""
    everything = sector_classes(TOTAL)
    units = sorted(
        ((c, k, subclass_class(c) is not None) for c in codes if (k := code_classes(c))),
        key=lambda u: (len(u[1]), not u[2], u[0]),
    )
    chosen, covered = _choose(everything, units)
    if covered != everything:
        raise ClassificationError(
            Text("cl_no_total"),
            column="sector",
        )
    return sum_members(data, {TOTAL: chosen}, key="sector", absent_zero=complete)


def _suppressed(data: pd.DataFrame, members: dict[str, list[str]]) -> list[dict[str, str]]:
    """Coverage rows for member cells that are missing (confidential, suppressed) in some region."""
    gaps = data[data["value"].isna()]
    rows = []
    for name, ms in members.items():
        hit = gaps[gaps["sector"].isin(ms)]
        for code, g in hit.groupby("sector"):
            regions = sorted(g["region"].unique())
            shown = ", ".join(regions[:8]) + (
                f" … ({len(regions)} regions)" if len(regions) > 8 else ""
            )
            rows.append(_row(name, code, "suppressed", [code], f"missing or suppressed in {shown}"))
    return rows


def parse_inline(spec: str) -> list[PolicySector]:
    """``'chem=C20,C21;log=G46,H49-H53;C28'`` → policy sectors (a range ``H49-H53`` spans divisions; a
    bare code is a sector named by that code).

    >>> [(s.name, s.nace) for s in parse_inline("chem=C20,C21;log=G46,H49-H51")]
    [('chem', ('20', '21')), ('log', ('46', '49', '50', '51'))]
    """
    out = []
    for part in spec.split(";"):
        if not part.strip():
            continue
        name, eq, codes = part.partition("=")
        name = name.strip().strip('"').strip()  # '"Chemie, pharma"=20,21': a label with a comma
        if not eq:  # a bare code is a sector of its own: 'C28'
            codes = name
        if not name or not codes.strip():
            raise ClassificationError(
                Text("cl_bad_definition", text=part.strip()),
                column="--sectors",
            )
        nace: list[str] = []
        for raw in codes.split(","):
            for code in _expand(raw.strip()):
                if code not in nace:
                    nace.append(code)
        out.append(
            PolicySector(name, name, name, tuple(nace), source="command line", file="command line")
        )
    return out


def _expand(raw: str) -> list[str]:
    """``'H49-H53'`` → divisions 49…53; a single code → itself (normalised, checked)."""
    lo, dash, hi = raw.partition("-")
    if dash and is_nace(lo) and is_nace(hi):
        a, b = normalise_nace(lo), normalise_nace(hi)
        if a.isdigit() and b.isdigit() and a <= b:
            return [d for d in (f"{i:02d}" for i in range(int(a), int(b) + 1)) if is_nace(d)]
    if not is_nace(raw):
        raise ClassificationError(Text("cl_unknown_nace", code=raw), column="--sectors")
    return [normalise_nace(raw)]
