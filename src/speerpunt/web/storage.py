"""Files the web app keeps on disk: uploaded panels (per user, with a quota and an expiry) and report files
(with a bounded lifetime).

Both live under ``Settings.files_root`` (``uploads/`` and ``reports/``); it and they are folders only the
server's own user may enter (mode 0700; a folder owned by another user is refused, so nobody can plant or
swap files there).
Nothing stays forever: expired files are removed when the app starts and after every report download
or upload.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import threading
import time
from collections import OrderedDict
from pathlib import Path

from speerpunt.errors import ConfigError, DataError, MeasureError, Num, Text
from speerpunt.io.safe import output_path, safe_filename
from speerpunt.panel import Panel

KEY = re.compile(r"u-[A-Za-z0-9_-]{12}")


def private_dir(path: str | Path) -> Path:
    """``path`` created with mode 0700; refused when it exists but belongs to another user."""
    folder = Path(path)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    if hasattr(os, "getuid") and folder.stat().st_uid != os.getuid():
        raise ConfigError(Text("err_folder_other_user", folder=folder), column="files folder")
    folder.chmod(0o700)
    return folder


def sweep(folder: Path, max_age: float, now: float | None = None) -> int:
    """Remove files in ``folder`` (and its sub-folders) last changed more than ``max_age`` seconds ago;
    returns how many went. Empty sub-folders go too."""
    now = time.time() if now is None else now
    removed = 0
    if not folder.is_dir():
        return 0
    for path in sorted(folder.rglob("*"), reverse=True):
        try:
            if path.is_file() and now - path.stat().st_mtime > max_age:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        except FileNotFoundError:  # another worker removed it first
            continue
    return removed


class ReportFiles:
    """Rendered reports by (selection, configuration): reused while fresh, removed after ``ttl`` seconds."""

    def __init__(self, root: Path, ttl: float) -> None:
        self.folder = private_dir(private_dir(root) / "reports")
        self.ttl = ttl
        self._lock = threading.Lock()
        self.cleanup()

    def cleanup(self) -> int:
        """Remove expired reports and parts left by an interrupted render."""
        return sweep(self.folder, self.ttl)

    def path(self, region: str, lang: str, fmt: str, fingerprint: str) -> Path:
        digest = hashlib.sha256(fingerprint.encode("utf-8")).hexdigest()[:16]
        return output_path(
            self.folder, safe_filename("speerpunt", region, lang, digest, suffix=f".{fmt}")
        )

    def fresh(self, path: Path) -> bool:
        try:
            return time.time() - path.stat().st_mtime <= self.ttl
        except FileNotFoundError:
            return False

    def build(self, path: Path, render) -> Path:
        """``path`` when fresh, else ``render(part)`` to a private part file that then replaces it."""
        with self._lock:
            if not self.fresh(path):
                part = path.with_name(f"{path.stem}.{secrets.token_hex(4)}.part{path.suffix}")
                try:
                    render(part)
                    part.replace(path)
                finally:
                    part.unlink(missing_ok=True)
        return path


class UploadStore:
    """Uploaded panels as Parquet files in one folder per owner, with a count and size quota per owner
    and an expiry. A few recently used panels are kept in memory (``cache`` of them at most)."""

    def __init__(
        self,
        root: Path,
        *,
        ttl: float,
        max_count: int,
        quota_bytes: int,
        cache: int = 8,
    ) -> None:
        self.folder = private_dir(private_dir(root) / "uploads")
        self.ttl, self.max_count, self.quota_bytes = ttl, max_count, quota_bytes
        self._cache: OrderedDict[str, tuple[Panel, str]] = OrderedDict()
        self._cache_size = cache
        self._lock = threading.Lock()
        self.cleanup()

    def cleanup(self) -> int:
        removed = sweep(self.folder, self.ttl)
        with self._lock:
            for key in [k for k in self._cache if self._find(k) is None]:
                del self._cache[key]
        return removed

    def _owner_dir(self, owner: str) -> Path:
        return self.folder / hashlib.sha256(owner.encode("utf-8")).hexdigest()[:20]

    def _find(self, key: str) -> Path | None:
        if not KEY.fullmatch(key):
            return None
        hits = list(self.folder.glob(f"*/{key}.parquet"))
        if not hits or time.time() - hits[0].stat().st_mtime > self.ttl:
            return None
        return hits[0]

    def add(self, panel: Panel, name: str, owner: str) -> str:
        """Store ``panel`` for ``owner`` and return its key; the owner's oldest uploads make room when
        the count or the size quota would be exceeded."""
        from speerpunt.io import write_parquet

        self.cleanup()
        key = "u-" + secrets.token_urlsafe(9)
        folder = self._owner_dir(owner)
        folder.mkdir(mode=0o700, exist_ok=True)
        part = output_path(folder, safe_filename("part", key, suffix=".parquet"))
        write_parquet(panel, part)
        size = part.stat().st_size
        if size > self.quota_bytes:
            part.unlink()
            raise DataError(
                Text(
                    "err_over_quota",
                    size=Num(size / 2**20, ".1f"),
                    quota=Num(self.quota_bytes / 2**20, ".0f"),
                ),
                file=name,
            )
        with self._lock:
            older = sorted(folder.glob("u-*.parquet"), key=lambda p: p.stat().st_mtime)
            used = sum(p.stat().st_size for p in older)
            while older and (len(older) >= self.max_count or used + size > self.quota_bytes):
                gone = older.pop(0)
                used -= gone.stat().st_size
                self._drop(gone)
            (folder / f"{key}.json").write_text(
                json.dumps({"name": name, "owner": owner, "created": time.time()}),
                encoding="utf-8",
            )
            part.replace(folder / f"{key}.parquet")
            self._remember(key, panel, name)
        return key

    def _drop(self, parquet: Path) -> None:
        self._cache.pop(parquet.stem, None)
        parquet.unlink(missing_ok=True)
        parquet.with_suffix(".json").unlink(missing_ok=True)

    def _remember(self, key: str, panel: Panel, name: str) -> None:
        self._cache[key] = (panel, name)
        self._cache.move_to_end(key)
        while len(self._cache) > self._cache_size:
            self._cache.popitem(last=False)

    def has(self, key: str) -> bool:
        return self._find(key) is not None

    def get(self, key: str) -> tuple[Panel, str]:
        """The panel and its file name; an expired or unknown key is a one-line error."""
        path = self._find(key)
        if path is None:
            raise MeasureError(
                Text("err_no_upload_kept", key=key, days=Num(self.ttl / 86400, "g")), column="data"
            )
        with self._lock:
            if key in self._cache:
                self._cache.move_to_end(key)
                return self._cache[key]
        from speerpunt.io import read_panel

        name = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))["name"]
        panel = read_panel(path, allow_overlaps=True)  # read as uploaded (see upload.py)
        with self._lock:
            self._remember(key, panel, name)
        return panel, name

    def keys(self, owner: str) -> list[str]:
        """The owner's live uploads, oldest first."""
        folder = self._owner_dir(owner)
        files = sorted(folder.glob("u-*.parquet"), key=lambda p: p.stat().st_mtime)
        return [p.stem for p in files if self._find(p.stem)]
