"""``bench.scale_neo4j`` reads the server's CPU time only from the process of the installation it
was given that listens at the URI's port on this machine: never another server's, never a guess."""
from __future__ import annotations

import argparse
import os
import socket
from urllib.parse import urlsplit

import pytest

from bench.scale_neo4j import _cpu_s, _installation, _server_process
from tests import neo4j_server

pytestmark = pytest.mark.neo4j


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_the_servers_cpu_is_read_from_the_tests_own_server(neo4j_driver):
    inst = _installation(argparse.Namespace(neo4j_dir=neo4j_server.folder()))
    server = _server_process(inst, neo4j_server.uri())
    assert server is not None and server.pid != os.getpid()
    before = _cpu_s(server)
    neo4j_driver.execute_query("UNWIND range(1, 300000) AS i WITH i WHERE i % 7 = 0 RETURN count(*) AS n")
    assert _cpu_s(server) > before  # the server's own clock moved with the query it ran
    port = urlsplit(neo4j_server.uri()).port
    assert _server_process(inst, neo4j_server.uri().replace(f":{port}", f":{_unused_port()}")) is None
    assert _server_process(inst, f"bolt://db.example.org:{port}") is None  # another machine's, same port
