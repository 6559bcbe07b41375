"""Incremental reads on the embedded store: a write patches the cached views (no rebuild), other
processes' writes reach them too, the resolver's name index follows the store, the served app
warms itself, and ``serve --workers N`` runs N workers over one store."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from graph.analytics import algorithms
from graph.stores.embedded.store import DB_FILE, EmbeddedStore
from graph.model import Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType
from graph.stores.interface import RelationFilter, build_projection
from graph.queries.subgraphs import meetings_filter
from graph.queries.views import GraphViews
from service.app import create_app
from service.seed_index import NameIndex, store_names
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLES, extractor
from tests.factories import both_reports

REPO = Path(__file__).resolve().parents[2]
KEY = {"X-API-Key": API_KEY}
MET = RelationFilter(types=frozenset({RelType.MET}), since="2026-01-01")


def person(name: str, id_: str | None = None) -> Actor:
    return Actor(id=id_ or "person:" + name.lower().replace(" ", "-"), type=NodeType.PERSON, name=name)


def meeting(a: Actor, b: Actor, date: str, article: str = "inc.txt") -> GraphBatch:
    batch = GraphBatch(articles={article: Article(id=article, title="Inc")})
    batch.add_actor(a)
    batch.add_actor(b)
    batch.add_relation(Relation(a.id, b.id, RelType.MET, date=date,
                                provenance=[Provenance(article, f"{a.name} met {b.name}.", 0, 20)]))
    return batch


def same_graphs(view, store, flt=RelationFilter()) -> None:
    """The view's graphs are those a rebuild from the store would give."""
    ref = build_projection(store.actors(), (r for r in store.relations() if flt.accepts(r)))
    assert sorted(view.graph.edges(keys=True, data=True)) == sorted(ref.edges(keys=True, data=True))
    assert dict(view.graph.nodes(data=True)) == dict(ref.nodes(data=True))
    H, ref_h = view.undirected, algorithms.undirected(ref)
    assert {frozenset(e): sorted(d["keys"]) for *e, d in H.edges(data=True)} == \
        {frozenset(e): sorted(d["keys"]) for *e, d in ref_h.edges(data=True)}
    assert view.size == {"nodes": ref_h.number_of_nodes(), "edges": ref_h.number_of_edges()}


@pytest.fixture
def disk_store(embedded_path: Path):
    store = EmbeddedStore(embedded_path)
    store.upsert(both_reports())
    yield store
    store.close()


def test_a_write_patches_the_cached_views_instead_of_rebuilding_them(disk_store):
    views = GraphViews(disk_store)
    before = views.get()
    before.undirected, before.size, before.articles(disk_store)  # derived once, carried over after
    old_edges = sorted(before.graph.edges(keys=True))
    old_ties = before.undirected.number_of_edges()
    assert views.rebuilds == 1

    a, b = person("Ardo Vasko"), person("Lena Orsk")
    disk_store.upsert(meeting(a, b, "2026-02-03"))
    after = views.get()
    assert after.version != before.version
    assert views.rebuilds == 1 and views.patches == 1  # not rebuilt from the whole store
    assert after.graph.has_edge(a.id, b.id) and after.undirected.has_edge(a.id, b.id)
    assert "inc.txt" in after.articles(disk_store)
    same_graphs(after, disk_store)
    # Requests still holding the older view read the graph they started with.
    assert sorted(before.graph.edges(keys=True)) == old_edges
    assert before.undirected.number_of_edges() == old_ties and a.id not in before.graph


def test_a_filtered_view_takes_only_the_relations_its_filter_accepts(disk_store):
    views = GraphViews(disk_store)
    views.get(MET).undirected
    a, b, c = person("Ardo Vasko"), person("Lena Orsk"), person("Piet Drovan")
    disk_store.upsert(meeting(a, b, "2026-02-03"))
    disk_store.upsert(meeting(a, c, "2019-05-01"))  # before the filter's since
    view = views.get(MET)
    assert views.rebuilds == 1 and views.patches == 1
    assert view.graph.has_edge(a.id, b.id) and not view.graph.has_edge(a.id, c.id)
    assert c.id in view.graph  # every actor is a node, as in a rebuilt projection
    same_graphs(view, disk_store, MET)


def test_another_process_write_reaches_the_views(disk_store, embedded_path):
    views = GraphViews(disk_store)
    views.get().undirected
    a, b = person("Ardo Vasko"), person("Lena Orsk")
    batch = json.dumps(meeting(a, b, "2026-02-03").to_dict())
    code = ("import sys, json; from graph.stores.embedded.store import EmbeddedStore; from graph.model import GraphBatch; "
            "s = EmbeddedStore(sys.argv[1]); s.upsert(GraphBatch.from_dict(json.loads(sys.argv[2]))); s.close()")
    subprocess.run([sys.executable, "-c", code, str(embedded_path), batch], cwd=REPO, check=True,
                   env={**os.environ, "PYTHONPATH": str(REPO)})
    view = views.get()
    assert view.graph.has_edge(a.id, b.id)
    assert views.rebuilds == 1 and views.patches == 1
    same_graphs(view, disk_store)


def test_a_deletion_rebuilds_the_view(disk_store):
    views = GraphViews(disk_store)
    views.get().undirected
    a, b = person("Ardo Vasko"), person("Lena Orsk")
    disk_store.upsert(meeting(a, b, "2026-02-03"))
    views.get()
    version = views.get().version
    disk_store.clear()  # rows deleted: the store cannot say what changed, the view starts over
    assert disk_store.changes(version) is None
    view = views.get()
    assert views.rebuilds == 2 and view.graph.number_of_nodes() == 0


def test_changes_names_what_moved_and_none_when_the_log_cannot_tell(disk_store):
    v0 = disk_store.version()
    a, b = person("Ardo Vasko"), person("Lena Orsk")
    disk_store.upsert(meeting(a, b, "2026-02-03"))
    changes = disk_store.changes(v0)
    assert changes.version == disk_store.version()
    assert {x.id for x in changes.actors} == {a.id, b.id}
    assert [r.key for r in changes.relations] == [Relation(a.id, b.id, RelType.MET, date="2026-02-03").key]
    assert [x.id for x in changes.articles] == ["inc.txt"]
    assert disk_store.changes("-1") is None  # before the log starts: rebuild
    assert disk_store.stats()["articles"] == len(disk_store.articles())


def test_stats_counts_follow_writes(disk_store):
    a, b = person("Ardo Vasko"), person("Lena Orsk")
    before = disk_store.stats()
    disk_store.upsert(meeting(a, b, "2026-02-03"))
    disk_store.upsert(meeting(a, b, "2026-02-03", article="inc2.txt"))  # the same relation, cited again
    after = disk_store.stats()
    assert after["nodes"]["Person"] == before["nodes"]["Person"] + 2
    assert after["relations"]["MET"] == before["relations"]["MET"] + 1
    assert after["articles"] == before["articles"] + 2


def test_the_name_index_finds_folded_names_in_a_text():
    from loaders.vocab import fold
    index = NameIndex([person("Ardo Vasko"), Actor(id="state:ostrland", type=NodeType.STATE, name="Ostrland"),
                       Actor(id="org:hnd", type=NodeType.ORGANIZATION, name="HND")])
    text = fold("Gen. Ardo-Vasko visited the H.N.D. yard of Ostrland.")
    assert index.find(text) == {"person:ardo-vasko", "state:ostrland", "org:hnd"}
    index.put(Actor(id="person:ardo-vasko", type=NodeType.PERSON, name="Ardo Vasko", aliases=["A. Vaskoi"]))
    assert index.find(fold("Vaskoi spoke")) == set()  # 'avaskoi' is the alias, not 'vaskoi'
    assert index.find(fold("A. Vaskoi spoke")) == {"person:ardo-vasko"}


def test_posts_resolve_against_the_index_kept_with_the_store(embedded_path):
    store = EmbeddedStore(embedded_path)
    try:
        # Someone another process wrote, under an id the extractor would not derive from the name.
        other = EmbeddedStore(embedded_path)
        other.upsert(GraphBatch(actors={"person:kessel-1": Actor(id="person:kessel-1", type=NodeType.PERSON,
                                                                   name="Nadia Kessel")}))
        other.close()
        text = (EXAMPLES / "01_velorian_army_chief_in_ostrland.txt").read_text()
        with TestClient(create_app(store, settings=settings(), extractor_factory=extractor)) as client:
            first = client.post("/articles", headers=KEY, json={"articles": [{"id": "a.txt", "text": text}]})
            assert first.status_code == 201, first.text
            names = store_names(store)
            assert names.rebuilds == 1
            reyvik = next(a.id for a in store.actors() if a.name.endswith("Tomas Reyvik"))
            second = client.post("/articles", headers=KEY, json={"articles": [{"id": "b.txt", "text": (
                "General Tomas Reyvik met Major General Nadia Kessel in Halvik on 3 April 2026.")}]})
            assert second.status_code == 201, second.text
        assert names.rebuilds == 1  # brought up to the first POST's write, not rebuilt
        met = {(r.source, r.target) for r in store.relations() if r.type is RelType.MET and r.date == "2026-04-03"}
        assert met and all(reyvik in pair and "person:kessel-1" in pair for pair in met)
        assert not any(a.id.startswith("person:nadia-kessel") for a in store.actors())
    finally:
        store.close()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_health(base: str, proc: subprocess.Popen, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"the server exited with {proc.returncode}"
        try:
            r = httpx.get(base + "/health", timeout=5)
            if r.status_code == 200:
                return r.json()
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not answer /health")


def _workers_of(pid: int) -> list[int]:
    children = [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    return [c for c in children if b"spawn_main" in Path(f"/proc/{c}/cmdline").read_bytes()]


def test_serve_workers_starts_n_workers_that_see_one_store(tmp_path):
    data = tmp_path / "data"
    store = EmbeddedStore(data / DB_FILE)
    store.upsert(both_reports())
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, "PYTHONPATH": str(REPO), "ACTORGRAPH_DATA": str(data), "ACTORGRAPH_STORE": "embedded"}
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--workers", "2", "--port", str(port),
                             "--log-level", "warning"], cwd=REPO, env=env)
    try:
        first = _wait_health(base, proc)
        deadline = time.monotonic() + 30
        while len(_workers_of(proc.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.2)
        assert len(_workers_of(proc.pid)) == 2
        # A write by another process: every worker's answers show it (new connections spread over them).
        store.upsert(meeting(person("Ardo Vasko"), person("Lena Orsk"), "2026-02-03"))
        seen = {httpx.get(base + "/health", headers={"Connection": "close"}).json()["store"]["relations"]["MET"]
                for _ in range(20)}
        assert seen == {first["store"]["relations"]["MET"] + 1}
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        store.close()
    assert proc.returncode == 0


def test_serve_refuses_zero_workers():
    r = subprocess.run([sys.executable, "-m", "service.cli", "serve", "--workers", "0"], cwd=REPO,
                       capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(REPO)})
    assert r.returncode == 2 and "--workers must be 1 or more" in r.stderr


@contextmanager
def _served_warm(tmp_path: Path) -> Iterator[tuple[Any, TestClient]]:
    """The app serving both reports from an embedded store, and its client, once /health says warm."""
    data = tmp_path / "data"
    seeded = EmbeddedStore(data / DB_FILE)
    seeded.upsert(both_reports())
    seeded.close()
    app = create_app(settings=settings(data=data))
    with TestClient(app) as client:
        deadline = time.monotonic() + 30
        while client.get("/health").json()["warming"] and time.monotonic() < deadline:
            time.sleep(0.05)
        yield app, client


def test_the_served_app_warms_its_store_in_the_background(tmp_path, monkeypatch):
    import gc

    from service.warm import SERVING_GC_THRESHOLDS
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    try:
        with _served_warm(tmp_path) as (app, client):
            # Warm, the process collects cycles far less often than Python's default (service.warm).
            assert gc.get_threshold() == SERVING_GC_THRESHOLDS != (700, 10, 10)
            holder = app.state.stores
            # /health says warm only once everything is built
            assert holder._views._views and store_names(holder.store).rebuilds
            view = next(iter(holder.views._views.values()))
            assert "undirected" in view._derived  # built before any request asked
            assert ("centrality", "degree") in view._derived  # /centrality's default metric too
            assert any(f == meetings_filter() for _, f in holder.views._views)  # and who met whom
            assert any(name == "actor_index" for _, name in holder.views._extras)  # and the search index
            assert "cost_graph" not in view._derived  # a small graph's paths are networkx's: nothing to build
            built = holder.views.rebuilds
            u, v, _ = next(iter(view.graph.edges(keys=True)))
            r = client.get("/paths/shortest", params={"source": u, "target": v})
            assert r.status_code == 200 and r.json()["found"]
            assert holder.views.rebuilds == built == 2  # the request used the warm view
    finally:
        gc.set_threshold(*before)


def test_a_large_graph_is_served_with_its_cheapest_path_graph_built(tmp_path, monkeypatch):
    """Past the compiled engine's size, the cheapest paths run on a matrix of tie costs (scipy):
    built by warming, so no request under load builds it."""
    from graph.analytics import engine

    monkeypatch.setattr(engine, "ENGINE_MIN_NODES", 2)
    with _served_warm(tmp_path) as (app, _):
        view = next(iter(app.state.stores.views._views.values()))
        assert {"cost_graph", ("centrality", "degree")} <= set(view._derived)
        assert view.centrality("degree").engine != "networkx"


@pytest.mark.parametrize("threads, expected", [(None, 8), (3, 3)])
def test_the_served_app_computes_a_few_requests_at_once(tmp_path, threads, expected):
    """The sync routes' thread limiter: 8 by default on the embedded store (its reads are CPU
    under one GIL), ACTORGRAPH_REQUEST_THREADS when set."""
    import anyio.to_thread

    extra = {} if threads is None else {"request_threads": threads}
    app = create_app(settings=settings(data=tmp_path / "data", **extra))
    with TestClient(app) as client:
        assert client.portal.call(lambda: anyio.to_thread.current_default_thread_limiter().total_tokens) == expected
        assert client.get("/health").status_code == 200


def test_a_neo4j_service_keeps_more_requests_in_flight():
    """A Neo4j request mostly waits for the server: twice the embedded store's threads."""
    assert settings(store="neo4j").threads() == 16
    assert settings(store="neo4j", request_threads=12).threads() == 12
    assert settings().threads("neo4j") == 16  # a store handed to the app names its own kind


def test_concurrent_first_searches_read_the_actors_once(tmp_path, monkeypatch):
    """The search index of a version is built once however many requests ask at the same time:
    under load each first search read every actor from the store at once."""
    import threading

    store = EmbeddedStore(tmp_path / DB_FILE)
    store.upsert(both_reports())
    views = GraphViews(store)
    reads = []
    real = store.actors

    def slow_actors(*args, **kwargs):
        reads.append(1)
        time.sleep(0.2)  # long enough for every thread to arrive while the first reads
        return real(*args, **kwargs)

    monkeypatch.setattr(store, "actors", slow_actors)
    found: list = []
    threads = [threading.Thread(target=lambda: found.append(views.actor_index())) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(found) == 8 and all(index is found[0] for index in found)
    assert len(reads) == 1
    store.upsert(meeting(person("Ana Test"), person("Ben Test"), "2026-02-01"))  # a new version
    assert views.actor_index() is not found[0] and len(reads) == 2
    store.close()


def test_shutting_down_while_warming_waits_for_the_step_under_way(tmp_path, monkeypatch):
    """The store is closed only once the warming thread has stopped: closing an SQLite connection
    another thread reads from can crash the process."""
    import threading

    data = tmp_path / "data"
    seeded = EmbeddedStore(data / DB_FILE)
    seeded.upsert(both_reports())
    seeded.close()
    warming_alive_at_close: list[bool] = []
    reading = threading.Event()
    real_articles, real_close = EmbeddedStore.articles, EmbeddedStore.close

    def slow_articles(self, *args, **kwargs):
        reading.set()
        time.sleep(0.5)  # the warming thread is mid-step when the service shuts down
        return real_articles(self, *args, **kwargs)

    def close(self):
        warming_alive_at_close.append(any(t.name == "actorgraph-warm" for t in threading.enumerate()))
        real_close(self)

    monkeypatch.setattr(EmbeddedStore, "articles", slow_articles)
    monkeypatch.setattr(EmbeddedStore, "close", close)
    app = create_app(settings=settings(data=data))
    with TestClient(app):
        assert reading.wait(5)
    assert warming_alive_at_close == [False]
