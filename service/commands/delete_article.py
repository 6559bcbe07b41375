"""``actorgraph delete-article ID``: remove an article from the graph.

Its citations go; relations no other article supports go; actors no remaining article names go.
The graph left is the one a clean ingest of the other articles gives, judgements applied.
"""
from __future__ import annotations

import argparse
import sys

from service.commands.common import STORE_CHOICES, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("delete-article", help="remove an article with the relations and actors only it supports",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("id", metavar="ID", help="the article id (its file name, or file#line for JSON Lines)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help="default: ACTORGRAPH_STORE (embedded)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.stores.interface import StoreError
    from service.settings import get_settings

    try:
        with get_settings().open_store(args.store) as store:
            before = store.stats()
            if not store.delete_article(args.id):
                print(f"actorgraph: no article {args.id!r} in the {store.name} store", file=sys.stderr)
                return 1
            after = store.stats()
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    print(f"actorgraph: deleted {args.id}: {_n(before, 'nodes') - _n(after, 'nodes')} actors and "
          f"{_n(before, 'relations') - _n(after, 'relations')} relations went with it", file=sys.stderr)
    return 0


def _n(stats: dict, section: str) -> int:
    return sum(stats[section].values())
