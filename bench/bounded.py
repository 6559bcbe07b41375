"""Heavy analytics beside cheap reads: what a betweenness trend costs the other requests.

Run from the repository root: ``python -m bench.bounded [--relations 100000] [--budget 20]``.

Builds ``bench.ingest``'s synthetic graph in a temporary embedded store, serves it with
``actorgraph serve`` on 127.0.0.1 (trend and risers in a worker process, ``service/heavy.py``) and
prints, with the machine's load average beside them:

- ``path_p50_ms`` / ``path_p99_ms``: GET /paths/shortest between random people, one at a time;
- the same while ``GET /centrality/trend?metric=betweenness&bucket=month`` runs (``during_*``);
- ``trend_status`` and ``trend_s``: what the trend answered (200, or 503 once its budget ran out)
  and after how long; ``server_cpu_after_s``: the server's and its workers' CPU seconds in the
  3 s after that answer (near 0: nothing computes any more).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import httpx
import psutil

REPO = Path(__file__).resolve().parents[1]


def _cpu(proc: psutil.Process) -> float:
    total = 0.0
    for p in [proc, *proc.children(recursive=True)]:
        try:
            total += sum(p.cpu_times()[:2])
        except psutil.NoSuchProcess:
            pass
    return total


def _paths(base: str, people: list[str], n: int, rng: random.Random) -> list[float]:
    out = []
    for _ in range(n):
        a, b = rng.sample(people, 2)
        start = time.perf_counter()
        httpx.get(f"{base}/paths/shortest", params={"source": a, "target": b}, timeout=120)
        out.append((time.perf_counter() - start) * 1000)
    return out


def _p(values: list[float], q: float) -> float:
    return round(statistics.quantiles(values, n=100)[int(q) - 1], 1) if len(values) > 1 else values[0]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--relations", type=int, default=100_000)
    ap.add_argument("--budget", type=float, default=20.0, help="ACTORGRAPH_HEAVY_BUDGET_S for the server")
    ap.add_argument("--paths", type=int, default=40, help="path requests per phase")
    ap.add_argument("--port", type=int, default=18911)
    args = ap.parse_args(argv)

    from bench.ingest import synthetic_batch
    from graph.stores.embedded.store import EmbeddedStore

    folder = Path(tempfile.mkdtemp(prefix="actorgraph-bounded-"))
    batch = synthetic_batch(args.relations, seed=7)
    with EmbeddedStore(folder / "graph.sqlite") as store:
        store.upsert(batch)
    people = sorted(a for a in batch.actors if a.startswith("person:"))
    env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(folder),
           "ACTORGRAPH_HEAVY_BUDGET_S": str(args.budget)}
    server = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(args.port),
                               "--log-level", "warning"], cwd=REPO, env=env)
    base = f"http://127.0.0.1:{args.port}"
    figures: dict = {"relations": args.relations, "budget_s": args.budget}
    try:
        while True:
            try:
                health = httpx.get(f"{base}/health", timeout=5).json()
                if not health.get("warming"):
                    break
            except (httpx.HTTPError, ValueError):
                pass
            time.sleep(0.5)
        rng = random.Random(1)
        alone = _paths(base, people, args.paths, rng)
        figures.update(path_p50_ms=_p(alone, 50), path_p99_ms=_p(alone, 99))
        trend: dict = {}

        def run_trend() -> None:
            start = time.perf_counter()
            r = httpx.get(f"{base}/centrality/trend", params={"metric": "betweenness", "bucket": "month"},
                          timeout=args.budget * 4)
            trend.update(status=r.status_code, seconds=round(time.perf_counter() - start, 1))

        thread = threading.Thread(target=run_trend)
        thread.start()
        time.sleep(2)  # the worker has the trend
        during = _paths(base, people, args.paths, rng)
        figures.update(during_path_p50_ms=_p(during, 50), during_path_p99_ms=_p(during, 99))
        thread.join()
        proc = psutil.Process(server.pid)
        before = _cpu(proc)
        time.sleep(3)
        figures.update(trend_status=trend["status"], trend_s=trend["seconds"],
                       server_cpu_after_s=round(_cpu(proc) - before, 2))
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures["load_average"] = [round(x, 2) for x in os.getloadavg()]
    figures["cpus"] = os.cpu_count()
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
