"""The embedded store: the graph in one SQLite file, networkx projections in memory; no server, the
default store. ``store`` holds the writes, curation, the in-memory cache and its catch-up on other
processes' writes; ``walks`` the reads that go straight to SQLite on the thread's own connection;
``tables`` the schema and how rows become records; ``events`` the events tables; ``database``
opening the file and the folder's writer lock.

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``, ``graph.stores.interface``.
"""
