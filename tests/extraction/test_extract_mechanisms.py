"""The ways defence news is written, one mechanism at a time, on short articles about fictional
states (tests/data/mechanisms, their states in examples/vocab): who is meant by 'he', 'the prime
minister', 'the two generals'; events said by passives, nouns and group verbs; denied and planned
events left out; datelines, and dates from the article's day."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import pytest

from loaders.read import RawArticle
from tests.extraction.support import extractor

DATA = Path(__file__).resolve().parents[1] / "data" / "mechanisms"


@lru_cache(maxsize=None)
def graph(name: str, published: str | None = "2026-05-14") -> dict:
    text = (DATA / f"{name}.txt").read_text(encoding="utf-8")
    batch = extractor().extract([RawArticle(id=f"{name}.txt", text=text, published=published)])
    names = {a.id: a.name for a in batch.actors.values()}
    rels = {}
    for r in batch.relations.values():
        key = (r.type.value, names[r.source], names[r.target])
        if r.type.value in {"MET", "SIGNED"}:
            key = (r.type.value, *sorted((names[r.source], names[r.target])))
        rels[key] = r
    return rels


def has(name: str, type_: str, a: str, b: str, published: str | None = "2026-05-14"):
    rels = graph(name, published)
    key = (type_, *sorted((a, b))) if type_ in {"MET", "SIGNED"} else (type_, a, b)
    return rels.get(key)


def test_counterpart_met_and_the_two_ministers_signed():
    assert has("wire_minister_visit", "MET", "Karel Dussan", "Inga Solvik").date == "2026-05-11"  # "on Monday"
    assert has("wire_minister_visit", "SIGNED", "Karel Dussan", "Inga Solvik").what == \
        "agreement on joint naval patrols"


def test_received_by_is_a_meeting_at_the_place_named():
    met = has("wire_minister_visit", "MET", "Karel Dussan", "Per Aalto")
    assert met is not None and met.place == "facility:halvik-palace"


def test_denied_planned_and_hypothetical_events_are_left_out():
    rels = graph("wire_minister_visit")
    assert not any(k[0] == "VISITED" and k[2] == "Marenzia" for k in rels)   # "is expected to visit"
    # "An offer made by Marenzia to supply radar systems to Veloria was rejected": made, then refused
    assert ("OFFERED", "Marenzia", "Veloria") in rels
    denial = graph("denial_and_host", "2026-06-03")
    assert not any("Dario Conti" in k for k in denial)                       # "denied ... that he had met"
    assert not any(k[0] == "VISITED" and k[1] == "Mikael Berg" for k in denial)  # "no plans to visit"


def test_offers_with_recipient_and_thing():
    offer = has("wire_minister_visit", "OFFERED", "Ostrland", "Velorian Navy")
    assert offer is not None and offer.what == "four patrol boats"
    handed = has("handover_ceremony", "OFFERED", "Veloria", "Marenzian Coast Guard", "2026-06-03")
    assert handed is not None and handed.date == "2026-06-01" and handed.what == "two fast patrol craft"
    assert has("handover_ceremony", "OFFERED", "Veloria", "Marenzia", "2026-06-03").what == "two more vessels"


def test_dateline_then_courtesy_call_and_programme():
    call = has("press_release_programme", "MET", "Runa Keller", "Ottavio Brenn", None)
    assert call is not None and call.date == "2026-05-12"          # the dateline dates "today"
    for place in ("Naval Headquarters", "Martyrs Monument", "Port Sabre Naval Dockyard", "Marenzian Naval Academy"):
        assert has("press_release_programme", "VISITED", "Runa Keller", place, None), place
    assert has("press_release_programme", "MET", "Runa Keller", "Piet Varga", None)   # "During her visit, ... held talks with"


def test_a_listed_group_meets_pairwise():
    for a, b in (("Karel Dussan", "Inga Solvik"), ("Karel Dussan", "Leo Marchetti"), ("Inga Solvik", "Leo Marchetti")):
        met = has("trilateral_meeting", "MET", a, b)
        assert met is not None and met.place == "place:castel-vor", (a, b)
    assert has("trilateral_meeting", "MET", "Leo Marchetti", "Tomas Brec")   # "held a telephone call with"


@pytest.mark.parametrize("a, b", [("Jonas Falk", "Sofia Lindqvist")])
def test_role_phrases_and_counted_groups_resolve_to_the_people_named(a, b):
    assert has("denial_and_host", "MET", a, b, "2026-06-03").place == "facility:velorian-army-headquarters"
    # "The visiting general also called on ...": the guest, not the host
    assert has("denial_and_host", "MET", "Jonas Falk", "Karel Dussan", "2026-06-03")
    assert not has("denial_and_host", "MET", "Sofia Lindqvist", "Karel Dussan", "2026-06-03")
    # "The two generals exchanged memoranda": the two generals, not the last two people named
    assert has("denial_and_host", "SIGNED", a, b, "2026-06-03")
    assert not has("denial_and_host", "SIGNED", "Jonas Falk", "Karel Dussan", "2026-06-03")


def test_passive_signing_by_two_states():
    assert has("handover_ceremony", "SIGNED", "Veloria", "Marenzia", "2026-06-03").date == "2026-03"


def test_a_planned_meeting_between_two_sides_is_not_a_meeting():
    assert not any(k[0] == "MET" and "Marenzia" in k for k in graph("denial_and_host", "2026-06-03"))


def _events(text: str) -> set[tuple[str, str, str]]:
    batch = extractor().extract([RawArticle(id="s.txt", text=text, published="2026-05-14")])
    names = {a.id: a.name for a in batch.actors.values()}
    return {(r.type.value, names[r.source], names[r.target]) for r in batch.relations.values()
            if r.type.value in {"MET", "VISITED", "SIGNED", "OFFERED"}}


@pytest.mark.parametrize("text", [
    "Ostrlandic Defence Minister Inga Solvik denied that she had met Velorian Army chief General Sofia Lindqvist.",
    "Velorian President Anna Kovac rejected reports that she had visited Marenzia.",
    "Ahead of his visit to Veloria next week, Marenzian President Ottavio Brenn spoke to reporters.",
    "The upcoming meeting between Velorian President Anna Kovac and Marenzian President Ottavio Brenn was postponed.",
    "Velorian President Anna Kovac will meet Marenzian President Ottavio Brenn on Friday.",
    "Velorian President Anna Kovac is expected to sign a defence pact with Marenzia.",
    "Velorian President Anna Kovac delivered a speech to the Marenzian Parliament on Monday.",
    "Velorian President Anna Kovac provided an update to the Marenzian Navy.",
])
def test_sentences_that_state_no_event(text):
    assert _events(text) == set()


def test_the_country_is_the_state_named_last():
    text = "Veloria is upgrading its navy. The country has also committed to supplying six radars to Marenzia."
    assert ("OFFERED", "Veloria", "Marenzia") in _events(text)


def test_supplied_with_is_an_offer_to_the_first_party():
    assert ("OFFERED", "Veloria", "Marenzia") in _events("Veloria supplied Marenzia with six drones last year.")


def test_a_visit_report_with_a_list_of_hosts_and_a_witnessed_signing():
    g = lambda *k: has("three_day_visit", *k, published="2026-11-09")  # noqa: E731
    guest = "Carlos Méndez de la Vega"                      # particles inside a name
    for host in ("Giulia Ferraro", "Paolo Greco", "Marco Bellini"):  # '..., and the chief of X, General Y'
        assert g("MET", guest, host), host
    assert g("MET", guest, "Stefano Conti").date == "2026-11-06"      # "On Friday, he held talks with"
    assert g("VISITED", guest, "Marenzia")                               # "who is on a ... visit to"
    assert g("VISITED", guest, "Tomb of the Unknown Soldier")            # "paid homage at"
    assert g("MEMBER_OF", "Marco Bellini", "Marenzian Army")
    assert g("MEMBER_OF", "Lucia Prado", "Veloria")                      # "Ambassador to Marenzia": of Veloria
    assert not g("MET", guest, "Lucia Prado")                            # "was accompanied by" is no meeting
    assert not g("SIGNED", guest, "Giulia Ferraro")                      # witnesses of a signing did not sign
    assert g("SIGNED", "Velorian Defence Ministry", "Marenzian Ministry of Defence")


P, Q = "Velorian President Anna Kovac", "Marenzian President Ottavio Brenn"


@pytest.mark.parametrize("text, expected", [
    (f"{P} spoke by phone with {Q} on Monday.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    (f"{P} and {Q} spoke by telephone on Monday.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    (f"{P} telephoned {Q} on Monday.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    (f"{Q} was welcomed by {P} at the airport.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    (f"{P} received a Marenzian delegation led by Defence Minister Leo Marchetti.", ("MET", "Anna Kovac", "Leo Marchetti")),
    (f"{Q} is in Castel Vor for talks with {P}.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    (f"During talks in Castel Vor, {P} and {Q} agreed to expand cooperation.", ("MET", "Anna Kovac", "Ottavio Brenn")),
    ("A memorandum of understanding was signed between Veloria and Marenzia.", ("SIGNED", "Marenzia", "Veloria")),
    ("Veloria extended a $1 billion line of credit to Marenzia.", ("OFFERED", "Veloria", "Marenzia")),
    ("Veloria announced the sale of 12 jets to Marenzia.", ("OFFERED", "Veloria", "Marenzia")),
    ("Marenzia received 12 jets from Veloria.", ("OFFERED", "Veloria", "Marenzia")),
    (f"{Q}, on a visit to Veloria, met {P}.", ("VISITED", "Ottavio Brenn", "Veloria")),
    (f"{Q} was in Castel Vor on Monday for talks on defence.", ("VISITED", "Ottavio Brenn", "Castel Vor")),
    (f"While in Veloria, {Q} also toured a shipyard.", ("VISITED", "Ottavio Brenn", "Veloria")),
    (f"{Q} was received at the Presidential Palace by {P}.", ("VISITED", "Ottavio Brenn", "Presidential Palace")),
    (f"{Q} was received at the Presidential Palace by {P}.", ("MET", "Anna Kovac", "Ottavio Brenn")),
])
def test_more_ways_to_say_each_event(text, expected):
    found = {(t, *sorted((a, b))) if t in {"MET", "SIGNED"} else (t, a, b) for t, a, b in _events(text)}
    assert expected in found, found


def test_lower_case_titles_and_rank_roles():
    g = lambda *k: has("port_call", *k, published=None)  # noqa: E731  (the dateline dates it)
    assert g("MET", "Elio Serra", "Nils Brandt").date == "2026-03-14"
    assert g("MET", "Anders Holm", "Elio Serra")                  # "met the visiting captain"
    assert g("MEMBER_OF", "Mette Lund", "Ostrland")              # "Ostrlandic procurement chief Mette Lund"
    assert g("SIGNED", "Mette Lund", "Jan Novak")                # "was signed by A and B"
    assert g("SIGNED", "Ostrland", "Veloria").date == "2026-03-13"   # "Earlier, on Friday"
    assert not g("MET", "Elio Serra", "Sara Villa")
