"""Event relations in a sentence: who met, visited, signed with or offered what to whom.

Triggers come from ``vocab/relations.json`` (verbs by lemma, event nouns by word). The actor doing it is found through the parse (the
trigger's subject, the head a participle hangs on, the possessor of a noun like "visit"); the other
party by reading on from the trigger across determiners and modifiers to the next mention, then
along "and"/"," to the mentions coordinated with it. Because a mention already spans its titles
and appositions, that reading stays short and robust where the parse of a long apposition is not.

The reading is split by role: ``context`` (the event candidate, the sentence's reading context and the
tests on a trigger token), ``parties`` (the mentions read on from a trigger), ``subjects`` (who does
it), ``modality`` (negated, planned and denied events), ``phrases`` (where it happened, what was
signed or offered); one module an event class for the verbs (``meetings``, ``visits``, ``signing``,
``offers``), ``nouns`` for the event nouns, and ``sentence``, which puts a sentence's events together.
"""
from loaders.relations.context import EventCandidate
from loaders.relations.sentence import sentence_events

__all__ = ["EventCandidate", "sentence_events"]
