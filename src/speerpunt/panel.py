"""The region × sector × year container.

A :class:`Panel` wraps one tidy long table with the columns

``region, sector, year, variable, value, flag``

* ``region``, ``sector``, ``variable``: strings, taken as given (NUTS/NACE codes or the user's labels);
* ``year``: integer;
* ``value``: float; ``NaN`` means *not available* (missing, confidential …) and is never read as zero;
* ``flag``: string, ``""`` for none, otherwise Eurostat-style letters (``c``, ``p``, ``e``, ``b``, ``u``,
  ``z``; ``:`` for a missing cell), possibly several (``"pe"``).

Readers in :mod:`speerpunt.io` validate files (naming file, line and column) and return a Panel;
the checks here are the structural ones every Panel must pass, also when built from Python.
Inside the package a Panel is trusted.

Example
-------
>>> import pandas as pd
>>> df = pd.DataFrame({"region": ["R", "R"], "sector": ["A", "B"], "year": [2000, 2000],
...                    "variable": ["employment"] * 2, "value": [1.0, 3.0]})
>>> p = Panel(df)
>>> float(p.wide("employment", 2000).loc["R", "B"])
3.0
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from functools import cached_property

import numpy as np
import pandas as pd

from speerpunt.errors import DataError, MeasureError, Num, Text

COLUMNS = ["region", "sector", "year", "variable", "value", "flag"]
KEY = ["region", "sector", "year", "variable"]
TOTAL = "TOTAL"

#: Eurostat flag letters and what they mean (``:`` marks a missing cell).
FLAG_MEANINGS = {
    ":": "not available",
    "c": "confidential",
    "p": "provisional",
    "e": "estimated",
    "b": "break in time series",
    "u": "low reliability",
    "z": "not applicable",
    "d": "definition differs",
    "n": "not significant",
    "r": "revised",
    "s": "Eurostat estimate",
    "q": "zero that looks suppressed (its parent is larger than the sum of its parts)",
}


@dataclass(frozen=True)
class ClassificationBreak:
    """A declared break in the sector classification.

    ``year`` is the first year published in the new classification (e.g. 2008 for NACE-BEL 2003 → 2008).
    Trends from a year before ``year`` to ``year`` or later are blocked unless ``conversion`` is given:
    a table ``old_sector, new_sector, weight`` that maps the old codes onto the new ones.
    """

    year: int
    description: str
    variable: str | None = None
    conversion: pd.DataFrame | None = None

    def blocks(self, start: int, end: int, variable: str | None = None) -> bool:
        """True when a trend from ``start`` to ``end`` crosses this break without a conversion key."""
        if self.conversion is not None:
            return False
        if self.variable is not None and variable is not None and self.variable != variable:
            return False
        lo, hi = sorted((start, end))
        return lo < self.year <= hi


@dataclass(frozen=True)
class PanelMeta:
    """What a panel is: units per variable, source and attribution, classification and NUTS vintage."""

    name: str | None = None
    units: dict[str, str] = field(default_factory=dict)
    source: str | None = None
    attribution: str | None = None
    classification: str | None = None
    nuts_vintage: str | None = None
    breaks: tuple[ClassificationBreak, ...] = ()
    notes: tuple[str, ...] = ()
    #: How the file was read (format, separator, number conventions, header mapping …), see
    #: :meth:`speerpunt.io.ReadSummary.to_dict`; empty for panels built in Python.
    reading: dict = field(default_factory=dict)

    def breaks_between(
        self, start: int, end: int, variable: str | None = None
    ) -> list[ClassificationBreak]:
        """The declared breaks that block a trend from ``start`` to ``end``."""
        return [b for b in self.breaks if b.blocks(start, end, variable)]


#: Flag code of a cell that is absent from the long table (shown as ``':'``, like a missing one).
ABSENT = 0


@dataclass(frozen=True)
class Core:
    """One variable as dense arrays, built once per Panel and variable (see :meth:`Panel.core`).

    ``values[y, r, s]`` is the value of ``years[y], regions[r], sectors[s]`` (``NaN`` where missing or
    absent); ``flags`` holds small-integer codes into ``flag_vocab`` (code :data:`ABSENT` = no row; its
    word is ``':'``). Labels are sorted; a look-up is one hash-table indexer call per axis.
    """

    regions: pd.Index
    sectors: pd.Index
    years: pd.Index
    values: np.ndarray
    flags: np.ndarray
    flag_vocab: np.ndarray
    _positions: dict[tuple[str, tuple[object, ...]], np.ndarray] = field(
        default_factory=dict, compare=False, repr=False
    )
    _year_regions: dict[int, tuple[str, ...]] = field(
        default_factory=dict, compare=False, repr=False
    )

    @property
    def present(self) -> np.ndarray:
        return self.flags != ABSENT

    def positions(self, axis: str, labels: Sequence[object]) -> np.ndarray:
        """Index of each label along ``axis`` (``'regions'``, ``'sectors'``, ``'years'``); -1 if absent.

        Remembered per label list (read-only arrays): every measure over the same regions and sectors
        asks for the same positions, and the core's labels never change.
        """
        labels = tuple(labels)
        key = (axis, labels)
        found = self._positions.get(key)
        if found is None:
            index = getattr(self, axis)
            if index.dtype == object:
                # An object target: a plain list of strings would first be inferred and converted to
                # an Arrow string index, then compared back against the object labels.
                found = index.get_indexer(pd.Index(list(labels), dtype=object))
            else:
                found = index.get_indexer(list(labels))
            found.flags.writeable = False
            if len(self._positions) >= 64:  # a few selections per session; never unbounded
                self._positions.clear()  # (one atomic call: safe when threads share the core)
            self._positions[key] = found
        return found

    def regions_in_year(self, yi: int) -> tuple[str, ...]:
        """The regions with at least one row in year position ``yi`` (sorted; remembered per year).

        Years with the same regions get the same tuple object, so a caller may key on its identity.
        """
        found = self._year_regions.get(yi)
        if found is None:
            found = tuple(self.regions[(self.flags[yi] != ABSENT).any(axis=1)])
            found = next((t for t in list(self._year_regions.values()) if t == found), found)
            self._year_regions[yi] = found  # one atomic store: safe when threads share the core
        return found

    def year_values(
        self,
        yi: int | np.ndarray,
        ri: np.ndarray,
        si: np.ndarray,
        out: np.ndarray | None = None,
    ) -> np.ndarray:
        """Values at year position(s) ``yi`` and region and sector positions ``ri × si`` (from
        :meth:`positions`; ``NaN`` where one is -1, absent): ``regions × sectors`` for one year,
        ``years × regions × sectors`` for an array of them. Written into ``out`` (C-ordered, that
        shape) when given: a caller filling a long result column passes its slice and saves a copy.
        """
        yis = np.atleast_1d(np.asarray(yi, dtype=np.intp))
        shape = (len(yis), len(ri), len(si))
        if out is None:
            out = np.empty(shape if np.ndim(yi) else shape[1:])
        cube = out.reshape(shape)  # a view of a C-ordered ``out``
        if not np.may_share_memory(cube, out):
            raise ValueError("out must be C-ordered")
        self._fill(yis, ri, si, cube)
        return out

    def _fill(self, yis: np.ndarray, ri: np.ndarray, si: np.ndarray, out: np.ndarray) -> None:
        if 0 in self.values.shape:  # nothing to take from: every cell absent
            out.fill(np.nan)
            return
        cube, yidx = self.values, yis
        if (np.diff(yis) == 1).all():  # consecutive years: a view, no copy of the year axis
            cube, yidx = self.values[yis[0] : yis[-1] + 1], np.arange(len(yis))
        # An absent label is taken from position 0, then blanked (as in ``block``).
        absent_r, absent_s = ri < 0, si < 0
        _take3(cube, yidx, np.where(absent_r, 0, ri), np.where(absent_s, 0, si), out=out)
        out[:, absent_r] = np.nan
        out[:, :, absent_s] = np.nan

    def block(
        self,
        years: Sequence[int],
        regions: Sequence[str],
        sectors: Sequence[str],
    ) -> tuple[np.ndarray, np.ndarray]:
        """Values and flag codes of ``years × regions × sectors`` (labels may repeat or be absent).

        Reads only the cells asked for: ``NaN`` / :data:`ABSENT` where a label is not in the data.
        """
        yi = self.positions("years", years)
        ri = self.positions("regions", regions)
        si = self.positions("sectors", sectors)
        shape = (len(yi), len(ri), len(si))
        absent = [idx < 0 for idx in (yi, ri, si)]
        if 0 in self.values.shape:  # nothing to take from: every cell absent
            return np.full(shape, np.nan), np.zeros(shape, dtype=self.flags.dtype)
        if not any(a.any() for a in absent):
            return _take3(self.values, yi, ri, si), _take3(self.flags, yi, ri, si)
        # Take every label (an absent one from position 0), then blank the absent lines: the per-axis
        # takes stay contiguous copies, where a 3-D fancy index would gather element by element.
        safe = [np.where(a, 0, idx) for a, idx in zip(absent, (yi, ri, si), strict=True)]
        values, flags = _take3(self.values, *safe), _take3(self.flags, *safe)
        for axis, a in enumerate(absent):
            if a.any():
                where = (slice(None),) * axis + (a,)
                values[where] = np.nan
                flags[where] = ABSENT
        return values, flags


def _not_in(labels: Sequence[object], index: pd.Index) -> list[object]:
    """The labels absent from ``index``, in order (one hash-table look-up for all, not one per label)."""
    if not len(labels):
        return []
    labels = list(labels)
    if len(labels) <= 16:
        # A few labels (a year, a period): the index's own hash table, built once per index; the
        # object copy of the index below cost ~0.2 ms per call, which per-year loops paid each year.
        return [lab for lab in labels if not _has(index, lab)]
    # An object index is used as it is: its hash table is built once and kept on the index (a copy
    # would build it again on every call).
    within = index if index.dtype == object else pd.Index(index, dtype=object)
    found = within.get_indexer(pd.Index(labels, dtype=object)) >= 0
    if found.all():  # the usual case: no Python loop over the labels
        return []
    return [lab for lab, ok in zip(labels, found, strict=True) if not ok]


def _has(index: pd.Index, label: object) -> bool:
    """``label in index``; a label the index cannot even compare with (``'x'`` in years) is absent."""
    try:
        return bool(label in index)
    except TypeError:
        return False


def _take3(
    cube: np.ndarray,
    yi: np.ndarray,
    ri: np.ndarray,
    si: np.ndarray,
    out: np.ndarray | None = None,
) -> np.ndarray:
    """``cube[np.ix_(yi, ri, si)]`` one axis at a time, skipping an axis taken whole and in order
    (``np.take`` per axis copies contiguous runs; the 3-D fancy index gathers element by element),
    always a fresh array — or written into ``out``.

    The axis that keeps the smallest fraction of the cube goes first (two years of 25 copy 2/25 of the
    cube before the region take, not the whole cube)."""
    order = sorted(((0, yi), (1, ri), (2, si)), key=lambda a: len(a[1]) / max(cube.shape[a[0]], 1))
    takes = [
        (axis, idx)
        for axis, idx in order
        if not (len(idx) == cube.shape[axis] and (idx == np.arange(len(idx))).all())
    ]
    if not takes:
        if out is None:
            return cube.copy()
        np.copyto(out, cube)
        return out
    for axis, idx in takes[:-1]:
        cube = np.take(cube, idx, axis=axis)
    axis, idx = takes[-1]
    return np.take(cube, idx, axis=axis, out=out)


class Panel:
    """A validated region × sector × year × variable table with metadata.

    Parameters
    ----------
    data : DataFrame
        Long table with at least ``region, sector, year, variable, value``; ``flag`` optional.
    meta : PanelMeta, optional
        Units, source, classification, breaks.

    Raises
    ------
    DataError
        Missing columns, non-integer years, non-numeric or negative values, duplicate keys.
    """

    def __init__(self, data: pd.DataFrame, meta: PanelMeta | None = None) -> None:
        self.meta = meta or PanelMeta()
        self.data = _normalise(data)

    # ---- description -------------------------------------------------------------------------
    def __repr__(self) -> str:
        return (
            f"Panel({self.meta.name or 'unnamed'}: {len(self.regions)} regions × "
            f"{len(self.sectors)} sectors × {len(self.years)} years, variables {self.variables})"
        )

    def __len__(self) -> int:
        return len(self.data)

    # A Panel is immutable by convention, so the code lists are computed once.
    @cached_property
    def regions(self) -> list[str]:
        return sorted(self.data["region"].unique())

    @cached_property
    def sectors(self) -> list[str]:
        return sorted(self.data["sector"].unique())

    @cached_property
    def years(self) -> list[int]:
        return sorted(int(y) for y in self.data["year"].unique())

    @cached_property
    def variables(self) -> list[str]:
        return sorted(self.data["variable"].unique())

    def unit(self, variable: str) -> str | None:
        return self.meta.units.get(variable)

    # ---- selection ---------------------------------------------------------------------------
    def select(
        self,
        *,
        variable: str | Iterable[str] | None = None,
        years: Iterable[int] | None = None,
        regions: Iterable[str] | None = None,
        sectors: Iterable[str] | None = None,
    ) -> Panel:
        """A new Panel restricted to the given values (``None`` keeps everything)."""
        d = self.data
        mask = np.ones(len(d), dtype=bool)
        for col, wanted in (
            ("variable", variable),
            ("year", years),
            ("region", regions),
            ("sector", sectors),
        ):
            if wanted is None:
                continue
            if isinstance(wanted, str | int):
                wanted = [wanted]
            mask &= d[col].isin(list(wanted)).to_numpy()
        return Panel._trusted(d[mask], self.meta)

    def with_meta(self, **changes: object) -> Panel:
        return Panel._trusted(self.data, replace(self.meta, **changes))

    # ---- checks that measures need ------------------------------------------------------------
    def require(
        self,
        *,
        variable: str | None = None,
        years: Sequence[int] = (),
        regions: Sequence[str] = (),
    ) -> None:
        """Raise :class:`MeasureError` naming what is absent from the panel."""
        if variable is not None and variable not in self.variables:
            raise MeasureError(
                Text(
                    "io_variable_not_in_data",
                    variable=variable,
                    available=", ".join(self.variables),
                ),
                column="variable",
            )
        if not years and not regions:
            return
        if variable is None:
            have_years, have_regions = self._all_years_regions()
        else:
            core = self.core(variable)
            have_years, have_regions = core.years, core.regions
        missing = _not_in(years, have_years)
        if missing:
            span = f"{min(have_years)}–{max(have_years)}" if len(have_years) else Text("io_none")
            raise MeasureError(
                Text(
                    "io_year_not_in_data",
                    years=", ".join(map(str, missing)),
                    variable=variable,
                    span=span,
                ),
                column="year",
            )
        missing_r = _not_in(regions, have_regions)
        if missing_r:
            raise MeasureError(
                Text(
                    "io_region_not_in_data",
                    regions=", ".join(missing_r),
                    scope=Text("io_for_variable", variable=variable) if variable else "",
                ),
                column="region",
            )

    def _all_years_regions(self) -> tuple[pd.Index, pd.Index]:
        return pd.Index(self.years), pd.Index(self.regions)

    def regions_of(self, variable: str) -> list[str]:
        """The regions with at least one cell of ``variable``, sorted."""
        return list(self.core(variable).regions)

    # ---- shapes ------------------------------------------------------------------------------
    def wide(self, variable: str, year: int, column: str = "value") -> pd.DataFrame:
        """Region × sector matrix of ``value`` (or ``flag``) for one variable and year; NaN where absent.

        Rows and columns are the regions and sectors that have at least one cell in that year.
        """
        core = self.core(variable)
        yi = core.years.get_indexer([year])[0]
        if yi < 0:
            empty = pd.DataFrame(index=pd.Index([], name="region", dtype=object), dtype=float)
            return empty if column == "value" else empty.astype(object)
        codes = core.flags[yi]
        present = codes != ABSENT
        rows, cols = present.any(axis=1), present.any(axis=0)
        if column == "flag":
            block = core.flag_vocab[codes[np.ix_(rows, cols)]]
        else:
            block = core.values[yi][np.ix_(rows, cols)]
        out = pd.DataFrame(block, index=core.regions[rows], columns=core.sectors[cols])
        out.index.name = "region"
        return out

    def flag_matrix(
        self, variable: str, year: int, regions: Sequence[str], sectors: Sequence[str]
    ) -> np.ndarray:
        """Flags of ``regions × sectors`` in ``year`` as an object array; ``':'`` where a cell is absent.

        Regions may repeat (one row per requested code), which the measures use for reference rows.
        """
        core = self.core(variable)
        _, codes = core.block([year], regions, sectors)
        return core.flag_vocab[codes[0]]

    def core(self, variable: str) -> Core:
        """The variable as a dense years × regions × sectors :class:`Core`, built once and cached."""
        cache = self.__dict__.setdefault("_core_cache", {})
        if variable not in cache:
            d = self.data
            if len(self.variables) > 1:
                d = d[d["variable"] == variable]
            r_codes, regions = pd.factorize(d["region"], sort=True)
            s_codes, sectors = pd.factorize(d["sector"], sort=True)
            y_codes, years = pd.factorize(d["year"], sort=True)
            f_codes, vocab = pd.factorize(d["flag"], sort=True)
            shape = (len(years), len(regions), len(sectors))
            values = np.full(shape, np.nan)
            values[y_codes, r_codes, s_codes] = d["value"].to_numpy(dtype=float)
            flags = np.zeros(shape, dtype=np.uint8 if len(vocab) < 255 else np.uint16)
            flags[y_codes, r_codes, s_codes] = f_codes + 1
            cache[variable] = Core(
                pd.Index(np.asarray(regions, dtype=object), dtype=object),
                pd.Index(np.asarray(sectors, dtype=object), dtype=object),
                pd.Index(np.asarray(years, dtype=np.int64)),
                values,
                flags,
                np.concatenate([[":"], np.asarray(vocab, dtype=object)]).astype(object),
            )
        return cache[variable]

    def cube(self, variable: str) -> pd.DataFrame:
        """Values indexed by ``(region, year)`` with one column per sector."""
        d = self.data[self.data["variable"] == variable]
        out = d.pivot_table(
            index=["region", "year"],
            columns="sector",
            values="value",
            aggfunc="first",
            dropna=False,
        )
        out.columns.name = None
        return out.astype(float)

    def flagged(self) -> pd.DataFrame:
        """Rows with a flag or a missing value, with the flag spelled out."""
        d = self.data
        out = d[(d["flag"] != "") | d["value"].isna()].copy()
        out["meaning"] = out["flag"].map(describe_flag)
        return out.reset_index(drop=True)

    # ---- construction without re-validation (inside the package) ----------------------------
    @classmethod
    def _trusted(cls, data: pd.DataFrame, meta: PanelMeta) -> Panel:
        p = cls.__new__(cls)
        p.meta = meta
        p.data = data.reset_index(drop=True)
        return p


def describe_flag(flag: str) -> str:
    """``'pe'`` → ``'provisional, estimated'``; ``''`` → ``''``."""
    if not flag:
        return ""
    if flag == ":":
        return FLAG_MEANINGS[":"]
    return ", ".join(FLAG_MEANINGS.get(ch, f"flag '{ch}'") for ch in flag if ch != " ")


def _normalise(data: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(data, pd.DataFrame):
        raise DataError(Text("io_panel_needs_frame", kind=type(data).__name__))
    missing = [c for c in COLUMNS[:-1] if c not in data.columns]
    if missing:
        raise DataError(Text("io_panel_missing", columns=", ".join(missing)), column=missing[0])
    d = data.loc[:, [c for c in COLUMNS if c in data.columns]].copy()
    if "flag" not in d.columns:
        d["flag"] = ""
    d["flag"] = d["flag"].fillna("").astype(str).str.strip()
    for col in ("region", "sector", "variable"):
        if d[col].isna().any():
            raise DataError(
                Text("io_panel_empty_code"), row=int(d.index[d[col].isna()][0]), column=col
            )
        d[col] = d[col].astype(str).str.strip()
    years = pd.to_numeric(d["year"], errors="coerce")
    bad = years.isna() | (years != np.floor(years))
    if bad.any():
        raise DataError(Text("io_panel_year", year=repr(d["year"][bad].iloc[0])), column="year")
    d["year"] = years.astype("int64")
    values = pd.to_numeric(d["value"], errors="coerce")
    bad = values.isna() & d["value"].notna()
    if bad.any():
        raise DataError(Text("io_panel_value", value=repr(d["value"][bad].iloc[0])), column="value")
    if (values < 0).any():
        raise DataError(
            Text("io_panel_negative", value=Num(values[values < 0].iloc[0])), column="value"
        )
    d["value"] = values.astype("float64")
    # A missing value without a flag gets ':' so that every gap explains itself.
    d.loc[d["value"].isna() & (d["flag"] == ""), "flag"] = ":"
    dup = d.duplicated(KEY, keep=False)
    if dup.any():
        first = d[dup].iloc[0]
        raise DataError(Text("io_panel_duplicate", **{k: first[k] for k in KEY}))
    return d.sort_values(KEY, kind="stable").reset_index(drop=True)[COLUMNS]
