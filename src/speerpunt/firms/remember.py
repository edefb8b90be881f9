"""Remember that a register file passed validation, so that the next command on it skips the passes.

Validating firm records (duplicate firm-years, values, codes, moves; :func:`speerpunt.firms.records.load_records`)
reads every record three times: at 100 M firm-years that is more than the panel itself. An analyst runs
several commands on the same register (panel, size classes, transitions, demography, reach); when the file
has not changed since it passed, what validation found (the counts, the codes present, the first and last
year) is read back instead of recomputed.

A file is the same file when all of these are unchanged: its resolved path, device and inode, size,
modification time in nanoseconds and — for Parquet — the SHA-256 of its footer (the schema, every row
group's offsets, sizes and column statistics), for CSV the SHA-256 of its first and last 64 KiB; for a
folder of Parquet files, each file's. The key also holds the engine (its hashes differ) and a digest of the
validating code and the reference tables, so a new speerpunt or new code lists validate again. Only a
validation that passed is remembered; a refused file is checked again every time. A file modified less than
two seconds before it was validated is not remembered: file systems keep modification times in coarse ticks,
so a rewrite within the same tick could keep the time (git treats its "racily clean" entries the same way).

Entries are small JSON files under ``SPEERPUNT_CACHE_DIR`` (default ``$XDG_CACHE_HOME/speerpunt`` or
``~/.cache/speerpunt``), in ``records/``; ``SPEERPUNT_REMEMBER_VALIDATION=0`` or ``load_records(…,
remember=False)`` switches it off. A folder that cannot be written only means nothing is remembered.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
>>> _ = p.write_text("firm_id,year,region,nace,employees\\n1,2019,11002,46,3\\n")
>>> a = file_fingerprint(p)
>>> _ = p.write_text("firm_id,year,region,nace,employees\\n1,2019,11002,46,4\\n")
>>> file_fingerprint(p) == a
False
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import time
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

#: bytes hashed at each end of a CSV file
CSV_EDGE = 64 * 1024


def cache_dir() -> Path:
    """Where remembered validations are kept (``records/`` below it)."""
    explicit = os.environ.get("SPEERPUNT_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "speerpunt"


def enabled() -> bool:
    return os.environ.get("SPEERPUNT_REMEMBER_VALIDATION", "1").strip().lower() not in (
        "0",
        "false",
        "no",
        "off",
    )


def file_fingerprint(path: Path) -> dict:
    """What identifies one file's content without reading it whole (see the module docstring)."""
    st = path.stat()
    out = {
        "path": str(path.resolve()),
        "dev": st.st_dev,
        "inode": st.st_ino,
        "size": st.st_size,
        "mtime_ns": st.st_mtime_ns,
    }
    with path.open("rb") as f:
        if path.suffix.lower() in (".parquet", ".pq"):
            out["footer"] = _parquet_footer_digest(f, st.st_size)
        else:
            head = f.read(CSV_EDGE)
            f.seek(max(0, st.st_size - CSV_EDGE))
            out["edges"] = hashlib.sha256(head + f.read(CSV_EDGE)).hexdigest()
    return out


def _parquet_footer_digest(f, size: int) -> str:
    """SHA-256 of a Parquet file's footer (its last 8 bytes are the footer's length and ``PAR1``)."""
    if size < 12:
        return "short"
    f.seek(size - 8)
    tail = f.read(8)
    length = int.from_bytes(tail[:4], "little")
    if tail[4:] != b"PAR1" or length > size - 8:
        return "not-parquet"  # the reader refuses it; nothing is remembered then
    f.seek(size - 8 - length)
    return hashlib.sha256(f.read(length) + tail).hexdigest()


def source_fingerprint(source: Path) -> list[dict]:
    """Each file of ``source`` (the file itself, or the Parquet files of a folder, sorted)."""
    if source.is_dir():
        files = sorted(
            p for p in source.rglob("*") if p.is_file() and not p.name.startswith((".", "_"))
        )
        return [file_fingerprint(p) for p in files]
    return [file_fingerprint(source)]


@cache
def code_digest() -> str:
    """A digest of the validating code and the reference tables it checks codes against."""
    h = hashlib.sha256()
    h.update(Path(__file__).with_name("records.py").read_bytes())
    data = resources.files("speerpunt.firms") / "data"
    for name in sorted(p.name for p in data.iterdir()):
        h.update(name.encode())
        h.update((data / name).read_bytes())
    return h.hexdigest()


#: a file changed this recently may change again within the file system's timestamp granularity
#: without a new modification time (as git's "racily clean" index entries): it is not remembered
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class Entry:
    """The entry's name for a source validated on an engine, and whether it may be remembered."""

    name: str
    racy: bool

    @classmethod
    def of(cls, source: Path, engine: str) -> Entry | None:
        """``None`` when the source cannot be fingerprinted (then nothing is recalled or kept)."""
        now = time.time_ns()
        try:
            files = source_fingerprint(source)
        except OSError:
            return None
        what = {"engine": engine, "code": code_digest(), "files": files}
        name = hashlib.sha256(json.dumps(what, sort_keys=True).encode()).hexdigest()
        return cls(name, any(f["mtime_ns"] > now - RACY_NS for f in files))


def recall(entry: Entry | None) -> dict | None:
    """What was remembered for ``entry``, or ``None`` (nothing, unreadable, or switched off)."""
    if entry is None or not enabled():
        return None
    try:
        path = cache_dir() / "records" / f"{entry.name}.json"
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def remember(entry: Entry | None, found: dict) -> None:
    """Keep ``found`` for ``entry`` (written whole or not at all; failures are ignored); not for a file
    modified in the last two seconds."""
    if entry is None or entry.racy or not enabled():
        return
    folder = cache_dir() / "records"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(found, f)
        os.replace(tmp, folder / f"{entry.name}.json")
    except OSError:
        return
