"""The Neo4j store: the store itself (``store``), its concurrent writers (``writers``), its events
(``events``), centrality on the server or in the compiled engine (``analytics``), every Cypher and
GDS statement it runs (``cypher``, ``gds``, and ``schema.cypher``), and the bulk import through
neo4j-admin (``bulk_import``, ``import_files``).

May import: ``graph.model``, ``graph.curation``, ``graph.analytics``, ``graph.stores.interface``,
``graph.stores.coalesce``, and the neo4j driver. Only ``graph.stores.open_store`` and the CLI's
bulk import load it, so the embedded store never loads the driver.
"""
