"""``actorgraph risers``: the actors whose centrality rose most from one window to another.

    actorgraph risers --before 2026-01..2026-03 --after 2026-04..2026-06
    actorgraph risers --before 2025 --after 2026 --metric pagerank --by score --limit 5 --format json
"""
from __future__ import annotations

import argparse
import json

from service.commands.common import CommandError, open_read_store
from service.commands.trend import add_graph_options, graph_filter

MAX_EVENTS = 20


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("risers", help="actors whose centrality rank or score rose most between two windows",
                       description="Score the actors on the graph of each window's events (and the timeless "
                                   "structure relations) and list those that gained most, with the after "
                                   "window's events that touch them, as GET /centrality/risers does. A window is "
                                   "START..END or one date (a year, a month or a day); an event counts in a window "
                                   "when its date lies wholly inside it.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--before", required=True, metavar="START..END", help="the earlier window, e.g. 2026-01..2026-03 (required: no default)")
    p.add_argument("--after", required=True, metavar="START..END", help="the later window, e.g. 2026-04..2026-06 (required: no default)")
    p.add_argument("--by", choices=("rank", "score"), default="rank", help="order by rank gained or score gained "
                                                                         "(default: rank)")
    p.add_argument("--limit", type=int, default=20, metavar="N", help="at most N risers (default: 20)")
    add_graph_options(p)
    p.set_defaults(func=run)


def _window(text: str, option: str):
    from graph.analytics import trends

    try:
        return trends.parse_window(text, option)
    except trends.WindowError as exc:
        raise CommandError(f"{option}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    from graph.analytics import trends

    if args.limit < 1:
        raise CommandError("--limit must be 1 or more")
    before, after = _window(args.before, "--before"), _window(args.after, "--after")
    flt = graph_filter(args)
    with open_read_store(args.store) as store:
        G = store.projection(flt)
    try:
        found = trends.risers(G, args.metric, before, after, by=args.by, limit=args.limit)
    except trends.WindowError as exc:
        raise CommandError(f"--{exc.parameter}: {exc}") from None

    def name(actor: str) -> str:
        return G.nodes[actor].get("name", actor) if actor in G else actor

    def event(u: str, v: str, k: str) -> dict:
        d = G.edges[u, v, k]
        return {"key": k, "type": d["type"], "date": d.get("date"), "source": u, "target": v}

    if args.format == "json":
        print(json.dumps({"metric": args.metric, "by": args.by,
                          "before": {"since": before[0], "until": before[1]},
                          "after": {"since": after[0], "until": after[1]},
                          "approximate": found.approximate, "error": found.error,
                          "items": [{"actor": {"id": r.actor, "name": name(r.actor)},
                                     "before": {"score": r.before.score, "rank": r.before.rank} if r.before else None,
                                     "after": {"score": r.after.score, "rank": r.after.rank},
                                     "rank_gain": r.rank_gain, "score_gain": r.score_gain,
                                     "events": [event(*e) for e in r.events]} for r in found]},
                         indent=1, ensure_ascii=False))
        return 0
    print(f"{args.metric} centrality, {before[0]}..{before[1]} -> {after[0]}..{after[1]}, by {args.by} gained" +
          (f", estimated (each score within {found.error:g})" if found.error is not None
           else ", estimated" if found.approximate else ""))
    if not found:
        print("nobody rose")
        return 0
    for r in found:
        was = f"{r.before.rank} ({r.before.score:.3f})" if r.before else "absent"
        print(f"{name(r.actor)} ({r.actor}): rank {was} -> {r.after.rank} ({r.after.score:.3f}), "
              f"+{r.rank_gain} ranks, {r.score_gain:+.3f}")
        for u, v, k in r.events[:MAX_EVENTS]:
            d = G.edges[u, v, k]
            other = v if u == r.actor else u
            print(f"  {d['type']} {d.get('date') or 'undated'} {name(other)}")
        if len(r.events) > MAX_EVENTS:
            print(f"  ... {len(r.events) - MAX_EVENTS} more")
    return 0
