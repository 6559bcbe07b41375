"""Templates per capability: a tiny article with slots, and the relations a careful analyst would record.

Slots in the text (``str.format`` fields):
  {A} .. {E}        a person introduced as the case chooses (office, rank, state or bare name)
  {A.name}          the full name alone; {A.short} the family name a later sentence uses
  {A.state} {A.dem} {A.capital}   the person's real state, its demonym and capital
  {A.office} {A.rank} {A.milo}   a civil office, a military rank, a military office (from loaders/vocab)
  {A.he} {A.He} {A.him} {A.his}  pronouns
  {D_} and {E}      the fourth and fifth person ({D} is the date)
  {P} a fictional place, {X} things offered ({Xc} capitalised), {H1} {H2} honours after a name,
  {D} a stated date ({Dc} at a sentence start)

Add a template at the end of its capability: a case draws from a generator seeded by its id
(capability, template index, fill), so the other cases stay as they were and the floors comparable.

Gold lines: "TYPE SOURCE TARGET" with an ``@`` when the case's date applies; endpoints are slots
(``A``, ``A.state``, ``B.capital``, ``P``). A leading ``?`` marks a relation an analyst might or might
not record: found or not, it is not scored. MET and SIGNED are symmetric.

Decisions on lists (documented because the gold depends on them):
  - "A hosted B and C" / "A hosted S1's minister B, S2's minister C ...": one gathering at A's table, so
    the guests met each other too (B-C is gold), as the issue's own reading of the hidden suite says.
  - "A met B, C and D": could be separate meetings; A-B, A-C, A-D are gold, B-C is optional.
  - "Attending the talks were A, B, C and D" and "A, B and C met": everyone met everyone.
  - "Talks between S1 and S2 were held ... The delegations were led by A of S1 and B of S2": A met B,
    each is a member of their state; the states' own MET is optional.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Template:
    text: str
    gold: tuple[str, ...]
    types: frozenset[str]          # relation types scored on this case; others found are not judged
    people: int = 2


MET = frozenset({"MET"})
VIS = frozenset({"VISITED"})
SIG = frozenset({"SIGNED"})
OFF = frozenset({"OFFERED"})
MEM = frozenset({"MEMBER_OF"})
LOC = frozenset({"LOCATED_IN"})
EVENTS = frozenset({"MET", "VISITED", "SIGNED", "OFFERED"})


def T(text: str, *gold: str, types: frozenset[str] = MET, people: int = 2) -> Template:
    return Template(text, tuple(gold), types, people)


CAPABILITIES: dict[str, tuple[Template, ...]] = {
    "met": (
        T("{A} met {B} in {B.capital} {D}.", "MET A B @"),
        T("{A} held talks with {B} {D}.", "MET A B @"),
        T("{A} called on {B} at the defence ministry {D}.", "MET A B @"),
        T("{A} received {B} at {P} {D}.", "MET A B @"),
        T("{A} hosted {B} for talks on border security {D}.", "MET A B @"),
        T("A meeting of {A} and {B} took place in {P} {D}.", "MET A B @"),
        T("{A} held a phone call with {B} {D} to discuss maritime security.", "MET A B @"),
        T("{A} and {B} held a phone call {D}.", "MET A B @"),
        T("{A} met {B} on the sidelines of a regional security forum {D}.", "MET A B @"),
        T("{A} and {A.his} {B.dem} counterpart {B.name} met in {P} {D}.", "MET A B @"),
        T("{A} was received by {B} {D}.", "MET A B @"),
        T("{Dc}, {A} and {B} discussed defence cooperation at a meeting in {B.capital}.", "MET A B @"),
        T("{A} held a meeting with {B} at {P} {D}.", "MET A B @"),
        T("{A} welcomed {B} to {P} {D} for a bilateral meeting.", "MET A B @"),
    ),
    "visited": (
        T("{A} visited {B.state} {D}.", "VISITED A B.state @", types=VIS, people=2),
        T("{A} toured {P} {D}.", "VISITED A P @", types=VIS, people=1),
        T("{A} arrived in {B.state} {D} for a three-day official visit.", "VISITED A B.state @", types=VIS),
        T("{A} flew into {B.capital} {D}.", "VISITED A B.capital @", types=VIS),
        T("{A} paid a visit to {P} {D}.", "VISITED A P @", types=VIS, people=1),
        T("{A} paid an official visit to {B.state} {D}, the ministry said.", "VISITED A B.state @", types=VIS),
        T("{Dc}, {A} visited {P}, where {A.he} inspected new patrol vessels.", "VISITED A P @", types=VIS,
          people=1),
        T("{A} landed in {B.capital} {D} at the start of a regional tour.", "VISITED A B.capital @", types=VIS),
    ),
    "signed": (
        T("{A} and {B} signed a memorandum of understanding on defence cooperation {D}.", "SIGNED A B @",
          types=SIG),
        T("{A} signed an agreement on maritime security with {B} {D}.", "SIGNED A B @", types=SIG),
        T("{A.state} and {B.state} inked a defence cooperation pact {D}.", "SIGNED A.state B.state @", types=SIG),
        T("{A.state} entered into a logistics support agreement with {B.state} {D}.", "SIGNED A.state B.state @",
          types=SIG),
        T("{A} and {B} exchanged signed copies of the training agreement {D}.", "SIGNED A B @", types=SIG),
        T("{A} signed the agreement on behalf of {A.state}, and {B} signed on behalf of {B.state} {D}.",
          "SIGNED A B @", "?SIGNED A.state B.state", types=SIG),
    ),
    "offered": (
        T("{A.state} offered {X} to {B.state} {D}.", "OFFERED A.state B.state @", types=OFF),
        T("{A.state} has offered to supply {X} to {B.state}, officials said {D}.", "OFFERED A.state B.state",
          types=OFF),
        T("An offer made by {A.state} to supply {X} to {B.state} was accepted {D}.", "OFFERED A.state B.state @",
          types=OFF),
        T("{A.state} donated {X} to {B.state} {D}.", "OFFERED A.state B.state @", types=OFF),
        T("{Xc} donated by {A.state} were handed over to {B.state} {D}.", "OFFERED A.state B.state @",
          types=OFF),
        T("{A.state} pledged {X} to {B.state} {D}.", "OFFERED A.state B.state @", types=OFF),
    ),
    "member_of": (
        T("{A.dem} {A.office} {A.name} arrived in {B.capital} {D}.", "MEMBER_OF A A.state", types=MEM, people=2),
        T("{A.state}'s {A.office} {A.name} said the talks had been useful.", "MEMBER_OF A A.state", types=MEM,
          people=1),
        T("{A.name} of {A.state} led the discussions in {P}.", "MEMBER_OF A A.state", types=MEM, people=1),
        T("{A.name}, {A.state}'s {A.office}, welcomed the decision.", "MEMBER_OF A A.state", types=MEM, people=1),
        T("{A.dem} {A.milo} {A.rank} {A.name} met {B.dem} {B.office} {B.name}.", "MEMBER_OF A A.state",
          "MEMBER_OF B B.state", types=MEM),
        T("The accord was signed by {A.name} on behalf of {A.state} and {B.name} on behalf of {B.state} {D}.",
          "MEMBER_OF A A.state", "MEMBER_OF B B.state", "SIGNED A B @", types=MEM | SIG),
    ),
    "honours": (
        T("{A.rank} {A.name} {H1} met {B} {D}.", "MET A B @"),
        T("{A} held talks with {B.rank} {B.name} {H2} in {P} {D}.", "MET A B @"),
        T("{A.name} {H1}, {A.state}'s {A.milo}, called on {B} {D}.", "MET A B @"),
        T("{A} received {B.rank} {B.name} {H1}, {H2}, at {P} {D}.", "MET A B @"),
    ),
    "descriptors_before_rank": (
        T("{A} met {B.dem} deputy army chief {B.rank} {B.name} {D}.", "MET A B @"),
        T("{A} held talks with {B.dem} {B.milo} {B.rank} {B.name} {D}.", "MET A B @"),
        T("{A} met {B.state}'s {B.milo} {B.rank} {B.name} in {P} {D}.", "MET A B @"),
        T("{B.dem} navy chief {B.rank} {B.name} called on {A} {D}.", "MET A B @"),
        T("{A} received the visiting {B.dem} air force commander, {B.rank} {B.name}, {D}.", "MET A B @"),
    ),
    "lists_subject": (
        T("{A}, {B} and {C} met in {P} {D}.", "MET A B @", "MET A C @", "MET B C @", people=3),
        T("{A}, {B} and {C} held trilateral talks {D}.", "MET A B @", "MET A C @", "MET B C @", people=3),
        T("{A} and {B} visited {P} {D}.", "VISITED A P @", "VISITED B P @", types=VIS),
        T("{A.state}, {B.state} and {C.state} signed a joint declaration on maritime security {D}.",
          "SIGNED A.state B.state @", "SIGNED A.state C.state @", "SIGNED B.state C.state @", types=SIG, people=3),
        T("{A}, {B}, {C} and {D_} met at {P} {D}.", "MET A B @", "MET A C @", "MET A D_ @", "MET B C @",
          "MET B D_ @", "MET C D_ @", people=4),
        T("Defence ministers {A.name} of {A.state} and {B.name} of {B.state} met in {P} {D}.", "MET A B @",
          "MEMBER_OF A A.state", "MEMBER_OF B B.state", types=MET | MEM),
    ),
    "lists_object": (
        T("{A} hosted {B} and {C} {D}.", "MET A B @", "MET A C @", "MET B C @", people=3),
        T("{A} hosted {B}, {C} and {D_} at {P} {D}.", "MET A B @", "MET A C @", "MET A D_ @", "MET B C @",
          "MET B D_ @", "MET C D_ @", people=4),
        T("{A} met {B}, {C} and {D_} {D}.", "MET A B @", "MET A C @", "MET A D_ @", "?MET B C", "?MET B D_",
          "?MET C D_", people=4),
        T("{A} held talks with {B} and {C} in {P} {D}.", "MET A B @", "MET A C @", "?MET B C", people=3),
        T("{A} visited {B.state} and {C.state} {D}.", "VISITED A B.state @", "VISITED A C.state @", types=VIS,
          people=3),
    ),
    "delegations_led_by": (
        T("Talks between {A.state} and {B.state} were held in {P} {D}. The delegations were led by {A.name} "
          "of {A.state} and {B.name} of {B.state}.", "MET A B @", "?MET A.state B.state", "MEMBER_OF A A.state", "MEMBER_OF B B.state",
          types=MET | MEM),
        T("{A.state} and {B.state} held defence talks {D}. The {A.dem} delegation was led by {A.office} "
          "{A.name}, while {B.rank} {B.name} headed the {B.dem} side.", "MET A B @", "?MET A.state B.state", "MEMBER_OF A A.state",
          "MEMBER_OF B B.state", types=MET | MEM),
        T("Officials of three states met in {P} {D}. The delegations were led by {A.name} of {A.state}, "
          "{B.name} of {B.state} and {C.name} of {C.state}.", "MET A B @", "MET A C @", "MET B C @",
          "MEMBER_OF A A.state", "MEMBER_OF B B.state", "MEMBER_OF C C.state", types=MET | MEM, people=3),
    ),
    "attending_were": (
        T("Defence chiefs met in {P} {D}. Attending the talks were {A}, {B}, {C} and {D_}.", "MET A B @",
          "MET A C @", "MET A D_ @", "MET B C @", "MET B D_ @", "MET C D_ @", people=4),
        T("A security dialogue was held in {P} {D}. Among those attending were {A}, {B} and {C}.", "MET A B @",
          "MET A C @", "MET B C @", people=3),
        T("Ministers gathered at {P} {D} for the annual dialogue. Participants included {A}, {B}, {C} "
          "and {D_}.", "MET A B @", "MET A C @", "MET A D_ @", "MET B C @", "MET B D_ @", "MET C D_ @",
          people=4),
    ),
    "hosted_many": (
        T("{A} hosted {B.state}'s {B.office} {B.name}, {C.state}'s {C.office} {C.name}, {D_.state}'s "
          "{D_.office} {D_.name} and {E.state}'s {E.office} {E.name} {D}.",
          "MET A B @", "MET A C @", "MET A D_ @", "MET A E @", "MET B C @", "MET B D_ @", "MET B E @",
          "MET C D_ @", "MET C E @", "MET D_ E @", "MEMBER_OF B B.state", "MEMBER_OF C C.state",
          "MEMBER_OF D_ D_.state", "MEMBER_OF E E.state", types=MET | MEM, people=5),
        T("{A} hosted {B.dem} {B.office} {B.name}, {C.dem} {C.office} {C.name} and {D_.dem} {D_.office} "
          "{D_.name} at {P} {D}.", "MET A B @", "MET A C @", "MET A D_ @", "MET B C @", "MET B D_ @",
          "MET C D_ @", "MEMBER_OF B B.state", "MEMBER_OF C C.state", "MEMBER_OF D_ D_.state",
          types=MET | MEM, people=4),
    ),
    "coreference": (
        T("{A} arrived in {B.state} on Saturday. On Sunday, {B} received {A.him}.", "VISITED A B.state",
          "MET A B", types=MET | VIS),
        T("{A.dem} Defence Minister {A.name} met {B.dem} Defence Minister {B.name} {D}. The two ministers "
          "signed an agreement on cyber defence.", "MET A B @", "SIGNED A B", types=MET | SIG),
        T("{A.dem} Defence Minister {A.name} arrived in {B.capital} {D}. The minister held talks with {B} and "
          "laid a wreath at {P}.", "VISITED A B.capital @", "MET A B", "?VISITED A P", types=MET | VIS),
        T("{A.dem} {A.office} {A.name} is on a three-day visit to {B.state}. The minister toured {P} {D}.",
          "VISITED A B.state", "VISITED A P @", types=VIS),
        T("{A.rank} {A.name}, the {A.dem} air chief, arrived in {B.capital} {D}. The visiting air chief met "
          "{B}.", "VISITED A B.capital @", "MET A B", types=MET | VIS),
        T("{A} landed in {B.state} {D}. {A.He} later held talks with {B}.", "VISITED A B.state @", "MET A B",
          types=MET | VIS),
        T("{B} welcomed {A.dem} {A.office} {A.name} to {B.capital} {D}. {B.short} then hosted {A.him} at "
          "{P}.", "MET A B @", "VISITED A B.capital @", "?VISITED A P", types=MET | VIS),
        T("{A.name} travelled to {B.state} {D}. There the {A.dem} {A.office} met {B}.",
          "VISITED A B.state @", "MET A B", types=MET | VIS),
        T("{A.state}'s new defence minister toured {P} {D}. Defence Minister {A.name} said the visit had been "
          "useful.", "VISITED A P @", types=VIS, people=1),
    ),
    "modality_negatives": (
        T("{A.dem} {A.office} {A.name}'s visit to {B.state} was cancelled.", types=EVENTS),
        T("{A} denied that {A.he} had met {B}.", types=EVENTS),
        T("{A} is expected to visit {B.state} next month.", types=EVENTS),
        T("{A.state} is considering offering {X} to {B.state}.", types=EVENTS),
        T("{A} will sign a defence pact with {B} next week.", types=EVENTS),
        T("If the talks go well, {A} could meet {B} in {P}.", types=EVENTS),
        T("{A} plans to travel to {B.state} later this year.", types=EVENTS),
        T("A planned meeting between {A} and {B} was postponed.", types=EVENTS),
        T("{A.state} and {B.state} are set to sign a defence agreement.", types=EVENTS),
        T("{A} did not meet {B} during the visit, officials said.", types=EVENTS),
        T("{A.state} rejected reports that it had offered {X} to {B.state}.", types=EVENTS),
        T("{A} met {B} {D}. {A.short} is expected to visit {C.state} next month.", "MET A B @",
          types=EVENTS, people=3),
        T("The meeting between {A} and {B} was called off at the last minute.", types=EVENTS),
        T("{A} refused to meet {B}, saying the time was not right.", types=EVENTS),
        T("{A} said {A.he} had no plans to visit {B.state}.", types=EVENTS),
        T("{A.state} hopes to sign a maritime agreement with {B.state} before the end of the year.", types=EVENTS),
        T("{A.state} would offer {X} to {B.state} if asked, a spokesperson said.", types=EVENTS),
        T("{A} is due to hold talks with {B} in {P} on Friday.", types=EVENTS),
    ),
    "dates": (
        T("{A} met {B} {D}.", "MET A B @"),
        T("{A} visited {B.state} {D}.", "VISITED A B.state @", types=VIS),
        T("{Dc}, {A} held talks with {B} in {P}.", "MET A B @"),
    ),
    "located_in": (
        T("{A} visited {P} in {B.state} {D}.", "LOCATED_IN P B.state", types=LOC),
        T("{A} toured {P}, {B.state}, {D}.", "LOCATED_IN P B.state", types=LOC),
        T("{A} arrived in {B.capital}, the {B.dem} capital, {D}.", "LOCATED_IN B.capital B.state", types=LOC),
        T("{A} met {B} at {P} in {B.capital} {D}.", "LOCATED_IN P B.capital", "?LOCATED_IN P B.state",
          "?LOCATED_IN B.capital B.state", types=LOC),
    ),
}

# Names of one tradition (the first slot, sometimes the second too) in plain event sentences the
# extractor reads in other wordings, so a miss is the name's: subject and object position, after an
# office, a rank, a demonym, and named again later by the short form.
NAMES: tuple[Template, ...] = (
    T("{A} met {B} in {B.capital} {D}.", "MET A B @"),
    T("{B} met {A} {D}.", "MET A B @"),
    T("{A} held talks with {B} {D}.", "MET A B @"),
    T("{B} held talks with {A.dem} {A.office} {A.name} in {P} {D}.", "MET A B @"),
    T("{A.dem} {A.office} {A.name} met {B} {D}.", "MET A B @"),
    T("{B} received {A.rank} {A.name} {D}.", "MET A B @"),
    T("{A.name}, {A.state}'s {A.office}, visited {B.state} {D}.", "VISITED A B.state @", types=VIS),
    T("{A} met {B} {D}. {A.short} said the talks had been productive.", "MET A B @"),
)

# Sentences rendered in every document shape (invariance): each is complete on its own.
INVARIANCE: tuple[Template, ...] = (
    T("{A} met {B} in {B.capital} {D}.", "MET A B @"),
    T("{A} held talks with {B} {D}.", "MET A B @"),
    T("{A} visited {P} {D}.", "VISITED A P @", types=VIS, people=1),
    T("{A} and {B} signed an agreement on defence cooperation {D}.", "SIGNED A B @", types=SIG),
    T("{A.state} offered {X} to {B.state} {D}.", "OFFERED A.state B.state @", types=OFF),
    T("{A}, {B} and {C} met in {P} {D}.", "MET A B @", "MET A C @", "MET B C @", people=3),
    T("{A} hosted {B} and {C} {D}.", "MET A B @", "MET A C @", "MET B C @", people=3),
    T("{A} received {B} at {P} {D}.", "MET A B @"),
    T("{A} arrived in {B.state} {D} for talks with {B}.", "VISITED A B.state @", "MET A B", types=MET | VIS),
    T("{A.dem} {A.office} {A.name} and {B.dem} {B.office} {B.name} met {D}.", "MET A B @",
      "MEMBER_OF A A.state", "MEMBER_OF B B.state", types=MET | MEM),
)

# Plural, so "{Xc} donated by S were handed over" agrees.
THINGS = ("four patrol boats", "two transport aircraft", "three coastal radar systems", "ten armoured vehicles",
          "two field hospitals", "three training helicopters", "200 night-vision goggles", "two fast attack craft")
