"""Work on two cores: one worker thread per process, for independent per-year work (:func:`each`) and
for the second stage of a pipeline (:func:`submit`).

Per-year work: the caller and the worker each take the next year (or block of years) as they finish one.

NumPy and BLAS release the GIL inside their loops, so two threads filling different slices of the same
result columns run side by side. The split changes where work runs, never what it computes: every year
writes only its own slice, and an error is the one the first failing year raises, as in a plain loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")

#: Below this many cells in all, a thread hand-off (≈ 0.1 ms) costs more than it saves.
MIN_CELLS = 400_000

_NAME = "speerpunt-worker"
_pool: ThreadPoolExecutor | None = None
_lock = threading.Lock()


def cores() -> int:
    """Cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def worker() -> ThreadPoolExecutor:
    """The one worker thread of the process (started on first use)."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=_NAME)
        return _pool


def submit(fn: Callable[..., T], *args: object) -> Future[T]:
    """``fn(*args)`` on the worker thread; called from the worker itself, it runs at once (waiting for
    a task queued behind oneself would never end).

    >>> submit(sum, [1, 2]).result()
    3
    """
    if threading.current_thread().name.startswith(_NAME):
        done: Future[T] = Future()
        try:
            done.set_result(fn(*args))
        except Exception as exc:  # noqa: BLE001 - handed to the caller through the future
            done.set_exception(exc)
        return done
    return worker().submit(fn, *args)


def each(fn: Callable[[int], None], sizes: Sequence[int], min_cells: int = MIN_CELLS) -> None:
    """``fn(i)`` for every ``i`` of ``sizes`` (the work of each, in cells), on two cores when it pays.

    The caller and the worker thread take the items in order, one at a time, so a worker slowed by
    another process (or still busy with another call's work) simply takes fewer. Raises what ``fn``
    raised for the first item that failed: items are handed out in order and none after a failure, so
    every earlier item has run.

    >>> done = []
    >>> each(done.append, [1, 1, 1])
    >>> sorted(done)
    [0, 1, 2]
    """
    n = len(sizes)
    if n < 2 or sum(sizes) < min_cells or cores() < 2:
        for i in range(n):
            fn(i)
        return
    lock = threading.Lock()
    handed = [0]
    errors: dict[int, BaseException] = {}

    def run() -> None:
        while True:
            with lock:
                i = handed[0]
                if i >= n or errors:
                    return
                handed[0] = i + 1
            try:
                fn(i)
            except Exception as exc:  # noqa: BLE001 - re-raised below, first failing item first
                with lock:
                    errors[i] = exc
                return

    helper = submit(run)
    run()
    if not helper.cancel():  # started: it finishes the item it holds (none is left to take)
        helper.result()
    if errors:
        raise errors[min(errors)]
