"""The CLI as a newcomer meets it: help and defaults for everything, --version, actors found by
name, a closed pipe ending quietly, and a missing data folder named rather than read as empty."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from graph.stores.embedded.store import EmbeddedStore
from service.cli import build_parser
from tests.extraction.support import EXAMPLE_VOCAB, REPO, examples_batch


def run(*args: str, env: dict | None = None, cwd: Path = REPO) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=300, env={**os.environ, **(env or {})})


@pytest.fixture(scope="module")
def data(tmp_path_factory) -> Path:
    """An embedded store holding the example articles."""
    folder = tmp_path_factory.mktemp("store") / "data"
    with EmbeddedStore(folder / "graph.json") as store:
        store.upsert(examples_batch())
    return folder


def store_env(data: Path) -> dict:
    return {"ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": str(data), "ACTORGRAPH_VOCAB": str(EXAMPLE_VOCAB)}


@pytest.mark.parametrize("given", ["setting", "option"])
def test_the_old_store_name_memory_still_reads_the_embedded_store_with_one_notice(data: Path, given: str):
    env = {**store_env(data), "ACTORGRAPH_STORE": "memory" if given == "setting" else "embedded"}
    p = run("stats", *(["--store", "memory"] if given == "option" else []), env=env)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("store: embedded\n") and "nodes: " in p.stdout
    assert p.stderr.splitlines() == ["the store 'memory' is now called 'embedded'; 'memory' still works"]


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


def test_version_is_the_packages():
    meta = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    p = run("--version")
    assert p.returncode == 0 and p.stdout.strip() == f"actorgraph {meta['project']['version']}"


def test_every_command_has_a_description_and_every_option_help_with_its_default():
    parser = build_parser()
    assert "service.commands" not in parser.format_help()  # no note meant for developers
    commands = _subparsers(parser)
    assert {"extract", "ingest", "stats", "actors", "serve", "export"} <= set(commands)
    for name, sub in commands.items():
        assert sub.description and len(sub.description) > 40, name
        for action in sub._actions:
            if isinstance(action, (argparse._HelpAction, argparse._VersionAction)):
                continue
            assert action.help, (name, action.dest)
            if action.option_strings and not isinstance(action, argparse._StoreTrueAction):
                assert "default" in action.help, (name, action.option_strings)


def test_export_help_lists_the_relation_types_whole():
    p = run("export", "--help", env={"COLUMNS": "80"})
    words = p.stdout.replace(",", " ").split()
    for rel in ("MET", "VISITED", "SIGNED", "OFFERED", "MEMBER_OF", "PART_OF", "LOCATED_IN"):
        assert rel in words, p.stdout


def test_actors_lists_matches_with_ids(data):
    p = run("actors", "Reyvik", env=store_env(data))
    assert p.returncode == 0, p.stderr
    rows = [line.split("\t") for line in p.stdout.splitlines()]
    assert {(r[0], r[2]) for r in rows} == {("person:tomas-reyvik", "Tomas Reyvik"), ("person:mira-reyvik", "Mira Reyvik")}
    j = json.loads(run("actors", "Gen Reyvik", "--format", "json", "--limit", "1", env=store_env(data)).stdout)
    assert [(a["id"], a["rank"]) for a in j] == [("person:tomas-reyvik", "General")]
    assert run("actors", "Zzyzx Qwv", env=store_env(data)).returncode == 1  # nothing found


def test_export_takes_a_name_or_an_id_for_every_actor_option(data, tmp_path):
    by_name = run("export", "--center", "Tomas Reyvik", "-f", "json", env=store_env(data))
    by_id = run("export", "--center", "person:tomas-reyvik", "-f", "json", env=store_env(data))
    assert by_name.returncode == by_id.returncode == 0, by_name.stderr
    assert json.loads(by_name.stdout) == json.loads(by_id.stdout)
    assert "'Tomas Reyvik' is Tomas Reyvik (person:tomas-reyvik)" in by_name.stderr
    path = run("export", "--source", "Karl Odegard", "--target", "Gen Reyvik", "--types", "MET", "-f", "json",
               env=store_env(data))
    assert path.returncode == 0, path.stderr
    ids = {n["id"] for n in json.loads(path.stdout)["nodes"]}
    assert ids == {"person:karl-odegard", "person:paolo-ferrante", "person:aldo-santori", "person:tomas-reyvik"}


@pytest.mark.parametrize("option, text", [("--center", "Tomas Reyvk Zz"), ("--center", "person:tomas-reyvk"),
                                          ("--source", "Odegardd Karel")])
def test_an_unknown_actor_suggests_close_names(data, option, text):
    args = [option, text] + (["--target", "person:tomas-reyvik"] if option == "--source" else [])
    p = run("export", *args, "-f", "json", env=store_env(data))
    assert p.returncode == 2 and not p.stdout and "Traceback" not in p.stderr
    assert option in p.stderr and "close names" in p.stderr
    assert ("person:tomas-reyvik" if option == "--center" else "person:karl-odegard") in p.stderr


def test_an_ambiguous_name_lists_the_candidates(data):
    p = run("export", "--center", "Col Reyvik", "-f", "json", env=store_env(data))
    assert p.returncode == 2 and "person:mira-reyvik" in p.stderr and "person:tomas-reyvik" in p.stderr


def test_a_closed_pipe_ends_quietly(data):
    read, write = os.pipe()
    os.close(read)  # the reader is gone before the command writes a byte, as after `| head -3`
    proc = subprocess.Popen([sys.executable, "-m", "service.cli", "stats"], cwd=REPO, stdout=write,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **store_env(data)})
    os.close(write)
    _, err = proc.communicate(timeout=120)
    assert "Traceback" not in err and "BrokenPipeError" not in err and "Exception ignored" not in err, err
    assert proc.returncode == 141


@pytest.mark.parametrize("command", [["stats"], ["actors", "x"], ["export", "-o", "out.json"]])
def test_a_missing_data_folder_is_named_and_fails(tmp_path, command):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    p = run(*command, env={"ACTORGRAPH_STORE": "embedded", "ACTORGRAPH_DATA": "data"}, cwd=elsewhere)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert str(elsewhere / "data") in p.stderr and "does not exist" in p.stderr
    assert not (elsewhere / "data").exists() and not (elsewhere / "out.json").exists()


def test_an_unknown_output_suffix_is_an_error_naming_it_and_the_known_ones(data, tmp_path):
    out = tmp_path / "graph.docx"
    p = run("export", "-o", str(out), env=store_env(data))
    assert p.returncode == 2 and not out.exists()
    assert "'.docx'" in p.stderr and ".graphml" in p.stderr and ".xlsx" in p.stderr
    assert run("export", "-o", str(tmp_path / "g.ftm.json"), env=store_env(data)).returncode == 0


def test_the_centre_is_marked_whether_named_or_given_by_id(data, tmp_path):
    from graph.exports.picture import CENTER_CLASS
    by_name = run("export", "--center", "Tomas Reyvik", "-f", "svg", env=store_env(data))
    by_id = run("export", "--center", "person:tomas-reyvik", "-f", "svg", env=store_env(data))
    assert by_name.returncode == by_id.returncode == 0, by_name.stderr
    assert f'class="node {CENTER_CLASS}"' in by_name.stdout
    assert by_name.stdout == by_id.stdout


def test_graphml_has_event_nodes_only_when_asked(data, tmp_path):
    import networkx as nx
    plain, full = tmp_path / "plain.graphml", tmp_path / "full.graphml"
    assert run("export", "-o", str(plain), env=store_env(data)).returncode == 0
    assert run("export", "--events", "-o", str(full), env=store_env(data)).returncode == 0
    kinds = [{d.get("type") for _, d in nx.read_graphml(f).nodes(data=True)} for f in (plain, full)]
    assert "Event" not in kinds[0] and "Event" in kinds[1]


def test_a_busy_port_is_a_clear_message_before_any_work(tmp_path):
    import socket
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        env = {"ACTORGRAPH_DATA": str(tmp_path / "data")}
        for args in (["serve", "--port", str(port)], ["serve", "--check-port", "--port", str(port)]):
            p = run(*args, env=env)
            assert p.returncode == 2, p.stderr
            assert f"port {port} on 127.0.0.1 is not free" in p.stderr and f"--port {port + 1}" in p.stderr
            assert "Traceback" not in p.stderr
    assert not (tmp_path / "data").exists()  # no store opened
    assert run("serve", "--check-port", "--port", str(port), env=env).returncode == 0  # free again


@pytest.mark.parametrize("argv", [["--help"], ["stats"], ["actors", "Reyvik"]])
def test_quick_commands_import_no_heavy_library(data, argv):
    """Start-up stays short (bench/cli.py prints the times) because these commands load neither
    networkx, spaCy nor FastAPI."""
    code = ("import sys, contextlib, io\nfrom service.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()):\n"
            f"    try:\n        main({argv!r})\n    except SystemExit:\n        pass\n"
            "print(sorted(m for m in ('networkx', 'spacy', 'fastapi', 'uvicorn') if m in sys.modules))")
    p = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=120,
                       env={**os.environ, **store_env(data)})
    assert p.returncode == 0, p.stderr
    assert p.stdout.strip().splitlines()[-1] == "[]", p.stdout


def test_the_parsers_partition_default_is_the_clusters():
    from loaders.cluster import PARTITION_ARTICLES
    from service.commands import cluster
    assert cluster.PARTITION_ARTICLES == PARTITION_ARTICLES
