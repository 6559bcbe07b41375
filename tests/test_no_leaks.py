"""The extractor must find actors, not list them: no name of a person, facility or event from
the sample articles may appear in the product code or its vocabularies."""
from __future__ import annotations

import re

from tests.extraction.support import REPO

# Names the sample articles contain (what a leak would look like); the test reads product code only.
SAMPLE_NAMES = ["faizur", "mirza", "kamrul", "kamr-ul", "asim munir", "ishaq dar", "taxila", "shikha anirban",
                "senakunjo", "infantry and tactics", "rawalpindi", "sylhet", "khulna", "hasina", "ordnance factories (pof)"]


def test_no_sample_names_in_product_code():
    pattern = re.compile("|".join(re.escape(n) for n in SAMPLE_NAMES), re.I)
    hits = []
    for folder in ("loaders", "graph", "service"):
        for f in (REPO / folder).rglob("*"):
            if f.is_file() and f.suffix in {".py", ".json", ".cypher", ".txt"}:
                for n, line in enumerate(f.read_text(encoding="utf-8", errors="replace").splitlines(), 1):
                    if pattern.search(line):
                        hits.append(f"{f.relative_to(REPO)}:{n}: {line.strip()[:80]}")
    assert not hits, "\n".join(hits)
