"""``actorgraph``: one entry point; each subcommand lives in ``service.commands.<name>``."""
from __future__ import annotations

import argparse
import importlib
import sys

# Each module exposes register(subparsers) -> None, adding its parser with set_defaults(func=...).
COMMANDS = ("extract", "ingest", "stats", "serve", "export", "eval",
            "judge", "delete_article", "reset", "reextract")  # curation (README "Curation")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="actorgraph", description=__doc__.split(":", 1)[1].strip())
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMANDS:
        try:
            module = importlib.import_module(f"service.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"service.commands.{name}":
                raise
            continue  # not built yet
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from pydantic import ValidationError
    try:
        return int(args.func(args) or 0)
    except ValidationError as exc:  # a setting refused (the settings hide the values they refuse)
        for err in exc.errors(include_url=False):
            name = ".".join(str(p) for p in err["loc"]) or "settings"
            print(f"actorgraph: invalid setting {name}: {err['msg']}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
