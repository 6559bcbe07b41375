#!/usr/bin/env python3
"""Articles per second through the follower (fetch, read with trafilatura, extract) beside extract
alone, on a news site served on loopback (tests/feeds/news_site.py) whose RSS feed lists --articles
pages made from the example articles (each made distinct by a line of its own).

Phases: fetch + read (the follower handing articles to a list), fetch + read + extract (to the
extractor, no store), extract alone (the same articles, already read). The per-host interval is
0 here: in real use the politeness interval (1 s per host by default) bounds a host, not the CPU.

Run from the repository root: ``python -m bench.follow [--articles 100] [--json]``.
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))


def _site(n: int):
    from tests.feeds.news_site import serve
    site, server = serve()
    pages = [p for group in site.pages.values() for p in group]
    site.pages["rss"] = [replace(pages[i % len(pages)], path=f"/bench/{i:04d}.html",
                                 body=pages[i % len(pages)].body.replace("</article>", f"<p>Archive line {i}.</p></article>"))
                         for i in range(n)]
    return site, server


def _round(site, ingest) -> tuple[float, int]:
    from loaders.feeds.fetch import Fetcher, FetchPolicy, parse_allow_private
    from loaders.feeds.follow import Follower
    from loaders.feeds.state import FollowState

    with tempfile.TemporaryDirectory() as tmp, FollowState(Path(tmp) / "follow.sqlite") as state, \
            Fetcher(FetchPolicy(host_interval=0.0, allow_private=parse_allow_private("127.0.0.0/8"))) as fetcher:
        state.add_sources([f"{site.base}/feed.rss"])
        t = time.perf_counter()
        summary = Follower(state, fetcher, ingest).round()
        assert not summary.failed, summary.failed
        return time.perf_counter() - t, summary.articles


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.follow", description=__doc__.split("\n\n")[0])
    ap.add_argument("--articles", type=int, default=100, help="pages in the feed (default: 100)")
    ap.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    args = ap.parse_args(argv)

    from loaders.pipeline import Extractor

    ex = Extractor(extra_vocab=(str(REPO / "examples" / "vocab"),))
    ex.extract([])  # the pipeline loaded before any clock starts
    site, server = _site(args.articles)
    try:
        read: list = []
        fetch_read, n = _round(site, read.extend)
        full, n2 = _round(site, lambda raws: ex.extract(raws))
    finally:
        server.shutdown()
        server.server_close()
    t = time.perf_counter()
    ex.extract(read)
    extract_alone = time.perf_counter() - t
    rate = lambda count, seconds: round(count / seconds, 1)  # noqa: E731
    result = {"articles": n, "fetch_read_per_s": rate(n, fetch_read), "fetch_read_extract_per_s": rate(n2, full),
              "extract_alone_per_s": rate(len(read), extract_alone),
              "seconds": {"fetch_read": round(fetch_read, 2), "fetch_read_extract": round(full, 2),
                          "extract_alone": round(extract_alone, 2)}}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"articles                     {n}")
        print(f"fetch + read                 {result['fetch_read_per_s']:8.1f} articles/s")
        print(f"fetch + read + extract       {result['fetch_read_extract_per_s']:8.1f} articles/s")
        print(f"extract alone                {result['extract_alone_per_s']:8.1f} articles/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
