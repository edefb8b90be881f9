"""Give freed memory back to the system between the steps of reading a large file.

The readers' peak memory is measured as the process's resident high-water mark. Arrow's memory pool
and glibc's allocator keep freed blocks for reuse; after a step that made and dropped many row-sized or
slice-sized arrays, that kept memory would add to the next step's peak. Trimming costs a few
milliseconds, so it is done between steps, never per row or per small block.
"""

from __future__ import annotations

import ctypes
from functools import cache


@cache
def _libc_trim():
    """glibc's ``malloc_trim``, loaded once (None where there is no glibc: nothing to trim)."""
    try:
        return ctypes.CDLL("libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


def release_memory() -> None:
    """Return freed memory of Arrow's pool and of glibc's heap to the system (no-op elsewhere)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    trim = _libc_trim()
    if trim is not None:
        trim(0)
