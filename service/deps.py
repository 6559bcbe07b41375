"""Request dependencies: the configured store, its cached views, settings, the API key checks,
the shared extractor, and turning unknown ids into 404s with suggestions."""
from __future__ import annotations

import secrets
import threading
import time
from typing import Annotated, Any, Callable

import networkx as nx
from fastapi import Depends, HTTPException, Request, Security, status
from fastapi.concurrency import run_in_threadpool
from fastapi.security import APIKeyHeader

from graph.model import Actor
from graph.queries.subgraphs import UnknownActor
from graph.stores.interface import AUTH_BACKOFF_S, GraphStore, StoreUnavailable
from graph.queries.views import GraphViews
from service.models import ActorRef
from service.settings import Settings

__all__ = [
    "StoreHolder", "StoreDep", "ViewsDep", "SettingsDep", "ExtractorDep", "Names", "NamesDep",
    "require_read_key", "require_write_key", "check_key", "key_held", "get_store", "lookup_actor",
]


# Filters whose projections stay cached at once (each is a copy of the graph, or of its filtered part).
MAX_VIEWS = 8
# A request waits at most this long for another request that is opening the store, then answers 503.
OPEN_WAIT_S = 1.0


class StoreHolder:
    """The app's one store (and its views), made in the lifespan or injected by a test.

    When opening fails (Neo4j down at start) the service still starts and answers 503; each later
    request tries to open it again, so the service recovers without a restart. After refused
    credentials it waits (AUTH_BACKOFF_S) before trying again, answering 503 at once meanwhile.
    """

    def __init__(self, kind: str, opener: Callable[[], GraphStore] | None = None, store: GraphStore | None = None):
        self.kind = kind
        self._opener = opener
        self._store = store
        self._views = GraphViews(store, max_views=MAX_VIEWS) if store is not None else None
        self._lock = threading.Lock()
        self.owns_store = store is None
        self._refused: StoreUnavailable | None = None  # the last refused credentials, while backing off
        self._refusals = 0
        self._retry_at = 0.0
        self.warming = False  # service.warm is building the projections

    @property
    def store(self) -> GraphStore | None:
        """The store if it is open (without trying to open it)."""
        return self._store

    def get(self) -> GraphStore:
        if self._store is not None:
            return self._store
        if self._refused is not None and time.monotonic() < self._retry_at:
            raise StoreUnavailable(f"backing off after: {self._refused}", self._refused.reason)
        if not self._lock.acquire(timeout=OPEN_WAIT_S):
            raise StoreUnavailable("another request is still opening the store")
        try:
            if self._store is None:
                if self._opener is None:
                    raise StoreUnavailable("no store configured")
                try:
                    store = self._opener()  # raises StoreUnavailable while the server is down
                except StoreUnavailable as exc:
                    if exc.reason in ("authentication failed", "locked out"):
                        self._refused = exc
                        self._retry_at = time.monotonic() + AUTH_BACKOFF_S[min(self._refusals, len(AUTH_BACKOFF_S) - 1)]
                        self._refusals += 1
                    raise
                self._refused, self._refusals = None, 0
                self._store, self._views = store, GraphViews(store, max_views=MAX_VIEWS)
        finally:
            self._lock.release()
        return self._store

    @property
    def views(self) -> GraphViews:
        self.get()
        assert self._views is not None
        return self._views

    def close(self) -> None:
        if self._store is not None and self.owns_store:
            self._store.close()


def _holder(request: Request) -> StoreHolder:
    return request.app.state.stores


# The dependencies below are ``async`` so that FastAPI calls them on the event loop: a sync one
# costs a hop to the thread pool each, several per request. Only opening a store blocks (a Neo4j
# connect), so that alone goes to the pool.

async def get_store(request: Request) -> GraphStore:
    holder = _holder(request)
    return holder.store if holder.store is not None else await run_in_threadpool(holder.get)


async def get_views(request: Request) -> GraphViews:
    holder = _holder(request)
    if holder.store is None:
        await run_in_threadpool(holder.get)
    return holder.views


async def get_settings(request: Request) -> Settings:
    return request.app.state.settings


StoreDep = Annotated[GraphStore, Depends(get_store)]
ViewsDep = Annotated[GraphViews, Depends(get_views)]
SettingsDep = Annotated[Settings, Depends(get_settings)]

_api_key_header = APIKeyHeader(name="X-API-Key", auto_error=False,
                               description="the key set in ACTORGRAPH_API_KEY")


def check_key(settings: Settings, given: str | None) -> None:
    """Refuse (HTTPException 403/401) unless writes are enabled and ``given`` is the key."""
    if settings.api_key is None:
        raise HTTPException(status.HTTP_403_FORBIDDEN,
                            "writes are disabled: set ACTORGRAPH_API_KEY on the server to enable them")
    expected = settings.api_key.get_secret_value()
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(status.HTTP_401_UNAUTHORIZED, "missing or wrong X-API-Key header",
                            headers={"WWW-Authenticate": "X-API-Key"})


def key_held(request: Request, settings: Settings) -> bool:
    """Whether the request carries the right key (for answers that show more to the key's holders)."""
    try:
        check_key(settings, request.headers.get("x-api-key"))
    except HTTPException:
        return False
    return True


async def require_write_key(settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)]) -> None:
    """Writes always need the key."""
    check_key(settings, key)


async def require_read_key(settings: SettingsDep, key: Annotated[str | None, Security(_api_key_header)]) -> None:
    """Reads need the key only when ACTORGRAPH_READ_REQUIRES_KEY is set."""
    if settings.read_requires_key:
        check_key(settings, key)


class ExtractorHolder:
    """The loaders' Extractor, loaded on first use (a spaCy pipeline takes seconds) and shared."""

    def __init__(self, settings: Settings, factory: Callable[[], Any] | None = None):
        self._settings = settings
        self._factory = factory
        self._extractor: Any = None
        self._lock = threading.Lock()

    def get(self) -> Any:
        with self._lock:
            if self._extractor is None:
                self._extractor = (self._factory or self._default)()
            return self._extractor

    def _default(self) -> Any:
        from loaders.pipeline import Extractor  # heavy (spaCy): only when the first article arrives
        return Extractor(model=self._settings.nlp_model, extra_vocab=self._settings.vocab_dirs)


def get_extractor(request: Request) -> Any:
    return request.app.state.extractor.get()


ExtractorDep = Annotated[Any, Depends(get_extractor)]


class Names:
    """Actor ids to ``ActorRef``s for one request: from a projection already at hand, else the store."""

    def __init__(self, store: GraphStore, graph: nx.MultiDiGraph | None = None):
        self._store, self._graph = store, graph
        self._cache: dict[str, ActorRef | None] = {}

    def __call__(self, actor_id: str) -> ActorRef | None:
        if actor_id not in self._cache:
            if self._graph is not None and actor_id in self._graph:
                attrs = self._graph.nodes[actor_id]
                self._cache[actor_id] = ActorRef(id=actor_id, type=attrs["type"], name=attrs["name"])
            else:
                actor = self._store.get_actor(actor_id)
                self._cache[actor_id] = ActorRef.of(actor) if actor is not None else None
        return self._cache[actor_id]

    def need(self, actor_id: str) -> ActorRef:
        """The ref of an actor that must exist (a relation's end: stores refuse dangling relations)."""
        ref = self(actor_id)
        if ref is None:
            raise LookupError(f"relation end {actor_id!r} is not in the store")
        return ref


async def get_names(store: StoreDep) -> Names:
    return Names(store)


NamesDep = Annotated[Names, Depends(get_names)]


def lookup_actor(store: GraphStore, actor_id: str, parameter: str | None = None) -> Actor:
    """The actor, or the one an old id merged by a ``same`` judgement stands for now, or
    UnknownActor (a 404 suggesting close names)."""
    actor = store.get_actor(actor_id)
    if actor is None and (canonical := store.canonical_id(actor_id)) != actor_id:
        actor = store.get_actor(canonical)
    if actor is None:
        raise UnknownActor(actor_id, parameter)
    return actor
