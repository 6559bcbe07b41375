"""``actorgraph reextract [--since DATE] [--dry-run]``: run the current extractor again.

Each kept article text (those ingested on or after DATE, by default all) is extracted again in
ingest order and its contribution replaced; the judgements are applied. The difference (relations
added, removed, changed; actors added, removed) is printed; ``--dry-run`` writes nothing. An
article the extractor fails on is named on stderr and keeps its contribution; the exit status is 1.
"""
from __future__ import annotations

import argparse
import json
import sys

from service.commands.common import STORE_CHOICES, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reextract", help="extract the kept article texts again and replace their contribution",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("--since", metavar="DATE", help="only articles ingested on or after this ISO date (UTC; default: all)")
    p.add_argument("--dry-run", action="store_true", help="print the difference, write nothing")
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help="default: ACTORGRAPH_STORE (embedded)")
    p.add_argument("--vocab", action="append", default=[], metavar="DIR",
                   help="extra vocabulary folder (a states.json of more states), repeatable; also "
                        "ACTORGRAPH_VOCAB (default: none)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.stores.interface import StoreError
    from loaders.nlp import ModelNotFound
    from loaders.pipeline import Extractor
    from loaders.vocab import VocabError
    from service.commands.extract import report_failures
    from service.curation import reextract
    from service.settings import get_settings

    settings = get_settings()
    try:
        with settings.open_store(args.store) as store:
            try:
                extractor = Extractor(model=settings.nlp_model, extra_vocab=tuple(args.vocab) + settings.vocab_dirs)
            except (ModelNotFound, VocabError) as exc:
                print(f"actorgraph: {exc}", file=sys.stderr)
                return 2
            failures: list = []
            diff, n = reextract(store, extractor, since=args.since, dry_run=args.dry_run, failures=failures)
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    if args.format == "json":
        print(json.dumps({"articles": n, "dry_run": args.dry_run, **diff}, indent=1))
    else:
        for section, items in diff.items():
            sign = "+" if section.endswith("added") else "-" if section.endswith("removed") else "~"
            for item in items:
                print(f"{sign} {section.split('_')[0][:-1]} {item}")
    print(f"actorgraph: {'would change' if args.dry_run else 'changed'} {n} articles: "
          + ", ".join(f"{len(v)} {k.replace('_', ' ')}" for k, v in diff.items())
          + (" (dry run: nothing written)" if args.dry_run else "")
          + (f"; {len(failures)} articles failed and keep their contribution" if failures else ""), file=sys.stderr)
    report_failures(failures)
    return 1 if failures else 0
