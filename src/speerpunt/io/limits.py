"""Limits that keep a hostile or accidental input from exhausting memory before it is read.

* a compressed input (``.gz``, a ``.zip`` member, an XLSX package) may unpack to at most
  ``max_unpacked_bytes`` (default 2 GB) and, beyond 10 MB, to at most :data:`MAX_RATIO` × its packed size
  (real statistical exports pack 3–30×; a bomb packs 1000×);
* a spreadsheet may hold at most ``max_cells`` cells (default 5 million), by its declared dimension
  and by the rows and columns actually found — checked before any row is kept in memory.

Every refusal is one :class:`DataError` line naming the file and the limit.
"""

from __future__ import annotations

import zlib
from pathlib import Path

from speerpunt.errors import DataError, Num, Text

MAX_UNPACKED_BYTES = 2_000_000_000
MAX_CELLS = 5_000_000
MAX_RATIO = 200
#: Below this size a high ratio is harmless (a small table of repeated cells packs very well).
RATIO_FLOOR = 10_000_000
_CHUNK = 1 << 20


def check_unpacked(file: str, unpacked: int, packed: int, max_unpacked_bytes: int | None) -> None:
    """Raise when ``unpacked`` bytes exceed the limit or the ratio to ``packed`` bytes."""
    limit = MAX_UNPACKED_BYTES if max_unpacked_bytes is None else int(max_unpacked_bytes)
    if unpacked > limit:
        raise DataError(
            Text("io_unpacks_beyond", size=_size(limit)),
            file=file,
        )
    if unpacked > RATIO_FLOOR and unpacked > MAX_RATIO * max(packed, 1):
        raise DataError(
            Text("io_bomb", ratio=MAX_RATIO, packed=_size(packed), unpacked=_size(unpacked)),
            file=file,
        )


def gunzip(path: Path, max_unpacked_bytes: int | None = None) -> bytes:
    """The unpacked bytes of a gzip file, stopping as soon as a limit is passed."""
    packed = path.stat().st_size
    out = bytearray()
    decomp = zlib.decompressobj(wbits=31)
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(_CHUNK):
                while chunk:
                    out += decomp.decompress(chunk, _CHUNK)
                    check_unpacked(path.name, len(out), packed, max_unpacked_bytes)
                    chunk = decomp.unconsumed_tail
                if decomp.eof and decomp.unused_data:
                    # A second gzip member follows (concatenated .gz files are valid gzip).
                    rest = decomp.unused_data
                    decomp = zlib.decompressobj(wbits=31)
                    out += decomp.decompress(rest, _CHUNK)
            if not decomp.eof:
                raise DataError(Text("io_gzip_short"), file=path.name)
    except zlib.error as exc:
        raise DataError(Text("io_not_gzip", detail=str(exc)), file=path.name) from None
    return bytes(out)


def check_zip(path: Path, max_unpacked_bytes: int | None = None) -> None:
    """Refuse a zip package (XLSX or ``.zip``) whose declared unpacked size passes the limits."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            unpacked = sum(i.file_size for i in zf.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise DataError(Text("io_not_zip_package", detail=str(exc)), file=path.name) from None
    check_unpacked(path.name, unpacked, path.stat().st_size, max_unpacked_bytes)


def check_cells(
    file: str, rows: int, columns: int, max_cells: int | None, where: str, how: str
) -> None:
    """Refuse a sheet of ``rows × columns`` cells beyond ``max_cells``."""
    limit = MAX_CELLS if max_cells is None else int(max_cells)
    if rows * columns > limit:
        raise DataError(
            Text(
                f"io_sheet_{how}",
                sheet=where,
                rows=Num(rows, ","),
                columns=Num(columns, ","),
                cells=Num(rows * columns, ","),
                limit=Num(limit, ","),
            ),
            file=file,
        )


def _size(n: int) -> Text:
    for unit, div in (("GB", 10**9), ("MB", 10**6), ("kB", 10**3)):
        if n >= div:
            return Text("io_size", n=Num(n / div, ".3g"), unit=unit)
    return Text("io_size", n=Num(n), unit="bytes")
