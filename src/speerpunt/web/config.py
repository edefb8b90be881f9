"""Settings of the web application (read once at start; environment variables override defaults)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field


def _env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    """What the app needs to run.

    ``anonymous_read``: pages and GET API open without login (``SPEERPUNT_ANONYMOUS_READ``).
    ``secure_cookies``: mark cookies ``Secure`` (set when served over https, ``SPEERPUNT_SECURE_COOKIES``).
    ``secret_key``: signs CSRF tokens; random per process unless ``SPEERPUNT_SECRET_KEY`` is set.
    ``geo_dir``: geometry folder for maps (else ``SPEERPUNT_GEO_DIR``, read by :mod:`speerpunt.registry.geo`).
    ``data``: the built-in or file data set (``SPEERPUNT_DATA``). With several worker processes
    (``speerpunt serve --workers``) every worker reads its settings from these variables.
    """

    db_url: str = "sqlite:///speerpunt.db"
    data: str = "be-employment"
    anonymous_read: bool = True
    secure_cookies: bool = False
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    geo_dir: str | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    session_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 300

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``SPEERPUNT_*`` environment variables, then explicit ``overrides``."""
        values: dict[str, object] = {
            "anonymous_read": _env_bool("SPEERPUNT_ANONYMOUS_READ", True),
            "secure_cookies": _env_bool("SPEERPUNT_SECURE_COOKIES", False),
        }
        if os.environ.get("SPEERPUNT_SECRET_KEY"):
            values["secret_key"] = os.environ["SPEERPUNT_SECRET_KEY"]
        for name, key in (("SPEERPUNT_DB", "db_url"), ("SPEERPUNT_DATA", "data")):
            if os.environ.get(name):
                values[key] = os.environ[name]
        if os.environ.get("SPEERPUNT_GEO_DIR"):
            values["geo_dir"] = os.environ["SPEERPUNT_GEO_DIR"]
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]
