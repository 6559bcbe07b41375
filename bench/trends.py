"""What corroboration and "who rose" cost on a large synthetic graph (embedded store), side by side.

Run from the repository root: ``python -m bench.trends [--relations N] [--json]``.

Builds ``bench.ingest``'s synthetic graph (people in forces in states, dated and cited events,
2019-2025) with its articles spread over 20 outlets, ingests it into a temporary embedded store and
times, in one run (the least CPU time of ``--repeat`` runs):

- the projection the read routes start from, plain and with ``min_sources=2`` (which also reads
  every citation's article id and every article): the ratio is what the filter costs;
- one degree centrality of the whole graph, ``graph.analytics.trends.trend`` by quarter (one centrality per
  bucket) and ``graph.analytics.trends.risers`` from 2024 to 2025 (two windows): ratios to the one centrality;
- the graph JSON (``GraphBatch.to_dict``) with each edge's corroboration, against the edges'
  ``Relation.to_dict`` alone (the shape before corroboration).
"""
from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

DEFAULT_RELATIONS = 200_000
OUTLETS = 20


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    """The least CPU time of ``repeat`` runs in seconds, and the last result. CPU time, not wall
    time: everything timed here computes in this process, and on a shared machine the wall clock
    mostly measures the neighbours."""
    times, out = [], None
    for _ in range(repeat):
        t = time.process_time()
        out = fn()
        times.append(time.process_time() - t)
    return min(times), out


def run(relations: int, repeat: int, seed: int = 7) -> dict[str, Any]:
    from bench.ingest import synthetic_batch
    from graph.analytics import algorithms, trends
    from graph.stores.embedded.store import EmbeddedStore
    from graph.stores.interface import RelationFilter

    batch = synthetic_batch(relations, seed=seed)
    for i, art in enumerate(sorted(batch.articles)):
        batch.articles[art].source = f"Bench Wire {i % OUTLETS}"
    out: dict[str, Any] = {"relations": len(batch.relations), "actors": len(batch.actors),
                           "articles": len(batch.articles), "outlets": OUTLETS, "repeat": repeat}
    with tempfile.TemporaryDirectory() as tmp, EmbeddedStore(Path(tmp) / "graph.sqlite") as store:
        store.upsert(batch)
        store.version()  # catches the in-memory cache up with the upsert, outside the timings
        t_plain, G = best(store.projection, repeat)
        t_sourced, G2 = best(lambda: store.projection(RelationFilter(min_sources=2)), repeat)
    out["projection_s"], out["projection_min_sources_s"] = round(t_plain, 3), round(t_sourced, 3)
    out["projection_min_sources_ratio"] = round(t_sourced / t_plain, 2)
    out["edges"], out["edges_min_sources_2"] = G.number_of_edges(), G2.number_of_edges()

    t_one, _ = best(lambda: algorithms.centrality(algorithms.undirected(G), "degree"), repeat)
    t_trend, table = best(lambda: trends.trend(G, "degree", "quarter"), repeat)
    t_risers, found = best(lambda: trends.risers(G, "degree", ("2024", "2024"), ("2025", "2025")), repeat)
    out.update(centrality_s=round(t_one, 3), trend_quarter_s=round(t_trend, 3), buckets=len(table.buckets),
               trend_ratio=round(t_trend / t_one, 2), risers_s=round(t_risers, 3), risers=len(found),
               risers_ratio=round(t_risers / t_one, 2))

    t_json, _ = best(batch.to_dict, repeat)
    t_edges, _ = best(lambda: [batch.relations[k].to_dict() for k in sorted(batch.relations)], repeat)
    out.update(graph_json_s=round(t_json, 3), edges_only_s=round(t_edges, 3),
               graph_json_ratio=round(t_json / t_edges, 2))
    return out


def table(r: dict[str, Any]) -> str:
    rows = [
        ("graph", f"{r['relations']:,} relations, {r['actors']:,} actors, {r['articles']:,} articles, "
                  f"{r['outlets']} outlets"),
        ("projection", f"{r['projection_s']:.3f} s ({r['edges']:,} edges)"),
        ("projection, min_sources=2", f"{r['projection_min_sources_s']:.3f} s ({r['edges_min_sources_2']:,} edges), "
                                      f"{r['projection_min_sources_ratio']}x"),
        ("degree centrality, whole graph", f"{r['centrality_s']:.3f} s"),
        ("trend by quarter", f"{r['trend_quarter_s']:.3f} s ({r['buckets']} buckets), {r['trend_ratio']}x"),
        ("risers 2024 -> 2025", f"{r['risers_s']:.3f} s ({r['risers']:,} risers), {r['risers_ratio']}x"),
        ("graph JSON with corroboration", f"{r['graph_json_s']:.3f} s, {r['graph_json_ratio']}x the edges alone "
                                          f"({r['edges_only_s']:.3f} s)"),
    ]
    width = max(len(k) for k, _ in rows)
    return "\n".join(f"{k:<{width}}  {v}" for k, v in rows)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.trends", description=__doc__.split("\n\n")[0])
    p.add_argument("--relations", type=int, default=DEFAULT_RELATIONS, help="graph size (default: %(default)s)")
    p.add_argument("--repeat", type=int, default=3, help="runs of each measure, the best kept (default: 3)")
    p.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = p.parse_args(argv)
    result = run(args.relations, args.repeat)
    print(json.dumps(result) if args.json else table(result))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
