"""Curation on both stores (embedded, then the real Neo4j): judgements kept with the graph and applied
on every ingest, undo, delete-article, reset and re-extraction after a vocabulary change.

Inputs are fictional: examples/articles and tests/data/curation (a state the example vocabulary
does not know, and the extra vocabulary folder that adds it).
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from graph.curation import JudgementError
from graph.stores.embedded.store import EmbeddedStore
from graph.model import GraphBatch
from graph.stores.interface import CurationRefused, GraphStore
from loaders.pipeline import read_articles
from service.curation import ingest, reextract
from tests.extraction.support import EXAMPLE_VOCAB, EXAMPLES, extractor
from tests.factories import first_report

DATA = Path(__file__).resolve().parents[1] / "data" / "curation"
DROVNIA = DATA / "05_drovnia_visit.txt"
NEW_VOCAB = DATA / "vocab"

SANTORI, FERRANTE = "person:aldo-santori", "person:paolo-ferrante"
TOMAS, MIRA = "person:tomas-reyvik", "person:mira-reyvik"
MET_01 = "MET|person:ilse-brandt|person:tomas-reyvik|2026-03-09"


@lru_cache(maxsize=1)
def new_extractor():
    from loaders.pipeline import Extractor
    return Extractor(extra_vocab=(str(EXAMPLE_VOCAB), str(NEW_VOCAB)))


def raws(*paths: Path) -> list:
    errors: list = []
    out = list(read_articles(paths, errors))
    assert not errors
    return out


def load(store: GraphStore, *paths: Path, ex=None) -> None:
    ingest(store, ex or extractor(), raws(*paths))


def norm(batch: GraphBatch) -> dict:
    """A graph as comparable data: alias and citation order depend on which article came first."""
    d = batch.to_dict()
    for n in d["nodes"]:
        n["aliases"] = sorted(n["aliases"])
    for e in d["edges"]:
        e["provenance"] = sorted(e["provenance"], key=lambda p: (p["article"], p["start"]))
    return d


def graph(store: GraphStore) -> dict:
    return norm(store.snapshot())


def clean(store: GraphStore, paths: list[Path], ex=None, judge=()) -> dict:
    """The graph a clean ingest of ``paths`` gives in a store of the same kind (then ``judge``d)."""
    other = EmbeddedStore(None) if store.name == "embedded" else store
    other.clear()
    for path in paths:
        load(other, path, ex=ex)
    for args in judge:
        other.judge(*args)
    return graph(other)


def test_same_survives_reingesting_the_same_and_new_articles(store):
    load(store, EXAMPLES)
    assert store.get_actor(FERRANTE) is not None
    j = store.judge("same", SANTORI, FERRANTE, "cli:analyst")
    assert j.who == "cli:analyst" and j.at.endswith("+00:00")
    assert store.get_actor(FERRANTE) is None
    santori = store.get_actor(SANTORI)
    # The id is kept; names fold together as for any two sightings (the longest is the name).
    assert {"Paolo Ferrante", "Aldo Santori"} <= {santori.name, *santori.aliases}
    assert store.canonical_id(FERRANTE) == SANTORI
    visits = {r.key for r in store.relations(actor_id=SANTORI)}
    assert any(k.startswith("VISITED|person:aldo-santori|facility:halvik-naval-dockyard|2026-05") for k in visits)
    merged = graph(store)
    load(store, EXAMPLES)  # the same articles again: the extractor finds Ferrante again
    assert graph(store) == merged
    load(store, DROVNIA)   # and a new one
    assert store.get_actor(FERRANTE) is None
    assert not any(FERRANTE in (r.source, r.target) for r in store.relations())


def test_a_different_pair_is_never_merged(store):
    load(store, EXAMPLES)
    store.judge("different", TOMAS, MIRA, "cli:analyst")
    with pytest.raises(JudgementError, match="judged different"):
        store.judge("same", TOMAS, MIRA, "cli:analyst")
    # Not through a third actor either: Tomas's group taking Mira in would merge the pair.
    store.judge("same", SANTORI, TOMAS, "cli:analyst")
    with pytest.raises(JudgementError, match="judged different"):
        store.judge("same", SANTORI, MIRA, "cli:analyst")
    load(store, EXAMPLES, DROVNIA)
    assert store.get_actor(MIRA) is not None and store.get_actor(SANTORI) is not None


def test_a_rejected_relation_does_not_come_back_and_undo_restores(store):
    load(store, EXAMPLES)
    before = graph(store)
    j = store.judge("reject-relation", MET_01, None, "cli:analyst")
    assert MET_01 not in {r.key for r in store.relations()}
    load(store, EXAMPLES)
    assert MET_01 not in {r.key for r in store.relations()}
    undone = store.undo(j.id, "cli:lead")
    assert undone.undone_by == "cli:lead" and not undone.active
    assert graph(store) == before
    with pytest.raises(JudgementError, match="already undone"):
        store.undo(j.id, "cli:lead")
    assert [x.id for x in store.judgements()] == [j.id]  # listed still, marked undone


def test_a_rejected_actor_stays_out(store):
    load(store, EXAMPLES, DROVNIA)
    assert store.get_actor("place:drovnia") is not None  # a state read as a place
    store.judge("reject-actor", "place:drovnia", None, "cli:analyst")
    load(store, DROVNIA)
    assert store.get_actor("place:drovnia") is None
    assert not any("place:drovnia" in (r.source, r.target, r.place) for r in store.relations())


def test_rename_and_retype_survive_reingest_and_undo(store):
    load(store, EXAMPLES, DROVNIA)
    original = graph(store)
    rename = store.judge("rename", TOMAS, "Tomas A. Reyvik", "cli:analyst")
    retype = store.judge("retype", "place:drovnia", "State", "cli:analyst")
    load(store, EXAMPLES, DROVNIA)
    tomas, drovnia = store.get_actor(TOMAS), store.get_actor("place:drovnia")
    assert tomas.name == "Tomas A. Reyvik" and "Tomas Reyvik" in tomas.aliases
    assert drovnia.type.value == "State"
    assert store.stats()["nodes"]["Place"] == original_places(original) - 1
    store.undo(retype.id, "cli:analyst")
    store.undo(rename.id, "cli:analyst")
    assert graph(store) == original


def original_places(g: dict) -> int:
    return sum(1 for n in g["nodes"] if n["type"] == "Place")


def test_judgements_on_unknown_things_are_refused_and_change_nothing(store):
    load(store, EXAMPLES)
    before = graph(store)
    for args in (("same", SANTORI, "person:nobody"), ("reject-actor", "person:nobody", None),
                 ("reject-relation", "MET|a|b|2026", None), ("retype", TOMAS, "Planet"),
                 ("same", SANTORI, SANTORI)):
        with pytest.raises(JudgementError):
            store.judge(*args, who="cli:analyst")
    with pytest.raises(JudgementError, match="no judgement"):
        store.undo("feedbeef")
    assert graph(store) == before and store.judgements() == []


def test_delete_article_leaves_exactly_the_graph_of_the_others(store):
    articles = sorted(p for p in EXAMPLES.iterdir() if p.suffix in {".txt", ".html", ".jsonl"}) + [DROVNIA]
    for path in articles:
        load(store, path)
    store.judge("same", SANTORI, FERRANTE, "cli:analyst")
    gone = "02_marenzia_veloria_pact.html"
    assert store.delete_article(gone)
    assert gone not in {a.id for a in store.articles()}
    assert not any(p.article == gone for r in store.relations() for p in r.provenance)
    assert store.get_actor("person:elena-duarte") is None  # named by that article only
    after = graph(store)
    assert after == clean(store, [p for p in articles if p.name != gone],
                          judge=[("same", SANTORI, FERRANTE, "cli:analyst")])
    if store.name == "neo4j":
        return  # clean() reused (and emptied) the Neo4j store
    assert not store.delete_article(gone)


def test_reset_empties_the_store(store):
    load(store, EXAMPLES)
    store.judge("reject-relation", MET_01, None, "cli:analyst")
    store.clear()
    assert store.snapshot().to_dict() == {"nodes": [], "edges": [], "articles": [], "events": []}
    assert store.judgements() == [] and store.sources() == []
    load(store, EXAMPLES)
    assert MET_01 in {r.key for r in store.relations()}  # the judgement went too


def _keyed(keys, prefix: str) -> bool:
    """A relation key with this type, ends and date (a date may be given to the day or the month)."""
    return any(k.startswith(prefix) for k in keys)


def test_reextract_after_a_vocabulary_change_equals_a_clean_ingest(store):
    for path in (EXAMPLES, DROVNIA):
        load(store, path)
    store.judge("same", SANTORI, FERRANTE, "cli:analyst")
    store.judge("reject-relation", MET_01, None, "cli:analyst")
    before = graph(store)
    version = store.version()
    diff, n = reextract(store, new_extractor(), dry_run=True)
    assert n == len(store.sources())
    assert _keyed(diff["relations_added"], "MET|person:karel-vasko|person:tomas-reyvik|2026-06-04")
    assert _keyed(diff["relations_added"], "OFFERED|state:drovnia|state:veloria|2026-06")
    assert "state:drovnia" in diff["actors_added"] and "place:drovnia" in diff["actors_removed"]
    assert not _keyed(diff["relations_removed"], "VISITED|person:karel-vasko|facility:velorian-naval-academy")
    assert graph(store) == before and store.version() == version  # the dry run wrote nothing
    again, _ = reextract(store, new_extractor())
    assert again == diff
    after = graph(store)
    assert MET_01 not in {e["source"] + e["target"] for e in after["edges"]} and \
        store.get_actor(FERRANTE) is None  # the judgements still hold
    assert after == clean(store, [EXAMPLES, DROVNIA], ex=new_extractor(),
                          judge=[("same", SANTORI, FERRANTE, "cli:analyst"),
                                 ("reject-relation", MET_01, None, "cli:analyst")])


def test_reextract_since_a_date_leaves_older_articles(store):
    load(store, EXAMPLES, DROVNIA)
    diff, n = reextract(store, new_extractor(), since="2999-01-01", dry_run=True)
    assert n == 0 and not any(diff.values())
    diff, n = reextract(store, new_extractor(), since="2000-01-01", dry_run=True)
    assert n == len(store.sources()) and diff["relations_added"]


def test_curation_refuses_articles_without_kept_text(store):
    store.upsert(first_report())  # stored as before the store kept texts
    load(store, DROVNIA)
    before = graph(store)
    with pytest.raises(CurationRefused, match="ingest them again"):
        store.judge("rename", TOMAS, "T. Reyvik", "cli:analyst")
    with pytest.raises(CurationRefused):
        store.delete_article(DROVNIA.name)
    assert graph(store) == before and store.judgements() == []


def test_curation_refuses_relations_no_article_cites(store):
    load(store, DROVNIA)
    batch = first_report()
    batch.articles = {}
    for rel in batch.relations.values():
        rel.provenance = []
    store.upsert(batch)  # written directly, as an import might: nothing to rebuild them from
    before = graph(store)
    with pytest.raises(CurationRefused, match="cite no article"):
        store.judge("rename", TOMAS, "T. Reyvik", "cli:analyst")
    assert graph(store) == before


def test_graph_diff_names_added_removed_and_changed_relations():
    from graph.curation import graph_diff
    old = GraphBatch.from_dict(first_report().to_dict())
    new = GraphBatch.from_dict(first_report().to_dict())
    keys = sorted(k for k, r in new.relations.items() if r.provenance)
    dropped = new.relations.pop(keys[0])
    new.relations[keys[1]].provenance = new.relations[keys[1]].provenance[:0]
    diff = graph_diff(old, new)
    assert diff["relations_removed"] == [dropped.key] and diff["relations_changed"] == [keys[1]]
    assert graph_diff(new, old)["relations_added"] == [dropped.key]
    assert not any(graph_diff(old, old).values())


def test_an_embedded_store_of_the_previous_schema_gains_the_curation_tables(tmp_path):
    import sqlite3
    path = tmp_path / "graph.sqlite"
    with EmbeddedStore(path) as s:
        s.upsert(first_report())
    db = sqlite3.connect(path)
    db.executescript("DROP TABLE sources; DROP TABLE judgements; DELETE FROM meta WHERE key = 'epoch'; "
                     "PRAGMA user_version = 1;")
    db.close()
    with EmbeddedStore(path) as s:  # as a store written before curation existed
        assert s.stats()["articles"] == 1 and s.judgements() == [] and s.sources() == []
        with pytest.raises(CurationRefused, match="ingest them again"):
            s.judge("reject-actor", "place:dhaka", None, "cli:analyst")
