"""No person's name from any shared gold set in the product code or its vocabularies.

The extractor is measured on articles it has never seen, so it must find people, not list them.
Every person of every gold file in the shared evaluation folder (the sample set and all dev
parts) is looked for, by full name and by each alias of two words or more, in the code and data
of loaders/, graph/ and service/ (comments and docstrings included).
"""
from __future__ import annotations

import json
import re
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SUFFIXES = {".py", ".json", ".cypher", ".txt", ".js", ".html"}


def _gold_people(shared_eval: Path) -> set[str]:
    names = set()
    for gold in sorted(shared_eval.rglob("*.gold.json")):
        for e in json.loads(gold.read_text(encoding="utf-8"))["entities"]:
            if e.get("type") != "Person":
                continue
            own = {w.lower() for w in e["name"].split()}
            for name in [e["name"], *e.get("aliases", [])]:
                words = [w for w in re.split(r"\s+", name.strip()) if w]
                # an alias that is a role ('Army Chief') names no one: it must hold a word of the name
                if len(words) >= 2 and own & {w.lower() for w in words}:
                    names.add(" ".join(words))
    return names


def test_no_gold_person_in_product_code(shared_eval: Path):
    people = _gold_people(shared_eval)
    assert len(people) > 50  # the gold sets were read
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(n).replace(r"\ ", r"\s+") for n in sorted(people)) + r")\b",
                         re.I)
    hits = []
    for folder in ("loaders", "graph", "service"):
        for f in sorted((REPO / folder).rglob("*")):
            if f.is_file() and f.suffix in SUFFIXES and "vendor" not in f.parts:
                for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    m = pattern.search(line)
                    if m:
                        hits.append(f"{f.relative_to(REPO)}:{n}: {m.group(0)}")
    assert not hits, "gold people named in product code:\n" + "\n".join(hits)
