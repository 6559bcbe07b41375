"""Start-up time of the CLI: ``actorgraph --help``, ``actors NAME`` and ``stats`` beside a bare
``python -c pass``, each the median of several runs in a fresh process (what a user waits for).

Run from the repository root: ``python -m bench.cli [--runs 7] [--json]``.

The commands read a small embedded store made for the run (the sample graph of the tests) in a
temporary folder; nothing else is read or written. The goal is under 1 s for each: a command imports
what it needs when it needs it (no networkx, spaCy or FastAPI to print help or count nodes).
"""
from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from graph.stores.embedded.store import EmbeddedStore  # noqa: E402
from tests.sample_graph import sample_batch  # noqa: E402

COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "actorgraph --help": [sys.executable, "-m", "service.cli", "--help"],
    "actorgraph actors Brezka": [sys.executable, "-m", "service.cli", "actors", "Brezka"],
    "actorgraph stats": [sys.executable, "-m", "service.cli", "stats"],
}


def _time(argv: list[str], env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=7, help="runs per command (default 7)")
    ap.add_argument("--json", action="store_true", help="print JSON instead of a table")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / "data"
        with EmbeddedStore(data / "graph.json") as store:
            store.upsert(sample_batch())
        env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data)}
        figures = {name: _time(argv, env, args.runs) for name, argv in COMMANDS.items()}
    if args.json:
        print(json.dumps({k: round(v, 3) for k, v in figures.items()}, indent=1))
    else:
        base = figures["python -c pass"]
        for name, seconds in figures.items():
            print(f"{name:<28} {seconds:6.3f} s" + ("" if name.startswith("python") else f"   (+{seconds - base:.3f} s)"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
