"""``actorgraph``: one entry point; each subcommand lives in ``service.commands.<name>``."""
from __future__ import annotations

import argparse
import importlib
import os
import sys
from importlib.metadata import PackageNotFoundError, version

# Each module exposes register(subparsers) -> None, adding its parser with set_defaults(func=...).
COMMANDS = ("extract", "ingest", "stats", "actors", "events", "trend", "risers", "serve", "export", "eval",
            "judge", "delete_article", "reset", "reextract", "follow")  # curation (README "Curation")

DESCRIPTION = ("Actor-relationship knowledge graph of defence and diplomacy news: extract who met, visited, "
               "signed with and offered what to whom from articles, with the sentence that says so; store "
               "it (embedded, or Neo4j); find actors, export subgraphs and serve the HTTP API.")
EPILOG = ("settings come from the environment: ACTORGRAPH_STORE (embedded or neo4j), ACTORGRAPH_DATA (the "
          "embedded store's folder, default ./data), NEO4J_URI, NEO4J_USER, NEO4J_PASSWORD, NEO4J_DATABASE, "
          "ACTORGRAPH_VOCAB; see README.md. `actorgraph COMMAND --help` describes each command.")


def _version() -> str:
    try:
        return version("actorgraph")
    except PackageNotFoundError:  # run from a checkout that is not installed
        return "unknown"


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="actorgraph", description=DESCRIPTION, epilog=EPILOG)
    parser.add_argument("--version", action="version", version=f"actorgraph {_version()}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"service.commands.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    from graph.stores.interface import StoreError
    from service.commands.common import CommandError

    args = build_parser().parse_args(argv)
    from pydantic import ValidationError
    try:
        code = int(args.func(args) or 0)
        sys.stdout.flush()  # here, so that a closed pipe is caught below and not at exit
        return code
    except CommandError as exc:
        print(f"actorgraph {args.command}: {exc}", file=sys.stderr)
        return exc.code
    except StoreError as exc:  # the store failed midway (Neo4j went away): no traceback
        print(f"actorgraph {args.command}: store: {exc}", file=sys.stderr)
        return 1
    except ValidationError as exc:  # a setting refused (the settings hide the values they refuse)
        for err in exc.errors(include_url=False):
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            print(f"actorgraph: invalid setting {name}: {err['msg']}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader went away (`actorgraph stats | head -3`): stop quietly, as `yes | head` does.
        # Point stdout at /dev/null so the interpreter's final flush does not complain again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141


if __name__ == "__main__":
    sys.exit(main())
