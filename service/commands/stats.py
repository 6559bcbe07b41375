"""``actorgraph stats [--store memory|neo4j] [--format text|json]``: counts by type."""
from __future__ import annotations

import argparse
import json
import sys


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("stats", help="print the store's node and relation counts by type")
    p.add_argument("--store", choices=["memory", "neo4j"], help="default: ACTORGRAPH_STORE (memory)")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.store import StoreError
    from service.settings import get_settings

    try:
        with get_settings().open_store(args.store) as store:
            stats = store.stats()
            name = store.name
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
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
