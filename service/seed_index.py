"""The resolver's name index: actors by the folded names and aliases a new article may hold.

The extractor is handed, per article, the stored actors one of whose names occurs in the article's
folded text (``service.curation.Seed``). Finding them by trying every actor's names on the text
costs a pass over every actor per article, and loading every actor per POST /articles; here the
folded names are indexed once (by their first ``PREFIX`` characters, so a text is scanned once,
whatever the number of actors) and the index stays with the store: ``StoreNames`` keeps one per
store, brought up to each write from ``GraphStore.changes()`` (the embedded store, any process's
writes) or rebuilt when the store cannot say what changed.
"""
from __future__ import annotations

import threading
import weakref
from typing import Iterable

from graph.model import Actor
from graph.analytics.projection import bulk
from graph.stores.interface import GraphStore

__all__ = ["NameIndex", "StoreNames", "store_names"]

PREFIX = 5  # folded names are bucketed by this many first characters; shorter ones are tried alone


def folded_names(a: Actor) -> list[str]:
    from loaders.vocab import fold  # the loaders come with the extractor
    return [k for k in {fold(n) for n in (a.name, *a.aliases)} if k]


class NameIndex:
    """Actors by folded name: ``find(folded_text)`` gives the ids with a name in the text."""

    def __init__(self, actors: Iterable[Actor] = ()):
        self.actors: dict[str, Actor] = {}
        self._keys: dict[str, list[str]] = {}           # actor id -> its folded names
        self._ids: dict[str, set[str]] = {}             # folded name -> actor ids
        self._by_prefix: dict[str, set[str]] = {}       # first PREFIX characters -> folded names
        self._short: set[str] = set()                   # folded names shorter than PREFIX
        self.position: dict[str, int] = {}              # actor id -> when it was first put
        for a in actors:
            self.put(a)

    def put(self, actor: Actor) -> None:
        """Add the actor, or replace what the index held for its id."""
        for k in self._keys.pop(actor.id, ()):
            ids = self._ids[k]
            ids.discard(actor.id)
            if not ids:
                del self._ids[k]
                self._unbucket(k)
        self.actors[actor.id] = actor
        self.position.setdefault(actor.id, len(self.position))
        keys = self._keys[actor.id] = folded_names(actor)
        for k in keys:
            ids = self._ids.get(k)
            if ids is None:
                ids = self._ids[k] = set()
                if len(k) < PREFIX:
                    self._short.add(k)
                else:
                    self._by_prefix.setdefault(k[:PREFIX], set()).add(k)
            ids.add(actor.id)

    def _unbucket(self, k: str) -> None:
        if len(k) < PREFIX:
            self._short.discard(k)
            return
        bucket = self._by_prefix[k[:PREFIX]]
        bucket.discard(k)
        if not bucket:
            del self._by_prefix[k[:PREFIX]]

    def find(self, folded_text: str) -> set[str]:
        """The ids of the actors with a folded name occurring in ``folded_text``."""
        found: set[str] = set()
        by_prefix, ids = self._by_prefix, self._ids
        for i in range(len(folded_text) - PREFIX + 1):
            bucket = by_prefix.get(folded_text[i:i + PREFIX])
            if bucket:
                for k in bucket:
                    if folded_text.startswith(k, i):
                        found |= ids[k]
        for k in self._short:
            if k in folded_text:
                found |= ids[k]
        return found


class StoreNames:
    """One store's ``NameIndex``, at the store version it was last brought up to."""

    def __init__(self, store: GraphStore):
        self.store = store
        self._lock = threading.Lock()
        self._index: NameIndex | None = None
        self._version: str | None = None
        self.rebuilds = 0  # built from every actor (the other refreshes applied the changes only)

    def current(self) -> NameIndex:
        """The index as of the store's current version. Callers read it under ``ingest``'s
        one-at-a-time lock (or alone): it is updated in place."""
        with self._lock:
            changes = self.store.changes(self._version) if self._index is not None else None
            if changes is None and self._index is not None and self.store.version() == self._version:
                return self._index  # a store without a change log, unchanged since
            if changes is None:
                version = self.store.version()
                with bulk():
                    self._index, self._version = NameIndex(self.store.actors()), version
                self.rebuilds += 1
            else:
                for a in changes.actors:
                    self._index.put(a)
                self._version = changes.version
            return self._index


_by_store: "weakref.WeakKeyDictionary[GraphStore, StoreNames]" = weakref.WeakKeyDictionary()
_guard = threading.Lock()


def store_names(store: GraphStore) -> StoreNames:
    """The name index kept for ``store`` (made on first use)."""
    with _guard:
        names = _by_store.get(store)
        if names is None:
            names = _by_store[store] = StoreNames(store)
        return names
