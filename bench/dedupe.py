#!/usr/bin/env python3
"""What identifying articles by content costs: ``Dedupe.filter`` (a content hash per article)
against extracting the same articles, side by side in one run on the example articles (repeated
to --articles, each made distinct by a line of its own). Prints a table, or with --json one object.

Run from the repository root: ``python -m bench.dedupe [--articles 200] [--json]``.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _raws(n: int):
    from loaders.pipeline import read_articles
    base = list(read_articles([REPO / "examples" / "articles"], []))
    return [(f"{i:04d}_{r.id}", f"{r.text}\nArchive line {i}.") for i, r in ((i, base[i % len(base)]) for i in range(n))]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.dedupe", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=200, help="articles per phase (default: 200)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)

    from loaders.dedupe import Dedupe
    from loaders.pipeline import Extractor
    from loaders.read import RawArticle

    texts = _raws(args.articles)
    ex = Extractor(extra_vocab=(str(REPO / "examples" / "vocab"),))
    t = time.perf_counter()
    kept = list(Dedupe().filter(RawArticle(id=i, text=tx) for i, tx in texts))
    hashing = time.perf_counter() - t
    assert len(kept) == len(texts)
    t = time.perf_counter()
    ex.extract(RawArticle(id=i, text=tx) for i, tx in texts)
    extracting = time.perf_counter() - t
    result = {"articles": len(texts), "dedupe_seconds": round(hashing, 5), "extract_seconds": round(extracting, 3),
              "ratio_dedupe_to_extract": round(hashing / extracting, 6)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"articles            {result['articles']}")
        print(f"dedupe (hash)       {result['dedupe_seconds']} s")
        print(f"extract             {result['extract_seconds']} s")
        print(f"ratio dedupe/extract {result['ratio_dedupe_to_extract']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
