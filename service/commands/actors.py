"""``actorgraph actors [QUERY]``: the actors whose names match, with their ids."""
from __future__ import annotations

import argparse
import json

from service.commands.common import STORE_CHOICES, STORE_HELP, CommandError, open_read_store, store_choice

DEFAULT_LIMIT = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("actors", help="find actors by name and print their ids",
                       description="List the actors whose name, alias or title matches QUERY, best first, as "
                                   "GET /actors does: forgiving of ranks, titles, case, accents and small "
                                   "misspellings. The ids it prints are what --center, --source and --target "
                                   "of `actorgraph export` accept (as do the names themselves).")
    p.add_argument("query", nargs="?", default="", metavar="QUERY",
                   help="part of a name, e.g. 'Gen Reyvik' (default: every actor, by name)")
    p.add_argument("--type", choices=("Person", "ArmedForce", "State", "Organization", "Facility", "Place"),
                   help="only actors of this type (default: any type)")
    p.add_argument("--limit", type=int, default=DEFAULT_LIMIT, metavar="N",
                   help=f"at most this many (default: {DEFAULT_LIMIT})")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help=STORE_HELP)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.analytics.search import ActorIndex

    if args.limit < 1:
        raise CommandError("--limit must be 1 or more")
    with open_read_store(args.store) as store:
        hits = ActorIndex(store.actors()).search(args.query, types=[args.type] if args.type else None,
                                                 limit=args.limit)
    if args.format == "json":
        print(json.dumps([{"id": h.actor.id, "type": h.actor.type.value, "name": h.actor.name,
                           "rank": h.actor.rank, "title": h.actor.title, "score": h.score} for h in hits],
                         indent=1, ensure_ascii=False))
        return 0 if hits else 1
    for h in hits:
        detail = ", ".join(x for x in (h.actor.rank, h.actor.title) if x)
        print(f"{h.actor.id}\t{h.actor.type.value}\t{h.actor.name}" + (f"\t{detail}" if detail else ""))
    return 0 if hits else 1
