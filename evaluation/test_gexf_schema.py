"""The GEXF export against the GEXF 1.3 XML Schema (``../shared/schemas/gexf-1.3``), with lxml."""
from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

from graph.exports.gexf import to_gexf
from graph.model import GraphBatch
from tests.sample_graph import sample_batch


@pytest.fixture(scope="module")
def gexf_schema(shared_eval: Path) -> etree.XMLSchema:
    xsd = shared_eval.parent / "schemas" / "gexf-1.3" / "gexf.xsd"
    return etree.XMLSchema(etree.parse(str(xsd)))


def _errors(schema: etree.XMLSchema, data: bytes) -> list[str]:
    schema.validate(etree.fromstring(data))
    return [f"line {e.line}: {e.message}" for e in schema.error_log]


def _with_events() -> GraphBatch:
    """The sample graph with the events its edges stand for: event nodes and IN_EVENT edges too."""
    from graph.model.events import events_from_relations
    batch = sample_batch()
    for ev in events_from_relations(batch.relations.values()):
        batch.add_event(ev)
    assert batch.events
    return batch


@pytest.mark.parametrize("batch", [sample_batch(), GraphBatch(), _with_events()], ids=["sample", "empty", "events"])
def test_gexf_validates_against_the_gexf_1_3_schema(gexf_schema, batch):
    assert _errors(gexf_schema, to_gexf(batch, title="Freedonia & Sylvania")) == []


def test_the_schema_rejects_what_the_old_export_wrote(gexf_schema):
    """The check has teeth: a graph@name, as networkx writes, fails it."""
    data = to_gexf(sample_batch()).replace(b'<graph ', b'<graph name="" ', 1)
    assert any("name" in e for e in _errors(gexf_schema, data))


def test_bench_sized_gexf_validates(gexf_schema):
    from bench.export import synthetic_batch

    assert _errors(gexf_schema, to_gexf(synthetic_batch(300))) == []
