"""Ingest and re-extraction for curation: each article extracted alone, so the store can keep its
text and its own raw contribution (``graph.curation``) beside the curated graph.

The CLI (``ingest``, ``reextract``) and the API (``POST /articles``) share these functions.
"""
from __future__ import annotations

import getpass
import os
import threading
import weakref
from typing import Any, Callable, Iterable

from graph.curation import ArticleSource, Curation, graph_diff, rebuild_graph
from graph.model import Actor, GraphBatch, content_hash
from graph.stores.interface import GraphStore, UpsertResult
from loaders.failure import resolve_or_record
from service.seed_index import NameIndex

__all__ = ["Seed", "extract_sources", "resolve_readings", "ingest", "reextract", "cli_user", "write_lock",
           "syndication_of", "Interrupted", "current_syndication", "kept_syndication"]

# One write at a time in the service (ingest, judgements, deletions, the name index it warms): the
# stores merge aliases read-modify-write, and the extractor is shared.
write_lock = threading.Lock()


def cli_user() -> str:
    """Who a CLI judgement is recorded as: $USER, else the login name."""
    user = os.environ.get("USER")
    if not user:
        try:
            user = getpass.getuser()
        except (KeyError, OSError):
            user = "unknown"
    return f"cli:{user}"


class Seed:
    """The actors new articles are resolved against (the store's, then each extracted article's),
    handed to the extractor per article: only those with a name or alias found in the article's
    folded text, since the resolver's set-up costs time in the number of actors it is given and
    one can only join a name the text holds.

    The store's actors come as a ``NameIndex`` (``service.seed_index``: the one kept with the
    store for POST /articles, or one made from ``actors``), read only; the articles extracted in
    this run go to an index of the seed's own, which takes precedence."""

    def __init__(self, actors: Iterable[Actor] = (), curation: Curation | None = None, *,
                 index: NameIndex | None = None):
        self.base = index if index is not None else NameIndex(actors)
        self.curation = curation if curation is not None else Curation([])
        self.own = NameIndex()  # this run's actors, and copies of stored ones they merged into

    def for_text(self, text: str) -> list[Actor]:
        from loaders.vocab import fold
        folded_text = fold(text)
        in_own = self.own.find(folded_text) if self.own.actors else set()
        stored = self.base.find(folded_text) | {i for i in in_own if i in self.base.actors}
        new = sorted((i for i in in_own if i not in self.base.actors), key=self.own.position.get)
        # The store's actors in their order (by id, then later writes), then this run's in arrival
        # order: the resolver lets the first actor holding a name keep it.
        out = [self.own.actors.get(i) or self.base.actors[i] for i in sorted(stored, key=self.base.position.get)]
        out += [self.own.actors[i] for i in new]
        return self.curation.for_resolver(out)

    def add(self, batch: GraphBatch) -> None:
        """Fold in an article's contribution (judgements applied, as the store will hold it)."""
        for a in self.curation.apply(GraphBatch.from_dict(batch.to_dict())).actors.values():
            have = self.own.actors.get(a.id)
            if have is None and a.id in self.base.actors:
                have = _copy(self.base.actors[a.id])  # the shared index is never changed here
            if have is None:
                have = a
            else:
                have.merge(a)
            self.own.put(have)


def _copy(a: Actor) -> Actor:
    return Actor(id=a.id, type=a.type, name=a.name, aliases=list(a.aliases), rank=a.rank, title=a.title)


class Interrupted(Exception):
    """Ctrl-C during ``ingest``: ``stored`` articles (those extracted before it) were kept."""

    def __init__(self, stored: int):
        super().__init__(f"interrupted after storing {stored} articles")
        self.stored = stored


def syndication_of(store: GraphStore):
    """The near-duplicate index (``loaders.syndication``) of the store's kept articles, their
    stored clusters kept."""
    from loaders.syndication import Syndication

    def kept():
        for s in store.sources():
            art = s.raw.articles.get(s.id)
            yield s.id, s.text, art.cluster if art is not None else None
    return Syndication.of(kept())


# The service's near-duplicate index per store, with the store version it matches: POST /articles
# reuses it while nobody else wrote to the store, instead of reading every kept text per request.
_syndication: "weakref.WeakKeyDictionary[GraphStore, tuple[str, Any]]" = weakref.WeakKeyDictionary()


def current_syndication(store: GraphStore) -> Any:
    """The store's near-duplicate index as of its current version (call under ``write_lock``)."""
    have = _syndication.get(store)
    version = store.version()
    if have is None or have[0] != version:
        have = (version, syndication_of(store))
        _syndication[store] = have
    return have[1]


def kept_syndication(store: GraphStore, index: Any, failed: bool = False) -> None:
    """After a write through ``index``: it matches the store's new version; after a failed one it
    may hold articles never stored, so it is dropped."""
    if failed:
        _syndication.pop(store, None)
    else:
        _syndication[store] = (store.version(), index)


def extract_sources(extractor: Any, raws: Iterable[Any], seed: Seed,
                    progress: Callable[[Any], None] | None = None,
                    failures: list | None = None, *, syndication: Any = None,
                    out: list[ArticleSource] | None = None,
                    noted: Callable[[ArticleSource], None] | None = None) -> list[ArticleSource]:
    """Extract each article alone against the ``seed`` actors, so new sightings join known
    actors; the seed grows with each article. Parsing and reading an article needs no seed, so
    the extractor's workers do that ahead; resolving is done here, article by article, in order.
    An article the extractor fails on gives no source and leaves the seed as it was: it goes to
    ``failures`` (``loaders.failure.ArticleFailed``) and the others go on; without that list it is raised.
    ``syndication``, ``out`` and ``noted``: as for ``resolve_readings``."""
    return resolve_readings(extractor, extractor.readings(raws), seed, progress, failures, syndication=syndication,
                            out=out, noted=noted)


def resolve_readings(extractor: Any, readings: Iterable[tuple[Any, Any, Any]], seed: Seed,
                     progress: Callable[[Any], None] | None = None,
                     failures: list | None = None, *, syndication: Any = None,
                     out: list[ArticleSource] | None = None,
                     noted: Callable[[ArticleSource], None] | None = None) -> list[ArticleSource]:
    """Resolve articles already read (``extractor.readings``) one by one against the ``seed``; a
    failed one goes to ``failures`` (or is raised), as in ``extract_sources``.
    ``syndication``: where each article's near-duplicate cluster is found (none: left unset);
    ``out``: the list the sources are appended to as they come (what an interruption leaves);
    ``noted``: called with each source as it is resolved."""
    out = [] if out is None else out
    for raw, graph, meta in readings:
        text = raw.text
        batch = resolve_or_record(raw.id, graph, lambda: extractor.resolve(graph, meta, existing=seed.for_text(text)),
                                  failures)
        if batch is None:
            continue
        if raw.id in batch.articles:  # identified by content too (loaders.dedupe), also after a rebuild
            batch.articles[raw.id].content_hash = content_hash(text)
            if syndication is not None:
                batch.articles[raw.id].cluster = syndication.place(raw.id, text)
        meta = {"title": raw.title, "published": raw.published, "source": raw.source, "url": raw.url}
        out.append(ArticleSource(id=raw.id, text=text, meta=meta, raw=batch))
        if noted is not None:
            noted(out[-1])
        seed.add(batch)
        if progress:
            progress(raw)
    return out


def ingest(store: GraphStore, extractor: Any, raws: Iterable[Any],
           progress: Callable[[Any], None] | None = None, *,
           names: NameIndex | Callable[[], NameIndex] | None = None,
           failures: list | None = None, syndication: Any = None,
           noted: Callable[[ArticleSource], None] | None = None) -> UpsertResult:
    """Extract articles and upsert them in one batch, keeping their texts; judgements applied.
    ``names``: the store's actors already indexed (``service.seed_index``; or what gives them,
    called once the store is held), else all are read. An article the extractor fails on is not
    stored: it goes to ``failures`` (else it is raised). ``syndication``: the store's near-duplicate
    index (``syndication_of``), else it is built here; ``noted``: called with each article's source
    (text and raw contribution) as it is resolved.

    The articles are read (parsed: the slow part) first; then, holding the store's writer lock
    (``GraphStore.writing``, across processes), they are resolved against the store as it is now
    and upserted. So two ingests at once give the graph of the same ingests one after the other:
    neither resolves against a store the other is about to change.

    On Ctrl-C the articles read and resolved so far are stored, then ``Interrupted`` says how many."""
    readings: list = []
    interrupted = False
    try:
        for reading in extractor.readings(raws):
            readings.append(reading)
    except KeyboardInterrupt:
        interrupted = True  # what was read is still resolved and stored below
    with store.writing():
        index = names() if callable(names) else names
        seed = Seed(store.actors() if index is None else (), store.curation(), index=index)
        if syndication is None:
            syndication = syndication_of(store)
        sources: list[ArticleSource] = []
        try:
            resolve_readings(extractor, readings, seed, progress, failures, syndication=syndication, out=sources,
                             noted=noted)
        except KeyboardInterrupt:
            interrupted = True
        batch = GraphBatch.merged(GraphBatch.from_dict(s.raw.to_dict()) for s in sources)
        result = store.upsert(batch, sources) if sources or not interrupted else UpsertResult()
    if interrupted:
        raise Interrupted(len(sources))
    return result


def reextract(store: GraphStore, extractor: Any, since: str | None = None, dry_run: bool = False,
              progress: Callable[[Any], None] | None = None,
              failures: list | None = None) -> tuple[dict[str, list[str]], int]:
    """Re-run the extractor over the kept texts (those ingested at or after ``since``, an ISO date)
    in ingest order, replacing each article's contribution; judgements applied. Returns the
    difference to the current graph and the number of articles re-extracted; ``dry_run`` writes nothing.
    An article the extractor fails on keeps its contribution and goes to ``failures`` (else it is raised)."""
    from loaders.read import RawArticle  # the loaders come with the extractor

    sources = store._curatable()
    judgements = store.judgements()
    curation = Curation(judgements)
    chosen = [s for s in sources if since is None or s.ingested[: len(since)] >= since]
    chosen_ids = {s.id for s in chosen}
    # The articles left alone seed the resolver, as their actors are in the store for a clean ingest.
    seed = Seed(rebuild_graph([s for s in sources if s.id not in chosen_ids], judgements).actors.values(), curation)
    fresh = {}
    for s in chosen:
        raw = RawArticle(id=s.id, text=s.text, **{k: s.meta.get(k) for k in ("title", "published", "source", "url")})
        got = extract_sources(extractor, [raw], seed, progress, failures)
        if not got:
            continue
        new = got[0]
        new.ingested = s.ingested
        old_art, new_art = s.raw.articles.get(s.id), new.raw.articles.get(s.id)
        if old_art is not None and new_art is not None:
            new_art.cluster = old_art.cluster  # the same text: the same near-duplicate cluster
        fresh[s.id] = new
    old_graph = rebuild_graph(sources, judgements)
    new_graph = rebuild_graph([fresh.get(s.id, s) for s in sources], judgements)
    diff = graph_diff(old_graph, new_graph)
    if not dry_run and fresh:
        store.replace_sources(fresh.values())
    return diff, len(fresh)
