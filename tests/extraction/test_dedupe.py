"""An article is identified by its content as well as its name (loaders.dedupe, model.content_hash)."""
from __future__ import annotations

from fastapi.testclient import TestClient

from graph.model import Article, GraphBatch, content_hash
from graph.stores.interface import GraphStore
from loaders.dedupe import Dedupe, Duplicate
from loaders.read import RawArticle
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLES, extractor


def test_content_hash_ignores_wrapping_and_unicode_form_but_not_words():
    text = "Admiral Ilse Brandt met General Tomas Reyvik in Halvik."
    assert content_hash(text) == content_hash("  Admiral Ilse Brandt met\nGeneral Tomas  Reyvik\tin Halvik.\n")
    assert content_hash("Caf\u00e9 talks") == content_hash("Cafe\u0301 talks")  # NFC and NFD
    assert content_hash(text) != content_hash(text.replace("Halvik", "Castel Vor"))
    assert content_hash(text).startswith("sha256:") and len(content_hash(text)) == 7 + 64


def test_dedupe_drops_known_and_repeated_texts_but_keeps_the_same_id_again():
    stored = Article(id="a.txt", content_hash=content_hash("one story"))
    dedupe = Dedupe.of([stored, Article(id="old.txt")])  # an article stored without a hash is not known
    raws = [RawArticle("a.txt", "one  story"), RawArticle("b.txt", "one story"),
            RawArticle("c.txt", "another story"), RawArticle("d.txt", "another\nstory")]
    assert [r.id for r in dedupe.filter(raws)] == ["a.txt", "c.txt"]
    assert dedupe.duplicates == [Duplicate("b.txt", "a.txt"), Duplicate("d.txt", "c.txt")]
    batch = GraphBatch(articles={"a.txt": Article("a.txt"), "c.txt": Article("c.txt")})
    dedupe.mark(batch)
    assert batch.articles["c.txt"].content_hash == content_hash("another story")
    assert batch.articles["a.txt"].content_hash == stored.content_hash


def test_content_hash_is_stored_and_read_back(store: GraphStore):
    store.upsert(GraphBatch(articles={"a.txt": Article("a.txt", title="T", content_hash=content_hash("x"))}))
    assert [(a.id, a.content_hash) for a in store.articles()] == [("a.txt", content_hash("x"))]


def test_posting_the_same_text_under_another_id_adds_nothing(store: GraphStore):
    text = (EXAMPLES / "04_marenzian_minister_in_halvik.txt").read_text(encoding="utf-8")
    with TestClient(create_app(store, settings=settings(), extractor_factory=extractor)) as c:
        first = c.post("/articles", headers={"X-API-Key": API_KEY},
                       json={"articles": [{"id": "halvik.txt", "text": text}]})
        assert first.status_code == 201 and first.json()["relations"] > 0 and first.json()["duplicates"] == {}
        graph = store.snapshot().to_dict()
        again = c.post("/articles", headers={"X-API-Key": API_KEY}, json={"articles": [
            {"id": "halvik-copy.txt", "text": text.replace("\n", "\n\n")}, {"text": text}]})
        assert again.status_code == 201, again.text
        body = again.json()
        assert body["articles"] == [] and (body["relations"], body["provenance"], body["new_articles"]) == (0, 0, 0)
        assert len(body["duplicates"]) == 2 and "halvik-copy.txt" in body["duplicates"]
        assert set(body["duplicates"].values()) == {"halvik.txt"}
    assert store.snapshot().to_dict() == graph
