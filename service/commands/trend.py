"""``actorgraph trend``: each actor's centrality score and rank per month, quarter or year.

    actorgraph trend --bucket quarter --actor "Tomas Reyvik" --actor state:ostrland
    actorgraph trend --metric betweenness --bucket year --limit 5 --format json
"""
from __future__ import annotations

import argparse
import json

from service.commands.common import STORE_CHOICES, STORE_HELP, CommandError, open_read_store, resolve_actor_option, store_choice

METRICS = ("degree", "betweenness", "pagerank", "eigenvector", "closeness")
RELATION_TYPES = ("MET", "VISITED", "SIGNED", "OFFERED", "MEMBER_OF", "PART_OF", "LOCATED_IN")


def add_graph_options(p: argparse.ArgumentParser) -> None:
    """The options trend and risers share: the measure and which relations make the graph."""
    p.add_argument("--metric", choices=METRICS, default="degree", help="centrality measure (default: degree)")
    p.add_argument("--types", metavar="TYPES",
                   help="relation types to follow, comma-separated (default: all): " + ", ".join(RELATION_TYPES))
    p.add_argument("--min-sources", type=int, metavar="N",
                   help="only relations reported by at least N independent sources (default: all)")
    p.add_argument("--format", choices=("text", "json"), default="text", help="output format (default: text)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help=STORE_HELP)


def graph_filter(args: argparse.Namespace):
    """The RelationFilter of the shared options (no dates: each bucket or window dates its events)."""
    from graph.queries.subgraphs import make_filter

    names = [t.strip().upper() for t in (args.types or "").split(",") if t.strip()]
    unknown = [t for t in names if t not in RELATION_TYPES]
    if unknown:
        raise CommandError(f"--types: unknown relation type(s) {', '.join(unknown)}; known: {', '.join(RELATION_TYPES)}")
    if args.min_sources is not None and args.min_sources < 1:
        raise CommandError("--min-sources must be 1 or more")
    return make_filter(names or None, None, None, args.min_sources)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("trend", help="centrality score and rank of actors per month, quarter or year",
                       description="Score the actors on the graph of each bucket's events (the structure "
                                   "relations, being timeless, in every bucket), as GET /centrality/trend does. "
                                   "Without --actor, the actors ranked within the top --limit of some bucket.",
                       formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    p.add_argument("--bucket", choices=("month", "quarter", "year"), default="quarter",
                   help="calendar bucket (default: quarter)")
    p.add_argument("--actor", action="append", metavar="ACTOR", default=[],
                   help="an actor to follow, by id or name; repeat for more (default: the leaders)")
    p.add_argument("--limit", type=int, default=10, metavar="N",
                   help="without --actor: follow the actors ranked N or better somewhere (default: 10)")
    add_graph_options(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from graph.analytics import trends

    if args.limit < 1:
        raise CommandError("--limit must be 1 or more")
    flt = graph_filter(args)
    with open_read_store(args.store) as store:
        ids = [resolve_actor_option(store, a, "--actor", "actorgraph trend") for a in args.actor]
        G = store.projection(flt)
    table = trends.trend(G, args.metric, args.bucket)
    followed = list(dict.fromkeys(ids)) or table.leaders(args.limit)
    name = {a: G.nodes[a].get("name", a) for a in followed}
    if args.format == "json":
        print(json.dumps({
            "metric": args.metric, "bucket": args.bucket, "imprecise": table.imprecise,
            "approximate": table.approximate, "error": table.error,
            "buckets": [{"bucket": b.label, "since": b.since, "until": b.until, "events": b.events, "nodes": b.nodes}
                        for b in table.buckets],
            "actors": [{"actor": {"id": a, "name": name[a]},
                        "points": [{"bucket": b.label, "score": st.score if st else None,
                                    "rank": st.rank if st else None} for b, st in table.series(a)]}
                       for a in followed]}, indent=1, ensure_ascii=False))
        return 0
    print(f"{args.metric} centrality by {args.bucket}" +
          (f" ({table.imprecise} events dated too coarsely left out)" if table.imprecise else "") +
          (f", estimated (each score within {table.error:g})" if table.error is not None
           else ", estimated" if table.approximate else ""))
    if not table.buckets:
        print("no dated events")
        return 0
    width = max([len(n) for n in name.values()] + [5])
    print(f"{'actor':<{width}}  " + "  ".join(f"{b.label:>13}" for b in table.buckets))
    for a in followed:
        cells = [f"{st.rank:>4} ({st.score:.3f})" if st else f"{'-':>13}" for _, st in table.series(a)]
        print(f"{name[a]:<{width}}  " + "  ".join(f"{c:>13}" for c in cells))
    return 0
