"""Hypothesis strategies of mutated news-like texts, for fuzzing the extractor
(``tests/extraction/test_fuzz.py`` runs a short search, ``bench/fuzz.py`` a long one).

A text is blocks joined by blank lines, newlines, tabs or nothing: fictional sentences of the
kind in tests/data/mechanisms (fictional states, invented people), each perhaps mutated (all caps,
a currency amount after an abbreviation, curly quotes, brackets nested or left open, markup,
emoji, zero-width and control characters, a very long token), beside tables, numbered and
bulleted lists, headlines, datelines, stray markup, empty lines and random unicode.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from hypothesis import strategies as st

from graph.model import GraphBatch

__all__ = ["news_texts", "check_well_formed", "normalised"]

MECHANISMS = Path(__file__).resolve().parents[1] / "data" / "mechanisms"

# Our own sentences, in the shapes news is written in; people invented, states fictional.
OWN = [
    "Velorian Defence Minister Pavel Dorn met Ostrlandic Army chief General Tomas Reyn in Halvik on Monday.",
    "Ostrland signed a contract with Veloria for four coastal radars (U.S. $910 million), the ministry said.",
    "Marenzian Navy chief Admiral Lena Varo visited the Ostrlandic Naval Academy last week.",
    "The two sides agreed to hold joint exercises, according to a statement.",
    "Lt. Gen. A.R. Kessel, Chief of General Staff of Veloria, called on the President of Marenzia.",
    "Veloria offered Ostrland two patrol vessels worth Rs. 450 crore.",
    "\"We discussed regional security,\" said Major General Ida Holm after meeting her counterpart.",
    "Air Marshal Jon Brek (retd.) of the Marenzian Air Force received the delegation at Port Sabre.",
    "Ostrlandic Foreign Minister Sara Nyl and Velorian Foreign Minister Eli Vant signed a memorandum.",
    "The visit was cancelled, officials in Castel Vor said.",
]
SYMBOLS = ["U.S. $", "US$", "$", "Rs.", "Rs ", "€", "£", "¥", "₹", "No. ", "Nos. ", "approx. ", "Dr. ", "St. ", "%",
           "&", "#", "@", "~", "^", "\\", "§", "°", "±", "×"]
AMOUNTS = ["910 million", "4.5bn", "1,200", "0.5", "12,000,000", "3 crore", "ten", ".75", "1e9", "-7"]
QUOTES = ["“", "”", "‘", "’", "«", "»", "„", "‹", "›", "\"", "'", "`", "´", "「", "」"]
PUNCT = ["—", "–", "…", "‐", "‑", "·", "•", "。", "、", "！", "？", "；", "：", "¿", "¡", "‼", "⁂", ".", ",", ";", ":",
         "?", "!", "-", "--", "..."]
BRACKETS = [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">"), ("（", "）"), ("【", "】")]
MARKUP = ["<p>", "</p>", "<br/>", "<div class=\"x\">", "</div>", "<b>", "</i>", "<!-- c -->", "<script>",
          "&nbsp;", "&amp;", "&#8217;", "**", "__", "# ", "## ", "> ", "```", "[link](http://example.org/a_b)",
          "![img](x.png)", "---", "| --- |", "\\n", "{{tpl}}", "%s", "${x}"]
EMOJI = ["🇺🇸", "👍", "🚀", "🔥", "👨‍👩‍👧", "🏳️‍🌈", "✈️", "⚓", "🤝", "😀"]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\ufeff", "\u2060", "\u00ad", "\u200e", "\u200f", "\u202e", "\u00a0",
             "\u2028", "\u2029", "\u3000"]
CONTROL = [chr(c) for c in range(0, 32)] + ["\x7f", "\x85"]
SEPARATORS = [" ", "\n", "\n\n", "\n\n\n", "\t", "", "\r\n", "\r", "\n \n", " \n\n "]


@lru_cache(maxsize=1)
def base_sentences() -> tuple[str, ...]:
    """The sentences of tests/data/mechanisms, then ours."""
    found: list[str] = []
    for path in sorted(MECHANISMS.glob("*.txt")):
        for para in path.read_text(encoding="utf-8").split("\n"):
            found += [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", para.strip()) if s]
    return tuple(found + OWN)


def _insert(text: str, what: str, where: float) -> str:
    i = int(where * len(text))
    return text[:i] + what + text[i:]


@st.composite
def _mutated(draw, sentence: str) -> str:
    """A sentence under zero or more mutations."""
    text = sentence
    n = draw(st.integers(0, 4))
    for _ in range(n):
        kind = draw(st.sampled_from(["caps", "money", "quotes", "punct", "brackets", "markup", "emoji",
                                     "invisible", "control", "long", "unicode", "cut", "words"]))
        where = draw(st.floats(0, 1))
        if kind == "caps":
            text = text.upper()
        elif kind == "money":
            sym, amount = draw(st.sampled_from(SYMBOLS)), draw(st.sampled_from(AMOUNTS))
            text = _insert(text, f" ({sym}{amount}) ", where)
        elif kind == "quotes":
            text = _insert(text, draw(st.sampled_from(QUOTES)), where)
            text = _insert(text, draw(st.sampled_from(QUOTES)), draw(st.floats(0, 1)))
        elif kind == "punct":
            text = _insert(text, draw(st.sampled_from(PUNCT)), where)
        elif kind == "brackets":
            depth = draw(st.integers(1, 6))
            opens = "".join(draw(st.sampled_from(BRACKETS))[0] for _ in range(depth))
            closes = "".join(draw(st.sampled_from(BRACKETS))[1] for _ in range(draw(st.integers(0, depth))))
            a, b = sorted((where, draw(st.floats(0, 1))))
            i, j = int(a * len(text)), int(b * len(text))
            text = text[:i] + opens + text[i:j] + closes + text[j:]
        elif kind == "markup":
            text = _insert(text, draw(st.sampled_from(MARKUP)), where)
        elif kind == "emoji":
            text = _insert(text, draw(st.sampled_from(EMOJI)), where)
        elif kind == "invisible":
            text = _insert(text, draw(st.sampled_from(INVISIBLE)), where)
        elif kind == "control":
            text = _insert(text, draw(st.sampled_from(CONTROL)), where)
        elif kind == "long":
            unit = draw(st.sampled_from(["A", "x", "ab-", "Gen.", "9", "é", "_", "/"]))
            text = _insert(text, " " + unit * draw(st.integers(50, 3000)) + " ", where)
        elif kind == "unicode":
            text = _insert(text, draw(st.text(max_size=12)), where)
        elif kind == "cut":
            a, b = sorted((where, draw(st.floats(0, 1))))
            text = text[: int(a * len(text))] + text[int(b * len(text)):]
        elif kind == "words":  # words swapped: names and triggers in odd places
            words = text.split(" ")
            if len(words) > 2:
                i, j = draw(st.integers(0, len(words) - 1)), draw(st.integers(0, len(words) - 1))
                words[i], words[j] = words[j], words[i]
            text = " ".join(words)
    return text


def _sentence() -> st.SearchStrategy[str]:
    return st.sampled_from(base_sentences()).flatmap(_mutated)


@st.composite
def _table(draw) -> str:
    cols = draw(st.integers(1, 5))
    sep = draw(st.sampled_from(["|", "\t", " | ", "¦", "||"]))
    rows = []
    for _ in range(draw(st.integers(1, 5))):
        cells = [draw(st.sampled_from(["Veloria", "Ostrland", "General Tomas Reyn", "U.S. $910m", "Rs. 40",
                                       "€2bn", "", "—", "12", "Admiral", "met"])) for _ in range(cols)]
        rows.append(sep + sep.join(cells) + sep if sep.strip() == "|" and draw(st.booleans()) else sep.join(cells))
    if sep.strip() == "|" and draw(st.booleans()):
        rows.insert(1, "|" + "|".join(["---"] * cols) + "|")
    return "\n".join(rows)


@st.composite
def _list(draw) -> str:
    marker = draw(st.sampled_from(["{n}.", "{n})", "({n})", "•", "-", "*", "–", "▪", "{a})", "({r})", "{n}.{n}", ""]))
    items = draw(st.lists(_sentence(), min_size=1, max_size=5))
    out = []
    for n, item in enumerate(items, 1):
        lead = marker.format(n=n, a="abcdefgh"[(n - 1) % 8], r="i" * n)
        out.append(f"{lead} {item}" if lead else item)
    intro = draw(st.sampled_from(["", "The two sides agreed on the following points:",
                                  "Velorian Defence Minister Pavel Dorn met Ostrlandic Army chief General Tomas "
                                  "Reyn in Halvik on Monday, covering the following areas:"]))
    return "\n".join(([intro] if intro else []) + out)


def _block() -> st.SearchStrategy[str]:
    return st.one_of(
        _sentence(),
        _sentence(),
        _sentence().map(str.upper),  # a headline, or a wire's capitals
        st.builds(lambda a, b: f"{a}, 14 March 2026 — {b}", st.sampled_from(["HALVIK", "Castel Vor", "PORT SABRE"]),
                  _sentence()),  # a dateline
        _table(),
        _list(),
        st.sampled_from(MARKUP + EMOJI + INVISIBLE + ["", " ", "\n", "Photo: Ministry of Defence", "(File photo)"]),
        st.text(max_size=40),
    )


@st.composite
def news_texts(draw) -> str:
    """A mutated news-like article text."""
    blocks = draw(st.lists(_block(), min_size=1, max_size=8))
    out = blocks[0]
    for b in blocks[1:]:
        out += draw(st.sampled_from(SEPARATORS)) + b
    return out


def normalised(text: str) -> str:
    """The text as the pipeline reads it (provenance offsets point into this)."""
    from loaders.pipeline import _normal
    return _normal(text)


def check_well_formed(batch: GraphBatch, article_id: str, text: str) -> None:
    """Every relation's endpoints and place, every event's participants, are actors of the batch;
    every citation is of the article and its offsets lie in the text, on the sentence it quotes."""
    from graph.stores.interface import check_batch
    check_batch(batch)
    body = normalised(text)
    for r in batch.relations.values():
        assert r.place is None or r.place in batch.actors, (r.key, r.place)
        for p in r.provenance:
            assert p.article == article_id, p
            assert 0 <= p.start <= p.end <= len(body), (p, len(body))
            assert body[p.start:p.end] == p.sentence, (p, body[p.start:p.end])
    for ev in batch.events.values():
        assert ev.place is None or ev.place in batch.actors, (ev.id, ev.place)
    assert set(batch.articles) <= {article_id}
