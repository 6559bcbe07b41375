"""Neo4j ingest at scale: batched upserts, one relation per transaction, and neo4j-admin import of
the same synthetic graph, side by side in one run.

Run from the repository root:
``python -m bench.scale_neo4j --relations 1000000 --neo4j bolt://127.0.0.1:7687 --json``.
``bench/scale.py`` calls ``measure(batch, args)`` for its ``--neo4j`` figures.

- ``neo4j_batched_rels_per_s``: ``Neo4jStore.upsert`` of the whole batch (actors, relations,
  articles, mentions and the events the extractor would emit with them, ``neo4j_events``, as the
  embedded store's figures have them; ``--batch-size`` rows per UNWIND) into the emptied
  database, over Bolt.
- ``neo4j_batched_server_cpu_s`` and ``neo4j_batched_client_cpu_s``: the CPU time the server's
  process (when it is the installation's, found by its pid file and listening on the URI's port;
  else None) and this process spent on that upsert; ``neo4j_batched_ceiling_rels_per_s`` is the
  rate if every core of the machine did nothing else and never waited: what bounds the batched
  figure on this machine, however well the writes overlap.
- ``neo4j_per_row_rels_per_s``: the store's own relation write, one relation per transaction, on a
  sample of ``--baseline-rows`` relations whose actors are written first; ``neo4j_batched_vs_per_row``
  is the ratio (goal >= 20x).
- ``peer_neo4j_admin_import_rels_per_s``: ``neo4j-admin database import full`` of the same graph
  (``graph.stores.neo4j.bulk_import``, the path of ``actorgraph ingest --bulk``) into a scratch database
  folder, with the jars of the server's installation (``--neo4j-dir``); the CSV writing is timed
  apart (``peer_neo4j_admin_csv_s``). The server's own database is not touched by this one.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psutil

from graph.model import GraphBatch

__all__ = ["measure", "main", "GOAL_RATE", "GOAL_RATIO"]

GOAL_RATE = 20_000  # issue 26: neo4j-admin import does ~30k here
GOAL_RATIO = 20


def _installation(args: argparse.Namespace):
    from graph.stores.neo4j.bulk_import import ImportRefused, find_installation
    folder = getattr(args, "neo4j_dir", None) or Path(os.environ.get("NEO4J_LOCAL_DIR") or ".neo4j")
    try:
        return find_installation(Path(folder))
    except ImportRefused as exc:
        raise SystemExit(f"bench.scale_neo4j: {exc} (--neo4j-dir names the server's installation; "
                         "the neo4j-admin peer needs its jars)") from exc


def _admin_import(batch: GraphBatch, inst, args: argparse.Namespace) -> dict[str, Any]:
    """neo4j-admin import of ``batch`` into a scratch database folder of its own, with the jars of ``inst``."""
    from graph.stores.neo4j.bulk_import import Installation, write_csv
    with tempfile.TemporaryDirectory(prefix="actorgraph-bench-import-") as tmp:
        scratch = Installation(home=Path(tmp) / "home", lib=inst.lib, data=Path(tmp) / "data")
        work = Path(tmp) / "csv"
        work.mkdir()
        start = time.perf_counter()
        import_args = write_csv(batch, (), work)
        csv_s = time.perf_counter() - start
        start = time.perf_counter()
        proc = scratch.admin(["database", "import", "full", *import_args], cwd=work,
                             heap=getattr(args, "import_heap", "1g"))
        seconds = time.perf_counter() - start
        if proc.returncode != 0:
            raise SystemExit(f"bench.scale_neo4j: neo4j-admin import failed:\n{proc.stdout[-2000:]}{proc.stderr[-2000:]}")
    return {"csv_s": csv_s, "seconds": seconds}


def _server_process(inst, uri: str):
    """The psutil Process of the installation's running server if it is the one listening at
    ``uri``'s port on this machine, else None (a remote server's CPU time is not ours to read)."""
    from graph.stores.neo4j.bulk_import import LOCAL_HOSTS
    url, pid = urlsplit(uri), inst.server_pid()
    if pid is None or url.hostname not in LOCAL_HOSTS:
        return None
    try:
        proc = psutil.Process(pid)
        port = url.port or 7687
        listening = any(c.status == psutil.CONN_LISTEN and c.laddr.port == port for c in proc.net_connections("tcp"))
    except psutil.Error:
        return None
    return proc if listening else None


def _cpu_s(proc) -> float:
    """CPU seconds of ``proc`` (None: this process, every thread)."""
    if proc is None:
        t = os.times()
        return t.user + t.system
    t = proc.cpu_times()
    return t.user + t.system


def measure(batch: GraphBatch, args: argparse.Namespace) -> dict[str, Any]:
    """The Neo4j ingest figures for ``batch`` against the server at ``args.neo4j`` (a Bolt URI;
    None: no figures, an empty dict). Credentials and database: NEO4J_USER, NEO4J_PASSWORD,
    NEO4J_DATABASE. WIPES that database before and after. Optional ``args`` attributes:
    batch_size (1000), baseline_rows (2000), neo4j_dir (the installation, for neo4j-admin)."""
    if not getattr(args, "neo4j", None):
        return {}
    from bench.ingest import _check_count, _sample, _timed, with_events, without_events
    from graph.stores.neo4j.store import Neo4jStore, connect, relation_row
    from graph.stores.neo4j.store import _write_relations as write_relations
    from service.settings import get_settings

    inst = _installation(args)  # before minutes of writes, not after
    s = get_settings()
    batch_size = getattr(args, "batch_size", None) or 1000
    baseline_rows = getattr(args, "baseline_rows", None) or 2000
    batch = with_events(without_events(batch))  # the caller's batch keeps its own events
    n = len(batch.relations)
    load_at_start = os.getloadavg()
    driver = connect(args.neo4j, s.neo4j_user, s.neo4j_password, s.neo4j_database)
    try:
        store = Neo4jStore(driver, s.neo4j_database, batch_size=batch_size)
        store.clear()
        server = _server_process(inst, args.neo4j)
        server_cpu, client_cpu = (_cpu_s(server) if server else None), _cpu_s(None)
        batched_s = _timed(lambda: store.upsert(batch))
        client_cpu = _cpu_s(None) - client_cpu
        server_cpu = _cpu_s(server) - server_cpu if server else None
        _check_count(store, n)

        sample = _sample(batch, baseline_rows)
        store.clear()
        store.upsert(GraphBatch(actors=sample.actors, articles=sample.articles))
        rows = [(rel.type, relation_row(rel)) for rel in sample.relations.values()]

        def one_per_transaction() -> None:
            with driver.session(database=s.neo4j_database) as session:
                for rel_type, row in rows:
                    session.execute_write(write_relations, rel_type, [row])

        per_row_s = _timed(one_per_transaction)
        store.clear()  # leave no synthetic graph behind
    finally:
        driver.close()
    peer = _admin_import(batch, inst, args)
    batched, per_row = n / batched_s, len(rows) / per_row_s
    return {
        "neo4j_relations": n,
        "neo4j_events": len(batch.events),
        "neo4j_batched_s": batched_s,
        "neo4j_batched_rels_per_s": batched,
        "neo4j_batched_server_cpu_s": server_cpu,
        "neo4j_batched_client_cpu_s": client_cpu,
        "neo4j_batched_ceiling_rels_per_s": (n * os.cpu_count() / (server_cpu + client_cpu)
                                             if server_cpu is not None else None),
        "neo4j_per_row_rels_per_s": per_row,
        "neo4j_batched_vs_per_row": batched / per_row,
        "peer_neo4j_admin_import_rels_per_s": n / peer["seconds"],
        "peer_neo4j_admin_import_s": peer["seconds"],
        "peer_neo4j_admin_csv_s": peer["csv_s"],
        "neo4j_batch_size": batch_size,
        "neo4j_load_avg": {"start": load_at_start, "end": os.getloadavg(), "cores": os.cpu_count()},
        "neo4j_meets_goals": batched >= GOAL_RATE and batched / per_row >= GOAL_RATIO,
    }


def _cpu_line(f: dict[str, Any]) -> str:
    server, client = f["neo4j_batched_server_cpu_s"], f["neo4j_batched_client_cpu_s"]
    if server is None:
        return f"{'  its CPU':<38}client {client:.1f} s; the server's not measured (not the local installation's)"
    return (f"{'  its CPU':<38}server {server:.1f} s + client {client:.1f} s: at best "
            f"{f['neo4j_batched_ceiling_rels_per_s']:,.0f} rel/s on {f['neo4j_load_avg']['cores']} cores")


def _table(f: dict[str, Any]) -> str:
    return "\n".join([
        f"{f['neo4j_relations']:,} synthetic relations (bench.ingest.synthetic_batch), with {f['neo4j_events']:,} events",
        f"{'neo4j batched upsert':<38}{f['neo4j_batched_rels_per_s']:>10,.0f} rel/s  ({f['neo4j_batched_s']:.1f} s, "
        f"{f['neo4j_batch_size']:,} per UNWIND)",
        _cpu_line(f),
        f"{'neo4j one relation per transaction':<38}{f['neo4j_per_row_rels_per_s']:>10,.0f} rel/s",
        f"{'peer: neo4j-admin database import':<38}{f['peer_neo4j_admin_import_rels_per_s']:>10,.0f} rel/s  "
        f"({f['peer_neo4j_admin_import_s']:.1f} s, CSV written in {f['peer_neo4j_admin_csv_s']:.1f} s)",
        "",
        f"machine load average {f['neo4j_load_avg']['start'][0]:.1f} at the start, "
        f"{f['neo4j_load_avg']['end'][0]:.1f} at the end, on {f['neo4j_load_avg']['cores']} cores",
        f"batched/per-row: {f['neo4j_batched_vs_per_row']:.0f}x; goals >= {GOAL_RATE:,} rel/s and >= {GOAL_RATIO}x: "
        + ("met" if f["neo4j_meets_goals"] else "NOT met"),
    ])


def main(argv: list[str] | None = None) -> int:
    from bench.ingest import synthetic_batch
    parser = argparse.ArgumentParser(
        prog="python -m bench.scale_neo4j", description=__doc__.split("\n\n")[0],
        epilog="WARNING: DELETES EVERYTHING in the database at --neo4j (NEO4J_USER, NEO4J_PASSWORD, "
               "NEO4J_DATABASE) before and after it writes. Point it at a development server only.")
    parser.add_argument("--relations", type=int, default=1_000_000, help="relations to generate (default 1000000)")
    parser.add_argument("--neo4j", required=True, metavar="URI", help="Bolt URI of the server to write to")
    parser.add_argument("--neo4j-dir", type=Path, metavar="DIR",
                        help="the server's installation, for neo4j-admin (default: NEO4J_LOCAL_DIR, else ./.neo4j)")
    parser.add_argument("--seed", type=int, default=7, help="random seed of the synthetic graph")
    parser.add_argument("--batch-size", type=int, default=1000, help="rows per UNWIND (default 1000)")
    parser.add_argument("--baseline-rows", type=int, default=2000,
                        help="relations written one per transaction (default 2000)")
    parser.add_argument("--json", action="store_true", help="print one JSON object of the figures")
    args = parser.parse_args(argv)
    _installation(args)  # refuse before generating a million relations
    figures = measure(synthetic_batch(args.relations, args.seed), args)
    print(json.dumps(figures) if args.json else _table(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
