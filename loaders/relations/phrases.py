"""What an event says besides its parties: the place it happened at (after the trigger, or fronted
before it) and the thing signed or offered."""
from __future__ import annotations

from spacy.tokens import Doc

from loaders.mentions import Mention
from loaders.relations.context import FACILITY, PLACE, _Ctx


def _place_after(ctx: _Ctx, i: int, exclude: set[int], stop_at_by: bool = False,
                 reach: int | None = None) -> Mention | None:
    """The facility or place an event happened at: 'at the Joint Staff Headquarters', 'in Dhaka',
    'at the iconic Republic Square'."""
    doc = ctx.doc
    last = ctx.end - 1 if reach is None else min(ctx.end - 1, i + reach)
    for j in range(i, last):
        if stop_at_by and doc[j].lower_ == "by":
            break
        if doc[j].lower_ in {"at", "in"}:
            k = j + 1
            while k < ctx.end and (doc[k].pos_ == "DET" or doc[k].pos_ == "ADJ" and not doc[k].text[:1].isupper()):
                k += 1
            m = ctx.mention_at(k)
            if m is not None and id(m) not in exclude and m.type in {FACILITY, PLACE} and m.strong:
                return m
    return None


def _fronted_place(ctx: _Ctx, i: int) -> Mention | None:
    """'In Halvik, he met ...': a place phrase that opens the clause before the trigger at i."""
    doc = ctx.doc
    for j in range(ctx.start, min(i, ctx.start + 3)):
        if doc[j].lower_ in {"in", "at"}:
            m = ctx.mention_at(j + 1)
            if m is not None and m.type in {PLACE, FACILITY} and m.end < i and doc[m.end].text == ",":
                return m
    return None


def _what(doc: Doc, start: int, stop: int) -> str | None:
    """The thing signed or offered: the words between, without leading articles or the trailing
    preposition that introduces a place or date ('a pact ... in Athens')."""
    for k in range(start, stop):
        # the thing ends where a date or 'on behalf of' begins: 'a pact last week', 'the agreement on behalf of S'
        if doc[k].ent_type_ in {"DATE", "TIME"} or doc[k].lower_ == "on" and k + 1 < len(doc) and \
                (doc[k + 1].lower_ == "behalf" or doc[k + 1].ent_type_ == "DATE"):
            stop = k
            break
    while start < stop and doc[start].pos_ == "ADP" and doc[start].dep_ in {"prep", "prt"}:
        start += 1  # 'entered into a pact': the pact
    while stop > start and (doc[stop - 1].pos_ in {"ADP", "DET", "PUNCT", "CCONJ", "SPACE"}):
        stop -= 1
    words = doc[start:stop].text.strip().strip(",.;:").split()
    while words and words[0].lower() in {"a", "an", "the", "formally", "also"}:
        words = words[1:]
    return " ".join(words) or None
