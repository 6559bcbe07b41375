"""Centrality on the Neo4j store: on the server with Graph Data Science when it has GDS, else in the
compiled engine (``graph.analytics.engine``) from the relations' endpoints read in a stream.

With GDS, each graph version and filter gets one named in-memory projection (a Cypher projection:
the filter applies server-side, nothing but scores crosses the wire), the algorithms stream their
scores from it, and projections of older versions are dropped when a new version is projected.
Scores are normalised as networkx normalises them, so every engine answers alike (the contract
test ``tests/stores/test_gds.py`` compares them on the real server).

Eigenvector centrality never runs on GDS (see GDS_METRICS). Without GDS (or with
``use_gds=False``), and for eigenvector, the relations are read as bare endpoint ids, unsorted and
without property maps, in the driver's fetch-size chunks, straight into the engine's arrays.
"""
from __future__ import annotations

import hashlib
import logging
import threading
from itertools import chain
from typing import Any

import numpy as np
from neo4j import Driver, RoutingControl
from neo4j.exceptions import ClientError

from graph.analytics import engine
from graph.stores.neo4j import gds as gq
from graph.analytics.algorithms import CentralityResult
from graph.model import STRUCTURE_TYPES, RelType
from graph.stores.interface import RelationFilter

__all__ = ["Neo4jAnalytics", "PROJECTION_PREFIX", "GDS_METRICS", "FETCH_SIZE", "projected_meanwhile"]

log = logging.getLogger("actorgraph.store")

PROJECTION_PREFIX = "actorgraph-"
# What GDS computes. Not eigenvector: its power iteration on the adjacency matrix does not converge
# on a bipartite component (a tree, a star: half the nodes score 0), which our graphs are full of;
# igraph's ARPACK solves it, from the endpoint stream, on the same graph.
GDS_METRICS = frozenset({"degree", "pagerank", "betweenness", "closeness"})
# Rows per Bolt pull when streaming relation endpoints.
FETCH_SIZE = 20_000


def projected_meanwhile(message: str | None) -> bool:
    """Whether GDS's refusal ``message`` says another client (a worker, another process) made a
    projection of the same name meanwhile: "already exists" when GDS checks the name first,
    "already loaded" when both requests passed that check. Either way it is this one's."""
    return any(words in (message or "") for words in ("already exists", "already loaded"))


def _filter_params(flt: RelationFilter) -> dict[str, Any]:
    return {"types": None if flt.types is None else [RelType(t).value for t in flt.types],
            "structure": [t.value for t in STRUCTURE_TYPES], "since": flt.since, "until": flt.until}


def _digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()[:12]


class Neo4jAnalytics:
    """Centrality for one Neo4j database. ``use_gds``: None to use GDS when the server has it,
    False never to (the endpoint stream and the engine instead)."""

    def __init__(self, driver: Driver, database: str, *, use_gds: bool | None = None):
        self.driver, self.database = driver, database
        self._use_gds = use_gds
        self._lock = threading.RLock()  # compact() projects under it too
        self._compact: tuple[tuple[str, RelationFilter], engine.CompactGraph] | None = None

    @property
    def gds(self) -> bool:
        """Whether centrality runs on the server (asked once: a plugin does not come and go)."""
        if self._use_gds is None:
            try:
                self._read(gq.gds_version())
                self._use_gds = True
            except ClientError:  # Neo.ClientError.Statement.SyntaxError: unknown function
                self._use_gds = False
        return self._use_gds

    def _read(self, query: str, **params: Any) -> list:
        return self.driver.execute_query(query, parameters_=params, routing_=RoutingControl.READ,
                                         database_=self.database).records

    def centrality(self, flt: RelationFilter, metric: str, version: str) -> CentralityResult | None:
        if flt.min_sources:
            # Outlets are counted from the cited articles (graph.model.sourcing), not on the server: the
            # view's own projection has the filter applied, so it scores that.
            return None
        if self.gds and metric in GDS_METRICS and not self._engine_scores_better(metric):
            try:
                return self._gds_centrality(flt, metric, version)
            except ClientError as exc:
                if not (exc.code or "").startswith("Neo.ClientError.Procedure."):
                    raise
                # e.g. GDS refusing a projection its memory estimate says the heap cannot hold
                log.warning("gds %s failed (%s); scoring in the compiled engine instead", metric, exc.message)
        nodes = self._read("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"]
        if not engine.use_engine(nodes):
            return None  # a small graph: networkx on the view's projection, the reference
        return self.compact(flt, version).centrality(metric)

    def _engine_scores_better(self, metric: str) -> bool:
        """Whether ``metric`` goes to the compiled engine although GDS is there: betweenness and
        closeness on a graph too large for one BFS per node. There GDS samples 256 sources with no
        stated error, and its closeness stays exact (25 s and 58 s at a million relations), while
        the engine has KADABRA's bound and the exact top-k closeness (7.4 s each, stream
        included), as the embedded store answers them."""
        if metric not in ("betweenness", "closeness"):
            return False
        # Both from the count store (no scan); every relationship counts, so m bounds the ties from above.
        n = self._read("MATCH (a:Actor) RETURN count(a) AS n")[0]["n"]
        m = self._read("MATCH ()-[r]->() RETURN count(r) AS m")[0]["m"]
        work = engine.BETWEENNESS_EXACT_WORK if metric == "betweenness" else engine.CLOSENESS_EXACT_WORK
        return n * m > work

    # -- with GDS --------------------------------------------------------------------------------

    def _projection(self, flt: RelationFilter, version: str) -> tuple[str, int, int]:
        """The name of the projection of ``flt`` at ``version`` (made if missing), its nodes and ties."""
        prefix = f"{PROJECTION_PREFIX}{_digest(self.database)}-"
        name = f"{prefix}{_digest(version)}-{_digest(repr(flt))}"
        with self._lock:
            stale = [r["name"] for r in self._read(gq.projections(), prefix=prefix, database=self.database)]
            for old in stale:
                if old != name and not old.startswith(f"{prefix}{_digest(version)}-"):
                    self._write(gq.drop_projection(), name=old)
            if name not in stale:
                try:
                    record = (self._write(gq.project_native(), name=name) if flt == RelationFilter() else
                              self._write(gq.project(), name=name, **_filter_params(flt)))[0]
                    return name, record["nodes"], record["ties"]
                except ClientError as exc:
                    if not projected_meanwhile(exc.message):
                        raise
        info = self._read("CALL gds.graph.list($name) YIELD nodeCount, relationshipCount "
                          "RETURN nodeCount AS nodes, relationshipCount AS ties", name=name)[0]
        return name, info["nodes"], info["ties"]

    def _write(self, query: str, **params: Any) -> list:
        return self.driver.execute_query(query, parameters_=params, database_=self.database).records

    def _gds_centrality(self, flt: RelationFilter, metric: str, version: str) -> CentralityResult:
        name, n, _ = self._projection(flt, version)
        if n == 0:
            return CentralityResult({}, metric=metric, engine="gds")
        config: dict[str, Any] = {}
        if metric == "pagerank":
            config = {"dampingFactor": 0.85, "maxIterations": 100, "tolerance": 1e-9}
        elif metric == "closeness":
            config = {"useWassermanFaust": True}
        # (betweenness is exact here: a graph too large for that went to the engine, _engine_scores_better)
        record = self._read(gq.stream(metric), name=name, config=config)[0]
        ids = record["ids"]
        x = np.array([s or 0.0 for s in record["scores"]], dtype=float)
        if metric == "degree":
            x = x / (n - 1) if n > 1 else np.ones_like(x)
        elif metric == "pagerank":
            # GDS does not spread isolated actors' rank; its scores are proportional to networkx's.
            x = x / (x.sum() or 1.0)
        elif metric == "betweenness":
            # GDS counts each pair once, as networkx does before normalising by 2 / ((n-1)(n-2)).
            x = x * 2 / ((n - 1) * (n - 2)) if n > 2 else np.zeros_like(x)
        return CentralityResult(dict(zip(ids, map(float, x))), metric=metric, engine="gds")

    def drop_projections(self) -> None:
        """Drop this database's projections (e.g. when the store closes)."""
        prefix = f"{PROJECTION_PREFIX}{_digest(self.database)}-"
        with self._lock:
            for r in self._read(gq.projections(), prefix=prefix, database=self.database):
                self._write(gq.drop_projection(), name=r["name"])

    # -- without GDS -------------------------------------------------------------------------------

    def compact(self, flt: RelationFilter, version: str) -> engine.CompactGraph:
        """The engine's arrays of ``flt`` at ``version``, from a stream of endpoint ids (cached for
        the last version and filter asked)."""
        key = (version, flt)
        with self._lock:
            if self._compact is not None and self._compact[0] == key:
                return self._compact[1]
            if self.gds and flt == RelationFilter():
                compact = self._compact_from_gds(version)
                self._compact = (key, compact)
                return compact
            names: list[str] = []
            far: list[list[str]] = []
            with self.driver.session(database=self.database, default_access_mode="READ",
                                     fetch_size=FETCH_SIZE) as session:
                def read(tx):
                    names.clear(), far.clear()  # the driver may retry the transaction
                    query, params = ((gq.relation_ends(filtered=False), {}) if flt == RelationFilter() else
                                     (gq.relation_ends(), _filter_params(flt)))
                    for record in tx.run(query, **params):
                        names.append(record[0])
                        far.append(record[1])
                session.execute_read(read)
            index = {node: i for i, node in enumerate(names)}
            sources = np.repeat(np.arange(len(names), dtype=np.int64), [len(ends) for ends in far])
            targets = np.fromiter(map(index.__getitem__, chain.from_iterable(far)), dtype=np.int64,
                                  count=len(sources))
            compact = engine.CompactGraph.from_pairs(names, sources, targets)
            self._compact = (key, compact)
            return compact

    def _compact_from_gds(self, version: str) -> engine.CompactGraph:
        """The unfiltered graph's arrays from its native GDS projection: the ties as pairs of
        integer node ids in two lists, and each id's actor id once (a second at 1M relations,
        against five for the endpoint stream, which sends an actor id string per relation)."""
        name, _, _ = self._projection(RelationFilter(), version)
        nodes = self._read(gq.actor_node_ids(), name=name)[0]
        ties = self._read(gq.tie_pairs(), name=name)[0]
        internal = np.asarray(nodes["ids"], dtype=np.int64)
        order = np.argsort(internal)
        where = order[np.searchsorted(internal[order], np.asarray(ties["s"], dtype=np.int64))]
        there = order[np.searchsorted(internal[order], np.asarray(ties["t"], dtype=np.int64))]
        return engine.CompactGraph.from_pairs(nodes["names"], where, there)
