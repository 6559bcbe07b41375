"""The embedded store: a networkx MultiDiGraph in the process, optionally kept in a JSON file.

Nodes are keyed by actor id and carry the actor's fields; edges are keyed by relation key and carry
type, date, place, what and the provenance tuple. With a ``path`` the graph is loaded at start and
saved after every upsert that changed something, so an upsert that returned is on disk: callers
ingesting many articles should merge them into one batch first (``GraphBatch.merged``), since each
save rewrites the whole file. Saves are atomic (temp file in the same directory, fsync, rename):
a crash mid-save leaves the previous file whole.
"""
from __future__ import annotations

import json
import os
import tempfile
import threading
from collections import Counter
from contextlib import suppress
from pathlib import Path
from typing import Any, Iterable

import networkx as nx

from graph.model import Actor, Article, GraphBatch, NodeType, Relation, RelType
from graph.store import (GraphStore, RelationFilter, StoreError, UpsertResult, build_projection,
                         check_batch)

__all__ = ["MemoryStore", "FILE_FORMAT"]

FILE_FORMAT = "actorgraph-graph/1"


class MemoryStore(GraphStore):
    """A graph held in this process; thread-safe behind one lock (readers copy out under it)."""

    name = "memory"

    def __init__(self, path: Path | str | None = None) -> None:
        self.path = Path(path) if path is not None else None
        self._graph = nx.MultiDiGraph()
        self._articles: dict[str, Article] = {}
        self._version = 0
        self._unsaved = False  # the graph changed but the last save failed: retry on the next one
        # Reentrant so snapshot() (via the public reads) can run inside upsert's critical section.
        self._lock = threading.RLock()
        if self.path is not None and self.path.exists():
            self._load(self.path)

    # -- writes --------------------------------------------------------------------------------

    def upsert(self, batch: GraphBatch) -> UpsertResult:
        check_batch(batch)
        result = UpsertResult()
        with self._lock:
            for actor in batch.actors.values():
                self._upsert_actor(actor, result)
            for rel in batch.relations.values():
                self._upsert_relation(rel, result)
            for art in batch.articles.values():
                if art.id not in self._articles:
                    self._articles[art.id] = Article.from_dict(art.to_dict())
                    result.articles += 1
            if result.changed:
                self._version += 1
                self._unsaved = True
            if self._unsaved:
                self._save()
        return result

    def _upsert_actor(self, actor: Actor, result: UpsertResult) -> None:
        attrs = self._graph.nodes.get(actor.id)
        if attrs is None:
            self._graph.add_node(actor.id, **_actor_attrs(actor))
            result.actors += 1
            return
        merged = _actor(actor.id, attrs)
        merged.merge(actor)
        new = _actor_attrs(merged)
        if new != attrs:
            attrs.update(new)
            result.updated += 1

    def _upsert_relation(self, rel: Relation, result: UpsertResult) -> None:
        key = rel.key
        if not self._graph.has_edge(rel.source, rel.target, key):
            self._graph.add_edge(rel.source, rel.target, key=key, **_relation_attrs(rel))
            result.relations += 1
            result.provenance += len(rel.provenance)
            return
        attrs = self._graph.edges[rel.source, rel.target, key]
        merged = _relation(rel.source, rel.target, attrs)
        merged.merge(rel)
        new = _relation_attrs(merged)
        result.provenance += len(new["provenance"]) - len(attrs["provenance"])
        if (new["place"], new["what"]) != (attrs["place"], attrs["what"]):
            result.updated += 1
        attrs.update(new)

    # -- reads ---------------------------------------------------------------------------------

    def get_actor(self, actor_id: str) -> Actor | None:
        with self._lock:
            attrs = self._graph.nodes.get(actor_id)
            return _actor(actor_id, attrs) if attrs is not None else None

    def actors(self, types: Iterable[NodeType] | None = None) -> list[Actor]:
        wanted = None if types is None else {NodeType(t) for t in types}
        with self._lock:
            return [_actor(n, attrs) for n, attrs in sorted(self._graph.nodes(data=True))
                    if wanted is None or attrs["type"] in wanted]

    def relations(self, flt: RelationFilter | None = None, actor_id: str | None = None) -> list[Relation]:
        flt = flt or RelationFilter()
        with self._lock:
            if actor_id is None:
                edges = self._graph.edges(keys=True, data=True)
            elif actor_id in self._graph:
                # A self-loop is both an in- and an out-edge: the dict keyed by key keeps it once.
                edges = {e[2]: e for e in (*self._graph.out_edges(actor_id, keys=True, data=True),
                                           *self._graph.in_edges(actor_id, keys=True, data=True))}.values()
            else:
                edges = ()
            # Sorted on the stored key: cheaper than recomputing Relation.key for every edge.
            rels = [_relation(s, t, attrs) for s, t, _, attrs in sorted(edges, key=lambda e: e[2])]
        return rels if flt == RelationFilter() else [r for r in rels if flt.accepts(r)]

    def articles(self) -> list[Article]:
        with self._lock:
            return [Article.from_dict(self._articles[k].to_dict()) for k in sorted(self._articles)]

    def projection(self, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        with self._lock:
            return build_projection(self.actors(), self.relations(flt))

    def stats(self) -> dict:
        with self._lock:
            nodes = Counter(t for _, t in self._graph.nodes(data="type"))
            rels = Counter(t for _, _, t in self._graph.edges(data="type"))
            articles = len(self._articles)
        return {"nodes": {t.value: nodes[t] for t in NodeType},
                "relations": {t.value: rels[t] for t in RelType},
                "articles": articles}

    def version(self) -> str:
        with self._lock:
            return str(self._version)

    def ping(self) -> None:
        """Always answers: the graph is in this process (a save failure surfaces on upsert)."""

    def close(self) -> None:
        with self._lock:
            if self._unsaved:
                self._save()

    # -- the file ------------------------------------------------------------------------------

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            batch = GraphBatch.from_dict(data)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            # Refuse rather than start empty: the next save would overwrite the analyst's graph.
            raise StoreError(f"cannot load the graph file {path}: {exc}") from exc
        for actor in batch.actors.values():
            self._graph.add_node(actor.id, **_actor_attrs(actor))
        for rel in batch.relations.values():
            self._graph.add_edge(rel.source, rel.target, key=rel.key, **_relation_attrs(rel))
        self._articles = dict(batch.articles)
        self._version = int(data.get("version", 0))

    def _save(self) -> None:
        if self.path is None:
            self._unsaved = False
            return
        data = {"format": FILE_FORMAT, "version": self._version, **self.snapshot().to_dict()}
        try:
            write_json_atomic(self.path, data)
        except OSError as exc:
            raise StoreError(f"cannot save the graph file {self.path}: {exc}") from exc
        self._unsaved = False


def write_json_atomic(path: Path, data: Any) -> None:
    """Write JSON so that ``path`` holds either the old content or the new, never a part."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(json.dumps(data, ensure_ascii=False))  # dumps: C encoder; dump() is pure Python
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
    # The rename itself lives in the directory: sync it too, or a power cut may undo it.
    dir_fd = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


# Types are kept as enum members: rebuilding Actor/Relation from them skips the enum's value lookup.

def _actor_attrs(a: Actor) -> dict[str, Any]:
    return {"type": a.type, "name": a.name, "aliases": list(a.aliases), "rank": a.rank, "title": a.title}


def _actor(actor_id: str, attrs: dict[str, Any]) -> Actor:
    return Actor(id=actor_id, type=attrs["type"], name=attrs["name"], aliases=list(attrs["aliases"]),
                 rank=attrs["rank"], title=attrs["title"])


def _relation_attrs(r: Relation) -> dict[str, Any]:
    # Provenance entries are frozen, so a tuple of them can be shared with readers safely.
    return {"type": r.type, "date": r.date or None, "place": r.place, "what": r.what,
            "provenance": tuple(r.provenance)}


def _relation(source: str, target: str, attrs: dict[str, Any]) -> Relation:
    return Relation(source=source, target=target, type=attrs["type"], date=attrs["date"],
                    place=attrs["place"], what=attrs["what"], provenance=list(attrs["provenance"]))
