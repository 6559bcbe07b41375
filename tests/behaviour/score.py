"""Run the real extractor on the cases and score what it found against each case's gold.

Names are matched folded, as /work/shared/eval/score.py does: case, accents, dots, apostrophes and
hyphens ignored, leading ranks and titles dropped; an extracted actor matches a gold name if its name
or any alias does. Only the relation types a case scores are judged (a visit case does not count the
memberships it also yields). Per capability: precision, recall, F1; false positives on negatives;
dates right among matched relations whose gold states a date.
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

from tests.behaviour.cases import SYMMETRIC, Case
from tests.behaviour.names import VOCAB

Triple = tuple[str, str, str]

_TITLE_WORDS = {"the", "his", "her", "excellency", "former", "mr", "mrs", "ms", "dr", "prime", "minister",
                "president", "deputy", "foreign", "defence", "defense", "secretary", "chief", "vice", "rear"}


# letters NFKD does not split into a base and a mark
_LETTERS = str.maketrans({"đ": "d", "Đ": "d", "ł": "l", "Ł": "l", "ø": "o", "Ø": "o", "ı": "i", "ß": "ss"})


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = re.sub(r"[’'`.\-]", "", text)
    return re.sub(r"\s+", " ", text).strip()


@lru_cache(maxsize=1)
def _title_words() -> frozenset[str]:
    ranks = json.loads((VOCAB / "ranks.json").read_text(encoding="utf-8"))["ranks"]
    words = {w for r in ranks for form in r["forms"] for w in fold(form).split()}
    return frozenset(words | _TITLE_WORDS)


def keys_for(name: str) -> set[str]:
    """The folded forms a name matches on: whole, and without leading ranks and titles."""
    words = fold(name).split()
    out = {"".join(words)}
    while words and words[0] in _title_words():
        words = words[1:]
    if words:
        out.add("".join(words))
    return out


@dataclass
class Outcome:
    """What one case gave: relations mapped to gold names (unmatched ends keep the extracted name)."""
    case: Case
    found: dict[Triple, set[str | None]] = field(default_factory=dict)   # triple -> dates extracted
    error: str | None = None

    @property
    def gold(self) -> set[Triple]:
        return {r.key for r in self.case.gold if not r.optional}

    @property
    def optional(self) -> set[Triple]:
        return {r.key for r in self.case.gold if r.optional}

    @property
    def tp(self) -> set[Triple]:
        return self.gold & set(self.found)

    @property
    def fp(self) -> set[Triple]:
        return set(self.found) - self.gold - self.optional

    @property
    def fn(self) -> set[Triple]:
        return self.gold - set(self.found)

    def dates(self) -> tuple[int, int]:
        """(right, stated): matched gold relations with a stated date, and how many got one accepted."""
        right = stated = 0
        for r in self.case.gold:
            if r.optional or not r.dates or r.key not in self.found:
                continue
            stated += 1
            right += bool(self.found[r.key] & set(r.dates))
        return right, stated

    @property
    def ok(self) -> bool:
        return not self.fp and not self.fn and self.error is None


def mapped(case: Case, batch) -> dict[Triple, set[str | None]]:
    index: dict[str, str] = {}
    for name in case.actors:
        for k in keys_for(name):
            index.setdefault(k, name)
    ids: dict[str, str] = {}
    for actor in batch.actors.values():
        hit = next((index[k] for n in (actor.name, *actor.aliases) for k in keys_for(n) if k in index), None)
        ids[actor.id] = hit or f"?{actor.name}"
    found: dict[Triple, set[str | None]] = defaultdict(set)
    for rel in batch.relations.values():
        type_ = rel.type.value
        if type_ not in case.types:
            continue
        s, t = ids.get(rel.source, f"?{rel.source}"), ids.get(rel.target, f"?{rel.target}")
        if s == t:
            continue
        key = (type_, *sorted((s, t))) if type_ in SYMMETRIC else (type_, s, t)
        found[key].add(rel.date)
    return dict(found)


def run(cases: list[Case], extractor=None) -> list[Outcome]:
    """Extract every case (one ``nlp.pipe`` over all, each article resolved alone) and map the results.
    An article that raises is recorded as that case's error and the rest go on one at a time."""
    from loaders.pipeline import Extractor
    from loaders.read import RawArticle

    ext = extractor or Extractor()
    raws = [RawArticle(id=c.id, text=c.text, published=c.published) for c in cases]
    batches: dict[str, object] = {}
    errors: dict[str, str] = {}
    try:
        for raw, graph, meta in ext.readings(raws):
            batches[raw.id] = ext.resolve(graph, meta)
    except Exception:   # noqa: BLE001 - one bad article must not lose the others' scores
        for raw in raws:
            if raw.id in batches:
                continue
            try:
                batches[raw.id] = ext.extract([raw])
            except Exception as exc:  # noqa: BLE001
                errors[raw.id] = f"{type(exc).__name__}: {exc}"
    out = []
    for c in cases:
        if c.id in errors:
            out.append(Outcome(c, {}, errors[c.id]))
        else:
            out.append(Outcome(c, mapped(c, batches[c.id])))
    return out


# ---- tables ----------------------------------------------------------------------------------------

@dataclass
class Row:
    name: str
    cases: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    negatives: int = 0
    negative_fp: int = 0       # false positives found on negative cases
    dates_right: int = 0
    dates_stated: int = 0
    passed: int = 0            # cases with every gold relation and no false one
    errors: int = 0

    def add(self, o: Outcome) -> None:
        self.cases += 1
        self.tp += len(o.tp)
        self.fp += len(o.fp)
        self.fn += len(o.fn)
        if o.case.negative:
            self.negatives += 1
            self.negative_fp += len(o.fp)
        right, stated = o.dates()
        self.dates_right += right
        self.dates_stated += stated
        self.passed += o.ok
        self.errors += o.error is not None

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        """F1 of the relations; on a capability of negatives only (no gold), 1 with no false positive and
        falling as they come, so that a floor on it means something."""
        if not self.tp + self.fn:
            return 1.0 if not self.fp else 1.0 / (1 + self.fp)
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict:
        return {"name": self.name, "cases": self.cases, "passed": self.passed, "tp": self.tp, "fp": self.fp,
                "fn": self.fn, "precision": round(self.precision, 4), "recall": round(self.recall, 4),
                "f1": round(self.f1, 4), "negatives": self.negatives, "negative_fp": self.negative_fp,
                "dates_right": self.dates_right, "dates_stated": self.dates_stated, "errors": self.errors}


def rows(outcomes: Iterable[Outcome], key) -> dict[str, Row]:
    out: dict[str, Row] = {}
    for o in outcomes:
        k = key(o)
        if k is None:
            continue
        out.setdefault(k, Row(k)).add(o)
    return dict(sorted(out.items()))


def agreement(outcomes: Iterable[Outcome]) -> tuple[int, int]:
    """(bases whose every shape found the same relations, bases): document-shape invariance."""
    groups: dict[str, list[frozenset]] = defaultdict(list)
    for o in outcomes:
        if o.case.group:
            groups[o.case.group].append(frozenset(o.found))
    agree = sum(1 for found in groups.values() if len(set(found)) == 1)
    return agree, len(groups)


@dataclass
class Report:
    outcomes: list[Outcome]

    @property
    def capabilities(self) -> dict[str, Row]:
        """One row per capability; the names/<tradition> rows also summed as ``names``."""
        caps = rows(self.outcomes, lambda o: o.case.capability)
        names = rows(self.outcomes, lambda o: "names" if o.case.capability.startswith("names/") else None)
        return {**caps, **names}

    @property
    def traditions(self) -> dict[str, Row]:
        return rows(self.outcomes, lambda o: o.case.tradition)

    @property
    def date_kinds(self) -> dict[str, Row]:
        """Every case that states a date, by the form of the phrase ("last_week", "weekend", ...)."""
        return rows(self.outcomes, lambda o: o.case.date_kind)

    @property
    def shapes(self) -> dict[str, Row]:
        return rows(self.outcomes, lambda o: o.case.shape)

    @property
    def overall(self) -> Row:
        return rows(self.outcomes, lambda o: "overall")["overall"]

    @property
    def invariance(self) -> tuple[int, int]:
        return agreement(self.outcomes)

    def to_dict(self) -> dict:
        agree, bases = self.invariance
        return {"overall": self.overall.to_dict(),
                "capabilities": {k: r.to_dict() for k, r in self.capabilities.items()},
                "traditions": {k: r.to_dict() for k, r in self.traditions.items()},
                "shapes": {k: r.to_dict() for k, r in self.shapes.items()},
                "date_kinds": {k: r.to_dict() for k, r in self.date_kinds.items()},
                "invariance": {"all_shapes_agree": agree, "bases": bases,
                               "rate": round(agree / bases, 4) if bases else 1.0}}


# ---- floors (a ratchet) ----------------------------------------------------------------------------

FLOORS = Path(__file__).with_name("floors.json")
MARGIN = 0.05


FLOORS_DOC = ("Floors of the behavioural suite, asserted by tests/behaviour/test_behaviour.py: F1 per capability, "
              "overall F1, share of stated dates right, share of invariance sentences whose eight shapes agree. "
              "Set at the measured figure less 0.05; raise them with `bench/behaviour.py --ratchet` as the extractor "
              "improves (it never lowers one). A floor of 0 asserts nothing until raised.")


def measures(report: "Report") -> dict[str, float]:
    """The figures floors are kept for: F1 per capability, overall F1, dates right, shape agreement."""
    out = {f"capability/{k}": r.f1 for k, r in report.capabilities.items()}
    overall = report.overall
    agree, bases = report.invariance
    out["overall/f1"] = overall.f1
    out["overall/dates"] = overall.dates_right / overall.dates_stated if overall.dates_stated else 1.0
    out["invariance/all_shapes_agree"] = agree / bases if bases else 1.0
    return out


def ratchet(report: "Report", floors: dict[str, Any]) -> dict[str, Any]:
    """Floors raised to today's figure less ``MARGIN`` (rounded down to 0.01), never lowered."""
    new = dict(floors)
    new.setdefault("_doc", FLOORS_DOC)
    for k, v in measures(report).items():
        new[k] = max(floors.get(k, 0.0), max(0.0, math.floor((v - MARGIN) * 100 + 1e-9) / 100))
    return dict(sorted(new.items()))


def table(rows_: Iterable[Row], title: str) -> str:
    lines = [f"{title:<28} {'cases':>5} {'pass':>5} {'P':>6} {'R':>6} {'F1':>6} {'FP':>4} {'negFP':>5} "
             f"{'dates':>9}"]
    for r in rows_:
        dates = f"{r.dates_right}/{r.dates_stated}" if r.dates_stated else "-"
        lines.append(f"{r.name:<28} {r.cases:>5} {r.passed:>5} {r.precision:>6.2f} {r.recall:>6.2f} {r.f1:>6.2f} "
                     f"{r.fp:>4} {r.negative_fp if r.negatives else '-':>5} {dates:>9}"
                     + (f"  errors {r.errors}" if r.errors else ""))
    return "\n".join(lines)


def describe(o: Outcome) -> str:
    def fmt(keys):
        return "; ".join(" ".join(k) for k in sorted(keys)) or "-"
    found = "; ".join(f"{' '.join(k)} [{', '.join(sorted(d or '?' for d in dates))}]"
                      for k, dates in sorted(o.found.items(), key=lambda kv: kv[0])) or "-"
    wrong_dates = [f"{' '.join(r.key)}: want {'|'.join(r.dates)}, got {', '.join(sorted(d or '?' for d in o.found[r.key]))}"
                   for r in o.case.gold if r.dates and not r.optional and r.key in o.found
                   and not o.found[r.key] & set(r.dates)]
    lines = [f"[{o.case.id}] published {o.case.published}", "  " + o.case.text.replace("\n", "\n  "),
             f"  expected: {fmt(o.gold)}" + (f"  (optional: {fmt(o.optional)})" if o.optional else ""),
             f"  found:    {found}"]
    if o.fn:
        lines.append(f"  missed:   {fmt(o.fn)}")
    if o.fp:
        lines.append(f"  wrong:    {fmt(o.fp)}")
    if wrong_dates:
        lines.append(f"  dates:    {'; '.join(wrong_dates)}")
    if o.error:
        lines.append(f"  error:    {o.error}")
    return "\n".join(lines)


def date_failures(o: Outcome) -> bool:
    right, stated = o.dates()
    return right < stated

