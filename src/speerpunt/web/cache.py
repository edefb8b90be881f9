"""Registry pages cached per (registry version, page, parameters, language, role).

The registry changes while the app runs (editors save records), so its pages cannot sit in the anonymous
page cache keyed by URL alone. Here the key starts with :meth:`Registry.data_version` — the count of
history rows, which every write raises in its own transaction — read from the database on each request
(one indexed ``count``), so every worker sees another worker's save at its next request: no timers, no
per-process guesses. What is cached is the page's data (the template context without the per-request
parts: user, CSRF token, links), so logged-in users share it too; the ``role`` is part of the key for pages
whose data would depend on it.

Example: ``registry_data(request, "matrix", compute, lang="nl")`` computes once per registry version.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import FastAPI, Request

from speerpunt.web.data import LRU

#: A few registry versions × pages × languages × roles; old versions fall out by recency.
_CACHE = LRU(maxsize=256)


def registry_version(app: FastAPI) -> int:
    """The registry's current data version (shared by all workers through the database)."""
    from speerpunt.web.registry_view import registry

    return registry(app).data_version()


def registry_data(request: Request, page: str, compute: Callable[[], Any], **params: Any) -> Any:
    """``compute()`` once per (registry version, page, params, language, role); the result is read-only."""
    user = request.state.user
    role = user.role if user is not None else "anonymous"
    key = (
        id(request.app),
        registry_version(request.app),
        page,
        tuple(sorted(params.items())),
        request.state.lang,
        role,
    )
    return _CACHE.get_or_compute(key, compute)
