"""``actorgraph serve``: run the HTTP API with uvicorn."""
from __future__ import annotations

import argparse

from service.commands.common import STORE_CHOICES, store_choice


def register(subparsers: argparse._SubParsersAction) -> None:
    p = subparsers.add_parser("serve", help="run the HTTP API (docs at /docs)",
                              description="Serve the HTTP API over the configured store (ACTORGRAPH_STORE, "
                                          "NEO4J_*); POST /articles needs ACTORGRAPH_API_KEY.")
    p.add_argument("--host", default="127.0.0.1",
                   help="interface to listen on (default: 127.0.0.1, loopback only; 0.0.0.0 for every interface)")
    p.add_argument("--port", type=int, default=8000, help="TCP port to listen on (default: 8000)")
    p.add_argument("--store", type=store_choice, choices=STORE_CHOICES,
                   help="store to serve (default: ACTORGRAPH_STORE, else embedded)")
    p.add_argument("--workers", type=_workers, default=1,
                   help="worker processes answering requests (default: 1); each opens the store and holds its "
                        "own projections, so memory and start-up work grow with N (see README, Scale)")
    p.add_argument("--log-level", default="info", choices=("critical", "error", "warning", "info", "debug"),
                   help="uvicorn's log level (default: info)")
    p.add_argument("--follow", nargs="?", const="15m", metavar="EVERY", type=_every,
                   help="also follow the sources of POST /feeds and `actorgraph follow`, a round every EVERY "
                        "(default 15m), in a process of its own beside the service")
    p.set_defaults(func=run)


def _every(text: str) -> str:
    from service.commands.follow import duration
    duration(text)  # a bad value refused before anything starts
    return text


def _workers(text: str) -> int:
    n = int(text)
    if n < 1:
        raise argparse.ArgumentTypeError(f"--workers must be 1 or more, not {n}")
    return n


def run(args: argparse.Namespace) -> int:
    import os

    from service.settings import Settings

    if args.store:
        os.environ["ACTORGRAPH_STORE"] = args.store  # the settings of each worker process too
    settings = Settings()
    from service.server import uvicorn_options

    # h11 with a bounded head, a read deadline per request, keep-alive, connection and shutdown
    # limits (service.server); bodies are bounded by the app (ACTORGRAPH_MAX_BODY_BYTES).
    options = dict(host=args.host, port=args.port, log_level=args.log_level,
                   **uvicorn_options(settings, picklable=args.workers > 1))
    follower = _start_follower(args) if args.follow else None
    try:
        _serve(args, settings, options)
    finally:
        if follower is not None:
            follower.terminate()  # safe at any point: the follower marks nothing done before it is stored
            follower.wait(timeout=30)
    return 0


def _start_follower(args: argparse.Namespace):
    """``actorgraph follow --every EVERY`` as a child process: its rounds (the extractor's work)
    never hold up a request, and the stores take writes from both processes."""
    import os
    import subprocess
    import sys

    cmd = [sys.executable, "-m", "service.cli", "follow", "--every", args.follow]
    # uvicorn re-raises the signal that stopped it, so this process may die before its `finally`:
    # the follower watches for its parent going and then stops by itself.
    env = {**os.environ, "ACTORGRAPH_FOLLOW_PARENT": str(os.getpid())}
    return subprocess.Popen(cmd + (["--store", args.store] if args.store else []), env=env)


def _serve(args: argparse.Namespace, settings, options: dict) -> None:
    import uvicorn  # heavy imports here, not when the CLI builds its parser

    from service.app import create_app

    if args.workers > 1:
        # Worker processes import the app themselves (uvicorn needs it by name) and share the
        # socket; each opens the store: the embedded one's writes reach the others through SQLite.
        uvicorn.run("service.app:create_app", factory=True, workers=args.workers, **options)
    else:
        uvicorn.run(create_app(settings=settings), **options)
