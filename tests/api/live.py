"""A real uvicorn serving an app on loopback in a thread, configured as ``actorgraph serve`` does
(``service.server``): for tests that need real sockets (slow clients, disconnects, memory)."""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Any, Iterator

import uvicorn

from service.server import uvicorn_config
from service.settings import Settings


@contextmanager
def served(app: Any, settings: Settings) -> Iterator[int]:
    """Serve ``app`` on 127.0.0.1 and yield its port; stop it after."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn_config(app, settings, port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    try:
        yield port
    finally:
        server.should_exit = True
        thread.join(timeout=15)
