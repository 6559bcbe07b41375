"""``actorgraph ingest PATH... [--store embedded|neo4j]``: extract articles and upsert them.

Articles go in chunks: each chunk is extracted against the actors the store already holds (so
new sightings join them and ids never change) and upserted in one call. Upserts are idempotent,
so an ingest killed midway and run again ends with the same graph as one clean run. An article
whose text is already stored, or came earlier in the run, under another name is skipped and
named on stderr: the same text twice adds nothing. An article the extractor fails on is named
on stderr with the sentence it was reading and is not stored; the others are, and the exit
status is 1. With --workers N articles are parsed in N
processes side by side, and still resolved one by one in order, so the graph is the same for any N.

``--bulk`` loads a fresh Neo4j database of a large corpus with ``neo4j-admin database import``
(several times faster than batched writes): the articles are extracted as above into a staging
embedded store in memory, then its graph and kept texts are imported as the new database. It
needs the server's installation on this machine (``--neo4j-dir``), the server stopped and the
database not yet created, and refuses otherwise before extracting anything.

A folder that ``actorgraph extract --out DIR`` wrote (partitioned Parquet, on a cluster or not)
is loaded as it is, without extracting again, into the store or, with ``--bulk``, a new Neo4j
database (service.commands.cluster).
"""
from __future__ import annotations

import argparse
import sys
from itertools import islice
from pathlib import Path
from typing import Iterable, Iterator

from service.commands.extract import add_workers_argument
from service.commands.common import STORE_CHOICES, growth, store_choice

CHUNK_ARTICLES = 100


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="extract articles and add them to the graph store",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("paths", nargs="+", metavar="PATH",
                   help="article files or folders (.txt, .html, .jsonl), or folders `extract --out` wrote")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES,
                   help="store to add to (default: ACTORGRAPH_STORE, else embedded)")
    p.add_argument("--chunk", type=int, default=CHUNK_ARTICLES, metavar="N",
                   help=f"articles extracted and stored per step (default {CHUNK_ARTICLES})")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable "
                        "(default: none beyond ACTORGRAPH_VOCAB)")
    add_workers_argument(p)
    p.add_argument("--bulk", action="store_true",
                   help="build a new Neo4j database with neo4j-admin database import (the server stopped, "
                        "the database not created yet) instead of writing through the server")
    p.add_argument("--neo4j-dir", type=Path, metavar="DIR",
                   help="with --bulk: the Neo4j installation, a scripts/neo4j-local folder or a Neo4j folder "
                        "with lib/ and conf/ (default: NEO4J_LOCAL_DIR, else ./.neo4j)")
    p.set_defaults(func=run)


def _chunks(items: Iterable, size: int) -> Iterator[list]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def run(args: argparse.Namespace) -> int:
    from graph.stores.interface import StoreError
    from service.settings import get_settings

    settings = get_settings()
    from service.commands.cluster import is_graph_output, run_ingest
    if is_graph_output(args.paths):
        return run_ingest(args, settings)
    if args.bulk:
        return _run_bulk(args, settings)
    try:
        store = settings.open_store(args.store)
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    with store:
        extractor = _extractor(args, settings)
        if extractor is None:
            return 2
        with extractor:
            before = store.stats()
            articles, note, code = _ingest_all(store, extractor, args, settings)
            if code in (2, 130):
                return code
            after = store.stats()
        where = f" ({store.path})" if getattr(store, "path", None) else ""  # the embedded store's SQLite file
        print(f"actorgraph: ingested {articles} articles into the {store.name} store{where}: "
              f"{growth(before, after)}" + note, file=sys.stderr)
        return code


def _ingest_all(store, extractor, args: argparse.Namespace, settings) -> tuple[int, str, int]:
    """Extract and upsert the articles of ``args.paths`` in chunks (the extractor's workers reused
    across chunks); report skips on stderr. Returns (articles stored, a note of duplicates and
    failures, the exit status: 2 if the store failed, 1 if files or articles failed, else 0)."""
    from graph.stores.interface import StoreError
    from loaders.dedupe import Dedupe
    from loaders.pipeline import read_articles
    from service.commands.extract import count_inputs, report_failures
    from service.curation import Interrupted, ingest, syndication_of
    from service.progress import Progress

    dedupe = Dedupe.of(store.articles())
    syndication = syndication_of(store)  # near-duplicate clusters, across the chunks
    stateless: list[str] = []  # articles naming no state the vocabularies know

    def note(source) -> None:
        from graph.model import NodeType
        if not any(a.type is NodeType.STATE for a in source.raw.actors.values()):
            stateless.append(source.id)
    errors: list = []
    failures: list = []  # articles the extractor failed on: not stored, the others are
    bar = Progress(count_inputs(args.paths), "ingest")
    articles = 0
    try:
        raws = dedupe.filter(read_articles(args.paths, errors, settings.max_article_bytes))
        for chunk in _chunks(raws, max(1, args.chunk)):
            # Each article extracted alone and kept (text, raw contribution), judgements applied.
            before = len(failures)
            ingest(store, extractor, chunk, progress=lambda raw: bar.advance(note=raw.id), failures=failures,
                   syndication=syndication, noted=note)
            articles += len(chunk) - (len(failures) - before)
    except Interrupted as exc:
        bar.close()
        print(f"actorgraph: interrupted: {articles + exc.stored} articles were extracted and stored in the "
              f"{store.name} store; run the same command again to go on (stored articles are not lost, "
              "and storing them again changes nothing)", file=sys.stderr)
        return articles + exc.stored, "", 130
    except StoreError as exc:
        bar.close()
        print(f"actorgraph: {exc}\nactorgraph: {articles} articles were stored before the failure; "
              f"ingesting again is safe (upserts are idempotent)", file=sys.stderr)
        return articles, "", 2
    bar.close()
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    for dup in dedupe.duplicates:
        print(f"actorgraph: skipped {dup.id}: the same text as {dup.same_as}", file=sys.stderr)
    report_failures(failures)
    if stateless and not (args.vocab or settings.vocab_dirs):
        print(f"actorgraph: warning: {len(stateless)} of {articles} articles name no state the vocabulary knows "
              f"(e.g. {stateless[0]}), and no --vocab was given: states missing from it (fictional ones, such as "
              "the examples') make no actors and their ties are lost. Give --vocab DIR (a states.json; "
              "examples/vocab for examples/articles) or ACTORGRAPH_VOCAB, then ingest again", file=sys.stderr)
    note = ((f"; {len(dedupe.duplicates)} duplicates skipped" if dedupe.duplicates else "")
            + (f"; {len(errors)} files failed" if errors else "")
            + (f"; {len(failures)} articles failed, not stored" if failures else ""))
    return articles, note, 1 if errors or failures else 0


def _run_bulk(args: argparse.Namespace, settings) -> int:
    """Extract into a staging embedded store, then neo4j-admin import its graph as a new database."""
    from graph.stores.embedded.store import EmbeddedStore
    from service.commands.common import bulk_import_into, bulk_target

    target = bulk_target(args, settings)  # before hours of extraction, not after
    if isinstance(target, int):
        return target
    inst, database = target
    extractor = _extractor(args, settings)
    if extractor is None:
        return 2
    with extractor, EmbeddedStore(None) as staging:
        articles, note, code = _ingest_all(staging, extractor, args, settings)
        if code in (2, 130):
            return code
        batch, sources = staging.snapshot(), staging.sources()
    status = bulk_import_into(inst, database, batch, sources, settings, imported=f"{articles} articles", note=note)
    return status or code  # the import's failure, else the extraction's (1 when some articles failed)


def _extractor(args: argparse.Namespace, settings):
    """The extractor of ``args`` (model, vocabularies, workers), or None after saying why not."""
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor
    from loaders.vocab import VocabError

    try:
        return Extractor(model=settings.nlp_model, extra_vocab=tuple(args.vocab) + settings.vocab_dirs,
                         workers=args.workers)
    except (ModelNotFound, VocabError) as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return None
