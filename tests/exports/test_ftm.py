"""The FollowTheMoney export read back with the followthemoney package's own reader and validator."""
from __future__ import annotations

import io
from collections import Counter

import pytest
from click.testing import CliRunner
from followthemoney.cli.cli import cli as ftm_cli
from followthemoney.cli.util import binary_entities
from followthemoney.proxy import EntityProxy

from graph.exports import export
from graph.exports.ftm import address_id, article_entity_id, entity_id, relation_entity_id, to_ftm
from graph.model import Actor, GraphBatch, NodeType, Relation, RelType, actor_id
from tests.sample_graph import IDS, TRICKY_SENTENCE, sample_batch


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return sample_batch()


@pytest.fixture(scope="module")
def data(batch) -> bytes:
    return to_ftm(batch)


@pytest.fixture(scope="module")
def entities(data) -> dict[str, EntityProxy]:
    # cleaned=False: the reader re-cleans every value by its property's type, as for untrusted input.
    read = list(binary_entities(io.BytesIO(data), EntityProxy, cleaned=False))
    assert len(read) == len({e.id for e in read})
    return {e.id: e for e in read}


def test_the_ftm_validate_command_keeps_every_entity_as_written(data, tmp_path):
    import json

    src, out = tmp_path / "in.ftm.json", tmp_path / "out.ftm.json"
    src.write_bytes(data)
    result = CliRunner().invoke(ftm_cli, ["validate", "-i", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    written = [json.loads(line) for line in data.splitlines()]
    validated = [{k: e[k] for k in ("id", "schema", "properties")} for e in map(json.loads, out.read_bytes().splitlines())]
    assert validated == written  # nothing was invalid, so nothing was dropped or changed


def test_every_entity_passes_its_schema_and_every_reference_resolves(entities):
    for e in entities.values():
        assert e.schema.validate(e.to_dict()) is None
        for prop, value in e.itervalues():
            if prop.type.name == "entity":
                assert value in entities, (e.schema.name, prop.name, value)
                assert entities[value].schema.is_a(prop.range), (e.schema.name, prop.name, entities[value].schema.name)


def test_entity_counts_by_schema(entities, batch):
    counts = Counter(e.schema.name for e in entities.values())
    # The naval base is an Organization at an Address of its own; each state has an Address too.
    assert counts == {"Person": 3, "Organization": 4, "PublicBody": 2, "Address": 5, "Article": 3,
                      "Event": 4, "Trip": 1, "Membership": 3, "UnknownLink": 5}
    assert sum(counts.values()) == len(batch.actors) + 3 + len(batch.articles) + len(batch.relations)


def test_every_entity_has_what_its_schema_requires(entities):
    for e in entities.values():
        assert not [p for p in e.schema.required if not e.has(p)], (e.schema.name, e.id)


def test_facilities_are_organisations_at_an_address_not_addresses(entities):
    base = entities[entity_id(IDS["base"])]
    assert base.schema.name == "Organization" and base.get("classification") == ["Facility"]
    where = entities[base.first("addressEntity")]
    assert where.schema.name == "Address" and where.get("full") == ["Port Carrow Naval Base"]


def test_a_visit_by_an_actor_of_no_known_state_stays_an_event():
    b = GraphBatch()
    for t, n in ((NodeType.PERSON, "Jo Quill"), (NodeType.FACILITY, "Ostrel Shipyard")):
        b.add_actor(Actor(id=actor_id(t, n), type=t, name=n))
    b.add_relation(Relation(actor_id(NodeType.PERSON, "Jo Quill"), actor_id(NodeType.FACILITY, "Ostrel Shipyard"),
                            RelType.VISITED, date="2025-04-01"))
    *_, visit = binary_entities(io.BytesIO(to_ftm(b)), EntityProxy, cleaned=False)
    assert visit.schema.name == "Event"
    assert set(visit.get("involved")) == {entity_id(actor_id(NodeType.PERSON, "Jo Quill")),
                                          entity_id(actor_id(NodeType.FACILITY, "Ostrel Shipyard"))}


def test_people_states_and_forces_carry_their_names_and_details(entities):
    brezka = entities[entity_id(IDS["brezka"])]
    assert brezka.schema.name == "Person"
    assert brezka.get("name") == ["Anna Brežka"] and brezka.get("title") == ["General"]
    assert brezka.get("position") == ["Chief of Defence Staff"]
    assert set(brezka.get("alias")) == {"Gen Brežka", "CDS; Freedonia"}
    assert entities[entity_id(IDS["army"])].get("classification") == ["Armed force"]
    freedonia = entities[entity_id(IDS["freedonia"])]
    assert freedonia.schema.name == "PublicBody" and freedonia.get("country") == []  # fictional: no code


def test_a_state_ftm_knows_gets_its_country_code_and_so_do_its_places_and_forces():
    b = GraphBatch()
    norway = actor_id(NodeType.STATE, "Norway")
    for t, n in ((NodeType.STATE, "Norway"), (NodeType.PLACE, "Ostrel Fjord"), (NodeType.ARMED_FORCE, "Ostrel Guard")):
        b.add_actor(Actor(id=actor_id(t, n), type=t, name=n))
    b.add_relation(Relation(actor_id(NodeType.PLACE, "Ostrel Fjord"), norway, RelType.LOCATED_IN))
    b.add_relation(Relation(actor_id(NodeType.ARMED_FORCE, "Ostrel Guard"), norway, RelType.PART_OF))
    read = {e.id: e for e in binary_entities(io.BytesIO(to_ftm(b)), EntityProxy, cleaned=False)}
    state = read[entity_id(norway)]
    assert state.get("country") == ["no"] and state.get("jurisdiction") == ["no"]
    assert read[entity_id(actor_id(NodeType.PLACE, "Ostrel Fjord"))].get("country") == ["no"]
    assert read[entity_id(actor_id(NodeType.ARMED_FORCE, "Ostrel Guard"))].get("country") == ["no"]


def test_events_link_participants_date_place_and_proof(entities, batch):
    met = entities[relation_entity_id(next(k for k in batch.relations if k.startswith("MET|person:anna")))]
    assert met.schema.name == "Event"
    assert set(met.get("involved")) == {entity_id(IDS["brezka"]), entity_id(IDS["vell"])}
    assert met.get("date") == ["2025-03-04"] and met.get("location") == ["Vellmar"]
    assert met.get("addressEntity") == [entity_id(IDS["vellmar"])]
    assert set(met.get("proof")) == {article_entity_id("a1.txt"), article_entity_id("a2.txt")}
    assert TRICKY_SENTENCE in met.first("description")

    signed = entities[relation_entity_id(next(k for k in batch.relations if k.startswith("SIGNED")))]
    assert set(signed.get("involved")) == {entity_id(IDS["freedonia"]), entity_id(IDS["sylvania"])}
    assert signed.get("summary") == ["defence cooperation memorandum"]

    offered = entities[relation_entity_id(next(k for k in batch.relations if k.startswith("OFFERED")))]
    assert offered.get("organizer") == [entity_id(IDS["sylvania"])]
    assert offered.get("involved") == [entity_id(IDS["freedonia"])] and offered.get("date") == ["2025-03"]

    visit = entities[relation_entity_id(next(k for k in batch.relations if k.startswith("VISITED")))]
    assert visit.schema.name == "Trip"
    assert visit.get("endLocation") == [address_id(batch.actors[IDS["base"]])]
    assert visit.get("startLocation") == [address_id(batch.actors[IDS["freedonia"]])]  # Brežka's army's state
    assert entity_id(IDS["base"]) in visit.get("involved")


def test_structure_becomes_memberships_and_named_links(entities, batch):
    links = [e for e in entities.values() if e.schema.edge]
    memberships = {(e.first("member"), e.first("organization")) for e in links if e.schema.name == "Membership"}
    assert (entity_id(IDS["brezka"]), entity_id(IDS["army"])) in memberships
    assert (entity_id(IDS["freedonia"]), entity_id(IDS["council"])) in memberships
    other = {(e.first("subject"), e.first("role"), e.first("object")) for e in links if e.schema.name == "UnknownLink"}
    assert (entity_id(IDS["army"]), "part of", entity_id(IDS["freedonia"])) in other
    assert (entity_id(IDS["base"]), "located in", entity_id(IDS["carrow"])) in other
    assert all(e.first("recordId") in batch.relations for e in links)


def test_a_membership_of_something_not_an_organisation_is_a_named_link():
    b = GraphBatch()
    for t, n in ((NodeType.PERSON, "Jo Quill"), (NodeType.PLACE, "Ostrel")):
        b.add_actor(Actor(id=actor_id(t, n), type=t, name=n))
    b.add_relation(Relation(actor_id(NodeType.PERSON, "Jo Quill"), actor_id(NodeType.PLACE, "Ostrel"), RelType.MEMBER_OF))
    (*_, link) = binary_entities(io.BytesIO(to_ftm(b)), EntityProxy, cleaned=False)
    assert link.schema.name == "UnknownLink" and link.get("role") == ["member of"]


def test_articles_are_ftm_articles(entities, batch):
    a1 = entities[article_entity_id("a1.txt")]
    assert a1.schema.name == "Article" and a1.get("fileName") == ["a1.txt"]
    assert a1.get("publishedAt") == ["2025-03-04"] and a1.get("publisher") == ["The Freedonia Herald"]
    assert a1.get("sourceUrl") == ["https://example.org/a1?x=1&y=2"]


def test_ftm_ids_follow_ftm_syntax_and_are_stable(entities, data):
    from followthemoney.types import registry

    assert all(registry.entity.validate(i) for i in entities)
    assert entity_id("person:anna-brezka") == "ag-person-anna-brezka"
    assert to_ftm(sample_batch()) == data
    assert export(sample_batch(), "ftm") == data


def test_without_followthemoney_the_export_says_what_to_install(monkeypatch):
    import sys

    from graph.exports import ExportUnavailable

    monkeypatch.setitem(sys.modules, "followthemoney", None)  # import followthemoney now fails
    with pytest.raises(ExportUnavailable, match=r"actorgraph\[ftm\]"):
        to_ftm(sample_batch())
