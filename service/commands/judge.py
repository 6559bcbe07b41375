"""``actorgraph judge same|different|reject|rename|retype|undo|list``: analysts' corrections.

Judgements are kept with the graph and applied on every later ingest, so a correction stays:
``same A B`` (one actor, A's id kept, B's still resolves), ``different A B`` (never merged),
``reject ACTOR-ID|RELATION-KEY`` (kept out), ``rename A NAME``, ``retype A TYPE``, ``undo ID``.
Each records who ($USER) and when; ``list`` shows them all, undone ones marked.
"""
from __future__ import annotations

import argparse
import json
import sys

from service.commands.common import STORE_CHOICES, store_choice


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("judge", help="record a correction (same, different, reject, rename, retype), undo, list",
                       description=__doc__.split("\n\n", 1)[1])
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help="default: ACTORGRAPH_STORE (embedded)")
    verbs = p.add_subparsers(dest="verb", required=True, metavar="VERB",
                             help="same, different, reject, rename, retype, undo or list")
    for verb, args, help_ in (
            ("same", ("a", "b"), "A and B are one actor: A's id is kept, B's becomes an alias id"),
            ("different", ("a", "b"), "A and B are two actors: never merge them"),
            ("reject", ("target",), "keep out an actor (its id) or a relation (its key, TYPE|source|target[|date])"),
            ("rename", ("a", "name"), "give actor A this name (the old one becomes an alias)"),
            ("retype", ("a", "type"), "give actor A this type (Person, ArmedForce, State, ...; the id stays)"),
            ("undo", ("id",), "undo a judgement by its id (see list)")):
        v = verbs.add_parser(verb, help=help_)
        for name in args:
            v.add_argument(name)
    lp = verbs.add_parser("list", help="every judgement, oldest first")
    lp.add_argument("--format", choices=["text", "json"], default="text", help="output format (default: text)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.curation import JudgementError
    from graph.stores.interface import StoreError
    from service.curation import cli_user
    from service.settings import get_settings

    who = cli_user()
    try:
        with get_settings().open_store(args.store) as store:
            if args.verb == "list":
                return _list(store.judgements(), args.format)
            if args.verb == "undo":
                j = store.undo(args.id, who)
                print(f"actorgraph: undid {_line(j)}", file=sys.stderr)
                return 0
            if args.verb == "reject":
                kind = "reject-relation" if "|" in args.target else "reject-actor"
                j = store.judge(kind, args.target, None, who)
            else:
                other = {"same": "b", "different": "b", "rename": "name", "retype": "type"}[args.verb]
                j = store.judge(args.verb, args.a, getattr(args, other), who)
    except JudgementError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 1
    except StoreError as exc:
        print(f"actorgraph: {exc}", file=sys.stderr)
        return 2
    print(j.id)
    print(f"actorgraph: recorded {_line(j)}", file=sys.stderr)
    return 0


def _line(j) -> str:
    text = f"{j.id} {j.kind} {j.target}" + (f" {j.other}" if j.other else "") + f" by {j.who} at {j.at}"
    if j.undone_at:
        text += f" (undone by {j.undone_by} at {j.undone_at})"
    return text


def _list(judgements, fmt: str) -> int:
    if fmt == "json":
        from dataclasses import asdict
        print(json.dumps([asdict(j) for j in judgements], indent=1))
    else:
        for j in judgements:
            print(_line(j))
    return 0
