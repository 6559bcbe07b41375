"""The store interface both stores implement (embedded networkx and Neo4j), and its errors.

It is small on purpose: write a batch, read actors and relations with filters, and hand the
algorithms a networkx projection. Everything richer (paths, centrality, exports) is built on these
in ``graph.analytics.algorithms`` and ``graph.exports`` so both stores answer identically.
"""
from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Collection, Iterable, Iterator

from graph.curation import ArticleSource, Curation, Judgement, JudgementError, new_judgement, now_utc
from graph.model.events import Event
from graph.model import Actor, Article, GraphBatch, NodeType, Relation
from graph.model.reads import Changes, RelationFilter

if TYPE_CHECKING:  # networkx is imported where a projection is built: `actorgraph stats` needs none
    import networkx as nx

__all__ = [
    "GraphStore", "RelationFilter", "UpsertResult", "StoreError", "StoreUnavailable", "StoreNotWritable",
    "InvalidBatch", "CurationRefused", "AUTH_BACKOFF_S", "Changes",
    "check_batch", "build_projection", "merge_actors",
]


# After a server refused the credentials, wait this long (then the next, up to the last) before
# asking it again: each wrong login counts towards Neo4j locking the user out.
AUTH_BACKOFF_S = (1.0, 2.0, 5.0, 15.0, 60.0)


class StoreError(Exception):
    """Root of the store errors."""


class StoreUnavailable(StoreError):
    """The store cannot answer (server down, wrong credentials); the message names where it looked
    and is for the server's log. ``reason`` is what an anonymous caller may be told."""

    reason = "unreachable"

    def __init__(self, message: str, reason: str | None = None):
        super().__init__(message)
        if reason is not None:
            self.reason = reason


class StoreNotWritable(StoreUnavailable):
    """The store cannot write (disk full, read-only data folder); reads may still answer."""

    reason = "not writable"


class InvalidBatch(StoreError):
    """A batch a store refuses, e.g. a relation whose endpoint is not among the batch's actors."""


class CurationRefused(StoreError):
    """The store holds articles ingested before it kept their texts: rebuilding from the kept
    texts would lose them, so curation that rebuilds is refused until they are ingested again."""


def check_batch(batch: GraphBatch) -> None:
    """Refuse a batch that breaks GraphBatch's promise that every endpoint is among its actors:
    otherwise the embedded store would grow bare nodes where Neo4j's MATCH drops the relation."""
    missing = sorted({end for r in batch.relations.values() for end in (r.source, r.target)
                      if end not in batch.actors})
    if missing:
        shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
        raise InvalidBatch(f"relation endpoints missing from the batch's actors: {shown}")
    parties = sorted({p.actor for e in batch.events.values() for p in e.participants if p.actor not in batch.actors})
    if parties:
        raise InvalidBatch(f"event participants missing from the batch's actors: {', '.join(parties[:5])}")


@dataclass
class UpsertResult:
    """What an upsert changed: new actors, relations, citations and articles, and ``updated`` existing
    actors or relations that gained something else (an alias, a rank, a place). All zero: a no-op."""
    actors: int = 0
    relations: int = 0
    provenance: int = 0
    articles: int = 0
    updated: int = 0
    extra: dict = field(default_factory=dict)
    events: int = 0  # new events (graph.model.events), or existing ones that gained a citation or party

    @property
    def changed(self) -> bool:
        return any((self.actors, self.relations, self.provenance, self.articles, self.updated, self.events))


def merge_actors(stored: dict[str, Actor], incoming: Iterable[Actor], result: UpsertResult) -> list[Actor]:
    """Fold incoming actors into the stored ones (Actor.merge, in place); count new and updated in
    ``result``. Returns the actors to write: the new ones and those that changed."""
    changed = []
    for actor in incoming:
        have = stored.get(actor.id)
        if have is None:
            result.actors += 1
            have = actor
        else:
            before = have.to_dict()
            have.merge(actor)
            if have.to_dict() == before:
                continue
            result.updated += 1
        changed.append(have)
    return changed


def build_projection(actors: Iterable[Actor], relations: Iterable[Relation]) -> nx.MultiDiGraph:
    """The projection both stores hand out: every actor as a node (type, name, aliases, rank, title),
    each relation as an edge keyed by its key (type, key, date, place, what; no provenance)."""
    import networkx as nx

    g = nx.MultiDiGraph()
    for a in actors:
        g.add_node(a.id, type=a.type.value, name=a.name, aliases=list(a.aliases), rank=a.rank, title=a.title)
    # As 4-tuples: add_edge(key=...) would take the key as the edge key only, not as an attribute too.
    g.add_edges_from((r.source, r.target, r.key, {"type": r.type.value, "key": r.key, "date": r.date,
                                                  "place": r.place, "what": r.what}) for r in relations)
    return g


class GraphStore(ABC):
    """What the service and the CLI need of a store."""

    name: str = "store"

    @abstractmethod
    def upsert(self, batch: GraphBatch, sources: Iterable[ArticleSource] = ()) -> UpsertResult:
        """Merge a batch in: actors by id, relations by key (citations unioned), articles by id,
        after applying the stored judgements to it (``self.curate``); ``sources``: the articles'
        texts and raw contributions, kept for curation. Idempotent: upserting the same batch twice
        leaves the store as after once."""

    @abstractmethod
    def get_actor(self, actor_id: str) -> Actor | None: ...

    @abstractmethod
    def actors(self, types: Iterable[NodeType] | None = None) -> list[Actor]: ...

    @abstractmethod
    def relations(self, flt: RelationFilter | None = None, actor_id: str | None = None) -> list[Relation]:
        """Relations passing the filter; with ``actor_id``, only those touching that actor."""

    @abstractmethod
    def articles(self) -> list[Article]: ...

    @abstractmethod
    def events(self, actor_id: str | None = None) -> list[Event]:
        """Every event (graph.model.events), or those ``actor_id`` takes part in, in id order."""

    def events_of(self, actor_ids: Iterable[str]) -> list[Event]:
        """The events any of ``actor_ids`` takes part in, each once, in id order (one read on a
        store that can, instead of one per actor)."""
        found = {e.id: e for a in actor_ids for e in self.events(actor_id=a)}
        return [found[k] for k in sorted(found)]

    def events_of_edges(self, relations: Iterable[Relation], within: Collection[str]) -> list[Event]:
        """The events that derive one of ``relations`` (graph.model.events: an event's binary edges)
        and all of whose participants are ``within``, in id order: the events a subgraph holds.
        Stores override it to read just those, not every event of every actor around a hub."""
        relations, within = list(relations), set(within)
        keys = {r.key for r in relations}
        return [e for e in self.events_of(sorted({r.source for r in relations}))
                if all(a in within for a in e.actors) and any(k in keys for k in e.edge_keys())]

    def get_event(self, event_id: str) -> Event | None:
        return next((e for e in self.events() if e.id == event_id), None)

    @abstractmethod
    def projection(self, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        """A networkx view of the graph for the algorithms: nodes carry Actor attributes, edges
        carry ``type``, ``key``, ``date``; the caller must not mutate it."""

    def neighbours(self, actor_ids: Collection[str], flt: RelationFilter | None = None) -> dict[str, list[str]] | None:
        """The actors tied to each of ``actor_ids`` (either direction) by relations passing ``flt``,
        read from the store's own indexes for ``graph.analytics.path_search``; None (the default) when the
        store has no such cheap read and paths wait for the projection."""
        return None

    def articles_by_id(self, ids: Collection[str]) -> dict[str, Article]:
        """The stored articles of these ids (those that exist), by id."""
        wanted = set(ids)
        return {a.id: a for a in self.articles() if a.id in wanted}

    def relations_by_key(self, keys: Collection[str]) -> list[Relation] | None:
        """The relations (with provenance) of these keys that exist, read by key; None (the
        default) when the store has no cheaper read by key than around an actor."""
        return None

    def projection_among(self, actor_ids: Collection[str], flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        """The projection of ``flt`` restricted to ``actor_ids`` (those that exist) and the
        relations among them, as ``projection(flt).subgraph(actor_ids)`` would give it."""
        G = self.projection(flt)
        import networkx as nx

        return nx.MultiDiGraph(G.subgraph([a for a in actor_ids if a in G]))

    @abstractmethod
    def stats(self) -> dict:
        """{'nodes': {type: n}, 'relations': {type: n}, 'articles': n}, every NodeType and RelType
        listed, zero included."""

    @abstractmethod
    def version(self) -> str:
        """Changes whenever the graph changes; caches of derived results key on it."""

    @abstractmethod
    def ping(self) -> None:
        """Raise StoreUnavailable if the store cannot answer."""

    def articles_by_content(self, hashes: Iterable[str]) -> dict[str, str]:
        """The stored article id for each of ``hashes`` (content hashes) that a stored article has."""
        wanted = set(hashes)
        return {a.content_hash: a.id for a in self.articles() if a.content_hash in wanted}

    def changes(self, since: str) -> "Changes | None":
        """What was added or changed after version ``since`` (as now stored), so caches can be
        updated in place; None when the store cannot tell (rows were deleted, the change log does
        not reach back that far, or the store keeps none): then the caller rebuilds."""
        return None

    def centrality(self, flt: RelationFilter, metric: str, *, version: str):
        """Centrality scores (a ``graph.analytics.algorithms.CentralityResult``) computed by the store itself,
        e.g. on its server, for the graph at ``version``; None (the default) lets ``graph.queries.views``
        compute them from the projection."""
        return None

    def degraded(self) -> str | None:
        """Why the store answers reads but cannot write (for /health), or None when it can."""
        return None

    # -- curation (graph.curation): primitives each store implements --------------------------

    def judgements(self) -> list[Judgement]:
        """Every judgement, undone ones included, in the order they were made."""
        raise NotImplementedError

    def sources(self) -> list[ArticleSource]:
        """The kept articles (text and raw contribution), in the order they were first ingested."""
        raise NotImplementedError

    def clear(self) -> None:
        """Empty the store: graph, kept texts and judgements."""
        raise NotImplementedError

    def _commit_curation(self, judgement: Judgement | None = None, sources: Iterable[ArticleSource] = (),
                         drop_sources: Iterable[str] = ()) -> None:
        """Save ``judgement`` (new or undone), write ``sources``, drop the kept articles
        ``drop_sources``, and replace the graph with ``graph.curation.rebuild_after`` of them."""
        raise NotImplementedError

    # -- curation: built on the primitives, the same for every store ---------------------------

    def curation(self) -> Curation:
        return Curation(self.judgements())

    def curate(self, batch: GraphBatch) -> GraphBatch:
        """The batch with the store's judgements applied: what an upsert writes."""
        return self.curation().apply(batch)

    def canonical_id(self, actor_id: str) -> str:
        """The actor id an old id (merged by ``same``) stands for now; the id itself otherwise."""
        return self.curation().canonical(actor_id)

    def judge(self, kind: str, target: str, other: str | None = None, who: str = "") -> Judgement:
        """Record a judgement (``graph.curation.KINDS``) and rebuild the graph with it."""
        j = new_judgement(kind, target, other, who)
        cur = self.curation()
        if j.kind == "reject-relation":
            if not any(r.key == j.target for r in self.relations()):
                raise JudgementError(f"no relation with key {j.target!r}")
        else:
            j.target = self._known(cur, j.target)
            if j.kind in ("same", "different"):
                j.other = self._known(cur, j.other)
                if j.target == j.other:
                    raise JudgementError(f"{target} and {other} are already one actor ({j.target})")
                if j.kind == "same" and not cur.can_join(j.target, j.other):
                    raise JudgementError(f"{j.target} and {j.other} were judged different: undo that first")
        self._curatable()
        self._commit_curation(judgement=j)
        return j

    def undo(self, judgement_id: str, who: str = "") -> Judgement:
        """Undo a judgement (it stays listed, marked undone) and rebuild the graph without it."""
        all_ = self.judgements()
        found = next((j for j in all_ if j.id == judgement_id), None)
        if found is None:
            raise JudgementError(f"no judgement {judgement_id!r}")
        if not found.active:
            raise JudgementError(f"judgement {judgement_id} was already undone at {found.undone_at}")
        found.undone_by, found.undone_at = who or "unknown", now_utc()
        self._curatable()
        self._commit_curation(judgement=found)
        return found

    def delete_article(self, article_id: str) -> bool:
        """Remove an article: its citations, the relations only it supported, the actors only it
        named. False if the store has no such article."""
        if article_id not in {a.id for a in self.articles()}:
            return False
        self._curatable()
        self._commit_curation(drop_sources=[article_id])
        return True

    def replace_sources(self, sources: Iterable[ArticleSource]) -> None:
        """Replace kept articles' raw contributions (a re-extraction) and rebuild the graph."""
        self._curatable()
        self._commit_curation(sources=list(sources))

    def _curatable(self) -> list[ArticleSource]:
        """The kept articles, refusing when some stored article has no kept text."""
        sources = self.sources()
        missing = sorted({a.id for a in self.articles()} - {s.id for s in sources})
        if missing:
            shown = ", ".join(missing[:5]) + (f" and {len(missing) - 5} more" if len(missing) > 5 else "")
            raise CurationRefused(f"{len(missing)} stored articles were ingested before the store kept article "
                                  f"texts ({shown}); ingest them again, then curate")
        uncited = sorted(r.key for r in self.relations() if not r.provenance)
        if uncited:
            shown = ", ".join(uncited[:3]) + (f" and {len(uncited) - 3} more" if len(uncited) > 3 else "")
            raise CurationRefused(f"{len(uncited)} stored relations cite no article ({shown}): a rebuild from the "
                                  f"kept articles would lose them")
        return sources

    def _known(self, cur: Curation, actor_id: str) -> str:
        cid = cur.canonical(actor_id)
        if self.get_actor(cid) is None:
            raise JudgementError(f"no actor {actor_id!r}")
        return cid

    def snapshot(self) -> GraphBatch:
        """The whole graph as one batch: what a store holds, comparable across stores."""
        batch = GraphBatch()
        batch.actors = {a.id: a for a in self.actors()}
        batch.relations = {r.key: r for r in self.relations()}
        batch.articles = {a.id: a for a in self.articles()}
        batch.events = {e.id: e for e in self.events()}
        return batch

    @contextmanager
    def writing(self) -> Iterator[None]:
        """One resolving writer at a time, across processes where the store can say so: an
        ingest resolves its articles against the store and upserts them inside this block, so
        concurrent ingests give the graph the same runs give one after the other. The default
        serialises the writers of this store object only."""
        lock = self.__dict__.setdefault("_writing_lock", threading.RLock())
        with lock:
            yield

    def close(self) -> None:
        """Release connections and flush; the default has nothing to release."""

    def __enter__(self) -> "GraphStore":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
