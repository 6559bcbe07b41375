#!/usr/bin/env python3
"""Extraction on a local Dask cluster beside the one-process baseline, in one run on this machine.

Phases, on the same articles: one process (``Extractor.extract``); a local cluster of one worker
process; one of two (``loaders.cluster.extract_on``). For each cluster, the start of the scheduler
and workers and the loading of the pipeline in each worker are timed apart from the extraction, so
articles per second is the steady rate; the figure with start-up is printed too. Each cluster graph
is compared with the baseline's (it must be the same). The phases alternate for --rounds rounds
and the best steady rate of each is kept, so a burst of load from other processes on the machine
weighs on no phase alone. Then the reduce alone: resolving readings
on the client, in articles per second, the ceiling of the whole however many workers read; and
writing and reading the graph as Parquet.

The articles are the sample corpus (../shared/corpus/seeds, real news lengths) repeated to
--articles with unique ids, else (or with --corpus wire) generated short wire stories
(tests/extraction/wire.py). Prints a table, or with --json one JSON object.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
VOCAB = (str(REPO / "examples" / "vocab"),)
sys.path.insert(0, str(REPO))


def _articles(corpus: str, n: int):
    from loaders.read import RawArticle
    from tests.extraction.wire import wire_articles

    files = sorted(SEEDS.glob("*.txt")) if corpus == "seeds" else []
    if not files:
        return "wire", wire_articles(n)
    base = [f.read_text(encoding="utf-8") for f in files]
    return "seeds", [RawArticle(id=f"{i:05d}-{files[i % len(files)].name}", text=base[i % len(base)]) for i in range(n)]


def _cluster_phase(workers: int, raws, partition: int, baseline: dict) -> dict:
    from distributed import Client
    from loaders.cluster import extract_on, local_cluster, register

    t0 = time.perf_counter()
    cluster = local_cluster(workers)
    client = Client(cluster)
    started = time.perf_counter()
    register(client, extra_vocab=VOCAB)  # each worker loads spaCy and the vocabularies
    ready = time.perf_counter()
    result = extract_on(client, raws, extra_vocab=VOCAB, partition_size=partition)
    done = time.perf_counter()
    client.close()
    cluster.close()
    return {"workers": workers, "start_s": round(started - t0, 2), "load_s": round(ready - started, 2),
            "extract_s": round(done - ready, 2), "articles_per_s": round(len(raws) / (done - ready), 2),
            "with_startup_per_s": round(len(raws) / (done - t0), 2),
            "same_graph": result.batch.to_dict() == baseline}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=60)
    ap.add_argument("--corpus", choices=["seeds", "wire"], default="seeds")
    ap.add_argument("--partition", type=int, default=8, help="articles per task")
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()

    from graph.exports.parquet import read_parquet, write_parquet
    from loaders.cluster import resolve_readings
    from loaders.pipeline import Extractor

    corpus, raws = _articles(args.corpus, args.articles)
    ex = Extractor(extra_vocab=VOCAB)
    ex.extract(raws[:2])  # warm up spaCy's first-call costs
    one_s, best = float("inf"), {}
    for _ in range(max(1, args.rounds)):
        t = time.perf_counter()
        batch = ex.extract(raws)
        one_s = min(one_s, time.perf_counter() - t)
        baseline = batch.to_dict()
        for n in (1, 2):
            p = _cluster_phase(n, raws, args.partition, baseline)
            if n not in best or p["extract_s"] < best[n]["extract_s"]:
                best[n] = {**p, "same_graph": p["same_graph"] and best.get(n, p)["same_graph"]}
    phases = [best[1], best[2]]

    readings = list(ex.read_serial(raws))
    t = time.perf_counter()
    resolve_readings(ex.vocab, readings)
    resolve_s = time.perf_counter() - t

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        write_parquet(batch, tmp)
        write_s = time.perf_counter() - t
        t = time.perf_counter()
        read_parquet(tmp)
        read_s = time.perf_counter() - t

    out = {"corpus": corpus, "articles": len(raws), "chars_per_article": sum(len(r.text) for r in raws) // len(raws),
           "one_process": {"extract_s": round(one_s, 2), "articles_per_s": round(len(raws) / one_s, 2)},
           "cluster": phases,
           "reduce": {"resolve_s": round(resolve_s, 3), "articles_per_s": round(len(raws) / max(resolve_s, 1e-9))},
           "parquet": {"write_s": round(write_s, 3), "read_s": round(read_s, 3), "actors": len(batch.actors),
                       "relations": len(batch.relations)}}
    if args.json:
        print(json.dumps(out, indent=1))
        return
    print(f"{out['articles']} articles ({corpus}, {out['chars_per_article']} characters each on average), "
          f"partitions of {args.partition}, best of {args.rounds} rounds")
    print(f"{'':<22}{'articles/s':>11}{'extract s':>11}{'start s':>9}{'load s':>8}{'with start/s':>14}  same graph")
    o = out["one_process"]
    print(f"{'one process':<22}{o['articles_per_s']:>11}{o['extract_s']:>11}{'':>9}{'':>8}{'':>14}  (baseline)")
    for p in phases:
        print(f"{'cluster, ' + str(p['workers']) + ' worker' + ('s' if p['workers'] > 1 else ''):<22}"
              f"{p['articles_per_s']:>11}{p['extract_s']:>11}{p['start_s']:>9}{p['load_s']:>8}"
              f"{p['with_startup_per_s']:>14}  {'yes' if p['same_graph'] else 'NO'}")
    r = out["reduce"]
    print(f"reduce alone (resolving on the client): {r['articles_per_s']} articles/s ({r['resolve_s']} s)")
    q = out["parquet"]
    print(f"Parquet: written in {q['write_s']} s, read back in {q['read_s']} s "
          f"({q['actors']} actors, {q['relations']} relations)")


if __name__ == "__main__":
    main()
