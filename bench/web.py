"""Time to first paint of the explorer page (``/``) in headless Chromium, on synthetic ego networks.

Run from the repository root: ``python -m bench.web [--sizes 200 5000] [--runs 5] [--json]``.

Builds, in a temporary embedded store, one hub per size with that many actors within one tie (a
hub's dated, cited meetings and visits, and ties among its neighbours so it is not a bare star),
serves the app with uvicorn on loopback and opens ``/#actor=<hub>&depth=1`` in Debian's Chromium
(driven by Playwright, as the tests do). For each size it prints the median over the runs of:

- ``fetch``: the GET /subgraph the page makes (resource timing);
- ``paint``: from the page asking for the network to the first frame with it drawn (fetch, JSON,
  Cytoscape.js build, layout, render), the figure the goal of < 1 s for 200 nodes is about;
- ``load+paint``: from navigation start (HTML, scripts, config) to that frame;
- ``window``: moving the date slider one step to the first frame redrawn (the view stays usable);
- ``pan``: mean frame time while panning 30 frames.
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
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from graph.stores.embedded.store import EmbeddedStore  # noqa: E402
from graph.model import (Actor, Article, GraphBatch, NodeType, Provenance, Relation, RelType,  # noqa: E402
                         actor_id)
from tests.web.support import chromium_path, free_port  # noqa: E402

TYPES = [NodeType.PERSON, NodeType.PERSON, NodeType.PERSON, NodeType.ARMED_FORCE, NodeType.STATE,
         NodeType.ORGANIZATION, NodeType.FACILITY, NodeType.PLACE]


def hub_batch(size: int, rng: random.Random) -> tuple[GraphBatch, str]:
    """A hub and size - 1 actors around it: every one tied to the hub, a quarter more ties among them."""
    b = GraphBatch()
    hub = Actor(id=actor_id(NodeType.PERSON, f"Hub {size}"), type=NodeType.PERSON, name=f"Hub {size}")
    b.add_actor(hub)
    others = []
    for i in range(1, size):
        t = TYPES[i % len(TYPES)]
        a = Actor(id=actor_id(t, f"Actor {size} {i}"), type=t, name=f"Actor {size} {i}")
        b.add_actor(a)
        others.append(a)
    art = f"bench-{size}-{{}}.txt"

    def relate(src: Actor, dst: Actor, n: int) -> None:
        event = dst.type in (NodeType.PERSON, NodeType.FACILITY, NodeType.STATE)
        rtype = (RelType.MET if dst.type == NodeType.PERSON else RelType.VISITED) if event else RelType.MEMBER_OF
        date = f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}" if event else None
        article = art.format(n // 50)
        sentence = f"{src.name} and {dst.name} are tied in this synthetic sentence {n}."
        b.add_relation(Relation(source=src.id, target=dst.id, type=rtype, date=date,
                                provenance=[Provenance(article, sentence, 0, len(sentence), 0.9)]))

    for n, a in enumerate(others):
        relate(hub, a, n)
    for n in range(size // 4):
        x, y = rng.sample(others, 2)
        relate(x, y, size + n)
    for k in range(size // 50 + 2):
        b.add_article(Article(id=art.format(k), title=f"Synthetic brief {k}", published="2025-12-31",
                              source="Bench Wire"))
    return b, hub.id


MEASURE_WINDOW = """async () => {
  const until = document.getElementById('until');
  const t0 = performance.now();
  until.value = String(Number(until.value) - 1);
  until.dispatchEvent(new Event('input'));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
  return performance.now() - t0;
}"""

MEASURE_PAN = """async () => {
  const cy = actorgraphExplorer.cy, frames = 30;
  const t0 = performance.now();
  for (let i = 0; i < frames; i++) {
    cy.panBy({x: 4, y: 2});
    await new Promise((r) => requestAnimationFrame(r));
  }
  return (performance.now() - t0) / frames;
}"""


def measure(browser, base: str, hub: str, runs: int) -> dict[str, float | int]:
    rows: dict[str, list[float]] = {k: [] for k in ("fetch", "build", "layout", "draw", "paint", "load+paint",
                                                     "window", "pan")}
    nodes = edges = 0
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 1400, "height": 900})
        page = context.new_page()
        page.goto(f"{base}/#actor={hub}&depth=1")
        page.wait_for_selector("#cy[data-paint-ms]", timeout=120_000)
        rows["paint"].append(float(page.get_attribute("#cy", "data-paint-ms")))
        rows["load+paint"].append(float(page.get_attribute("#cy", "data-since-navigation-ms")))
        rows["fetch"].append(page.evaluate(
            "performance.getEntriesByType('resource').filter(e => e.name.includes('/subgraph?'))[0].duration"))
        marks = page.evaluate("Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime]))")
        rows["build"].append(marks["ag:built"] - marks["ag:fetched"])
        rows["layout"].append(marks["ag:laid-out"] - marks["ag:built"])
        rows["draw"].append(marks["ag:painted"] - marks["ag:laid-out"])
        nodes = page.evaluate("actorgraphExplorer.cy.nodes().length")
        edges = page.evaluate("actorgraphExplorer.cy.edges().length")
        rows["window"].append(page.evaluate(MEASURE_WINDOW))
        rows["pan"].append(page.evaluate(MEASURE_PAN))
        context.close()
    return {"nodes": nodes, "edges": edges, **{k: round(statistics.median(v), 1) for k, v in rows.items()}}


class serve_child:
    """``actorgraph serve`` on the store in ``data`` in a child process: the server does not share
    this process's GIL with Playwright's client, as it would in a thread."""

    def __init__(self, data: Path, max_nodes: int):
        self.port = free_port()
        env = {**os.environ, "ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data),
               "ACTORGRAPH_SUBGRAPH_MAX_NODES": str(max_nodes), "PYTHONPATH": str(REPO)}
        self.proc = subprocess.Popen([sys.executable, "-m", "service.cli", "serve", "--port", str(self.port)],
                                     env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)

    def __enter__(self) -> str:
        base = f"http://127.0.0.1:{self.port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"the server exited: {self.proc.stderr.read().decode()[-2000:]}")
            try:
                if httpx.get(f"{base}/health", timeout=2).status_code == 200:
                    return base
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        raise RuntimeError("the server did not start")

    def __exit__(self, *exc) -> None:
        self.proc.terminate()
        self.proc.wait(10)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[200, 5000])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="one JSON object instead of the table")
    args = parser.parse_args(argv)
    path = chromium_path()
    if path is None:
        parser.error("no Chromium: install Debian's chromium (scripts/apt-packages.txt) or set ACTORGRAPH_CHROMIUM")
    rng = random.Random(14)
    from playwright.sync_api import sync_playwright
    results = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        store = EmbeddedStore(Path(tmp) / "graph.json")
        hubs = {}
        for size in args.sizes:
            batch, hubs[size] = hub_batch(size, rng)
            store.upsert(batch)
        store.close()
        browser = p.chromium.launch(executable_path=path, args=["--no-sandbox"])
        with serve_child(Path(tmp), max(args.sizes)) as base:
            for size in args.sizes:
                results[size] = measure(browser, base, hubs[size], args.runs)
        browser.close()
    load = [round(x, 1) for x in os.getloadavg()]
    if args.json:
        print(json.dumps({"runs": args.runs, "cpus": os.cpu_count(), "load": load, "results": results}))
        return 0
    print(f"explorer page, headless Chromium, median of {args.runs} runs (ms); "
          f"{os.cpu_count()} CPUs, load average {load[0]} / {load[1]} / {load[2]}")
    cols = ("fetch", "build", "layout", "draw", "paint", "load+paint", "window", "pan")
    print(f"{'view':>12} {'edges':>6} " + " ".join(f"{c:>10}" for c in cols))
    for size, r in results.items():
        print(f"{r['nodes']:>6} nodes {r['edges']:>6} " + " ".join(f"{r[c]:>10}" for c in cols))
    print("paint = fetch + JSON + build + layout + draw (from the request to the first frame); pan is per frame")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
