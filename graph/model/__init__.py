"""The domain, with no I/O: actors, relations, articles and their ids (``records``), events and their
codes in the field's ontologies (``events``, ``event_codes``), how well a report is corroborated
(``corroboration``, ``sourcing``), the filters reads take (``filters``), and ``GraphBatch``, the unit
every layer above passes around.

May import: the standard library only. Everything else in the project imports it.
The package exports the records and the batch (the old ``graph.model`` module's names); the rest is
imported from its module.
"""
from graph.model.batch import GraphBatch
from graph.model.records import (EVENT_TYPES, STRUCTURE_TYPES, SYMMETRIC_TYPES, Actor, Article, NodeType, Provenance,
                                 Relation, RelType, actor_id, content_hash, relation_key, slugify)

__all__ = [
    "NodeType", "RelType", "EVENT_TYPES", "SYMMETRIC_TYPES", "STRUCTURE_TYPES",
    "Actor", "Provenance", "Relation", "Article", "GraphBatch",
    "slugify", "actor_id", "relation_key", "content_hash",
]
