"""The domain and its storage, in layers; each imports only those below it:

- ``graph.exports``, ``graph.queries``: formats of a batch; what the service asks of any store;
- ``graph.stores``: the store interface, the embedded (SQLite) and Neo4j stores;
- ``graph.analytics``, ``graph.curation``: computation over projections; analysts' judgements;
- ``graph.model``: actors, relations, articles, events, the batch (no I/O).

Imports neither ``loaders`` nor ``service``: data flows loaders -> graph -> service. The contracts
in pyproject.toml (``[tool.importlinter]``) hold these layers, checked by tests/test_layers.py.
"""
