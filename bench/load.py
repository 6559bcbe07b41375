"""Read load: many concurrent clients of mixed reads on the sample corpus, per store.

Run from the repository root: ``python -m bench.load [--clients 100] [--seconds 30] [--workers 2]
[--relations N] [--neo4j URI] [--json]``.

The sample corpus (``examples/articles``, with ``examples/vocab``) is extracted once and served by
``actorgraph serve --workers N`` on 127.0.0.1: the embedded store in a temporary data folder and,
with ``--neo4j URI`` (NEO4J_USER / NEO4J_PASSWORD / NEO4J_DATABASE from the environment), that
database, which must be empty or hold only this corpus unless ``--wipe`` lets it be cleared.
Without a URI the Neo4j run is skipped and says so. ``--relations N`` serves instead
``bench.ingest``'s synthetic graph of N relations (the embedded store built once per size and
seed, kept under ``--cache`` as ``bench.scale`` keeps it), so the reads run on a graph of real size.

The machine's load average (``os.getloadavg``) is printed beside each store's figures, before and
after its run: on a shared machine a low figure may be the neighbours' doing.

Each client holds one keep-alive connection and sends GETs one after another, cycling through a
mix of actor search, an actor's meetings, meetings between states, shortest paths, centrality and
ego subgraphs, until ``--seconds`` pass (bounded). The clients speak HTTP/1.1 over asyncio streams
themselves: the generator shares this machine's cores with the server, and a full HTTP client
library spends several times the CPU per request. Prints per store ``rps``, ``p50_ms``,
``p99_ms``, ``errors`` (5xx answers, resets and timeouts) and ``refused`` (4xx: answers the API
gives by design, e.g. a 422 for the ego network of a hub with more relations than
ACTORGRAPH_SUBGRAPH_MAX_RELATIONS), per route too. Latencies are of every answer. Goal: 0 errors,
p99 <= 1000 ms, >= 300 req/s with 100 clients.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

REPO = Path(__file__).resolve().parents[1]
GOALS = {"errors": 0, "p99_ms": 1000, "rps": 300}
REQUEST_TIMEOUT_S = 30


# -- the corpus and the urls -----------------------------------------------------------------------

def sample_corpus():
    """The sample articles extracted as ``actorgraph ingest`` would: (sources) for an upsert."""
    from loaders.pipeline import Extractor
    from loaders.pipeline import read_articles
    from service.curation import Seed, extract_sources
    extractor = Extractor(extra_vocab=(str(REPO / "examples" / "vocab"),))
    errors: list = []
    raws = list(read_articles([REPO / "examples" / "articles"], errors))
    if errors:
        raise SystemExit(f"cannot read the sample corpus: {errors}")
    return extract_sources(extractor, raws, Seed())


def load_into(store, sources) -> None:
    from graph.model import GraphBatch
    store.upsert(GraphBatch.merged(GraphBatch.from_dict(s.raw.to_dict()) for s in sources), sources)


class Corpus:
    """What the stores serve: the sample corpus's sources, or a synthetic batch (``batch``)."""

    def __init__(self, sources=(), batch=None) -> None:
        self.sources, self.batch = list(sources), batch

    @property
    def article_ids(self) -> set[str]:
        return set(self.batch.articles) if self.batch is not None else {s.id for s in self.sources}

    def load(self, store) -> None:
        if self.batch is not None:
            store.upsert(self.batch)
        else:
            load_into(store, self.sources)


def embedded_data(corpus: Corpus, folder: Path, args) -> None:
    """The embedded store of ``corpus`` in ``folder``: a synthetic graph's copied from the cache of
    built stores (``bench.scale.built_store``), the sample corpus's upserted."""
    import shutil

    from graph.stores.embedded.store import DB_FILE, EmbeddedStore
    if corpus.batch is not None:
        from bench.scale import built_store
        shutil.copyfile(built_store(corpus.batch, args.relations, args.seed, args.cache), folder / DB_FILE)
        return
    store = EmbeddedStore(folder / DB_FILE)
    corpus.load(store)
    store.close()


def mixed_urls(store, n: int, seed: int) -> list[tuple[str, str]]:
    """``n`` (route, url) pairs over the stored actors, shuffled."""
    rng = random.Random(seed)
    actors = store.actors()
    people = [a for a in actors if a.type.value == "Person"] or actors
    sides = [a for a in actors if a.type.value in ("State", "ArmedForce")] or actors
    words = [w for a in actors for w in a.name.split() if len(w) > 3] or ["a"]
    ids = [a.id for a in actors]
    makers = [
        ("search", lambda: f"/actors?{urlencode({'q': rng.choice(words)})}"),
        ("actor_meetings", lambda: f"/actors/{rng.choice(people).id}/meetings"),
        ("meetings", lambda: f"/meetings?{urlencode({'a': rng.choice(sides).id, 'b': rng.choice(sides).id})}"),
        ("path", lambda: f"/paths/shortest?{urlencode({'source': rng.choice(ids), 'target': rng.choice(ids)})}"),
        ("centrality", lambda: f"/centrality?metric={rng.choice(('degree', 'pagerank', 'betweenness'))}&limit=10"),
        ("subgraph", lambda: f"/subgraph?{urlencode({'center': rng.choice(ids), 'depth': 1})}"),
    ]
    return [(name, make()) for name, make in (rng.choice(makers) for _ in range(n))]


# -- the load generator ----------------------------------------------------------------------------

class Result:
    def __init__(self) -> None:
        self.latencies: dict[str, list[float]] = {}
        self.errors: dict[str, int] = {}
        self.refused: dict[str, int] = {}

    def add(self, route: str, seconds: float | None, status: int = 200) -> None:
        """An answer of ``status`` after ``seconds``; None: no answer (reset, timeout)."""
        if seconds is None or status >= 500:
            self.errors[route] = self.errors.get(route, 0) + 1
            return
        if status >= 400:
            self.refused[route] = self.refused.get(route, 0) + 1
        self.latencies.setdefault(route, []).append(seconds)


def _get(url: str, host: str) -> bytes:
    """The bytes of a keep-alive GET of ``url`` asking for JSON."""
    return f"GET {url} HTTP/1.1\r\nHost: {host}\r\nAccept: application/json\r\n\r\n".encode()


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, bool]:
    """Status and whether the server keeps the connection; the body is read and dropped."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if line)}
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif headers.get("transfer-encoding", "").lower() == "chunked":
        while True:
            size = int((await reader.readuntil(b"\r\n")).split(b";")[0], 16)
            await reader.readexactly(size + 2)
            if size == 0:
                break
    return status, headers.get("connection", "").lower() != "close"


async def client(host: str, port: int, urls: list[tuple[str, str]], start: int, deadline: float,
                 result: Result) -> None:
    """One keep-alive connection sending GETs in turn from ``urls[start]`` on until ``deadline``."""
    reader = writer = None
    i = start
    while time.monotonic() < deadline:
        route, url = urls[i % len(urls)]
        i += 1
        t0 = time.perf_counter()
        try:
            if writer is None:
                reader, writer = await asyncio.open_connection(host, port)
            writer.write(_get(url, f"{host}:{port}"))
            status, keep = await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT_S)
            result.add(route, time.perf_counter() - t0, status)
            if not keep:
                writer.close()
                reader = writer = None
        except (OSError, asyncio.IncompleteReadError, asyncio.LimitOverrunError, asyncio.TimeoutError, ValueError):
            result.add(route, None)
            if writer is not None:
                writer.close()
            reader = writer = None
    if writer is not None:
        writer.close()


async def drive(base: str, urls: list[tuple[str, str]], clients: int, seconds: float) -> dict[str, Any]:
    parts = urlsplit(base)
    result = Result()
    start = time.perf_counter()
    deadline = time.monotonic() + seconds
    step = max(1, len(urls) // clients)
    await asyncio.gather(*(client(parts.hostname, parts.port, urls, k * step, deadline, result)
                           for k in range(clients)))
    return summary(result, time.perf_counter() - start, clients)


# Connections of the warm-up of the per-worker builds: the kernel hands each to one worker, so with
# 16 the chance that a worker of two gets none is 2 / 2**16.
WARM_CONNECTIONS = 16


async def warm_workers(base: str, urls: list[tuple[str, str]]) -> None:
    """Each centrality metric of the mix asked on ``WARM_CONNECTIONS`` connections at once. A worker
    scores a metric once per graph version, seconds at 100k relations; the mixed warm-up's few
    connections can all land on one worker, leaving the other's first scorings to the measured run
    (they were its slowest answers: a centrality p99 of 4 s)."""
    parts = urlsplit(base)
    metrics = sorted({url for route, url in urls if route == "centrality"})

    async def one_connection() -> None:
        reader, writer = await asyncio.open_connection(parts.hostname, parts.port)
        try:
            for url in metrics:
                writer.write(_get(url, parts.netloc))
                await asyncio.wait_for(_read_response(reader), REQUEST_TIMEOUT_S * 4)
        finally:
            writer.close()

    await asyncio.gather(*(one_connection() for _ in range(WARM_CONNECTIONS)))


def _figures(latencies: list[float], errors: int, wall: float, refused: int = 0) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)
    return {"requests": len(ms) + errors, "errors": errors, "refused": refused,
            "rps": round((len(ms) + errors) / wall, 1),
            "p50_ms": round(statistics.median(ms), 1) if ms else None,
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 1) if ms else None}


def summary(result: Result, wall: float, clients: int) -> dict[str, Any]:
    every = [x for xs in result.latencies.values() for x in xs]
    out = {"clients": clients, "seconds": round(wall, 1),
           **_figures(every, sum(result.errors.values()), wall, sum(result.refused.values())), "routes": {}}
    for route in sorted(set(result.latencies) | set(result.errors)):
        out["routes"][route] = _figures(result.latencies.get(route, []), result.errors.get(route, 0), wall,
                                        result.refused.get(route, 0))
    out["meets_goals"] = (out["errors"] <= GOALS["errors"] and out["p99_ms"] is not None
                          and out["p99_ms"] <= GOALS["p99_ms"] and out["rps"] >= GOALS["rps"])
    return out


# -- the stores ------------------------------------------------------------------------------------

def prepare_neo4j(uri: str, corpus: Corpus, wipe: bool):
    """The Neo4j store at ``uri`` holding ``corpus`` (its own driver: closed by the caller)."""
    from graph.stores.neo4j.store import Neo4jStore, connect
    from service.settings import Settings
    s = Settings(neo4j_uri=uri)
    driver = connect(uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    store = Neo4jStore(driver, s.neo4j_database)
    wanted = corpus.article_ids
    held = {a.id for a in store.articles()}
    if held - wanted:
        if not wipe:
            driver.close()
            raise SystemExit(f"the Neo4j database holds {len(held - wanted)} articles besides the corpus: "
                             "give --wipe to clear it")
        store.clear()
    corpus.load(store)
    return store, driver


def machine_load() -> dict[str, float]:
    """The load average over 1, 5 and 15 minutes, beside the cores: what else the machine ran."""
    one, five, fifteen = os.getloadavg()
    return {"1m": round(one, 2), "5m": round(five, 2), "15m": round(fifteen, 2), "cores": os.cpu_count() or 1}


def bench_store(kind: str, env: dict[str, str], urls, args) -> dict[str, Any]:
    from bench.scale import Served
    # Every client here has the loopback address, as every client behind a reverse proxy has the
    # proxy's: the heavy-work limit per client is raised to the overall one, as the README's
    # deployment section says for a proxy.
    env = {"ACTORGRAPH_HEAVY_PER_CLIENT": os.environ.get("ACTORGRAPH_HEAVY_OVERALL", "4"), **env}
    server = Served(Path(env.get("ACTORGRAPH_DATA", ".")), workers=args.workers, env=env)
    try:
        server.wait_health()
        server.wait_warm()  # a large graph's projections: built before the load, not during it
        # Warm every route once (each worker), so the figures are the steady state, not first builds.
        asyncio.run(drive(server.base, urls[: 12 * args.workers * 6], min(args.clients, 4 * args.workers), 60))
        asyncio.run(warm_workers(server.base, urls))
        before = machine_load()
        out = asyncio.run(drive(server.base, urls, args.clients, args.seconds))
        out["machine_load"] = {"before": before, "after": machine_load()}
        out["store"], out["workers"] = kind, args.workers
        out["server_rss_mb"] = server.rss_mb()
    finally:
        server.stop()
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.load", description=__doc__.split("\n\n")[0])
    p.add_argument("--clients", type=int, default=100, help="concurrent clients (default 100)")
    p.add_argument("--seconds", type=float, default=30, help="how long the load lasts per store (default 30)")
    p.add_argument("--workers", type=int, default=2, help="uvicorn workers serving (default 2: one per core here)")
    p.add_argument("--neo4j", metavar="URI", help="also load the Neo4j store at this bolt URI")
    p.add_argument("--wipe", action="store_true", help="allow clearing a Neo4j database holding other articles")
    p.add_argument("--relations", type=int, metavar="N",
                   help="serve a synthetic graph of N relations instead of the sample corpus (e.g. 100000)")
    p.add_argument("--cache", type=Path, default=Path(os.environ.get("ACTORGRAPH_BENCH_CACHE",
                                                                     Path.home() / ".cache" / "actorgraph-bench")),
                   help="where built embedded stores of --relations are kept between runs")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--json", action="store_true", help="print one JSON object")
    args = p.parse_args(argv)

    from graph.stores.embedded.store import DB_FILE, EmbeddedStore
    if args.relations:
        from bench.ingest import synthetic_batch, with_events
        # With its events, as the embedded store's cached build has them: both stores serve one graph.
        corpus = Corpus(batch=with_events(synthetic_batch(args.relations, seed=args.seed)))
    else:
        corpus = Corpus(sources=sample_corpus())
    result: dict[str, Any] = {"goals": GOALS, "stores": {}}
    with tempfile.TemporaryDirectory(prefix="actorgraph-load-") as tmp:
        embedded_data(corpus, Path(tmp), args)
        store = EmbeddedStore(Path(tmp) / DB_FILE)
        urls = mixed_urls(store, 5000, args.seed)
        stats = store.stats()
        result["corpus"] = {"articles": stats["articles"], "actors": sum(stats["nodes"].values()),
                            "relations": sum(stats["relations"].values()),
                            "synthetic": bool(args.relations)}
        store.close()
        result["stores"]["embedded"] = bench_store("embedded", {"ACTORGRAPH_DATA": tmp, "ACTORGRAPH_STORE": "embedded"},
                                                 urls, args)
    if args.neo4j:
        neo, driver = prepare_neo4j(args.neo4j, corpus, args.wipe)
        try:
            urls = mixed_urls(neo, 5000, args.seed)
        finally:
            driver.close()
        result["stores"]["neo4j"] = bench_store("neo4j", {"ACTORGRAPH_STORE": "neo4j", "NEO4J_URI": args.neo4j},
                                                urls, args)
    else:
        result["stores"]["neo4j"] = {"skipped": "no --neo4j URI given: start one (scripts/neo4j-local start) "
                                                "and pass its bolt URI to load it too"}
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
