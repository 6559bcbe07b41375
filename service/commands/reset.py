"""``actorgraph reset --yes``: empty the store (graph, kept article texts and judgements).

Without ``--yes`` it refuses and changes nothing.
"""
from __future__ import annotations

import argparse
import sys

from service.commands.common import STORE_CHOICES, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("reset", help="empty the store (needs --yes)", description=__doc__.split("\n\n", 1)[1])
    p.add_argument("--yes", action="store_true", help="really delete everything in the store")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help="default: ACTORGRAPH_STORE (embedded)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.stores.interface import StoreError
    from service.settings import get_settings

    if not args.yes:
        print("actorgraph: reset deletes every actor, relation, article and judgement in the store; "
              "run it again with --yes to do so", file=sys.stderr)
        return 2
    try:
        with get_settings().open_store(args.store) as store:
            store.clear()
            name = store.name
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    print(f"actorgraph: emptied the {name} store", file=sys.stderr)
    return 0
