"""graph.stores.coalesce: callers at once share one read, and none is answered by a read that started
before it called (what keeps a coalesced version read as fresh as a read per caller)."""
from __future__ import annotations

import threading
import time

import pytest

from graph.stores.coalesce import Coalesced


class _Reads:
    """A read that returns how many reads have started, and can be held open."""

    def __init__(self) -> None:
        self.started = 0
        self.hold = threading.Event()
        self.hold.set()
        self.in_flight = threading.Event()
        self.lock = threading.Lock()
        self.concurrent = self.most_concurrent = 0

    def __call__(self) -> int:
        with self.lock:
            self.started += 1
            n = self.started
            self.concurrent += 1
            self.most_concurrent = max(self.most_concurrent, self.concurrent)
        self.in_flight.set()
        self.hold.wait(5)
        with self.lock:
            self.concurrent -= 1
        return n


def _start(fn, results: list, count: int) -> list[threading.Thread]:
    threads = [threading.Thread(target=lambda: results.append(fn())) for _ in range(count)]
    for t in threads:
        t.start()
    return threads


def test_calls_one_after_another_each_read():
    reads = _Reads()
    version = Coalesced(reads)
    assert [version(), version(), version()] == [1, 2, 3]


def test_callers_during_a_read_share_the_next_read_not_the_one_in_flight():
    reads = _Reads()
    version = Coalesced(reads)
    reads.hold.clear()
    first: list[int] = []
    leader = _start(version, first, 1)
    assert reads.in_flight.wait(5)
    later: list[int] = []
    followers = _start(version, later, 8)
    time.sleep(0.2)  # the followers are waiting: none may start a read beside the one in flight
    assert reads.started == 1
    reads.hold.set()
    for t in leader + followers:
        t.join(5)
    assert first == [1]
    # Read 1 started before they called, so they are answered by read 2 (all of them, at once).
    assert later == [2] * 8
    assert reads.started == 2 and reads.most_concurrent == 1


def test_a_failed_read_fails_each_caller_of_its_round_and_the_next_call_reads_again():
    calls = {"n": 0}
    gate = threading.Event()
    in_flight = threading.Event()

    def read() -> str:
        calls["n"] += 1
        if calls["n"] <= 2:
            in_flight.set()
            gate.wait(5)
            raise ConnectionError("server gone")
        return "ok"

    version = Coalesced(read)
    errors: list[str] = []

    def call() -> None:
        try:
            version()
        except ConnectionError as exc:
            errors.append(str(exc))

    leader = threading.Thread(target=call)
    leader.start()
    assert in_flight.wait(5)
    followers = [threading.Thread(target=call) for _ in range(4)]
    for t in followers:
        t.start()
    time.sleep(0.2)
    gate.set()
    for t in [leader, *followers]:
        t.join(5)
    assert errors == ["server gone"] * 5 and calls["n"] == 2
    assert version() == "ok"


def test_a_read_raises_for_its_caller_alone_when_nobody_else_waits():
    version = Coalesced(lambda: 1 / 0)
    with pytest.raises(ZeroDivisionError):
        version()
    with pytest.raises(ZeroDivisionError):
        version()
