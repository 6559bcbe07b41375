"""The stores (graph.stores): the contract both keep, each one's own promises, curation and
min_sources on both, the Neo4j store's writes, faults, bulk import and analytics on the real server."""
