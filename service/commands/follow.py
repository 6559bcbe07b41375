"""``actorgraph follow [URL...] [--every 15m] [--once]``: follow feeds, sitemaps and article pages.

Each URL (an RSS/Atom feed, a news sitemap or an article page) is added to the followed sources
(kept in follow.sqlite in the data folder); every round fetches each source politely (robots.txt,
one request per host per ACTORGRAPH_FETCH_HOST_INTERVAL seconds, conditional GET), reads the
articles not seen before with trafilatura and ingests them into the store. A failing source is
named with its reason and the others go on; each round ends with a one-line summary. Stop it at
any time: the next run resumes with what was still pending.
"""
from __future__ import annotations

import argparse
import re
import sys
import time

from service.commands.common import STORE_CHOICES, CommandError, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("follow", help="follow RSS/Atom feeds, news sitemaps and article pages into the store",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("urls", nargs="*", metavar="URL", help="feeds, sitemaps or article pages to follow from now "
                                                         "on (default: the sources already followed)")
    p.add_argument("--every", type=duration, default=15 * 60.0, metavar="DURATION",
                   help="time between the starts of two rounds: 90s, 15m, 2h (default 15m)")
    p.add_argument("--once", action="store_true", help="one round, then exit (1 if a source or article failed)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES,
                   help="store to add to (default: ACTORGRAPH_STORE, else embedded)")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder, repeatable (default: none beyond ACTORGRAPH_VOCAB)")
    p.set_defaults(func=run)


def duration(text: str) -> float:
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([smhd]?)\s*", text)
    if not m or float(m.group(1)) <= 0:
        raise argparse.ArgumentTypeError(f"not a duration: {text!r} (say 90s, 15m, 2h)")
    return float(m.group(1)) * {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}[m.group(2)]


def check_urls(urls: list[str]) -> list[str]:
    """The URLs as given, or CommandError naming one that is not http(s)."""
    from urllib.parse import urlsplit
    for url in urls:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise CommandError(f"not an http(s) URL: {url!r}")
    return urls


def make_ingest(store, extractor):
    """The follower's ingest: drop texts the store already holds, extract the rest and upsert them."""
    from graph.model import content_hash
    from loaders.dedupe import Dedupe
    from service.curation import ingest

    def ingest_articles(raws: list) -> int:
        dedupe = Dedupe(known=store.articles_by_content(content_hash(r.text) for r in raws))
        fresh = list(dedupe.filter(raws))
        if fresh:
            ingest(store, extractor, fresh)
        return len(fresh)
    return ingest_articles


def _wait(seconds: float) -> bool:
    """Sleep until the next round; False if started by `serve --follow` and the service is gone."""
    import os
    parent = os.environ.get("ACTORGRAPH_FOLLOW_PARENT")
    end = time.monotonic() + max(0.0, seconds)
    while (left := end - time.monotonic()) > 0:
        if parent and os.getppid() != int(parent):
            return False
        time.sleep(min(left, 1.0))
    return not (parent and os.getppid() != int(parent))


def run(args: argparse.Namespace) -> int:
    from graph.stores.interface import StoreError
    from loaders.feeds.fetch import Fetcher
    from loaders.feeds.follow import Follower
    from loaders.feeds.state import FollowState
    from service.commands.ingest import _extractor
    from service.settings import get_settings

    settings = get_settings()
    urls = check_urls(args.urls)
    say = lambda message: print(f"follow: {message}", file=sys.stderr, flush=True)  # noqa: E731
    with FollowState(settings.follow_state) as state:
        for url in state.add_sources(urls):
            say(f"now following {url}")
        if not state.sources():
            if args.once:
                raise CommandError("nothing to follow: give feed, sitemap or article URLs")
            say("no sources yet: `actorgraph follow URL` or POST /feeds adds them; each round looks again")
        try:
            store = settings.open_store(args.store)
        except StoreError as exc:
            raise CommandError(str(exc)) from None
        with store:
            args.workers = 1  # the follower reads a few articles at a time: no worker processes
            extractor = _extractor(args, settings)
            if extractor is None:
                return 2
            with extractor, Fetcher(settings.fetch_policy()) as fetcher:
                follower = Follower(state, fetcher, make_ingest(store, extractor), log=say)
                while True:
                    started = time.monotonic()
                    try:
                        summary = follower.round()
                    except StoreError as exc:  # nothing of the failed chunk was marked done
                        if args.once:
                            raise
                        say(f"the store failed ({exc}); the articles pending are tried again next round")
                    else:
                        say(summary.line())
                        if args.once:
                            return 1 if summary.failed else 0
                    if not _wait(args.every - (time.monotonic() - started)):
                        say("the service stopped: so does its follower")
                        return 0
