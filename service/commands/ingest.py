"""``actorgraph ingest PATH... [--store memory|neo4j]``: extract articles and upsert them.

Articles go in chunks: each chunk is extracted against the actors the store already holds (so
new sightings join them and ids never change) and upserted in one call. Upserts are idempotent,
so an ingest killed midway and run again ends with the same graph as one clean run. An article
whose text is already stored, or came earlier in the run, under another name is skipped and
named on stderr: the same text twice adds nothing. With --workers N articles are parsed in N
processes side by side, and still resolved one by one in order, so the graph is the same for any N.
"""
from __future__ import annotations

import argparse
import sys
from itertools import islice
from typing import Iterable, Iterator

from service.commands.extract import add_workers_argument

CHUNK_ARTICLES = 100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract articles and add them to the graph store",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders (.txt, .html, .jsonl)")
    p.add_argument("--store", choices=["memory", "neo4j"],
                   help="store to add to (default: ACTORGRAPH_STORE, else memory)")
    p.add_argument("--chunk", type=int, default=CHUNK_ARTICLES, metavar="N",
                   help=f"articles extracted and stored per step (default {CHUNK_ARTICLES})")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable "
                        "(default: none beyond ACTORGRAPH_VOCAB)")
    add_workers_argument(p)
    p.set_defaults(func=run)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run(args: argparse.Namespace) -> int:
    from graph.store import StoreError
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor
    from loaders.vocab import VocabError
    from service.settings import get_settings

    settings = get_settings()
    try:
        store = settings.open_store(args.store)
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    with store:
        try:
            extractor = Extractor(model=settings.nlp_model, extra_vocab=tuple(args.vocab) + settings.vocab_dirs,
                                  workers=args.workers)
        except (ModelNotFound, VocabError) as exc:
            print(f"actorgraph: {exc}", file=sys.stderr)
            return 2
        with extractor:
            return _ingest(args, settings, store, extractor)


def _ingest(args: argparse.Namespace, settings, store, extractor) -> int:
    """The ingest proper, chunk by chunk; the extractor's workers are reused across chunks."""
    from graph.store import StoreError
    from loaders.dedupe import Dedupe
    from loaders.pipeline import read_articles
    from service.commands.extract import count_inputs
    from service.curation import ingest
    from service.progress import Progress

    before = store.stats()
    dedupe = Dedupe.of(store.articles())
    errors: list = []
    bar = Progress(count_inputs(args.paths), "ingest")
    articles = 0
    try:
        raws = dedupe.filter(read_articles(args.paths, errors, settings.max_article_bytes))
        for chunk in _chunks(raws, max(1, args.chunk)):
            # Each article extracted alone and kept (text, raw contribution), judgements applied.
            ingest(store, extractor, chunk, progress=lambda raw: bar.advance(note=raw.id))
            articles += len(chunk)
    except StoreError as exc:
        bar.close()
        print(f"actorgraph: {exc}\nactorgraph: {articles} articles were stored before the failure; "
              f"ingesting again is safe (upserts are idempotent)", file=sys.stderr)
        return 2
    bar.close()
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    for dup in dedupe.duplicates:
        print(f"actorgraph: skipped {dup.id}: the same text as {dup.same_as}", file=sys.stderr)
    after = store.stats()
    print(f"actorgraph: ingested {articles} articles into the {store.name} store: "
          f"{_total(after['nodes'])} actors (+{_total(after['nodes']) - _total(before['nodes'])}), "
          f"{_total(after['relations'])} relations (+{_total(after['relations']) - _total(before['relations'])})"
          + (f"; {len(dedupe.duplicates)} duplicates skipped" if dedupe.duplicates else "")
          + (f"; {len(errors)} files failed" if errors else ""), file=sys.stderr)
    return 1 if errors else 0


def _total(counts: dict) -> int:
    return sum(counts.values())
