"""The data the web app works on, and a cache of pure computations per (data, parameters).

Every number comes from a library function (:mod:`speerpunt.measures`, :mod:`speerpunt.screening` …);
this module only chooses the panel, calls the function once per distinct set of parameters and keeps the
result (results are treated as read-only by the views). Uploaded panels live on disk under a random key
(:class:`speerpunt.web.storage.UploadStore`: per user, with a quota and an expiry).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import pandas as pd

from speerpunt.errors import MeasureError
from speerpunt.panel import Panel
from speerpunt.web.storage import UploadStore

DEFAULT = "default"


class LRU:
    """A small thread-safe least-recently-used cache of computed results."""

    def __init__(self, maxsize: int = 1024) -> None:
        self.maxsize = maxsize
        self._items: OrderedDict[tuple, Any] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_compute(self, key: tuple, compute: Callable[[], Any]) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        value = compute()
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)
        return value

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
        with self._lock:
            self._items[key] = value
            while len(self._items) > self.maxsize:
                self._items.popitem(last=False)


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

    # ---- panels -----------------------------------------------------------------------------
    def panel(self, key: str = DEFAULT) -> Panel:
        with self._lock:
            if key in self._panels:
                return self._panels[key]
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
        if key != DEFAULT and self.uploads is not None:
            return self.uploads.get(key)[1]
        self.panel(key)
        return self._names[key]

    def has(self, key: str) -> bool:
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
