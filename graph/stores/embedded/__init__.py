"""The embedded store: the graph in one SQLite file (``store``), its events tables (``events``),
networkx projections in memory. No server; the default store.

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``, ``graph.stores.interface``.
"""
