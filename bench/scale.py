"""The embedded service at scale: write, start and read figures on a synthetic graph of N relations.

Run from the repository root: ``python -m bench.scale [--relations 1000000] [--neo4j URI] [--json]``.

Builds ``bench.ingest``'s synthetic graph (kept as a SQLite file under ``--cache``, so later runs
at the same size and seed only copy it), serves a copy with ``actorgraph serve`` in a child process
on 127.0.0.1 and measures, in one run:

- ``start_to_health_s``: from starting the process to /health answering 200; ``first_path_s``:
  the first GET /paths/shortest after that; ``path_while_warming_p50_ms``: the next paths while
  /health still says ``warming`` (walked on the store's indexes, ``graph.analytics.path_search``);
  ``start_to_warm_s``: until the projections are built; ``path_p50_ms``: the path route after
  that, one request at a time;
- ``upsert_one_article_s``: one POST /articles of a short (fictional) article through the extractor,
  and ``next_read_s``: the path read right after it (``upsert_plus_read_s`` is their sum, the goal
  is <= 1 s at 1M); ``other_process_upsert_s`` / ``other_process_next_read_s``: the same for a
  one-article batch (``bench.ingest._one_article``) upserted by this process into the served file,
  which the server must notice (``PRAGMA data_version``) and fold in;
- ``rss_mb``: the server's resident memory after those reads;
- peers measured beside them: ``peer_networkx_path_ms`` (bare ``nx.shortest_path`` on the same
  undirected graph, same pairs) and ``peer_networkx_build_s`` (building that bare graph from the
  batch in this process: the floor of a start that builds the projection).

More figures come from sections: modules listed in ``SECTIONS`` exposing ``measure(batch, args)
-> dict`` whose keys join the output; a module that is not there is reported as skipped.
"""
from __future__ import annotations

import argparse
import importlib
import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable
from urllib.parse import urlencode

REPO = Path(__file__).resolve().parents[1]
DEFAULT_RELATIONS = 1_000_000
PATH_REQUESTS = 50
WARMING_PATHS = 10  # paths timed while the service still builds its projections
START_TIMEOUT_S = 900
API_KEY = "bench-scale-key"

# (name, module): each module exposes measure(batch, args) -> dict of more figures. Add one line each.
SECTIONS: list[tuple[str, str]] = [
    ("centrality", "bench.scale_centrality"),
    ("neo4j", "bench.scale_neo4j"),
]

ARTICLE = ("Marenzian envoy meets Velorian general in Halvik\n\n"
           "General Tomas Reyvik, Chief of Army Staff of the Velorian Army, met Admiral Ilse Brandt, Chief of "
           "Defence Staff of Ostrland, in Halvik on Monday. The two commanders discussed joint training.\n")


# -- the stored graph ------------------------------------------------------------------------------

def built_store(batch, relations: int, seed: int, cache: Path) -> Path:
    """The SQLite file of ``batch`` (built once per size and seed, then reused from ``cache``)."""
    from bench.ingest import BULK_RELATIONS, _chunks_of
    from graph.stores.embedded.store import EmbeddedStore

    cache.mkdir(parents=True, exist_ok=True)
    path = cache / f"scale-{relations}-{seed}.sqlite"
    if not path.exists():
        tmp = path.with_suffix(".building")
        for leftover in cache.glob(tmp.name + "*"):
            leftover.unlink()
        store = EmbeddedStore(tmp)
        for part in _chunks_of(batch, BULK_RELATIONS):
            store.upsert(part)
        store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        store.close()
        tmp.rename(path)
    return path


# -- the server ------------------------------------------------------------------------------------

class Served:
    """``actorgraph serve`` over a data folder, in a child process; stopped on exit."""

    def __init__(self, data: Path, workers: int = 1, env: dict[str, str] | None = None):
        from bench.api import free_port
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        env = {**os.environ, "PYTHONPATH": str(REPO), "ACTORGRAPH_DATA": str(data), "ACTORGRAPH_STORE": "embedded",
               "ACTORGRAPH_API_KEY": API_KEY, **(env or {})}
        cmd = [sys.executable, "-m", "service.cli", "serve", "--port", str(self.port), "--log-level", "warning"]
        if workers > 1:
            cmd += ["--workers", str(workers)]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(cmd, cwd=REPO, env=env)

    def wait_health(self) -> float:
        """Seconds from the start to the first 200 from /health."""
        import httpx
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise SystemExit(f"the server exited with {self.proc.returncode}")
            try:
                if httpx.get(f"{self.base}/health", timeout=60).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise SystemExit("the server did not answer /health in time")

    def warming(self) -> bool:
        """Whether /health says the projections are still being built."""
        import httpx
        return bool(httpx.get(f"{self.base}/health", timeout=60).json().get("warming"))

    def wait_warm(self) -> float:
        """Seconds from the start until /health no longer says warming."""
        deadline = time.monotonic() + START_TIMEOUT_S
        while time.monotonic() < deadline:
            if not self.warming():
                return time.perf_counter() - self.started
            time.sleep(0.2)
        raise SystemExit("the server did not finish warming in time")

    def rss_mb(self) -> float:
        """Resident memory of the server and its children (the uvicorn workers)."""
        total = 0
        for pid in [self.proc.pid, *_children(self.proc.pid)]:
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        total += int(line.split()[1])
            except OSError:
                pass
        return round(total / 1024, 1)

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def _get(base: str, url: str) -> float:
    import httpx
    t0 = time.perf_counter()
    r = httpx.get(base + url, timeout=900)
    if r.status_code != 200:
        raise SystemExit(f"GET {url}: {r.status_code} {r.text[:200]}")
    return time.perf_counter() - t0


def _post_article(base: str, n: int) -> float:
    import httpx
    body = {"articles": [{"id": f"scale-{n}.txt", "text": ARTICLE + f"\nDispatch {n}.\n", "date": "2026-03-10"}]}
    t0 = time.perf_counter()
    r = httpx.post(base + "/articles", json=body, headers={"X-API-Key": API_KEY}, timeout=900)
    if r.status_code != 201:
        raise SystemExit(f"POST /articles: {r.status_code} {r.text[:300]}")
    return time.perf_counter() - t0


# -- the figures -----------------------------------------------------------------------------------

def path_urls(batch, n: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    people = sorted(a.id for a in batch.actors.values() if a.type.value == "Person")
    return [f"/paths/shortest?{urlencode({'source': rng.choice(people), 'target': rng.choice(people)})}"
            for _ in range(n)]


def peer_networkx(batch, urls: list[str]) -> dict[str, float]:
    """Bare networkx on the same graph: building the undirected graph, and the same shortest paths."""
    from urllib.parse import parse_qs, urlparse

    import networkx as nx
    t0 = time.perf_counter()
    H = nx.Graph()
    H.add_nodes_from(batch.actors)
    H.add_edges_from((r.source, r.target) for r in batch.relations.values())
    build = time.perf_counter() - t0
    times = []
    for url in urls:
        q = parse_qs(urlparse(url).query)
        t0 = time.perf_counter()
        try:
            nx.shortest_path(H, q["source"][0], q["target"][0])
        except nx.NetworkXNoPath:
            pass
        times.append(time.perf_counter() - t0)
    return {"peer_networkx_build_s": round(build, 2), "peer_networkx_path_ms": round(1000 * statistics.median(times), 3)}


def measure_service(batch, stored: Path, args) -> dict[str, Any]:
    """Start, first path, path p50, one POST + next read, another process's upsert + next read, RSS."""
    from bench.ingest import _one_article
    from graph.stores.embedded.store import DB_FILE, EmbeddedStore

    urls = path_urls(batch, PATH_REQUESTS + 3, args.seed)
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="actorgraph-scale-") as tmp:
        data = Path(tmp)
        shutil.copyfile(stored, data / DB_FILE)
        server = Served(data, workers=args.workers)
        try:
            out["start_to_health_s"] = round(server.wait_health(), 2)
            out["first_path_s"] = round(_get(server.base, urls[0]), 3)
            # Paths while the projection is still being built are walked on the store's indexes.
            warming = [_get(server.base, u) for u in urls[3:3 + WARMING_PATHS] if server.warming()]
            if warming:
                out["path_while_warming_p50_ms"] = round(1000 * statistics.median(warming), 2)
            out["start_to_warm_s"] = round(server.wait_warm(), 2)
            times = [_get(server.base, u) for u in urls[3:]]
            out["path_p50_ms"] = round(1000 * statistics.median(times), 2)
            _post_article(server.base, 0)  # the first POST loads the extractor (spaCy): not what is measured
            _get(server.base, urls[1])
            posts, reads = [], []
            for n in range(1, args.posts + 1):
                posts.append(_post_article(server.base, n))
                reads.append(_get(server.base, urls[1 + n % 2]))
            out["upsert_one_article_s"] = round(statistics.median(posts), 3)
            out["next_read_s"] = round(statistics.median(reads), 3)
            out["upsert_plus_read_s"] = round(statistics.median(p + r for p, r in zip(posts, reads)), 3)
            other = EmbeddedStore(data / DB_FILE)  # a second process writing the served file
            try:
                t0 = time.perf_counter()
                other.upsert(_one_article(batch, 0))
                out["other_process_upsert_s"] = round(time.perf_counter() - t0, 3)
            finally:
                other.close()
            out["other_process_next_read_s"] = round(_get(server.base, urls[2]), 3)
            out["rss_mb"] = server.rss_mb()
        finally:
            server.stop()
    return out


def run_sections(batch, args, sections: list[tuple[str, str]]) -> dict[str, Any]:
    """Each section's figures; a section whose module is missing (or fails) is named in ``skipped``."""
    out: dict[str, Any] = {}
    skipped: dict[str, str] = {}
    for name, module in sections:
        if name in args.skip:
            skipped[name] = "skipped by --skip"
            continue
        try:
            measure: Callable[[Any, argparse.Namespace], dict] = importlib.import_module(module).measure
        except ModuleNotFoundError as exc:
            if exc.name != module:
                raise
            skipped[name] = f"{module} is not there"
            continue
        try:
            out.update(measure(batch, args))
        except Exception as exc:  # noqa: BLE001 - one failing section must not lose the others' figures
            skipped[name] = f"failed: {type(exc).__name__}: {exc}"
    if skipped:
        out["sections_skipped"] = skipped
    return out


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__.split("\n\n")[0])
    p.add_argument("--relations", type=int, default=DEFAULT_RELATIONS, help="graph size (default 1,000,000)")
    p.add_argument("--seed", type=int, default=7)
    p.add_argument("--neo4j", metavar="URI", help="also measure Neo4j at this bolt URI (sections that use it)")
    p.add_argument("--workers", type=int, default=1, help="uvicorn workers of the served store (default 1)")
    p.add_argument("--posts", type=int, default=5, help="one-article POSTs timed (the median is printed)")
    p.add_argument("--skip", action="append", default=[], metavar="SECTION",
                   help=f"leave a section out ({', '.join(n for n, _ in SECTIONS)}); repeatable")
    p.add_argument("--cache", type=Path, default=Path(os.environ.get("ACTORGRAPH_BENCH_CACHE",
                                                                     Path.home() / ".cache" / "actorgraph-bench")),
                   help="where built stores are kept between runs")
    p.add_argument("--json", action="store_true", help="print one JSON object (the default prints it too, indented)")
    args = p.parse_args(argv)

    from bench.ingest import synthetic_batch
    t0 = time.perf_counter()
    batch = synthetic_batch(args.relations, seed=args.seed)
    result: dict[str, Any] = {"relations": len(batch.relations), "actors": len(batch.actors),
                              "generate_s": round(time.perf_counter() - t0, 1)}
    t0 = time.perf_counter()
    stored = built_store(batch, args.relations, args.seed, args.cache)
    result["store_ready_s"] = round(time.perf_counter() - t0, 1)
    result.update(measure_service(batch, stored, args))
    result.update(peer_networkx(batch, path_urls(batch, PATH_REQUESTS + 3, args.seed)[3:]))
    result["path_vs_peer"] = round(result["path_p50_ms"] / result["peer_networkx_path_ms"], 1)
    result.update(run_sections(batch, args, SECTIONS))
    print(json.dumps(result) if args.json else json.dumps(result, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
