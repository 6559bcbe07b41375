"""The Neo4j store: the official driver, batched managed-transaction writes, execute_query reads.

Actors are ``:Actor`` nodes with their type as a second label (``:Person``...) and a unique ``id``;
relations are relationships of the RelType names with a ``key`` property and their provenance in
parallel list properties (see ``graph.stores.neo4j.cypher``); articles are ``:Article`` nodes with a
``MENTIONS`` relationship to each actor their citations name (``GraphBatch.mentions``). The
version is the database's last committed transaction, as the bookmark of an empty read
transaction names it: no write transaction takes a lock to bump it, so concurrent writers do not
queue behind one another, and a transaction that changed nothing commits none.

The store receives a driver and never builds one; ``connect`` builds and verifies a driver.
"""
from __future__ import annotations

import functools
import logging
import threading
import time
from contextlib import contextmanager
from collections import defaultdict
from operator import itemgetter
from typing import Any, Callable, Collection, Iterable, Iterator, Sequence, TypeVar

import networkx as nx
from neo4j import Driver, GraphDatabase, ManagedTransaction, RoutingControl, Session
from neo4j.exceptions import (AuthError, ClientError, ConfigurationError, ConstraintError, ServiceUnavailable,
                              SessionExpired, TransientError)

from graph.stores.neo4j import cypher as q, events as neo4j_events
from graph.stores.coalesce import Coalesced
from graph.model.events import Event
from graph.curation import ArticleSource, Judgement, rebuild_graph
from graph.stores.neo4j.analytics import Neo4jAnalytics
from graph.stores.neo4j.writers import Rows, Writers, cycles_uncollected, tx_rows
from graph.model import (STRUCTURE_TYPES, Actor, Article, GraphBatch, NodeType, Provenance, Relation,
                         RelType)
from graph.model.sourcing import well_sourced, well_sourced_keys
from graph.stores.interface import (AUTH_BACKOFF_S, GraphStore, RelationFilter, StoreUnavailable, UpsertResult,
                         build_projection, check_batch, merge_actors)

__all__ = ["Neo4jStore", "connect", "batched", "relation_row", "DEFAULT_BATCH_SIZE",
           "DEFAULT_WRITERS", "FAIL_FAST", "classify"]

DEFAULT_BATCH_SIZE = 1000
# Chunks written at once, each in its own transaction and session (graph.stores.neo4j.writers): two in
# flight keep two cores busy (1.7x on relations at 100k; bench/scale_neo4j.py). Chunks share no
# key, article or actor row; where two lock the same hub, the server reports a deadlock and the
# driver runs the transaction function again (they are pure in their arguments).
DEFAULT_WRITERS = 2
# A MENTIONS has no properties, a relation six lists: a transaction of ten times as many mentions
# as relations costs the server about the same, and commits fewer times (1.6x on 300k mentions).
MENTIONS_PER_ROW = 10

# Driver settings for the service's request path: a request answers 503 within about a second when
# the server is gone, instead of the driver's 30 s of transaction retries (ingest keeps those).
FAIL_FAST = {"connection_timeout": 0.5, "connection_acquisition_timeout": 1.0,
             "max_transaction_retry_time": 0.3, "initial_retry_delay": 0.2}

log = logging.getLogger("actorgraph.store")

T = TypeVar("T")
F = TypeVar("F", bound=Callable[..., Any])


def batched(rows: Iterable[T], size: int = DEFAULT_BATCH_SIZE,
            weight: Callable[[T], int] | None = None) -> Iterator[list[T]]:
    """Consecutive lists of rows weighing at most ``size`` (a row weighs 1, or ``weight(row)``; a
    heavier row goes alone): one ``UNWIND`` each."""
    if size < 1:
        raise ValueError("batch size must be at least 1")
    chunk: list[T] = []
    load = 0
    for row in rows:
        w = 1 if weight is None else max(1, weight(row))
        if chunk and load + w > size:
            yield chunk
            chunk, load = [], 0
        chunk.append(row)
        load += w
    if chunk:
        yield chunk


def classify(exc: BaseException) -> str | None:
    """What a driver error means for a caller: 'authentication failed', 'locked out',
    'unreachable', 'temporarily unavailable' (a transient error, e.g. DatabaseUnavailable while
    the server shuts down or starts), or None for an error that is not about reaching the server."""
    code = getattr(exc, "code", None) or ""
    if "AuthenticationRateLimit" in code:  # too many wrong passwords in a row
        return "locked out"
    if isinstance(exc, AuthError) or code.startswith("Neo.ClientError.Security."):
        return "authentication failed"
    if isinstance(exc, (ServiceUnavailable, SessionExpired, OSError)):
        return "unreachable"
    if isinstance(exc, TransientError) or code.startswith("Neo.TransientError."):
        return "temporarily unavailable"
    return None


def connect(uri: str, user: str, password: str, database: str = "neo4j", **config: Any) -> Driver:
    """A driver that has reached ``database`` at ``uri``; StoreUnavailable (naming the URI, for
    the log; its ``reason`` is for callers) if not. ``config``: driver settings, e.g. FAIL_FAST."""
    try:
        driver = GraphDatabase.driver(uri, auth=(user, password), **config)
    except (ConfigurationError, ValueError) as exc:
        raise StoreUnavailable(f"cannot use the Neo4j URI {uri}: {exc}", "misconfigured") from exc
    try:
        driver.verify_connectivity()
        # An auto-commit query, not execute_query: that one retries an absent server for 30 s.
        with driver.session(database=database) as session:
            session.run(q.ping()).consume()
    except (AuthError, ServiceUnavailable, SessionExpired, OSError, ClientError) as exc:
        driver.close()
        reason = classify(exc)
        if reason == "locked out":
            raise StoreUnavailable(f"Neo4j at {uri} has locked user {user!r} out after failed logins: "
                                   f"{exc.message}", reason) from exc
        if reason == "authentication failed":
            raise StoreUnavailable(f"Neo4j at {uri} refused the credentials of user {user!r}: "
                                   f"{getattr(exc, 'message', exc)}", reason) from exc
        if reason == "unreachable":
            raise StoreUnavailable(f"cannot reach Neo4j at {uri}: {exc}", reason) from exc
        # e.g. the database does not exist
        raise StoreUnavailable(f"Neo4j at {uri} cannot serve database {database!r}: {exc.message}",
                               "misconfigured") from exc
    return driver


def _unavailable(method: F) -> F:
    """Report a lost server or refused credentials as StoreUnavailable, not a driver error; after
    refused credentials, refuse at once (without asking the server) until the backoff has passed."""
    @functools.wraps(method)
    def wrapper(self: "Neo4jStore", *args: Any, **kwargs: Any) -> Any:
        self._check_backoff()
        try:
            result = method(self, *args, **kwargs)
        except (ServiceUnavailable, SessionExpired, AuthError, ClientError, TransientError) as exc:
            reason = classify(exc)
            if reason is None:
                raise
            if reason in ("authentication failed", "locked out"):
                self._auth_failed(reason)
            raise StoreUnavailable(f"Neo4j database {self.database!r} {reason}: {exc}", reason) from exc
        self._auth_failures = 0
        return result
    return wrapper  # type: ignore[return-value]


class Neo4jStore(GraphStore):
    """A graph in a Neo4j database. Applies ``cypher/schema.cypher`` when made.

    ``owns_driver``: close the driver with the store (``open_store`` hands over the one it built).
    Concurrent writers may each merge an actor's aliases from the same old value and one union can
    be lost, and two that write the same new article at once may both create its MENTIONS; ingest
    is meant to run from one writer at a time (a relation two writers create at once is refused by
    its key's uniqueness constraint and merged instead).
    """

    name = "neo4j"

    # Set before __init__'s wrapper checks them.
    _auth_failures = 0
    _blocked_until = 0.0
    _blocked_reason = ""

    @_unavailable
    def __init__(self, driver: Driver, database: str = "neo4j", *, batch_size: int = DEFAULT_BATCH_SIZE,
                 writers: int = DEFAULT_WRITERS, owns_driver: bool = False, use_gds: bool | None = None) -> None:
        if writers < 1:
            raise ValueError("writers must be at least 1")
        self._backoff_lock = threading.Lock()
        self.driver = driver
        self.database = database
        self.batch_size = batch_size
        self.writers = writers
        # Read at the start of every request: concurrent requests share a read that started after
        # they arrived, so none misses a write committed before it (graph.stores.coalesce).
        self._version = Coalesced(self._read_version)
        self.owns_driver = owns_driver
        # Centrality on the server's Graph Data Science when it has it (use_gds=False: never).
        self.analytics = Neo4jAnalytics(driver, database, use_gds=use_gds)
        self.ensure_schema()

    def _check_backoff(self) -> None:
        if self._blocked_until and time.monotonic() < self._blocked_until:
            raise StoreUnavailable(f"Neo4j refused the credentials; not asking again for "
                                   f"{self._blocked_until - time.monotonic():.0f} s", self._blocked_reason)

    def _auth_failed(self, reason: str) -> None:
        with self._backoff_lock:
            wait = AUTH_BACKOFF_S[min(self._auth_failures, len(AUTH_BACKOFF_S) - 1)]
            self._auth_failures += 1
            self._blocked_until, self._blocked_reason = time.monotonic() + wait, reason
        log.warning("neo4j: %s; backing off %.0f s", reason, wait)

    def ensure_schema(self) -> None:
        with self.driver.session(database=self.database) as session:
            for statement in q.schema_statements():
                session.run(statement).consume()
            # The writers' lock node (``writing``) exists from the start, so taking the lock never
            # commits a change: an ingest that adds nothing leaves the version as it was.
            session.run(_LOCK_NODE).consume()

    # -- writes --------------------------------------------------------------------------------

    @_unavailable
    def upsert(self, batch: GraphBatch, sources: Iterable[ArticleSource] = ()) -> UpsertResult:
        check_batch(batch)
        # A row, a parameter list and a result per relation, while the batch's millions of objects
        # are alive: every few thousand allocations the cycle collector would walk them all. Without
        # it, 400k relations with events: client CPU 28.5 -> 18.9 s, 7.4k -> 9.2k rels/s.
        with cycles_uncollected():
            total = self._write_graph(self.curate(batch))
        self._save_sources(list(sources))
        return total

    def _write_graph(self, batch: GraphBatch) -> UpsertResult:
        """Actors first, since the relation and mention queries MATCH them; then articles and
        relations; then, once the articles exist, mentions. Each phase's chunks run on the writers
        (graph.stores.neo4j.writers) while this thread prepares the next phase's rows."""
        total = UpsertResult()
        with Writers(self.driver, self.database, self.writers) as writers:
            actors = writers.start(_writing(_write_actors), batched(batch.actors.values(), self.batch_size))
            relation_chunks = self._relation_chunks(batch)
            elements: dict[str, str] = {}  # actor and article ids -> element ids (cypher.by_element)
            for part, written in actors.results():
                _add(total, part)
                elements.update(written)
            for _, rows in relation_chunks:
                for row in rows:
                    row["s"], row["t"] = elements[row["source"]], elements[row["target"]]
            # Articles before the relations (the pool runs chunks in order): the mentions wait
            # for them alone, and are queued while the relations are written.
            articles = writers.start(_writing(_write_articles),
                                     batched((a.to_dict() for a in batch.articles.values()), self.batch_size))
            relations = writers.start(_write_relation_chunk, relation_chunks)
            # Events after the actors they join (graph.stores.neo4j.events), their parties by element id.
            event_rows = [{**neo4j_events.event_row(e, key), "xs": [elements[p.actor] for p in e.participants]}
                          for key, e in batch.events.items()]  # check_batch: every party is a batch actor
            events = writers.start(_write_event_chunk, batched(event_rows, self.batch_size))
            mentioned = batch.mentioned()
            created: set[str] = set()
            for part, new, written in articles.results():
                _add(total, part)
                created |= new
                elements.update(written)
            # A mention is new only with a new citation, counted with the relations. An article
            # this upsert created has none yet: its mentions are created (no MERGE's Expand(Into)
            # over the actor's relationships, no locks), the others' merged. Chunks of
            # MENTIONS_PER_ROW x batch_size mentions, whole articles each.
            mentions = []
            for fresh in (True, False):
                rows = q.mention_rows({article: actors for article, actors in mentioned.items()
                                       if (article in created) is fresh})
                for row in rows:
                    row["a"], row["xs"] = elements[row["article"]], [elements[a] for a in row["actors"]]
                chunks = batched(rows, self.batch_size * MENTIONS_PER_ROW, weight=_mention_count)
                mentions.append(writers.start(_writing(_write_mentions), [(chunk, fresh) for chunk in chunks]))
            for part in relations.results():
                _add(total, part)
            total.events += sum(events.results())
            for running in mentions:
                running.results()
        return total

    def _relation_chunks(self, batch: GraphBatch) -> list[tuple[RelType, list[dict]]]:
        """The batch's relations as rows, in chunks of one type each. In key order: a chunk's keys
        are neighbours in the key's index (appended, in a fresh load), and a key starts with its
        source, so a chunk touches few nodes (1.3x at 100k)."""
        by_type: dict[RelType, list[dict]] = defaultdict(list)
        for key, rel in batch.relations.items():
            by_type[rel.type].append(relation_row(rel, key))
        return [(rel_type, chunk) for rel_type, rows in by_type.items()
                for chunk in batched(sorted(rows, key=itemgetter("key")), self.batch_size)]

    def _save_sources(self, sources: list[ArticleSource]) -> None:
        seq = time.time_ns()
        rows = [{"id": s.id, "seq": seq + i, "ingested": s.ingested, "data": s.to_json()} for i, s in enumerate(sources)]
        if rows:
            self.driver.execute_query(q.save_sources(), parameters_={"rows": rows}, database_=self.database)

    # -- curation ------------------------------------------------------------------------------

    @_unavailable
    def judgements(self) -> list[Judgement]:
        return [Judgement.from_json(r["data"]) for r in self._read(q.judgements())]

    @_unavailable
    def sources(self) -> list[ArticleSource]:
        return [ArticleSource.from_json(r["id"], r["ingested"], r["data"]) for r in self._read(q.sources())]

    @_unavailable
    def _commit_curation(self, judgement: Judgement | None = None, sources: Iterable[ArticleSource] = (),
                         drop_sources: Iterable[str] = ()) -> None:
        """In steps, not one transaction (a large graph would not fit one): the judgement first,
        so an interrupted rebuild is completed by the next curation command or ``reextract``."""
        if judgement is not None:
            self.driver.execute_query(q.save_judgement(), parameters_={"id": judgement.id, "seq": time.time_ns(),
                                                                       "data": judgement.to_json()},
                                      database_=self.database)
        self._save_sources(list(sources))
        drop = list(drop_sources)
        if drop:
            self.driver.execute_query(q.drop_sources(), parameters_={"ids": drop}, database_=self.database)
        graph = rebuild_graph(self.sources(), self.judgements())
        with self.driver.session(database=self.database) as session:
            for statement in [*q.wipe_graph(), neo4j_events.wipe_events()]:
                session.run(statement).consume()
        self._write_graph(graph)

    @_unavailable
    def clear(self) -> None:
        """Delete every node and relationship in the database (not only actorgraph's); keeps the schema."""
        with self.driver.session(database=self.database) as session:
            for statement in q.wipe():
                session.run(statement).consume()

    # -- reads ---------------------------------------------------------------------------------

    def _read(self, query: str, **params: Any) -> list:
        return self.driver.execute_query(query, parameters_=params, routing_=RoutingControl.READ,
                                         database_=self.database).records

    def _rows(self, query: str, **params: Any) -> list[dict]:
        """The ``rows`` of a read answered as one record (``cypher.collected``)."""
        return self._read(query, **params)[0]["rows"]

    @_unavailable
    def get_actor(self, actor_id: str) -> Actor | None:
        records = self._read(q.get_actor(), id=actor_id)
        return _actor(records[0]) if records else None

    @_unavailable
    def actors(self, types: Iterable[NodeType] | None = None) -> list[Actor]:
        wanted = None if types is None else [NodeType(t).value for t in types]
        return [_actor(r) for r in self._read(q.actors(), types=wanted)]

    @_unavailable
    def relations(self, flt: RelationFilter | None = None, actor_id: str | None = None) -> list[Relation]:
        return self._relations(flt, actor_id, provenance=True)

    @_unavailable
    def relations_by_key(self, keys: Collection[str]) -> list[Relation]:
        by_type: dict[RelType, set[str]] = {}
        types = {t.value: t for t in RelType}
        for key in keys:
            rel_type = types.get(key.split("|", 1)[0])  # a key starts with its type (graph.model.relation_key)
            if rel_type is not None:
                by_type.setdefault(rel_type, set()).add(key)
        return [_relation(r, True) for rel_type, some in by_type.items()
                for chunk in q.key_chunks(some)
                for r in self._rows(q.relations_by_key(rel_type), keys=chunk)]

    def _relations(self, flt: RelationFilter | None, actor_id: str | None, *, provenance: bool) -> list[Relation]:
        flt = flt or RelationFilter()
        params = {
            "types": None if flt.types is None else [RelType(t).value for t in flt.types],
            "structure": [t.value for t in STRUCTURE_TYPES],
            "since": flt.since, "until": flt.until, "actor_id": actor_id,
        }
        # An actor's ties are one record (``cypher.relations(touching=True)``); the whole graph streams.
        touching = actor_id is not None
        query = q.relations(touching=touching, provenance=provenance, articles=bool(flt.min_sources))
        records = self._rows(query, **params) if touching else self._read(query, **params)
        rels = [_relation(r, provenance) for r in records]
        if flt.min_sources:
            # The outlets are counted in Python, as the embedded store counts them (graph.model.sourcing).
            articles = {a.id: a for a in self.articles()}
            if provenance:
                return well_sourced(rels, articles, flt.min_sources)
            cited = {rel.key: r["props"].get("articles") or [] for rel, r in zip(rels, records)}
            keep = well_sourced_keys(cited, articles, flt.min_sources)
            rels = [rel for rel in rels if rel.key in keep]
        return rels

    @_unavailable
    def articles(self) -> list[Article]:
        return [Article.from_dict(r["article"]) for r in self._read(q.articles())]

    @_unavailable
    def events(self, actor_id: str | None = None) -> list[Event]:
        if actor_id is None:
            found = neo4j_events.read_events(self._read(neo4j_events.read_events_query()))
        else:
            found = neo4j_events.read_events(self._rows(neo4j_events.read_events_query(by="actor"), actor=actor_id))
        return neo4j_events.with_sentences(found, self._rows)

    @_unavailable
    def events_of(self, actor_ids: Iterable[str]) -> list[Event]:
        found = neo4j_events.read_events(self._rows(neo4j_events.read_events_query(by="actors"),
                                                    actors=sorted(set(actor_ids))))
        return neo4j_events.with_sentences(found, self._rows)

    @_unavailable
    def events_of_edges(self, relations: Iterable[Relation], within: Collection[str]) -> list[Event]:
        relations = list(relations)
        keys = {r.key for r in relations}
        found = neo4j_events.read_events(self._rows(neo4j_events.read_events_query(by="within"),
                                                    within=sorted(set(within))))
        found = [e for e in found if any(k in keys for k in e.edge_keys())]
        return neo4j_events.with_sentences(found, self._rows, known=relations)

    @_unavailable
    def get_event(self, event_id: str) -> Event | None:
        found = neo4j_events.read_events(self._rows(neo4j_events.read_events_query(by="id"), id=event_id))
        return neo4j_events.with_sentences(found, self._rows)[0] if found else None

    @_unavailable
    def projection(self, flt: RelationFilter | None = None) -> nx.MultiDiGraph:
        return build_projection(self.actors(), self._relations(flt, None, provenance=False))

    @_unavailable
    def centrality(self, flt: RelationFilter, metric: str, *, version: str):
        return self.analytics.centrality(flt, metric, version)

    @_unavailable
    def stats(self) -> dict:
        nodes = {r["type"]: r["n"] for r in self._read(q.node_counts())}
        rels = {r["type"]: r["n"] for r in self._read(q.relation_counts())}
        return {"nodes": {t.value: nodes.get(t.value, 0) for t in NodeType},
                "relations": {t.value: rels.get(t.value, 0) for t in RelType},
                "articles": self._read(q.article_count())[0]["n"]}

    @_unavailable
    def version(self) -> str:
        return self._version()

    def _read_version(self) -> str:
        """The bookmark of an empty read transaction: it names the last transaction committed to
        the database (and the database itself), so it changes with every committed write, of
        any client, and only then. Compared, never parsed: the driver calls bookmarks opaque."""
        with self.driver.session(database=self.database, default_access_mode="READ") as session:
            session.execute_read(_consume, q.ping())
            return " ".join(sorted(session.last_bookmarks().raw_values))

    @_unavailable
    def ping(self) -> None:
        self.driver.verify_connectivity()

    @contextmanager
    def writing(self) -> Iterator[None]:
        """The writers of this database, in every process, one at a time: a transaction holds
        the write lock of a ``WriteLock`` node while the block runs (rolled back after, and by the
        server if this process dies)."""
        with super().writing():
            try:
                with self.driver.session(database=self.database) as session:
                    session.run(_LOCK_NODE).consume()  # a no-op once ensure_schema made it
                    tx = session.begin_transaction()
                    try:
                        tx.run("MATCH (l:WriteLock {id: 'ingest'}) SET l.held = true").consume()
                        yield
                    finally:
                        tx.rollback()
            except (ServiceUnavailable, SessionExpired, TransientError) as exc:
                raise StoreUnavailable(f"Neo4j database {self.database!r} {classify(exc)}: {exc}",
                                       classify(exc)) from exc

    def close(self) -> None:
        if self.owns_driver:
            self.driver.close()


_LOCK_NODE = "MERGE (:WriteLock {id: 'ingest'})"


# -- transaction functions: pure in their arguments, since the driver may retry them ------------

def _write_actors(tx: ManagedTransaction, actors: Sequence[Actor]) -> tuple[UpsertResult, dict[str, str]]:
    """Read the stored actors, merge the batch's into them as Actor.merge does, write the changed.
    Also every actor's element id, by actor id, for the later phases (``cypher.by_element``)."""
    stored: dict[str, Actor] = {}
    elements: dict[str, str] = {}
    for record in tx_rows(tx, q.existing_actors(), ids=Rows(a.id for a in actors)):
        actor = _actor(record)
        stored[actor.id], elements[actor.id] = actor, record["element"]
    part = UpsertResult()
    rows: dict[NodeType, list[dict]] = defaultdict(list)
    for have in merge_actors(stored, actors, part):
        rows[have.type].append(_actor_row(have))
    for node_type, type_rows in rows.items():
        tx.run(q.upsert_actors(node_type), rows=Rows(type_rows)).consume()
    elements.update(_elements(tx, q.actor_elements(), [a.id for a in actors if a.id not in elements]))
    return part, elements


def _writing(work: Callable[..., T]) -> Callable[..., T]:
    """A task of ``Writers.start``: the transaction function ``work`` in one managed
    write transaction."""
    return lambda session, *args: session.execute_write(work, *args)


def _write_relation_chunk(session: Session, rel_type: RelType, rows: list[dict]) -> UpsertResult:
    try:
        return session.execute_write(_write_relations, rel_type, rows)
    except ConstraintError:  # a concurrent writer created one of the new keys
        return session.execute_write(_write_relations, rel_type, rows, create=False)


def _write_relations(tx: ManagedTransaction, rel_type: RelType, rows: list[dict], *,
                     create: bool = True) -> UpsertResult:
    """Read the stored state of the rows' relations, then write only the new and the changed: a
    relation whose citations are all stored and whose place and what are known is left alone.
    ``create``: the relations the read found absent are created (``create_relations``: no MERGE's
    lock and second lookup per row), the changed merged; False merges all of them (after a
    concurrent writer made one of the new ones: the key's uniqueness constraint refused the CREATE)."""
    rows = _with_elements(tx, rows)
    stored = {r["key"]: r["values"] for r in tx_rows(tx, q.stored_relations(rel_type),
                                                    keys=Rows(row["key"] for row in rows),
                                                    props=q.STORED_RELATION_PROPS)}
    part, new, changed = UpsertResult(), [], []
    for row in rows:
        have = stored.get(row["key"])
        if have is None:
            part.provenance += len(row["prov_ids"])
            (new if create else changed).append(row)
            continue
        ids, place, what = have
        known = set(ids or ())
        fresh = sum(1 for i in row["prov_ids"] if i not in known)
        filled = (place is None and row["place"] is not None) or (what is None and row["what"] is not None)
        if fresh or filled:
            part.provenance += fresh
            part.updated += filled
            changed.append(row)
    if new:
        part.relations += tx.run(q.create_relations(rel_type), rows=Rows(new)).consume().counters.relationships_created
    if changed:
        part.relations += tx.run(q.upsert_relations(rel_type), rows=Rows(changed)).consume().counters.relationships_created
    return part


def _write_event_chunk(session: Session, rows: list[dict]) -> int:
    try:
        return session.execute_write(neo4j_events.write_events, rows)
    except ConstraintError:  # a concurrent writer created one of the new events
        return session.execute_write(neo4j_events.write_events, rows, create=False)


def _write_articles(tx: ManagedTransaction, rows: list[dict]) -> tuple[UpsertResult, set[str], dict[str, str]]:
    """Merge the articles; also the ids of those this transaction created (none stored before), and
    every article's element id by article id (``cypher.by_element``)."""
    elements = _elements(tx, q.existing_articles(), [row["id"] for row in rows])
    created = tx.run(q.upsert_articles(), rows=Rows(rows)).consume().counters.nodes_created
    new = [row["id"] for row in rows if row["id"] not in elements]
    elements.update(_elements(tx, q.existing_articles(), new))
    return UpsertResult(articles=created), set(new), elements


def _mention_count(row: dict) -> int:
    return len(row["actors"])


def _write_mentions(tx: ManagedTransaction, rows: list[dict], create: bool = False) -> int:
    """Rows of ``cypher.write_mentions``. ``create``: every row's article was created by this
    upsert, so it mentions no one yet (one writer at a time, as for aliases: another writer's MERGE
    of the same pair meanwhile could leave two)."""
    return tx.run(q.write_mentions(create=create), rows=Rows(rows)).consume().counters.relationships_created


def _elements(tx: ManagedTransaction, query: str, ids: list[str]) -> dict[str, str]:
    """Node id -> element id of the stored nodes of ``ids``, by ``query`` (``actor_elements``,
    ``existing_articles``); no read for no ids."""
    return {r["id"]: r["element"] for r in tx_rows(tx, query, ids=Rows(ids))} if ids else {}


def _with_elements(tx: ManagedTransaction, rows: list[dict]) -> list[dict]:
    """Relation rows with their ends' element ids (``s``, ``t``) as ``create_relations`` and
    ``upsert_relations`` find them: the upsert sets them from its actor phase; rows written
    without one (a single relation, as ``bench.ingest`` times) get them read here. New rows,
    so a retried transaction function starts from its own arguments."""
    if all("s" in row for row in rows):
        return rows
    ends = sorted({end for row in rows for end in (row["source"], row["target"])})
    elements = _elements(tx, q.actor_elements(), ends)
    return [{**row, "s": elements.get(row["source"]), "t": elements.get(row["target"])} for row in rows]


def _consume(tx: ManagedTransaction, query: str) -> None:
    tx.run(query).consume()


def _add(total: UpsertResult, part: UpsertResult) -> None:
    total.actors += part.actors
    total.relations += part.relations
    total.provenance += part.provenance
    total.articles += part.articles
    total.updated += part.updated


# -- rows and records ---------------------------------------------------------------------------

def _actor_row(a: Actor) -> dict[str, Any]:
    return {"id": a.id, "type": a.type.value, "name": a.name, "aliases": list(a.aliases), "rank": a.rank,
            "title": a.title}


def relation_row(r: Relation, key: str | None = None) -> dict[str, Any]:
    """A relation as one UNWIND row of ``upsert_relations``: its provenance as parallel lists.
    ``key``: the relation's key when the caller has it (a batch's dict key), to skip recomputing it."""
    ps = r.provenance
    # Spelled out per list (not getattr over PROVENANCE_LISTS): this runs for every relation written.
    return {"key": key or r.key, "source": r.source, "target": r.target, "date": r.date or None,
            "place": r.place, "what": r.what,
            "prov_ids": [p.id for p in ps], "articles": [p.article for p in ps],
            "sentences": [p.sentence for p in ps], "starts": [p.start for p in ps], "ends": [p.end for p in ps],
            "confidences": [p.confidence for p in ps]}


def _actor(record: Any) -> Actor:
    return Actor.from_dict(record["actor"])


def _relation(record: Any, provenance: bool) -> Relation:
    props = record["props"]
    rel = Relation(source=record["source"], target=record["target"], type=record["type"], date=props.get("date"),
                   place=props.get("place"), what=props.get("what"))
    if provenance:
        lists = [props.get(prop) or [] for prop in q.PROVENANCE_LISTS.values()]
        # lists[0] holds the ids, derived from the other fields: not needed to rebuild an entry.
        rel.provenance = [Provenance(article=a, sentence=s, start=st, end=e, confidence=c)
                          for a, s, st, e, c in zip(*lists[1:])]
    return rel
