"""Ingest and re-extraction for curation: each article extracted alone, so the store can keep its
text and its own raw contribution (``graph.curation``) beside the curated graph.

The CLI (``ingest``, ``reextract``) and the API (``POST /articles``) share these functions.
"""
from __future__ import annotations

import getpass
import os
from typing import Any, Callable, Iterable

from graph.curation import ArticleSource, Curation, graph_diff, rebuild_graph
from graph.model import GraphBatch
from graph.store import GraphStore, UpsertResult

__all__ = ["extract_sources", "ingest", "reextract", "cli_user"]


def cli_user() -> str:
    """Who a CLI judgement is recorded as: $USER, else the login name."""
    user = os.environ.get("USER")
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return f"cli:{user}"


def extract_sources(extractor: Any, raws: Iterable[Any], seed: GraphBatch, curation: Curation,
                    progress: Callable[[Any], None] | None = None) -> list[ArticleSource]:
    """Extract each article alone against the actors of ``seed`` (the store's) and of the articles
    before it, so new sightings join known actors; ``seed`` grows with each article (curated)."""
    out = []
    for raw in raws:
        text = raw.text
        batch = extractor.extract([raw], existing=curation.for_resolver(seed.actors.values()))
        meta = {"title": raw.title, "published": raw.published, "source": raw.source, "url": raw.url}
        out.append(ArticleSource(id=raw.id, text=text, meta=meta, raw=batch))
        seed.update(curation.apply(GraphBatch.from_dict(batch.to_dict())))
        if progress:
            progress(raw)
    return out


def ingest(store: GraphStore, extractor: Any, raws: Iterable[Any],
           progress: Callable[[Any], None] | None = None) -> UpsertResult:
    """Extract articles and upsert them in one batch, keeping their texts; judgements applied."""
    seed = GraphBatch()
    seed.actors = {a.id: a for a in store.actors()}
    sources = extract_sources(extractor, raws, seed, store.curation(), progress)
    batch = GraphBatch.merged(GraphBatch.from_dict(s.raw.to_dict()) for s in sources)
    return store.upsert(batch, sources)


def reextract(store: GraphStore, extractor: Any, since: str | None = None, dry_run: bool = False,
              progress: Callable[[Any], None] | None = None) -> tuple[dict[str, list[str]], int]:
    """Re-run the extractor over the kept texts (those ingested at or after ``since``, an ISO date)
    in ingest order, replacing each article's contribution; judgements applied. Returns the
    difference to the current graph and the number of articles re-extracted; ``dry_run`` writes nothing."""
    from loaders.read import RawArticle  # the loaders come with the extractor

    sources = store._curatable()
    judgements = store.judgements()
    curation = Curation(judgements)
    chosen = [s for s in sources if since is None or s.ingested[: len(since)] >= since]
    chosen_ids = {s.id for s in chosen}
    # The articles left alone seed the resolver, as their actors are in the store for a clean ingest.
    seed = rebuild_graph([s for s in sources if s.id not in chosen_ids], judgements)
    fresh = {}
    for s in chosen:
        raw = RawArticle(id=s.id, text=s.text, **{k: s.meta.get(k) for k in ("title", "published", "source", "url")})
        new = extract_sources(extractor, [raw], seed, curation, progress)[0]
        new.ingested = s.ingested
        fresh[s.id] = new
    old_graph = rebuild_graph(sources, judgements)
    new_graph = rebuild_graph([fresh.get(s.id, s) for s in sources], judgements)
    diff = graph_diff(old_graph, new_graph)
    if not dry_run and fresh:
        store.replace_sources(fresh.values())
    return diff, len(fresh)
