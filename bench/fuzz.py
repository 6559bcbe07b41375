#!/usr/bin/env python3
"""A long fuzzing run of the extractor: ``--examples N`` mutated news-like texts (the Hypothesis
strategy of tests/extraction/fuzz_texts.py), each extracted in this process; an exception, or a graph that is
not well-formed, is recorded and the run goes on. Prints the examples run, the exceptions found
(grouped by type and the line that raised, with the shortest input of each) and the time taken.
Exits 1 if any was found.

    .venv/bin/python bench/fuzz.py --examples 3000 [--seed 1] [--json] [--found FILE]
"""
from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from hypothesis import HealthCheck, given, seed as with_seed, settings  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--examples", type=int, default=3000, help="texts to try (default 3000)")
    ap.add_argument("--seed", type=int, default=0, help="Hypothesis seed, for a run that can be repeated")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--found", type=Path, metavar="FILE",
                    help="write each kind found with its shortest input, whole, as JSON (to reproduce it)")
    args = ap.parse_args()

    from loaders.pipeline import Extractor
    from loaders.read import RawArticle
    from tests.extraction.fuzz_texts import check_well_formed, news_texts

    ex = Extractor(extra_vocab=(str(Path(__file__).resolve().parents[1] / "examples" / "vocab"),))
    found: dict[str, dict] = {}
    stats = {"examples": 0, "chars": 0}

    @with_seed(args.seed)
    @settings(max_examples=args.examples, deadline=None, database=None, derandomize=False,
              suppress_health_check=list(HealthCheck))
    @given(text=news_texts())
    def run(text: str) -> None:
        stats["examples"] += 1
        stats["chars"] += len(text)
        try:
            batch = ex.extract([RawArticle(id="fuzz.txt", text=text, published="2026-03-14")])
            check_well_formed(batch, "fuzz.txt", text)
        except Exception as exc:  # noqa: BLE001 - every failure is what is counted
            cause = exc.__cause__.__cause__ or exc.__cause__ if exc.__cause__ is not None else exc
            frame = traceback.extract_tb(cause.__traceback__)[-1]
            key = f"{type(cause).__name__} at {Path(frame.filename).name}:{frame.lineno}"
            item = found.setdefault(key, {"count": 0, "message": str(cause)[:200], "shortest": text})
            item["count"] += 1
            if len(text) < len(item["shortest"]):
                item["shortest"] = text

    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    failures = sum(v["count"] for v in found.values())
    if args.found:
        args.found.write_text(json.dumps(found, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.json:
        print(json.dumps({"examples": stats["examples"], "exceptions": failures, "kinds": found,
                          "elapsed_s": round(elapsed, 1), "chars": stats["chars"], "seed": args.seed},
                         ensure_ascii=False, indent=1))
    else:
        print(f"examples run:     {stats['examples']} (seed {args.seed}, {stats['chars']:,} characters)")
        print(f"exceptions found: {failures} ({len(found)} kinds)")
        print(f"elapsed:          {elapsed:.1f} s ({elapsed / max(1, stats['examples']) * 1000:.0f} ms an example)")
        for key, v in sorted(found.items(), key=lambda kv: -kv[1]["count"]):
            print(f"  {v['count']:>5}  {key}: {v['message']}\n         shortest input: {v['shortest'][:300]!r}")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
