"""Actor mentions in a parsed sentence: people with their ranks, offices and affiliations,
organisations by the shape of their names, states (and their capitals), places.

A person mention spans its whole title chain, so "Pakistan's Chief of Army Staff (COAS) General
Jane Doe" is one mention whose name is "Jane Doe", rank "General", title "Chief of Army Staff" and
state "Pakistan". Relation patterns then see one actor where the parser sees a tangle of
appositions. Mentions nest: the state inside that chain is a mention of its own.

One module per kind of mention: people (ranks, offices, appositions), names (untitled
people), bodies (organisations, forces, facilities), places (states, places), referring (pronouns,
roles, groups); base holds the records and token tests, finder runs them over a sentence.
"""
from __future__ import annotations

from loaders.mentions.base import Mention, Sentence
from loaders.mentions.finder import iter_sentences

__all__ = ["Mention", "Sentence", "iter_sentences"]
