"""The selection every command shares: regions, reference and sectors, turned into panel rows.

:func:`select` takes what a user typed (``--region "RESOC Westhoek"``, ``--reference BE2``, ``--sectors
antwerp-2013``) and returns a panel in which those exist as plain codes, so that the measures run unchanged:
territories become new regions (:mod:`speerpunt.classify.territories`) and policy sectors new sectors
(:mod:`speerpunt.classify.sector_build`), with ``TOTAL`` kept. Nothing is built when the codes are already
in the data.

Example
-------
>>> import pandas as pd
>>> from speerpunt.panel import Panel
>>> rows = [(r, s, v) for r, vals in {"A": (4, 1, 10), "B": (2, 3, 20), "N": (6, 4, 30)}.items()
...         for s, v in zip(["41", "46", "TOTAL"], vals)]
>>> df = pd.DataFrame(rows, columns=["region", "sector", "value"]).assign(year=2014, variable="x")
>>> sel = select(Panel(df), regions=["A+B"], reference="N", sectors="bouw")
>>> sel.regions, sel.reference, sel.sectors
(['A+B'], 'N', ['bouw'])
>>> sel.panel.wide("x", 2014).loc["A+B", ["bouw", "TOTAL"]].tolist()
[6.0, 30.0]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from speerpunt.classify.aggregates import aggregate_members, is_sector_code, sector_set
from speerpunt.classify.policy import PolicySector
from speerpunt.classify.sector_build import build_sectors
from speerpunt.classify.territories import add_territories, country_of
from speerpunt.classify.vocabulary import policy_spec
from speerpunt.errors import ClassificationError, MeasureError, Text
from speerpunt.panel import TOTAL, Panel


@dataclass
class Selection:
    """The prepared panel and the plain codes to hand to a measure."""

    panel: Panel
    regions: list[str] | None
    reference: str
    sectors: str | list[str] | None
    coverage: pd.DataFrame | None = None
    overlapping: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def kwargs(self) -> dict:
        """``reference``, ``regions`` and ``sectors`` as keyword arguments of a measure."""
        return {"reference": self.reference, "regions": self.regions, "sectors": self.sectors}


def _codes_as_sectors(spec: str, panel: Panel) -> list[PolicySector] | None:
    """A scheme or code list the data do not have as such, as one-code sectors to build."""
    try:
        sector_set(spec, available=panel.sectors)
        return None  # the data have them: nothing to build
    except ClassificationError:
        pass
    try:
        codes = sector_set(spec)
    except ClassificationError:
        return None
    out = []
    for code in codes:
        if code == TOTAL or not is_sector_code(code):
            continue
        members = tuple(aggregate_members(code))
        out.append(PolicySector(code, code, code, members, source="sector code"))
    return out or None


def overlaps(sectors: Sequence[PolicySector]) -> list[tuple[str, str]]:
    """Pairs of policy sectors that share NACE classes (``groothandel`` and ``groothandel_logistiek``)."""
    return [
        (a.name, b.name)
        for i, a in enumerate(sectors)
        for b in sectors[i + 1 :]
        if a.classes() & b.classes()
    ]


def select(
    panel: Panel,
    *,
    regions: Sequence[str] | None = None,
    reference: str | None = "country",
    sectors: str | None = None,
    territory_file: str | Path | None = None,
    keep_sectors: bool = False,
    all_regions: bool = False,
) -> Selection:
    """Build the territories and policy sectors a command asked for.

    Parameters
    ----------
    regions : list of region specs, optional
        Codes, unions ``A+B``, named territories (``resoc:westhoek``, ``RESOC Westhoek``); ``None`` = all.
    reference : str
        ``country``, ``rest``, ``rest:SPEC`` or a region spec; a territory's country is its members'.
    sectors : str, optional
        A ``--sectors`` value (see :mod:`speerpunt.classify.vocabulary`); codes or schemes the data do not
        have as such are built from the finest level present.
    keep_sectors : bool
        Keep the data's own sectors beside the built ones (for composition tables).
    all_regions : bool
        Build the policy sectors for every region of the data, not only the selected ones and their
        reference (for measures that compare a region with all others).
    """
    notes: list[str] = []
    ref = (reference or "country").strip()
    rest = ref.lower() == "rest" or ref.lower().startswith("rest:")
    ref_spec = ref[5:].strip() if ref.lower().startswith("rest:") else ref
    if ref.lower() == "rest":
        ref_spec = "country"
    codes = None
    countries: set[str] = set()
    if regions is not None:
        original = set(panel.regions)
        countries = {country_of(panel, r, territory_file) for r in regions}
        panel, codes = add_territories(panel, list(regions), territory_file)
        built = [c for c in codes if c not in original]
        if built and ref_spec.lower() == "country":
            if len(countries) != 1 or None in countries:
                raise MeasureError(
                    Text("cl_no_country", names=", ".join(built)),
                    column="reference",
                )
            ref_spec = next(iter(countries))
        countries.discard(None)
    if ref_spec.lower() != "country":
        panel, (ref_code,) = add_territories(panel, [ref_spec], territory_file)
    else:
        ref_code = "country"
    reference_out = f"rest:{ref_code}" if rest and ref_code != "country" else ref_code
    if rest and ref_code == "country":
        reference_out = "rest"
    chosen: str | list[str] | None = sectors
    coverage = None
    overlapping: list[tuple[str, str]] = []
    wanted = policy_spec(sectors)
    if wanted is None and sectors:
        wanted = _codes_as_sectors(sectors, panel)
    if wanted is not None:
        keep = None
        if codes is not None and not all_regions:
            refs = {ref_code} if ref_code != "country" else set()
            keep = sorted(set(codes) | {str(c) for c in countries} | refs)
        built_sectors = build_sectors(panel, wanted, regions=keep, keep=keep_sectors)
        panel = built_sectors.panel
        chosen = built_sectors.sectors
        coverage = built_sectors.coverage
        overlapping = overlaps([s for s in wanted if s.name in chosen])
        notes += built_sectors.notes()
        if built_sectors.skipped:
            notes.append(f"not in the data at all, left out: {', '.join(built_sectors.skipped)}")
    return Selection(panel, codes, reference_out, chosen, coverage, overlapping, notes)
