"""Graph computation that knows no store: algorithms over a networkx projection (paths, centrality,
ego networks), the cost of a path's hop by relation type, the compiled engine for large graphs, path search over a store's own indexes (through
the callables it is handed), trends over time, actor search by name, projections built from rows,
and the pacing of background work.

May import: ``graph.model``. Imported by the stores, ``graph.queries`` and the service.
"""
