"""Heavy analytics bounded per request (service.heavy) on a generated 100k-relation graph: a
trend over its budget is a 503 and its worker is ended, a client that leaves stops its
computation, a repeat is served from the cache, more at once than allowed is a 429.

"The core is free again" is measured as CPU time (this process and its children, the pool's
workers), not wall-clock: some one-second window soon after shows next to no CPU used."""
from __future__ import annotations

import socket
import threading
import time
from pathlib import Path
from typing import Iterator

import psutil
import pytest
from fastapi.testclient import TestClient

from bench.ingest import synthetic_batch
from graph.stores.embedded.store import EmbeddedStore
from service.app import create_app
from tests.api.live import served
from tests.api_support import settings

RELATIONS = 100_000
HEAVY = {"metric": "betweenness", "bucket": "month"}  # minutes of pure-Python work at this size


@pytest.fixture(scope="module")
def big_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[EmbeddedStore]:
    store = EmbeddedStore(Path(tmp_path_factory.mktemp("big")) / "graph.sqlite")
    store.upsert(synthetic_batch(RELATIONS, seed=7))
    yield store
    store.close()


def cpu_seconds() -> float:
    """User and system CPU time of this process and every child it has now."""
    me = psutil.Process()
    total = sum(me.cpu_times()[:2])
    for child in me.children(recursive=True):
        try:
            total += sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def children_cpu() -> dict[int, float]:
    """CPU seconds (user and system) of each child process by pid: the pool's workers."""
    out = {}
    for child in psutil.Process().children(recursive=True):
        try:
            out[child.pid] = sum(child.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return out


def children_used(window_s: float = 1.0) -> float:
    """CPU seconds the children alive across a ``window_s`` window used in it (a worker ended
    meanwhile counts for nothing: it computes nothing any more)."""
    before = children_cpu()
    time.sleep(window_s)
    after = children_cpu()
    return sum(after[pid] - before[pid] for pid in after if pid in before)


def becomes_idle(windows: int = 20, idle_s: float = 0.05) -> bool:
    """Whether, within ``windows`` one-second windows, one shows the workers idle: a computation
    still running uses a good part of a core (a new worker's start-up is over in a few)."""
    return any(children_used() < idle_s for _ in range(windows))


def busy_now() -> bool:
    return children_used() >= 0.1


def test_a_trend_over_its_budget_is_a_503_and_its_worker_stops(big_store: EmbeddedStore) -> None:
    app = create_app(big_store, settings=settings(heavy_budget_s=3, heavy_inline_relations=1000))
    with TestClient(app) as client:
        r = client.get("/centrality/trend", params=HEAVY)
        assert r.status_code == 503, r.text
        assert "budget of 3 s" in r.json()["detail"]
        assert int(r.headers["Retry-After"]) >= 1
        assert app.state.heavy.in_flight() == 0
        assert becomes_idle(), "a worker still computes the trend after its budget"


def test_a_trend_within_its_budget_is_answered_once_and_then_from_the_cache(big_store: EmbeddedStore) -> None:
    app = create_app(big_store, settings=settings(heavy_budget_s=300, heavy_inline_relations=1000))
    with TestClient(app) as client:
        first = client.get("/centrality/trend", params={"metric": "degree", "bucket": "year", "limit": 5})
        assert first.status_code == 200, first.text
        assert first.json()["buckets"] and first.json()["actors"]
        spent = cpu_seconds()
        again = client.get("/centrality/trend", params={"metric": "degree", "bucket": "year", "limit": 5})
        assert again.json() == first.json()
        # The repeat was not computed again: far less CPU than the first (which built and scored
        # a graph per year in a worker) took.
        assert cpu_seconds() - spent < 0.5


def test_more_heavy_requests_than_allowed_are_429_with_retry_after(big_store: EmbeddedStore) -> None:
    app = create_app(big_store, settings=settings(heavy_budget_s=8, heavy_per_client=1, heavy_overall=1,
                                                  heavy_inline_relations=1000))
    with TestClient(app) as client:
        first: dict = {}
        thread = threading.Thread(target=lambda: first.update(r=client.get("/centrality/trend", params=HEAVY)))
        thread.start()
        # Past the projection of its filter (built in this process, admitted too) to its worker.
        deadline = time.monotonic() + 60
        while not busy_now() and time.monotonic() < deadline:
            pass
        assert app.state.heavy.in_flight() == 1
        second = client.get("/centrality/risers", params={"metric": "betweenness", "before": "2024",
                                                          "after": "2025"})
        thread.join()
        assert second.status_code == 429, second.text
        assert int(second.headers["Retry-After"]) >= 1
        assert first["r"].status_code == 503  # the first ran out of its 8 s budget
        assert becomes_idle()


def test_building_a_new_filter_or_metric_on_a_large_graph_is_admitted_as_heavy_work(big_store: EmbeddedStore) -> None:
    """A caller asking filter after filter (or metric after metric) gets no core each time: each
    build from scratch counts against the heavy limits, while what is built costs nothing."""
    app = create_app(big_store, settings=settings(heavy_per_client=1, heavy_overall=1, heavy_inline_relations=1000))
    with TestClient(app) as client:
        assert client.get("/centrality", params={"metric": "degree"}).status_code == 200  # the view, and degree
        with app.state.heavy.admitted("another client"):  # the one heavy computation allowed is under way
            built = client.get("/centrality", params={"metric": "degree", "limit": 5})  # a new URL: no kept answer
            assert built.status_code == 200 and built.headers["x-cache"] == "miss"
            for params in ({"metric": "pagerank"}, {"metric": "degree", "types": "MET"}):
                busy = client.get("/centrality", params=params)
                assert busy.status_code == 429, (params, busy.text)
                assert int(busy.headers["Retry-After"]) >= 1
            assert client.get("/paths/shortest", params={"source": "state:state-1", "target": "state:state-2",
                                                          "since": "2024-01-01"}).status_code == 429
        assert app.state.heavy.in_flight() == 0
        assert client.get("/centrality", params={"metric": "pagerank"}).status_code == 200


def test_a_client_that_leaves_stops_its_computation(big_store: EmbeddedStore) -> None:
    config = settings(heavy_budget_s=600, heavy_inline_relations=1000)
    app = create_app(big_store, settings=config)
    with served(app, config) as port:
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /centrality/trend?metric=betweenness&bucket=month HTTP/1.1\r\nHost: t\r\n\r\n")
        # The request first builds the projection of its filter (admitted, in the server's own
        # process), then hands the trend to a worker: wait for the worker to be busy.
        deadline = time.monotonic() + 60
        while not busy_now() and time.monotonic() < deadline:
            pass
        assert app.state.heavy.in_flight() == 1
        assert busy_now(), "the worker is not computing"
        sock.close()  # the client goes; its 600 s budget is far from over
        assert becomes_idle(), "the computation went on after its client left"
        deadline = time.monotonic() + 10
        while app.state.heavy.in_flight() and time.monotonic() < deadline:
            time.sleep(0.05)
        assert app.state.heavy.in_flight() == 0


def test_sigterm_during_a_heavy_trend_stops_the_server_and_its_workers(big_store: EmbeddedStore) -> None:
    import os
    import signal
    import subprocess
    import sys

    import httpx

    from tests.extraction.support import REPO

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(big_store.folder),
           "ACTORGRAPH_HEAVY_BUDGET_S": "600", "ACTORGRAPH_HEAVY_INLINE_RELATIONS": "1000",
           "ACTORGRAPH_SHUTDOWN_GRACE_S": "2"}
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(port),
                               "--log-level", "warning"], cwd=REPO, env=env)
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=5).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.5)
        sock = socket.create_connection(("127.0.0.1", port))
        sock.sendall(b"GET /centrality/trend?metric=betweenness&bucket=month HTTP/1.1\r\nHost: t\r\n\r\n")
        proc = psutil.Process(server.pid)
        deadline = time.monotonic() + 60
        workers: list[psutil.Process] = []
        while time.monotonic() < deadline and not workers:
            time.sleep(1)
            workers = [c for c in proc.children(recursive=True) if sum(c.cpu_times()[:2]) > 1.0]
        assert workers, "no worker took up the trend"
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)  # a hung shutdown fails here instead of hanging the suite
        sock.close()
        time.sleep(1)
        assert not [w for w in workers if w.is_running() and w.status() != psutil.STATUS_ZOMBIE]
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()


@pytest.mark.neo4j
def test_trends_on_100k_relations_in_neo4j_are_bounded_and_then_answered(neo4j_store) -> None:
    """The same bounds on the Neo4j store: over its budget a 503 and the worker stops; within a
    larger one the answer, then kept for the version."""
    neo4j_store.upsert(synthetic_batch(RELATIONS, seed=7))
    tight = create_app(neo4j_store, settings=settings(heavy_budget_s=3, heavy_inline_relations=1000))
    with TestClient(tight) as client:
        r = client.get("/centrality/trend", params=HEAVY)
        assert r.status_code == 503, r.text
        assert "budget of 3 s" in r.json()["detail"] and int(r.headers["Retry-After"]) >= 1
        assert becomes_idle(), "a worker still computes the trend after its budget"
    roomy = create_app(neo4j_store, settings=settings(heavy_budget_s=300, heavy_inline_relations=1000))
    with TestClient(roomy) as client:
        first = client.get("/centrality/risers", params={"metric": "degree", "before": "2024", "after": "2025",
                                                         "limit": 5})
        assert first.status_code == 200, first.text
        assert first.json()["items"] and first.json()["items"][0]["rank_gain"] > 0
        spent = cpu_seconds()
        again = client.get("/centrality/risers", params={"metric": "degree", "before": "2024", "after": "2025",
                                                         "limit": 5})
        assert again.json() == first.json() and cpu_seconds() - spent < 0.5
