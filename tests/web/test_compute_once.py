"""The web app's caches compute each key once at a time (web/data.py ``LRU``): readers arriving while a
result is being computed wait for it instead of computing it again; a failed computation is not
remembered; a computation may ask for its own key."""

from __future__ import annotations

import threading

import pytest

from speerpunt.web.data import LRU


def _slow_compute(calls: list[int], started: threading.Event, release: threading.Event):
    def compute() -> dict:
        calls.append(1)
        started.set()
        release.wait(10)
        return {"answer": 42}

    return compute


def test_concurrent_readers_of_one_key_share_one_computation():
    cache = LRU()
    calls: list[int] = []
    started, release = threading.Event(), threading.Event()
    compute = _slow_compute(calls, started, release)
    results: list[dict] = []
    arrived = threading.Barrier(6)

    def reader() -> None:
        arrived.wait()
        results.append(cache.get_or_compute(("page",), compute))

    leader = threading.Thread(
        target=lambda: results.append(cache.get_or_compute(("page",), compute))
    )
    leader.start()
    assert started.wait(10)
    others = [threading.Thread(target=reader) for _ in range(5)]
    for t in others:
        t.start()
    arrived.wait()  # all five are at the cache; give them time to reach the wait
    for t in others:
        t.join(0.3)
    assert all(t.is_alive() for t in others), "readers must wait for the running computation"
    release.set()
    for t in [leader, *others]:
        t.join(10)
    assert len(calls) == 1
    assert len(results) == 6 and all(r is results[0] for r in results)


def test_other_keys_do_not_wait():
    cache = LRU()
    started, release = threading.Event(), threading.Event()
    slow = threading.Thread(
        target=cache.get_or_compute, args=(("slow",), _slow_compute([], started, release))
    )
    slow.start()
    assert started.wait(10)
    try:
        assert cache.get_or_compute(("fast",), lambda: "x") == "x"
    finally:
        release.set()
        slow.join(10)


def test_a_failed_computation_is_not_kept_and_waiting_readers_compute_again():
    cache = LRU()
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def failing() -> str:
        calls.append("fail")
        started.set()
        release.wait(10)
        raise ValueError("row 3, column value: not a number")

    errors: list[Exception] = []

    def lead() -> None:
        try:
            cache.get_or_compute(("k",), failing)
        except ValueError as exc:
            errors.append(exc)

    leader = threading.Thread(target=lead)
    leader.start()
    assert started.wait(10)
    got: list[str] = []
    waiter = threading.Thread(
        target=lambda: got.append(cache.get_or_compute(("k",), lambda: calls.append("ok") or "v"))
    )
    waiter.start()
    waiter.join(0.3)
    release.set()
    leader.join(10)
    waiter.join(10)
    assert [str(e) for e in errors] == ["row 3, column value: not a number"]
    assert got == ["v"] and calls == ["fail", "ok"]
    with pytest.raises(ValueError):
        cache.get_or_compute(("j",), failing)  # release is set: fails at once, nothing cached
    assert cache.get_or_compute(("j",), lambda: 7) == 7


def test_a_computation_may_ask_for_its_own_key():
    cache = LRU()
    depth: list[int] = []

    def compute() -> int:
        depth.append(1)
        return 1 if len(depth) > 1 else cache.get_or_compute(("self",), compute) + 1

    assert cache.get_or_compute(("self",), compute) == 2
    assert cache.get_or_compute(("self",), lambda: 0) == 2


def test_least_recently_used_keys_fall_out():
    cache = LRU(maxsize=2)
    for k in "abc":
        cache.get_or_compute((k,), lambda k=k: k.upper())
    assert cache.get_or_compute(("a",), lambda: "again") == "again"
    assert cache.get_or_compute(("c",), lambda: "again") == "C"
