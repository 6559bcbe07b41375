"""Name banks: invented people of many naming traditions, real states, fictional places.

Every person is made up here by combining plausible given and family names of one tradition, so no
one in any shared article or gold file is named. A tradition knows how its full name is written
(family name first for Vietnamese, Korean and Chinese; one name for many Indonesians; particles and
double surnames for Spanish and Portuguese; bin/ibn/al-/Abdul/Abu for Arabic) and which real states
its people serve. Ranks and offices come from the extractor's own vocabulary (loaders/vocab), so
the suite asks for exactly the forms the product claims to know.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

VOCAB = Path(__file__).resolve().parents[2] / "loaders" / "vocab"


@dataclass(frozen=True)
class State:
    name: str        # the vocabulary's canonical name: what gold MEMBER_OF points at
    demonym: str
    capital: str


@dataclass(frozen=True)
class Person:
    name: str        # the full name, as gold expects it
    short: str       # how a later sentence names them (the family name, or the one name)
    tradition: str
    female: bool
    state: State

    @property
    def he(self) -> str:
        return "she" if self.female else "he"

    @property
    def him(self) -> str:
        return "her" if self.female else "him"

    @property
    def his(self) -> str:
        return "her" if self.female else "his"


@lru_cache(maxsize=1)
def states() -> dict[str, State]:
    rows = json.loads((VOCAB / "states.json").read_text(encoding="utf-8"))
    return {r["name"]: State(r["name"], r["demonyms"][0], r["capital"]) for r in rows
            if r.get("demonyms") and r.get("capital")}


@lru_cache(maxsize=1)
def ranks() -> frozenset[str]:
    return frozenset(r["rank"] for r in json.loads((VOCAB / "ranks.json").read_text(encoding="utf-8"))["ranks"])


@lru_cache(maxsize=1)
def offices() -> frozenset[str]:
    return frozenset(o["title"] for o in json.loads((VOCAB / "offices.json").read_text(encoding="utf-8"))["offices"])


# States written with "the" in running text ("the United States") are left out: the templates put a
# state's bare name at the start of sentences and after "'s".
# Military ranks and civil offices the templates put before a name; each must be in the vocabulary
# (checked by the generator's tests), so a miss is the extractor's, not the bank's.
MILITARY_RANKS = ("General", "Lieutenant General", "Major General", "Brigadier General", "Admiral",
                  "Vice Admiral", "Rear Admiral", "Air Marshal", "Air Vice Marshal", "Colonel", "Commodore")
CIVIL_OFFICES = ("Defence Minister", "Foreign Minister", "Prime Minister", "Deputy Prime Minister",
                 "Interior Minister", "National Security Adviser", "Defence Secretary")
MILITARY_OFFICES = ("Chief of Army Staff", "Chief of Naval Staff", "Chief of Air Staff", "Chief of Defence Staff",
                    "Chief of General Staff")
# Honours and post-nominals a name may carry; gold names are without them.
HONOURS = ("HI (M)", "MNZM", "PVSM", "AVSM", "OBE", "CBE", "KBE", "SJ", "DSO", "AO", "CMG", "NI (M)", "TI (M)",
           "PhD", "MC")


@dataclass(frozen=True)
class Tradition:
    key: str
    states: tuple[str, ...]
    male: tuple[str, ...]
    female: tuple[str, ...]
    family: tuple[str, ...]
    family_first: bool = False

    def person(self, rng: random.Random) -> Person:
        female = rng.random() < 0.35 and bool(self.female)
        given = rng.choice(self.female if female else self.male)
        family = rng.choice(self.family) if self.family else ""
        state = states()[rng.choice(self.states)]
        if not family:                                   # one name, as many Indonesians are known
            return Person(given, given, self.key, female, state)
        if self.family_first:
            return Person(f"{family} {given}", family if self.key != "vietnamese" else given.split()[-1],
                          self.key, female, state)
        return Person(f"{given} {family}", family, self.key, female, state)


def _arabic(rng: random.Random, t: Tradition) -> Person:
    """Arabic names in the shapes news prints: Abdul-/Abu- given names, bin/ibn chains, al- families."""
    given = rng.choice(t.male)
    shape = rng.randrange(4)
    family = rng.choice(t.family)
    if shape == 0:
        name = f"Abdul {rng.choice(('Karim', 'Wahid', 'Latif', 'Hadi', 'Jabbar', 'Samad'))} {family}"
    elif shape == 1:
        name = f"{given} bin {rng.choice(t.male)} {family}"
    elif shape == 2:
        name = f"Abu {rng.choice(('Tariq', 'Yasir', 'Hamza', 'Rashid'))} {family}"
    else:
        name = f"{given} ibn {rng.choice(t.male)} {family}"
    return Person(name, family, t.key, False, states()[rng.choice(t.states)])


def _iberian(rng: random.Random, t: Tradition) -> Person:
    """Spanish and Portuguese names: particles (de, del, de la, da, dos) and double surnames."""
    female = rng.random() < 0.35
    given = rng.choice(t.female if female else t.male)
    a, b = rng.sample(t.family, 2)
    shape = rng.randrange(4)
    if shape == 0:
        family = f"{rng.choice(('de', 'del', 'de la'))} {a}"
    elif shape == 1:
        family = f"{a} {b}"
    elif shape == 2:
        family = f"{rng.choice(('da', 'dos', 'das'))} {a}"
    else:
        family = f"{a} de {b}"
    return Person(f"{given} {family}", family, t.key, female, states()[rng.choice(t.states)])


TRADITIONS: dict[str, Tradition] = {t.key: t for t in (
    Tradition("anglo", ("Australia", "Canada", "New Zealand", "Ireland", "Jamaica"),
              ("Gareth", "Trevor", "Colin", "Duncan", "Wesley", "Rupert", "Clive", "Nigel", "Barnaby"),
              ("Melissa", "Hannah", "Fiona", "Harriet", "Imogen", "Rosalind"),
              ("Ashcombe", "Pellington", "Thackery", "Brinsley", "Fenwick", "Harrowgate", "Mottram", "Quillfield",
               "Tennyworth", "Dunsby")),
    Tradition("arabic", ("Saudi Arabia", "Bahrain", "Jordan", "Egypt", "Oman", "Kuwait", "Qatar"),
              ("Khalid", "Yousef", "Tariq", "Hamdan", "Saeed", "Nasser", "Fahad", "Majid", "Rashed"),
              (),
              ("al-Mansouri", "al-Haddad", "al-Zahrani", "al-Shamsi", "al-Otaibi", "al-Harbi", "al-Kaabi",
               "al-Rumaithi", "Al Suwaidi", "al-Qahtani")),
    Tradition("iberian", ("Spain", "Portugal", "Brazil", "Chile", "Colombia", "Mexico", "Argentina", "Peru"),
              ("Rodrigo", "Javier", "Joaquim", "Sebastián", "Tiago", "Mauricio", "Ignacio", "Gonçalo"),
              ("Mariana", "Ana Sofia", "Lucía", "Beatriz", "Inês", "Carolina"),
              ("Fuente", "Santos", "Pereira", "Ibarra", "Vasconcelos", "Campos", "Valdés", "Moura", "Olivares",
               "Rocha", "Villalobos", "Cardoso")),
    Tradition("vietnamese", ("Vietnam",),
              ("Van Duc", "Quang Vinh", "Minh Tuan", "Huu Thang", "Duc Long", "Xuan Phuc"),
              ("Thi Lan", "Thi Hoa", "Ngoc Anh"),
              ("Tran", "Pham", "Hoang", "Vu", "Dang", "Bui", "Ngo", "Duong"), family_first=True),
    Tradition("indonesian", ("Indonesia",),
              ("Suparmanto", "Wiratmoko", "Hadisantoso", "Sutrisnadi", "Purnomojati", "Yudhantoro", "Bambang Sukirno",
               "Agus Widyatmoko"),
              ("Sriwahyuni", "Kartikasari", "Retno Palupi"),
              ()),
    Tradition("japanese", ("Japan",),
              ("Takeshi", "Hiroaki", "Kenjiro", "Masataka", "Yoshinori", "Daisuke"),
              ("Haruka", "Emiko", "Naoko"),
              ("Morinaga", "Ishizawa", "Kuroda", "Hayakawa", "Tsujimoto", "Okabe", "Nishiyama")),
    Tradition("korean", ("South Korea",),
              ("Ji-hoon", "Dong-hyun", "Sung-min", "Jae-won", "Tae-yang", "Min-jun"),
              ("Seo-yeon", "Hye-jin", "Eun-ji"),
              ("Park", "Kim", "Choi", "Yoon", "Jang", "Han", "Shin"), family_first=True),
    Tradition("slavic", ("Poland", "Ukraine", "Czechia", "Serbia", "Bulgaria", "Slovakia", "Croatia"),
              ("Oleksandr", "Miroslav", "Dariusz", "Bohdan", "Radoslav", "Vojtěch", "Stanislav"),
              ("Katarzyna", "Ivana", "Yelyzaveta", "Zdenka"),
              ("Hrytsenko", "Wróblewski", "Dvořáček", "Kovalchuk", "Petrović", "Zielinski", "Stoyanov",
               "Horvatović", "Lisowski")),
    Tradition("turkic", ("Türkiye", "Azerbaijan", "Kazakhstan", "Uzbekistan", "Kyrgyzstan"),
              ("Mehmet", "Rustam", "Yerlan", "Murat", "Elnur", "Bakhtiyor", "Serkan"),
              ("Aygül", "Elif", "Dilnoza"),
              ("Karaoğlu", "Alimov", "Nurmagambetov", "Yıldırımer", "Aliyev", "Tokayuly", "Demirtaşlı", "Ergashev")),
    Tradition("african", ("Nigeria", "Kenya", "Tanzania", "Ethiopia", "Ghana", "Uganda"),
              ("Adebayo", "Oluwaseun", "Juma", "Tesfaye", "Kwabena", "Babajide", "Mwita", "Dawit"),
              ("Neema", "Almaz", "Folasade", "Wanjiru"),
              ("Ogunleye", "Adeyemi-Bakare", "Mwakasege", "Kilonzo", "Gebremedhin", "Woldegiorgis", "Okonjo",
               "Asantewaa", "Mutiso")),
    Tradition("thai", ("Thailand",),
              ("Somchai", "Kittisak", "Thanawat", "Prayoon", "Chatchai", "Wichian"),
              ("Pornthip", "Siriporn", "Malee"),
              ("Rattanaphong", "Srisawat", "Boonyarat", "Kongsombat", "Wongsuwan", "Chaiyaporn")),
    Tradition("south_asian", ("India", "Pakistan", "Bangladesh", "Sri Lanka", "Nepal"),
              ("Rajiv", "Tariq", "Arvind", "Shahzad", "Mahinda", "Sanjeev", "Kamran", "Anirudh"),
              ("Anjali", "Nusrat", "Priyanka", "Dilrukshi"),
              ("Khandelwal", "Raghunathan", "Chaudhry", "Wickramaratne", "Bhattarai", "Siddiqui", "Mehrotra",
               "Talukdar")),
    Tradition("chinese", ("China", "Singapore", "Taiwan"),
              ("Weiming", "Jianguo", "Haoran", "Zhiqiang", "Guoliang"),
              ("Xiaoling", "Meifang"),
              ("Zhang", "Liu", "Zhou", "Xu", "Gao", "Lin"), family_first=True),
)}

_SPECIAL = {"arabic": _arabic, "iberian": _iberian}


def person(rng: random.Random, tradition: str | None = None) -> Person:
    t = TRADITIONS[tradition or rng.choice(sorted(TRADITIONS))]
    return _SPECIAL[t.key](rng, t) if t.key in _SPECIAL else t.person(rng)


def distinct(p: Person, q: Person) -> bool:
    """Two people one article can tell apart: no shared name, first word or family name."""
    return (p.name != q.name and p.short != q.short and p.name.split()[0] != q.name.split()[0]
            and p.short not in q.name and q.short not in p.name)


def people(rng: random.Random, n: int, tradition: str | None = None) -> list[Person]:
    """``n`` people with distinct names and family names (so no two are confused in one article), and
    distinct states unless all are of one tradition."""
    out: list[Person] = []
    while len(out) < n:
        p = person(rng, tradition)
        if all(distinct(p, q) and (tradition or p.state != q.state) for q in out):
            out.append(p)
    return out


# Fictional but plausible places and organisations, with the real state they are in.
PLACES = ("Port Meridan", "Kestrel Bay Naval Base", "Halvorsen Air Station", "Camp Ardent", "Fort Belwether",
          "Sandmere Dockyard", "Redcliff Training Range", "the Ostara Defence Academy")
ORGS = ("Meridian Shipworks", "Corvane Aerospace", "Tallis Defence Systems", "Brightwater Dynamics")
