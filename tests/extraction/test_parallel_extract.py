"""Extraction in worker processes (``Extractor(workers=N)``, ``--workers N``) makes the very graph
one process makes: on the example articles, and on generated fictional wire stories whose people
recur from article to article (so resolution across articles is what is compared)."""
from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from graph.stores.embedded.store import EmbeddedStore
from loaders.pipeline import Extractor, extract_paths
from loaders.read import RawArticle
from service.curation import ingest
from tests.extraction.support import EXAMPLES, EXAMPLE_VOCAB, REPO, extractor

MECHANISMS = REPO / "tests" / "data" / "mechanisms"
_SYLLABLES = ["ka", "ro", "vel", "mar", "tan", "sil", "do", "bre", "zu", "ni", "or", "la", "quen", "thi"]
_STATES = [("Veloria", "Velorian", "Castel Vor"), ("Ostrland", "Ostrlandic", "Halvik"),
           ("Marenzia", "Marenzian", "Port Sabre")]
_MONTHS = ["January", "February", "March", "April", "May", "June"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).title()


def generated_articles(n: int, seed: int = 11) -> list[RawArticle]:
    """Wire stories among a few invented officers: each named in full once, then by surname,
    and met again in later stories, as the same people are in a real corpus."""
    rng = random.Random(seed)
    people = [(rng.choice(["General", "Admiral", "Brigadier"]), _word(rng), _word(rng), rng.choice(_STATES))
              for _ in range(8)]
    out = []
    for k in range(n):
        (rank_a, first_a, last_a, (state_a, dem_a, _)), (rank_b, first_b, last_b, (state_b, dem_b, cap_b)) = \
            rng.sample(people, 2)
        month, day = rng.choice(_MONTHS), rng.randint(1, 28)
        text = (f"{cap_b.upper()}, {month} {day} (Northwire) - {rank_a} {first_a} {last_a}, chief of the "
                f"{dem_a} Army, met {rank_b} {first_b} {last_b} of the {dem_b} Navy in {cap_b} on Tuesday.\n\n"
                f"{last_a} later visited the {_word(rng)} Naval Base, officials said. "
                f"{state_a} and {state_b} signed a defence cooperation memorandum on {day} {month} 2025.\n\n"
                f"Desk note {k}: filed for the archive.\n")
        out.append(RawArticle(id=f"gen-{k:03d}.txt", text=text, published=f"2025-{_MONTHS.index(month) + 1:02d}-{day:02d}"))
    return out


@pytest.fixture(scope="module")
def two_workers():
    # min_parallel=0: the pool runs even for these few articles, which is what is under test
    ex = Extractor(extra_vocab=(str(EXAMPLE_VOCAB),), workers=2, min_parallel=0)
    yield ex
    ex.close()


def test_two_workers_extract_the_examples_as_one_does(two_workers):
    one = extract_paths([EXAMPLES, MECHANISMS], extractor=extractor())
    two = extract_paths([EXAMPLES, MECHANISMS], extractor=two_workers)
    assert two_workers._pool is not None and two_workers._pool.started  # the workers did read them
    assert one.articles == two.articles > 10 and not one.errors and not two.errors
    assert len(one.batch.relations) > 50
    assert two.batch.to_dict() == one.batch.to_dict()


def test_two_workers_extract_generated_articles_as_one_does(two_workers):
    raws = generated_articles(30)
    one = extractor().extract(generated_articles(30))
    seen: list[str] = []
    two = two_workers.extract(raws, progress=lambda raw: seen.append(raw.id))
    assert seen == [r.id for r in raws]  # progress per article, in input order
    people = [a for a in one.actors.values() if a.type.value == "Person"]
    assert 4 <= len(people) <= 8 and len(one.relations) > 30  # the same officers recur across stories
    assert two.to_dict() == one.to_dict()


def test_two_workers_ingest_as_one_does_chunk_after_chunk(two_workers, tmp_path):
    """Ingest resolves each article against the actors stored and seen before it (service.curation.Seed):
    workers read ahead, the order of resolution stays the input's."""
    stored = []
    for name, ex in (("one", extractor()), ("two", two_workers)):
        raws = generated_articles(30, seed=5) + [RawArticle(id="empty.txt", text="")]
        with EmbeddedStore(tmp_path / f"{name}.sqlite") as store:
            for start in range(0, len(raws), 12):  # as the CLI does, --chunk 12
                ingest(store, ex, raws[start:start + 12])
            stored.append((store.snapshot().to_dict(), sorted(a.id for a in store.articles())))
    assert stored[0][1] == stored[1][1] and len(stored[0][1]) >= 30
    assert stored[1][0] == stored[0][0] and stored[0][0]["edges"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "service.cli", "extract", *args], cwd=REPO, capture_output=True,
                          text=True, timeout=600)


def test_cli_workers_same_graph_progress_shown_and_bad_files_named(tmp_path: Path):
    folder = tmp_path / "wire"
    folder.mkdir()
    for raw in generated_articles(30, seed=3):
        (folder / raw.id).write_text(raw.text, encoding="utf-8")
    (folder / "latin1.txt").write_bytes(b"caf\xe9")
    one = _cli(str(folder), "--vocab", str(EXAMPLE_VOCAB), "--workers", "1")
    two = _cli(str(folder), "--vocab", str(EXAMPLE_VOCAB), "--workers", "2")
    assert one.returncode == two.returncode == 1, two.stderr  # one file failed
    for p in (one, two):
        assert any("latin1.txt" in line and "not UTF-8" in line for line in p.stderr.splitlines()), p.stderr
        assert "extract: " in p.stderr and "30 articles" in p.stderr  # the progress bar, and the summary
    assert json.loads(two.stdout) == json.loads(one.stdout)
    assert json.loads(one.stdout)["edges"]


def test_workers_must_be_a_positive_number():
    p = _cli(str(EXAMPLES), "--workers", "0")
    assert p.returncode == 2 and "--workers" in p.stderr and "1 or more" in p.stderr


def _children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:  # the process ended while being read
            continue
        if int(fields[1]) == pid and fields[0] != "Z":
            out.append(int(stat.parent.name))
    return out


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads the process table from /proc")
def test_workers_leave_when_the_extract_is_killed(tmp_path: Path):
    """A killed CLI (SIGKILL, the OOM killer) leaves no worker waiting for tasks for ever."""
    import os
    import signal
    import time

    folder = tmp_path / "wire"
    folder.mkdir()
    for raw in generated_articles(200, seed=8):
        (folder / raw.id).write_text(raw.text, encoding="utf-8")
    p = subprocess.Popen([sys.executable, "-m", "service.cli", "extract", str(folder), "--vocab", str(EXAMPLE_VOCAB),
                          "--workers", "2", "-o", str(tmp_path / "g.json")], cwd=REPO,
                         stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):  # until both workers run (the model loads first)
            workers = _children(p.pid)
            if len(workers) >= 2 or p.poll() is not None:
                break
            time.sleep(0.2)
        assert len(workers) >= 2, "the workers never started"
    finally:
        os.kill(p.pid, signal.SIGKILL)
        p.wait()
    for _ in range(150):
        alive = [w for w in workers if Path(f"/proc/{w}").exists() and "Z" not in _state(w)]
        if not alive:
            break
        time.sleep(0.2)
    for w in alive:  # do not leave them behind, whatever the test says
        os.kill(w, signal.SIGKILL)
    assert alive == []


def _state(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return "Z"
