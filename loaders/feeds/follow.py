"""One round over the followed sources: fetch each (conditionally), note its new entries, fetch and
read the articles not yet ingested, and hand them to the caller's ``ingest`` in small chunks.

A failing source or article is named with its reason and the round goes on. An article is marked
ingested only after ``ingest`` returned, so a fetch or process that dies leaves nothing
half-done: the next round fetches what is still pending (see ``state``).
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable

from loaders.read import RawArticle

from loaders.feeds.fetch import FetchError, Fetcher
from loaders.feeds.sources import Entry, SourceError, is_listing, parse_listing, read_article
from loaders.feeds.state import FollowState, Source

__all__ = ["Follower", "RoundSummary"]

# Articles read before they are handed to ``ingest`` (and then marked done) as one step.
CHUNK = 10
# Sitemap indexes are followed this deep (an index of sitemaps of articles).
MAX_SITEMAP_DEPTH = 2


@dataclass
class RoundSummary:
    number: int
    sources: int = 0
    articles: int = 0        # ingested this round
    unchanged: int = 0       # sources and articles answered 304 or with a known hash
    requests: int = 0
    seconds: float = 0.0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)

    def line(self) -> str:
        failed = f", {len(self.failed)} failed" if self.failed else ""
        return (f"round {self.number}: {self.sources} sources, {self.articles} new articles ingested, "
                f"{self.unchanged} unchanged, {self.requests} requests{failed} in {self.seconds:.1f} s")


class Follower:
    def __init__(self, state: FollowState, fetcher: Fetcher, ingest: Callable[[list[RawArticle]], object],
                 log: Callable[[str], None] = lambda message: None, chunk: int = CHUNK):
        self.state, self.fetcher, self.ingest, self.log, self.chunk = state, fetcher, ingest, log, chunk
        self.rounds = 0

    def round(self) -> RoundSummary:
        self.rounds += 1
        summary = RoundSummary(self.rounds)
        start, requests = time.monotonic(), self.fetcher.requests
        self.fetcher.new_round()
        for source in self.state.sources():
            summary.sources += 1
            self._source(source, summary)
        summary.seconds = time.monotonic() - start
        summary.requests = self.fetcher.requests - requests
        return summary

    def _fail(self, summary: RoundSummary, url: str, reason: str) -> None:
        summary.failed.append((url, reason))
        self.log(f"{url}: {reason}")

    def _source(self, src: Source, summary: RoundSummary) -> None:
        try:
            got = self.fetcher.fetch(src.url, src.etag, src.last_modified)
        except FetchError as exc:
            self._fail(summary, src.url, exc.reason)
            self.state.record_source(src.url, status="failed", error=exc.reason)
            got = None
        kind, note, listed = src.kind, None, 0
        if got is not None and (got.status == 304 or got.hash == src.hash):
            summary.unchanged += 1
        elif got is not None:
            if is_listing(got):
                try:
                    listing = parse_listing(got)
                    entries = self._expand(listing.entries if listing.kind != "sitemapindex" else [], listing,
                                           summary, depth=1)
                except SourceError as exc:
                    self._fail(summary, src.url, str(exc))
                    self.state.record_source(src.url, status="failed", error=str(exc))
                    return
                kind, note = listing.kind, listing.note or None
                listed = self.state.add_entries(src.url, entries)
            else:  # the source is an article page itself
                kind = "page"
                self.state.add_entries(src.url, [Entry(src.url)])
                self.state.mark(src.url, "pending", source=src.url)
        ingested, failures = self._articles(src, summary, page=got if kind == "page" else None)
        if got is None:
            return
        status = "failed" if failures and not ingested else "ok"
        error = note or (f"{failures} articles failed (see the log)" if failures else None)
        self.state.record_source(src.url, status=status if got.status == 200 else "unchanged", error=error,
                                 kind=kind, etag=got.etag, last_modified=got.last_modified,
                                 hash=got.hash or src.hash, validators=True, articles=ingested)
        self.log(f"{src.url}: {kind or 'source'}, {'not modified' if got.status == 304 else f'{listed} new entries'}, "
                 f"{ingested} articles ingested" + (f", {failures} failed" if failures else ""))

    def _expand(self, entries: list[Entry], listing, summary: RoundSummary, depth: int) -> list[Entry]:
        """A sitemap index's sitemaps fetched (conditionally) and their entries added in."""
        if listing.kind != "sitemapindex":
            return entries
        out = list(entries)
        for child in listing.entries:
            etag, last_modified, known = self.state.validators(child.url)
            try:
                got = self.fetcher.fetch(child.url, etag, last_modified)
                if got.status == 304 or got.hash == known:
                    continue
                sub = parse_listing(got)
            except (FetchError, SourceError) as exc:
                self._fail(summary, child.url, getattr(exc, "reason", str(exc)))
                continue
            if sub.kind == "sitemapindex" and depth < MAX_SITEMAP_DEPTH:
                out += self._expand([], sub, summary, depth + 1)
            elif sub.kind != "sitemapindex":
                out += sub.entries
            self.state.mark(child.url, "listing", source=child.url, etag=got.etag,
                            last_modified=got.last_modified, hash=got.hash)
        return out

    def _articles(self, src: Source, summary: RoundSummary, page=None) -> tuple[int, int]:
        """Fetch, read and ingest the source's pending entries; (ingested, failed)."""
        ingested = failed = 0
        batch: list[tuple[Entry, RawArticle, object]] = []
        for entry in self.state.pending(src.url):
            etag, last_modified, known = self.state.validators(entry.url)
            try:
                got = page if page is not None and entry.url == src.url else \
                    self.fetcher.fetch(entry.url, etag, last_modified)
                if got.status == 304 or (got.hash and got.hash == known):
                    summary.unchanged += 1
                    self.state.mark(entry.url, "ingested", source=src.url)
                    continue
                if same := self.state.hash_known(got.hash, entry.url):
                    summary.unchanged += 1
                    self.state.mark(entry.url, "duplicate", source=src.url, error=f"the same page as {same}",
                                    hash=got.hash)
                    continue
                raw = read_article(got, entry)
            except (FetchError, SourceError) as exc:
                failed += 1
                reason = getattr(exc, "reason", str(exc))
                self._fail(summary, entry.url, reason)
                self.state.mark(entry.url, "failed", source=src.url, error=reason)
                continue
            batch.append((entry, raw, got))
            if len(batch) >= self.chunk:
                ingested += self._ingest(batch, src, summary)
                batch = []
        if batch:
            ingested += self._ingest(batch, src, summary)
        return ingested, failed

    def _ingest(self, batch, src: Source, summary: RoundSummary) -> int:
        self.ingest([raw for _, raw, _ in batch])  # raises if the store fails: nothing below is marked
        self.state.mark_many([e.url for e, _, _ in batch], "ingested", source=src.url,
                             each={e.url: (got.etag, got.last_modified, got.hash) for e, _, got in batch})
        summary.articles += len(batch)
        return len(batch)
