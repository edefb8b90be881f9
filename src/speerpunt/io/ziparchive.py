"""``.zip`` input: one CSV/TXT/TSV/XLSX/Parquet member, unpacked under the same limits as ``.gz``.

A zip with exactly one candidate member (by suffix; folders, ``__MACOSX/`` and hidden files are not
candidates) is read as that member. With several, the user names one: ``data.zip:werk.csv`` (the
source's text after the last ``.zip:``), ``member=`` in :func:`speerpunt.io.read_panel` or ``--member``
on the command line; otherwise the error lists them. The member is unpacked to a temporary folder while
its bytes are counted: past ``max_unpacked_bytes`` (default 2 GB) or :data:`~speerpunt.io.limits.MAX_RATIO`
× its packed size it is refused, whatever its header declares (zip bombs lie about their sizes).

>>> split_member("exports/data.zip:werk.csv")
('exports/data.zip', 'werk.csv')
>>> split_member("data.csv")
('data.csv', None)
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from speerpunt.errors import DataError, Text
from speerpunt.io.limits import MAX_UNPACKED_BYTES, check_unpacked

#: Member suffixes the reader takes.
MEMBER_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".parquet", ".csv.gz", ".txt.gz", ".tsv.gz")
_CHUNK = 1 << 20


def split_member(source: str) -> tuple[str, str | None]:
    """``'a.zip:b.csv'`` → ``('a.zip', 'b.csv')``; anything else → ``(source, None)``."""
    head, sep, member = source.rpartition(".zip:")
    if sep and member:
        return head + ".zip", member
    return source, None


def candidates(zf: zipfile.ZipFile) -> list[str]:
    """Members the reader could take, in the archive's order."""
    out = []
    for info in zf.infolist():
        name = info.filename
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith((".", "~$")):
            continue
        if base.lower().endswith(MEMBER_SUFFIXES):
            out.append(name)
    return out


def unzip_member(
    path: Path, member: str | None, folder: Path, max_unpacked_bytes: int | None = None
) -> tuple[Path, str]:
    """Unpack the chosen member of ``path`` into ``folder``: ``(unpacked file, member name)``."""
    file = path.name
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise DataError(Text("io_not_zip", detail=str(exc)), file=file) from None
    with zf:
        found = candidates(zf)
        if member is None:
            if not found:
                names = ", ".join(zf.namelist()[:10]) or Text("io_nothing")
                raise DataError(
                    Text("io_zip_nothing", names=names),
                    file=file,
                )
            if len(found) > 1:
                raise DataError(
                    Text(
                        "io_zip_several",
                        n=len(found),
                        names=", ".join(found[:20]),
                        more=" …" if len(found) > 20 else "",
                        example=f"{file}:{found[0]}",
                    ),
                    file=file,
                )
            member = found[0]
        names = zf.namelist()
        if member not in names:
            hits = [n for n in names if n.rsplit("/", 1)[-1] == member]
            if len(hits) != 1:
                raise DataError(
                    Text(
                        "io_zip_no_member",
                        member=member,
                        names=", ".join(found[:20]) or Text("io_none"),
                    ),
                    file=file,
                )
            member = hits[0]
        info = zf.getinfo(member)
        base = member.rsplit("/", 1)[-1]
        if not base.lower().endswith(MEMBER_SUFFIXES):
            raise DataError(Text("io_zip_member_type", member=member), file=file)
        label = f"{file}:{member}"
        limit = MAX_UNPACKED_BYTES if max_unpacked_bytes is None else int(max_unpacked_bytes)
        # The declared size first (cheap), then the real count while unpacking.
        check_unpacked(label, info.file_size, info.compress_size, limit)
        out = folder / base
        count = 0
        try:
            with zf.open(info) as src, out.open("wb") as dst:
                while chunk := src.read(_CHUNK):
                    count += len(chunk)
                    check_unpacked(label, count, info.compress_size, limit)
                    dst.write(chunk)
        except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError) as exc:
            out.unlink(missing_ok=True)
            raise DataError(
                Text("io_zip_cannot_unpack", member=member, detail=str(exc)), file=file
            ) from None
        except DataError:
            out.unlink(missing_ok=True)
            raise
    return out, member
