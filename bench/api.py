"""HTTP latency of the service on a large synthetic graph, per store.

Run from the repository root: ``python -m bench.api [--neo4j] [--json]``.

Builds the synthetic graph of ``bench.ingest`` (the extractor's shape: people in forces in states,
dated and cited MET/VISITED/SIGNED/OFFERED events, popular actors on many of them) at >= 50,000
actors and >= 250,000 relations, serves it with uvicorn in a child process on 127.0.0.1, and drives
the path, meetings and centrality routes with concurrent requests from httpx (async), bounded in
count and time. Prints p50/p99 latency and requests/s per route and store, the first (cold) call of
each route, and the ratio of the path route's p50 to the bare networkx call the route makes
(``nx.shortest_path`` on the same undirected graph, same pairs): the goal is <= 3x.

The Neo4j run (``--neo4j``, or ``--neo4j-if-reachable``) uses NEO4J_URI/NEO4J_USER/NEO4J_PASSWORD;
it loads the graph into that database, which must be empty or hold this bench's graph already
(then it is reused), unless ``--wipe`` allows clearing it.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
GOAL_PATH_RATIO = 3.0
# bench.ingest makes relations // 8 people; this many relations gives >= 50,000 actors in all.
DEFAULT_RELATIONS = 375_000
SINCE, UNTIL = "2024-01-01", "2024-12-31"


# -- the graph -------------------------------------------------------------------------------------

def build_batch(relations: int, seed: int):
    from bench.ingest import synthetic_batch
    return synthetic_batch(relations, seed=seed)


def graph_figures(batch) -> dict[str, int]:
    return {"actors": len(batch.actors), "relations": len(batch.relations), "articles": len(batch.articles)}


# -- the server (child process) ----------------------------------------------------------------------

def serve(store_kind: str, port: int, relations: int, seed: int) -> None:
    """Child: open the store (building the embedded graph from the same seed), serve on loopback."""
    import uvicorn

    from service.app import create_app
    from service.settings import Settings

    settings = Settings(store=store_kind)
    if store_kind == "embedded":
        from graph.stores.embedded.store import EmbeddedStore
        store = EmbeddedStore()
        store.upsert(build_batch(relations, seed))
        app = create_app(store, settings=settings)
    else:
        app = create_app(settings=settings)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m bench.api --serve KIND`` in a child process, stopped on exit."""

    def __init__(self, kind: str, relations: int, seed: int):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [sys.executable, "-m", "bench.api", "--serve", kind, "--port", str(self.port),
               "--relations", str(relations), "--seed", str(seed)]
        self.proc = subprocess.Popen(cmd, cwd=REPO, env={**os.environ, "PYTHONPATH": str(REPO)})

    def wait_ready(self, timeout: float = 600) -> None:
        import httpx
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/health", timeout=5).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.5)
        raise TimeoutError("the server did not become ready")

    def __enter__(self) -> "Server":
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.proc.poll() is not None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# -- the load ------------------------------------------------------------------------------------------

async def drive(base: str, urls: list[str], concurrency: int, seconds: float) -> dict[str, Any]:
    """GET every url (cycling) with ``concurrency`` workers until done or ``seconds`` pass."""
    import httpx
    latencies: list[float] = []
    errors = 0
    queue = iter(urls)
    deadline = time.monotonic() + seconds

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal errors
        for url in queue:
            if time.monotonic() > deadline:
                return
            t0 = time.perf_counter()
            r = await client.get(url)
            latencies.append(time.perf_counter() - t0)
            if r.status_code != 200:
                errors += 1

    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(base_url=base, timeout=120, limits=limits) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(concurrency)))
        wall = time.perf_counter() - start
    return summary(latencies, wall, errors, concurrency)


def summary(latencies: list[float], wall: float, errors: int = 0, concurrency: int = 1) -> dict[str, Any]:
    ms = sorted(x * 1000 for x in latencies)
    return {"requests": len(ms), "errors": errors, "concurrency": concurrency,
            "p50_ms": round(statistics.median(ms), 3) if ms else None,
            "p99_ms": round(ms[min(len(ms) - 1, int(len(ms) * 0.99))], 3) if ms else None,
            "rps": round(len(ms) / wall, 1) if wall else None}


def timed_get(base: str, url: str) -> float:
    """One request, waiting as long as it takes (a cold cache builds projections): its seconds."""
    import httpx
    t0 = time.perf_counter()
    r = httpx.get(base + url, timeout=900)
    r.raise_for_status()
    return round(time.perf_counter() - t0, 2)


def workloads(batch, n: int, seed: int) -> dict[str, list[str]]:
    from urllib.parse import urlencode
    rng = random.Random(seed)
    people = sorted(a.id for a in batch.actors.values() if a.type.value == "Person")
    states = sorted(a.id for a in batch.actors.values() if a.type.value == "State")[:12]
    pairs = [(rng.choice(people), rng.choice(people)) for _ in range(n)]
    return {
        "path": [f"/paths/shortest?{urlencode({'source': s, 'target': t})}" for s, t in pairs],
        "meetings": [f"/meetings?{urlencode({'a': rng.choice(states), 'b': rng.choice(states), 'since': SINCE, 'until': UNTIL, 'limit': 50})}"
                     for _ in range(n)],
        "centrality": [f"/centrality?metric={rng.choice(('degree', 'pagerank', 'betweenness'))}&type=Person&limit=20"
                       for _ in range(n)],
    }


def bare_networkx(batch, path_urls: list[str]) -> dict[str, Any]:
    """The call the path route makes, without the service: nx.shortest_path on the same graph."""
    from urllib.parse import parse_qs, urlparse

    import networkx as nx

    from graph.analytics.algorithms import undirected
    from graph.stores.embedded.store import EmbeddedStore
    store = EmbeddedStore()
    store.upsert(batch)
    H = undirected(store.projection())
    times = []
    for url in path_urls:
        q = parse_qs(urlparse(url).query)
        t0 = time.perf_counter()
        try:
            nx.shortest_path(H, q["source"][0], q["target"][0])
        except nx.NetworkXNoPath:
            pass
        times.append(time.perf_counter() - t0)
    return summary(times, sum(times))


def bench_store(server: Server, args, loads: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    with server:
        server.wait_ready()
        # Cold calls: the first of each builds (and caches) the projections and scores it needs.
        out["cold_s"] = {name: timed_get(server.base, urls[0]) for name, urls in loads.items()}
        for metric in ("pagerank", "betweenness"):
            out["cold_s"][f"centrality:{metric}"] = timed_get(server.base, f"/centrality?metric={metric}&type=Person")
        out["routes"] = {name: asyncio.run(drive(server.base, urls, args.concurrency, args.seconds))
                         for name, urls in loads.items()}
        # One request at a time: the latency the ratio compares, free of queueing behind others.
        out["path_sequential"] = asyncio.run(drive(server.base, loads["path"][: args.sequential], 1, args.seconds))
    return out


def prepare_neo4j(batch, wipe: bool) -> str | None:
    """Load the graph into Neo4j (or find it there); None when the server cannot be reached."""
    from graph.stores.neo4j.store import Neo4jStore, connect
    from graph.stores.interface import StoreUnavailable
    from service.settings import Settings
    s = Settings()
    try:
        driver = connect(s.neo4j_uri, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    except StoreUnavailable as exc:
        return f"unreachable: {exc}"
    store = Neo4jStore(driver, s.neo4j_database, owns_driver=True)
    try:
        stats = store.stats()
        held = sum(stats["nodes"].values()), sum(stats["relations"].values())
        if held == (len(batch.actors), len(batch.relations)):
            return None  # this bench's graph, loaded by an earlier run
        if any(held) and not wipe:
            raise SystemExit(f"the Neo4j database holds another graph ({held[0]} actors, {held[1]} relations): "
                             f"pass --wipe to clear it for the bench")
        store.clear()
        t0 = time.perf_counter()
        store.upsert(batch)
        print(f"loaded the graph into Neo4j in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
        return None
    finally:
        store.close()


def table(result: dict[str, Any]) -> str:
    lines = [f"graph: {result['graph']['actors']:,} actors, {result['graph']['relations']:,} relations",
             f"bare networkx shortest_path p50: {result['bare_networkx_path']['p50_ms']:.3f} ms", ""]
    lines.append(f"{'store':8} {'route':16} {'requests':>8} {'conc':>4} {'p50 ms':>9} {'p99 ms':>9} {'req/s':>8}")
    for kind, figures in result["stores"].items():
        if "skipped" in figures:
            lines.append(f"{kind:8} skipped: {figures['skipped']}")
            continue
        rows = [*figures["routes"].items(), ("path (1 at a time)", figures["path_sequential"])]
        for name, f in rows:
            lines.append(f"{kind:8} {name:16} {f['requests']:>8} {f['concurrency']:>4} {f['p50_ms']:>9.2f} "
                         f"{f['p99_ms']:>9.2f} {f['rps']:>8.1f}" + (f"  errors {f['errors']}" if f["errors"] else ""))
        lines.append(f"{kind:8} path p50 / bare networkx p50: {figures['path_ratio']:.1f}x one at a time, "
                     f"{figures['path_ratio_concurrent']:.1f}x at {figures['routes']['path']['concurrency']} "
                     f"concurrent (goal <= {GOAL_PATH_RATIO:.0f}x)")
        cold = ", ".join(f"{k} {v} s" for k, v in figures["cold_s"].items())
        lines.append(f"{kind:8} first calls (building the cached projections and scores): {cold}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.api", description=__doc__.split("\n\n")[0])
    p.add_argument("--relations", type=int, default=DEFAULT_RELATIONS, help="graph size (people = relations / 8)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--requests", type=int, default=400, help="requests per route")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--sequential", type=int, default=200, help="path requests sent one at a time for the ratio")
    p.add_argument("--seconds", type=float, default=45, help="time limit per route")
    p.add_argument("--neo4j", action="store_true", help="bench the Neo4j store too (NEO4J_* settings)")
    p.add_argument("--neo4j-if-reachable", action="store_true", help="bench Neo4j when a server answers")
    p.add_argument("--wipe", action="store_true", help="allow clearing a Neo4j database holding another graph")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    p.add_argument("--serve", choices=("embedded", "neo4j"), help=argparse.SUPPRESS)
    p.add_argument("--port", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.serve:
        serve(args.serve, args.port, args.relations, args.seed)
        return 0

    # The embedded server builds its copy of the graph while this process builds its own.
    servers = {"embedded": Server("embedded", args.relations, args.seed)}
    try:
        batch = build_batch(args.relations, args.seed)
        loads = workloads(batch, args.requests, args.seed)
        result: dict[str, Any] = {"graph": graph_figures(batch), "goal_path_ratio": GOAL_PATH_RATIO, "stores": {}}
        result["bare_networkx_path"] = bare_networkx(batch, loads["path"][: args.sequential])
        kinds = ["embedded"]
        if args.neo4j or args.neo4j_if_reachable:
            problem = prepare_neo4j(batch, args.wipe)
            if problem is None:
                kinds.append("neo4j")
                servers["neo4j"] = Server("neo4j", args.relations, args.seed)
            elif args.neo4j:
                raise SystemExit(f"Neo4j {problem}")
            else:
                result["stores"]["neo4j"] = {"skipped": problem}
        bare = result["bare_networkx_path"]["p50_ms"]
        for kind in kinds:
            figures = bench_store(servers[kind], args, loads)
            figures["path_ratio"] = round(figures["path_sequential"]["p50_ms"] / bare, 2)
            figures["path_ratio_concurrent"] = round(figures["routes"]["path"]["p50_ms"] / bare, 2)
            result["stores"][kind] = figures
    finally:
        for server in servers.values():
            server.stop()
    print(json.dumps(result, indent=2) if args.json else table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
