"""Give freed memory back to the system between the steps of reading a large file.

The readers' peak memory is measured as the process's resident high-water mark. Arrow's memory pool
and glibc's allocator keep freed blocks for reuse; after a step that made and dropped many row-sized or
slice-sized arrays, that kept memory would add to the next step's peak. Trimming costs a few
milliseconds, so it is done between steps, never per row or per small block.
"""

from __future__ import annotations

import contextlib
import ctypes


def release_memory() -> None:
    """Return freed memory of Arrow's pool and of glibc's heap to the system (no-op elsewhere)."""
    import pyarrow as pa

    pa.default_memory_pool().release_unused()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to trim
        ctypes.CDLL("libc.so.6").malloc_trim(0)
