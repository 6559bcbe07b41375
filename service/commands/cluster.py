"""``actorgraph extract --cluster ADDRESS`` and ``--out DIR``: extraction on a Dask cluster
(``loaders.cluster``), the graph written as partitioned Parquet (``graph.exports.parquet``).

``--cluster local:N`` starts a scheduler and N worker processes on this machine and stops them
after; any other address is a running scheduler's (``tcp://host:8786``), whose workers must have
actorgraph and the spaCy model installed. Without ``--cluster``, ``--out`` writes the graph of a
local extraction (``--workers``) as Parquet. A partition that fails on every try is named on
stderr and left out, and the exit status is 1, as for an unreadable file.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.commands.common import growth, write_graph_json


def _positive(text: str) -> int:
    n = int(text) if text.strip().isdigit() else 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return n


# loaders.cluster.PARTITION_ARTICLES, not imported from there: that module loads spaCy and Dask, and
# building the CLI's parser must not (start-up stays under a second; equal by a test).
PARTITION_ARTICLES = 32


def add_cluster_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--cluster", metavar="ADDRESS",
                   help="extract on a Dask cluster: local:N starts N worker processes here, else a scheduler's "
                        "address (tcp://host:8786); the graph is the same as in one process (default: none, extract here)")
    p.add_argument("--out", type=Path, metavar="DIR",
                   help="write the graph as partitioned Parquet tables (actors, relations, events, articles) in "
                        "DIR, for `actorgraph ingest DIR` and for analysts' tools (default: none, graph JSON only)")
    p.add_argument("--partition", type=_positive, default=PARTITION_ARTICLES, metavar="N",
                   help=f"with --cluster: articles per task (default {PARTITION_ARTICLES})")
    p.add_argument("--retries", type=int, default=2, metavar="N",
                   help="with --cluster: tries after the first for a failed partition (default 2)")


def run_extract(args: argparse.Namespace, settings) -> int:
    from loaders.cluster import connect, extract_on, resolve_readings
    from loaders.dedupe import Dedupe
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor, read_articles
    from loaders.read import iter_files
    from loaders.vocab import VocabError, load_vocab
    from service.progress import Progress

    model = args.model or settings.nlp_model
    vocab_dirs = tuple(args.vocab) + settings.vocab_dirs
    try:
        load_vocab(vocab_dirs)  # a bad folder is refused before a cluster starts
    except VocabError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    bar = Progress(sum(1 for _ in iter_files(args.paths)), "extract")
    errors: list = []
    dedupe = Dedupe()  # the same text under two names is extracted once
    raws = dedupe.filter(read_articles(args.paths, errors, settings.max_article_bytes))
    failed: list = []
    partitions = 0
    articles = 0

    def advance(raw) -> None:
        nonlocal articles
        articles += 1
        bar.advance(note=raw.id)

    if args.cluster:
        try:
            client, cluster = connect(args.cluster)
        except (ValueError, OSError) as exc:
            print(f"actorgraph: {exc}", file=sys.stderr)
            return 2
        try:
            with client:
                result = extract_on(client, raws, model=model, extra_vocab=vocab_dirs, partition_size=args.partition,
                                    retries=max(0, args.retries), skip_failed=True, progress=advance)
        finally:
            if cluster is not None:
                cluster.close()
        batch, failed, partitions = result.batch, result.failed, result.partitions
    else:
        try:
            extractor = Extractor(model=model, extra_vocab=vocab_dirs, workers=args.workers)
        except (ModelNotFound, VocabError) as exc:
            print(f"actorgraph: {exc}", file=sys.stderr)
            return 2
        with extractor:
            batch = resolve_readings(extractor.vocab, extractor.readings(raws), progress=advance)
    batch = dedupe.mark(batch)
    bar.close()
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    for dup in dedupe.duplicates:
        print(f"actorgraph: skipped {dup.id}: the same text as {dup.same_as}", file=sys.stderr)
    for part in failed:
        print(f"actorgraph: skipped {part}; its articles: {', '.join(part.article_ids)}", file=sys.stderr)
    if args.out:
        from graph.exports.parquet import write_parquet
        write_parquet(batch, args.out, extra={"articles": articles, "partitions": partitions,
                                              "failed_partitions": [p.index for p in failed],
                                              "failed_articles": [i for p in failed for i in p.article_ids]})
    if args.output or not args.out:
        write_graph_json(batch, args.output)
    where = f" on {args.cluster} in {partitions} partitions" if args.cluster else ""
    print(f"actorgraph: {articles} articles{where}, {len(batch.actors)} actors, {len(batch.relations)} relations"
          + (f"; Parquet in {args.out}" if args.out else "")
          + (f"; {len(dedupe.duplicates)} duplicates skipped" if dedupe.duplicates else "")
          + (f"; {len(errors)} files failed" if errors else "")
          + (f"; {len(failed)} partitions failed" if failed else ""), file=sys.stderr)
    return 1 if errors or failed else 0


def is_graph_output(paths: list[str]) -> bool:
    """Whether ``paths`` are all folders ``extract --out`` wrote (``ingest`` loads them as they are)."""
    from graph.exports.parquet import is_parquet_graph
    return bool(paths) and all(is_parquet_graph(p) for p in paths)


def _read_output(paths: list[str]):
    from graph.exports.parquet import read_parquet
    from graph.model import GraphBatch
    return GraphBatch.merged(read_parquet(p) for p in paths)


def run_ingest(args: argparse.Namespace, settings) -> int:
    """Load the graph ``extract --out`` wrote into the store, without extracting again: one upsert
    (the Neo4j store writes it in batches of its batch size on its writer threads), or with
    ``--bulk`` a new Neo4j database through neo4j-admin import."""
    from graph.stores.interface import StoreError

    if args.bulk:
        return _bulk(args, settings)
    try:
        store = settings.open_store(args.store)
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    batch = _read_output(args.paths)
    with store:
        before = store.stats()
        store.upsert(batch)
        after = store.stats()
    print(f"actorgraph: loaded {len(batch.articles)} articles from {', '.join(args.paths)} into the {store.name} "
          f"store: {growth(before, after)}", file=sys.stderr)
    return 0


def _bulk(args: argparse.Namespace, settings) -> int:
    from service.commands.common import bulk_import_into, bulk_target

    target = bulk_target(args, settings)
    if isinstance(target, int):
        return target
    inst, database = target
    batch = _read_output(args.paths)
    return bulk_import_into(inst, database, batch, [], settings,
                            imported=f"{len(batch.articles)} articles from {', '.join(args.paths)}")
