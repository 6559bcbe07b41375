"""Centrality on the Neo4j store, on the real server: with Graph Data Science it runs there and
answers as the embedded engine does on the same graph; without it (use_gds=False) the relations'
endpoints stream into the compiled engine."""
from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import networkx as nx
import pytest

from graph.analytics import algorithms, engine
from graph.stores.embedded.store import EmbeddedStore
from graph.model import Actor, GraphBatch, NodeType, Relation, RelType
from graph.stores.neo4j.analytics import PROJECTION_PREFIX
from graph.stores.interface import RelationFilter
from graph.queries.views import GraphViews

pytestmark = pytest.mark.neo4j


def _batch() -> GraphBatch:
    """A scale-free web of meetings among fictional people (some met twice, some both ways, dated
    in two years), members of two forces, and a few actors with no relation at all."""
    b = GraphBatch()
    people = [b.add_actor(Actor(f"person:officer-{i}", NodeType.PERSON, f"Officer {i} of Veloria")).id
              for i in range(120)]
    forces = [b.add_actor(Actor(f"armedforce:ostrland-{i}", NodeType.ARMED_FORCE, f"Ostrland Force {i}")).id
              for i in range(2)]
    for i in range(3):
        b.add_actor(Actor(f"state:marenzia-{i}", NodeType.STATE, f"Marenzia {i}"))
    for j, (u, v) in enumerate(nx.barabasi_albert_graph(len(people), 2, seed=11).edges):
        year = "2024" if j % 3 else "2025"
        b.add_relation(Relation(people[u], people[v], RelType.MET, date=f"{year}-03-0{1 + j % 9}"))
        if j % 7 == 0:  # the same pair again, the other way round
            b.add_relation(Relation(people[v], people[u], RelType.MET, date=f"{year}-05-0{1 + j % 9}"))
    for i, p in enumerate(people[:40]):
        b.add_relation(Relation(p, forces[i % 2], RelType.MEMBER_OF))
    return b


FILTERS = [RelationFilter(), RelationFilter(types=frozenset({RelType.MET}), since="2025-01-01")]


@pytest.fixture
def graphs(neo4j_store, tmp_path):
    assert neo4j_store.analytics.gds, "the tests' server has Graph Data Science (scripts/neo4j-local installs it)"
    embedded = EmbeddedStore(tmp_path / "graph.json")
    batch = _batch()
    neo4j_store.upsert(batch)
    embedded.upsert(batch)
    yield neo4j_store, embedded
    neo4j_store.analytics.drop_projections()
    embedded.close()


@pytest.mark.parametrize("flt", FILTERS, ids=["all", "met-2025"])
@pytest.mark.parametrize("metric", algorithms.CENTRALITY_METRICS)
def test_gds_answers_as_the_embedded_engines_do(graphs, metric, flt):
    neo4j, embedded = graphs
    on_server = GraphViews(neo4j).get(flt).centrality(metric, neo4j)
    # Eigenvector is the engines' (GDS's power iteration fails on bipartite parts): networkx here.
    assert on_server.engine == ("networkx" if metric == "eigenvector" else "gds") and not on_server.approximate
    G = embedded.projection(flt)
    reference = algorithms.centrality(algorithms.undirected(G), metric)
    compiled = engine.CompactGraph.from_projection(G).centrality(metric)
    assert set(on_server) == set(reference) == set(compiled)
    # networkx's own power iteration stops at a looser tolerance than ARPACK's: 1e-3 for eigenvector.
    tolerance = 1e-3 if metric == "eigenvector" else 1e-4
    for node, score in reference.items():
        assert on_server[node] == pytest.approx(score, abs=tolerance), (metric, node)
        assert compiled[node] == pytest.approx(score, abs=tolerance), (metric, node)
    top = sorted(reference, key=lambda n: (-reference[n], n))[:3]
    if len({round(reference[n], 6) for n in top}) == 3:  # untied: the same order everywhere
        assert sorted(on_server, key=lambda n: (-on_server[n], n))[:3] == top


def test_one_projection_per_version_and_older_ones_dropped(graphs):
    neo4j, _ = graphs

    def names() -> list[str]:
        return [r["graphName"] for r in neo4j.driver.execute_query(
            "CALL gds.graph.list() YIELD graphName RETURN graphName").records
            if r["graphName"].startswith(PROJECTION_PREFIX)]

    neo4j.centrality(FILTERS[0], "pagerank", version=neo4j.version())
    neo4j.centrality(FILTERS[0], "degree", version=neo4j.version())
    neo4j.centrality(FILTERS[1], "degree", version=neo4j.version())
    assert len(names()) == 2  # one per filter of this version, shared by the metrics
    before = set(names())
    neo4j.upsert(GraphBatch(actors={"person:new": Actor("person:new", NodeType.PERSON, "Gen Reyvik")}))
    result = neo4j.centrality(FILTERS[0], "degree", version=neo4j.version())
    assert "person:new" in result and result["person:new"] == 0.0
    assert len(names()) == 1 and not set(names()) & before


def test_without_gds_the_endpoints_stream_into_the_engine(graphs, neo4j_driver, neo4j_env, monkeypatch):
    from graph.stores.neo4j.store import Neo4jStore

    neo4j, embedded = graphs
    plain = Neo4jStore(neo4j_driver, neo4j_env.database, use_gds=False)
    assert not plain.analytics.gds
    # Small graphs are networkx's (None: the view scores its own projection) ...
    assert plain.centrality(FILTERS[0], "degree", version=plain.version()) is None
    assert GraphViews(plain).get().centrality("degree", plain).engine == "networkx"
    # ... large ones the compiled engine's, from the streamed endpoints.
    monkeypatch.setattr(engine, "ENGINE_MIN_NODES", 10)
    for flt in FILTERS:
        streamed = plain.analytics.compact(flt, plain.version())
        built = engine.CompactGraph.from_projection(embedded.projection(flt))
        assert set(streamed.names) == set(built.names)
        ties = {frozenset((streamed.names[u], streamed.names[v])) for u, v in streamed.edges}
        assert ties == {frozenset((built.names[u], built.names[v])) for u, v in built.edges}
        result = GraphViews(plain).get(flt).centrality("pagerank", plain)
        reference = algorithms.centrality(algorithms.undirected(embedded.projection(flt)), "pagerank")
        assert result.engine == "igraph"
        assert max(abs(result[n] - reference[n]) for n in reference) < 1e-4


def test_on_a_large_graph_betweenness_and_closeness_go_to_the_engine_with_its_bound(graphs, monkeypatch):
    # GDS would sample betweenness without a stated error and keep closeness exact (25 s and 58 s at
    # a million relations); the engine answers them with KADABRA's bound and the exact top k, as
    # on the embedded store. Pagerank stays on GDS.
    neo4j, embedded = graphs
    monkeypatch.setattr(engine, "BETWEENNESS_EXACT_WORK", 0)
    monkeypatch.setattr(engine, "CLOSENESS_EXACT_WORK", 0)
    monkeypatch.setattr(engine, "ENGINE_MIN_NODES", 0)
    H = algorithms.undirected(embedded.projection(FILTERS[0]))
    between = neo4j.centrality(FILTERS[0], "betweenness", version=neo4j.version())
    assert between.engine == "networkit" and between.approximate and between.error == engine.BETWEENNESS_ERROR
    exact = algorithms.centrality(H, "betweenness")
    assert max(between, key=between.get) == max(exact, key=exact.get)
    assert sum(between.values()) == pytest.approx(sum(exact.values()), rel=0.25)
    close = neo4j.centrality(FILTERS[0], "closeness", version=neo4j.version())
    assert close.engine == "networkit" and close.top == min(engine.CLOSENESS_TOP_K, H.number_of_nodes())
    reference = algorithms.centrality(H, "closeness")
    assert close == pytest.approx({a: reference[a] for a in close})  # the top k, exactly
    assert neo4j.centrality(FILTERS[0], "pagerank", version=neo4j.version()).engine == "gds"



def test_with_gds_the_unfiltered_arrays_come_from_its_projection(graphs):
    # The engine's arrays of the unfiltered graph come from GDS's native projection (integer ids),
    # the filtered ones from the endpoint stream: the same ties either way.
    neo4j, embedded = graphs
    for flt in FILTERS:
        arrays = neo4j.analytics.compact(flt, neo4j.version())
        built = engine.CompactGraph.from_projection(embedded.projection(flt))
        assert sorted(arrays.names) == sorted(built.names)
        ties = sorted(tuple(sorted((arrays.names[u], arrays.names[v]))) for u, v in arrays.edges)
        assert ties == sorted(tuple(sorted((built.names[u], built.names[v]))) for u, v in built.edges)



@pytest.mark.parametrize("flt", FILTERS, ids=["native", "cypher"])
def test_a_projection_another_client_made_meanwhile_is_used_not_refused(graphs, flt):
    """Two workers scoring the same version at once both find no projection and both project: the
    later one's refusal means the projection is there to use. GDS words it as "already exists"
    when it checks the name first, "already loaded" when both passed that check (seen under load)."""
    from graph.stores.neo4j.analytics import Neo4jAnalytics, projected_meanwhile

    assert projected_meanwhile("... IllegalArgumentException: A graph with name 'x' already exists.")
    assert projected_meanwhile("... IllegalStateException: Graph name x already loaded")
    assert not projected_meanwhile("... Procedure call does not provide the required number of arguments")

    neo4j, _ = graphs
    version = neo4j.version()
    for _ in range(4):  # rounds: the closer race ("already loaded") needs both past GDS's check
        neo4j.analytics.drop_projections()
        clients = [Neo4jAnalytics(neo4j.driver, neo4j.database, use_gds=True) for _ in range(4)]
        with ThreadPoolExecutor(len(clients)) as pool:
            made = list(pool.map(lambda c: c._projection(flt, version), clients))
        assert len(set(made)) == 1, made
    assert neo4j.centrality(flt, "degree", version=version).engine == "gds"
