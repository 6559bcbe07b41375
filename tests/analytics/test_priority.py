"""Background builds give way to requests (graph.analytics.priority): a checkpoint in a background thread
waits while a request is in flight, not while the request waits for the build, and never in a
thread that is not background; the app marks every request; a thread's store reader goes with it."""
from __future__ import annotations

import gc
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from graph.analytics import priority
from graph.stores.embedded.store import EmbeddedStore
from service.app import create_app
from tests.api_support import API_KEY, settings


@pytest.fixture
def long_pause(monkeypatch):
    monkeypatch.setattr(priority, "MAX_PAUSE_S", 30.0)


def background_checkpoint(log: list[str]) -> threading.Thread:
    def run() -> None:
        with priority.background():
            priority.checkpoint()
        log.append("background")

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def test_a_background_checkpoint_waits_for_the_request_in_flight(long_pause) -> None:
    log: list[str] = []
    with priority.foreground():
        thread = background_checkpoint(log)
        time.sleep(0.2)
        log.append("request")
    thread.join(10)
    assert log == ["request", "background"]
    assert priority.active() == 0


def test_a_request_waiting_for_the_build_does_not_hold_it_back(long_pause) -> None:
    log: list[str] = []
    with priority.foreground():
        with priority.waiting():
            thread = background_checkpoint(log)
            thread.join(10)
        log.append("request")
    assert log == ["background", "request"]


def test_the_pause_is_bounded_and_other_threads_never_wait(monkeypatch) -> None:
    monkeypatch.setattr(priority, "MAX_PAUSE_S", 0.05)
    log: list[str] = []
    with priority.foreground():
        thread = background_checkpoint(log)
        thread.join(10)  # gives up waiting after MAX_PAUSE_S although the request is still in flight
        assert log == ["background"]
        start = time.monotonic()
        for _ in priority.paced(range(10_000), every=10):
            pass  # not a background thread: no checkpoint waits
        assert time.monotonic() - start < 5  # 1,000 checkpoints that waited MAX_PAUSE_S each: 50 s


def test_the_app_marks_each_request_as_foreground(tmp_path: Path) -> None:
    seen: dict[str, int] = {}
    app = create_app(EmbeddedStore(tmp_path / "graph.sqlite"), settings())

    @app.get("/_probe")
    def probe() -> dict:  # a sync endpoint: runs in the thread pool, with the request's context
        seen["during"] = priority.active()
        with priority.waiting():
            seen["waiting"] = priority.active()
        return {}

    with TestClient(app) as client:
        assert client.get("/_probe", headers={"X-API-Key": API_KEY}).status_code == 200
    assert seen == {"during": 1, "waiting": 0}
    assert priority.active() == 0


def test_a_threads_reader_connection_goes_with_the_thread(tmp_path: Path) -> None:
    store = EmbeddedStore(tmp_path / "graph.sqlite")
    try:
        thread = threading.Thread(target=store.articles)
        thread.start()
        thread.join()
        store.articles()  # this thread's own
        gc.collect()
        assert len(store._reader_set) == 1
    finally:
        store.close()


def test_a_read_request_reads_the_store_version_once_and_a_write_is_not_pinned(tmp_path: Path, monkeypatch) -> None:
    from graph.queries.views import GraphViews
    store = EmbeddedStore(tmp_path / "graph.sqlite")
    calls: list[str] = []
    real = store.version
    monkeypatch.setattr(store, "version", lambda: calls.append("v") or real())
    app = create_app(store, settings())
    seen: dict[str, list[str]] = {}

    @app.api_route("/_versions", methods=["GET", "POST"])
    def versions() -> dict:
        views: GraphViews = app.state.stores.views
        calls.clear()
        first = views.version()
        store._db.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'version'")
        store._dirty = True  # as after a write of this process
        seen.setdefault("answers", []).append(f"{first}->{views.version()}")
        seen.setdefault("calls", []).append("".join(calls))
        return {}

    with TestClient(app) as client:
        assert client.get("/_versions", headers={"X-API-Key": API_KEY}).status_code == 200
        assert client.post("/_versions", headers={"X-API-Key": API_KEY}).status_code == 200
    get, post = seen["answers"]
    assert get.split("->")[0] == get.split("->")[1] and seen["calls"][0] == "v"  # one read, one version
    assert post.split("->")[0] != post.split("->")[1] and seen["calls"][1] == "vv"  # a write sees its own
    store.close()
