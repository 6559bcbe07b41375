"""``actorgraph events``: the events (graph.model.events) with their participants, roles and codes, as
GET /events lists them."""
from __future__ import annotations

import argparse
import json
import re

from service.commands.common import STORE_CHOICES, STORE_HELP, CommandError, open_read_store, resolve_actor_option, store_choice

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?\Z")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("events", help="list events: who met, visited, signed or offered, with roles and codes",
                       description="List the events of the configured store in date order, each with its "
                                   "participants and their roles, how many independent sources and articles "
                                   "report it, and its PLOVER and CAMEO codes, as GET /events does.")
    p.add_argument("--actor", help="only events this actor (an id or a name) takes part in (default: any actor)")
    p.add_argument("--type", help="event types, comma-separated: MET,VISITED,SIGNED,OFFERED (default: all)")
    p.add_argument("--since", help="earliest date, YYYY, YYYY-MM or YYYY-MM-DD (default: no bound)")
    p.add_argument("--until", help="latest date, inclusive by prefix (default: no bound)")
    p.add_argument("--min-sources", type=int, help="only events reported by at least this many independent sources "
                                                   "(default: 1)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help=STORE_HELP)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.queries.events import find_events
    from graph.model import EVENT_TYPES, RelType

    types = None
    if args.type:
        names = [t.strip().upper() for t in args.type.split(",") if t.strip()]
        wrong = [t for t in names if t not in {e.value for e in EVENT_TYPES}]
        if wrong:
            raise CommandError(f"unknown event type(s) {', '.join(wrong)}; known: MET, VISITED, SIGNED, OFFERED")
        types = [RelType(t) for t in names]
    for option, value in (("--since", args.since), ("--until", args.until)):
        if value is not None and not _DATE.match(value):
            raise CommandError(f"{option} must be YYYY, YYYY-MM or YYYY-MM-DD, not {value!r}")
    if args.min_sources is not None and args.min_sources < 1:
        raise CommandError("--min-sources must be 1 or more")
    with open_read_store(args.store) as store:
        actor = resolve_actor_option(store, args.actor, "--actor", "actorgraph events") if args.actor else None
        found = find_events(store, actor=actor, types=types, since=args.since, until=args.until,
                            min_sources=args.min_sources)
        names = {a.id: a.name for a in store.actors()}
    if args.format == "json":
        print(json.dumps([{**a.event.to_dict(), "corroboration": a.corroboration.to_dict(), "codes": a.codes.to_dict()}
                          for a in found], indent=1, ensure_ascii=False))
        return 0 if found else 1
    for a in found:
        ev = a.event
        who = ", ".join(f"{names.get(p.actor, p.actor)} ({p.role})" for p in ev.participants)
        print(f"{ev.date or 'undated'}\t{ev.type.value}\t{who}\t{a.codes.cameo} {a.codes.plover}\t"
              f"{a.corroboration.describe()}\t{ev.id}")
    return 0 if found else 1
