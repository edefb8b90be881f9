"""Settings of the web application (read once at start; environment variables override defaults)."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field

#: Whole-number settings that may come from the environment (variable → field).
INT_ENV = {
    "SPEERPUNT_REPORT_TTL_SECONDS": "report_ttl_seconds",
    "SPEERPUNT_UPLOAD_TTL_SECONDS": "upload_ttl_seconds",
    "SPEERPUNT_UPLOAD_MAX_COUNT": "upload_max_count",
    "SPEERPUNT_UPLOAD_QUOTA_BYTES": "upload_quota_bytes",
}


def _env_int(name: str) -> int | None:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return None
    try:
        value = int(raw)
    except ValueError:
        value = -1
    if value < 1:
        from speerpunt.errors import ConfigError, Text

        raise ConfigError(Text("err_not_positive_whole", value=raw), column=name)
    return value


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
    ``geo_dir``: geometry folder for maps (else ``SPEERPUNT_GEO_DIR``, read by :mod:`speerpunt.geo`).
    ``trusted_proxies``: addresses/networks whose ``X-Forwarded-For`` is believed (``SPEERPUNT_TRUSTED_PROXIES``,
    comma-separated; none by default).
    ``files_dir``: where uploads and report files are kept on disk (``SPEERPUNT_FILES_DIR``; default a
    ``speerpunt-files`` folder in the system's temporary folder). Report files live ``report_ttl_seconds``;
    uploads live ``upload_ttl_seconds`` and each user keeps at most ``upload_max_count`` of them, together at
    most ``upload_quota_bytes`` on disk (each also from ``SPEERPUNT_<FIELD IN CAPITALS>``, see ``INT_ENV``).
    ``data``: the built-in or file data set (``SPEERPUNT_DATA``). With several worker processes
    (``speerpunt serve --workers``) every worker reads its settings from these variables.
    """

    db_url: str = "sqlite:///speerpunt.db"
    data: str = "be-employment"
    anonymous_read: bool = True
    secure_cookies: bool = False
    secret_key: str = field(default_factory=lambda: secrets.token_urlsafe(32))
    geo_dir: str | None = None
    #: Firm records (Parquet/CSV) for the SME page (``SPEERPUNT_FIRMS``); none by default.
    firms: str | None = None
    max_upload_bytes: int = 10 * 1024 * 1024
    session_hours: int = 12
    login_max_failures: int = 5
    login_window_seconds: int = 300
    trusted_proxies: tuple[str, ...] = ()
    files_dir: str | None = None
    report_ttl_seconds: int = 3600
    upload_ttl_seconds: int = 7 * 86400
    upload_max_count: int = 10
    upload_quota_bytes: int = 200 * 1024 * 1024

    @classmethod
    def from_env(cls, **overrides: object) -> Settings:
        """Defaults, then ``SPEERPUNT_*`` environment variables, then explicit ``overrides``."""
        values: dict[str, object] = {
            "anonymous_read": _env_bool("SPEERPUNT_ANONYMOUS_READ", True),
            "secure_cookies": _env_bool("SPEERPUNT_SECURE_COOKIES", False),
        }
        if os.environ.get("SPEERPUNT_SECRET_KEY"):
            values["secret_key"] = os.environ["SPEERPUNT_SECRET_KEY"]
        for name, key in (
            ("SPEERPUNT_DB", "db_url"),
            ("SPEERPUNT_DATA", "data"),
            ("SPEERPUNT_GEO_DIR", "geo_dir"),
            ("SPEERPUNT_FIRMS", "firms"),
            ("SPEERPUNT_FILES_DIR", "files_dir"),
        ):
            if os.environ.get(name):
                values[key] = os.environ[name]
        if os.environ.get("SPEERPUNT_TRUSTED_PROXIES"):
            values["trusted_proxies"] = tuple(os.environ["SPEERPUNT_TRUSTED_PROXIES"].split(","))
        for var, name in INT_ENV.items():
            if (number := _env_int(var)) is not None:
                values[name] = number
        values.update({k: v for k, v in overrides.items() if v is not None})
        return cls(**values)  # type: ignore[arg-type]

    @property
    def files_root(self) -> str:
        """The folder for uploads (``uploads/``) and report files (``reports/``)."""
        import tempfile

        return self.files_dir or os.path.join(tempfile.gettempdir(), "speerpunt-files")
