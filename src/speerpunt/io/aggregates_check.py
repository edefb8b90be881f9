"""Totals and overlapping aggregates, checked on every read.

Statistical tables put totals and sub-totals next to their parts: ``Insgesamt`` next to the sections,
``C`` next to ``B-E``, division ``20`` next to section ``C``. Summed as if they were separate sectors they
double the region totals. So, on every read:

* **total labels** (``TOTAL``, ``Total``, ``Totaal``, ``Insgesamt``, ``Gesamt``, ``Ensemble``,
  ``Alle sectoren`` …) become the sector ``TOTAL``;
* **codes in labels** (``Baugewerbe (F)``, ``WZ08-C``, ``C Verarbeitendes Gewerbe``) give the sector its
  NACE code, so that ``speerpunt.classify`` knows what it covers;
* **overlaps** (a sector whose NACE classes lie inside another sector's) are found; the parts summed are a
  known partition present in the file (sections, A*10 …) or else the sectors inside no other sector;
* **parts against the total**: their sum may not exceed ``TOTAL`` by more than the tolerance plus rounding
  (:func:`speerpunt.io.validate.parts_excess`);
* **zeros that look suppressed**: a ``0`` among parts that exactly cover a parent which is larger than the
  parts' sum by more than rounding gets the flag ``q`` (:data:`SUPPRESSED_FLAG`), so measures say so.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from speerpunt.classify import is_sector_code, partitions, sector_classes
from speerpunt.errors import Text
from speerpunt.panel import KEY, TOTAL

#: Flag letter of a zero that is probably a suppressed (confidential) value.
SUPPRESSED_FLAG = "q"
#: Partitions tried, finest first, to find the parts of TOTAL present in a file (as the measures do).
PARTITION_PREFERENCE = ("sections", "a10", "a10-coarse")
#: Labels of the total of all sectors (compared without case, accents and punctuation).
TOTAL_LABELS = {
    "total",
    "totaal",
    "insgesamt",
    "gesamt",
    "ensemble",
    "totale",
    "alle sectoren",
    "totaal alle sectoren",
    "alle bedrijfstakken",
    "totaal alle bedrijfstakken",
    "alle economische activiteiten",
    "alle branchen",
    "alle wirtschaftszweige",
    "wirtschaftszweige insgesamt",
    "alle wirtschaftsbereiche",
    "tous secteurs",
    "tous les secteurs",
    "toutes activites",
    "ensemble des activites",
    "total des activites",
    "all sectors",
    "all activities",
    "all nace activities",
    "total all nace activities",
    "total economy",
    "economie totale",
    "totale economie",
}
_CODE = r"(?:[A-U](?:[-_][A-U])?|[0-9]{2}(?:\.?[0-9]{1,2})?(?:[-_][0-9]{2})?)"
_CODE_PATTERNS = (
    re.compile(rf"\((?P<code>{_CODE})\)\s*$"),  # Baugewerbe (F)
    re.compile(
        rf"^(?:WZ\s*(?:20)?08|NACE(?:\s*Rev\.?\s*2)?|NACE-BEL)\s*[-:]?\s*(?P<code>{_CODE})$", re.I
    ),
    re.compile(rf"^(?P<code>{_CODE})\s+[-–:]?\s*[A-Za-zÀ-ÿ]{{3,}}"),  # C Verarbeitendes Gewerbe
)


def _plain(label: str) -> str:
    text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", text).split())


def is_total_label(label: str) -> bool:
    """``'Insgesamt'``, ``'A-R Insgesamt'``, ``'Totaal alle sectoren'`` → True.

    >>> is_total_label("Alle sectoren"), is_total_label("A-R Insgesamt"), is_total_label("Bouw")
    (True, True, False)
    """
    text = _plain(str(label))
    if text in TOTAL_LABELS:
        return True
    # A leading code range before the word (``A-R Insgesamt``, ``A-U Total``).
    m = re.match(r"^[a-u] [a-u] (.+)$", text)
    return bool(m and m.group(1) in TOTAL_LABELS)


def embedded_code(label: str) -> str | None:
    """The NACE code or aggregate written in a sector label, or None.

    >>> embedded_code("Baugewerbe (F)"), embedded_code("WZ08-C"), embedded_code("Toerisme")
    ('F', 'C', None)
    """
    text = str(label).strip()
    if is_sector_code(text):
        return text
    for pattern in _CODE_PATTERNS:
        m = pattern.search(text)
        if m and is_sector_code(m.group("code")):
            return m.group("code")
    return None


def sector_relabels(labels: list[str]) -> dict[str, str]:
    """Labels to rename: the one total label → ``TOTAL``; labels with codes → their codes, but only when
    every other label has its own code (a file of labels keeps its labels, as the user wrote them).

    >>> sector_relabels(["Insgesamt", "Baugewerbe (F)", "Bergbau (B)"])
    {'Insgesamt': 'TOTAL', 'Baugewerbe (F)': 'F', 'Bergbau (B)': 'B'}
    >>> sector_relabels(["Insgesamt", "Baugewerbe (F)", "Sonstige"])
    {'Insgesamt': 'TOTAL'}
    """
    out: dict[str, str] = {}
    totals = [lab for lab in labels if lab != TOTAL and is_total_label(lab)]
    if len(totals) == 1 and TOTAL not in labels:
        out[totals[0]] = TOTAL
    rest = [lab for lab in labels if lab not in out and lab != TOTAL and not is_sector_code(lab)]
    codes = {lab: embedded_code(lab) for lab in rest}
    targets = list(codes.values())
    if (
        rest
        and None not in targets
        and len(set(targets)) == len(targets)
        and not set(targets) & set(labels)
    ):
        out.update(codes)  # type: ignore[arg-type]
    return out


def code_map(names: list[str]) -> dict[str, str]:
    """Each sector name with a known code (its own, or one written in its label) → that code."""
    out = {}
    for name in names:
        if name == TOTAL:
            continue
        code = embedded_code(name)
        if code is not None:
            out[name] = code
    return out


def overlaps(names: list[str]) -> list[tuple[str, str]]:
    """``(part, whole)`` pairs of sectors whose NACE classes lie inside another sector's.

    Codes written in labels count (``Verarbeitendes Gewerbe (C)`` lies inside ``B-E``).

    >>> overlaps(["A", "B-E", "C", "20", "TOTAL"])
    [('20', 'B-E'), ('20', 'C'), ('C', 'B-E')]
    """
    codes = code_map(names)
    classes = {n: sector_classes(c) for n, c in codes.items()}
    known = sorted(codes)
    return [
        (a, b)
        for a in known
        for b in known
        if a != b
        and classes[a]
        and classes[a] <= classes[b]
        and (classes[a] != classes[b] or a > b)
    ]


@dataclass
class AggregateReport:
    """What the read found about totals and aggregates (reported by :func:`speerpunt.io.inspect_file`)."""

    relabelled: dict[str, str] = field(default_factory=dict)
    overlaps: list[tuple[str, str]] = field(default_factory=list)
    partition: str | None = None
    parts: list[str] = field(default_factory=list)
    suppressed: int = 0
    suppressed_examples: list[str] = field(default_factory=list)


def parts_of_total(
    sectors: list[str], found: list[tuple[str, str]]
) -> tuple[str | None, list[str]]:
    """``(partition name or None, parts)``: what adds up to TOTAL without counting anything twice."""
    have = set(sectors)
    known = partitions()
    for name in PARTITION_PREFERENCE:
        if set(known[name]) <= have:
            return name, list(known[name])
    inside = {a for a, _ in found}
    return None, [s for s in sectors if s != TOTAL and s not in inside]


def flag_suppressed(
    df: pd.DataFrame,
    found: list[tuple[str, str]],
    report: AggregateReport,
    *,
    batch_rows: int | None = None,
) -> None:
    """Add :data:`SUPPRESSED_FLAG` to zeros among parts that exactly cover a larger parent (in place).

    A zero part of (region, year, variable) is flagged when ``parent − Σ parts > (k + 1) · h``, with
    ``k`` parts and ``h`` half a unit of the last digit the group's cells are published with.

    Only the groups holding a zero part are looked at, a batch of regions at a time (about
    ``batch_rows`` rows, default a sixteenth of the table): a large file with a few zeros is never
    copied whole (a copy and a merge of all rows made 3.4× the panel on a 500 MB file).
    """
    from speerpunt.io.validate import in_values

    sectors = set(df["sector"].unique())
    groups: dict[str, list[str]] = {}
    for part, whole in found:
        groups.setdefault(whole, []).append(part)
    if TOTAL in sectors and report.parts:
        groups[TOTAL] = report.parts
    limit = batch_rows if batch_rows is not None else max(1 << 18, len(df) // 16)
    for whole, parts in groups.items():
        parts = _direct_cover(whole, parts)
        if not parts:
            continue
        zero_rows = np.flatnonzero((df["value"].to_numpy() == 0) & in_values(df["sector"], parts))
        if not len(zero_rows):
            continue  # no zero part: nothing to flag, nothing copied
        hit = np.zeros(len(df), dtype=bool)
        keys: list[pd.DataFrame] = []
        for rows in _zero_group_rows(df, zero_rows, limit):
            got = _suppressed_in(df.iloc[rows], whole, parts)
            if got is not None:
                keys.append(got[0])
                hit[rows[got[1]]] = True
        if hit.any():
            df.loc[hit, "flag"] = (
                df.loc[hit, "flag"].astype(str).str.replace(":", "") + SUPPRESSED_FLAG
            )
            report.suppressed += int(hit.sum())
            for _, k in pd.concat(keys).head(3).iterrows():
                report.suppressed_examples.append(
                    Text("io_suppressed_example", **{c: k[c] for c in KEY[:3]}, whole=whole)
                )


_GROUP = ["region", "year", "variable"]


def _zero_group_rows(df: pd.DataFrame, zero_rows: np.ndarray, limit: int):
    """Row numbers (ascending) covering every (region, year, variable) group of ``zero_rows``, in
    batches of whole regions (sorted as a pivot sorts them) of about ``limit`` rows.

    A batch may hold rows of other groups too (region, year and variable are matched one by one):
    :func:`_suppressed_in` keeps only the groups with a zero, so extra rows change nothing.
    """
    zero = df[_GROUP].iloc[zero_rows].drop_duplicates()
    regions = zero["region"].drop_duplicates().sort_values()
    sizes = df["region"].value_counts()
    batch: list = []
    count = 0
    for region in [*regions, None]:
        size = int(sizes.get(region, 0)) if region is not None else 0
        if batch and (region is None or count + size > limit):
            yield _rows_matching(df, zero[zero["region"].isin(batch)])
            batch, count = [], 0
        batch.append(region)
        count += size


def _rows_matching(df: pd.DataFrame, zero: pd.DataFrame) -> np.ndarray:
    """Rows whose region, year and variable each occur in ``zero``, found a slice at a time."""
    from speerpunt.io.validate import SLICE_ROWS

    values = {col: zero[col].drop_duplicates() for col in _GROUP}
    mask = np.empty(len(df), dtype=bool)
    step = SLICE_ROWS  # slice-sized temporaries only
    for start in range(0, len(df), step):
        part = mask[start : start + step]
        part[:] = True
        for col in _GROUP:
            part &= df[col].iloc[start : start + step].isin(values[col]).to_numpy()
    return np.flatnonzero(mask)


def _suppressed_in(
    df: pd.DataFrame, whole: str, parts: list[str]
) -> tuple[pd.DataFrame, np.ndarray] | None:
    """``(keys of the suppressed-looking zeros, whether each row of df is one not yet flagged)``, or
    None when ``df`` holds none."""
    from speerpunt.io.validate import _decimals, by_sector

    sub = df[df["sector"].isin([whole, *parts])]
    zero = sub.loc[(sub["value"] == 0) & sub["sector"].isin(parts), _GROUP].drop_duplicates()
    if zero.empty:
        return None
    wide = by_sector(sub.merge(zero, on=_GROUP))
    if whole not in wide or not set(parts) <= set(wide.columns):
        return None
    vals = wide[parts]
    half = 0.5 * 10.0 ** (-_decimals(np.nan_to_num(wide[[whole, *parts]].to_numpy())).max(axis=1))
    gap = wide[whole] - vals.sum(axis=1, min_count=len(parts))
    gap_big = (gap > half * (len(parts) + 1) + 1e-9).to_numpy()
    zeros = (vals == 0).to_numpy() & gap_big[:, None]
    if not zeros.any():
        return None
    rows, cols = np.nonzero(zeros)
    keys = pd.DataFrame(
        [(*wide.index[r], parts[c]) for r, c in zip(rows, cols, strict=True)],
        columns=["region", "year", "variable", "sector"],
    )
    hit = (
        df.merge(keys.assign(_hit=True), on=["region", "year", "variable", "sector"], how="left")[
            "_hit"
        ]
        .fillna(False)
        .to_numpy(dtype=bool)
    )
    hit &= ~df["flag"].astype(str).str.contains(SUPPRESSED_FLAG, regex=False).to_numpy()
    return keys, hit


def _direct_cover(whole: str, parts: list[str]) -> list[str]:
    """The parts that are disjoint and together cover exactly ``whole`` (else an empty list)."""
    codes = code_map([whole, *parts])
    target = sector_classes(TOTAL if whole == TOTAL else codes.get(whole, whole))
    if whole != TOTAL and whole not in codes:
        return []
    chosen: list[str] = []
    seen: frozenset[str] = frozenset()
    # Coarsest parts first, so that C is used rather than its divisions when both are present.
    if any(p not in codes for p in parts):
        return []
    for p in sorted(parts, key=lambda c: -len(sector_classes(codes[c]))):
        cls = sector_classes(codes[p])
        if cls & seen:
            continue
        chosen.append(p)
        seen = seen | cls
    return chosen if seen == target else []
