"""``actorgraph stats [--store embedded|neo4j] [--format text|json]``: counts by type."""
from __future__ import annotations

import argparse
import json

from service.commands.common import STORE_CHOICES, STORE_HELP, open_read_store, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="print the store's node and relation counts by type",
                       description="Count the actors of each type, the relations of each type and the articles "
                                   "in the configured store (ACTORGRAPH_STORE, ACTORGRAPH_DATA, NEO4J_*). An "
                                   "embedded store whose data folder does not exist is an error, not zeros.")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help=STORE_HELP)
    p.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    with open_read_store(args.store) as store:
        stats = store.stats()
        name = store.name
    if args.format == "json":
        print(json.dumps({"store": name, **stats}, indent=1, sort_keys=True))
        return 0
    print(f"store: {name}")
    for section in ("nodes", "relations"):
        counts = stats.get(section, {})
        print(f"{section}: {sum(counts.values())}")
        for k in sorted(counts):
            print(f"  {k:<13} {counts[k]}")
    if "articles" in stats:
        print(f"articles: {stats['articles']}")
    return 0
