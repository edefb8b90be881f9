"""The data the web app works on, and a cache of pure computations per (data, parameters).

Every number comes from a library function (:mod:`speerpunt.measures`, :mod:`speerpunt.screening` …);
this module only chooses the panel, calls the function once per distinct set of parameters and keeps the
result (results are treated as read-only by the views). Uploaded panels live on disk under a random key
(:class:`speerpunt.web.storage.UploadStore`: per user, with a quota and an expiry).
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pandas as pd

from speerpunt.errors import MeasureError
from speerpunt.panel import Panel
from speerpunt.web.storage import UploadStore

DEFAULT = "default"


class _Flight:
    """One computation in progress: the thread running it, and the result for those waiting on it."""

    __slots__ = ("owner", "done", "ok", "value")

    def __init__(self) -> None:
        self.owner = threading.get_ident()
        self.done = threading.Event()
        self.ok = False
        self.value: Any = None


class LRU:
    """A small thread-safe least-recently-used cache of computed results.

    Each key is computed once at a time: a request for a key that another thread is computing waits
    for that result instead of computing it again. Without this, a cold cache under load (a new worker,
    a new selection) had every concurrent reader of the page start the same 2-second chart drawing in
    its own thread; with 50 users the same dashboard was drawn 20 times over and the last readers
    waited more than a minute. When the computation fails, a waiting thread computes it itself (and
    meets the same error, raised in its own thread).

    >>> calls = []
    >>> cache = LRU(maxsize=2)
    >>> cache.get_or_compute(("a",), lambda: calls.append(1) or 42), cache.get_or_compute(("a",), list)
    (42, 42)
    >>> len(calls)
    1
    """

    def __init__(self, maxsize: int = 1024) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._flights: dict[tuple, _Flight] = {}

    def get_or_compute(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            flight = self._flights.get(key)
            lead = flight is None
            if lead:
                flight = self._flights[key] = _Flight()
        if not lead:
            if flight.owner == threading.get_ident():
                # a computation asking for its own key again: compute rather than wait for itself
                return compute()
            flight.done.wait()
            return flight.value if flight.ok else self.get_or_compute(key, compute)
        try:
            value = compute()
            self._store(key, value)
            flight.value, flight.ok = value, True
        finally:
            with self._lock:
                if self._flights.get(key) is flight:
                    del self._flights[key]
            flight.done.set()
        return value

    def _store(self, key: tuple, value: Any) -> None:
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)

    def drop(self, prefix: str) -> None:
        with self._lock:
            for k in [k for k in self._items if k[0] == prefix]:
                del self._items[k]


class PageCache(LRU):
    """Rendered answers (body, status, headers) by request key; ``get`` returns None on a miss."""

    def __init__(self, maxsize: int = 2048) -> None:
        super().__init__(maxsize)

    def get(self, key: tuple) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        return None

    def put(self, key: tuple, value: Any) -> None:
        self._store(key, value)


@dataclass(frozen=True)
class Derived:
    """A panel built for a territory or policy sectors, with what :func:`select` said about it."""

    key: str
    source: str
    panel: Panel
    regions: list[str]
    reference: str
    sectors: Any
    coverage: Any
    overlapping: list
    notes: list[str]


class Workspace:
    """Panels by key plus the cache of results computed on them."""

    def __init__(
        self,
        spec: str,
        loader: Callable[[str], Panel] | None = None,
        uploads: UploadStore | None = None,
    ) -> None:
        self.spec = spec
        self._loader = loader
        self._panels: dict[str, Panel] = {}
        self._names: dict[str, str] = {}
        self._lock = threading.Lock()
        self.cache = LRU()
        self.uploads = uploads
        self._recipes: dict[str, tuple] = {}
        # built panels are as large as their source: keep only the last few
        self._derived = LRU(maxsize=8)

    # ---- panels built for a territory or policy sectors --------------------------------------
    def derive(self, source: str, region: str, reference: str, sectors: str | None) -> Derived:
        """The panel of ``source`` with ``region`` (a union or named territory) and ``reference`` built
        and ``sectors`` (a policy spec) aggregated, under a key of its own. Built by the library's
        :func:`speerpunt.classify.selection.select` once per recipe; the last few are kept."""
        recipe = (source, region, reference, sectors)
        key = "sel:" + hashlib.sha1(json.dumps(recipe).encode()).hexdigest()[:16]
        with self._lock:
            self._recipes[key] = recipe
        return self._derived.get_or_compute((key,), lambda: self._build(key, recipe))

    def _build(self, key: str, recipe: tuple) -> Derived:
        from speerpunt.classify.selection import select

        source, region, reference, sectors = recipe
        sel = select(
            self.panel(source),
            regions=[region],
            reference=reference,
            sectors=sectors,
            all_regions=True,  # maps and comparisons show the policy sectors of every region
        )
        return Derived(
            key,
            source,
            sel.panel,
            sel.regions,
            sel.reference,
            sel.sectors,
            sel.coverage,
            sel.overlapping,
            sel.notes,
        )

    # ---- panels -----------------------------------------------------------------------------
    def panel(self, key: str = DEFAULT) -> Panel:
        if key.startswith("sel:"):
            recipe = self._recipes.get(key)
            if recipe is None:
                raise MeasureError("this selection has expired: choose it again", column="data")
            return self.derive(*recipe).panel
        if key == self.spec:
            key = DEFAULT
        with self._lock:
            if key in self._panels:
                return self._panels[key]
        if key != DEFAULT and _embedded(key):
            from speerpunt.io.datasets import load_dataset

            panel = load_dataset(key)
            with self._lock:
                self._names[key] = key
                return self._panels.setdefault(key, panel)
        if key != DEFAULT:
            if self.uploads is None:
                raise MeasureError(f"no uploaded data set '{key}'", column="data")
            return self.uploads.get(key)[0]
        if self._loader is not None:
            panel = self._loader(self.spec)
        else:
            from speerpunt.io import read_panel

            panel = read_panel(self.spec, allow_overlaps=True)  # analyses choose sectors
        with self._lock:
            self._panels.setdefault(DEFAULT, panel)
            self._names[DEFAULT] = self.spec
            return self._panels[DEFAULT]

    def add_upload(self, panel: Panel, name: str, owner: str = "anonymous") -> str:
        """Keep an uploaded panel on disk for ``owner`` and return its data key."""
        if self.uploads is None:
            raise MeasureError("this server keeps no uploads", column="data")
        return self.uploads.add(panel, name, owner)

    def name(self, key: str) -> str:
        if key in self._recipes:
            return self.name(self._recipes[key][0])
        if key == self.spec or _embedded(key):
            return key
        if key != DEFAULT and self.uploads is not None:
            return self.uploads.get(key)[1]
        self.panel(key)
        return self._names[key]

    def has(self, key: str) -> bool:
        if key in self._recipes:
            return self.has(self._recipes[key][0])
        if _embedded(key):
            return True
        return key == DEFAULT or (self.uploads is not None and self.uploads.has(key))

    def describe(self, key: str = DEFAULT) -> dict:
        if not self.has(key):  # an expired upload must not live on in the cache
            self.panel(key)

        def compute() -> dict:
            p = self.panel(key)
            return {
                "name": self.name(key),
                "regions": p.regions,
                "sectors": p.sectors,
                "years": p.years,
                "sector_years": _sector_years(p),
                "variables": p.variables,
                "units": {v: p.unit(v) for v in p.variables},
                "source": p.meta.source,
                "attribution": p.meta.attribution,
            }

        return self.cache.get_or_compute((key, "describe"), compute)

    # ---- cached computations ----------------------------------------------------------------
    def compute(
        self, key: str, name: str, fn: Callable[..., pd.DataFrame], /, **params: Any
    ) -> Any:
        """``fn(panel, **params)`` once per (data key, name, params)."""
        frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
        return self.cache.get_or_compute((key, name, frozen), lambda: fn(self.panel(key), **params))

    def memo(self, key: str, name: str, fn: Callable[[], Any], /, **params: Any) -> Any:
        """Cache any derived value (e.g. a rendered chart) under the same kind of key."""
        frozen = tuple(sorted((k, _freeze(v)) for k, v in params.items()))
        return self.cache.get_or_compute((key, name, frozen), fn)


def _freeze(v: Any) -> Any:
    if isinstance(v, list | tuple):
        return tuple(_freeze(x) for x in v)
    if isinstance(v, dict):
        return tuple(sorted((k, _freeze(x)) for k, x in v.items()))
    return v


def _embedded(key: str) -> bool:
    """An embedded dataset's name (``eu-sbs-2014``): any page can use it as ``data=``."""
    from speerpunt.io.datasets import dataset_names

    return key in dataset_names()


def _sector_years(panel: Panel) -> list[int]:
    """Years whose sector cells are at least 90 % known: the default end year is the last of them (in
    some data the newest year carries TOTAL only for half the regions)."""
    body = panel.data[panel.data["sector"] != "TOTAL"]
    known = body["value"].notna().groupby(body["year"]).mean()
    return sorted(int(y) for y in known.index[known >= 0.9])
