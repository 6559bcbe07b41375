"""The Excel workbook read back with openpyxl: nodes, relations with their citations, articles."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from graph.exports import export
from graph.exports.xlsx import ARTICLE_COLUMNS, EVENT_COLUMNS, NODE_COLUMNS, RELATION_COLUMNS, to_xlsx
from graph.model import Actor, GraphBatch, NodeType, Provenance, Relation, RelType, actor_id
from tests.sample_graph import IDS, TRICKY_SENTENCE, sample_batch


def _rows(wb, sheet: str) -> list[dict]:
    ws = wb[sheet]
    header, *rows = [list(r) for r in ws.iter_rows(values_only=True)]
    return [dict(zip(header, r)) for r in rows]


@pytest.fixture(scope="module")
def batch() -> GraphBatch:
    return sample_batch()


@pytest.fixture(scope="module")
def wb(batch):
    return load_workbook(io.BytesIO(to_xlsx(batch)))


def test_workbook_has_the_four_sheets_with_frozen_filtered_headers(wb):
    assert wb.sheetnames == ["nodes", "relations", "events", "articles"]
    for name, columns in (("nodes", NODE_COLUMNS), ("relations", RELATION_COLUMNS), ("events", EVENT_COLUMNS),
                          ("articles", ARTICLE_COLUMNS)):
        ws = wb[name]
        assert tuple(c.value for c in ws[1]) == columns
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
        assert ws["A1"].font.b


def test_nodes_sheet_lists_every_actor(wb, batch):
    rows = {r["id"]: r for r in _rows(wb, "nodes")}
    assert set(rows) == set(batch.actors)
    brezka = rows[IDS["brezka"]]
    assert (brezka["name"], brezka["type"], brezka["rank"]) == ("Anna Brežka", "Person", "General")
    assert brezka["aliases"] == "Gen Brežka; CDS; Freedonia"
    assert brezka["relations"] == sum(IDS["brezka"] in (r.source, r.target) for r in batch.relations.values())


def test_relations_sheet_has_one_row_per_citation_with_article_sentence_date_and_place(wb, batch):
    rows = _rows(wb, "relations")
    assert len(rows) == sum(max(1, len(r.provenance)) for r in batch.relations.values())
    assert {r["key"] for r in rows} == set(batch.relations)
    met = [r for r in rows if r["type"] == "MET" and r["date"] == "2025-03-04"]
    assert [r["article"] for r in met] == ["a1.txt", "a2.txt"]
    assert met[1]["sentence"] == TRICKY_SENTENCE and met[1]["confidence"] == 0.75
    assert (met[0]["source"], met[0]["target"], met[0]["place"], met[0]["place id"]) == \
        ("Anna Brežka", "Tomas Vell", "Vellmar", IDS["vellmar"])
    assert met[0]["article title"] == "Freedonian chief in Vellmar <talks>" and met[0]["published"] == "2025-03-04"
    assert isinstance(met[0]["start"], int) and met[0]["end"] - met[0]["start"] == len(met[0]["sentence"])
    uncited = [r for r in rows if r["type"] == "PART_OF"]
    assert uncited and all(r["article"] is None and r["sentence"] is None for r in uncited)


def test_articles_sheet_counts_citations(wb, batch):
    rows = {r["id"]: r for r in _rows(wb, "articles")}
    assert set(rows) == set(batch.articles)
    assert rows["a1.txt"]["url"] == "https://example.org/a1?x=1&y=2"
    assert rows["a1.txt"]["citations"] == 2 and rows["a3.txt"]["title"] is None


def test_text_that_looks_like_a_formula_stays_text_and_places_outside_the_batch_get_names():
    b = GraphBatch()
    for n in ("Jo Quill", "Ada Fenn"):
        b.add_actor(Actor(id=actor_id(NodeType.PERSON, n), type=NodeType.PERSON, name=n))
    sentence = '=HYPERLINK("http://example.invalid","x") said Quill\x07.'
    b.add_relation(Relation(actor_id(NodeType.PERSON, "Jo Quill"), actor_id(NodeType.PERSON, "Ada Fenn"), RelType.MET,
                            date="2025-05", place="place:castel-vor",
                            provenance=[Provenance("q.txt", sentence, 0, len(sentence))]))
    wb = load_workbook(io.BytesIO(export(b, "xlsx")))
    (row,) = _rows(wb, "relations")
    assert row["sentence"] == sentence.replace("\x07", "\ufffd")
    assert wb["relations"]["M2"].data_type == "s"
    assert (row["place"], row["place id"]) == ("Castel Vor", "place:castel-vor")


def test_empty_graph_is_a_workbook_with_headers_only():
    wb = load_workbook(io.BytesIO(to_xlsx(GraphBatch())))
    assert [wb[s].max_row for s in wb.sheetnames] == [1, 1, 1, 1]


def test_events_sheet_has_one_row_per_event_with_participants_roles_and_codes(batch):
    from graph.model.batch import complete_events
    from graph.model.events import events_from_relations
    with_events = GraphBatch.from_dict(batch.to_dict())
    for ev in events_from_relations(with_events.relations.values()):
        with_events.add_event(ev)
    events = complete_events(with_events)
    rows = {r["id"]: r for r in _rows(load_workbook(io.BytesIO(to_xlsx(with_events))), "events")}
    assert set(rows) == {ev.id for ev in events} and rows
    signed = next(r for r in rows.values() if r["type"] == "SIGNED")
    assert set(signed["participant ids"].split("; ")) == {IDS["freedonia"], IDS["sylvania"]}
    assert set(signed["participants"].split("; ")) == {"Freedonia", "Sylvania"}
    assert signed["cameo"] and signed["plover"] and signed["date"] == "2025-03-06"
    assert signed["sources"] >= 1 and signed["articles"] >= 1
