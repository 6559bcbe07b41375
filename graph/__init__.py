"""The domain: the graph model, the stores, the algorithms and the exports.

Imports neither ``loaders`` nor ``service``: data flows loaders -> graph -> service.
"""
