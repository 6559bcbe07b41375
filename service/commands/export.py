"""``actorgraph export``: write a subgraph of the configured store in any export format.

    actorgraph export --center "Tomas Reyvik" --depth 2 -o reyvik.pdf
    actorgraph export --source person:karl-odegard --target state:veloria --format cypher
    actorgraph export --types MET,SIGNED --since 2025-01-01 --format graphml -o meetings.graphml
    actorgraph export --events -o with-events.graphml   # events as nodes too (IN_EVENT edges)
    actorgraph export --min-sources 2 -o corroborated.svg   # only what two independent sources or more report
    actorgraph export --format neo4j-csv -o everything.zip
    actorgraph export -o everything.ftm.json     # FollowTheMoney entities for OCCRP Aleph
    actorgraph export -o everything.xlsx         # Excel: nodes, relations with citations, articles
    actorgraph export -o everything.pdf --report-rows 0   # a report printing every row, however long
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from service.commands.common import STORE_CHOICES, STORE_HELP, CommandError, open_read_store, resolve_actor_option, store_choice

# Kept free of graph.exports so building the CLI parser stays cheap; checked against FORMATS in tests.
FORMAT_NAMES = ("json", "graphml", "gexf", "neo4j-csv", "cytoscape", "cypher", "svg", "png", "html", "pdf", "ftm",
                "xlsx", "plover")
_BY_SUFFIX = {".json": "json", ".graphml": "graphml", ".gexf": "gexf", ".zip": "neo4j-csv", ".cyjs": "cytoscape",
              ".cypher": "cypher", ".cql": "cypher", ".svg": "svg", ".png": "png", ".html": "html", ".htm": "html",
              ".pdf": "pdf", ".ftm.json": "ftm", ".ftm": "ftm", ".xlsx": "xlsx", ".plover.json": "plover"}


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser(
        "export", help="write a subgraph as JSON, GraphML, GEXF, CSV, Cypher, FtM, Excel, a picture or a report",
        description="Select a subgraph of the configured store (ACTORGRAPH_STORE, NEO4J_*): an ego network "
                    "(--center), the shortest path(s) between two actors (--source/--target), or the whole "
                    "graph; optionally filtered by relation type and date. Write it in --format to -o FILE, "
                    "or to standard output for text formats.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog=__doc__.split("\n", 1)[1])
    what = p.add_argument_group("what to export (default: the whole graph)")
    what.add_argument("--center", metavar="ACTOR",
                      help="the actor at the centre of an ego network: an id or a name (default: none)")
    what.add_argument("--depth", type=int, default=1, metavar="N", help="ties from the centre (default: 1)")
    what.add_argument("--source", metavar="ACTOR", help="one end of a path: an id or a name (default: none)")
    what.add_argument("--target", metavar="ACTOR", help="the other end of the path: an id or a name (default: none)")
    what.add_argument("--all-paths", action="store_true", help="every shortest path, not just one")
    what.add_argument("--max-hops", type=int, default=6, metavar="N", help="longest path looked for (default: 6)")
    flt = p.add_argument_group("filters")
    flt.add_argument("--types", metavar="TYPES",
                     help="relation types to follow, comma-separated (default: all): "
                          + ", ".join(("MET", "VISITED", "SIGNED", "OFFERED", "MEMBER_OF", "PART_OF", "LOCATED_IN")))
    flt.add_argument("--since", metavar="DATE",
                     help="events on or after this ISO date: 2025, 2025-01 or 2025-01-14 (default: no bound)")
    flt.add_argument("--until", metavar="DATE", help="events on or before this ISO date (default: no bound)")
    flt.add_argument("--min-sources", type=int, metavar="N",
                     help="only relations reported by at least N independent sources (default: all)")
    out = p.add_argument_group("output")
    out.add_argument("-f", "--format", choices=FORMAT_NAMES,
                     help="output format (default: from the -o suffix, else json)")
    out.add_argument("-o", "--output", metavar="FILE", help="file to write (default: standard output)")
    out.add_argument("--title", help="title of a picture or report (default: from what is exported)")
    out.add_argument("--events", action="store_true",
                     help="GraphML: add the events as nodes, tied to their participants by IN_EVENT edges "
                          "(default: actors and relations only)")
    out.add_argument("--isolated", action="store_true",
                     help="draw actors without relations too, in pictures and reports (default: left out)")
    out.add_argument("--report-rows", type=_rows, default=None, metavar="N",
                     help="the most relations and actors a PDF report's tables print, the best-corroborated "
                          "first; lists cut short are attached to the PDF as CSV files. 0: every row "
                          "(default: 100)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES, help=STORE_HELP)
    p.set_defaults(func=run)


def _rows(text: str) -> int:
    try:
        n = int(text)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 for every row, got {text!r}")
    return n


def _fail(message: str, code: int = 2) -> int:
    print(f"actorgraph export: {message}", file=sys.stderr)
    return code


def _format(args: argparse.Namespace) -> str:
    """The format asked for, else the one the -o suffix names (ValueError for a suffix none does:
    a .docx must not get JSON in it), else json."""
    if args.format:
        return args.format
    if args.output and args.output != "-":
        suffixes = [x.lower() for x in Path(args.output).suffixes]
        if not suffixes:
            return "json"
        # ".ftm.json" before ".json": the longer suffix names the format.
        fmt = _BY_SUFFIX.get("".join(suffixes[-2:])) or _BY_SUFFIX.get(suffixes[-1])
        if fmt is None:
            raise ValueError(f"-o {args.output}: unknown suffix {suffixes[-1]!r}; known suffixes: "
                             f"{', '.join(_BY_SUFFIX)} (or give --format)")
        return fmt
    return "json"


def _types(text: str | None) -> list[str] | None:
    if not text:
        return None
    from graph.model import RelType

    names = [t.strip().upper() for t in text.split(",") if t.strip()]
    unknown = [t for t in names if t not in RelType.__members__]
    if unknown:
        raise ValueError(f"unknown relation type(s) {', '.join(unknown)}; known: {', '.join(RelType.__members__)}")
    return names


def _select(store, args: argparse.Namespace, types: list[str] | None):
    """(batch, default title, the centre's id or None) for what the arguments ask; actors named by name or id."""
    from graph.queries.subgraphs import select_subgraph
    from graph.queries.select import path_graph, whole_graph

    if args.center:
        center = resolve_actor_option(store, args.center, "--center", "actorgraph export")
        batch = select_subgraph(store, center, depth=args.depth, types=types, since=args.since, until=args.until,
                                min_sources=args.min_sources)
        name = batch.actors[center].name if center in batch.actors else center
        return batch, f"{name}: ego network, depth {args.depth}", center
    if args.source or args.target:
        source = resolve_actor_option(store, args.source, "--source", "actorgraph export")
        target = resolve_actor_option(store, args.target, "--target", "actorgraph export")
        batch = path_graph(store, source, target, max_hops=args.max_hops, all_paths=args.all_paths,
                           types=types, since=args.since, until=args.until, min_sources=args.min_sources)
        names = [batch.actors[a].name if a in batch.actors else a for a in (source, target)]
        return batch, f"{'Shortest paths' if args.all_paths else 'Shortest path'}: {names[0]} – {names[1]}", None
    return (whole_graph(store, types=types, since=args.since, until=args.until, min_sources=args.min_sources),
            "Actor graph", None)


def run(args: argparse.Namespace) -> int:
    if bool(args.source) != bool(args.target):
        return _fail("a path needs both --source and --target")
    if args.center and args.source:
        return _fail("choose an ego network (--center) or a path (--source/--target), not both")
    if args.depth < 0 or args.max_hops < 1:
        return _fail("--depth must be 0 or more and --max-hops 1 or more")
    if args.min_sources is not None and args.min_sources < 1:
        return _fail("--min-sources must be 1 or more")
    try:
        types = _types(args.types)
    except ValueError as exc:
        return _fail(str(exc))
    try:
        fmt = _format(args)
    except ValueError as exc:
        return _fail(str(exc))

    # Heavy imports here, not when the CLI builds its parser.
    from graph.exports import ExportError, export, is_text
    from graph.queries.subgraphs import UnknownActor
    from graph.queries.select import NoPath
    from graph.stores.interface import StoreError

    if args.output is None and not is_text(fmt) and sys.stdout.isatty():
        return _fail(f"{fmt} is binary: write it with -o FILE or redirect standard output")
    try:
        with open_read_store(args.store) as store:
            batch, title, center = _select(store, args, types)
            from graph.queries.events import events_for_batch
            batch = events_for_batch(store, batch)  # the events behind its edges (graph.model.events)
    except CommandError as exc:
        return _fail(str(exc), exc.code)
    except (UnknownActor, NoPath) as exc:
        return _fail(str(exc))
    except StoreError as exc:
        return _fail(f"store: {exc}", 1)

    try:
        # The centre is marked in pictures and reports; formats without a picture ignore both.
        options = {"rows": args.report_rows or None} if fmt == "pdf" and args.report_rows is not None else {}
        if fmt == "graphml" and args.events:
            options["events"] = True
        # The centre by its id, however it was given (a name marks nothing in the picture).
        data = export(batch, fmt, title=args.title or title, center=center, isolated=args.isolated or None,
                      **options)
    except ExportError as exc:
        return _fail(str(exc), 1)
    if args.output and args.output != "-":
        Path(args.output).write_bytes(data)
        print(f"wrote {fmt} of {len(batch.actors)} actors and {len(batch.relations)} relations to {args.output}",
              file=sys.stderr)
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0
