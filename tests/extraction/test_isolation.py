"""No article can break a run: an article the extractor fails on is named (with the sentence it
was reading) and left out, the others go on, and the commands exit 1; ``POST /articles`` names
it in its answer and stores the others. The fault is injected for one article id, in reading
(a sentence's events) or in resolving, in this process and in worker processes."""
from __future__ import annotations

import json
import multiprocessing as mp
import os
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

import loaders.article
import loaders.parallel
import loaders.resolve
from graph.stores.embedded.store import EmbeddedStore
from graph.stores.interface import GraphStore
from graph.stores import GRAPH_FILE
from loaders.failure import ArticleFailed
from loaders.pipeline import Extractor
from loaders.read import RawArticle
from service.app import create_app
from tests.api_support import API_KEY, settings
from tests.extraction.support import EXAMPLE_VOCAB, extractor

BAD = "b.txt"
TEXTS = {
    "a.txt": ("Halvik, 3 March 2026 - Ostrlandic Defence Minister Karin Vell met Velorian Army chief "
              "General Tomas Reyn in Halvik on Monday."),
    BAD: ("Castel Vor, 5 March 2026 - The weather was mild.\n\nOstrlandic Navy chief Admiral Oskar Lind "
          "met Velorian Defence Minister Pavel Dorn in Castel Vor on Tuesday."),
    "c.txt": ("Halvik, 9 March 2026 - Ostrlandic Navy chief Admiral Oskar Lind met Velorian Air Force chief General Mira Sandt "
              "in Halvik on Thursday."),
}
SENTENCE = "Ostrlandic Navy chief Admiral Oskar Lind met"  # where the fault trips in b.txt


def raws() -> list[RawArticle]:
    return [RawArticle(id=k, text=v, published="2026-03-10") for k, v in TEXTS.items()]


@pytest.fixture
def trips_reading(monkeypatch):
    """Reading the events of b.txt's second sentence raises (in this process and forked workers)."""
    events = loaders.article.ArticleReader._events

    def failing(self, sent, offset):
        if self.g.article_id == BAD and "Admiral" in sent.span.text:
            raise KeyError("injected fault")
        return events(self, sent, offset)

    monkeypatch.setattr(loaders.article.ArticleReader, "_events", failing)
    # the pool's workers forked from this patched process, whatever threads a test left running
    monkeypatch.setattr(loaders.parallel, "_context", lambda: mp.get_context("fork"))
    monkeypatch.setattr(loaders.parallel, "MIN_ARTICLES", 0)


@pytest.fixture
def trips_resolving(monkeypatch):
    """Resolving b.txt raises after its actors went into the scratch batch and the resolver's index."""
    events_of = loaders.resolve._events_of

    def failing(article_id, items, ids):
        if article_id == BAD:
            raise ValueError("injected fault")
        return events_of(article_id, items, ids)

    monkeypatch.setattr(loaders.resolve, "_events_of", failing)


def _cited(batch) -> set[str]:
    return {p.article for r in batch.relations.values() for p in r.provenance}


def _met(batch) -> set[frozenset[str]]:
    return {frozenset((batch.actors[r.source].name, batch.actors[r.target].name))
            for r in batch.relations.values() if r.type.value == "MET"}


def test_a_us_dollar_amount_reads_as_money_not_a_state():
    text = ("Castel Vor, 4 May 2026 - Veloria signed a contract with Ostrland for four coastal radars "
            "(U.S. $910 million), Velorian Defence Minister Pavel Dorn said on Monday.")
    batch = extractor().extract([RawArticle(id="radars.txt", text=text, published="2026-05-04")])
    signed = {(r.source, r.target) for r in batch.relations.values() if r.type.value == "SIGNED"}
    assert ("state:veloria", "state:ostrland") in signed or ("state:ostrland", "state:veloria") in signed


def test_a_failed_reading_names_the_article_and_sentence_and_the_others_go_on(trips_reading):
    failures: list[ArticleFailed] = []
    batch = extractor().extract(raws(), failures=failures)
    (failed,) = failures
    text = TEXTS[BAD]
    assert failed.article_id == BAD and failed.sentence.startswith(SENTENCE)
    assert text[failed.offset:failed.offset + len(failed.sentence)] == failed.sentence
    assert f"character {failed.offset}" in failed.reason and "KeyError" in failed.detail
    assert _cited(batch) == {"a.txt", "c.txt"} and BAD not in batch.articles
    assert _met(batch) >= {frozenset({"Karin Vell", "Tomas Reyn"}), frozenset({"Oskar Lind", "Mira Sandt"})}


def test_without_a_failures_list_the_failure_is_raised_naming_the_article(trips_reading):
    with pytest.raises(ArticleFailed) as info:
        extractor().extract(raws())
    assert str(info.value).startswith(f"{BAD}: extraction failed reading the sentence at character")
    assert isinstance(info.value.__cause__.__cause__, KeyError)  # SentenceError, from the fault


def test_a_failed_resolve_leaves_nothing_of_the_article(trips_resolving):
    # b.txt introduces Admiral Oskar Lind, whom c.txt names again: had the failed resolve left him
    # in the resolver, c.txt would cite an actor the batch does not hold
    failures: list[ArticleFailed] = []
    batch = extractor().extract(raws(), failures=failures)
    assert [f.article_id for f in failures] == [BAD] and "resolving" in failures[0].reason
    assert failures[0].sentence is None
    without = extractor().extract([r for r in raws() if r.id != BAD])
    assert batch.to_dict() == without.to_dict()


def test_the_pool_isolates_a_failed_article_as_one_process_does(trips_reading):
    with Extractor(extra_vocab=(str(EXAMPLE_VOCAB),), workers=2, min_parallel=0) as ex:
        failures: list[ArticleFailed] = []
        batch = ex.extract(raws(), failures=failures)
    (failed,) = failures  # sent back from a worker: pickled with its sentence
    assert failed.article_id == BAD and failed.sentence.startswith(SENTENCE) and "KeyError" in failed.detail
    assert batch.to_dict() == extractor().extract([r for r in raws() if r.id != BAD]).to_dict()


def test_a_worker_dying_on_an_article_loses_that_article_only(monkeypatch):
    events = loaders.article.ArticleReader._events

    def dying(self, sent, offset):
        if self.g.article_id == BAD:
            os._exit(3)  # as a crash in compiled code or the OOM killer would end the worker
        return events(self, sent, offset)

    monkeypatch.setattr(loaders.article.ArticleReader, "_events", dying)
    monkeypatch.setattr(loaders.parallel, "_context", lambda: mp.get_context("fork"))
    many = raws() + [RawArticle(id=f"more-{k}.txt", text=TEXTS["a.txt"] + f" Note {k}.") for k in range(6)]
    with Extractor(extra_vocab=(str(EXAMPLE_VOCAB),), workers=2, min_parallel=0) as ex:
        failures: list[ArticleFailed] = []
        batch = ex.extract(many, failures=failures)
    assert [f.article_id for f in failures] == [BAD] and "parsing" in failures[0].reason
    assert _cited(batch) == {r.id for r in many} - {BAD}


def _write(folder: Path) -> Path:
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


@pytest.fixture
def cli_env(tmp_path, monkeypatch):
    from service.settings import get_settings
    monkeypatch.setenv("ACTORGRAPH_STORE", "embedded")
    monkeypatch.setenv("ACTORGRAPH_DATA", str(tmp_path / "data"))
    monkeypatch.setenv("ACTORGRAPH_VOCAB", str(EXAMPLE_VOCAB))
    get_settings.cache_clear()  # the settings of this environment, and none left for later tests
    yield _write(tmp_path / "articles")
    get_settings.cache_clear()


@pytest.mark.parametrize("workers", ["1", "2"])
def test_extract_names_the_failed_article_on_stderr_and_exits_1(trips_reading, cli_env, tmp_path, capsys, workers):
    from service.cli import main
    out = tmp_path / "graph.json"
    assert main(["extract", str(cli_env), "-o", str(out), "--workers", workers]) == 1
    err = capsys.readouterr().err
    assert f"actorgraph: failed {BAD}: extraction failed reading the sentence at character" in err
    assert SENTENCE in err and "KeyError" in err and "1 articles failed" in err
    graph = json.loads(out.read_text(encoding="utf-8"))
    assert {a["id"] for a in graph["articles"]} == {"a.txt", "c.txt"}
    assert any(e["type"] == "MET" for e in graph["edges"])


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ingest_stores_the_others_and_exits_1(trips_reading, cli_env, tmp_path, capsys, workers):
    from service.cli import main
    assert main(["ingest", str(cli_env), "--workers", workers]) == 1
    err = capsys.readouterr().err
    assert f"actorgraph: failed {BAD}: extraction failed reading the sentence" in err
    assert "ingested 2 articles" in err and "1 articles failed, not stored" in err
    with EmbeddedStore(tmp_path / "data" / GRAPH_FILE) as store:
        assert {s.id for s in store.sources()} == {"a.txt", "c.txt"}
        assert BAD not in {a.id for a in store.articles()}
        assert {p.article for r in store.relations() for p in r.provenance} == {"a.txt", "c.txt"}


def test_post_articles_names_the_failed_article_and_stores_the_others(trips_reading, store: GraphStore):
    body = {"articles": [{"id": k, "text": v, "date": "2026-03-10"} for k, v in TEXTS.items()]}
    with TestClient(create_app(store, settings=settings(), extractor_factory=extractor)) as c:
        r = c.post("/articles", headers={"X-API-Key": API_KEY}, json=body)
    assert r.status_code == 201, r.text
    answer = r.json()
    assert answer["articles"] == ["a.txt", "c.txt"] and list(answer["failed"]) == [BAD]
    reason = answer["failed"][BAD]
    assert reason.startswith("extraction failed reading the sentence at character") and SENTENCE in reason
    assert not any(w in reason for w in ("Traceback", "KeyError", "injected", ".py"))  # no internals
    assert {s.id for s in store.sources()} == {"a.txt", "c.txt"}
    assert {p.article for r in store.relations() for p in r.provenance} == {"a.txt", "c.txt"}


def test_reextract_keeps_a_failed_articles_contribution(store: GraphStore, monkeypatch):
    from service.curation import ingest, reextract
    ingest(store, extractor(), raws())
    before = {r.key for r in store.relations() if any(p.article == BAD for p in r.provenance)}
    assert before  # b.txt told of a meeting
    events = loaders.article.ArticleReader._events

    def failing(self, sent, offset):
        if self.g.article_id == BAD:
            raise KeyError("injected fault")
        return events(self, sent, offset)

    monkeypatch.setattr(loaders.article.ArticleReader, "_events", failing)
    failures: list[ArticleFailed] = []
    diff, n = reextract(store, extractor(), failures=failures)
    assert [f.article_id for f in failures] == [BAD] and n == 2
    assert before <= {r.key for r in store.relations() if any(p.article == BAD for p in r.provenance)}
    assert {s.id for s in store.sources()} == set(TEXTS)


def test_a_failure_in_the_language_pipe_loses_only_its_article():
    # a text that is no text breaks the pipe itself, not one reader: the articles it held are
    # parsed again one at a time to find it, and a fresh pipe takes the rest
    items = raws()
    items[1] = RawArticle(id=BAD, text=None)  # type: ignore[arg-type]
    failures: list[ArticleFailed] = []
    batch = extractor().extract(items, failures=failures)
    assert [f.article_id for f in failures] == [BAD] and "parsing" in failures[0].reason
    assert failures[0].sentence is None
    assert _cited(batch) == {"a.txt", "c.txt"}


def test_a_long_article_failing_in_a_later_chunk_names_the_sentence_at_its_offset(trips_reading):
    from loaders.pipeline import CHUNK_CHARS
    filler = "\n\n".join(f"Paragraph {k} of the desk's notes says nothing of note." for k in range(400))
    assert len(filler) > 2 * CHUNK_CHARS
    items = raws()
    items[1] = RawArticle(id=BAD, text=filler + "\n\n" + TEXTS[BAD], published="2026-03-10")
    failures: list[ArticleFailed] = []
    batch = extractor().extract(items, failures=failures)
    (failed,) = failures
    assert failed.offset > 2 * CHUNK_CHARS and failed.sentence.startswith(SENTENCE)
    assert items[1].text[failed.offset:failed.offset + len(failed.sentence)] == failed.sentence
    assert _cited(batch) == {"a.txt", "c.txt"}
