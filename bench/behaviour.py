#!/usr/bin/env python3
"""The behavioural suite (tests/behaviour): a few hundred tiny generated articles, one capability of the
extractor each, run through the real extractor and scored per capability.

Prints one table per view: capabilities (with ``names`` summed over the names/<tradition> rows),
naming traditions over every case, document shapes of the invariance cases with the rate at which all
eight shapes of a sentence gave the same relations, the forms of stated dates, and the overall micro F1. Columns: cases, cases
passed outright, relation precision, recall, F1, false positives, false positives on negative cases,
dates right among matched relations that state one.

  --capability NAME   only that capability (a prefix: ``names`` runs every names/<tradition>)
  --verbose           each failing case: text, expected, found, missed, wrong, dates
  --json              one JSON object instead of the tables
  --ratchet           raise tests/behaviour/floors.json to today's figures less 0.05 (never lowers one)
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from tests.behaviour.cases import generate  # noqa: E402
from tests.behaviour.score import FLOORS, Report, date_failures, describe, ratchet, run, table  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--capability", help="run only this capability (or prefix, e.g. names)")
    ap.add_argument("--verbose", action="store_true", help="list each failing case")
    ap.add_argument("--json", action="store_true", help="print one JSON object")
    ap.add_argument("--ratchet", action="store_true", help="raise the test floors to today's figures less 0.05")
    args = ap.parse_args(argv)

    cases = generate()
    if args.capability:
        cases = [c for c in cases if c.capability == args.capability or c.capability.startswith(args.capability + "/")]
        if not cases:
            ap.error(f"no capability {args.capability!r}")
    start = time.perf_counter()
    report = Report(run(cases))
    seconds = time.perf_counter() - start

    if args.ratchet:
        if args.capability:
            ap.error("--ratchet measures the whole suite; drop --capability")
        old = json.loads(FLOORS.read_text(encoding="utf-8")) if FLOORS.exists() else {}
        new = ratchet(report, old)
        FLOORS.write_text(json.dumps(new, indent=1) + "\n", encoding="utf-8")
        for k, v in new.items():
            if v != old.get(k):
                print(f"floor {k}: {old.get(k, '-')} -> {v}", file=sys.stderr)

    if args.json:
        out = report.to_dict()
        out["seconds"] = round(seconds, 2)
        if args.verbose:
            out["failures"] = [describe(o) for o in report.outcomes if not o.ok or date_failures(o)]
        print(json.dumps(out, indent=2, ensure_ascii=False))
        return 0

    if args.verbose:
        for o in report.outcomes:
            if not o.ok or date_failures(o):
                print(describe(o), end="\n\n")
    print(table(report.capabilities.values(), "capability"))
    print()
    print(table(report.traditions.values(), "tradition (all cases)"))
    print()
    print(table(report.date_kinds.values(), "date phrase (all cases)"))
    if report.shapes:
        print()
        print(table(report.shapes.values(), "shape (invariance)"))
        agree, bases = report.invariance
        print(f"all shapes agree: {agree}/{bases} sentences ({agree / bases:.0%})")
    print()
    print(table([report.overall], "overall"))
    print(f"\n{len(cases)} cases in {seconds:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
