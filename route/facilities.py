"""Airports and air bases by name: stops a journey flies to or from that are no towns.

"Luke Air Force Base", "RAAF Base Amberley", "Thule Air Base" or "Wheeler Army Airfield"
are where flights of news stories leave and land, and a town gazetteer has none of them
(one named with its town, "London Heathrow Airport", gives the town). This
data module reads ``airportsdata`` (MIT; 28,000 airports and airfields worldwide, each
with its ICAO code, name, city, country and point) once, on the first text that names a
facility, and finds the facilities a text names whole.

Names are read as the data writes them and as texts do: abbreviations spelled out ("Afb"
is "Air Force Base", "Nas" "Naval Air Station"), a bracketed second name left out, "X Air
Force Base Airport" also "X Air Force Base", and "Naval Air Station X" also "X Naval Air
Station". A name several facilities share is the one nearest the text's other places,
and none if that is more than :data:`NEAR_KM` away.
"""

from __future__ import annotations

import re
from bisect import bisect_left, insort
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import replace
from functools import cache
from typing import Any

from .gazetteer import Candidate
from .spans import AREA_LEVEL, COUNTRY_LEVEL, Found
from .tokens import fold

__all__ = [
    "NEAR_KM",
    "TOWN_KM",
    "Facilities",
    "add_facilities",
    "facility_index",
    "geographic_poles",
]

#: A name several facilities share is the one within this distance of the text's other
#: places (a continent's width: "Mitchell Field" in a story about New York).
NEAR_KM = 1500.0
#: A facility named with a town this near it is that town's ("Altus Air Force Base",
#: "London Heathrow Airport"): the town stays the place; one farther is another place
#: of the name ("RAAF Base Amberley" is not Amberley, New Zealand).
TOWN_KM = 50.0
#: A facility qualified by a region ("…, Ariz.") lies within this distance of its point.
REGION_KM = 800.0

#: The head words of facility names, as texts write them.
_HEAD = (
    r"Air Force Base|Air Force Station|Air Reserve Base|Air Reserve Station|"
    r"Air National Guard Base|Air Base|Airbase|Air Station|Naval Air Station|"
    r"Naval Air Facility|Naval Station|Naval Base|Joint Base|Space Force Base|"
    r"Army Air Field|Army Airfield|Airfield|Air Field|Aerodrome|Airport|RAAF Base|RAF"
)
_HEAD_RE = re.compile(  # "Dublin airport", a dateline; "McChord AFB" as texts abbreviate
    rf"\b(?:{_HEAD})\b|\b(?:AFB|NAS|MCAS|AAF|ARB|ANGB)\b(?!-)", re.IGNORECASE
)
#: Facility heads as texts abbreviate them, spelled out as the index writes them.
_TEXT_SPELLED = {
    "AFB": "Air Force Base", "NAS": "Naval Air Station", "MCAS": "Marine Corps Air Station",
    "AAF": "Army Air Field", "ARB": "Air Reserve Base", "ANGB": "Air National Guard Base",
}  # fmt: skip
_TEXT_ABBREVIATION = re.compile(rf"\b(?:{'|'.join(_TEXT_SPELLED)})\b")
#: Army posts, camps and stations that airportsdata names as an airfield's city ("Fort
#: Hood (Killeen)", "Fairbanks /Ft Wainwright/", "McMurdo Station", "Guantanamo Bay Naval
#: Station"): where news of troops and expeditions travels, and no town gazetteer has them.
_INSTALLATION = re.compile(
    r"^(?:Fort|Ft\.?|Camp|Naval Station|Naval Air Station|Joint Base|Marine Corps Base)\s+[A-Z]"
    r"|\s(?:Station|Base)$"
)
#: The names of the airfields of such posts: a military or station airfield, not a private
#: strip in a town of the name ("Felker Army Air Field", "McMurdo Station Ice Runway").
_MILITARY = re.compile(
    r"\b(?:Army|Aaf|AAF|Air Force|Afb|AFB|Naval|Nas|NAS|Ns|Navy|Marine|Mcaf|Mcas|Military|"
    r"Station|Base|Heliport|Helipad)\b"
)
#: Islands and atolls that airportsdata names as an airfield's city ("Wake Island", "Midway
#: Atoll", "Tern Island"): stops of flights and voyages that no town gazetteer has.
_ISLAND = re.compile(r"\s(?:Island|Islands|Atoll)$")
#: Their heads as texts write them: capitalised (or in a dateline's capitals, "FORT SILL,
#: Okla. --"), so "the train station" loads nothing; "Field" of an airfield's own name
#: ("Lajes Field", "Bolling Field"), only where airportsdata has that name.
_INSTALLATION_HEAD = re.compile(
    r"\b(?:Fort|FORT|Ft\.?|Camp|CAMP)(?=\s+[A-Z])|\b(?:Station|Base|Island|Islands|Atoll|Field)\b"
    r"|\b(?:STATION|BASE|ISLANDS?|ATOLL)\b"  # a dateline in capitals
)
#: Heads that may come before the facility's own name ("Naval Air Station Fort Worth").
_LEADING_HEADS = (
    "Naval Air Station", "Naval Air Facility", "Naval Station", "Naval Base", "Joint Base",
    "RAAF Base", "RAF",
)  # fmt: skip
#: The data's abbreviations, spelled out.
_SPELLED = {
    "afb": "Air Force Base", "afs": "Air Force Station", "sfb": "Space Force Base",
    "nas": "Naval Air Station", "naf": "Naval Air Facility", "jrb": "Joint Reserve Base",
    "ns": "Naval Station", "arb": "Air Reserve Base", "ars": "Air Reserve Station",
    "angb": "Air National Guard Base",
    "mcas": "Marine Corps Air Station", "mcaf": "Marine Corps Air Facility",
    "aaf": "Army Air Field", "intl": "International", "rgnl": "Regional",
    "muni": "Municipal", "fld": "Field", "arpt": "Airport",
}  # fmt: skip
#: Words of facility names that name no facility by themselves ("Municipal Airport").
_GENERIC = frozenset(
    "air force base station naval facility joint reserve space army field airfield "
    "aerodrome airport international regional municipal county city memorial marine "
    "corps raaf raf airbase the of".split()
)
#: A capitalised word of a name, or a connector inside one ("Fort Worth", "McChord").
_NAME_WORD = re.compile(r"(?:[A-Z][\w'’.-]*|of|de|del|la|le)\Z")


def _variants(name: str, city: str = "") -> set[str]:
    """The ways a text may write a facility the data calls ``name`` (in ``city``)."""
    out = set()
    for part in re.sub(r"\([^)]*\)", " ", name).split("/"):
        words = [_SPELLED.get(w.lower(), w) for w in part.replace(",", " ").split()]
        full = " ".join(words)
        if not full:
            continue
        out.add(full)
        heads = list(_HEAD_RE.finditer(full))
        if heads and heads[0].end() < len(full):  # "Fort Worth Naval Air Station Joint …"
            out.add(full[: heads[0].end()])
        if len(heads) > 1 and heads[-1].end() == len(full) and heads[0].start() == 0:
            out.add(full[: heads[-1].start()].strip())  # "Joint Base Andrews Airport"
        if city and full.startswith(city + " "):  # "London Heathrow Airport": "Heathrow …"
            out.add(full[len(city) + 1 :])
    for variant in list(out):
        for head in _LEADING_HEADS:
            if variant.endswith(" " + head):  # "Rota Naval Station": "Naval Station Rota"
                out.add(f"{head} {variant[: -len(head) - 1]}")
    return {v for v in out if not set(fold(v).split()) <= _GENERIC}


#: The format of the facility index kept in the cache directory.
INDEX_FORMAT = 8


class Facilities:
    """Folded facility name → the facilities of that name, as gazetteer candidates with
    feature ``AIRP`` and a negative internal id."""

    def __init__(self, keys: Mapping[str, list[int]], rows: Sequence[Sequence[Any]]) -> None:
        self._keys = keys
        self._rows = rows

    def __len__(self) -> int:
        return len(self._keys)

    def get(self, key: str) -> tuple[Candidate, ...]:
        """The facilities whose names, as texts write them, fold to ``key``."""
        return tuple(self._candidate(i) for i in self._keys.get(key, ()))

    def _candidate(self, i: int) -> Candidate:
        name, lat, lon, country, admin1 = self._rows[i]
        return Candidate(
            geonameid=-(20_000_000 + i),
            name=str(name),
            lat=float(lat),
            lon=float(lon),
            country=str(country),
            population=0,
            feature="AIRP",
            admin1=str(admin1),
            matched="name",
            score=0.0,
        )


@cache
def facility_index() -> Facilities:
    """The facilities by name, read from the cache directory (built there from
    airportsdata on first use, about a second; a damaged file is built again)."""
    from importlib import metadata

    from ._atomic import kept_json
    from .gazetteer import cache_dir

    path = cache_dir() / f"facilities-ad{metadata.version('airportsdata')}-f{INDEX_FORMAT}.json"
    index = kept_json(path, _build, _sound)
    return Facilities(index["keys"], index["rows"])


def _sound(index: Any) -> bool:
    """Whether a kept index has its shape: rows of name, lat, lon, country, region, and keys that
    point at rows (a file edited or cut short elsewhere is built again)."""
    if not isinstance(index, dict):
        return False
    keys, rows = index.get("keys"), index.get("rows")
    return (
        isinstance(keys, dict)
        and isinstance(rows, list)
        and all(isinstance(r, list) and len(r) == 5 for r in rows)
        and all(
            isinstance(v, list) and all(isinstance(i, int) and 0 <= i < len(rows) for i in v)
            for v in keys.values()
        )
    )


def _regions(places: Iterable[tuple[str, str]]) -> dict[tuple[str, str], str]:
    """GeoNames' first-level code of each (country, subdivision name) that airportsdata
    gives, where the gazetteer knows the name as a region of that country (about four in
    five): a facility is then qualified by its region ("Fort Riley, Kansas")."""
    from .gazetteer import default_gazetteer

    gazetteer = default_gazetteer()
    codes: dict[tuple[str, str], str] = {}
    for country, name in places:
        regions = (
            [c for c in gazetteer.lookup(name, country=country, limit=10) if c.feature == "ADM1"]
            if name
            else []
        )
        if regions:
            codes[(country, name)] = str(regions[0].admin1)
    return codes


def _build() -> dict[str, Any]:
    """airportsdata's airports as ``rows`` (name, lat, lon, country, GeoNames region code
    or "") and the ``keys`` of each."""
    import airportsdata

    airports = airportsdata.load("ICAO")
    regions = _regions({(str(a["country"]), str(a.get("subd", ""))) for a in airports.values()})
    keys: dict[str, list[int]] = {}
    rows: list[list[Any]] = []
    installations: dict[tuple[str, str, str], list[tuple[float, float]]] = {}
    for code in sorted(airports):
        airport = airports[code]
        for variant in _variants(str(airport["name"]), str(airport["city"])):
            keys.setdefault(fold(variant), []).append(len(rows))
        country, subdivision = str(airport["country"]), str(airport.get("subd", ""))
        region = regions.get((country, subdivision), "")
        rows.append([airport["name"], airport["lat"], airport["lon"], country, region])
        military = _MILITARY.search(str(airport["name"])) is not None
        # a private strip's city ("Fort Necessity", Louisiana) is no post
        for name in _installations(str(airport["city"]), military):
            point = (float(airport["lat"]), float(airport["lon"]))
            installations.setdefault((name, country, subdivision), []).append(point)
    for (name, country, subdivision), points in installations.items():  # airfields' middle
        keys.setdefault(_key(name), []).append(len(rows))
        lat = sum(p[0] for p in points) / len(points)
        lon = sum(p[1] for p in points) / len(points)
        rows.append(
            [name, round(lat, 6), round(lon, 6), country, regions.get((country, subdivision), "")]
        )
    return {"keys": keys, "rows": rows}


def _installations(city: str, military: bool) -> list[str]:
    """The islands an airfield's city names, and the posts, camps and stations a
    ``military`` one's city names ("Fort Hood (Killeen)": "Fort Hood"; "Fairbanks /Ft
    Wainwright/": "Fort Wainwright")."""
    out = []
    for part in city.split("/"):
        name = " ".join(re.sub(r"\([^)]*\)", " ", part).split()).strip(" ,")
        if name and (_ISLAND.search(name) or (military and _INSTALLATION.search(name))):
            out.append(re.sub(r"^Ft\.?(?=\s)", "Fort", name))
    return out


def _spans(text: str) -> Iterator[tuple[int, int]]:
    """Candidate facility names: runs of capitalised words around a facility head word,
    longest first at each head."""
    heads = [*_HEAD_RE.finditer(text), *_INSTALLATION_HEAD.finditer(text)]
    for head in sorted(heads, key=lambda m: m.start()):
        before = [m for m in re.finditer(r"\S+", text[max(0, head.start() - 80) : head.start()])]
        after = [m for m in re.finditer(r"\S+", text[head.end() : head.end() + 60])]
        starts = [head.start()]
        for m in reversed(before):
            word = m.group().rstrip(",;:")
            if m.group() != word or not _NAME_WORD.match(word.replace("’s", "").replace("'s", "")):
                break
            starts.append(max(0, head.start() - 80) + m.start())
        ends = [head.end()]
        for m in after:
            word = m.group().rstrip(",;:.")
            if not _NAME_WORD.match(word):
                break
            ends.append(head.end() + m.start() + len(word))
            if word != m.group():
                break
        spans = sorted(((s, e) for s in starts for e in ends), key=lambda se: se[0] - se[1])
        yield from spans


def _key(surface: str) -> str:
    """A facility name as written, folded as the index keys it ("Ft." is Fort, "AFB" Air
    Force Base)."""
    surface = _TEXT_ABBREVIATION.sub(lambda m: _TEXT_SPELLED[m.group()], surface)
    return fold(re.sub(r"\bFt\.?(?=\s)", "Fort", surface.replace("’s", "").replace("'s", "")))


def _km(a: Any, b: Any) -> float:
    from .distance import geodesic_km

    return geodesic_km((float(a.lat), float(a.lon)), (float(b.lat), float(b.lon)))


def _nearest(
    candidates: Sequence[Candidate], points: Sequence[tuple[float, float]]
) -> Candidate | None:
    """Of the facilities a name gives, the one nearest the text's places, if within
    :data:`NEAR_KM` of one; none for a text that names no place."""
    from .distance import geodesic_km

    if not points:
        return None

    def distance(c: Candidate) -> float:
        return min(geodesic_km((c.lat, c.lon), p) for p in points)

    best = min(candidates, key=distance)
    return best if distance(best) <= NEAR_KM else None


#: Heads of names that many airfields share with towns and people ("Kennedy Airport",
#: "Portland Airport", "Logan Airport"): such a name is an airport near the text's places
#: only, and a town named in it stays the town.
_GENERIC_HEAD = re.compile(r"\b(?:airport|airfield|air field|aerodrome|field)\W*\Z", re.I)
#: A place named right after a facility says where it is ("…, Oregon", "… in Boston").
_QUALIFIER_GAP = re.compile(r"\s*(?:,|\bin\b|\bnear\b|\bat\b)\s*\Z", re.I)


def _fits(candidate: Candidate, qualifiers: Sequence[Any]) -> bool:
    """Whether a facility lies where the places qualifying its name say: in their
    country, within :data:`REGION_KM` of a region, :data:`TOWN_KM` of a town."""
    from .gazetteer import in_continent

    for place in qualifiers:
        if place.feature == "CONT":  # "McMurdo Station, Antarctica"
            ok = in_continent(place.geonameid, candidate.country)
        elif place.feature in COUNTRY_LEVEL:
            ok = place.country == candidate.country
        elif str(place.feature).startswith("ADM"):
            ok = _km(place, candidate) <= REGION_KM
        else:
            ok = _km(place, candidate) <= TOWN_KM
        if not ok:
            return False
    return True


def _choose(
    found: Sequence[Candidate],
    qualifiers: Sequence[Any],
    generic: bool,
    points: Sequence[tuple[float, float]],
) -> Candidate | None:
    """The facility a name stands for in its text, or none."""
    fitting = [c for c in found if _fits(c, qualifiers)]
    if not fitting:
        return None
    if qualifiers and len(fitting) == 1:
        return fitting[0]  # "Guam International Airport", "Luke Air Force Base, Ariz."
    if len(fitting) == 1 and not generic:
        return fitting[0]  # a name of one air base ("RAAF Base Amberley")
    return _nearest(fitting, points)


def add_facilities(text: str, mentions: Sequence[Found]) -> list[Found]:
    """``mentions`` with the airports and air bases ``text`` names whole that no town
    mention already stands for ("flew from Luke Air Force Base"), in text order. A place
    mention inside a facility's name that is not a town near it ("Luke", "Amberley" of
    Ohio) gives way to the facility; an airport's name with a town in it ("London Heathrow
    Airport", "Portland Airport") stays the town."""
    if _HEAD_RE.search(text) is None and _INSTALLATION_HEAD.search(text) is None:
        return list(mentions)
    index = facility_index()
    places = [
        f.candidate
        for f in mentions
        if f.kind == "place" and f.candidate.feature not in ("CONT", "RGN")
    ]
    points = sorted({(float(p.lat), float(p.lon)) for p in places})
    ordered = sorted((f for f in mentions if f.kind == "place"), key=lambda f: f.start)
    starts = [f.start for f in ordered]
    chosen_by_key: dict[tuple[str, tuple[Any, ...]], Candidate | None] = {}
    added: list[Found] = []
    taken: list[tuple[int, int]] = []  # sorted, disjoint
    for start, end in _spans(text):
        if _overlaps(taken, start, end):
            continue
        key = _key(text[start:end])
        found = index.get(key)
        if not found:
            continue
        inside = ordered[bisect_left(starts, start) : bisect_left(starts, end)]
        inside = [f for f in inside if f.end <= end]
        towns = [f.candidate for f in inside if f.candidate.feature not in AREA_LEVEL]
        if any((f.start, f.end) == (start, end) for f in inside if f.candidate in towns):
            insort(taken, (start, end))  # "Fort Bragg", "Fort Worth": a town of that name
            continue
        island = _ISLAND.search(text, start, end) is not None
        if island and (
            _inside_a_longer_name(text, start)  # "USS Wake Island": a ship's name
            or any((f.start, f.end) == (start, end) for f in inside)  # a place of the name
        ):  # ("Christmas Island" is Australia's and Kiritimati: the text's places choose)
            insort(taken, (start, end))
            continue
        generic = _GENERIC_HEAD.search(text[start:end]) is not None
        if generic and towns:
            insort(taken, (start, end))  # "London Heathrow Airport": London
            continue
        after = next((f for f in ordered[bisect_left(starts, end) :][:1]), None)
        qualifiers = [f.candidate for f in inside if f.candidate.feature in AREA_LEVEL]
        if after is not None and _QUALIFIER_GAP.fullmatch(text[end : after.start]):
            qualifiers.append(after.candidate)
        if island and len(found) > 1 and not qualifiers:
            continue  # "Long Island": airfields on several of the name, none said
        memo = (key, tuple(q.geonameid for q in qualifiers))
        if memo not in chosen_by_key:
            chosen_by_key[memo] = _choose(found, qualifiers, generic, points)
        chosen = chosen_by_key[memo]
        if chosen is None:
            continue
        if any(_km(town, chosen) <= TOWN_KM for town in towns):
            insort(taken, (start, end))  # "Altus Air Force Base": the town already
            continue
        insort(taken, (start, end))
        added.append(Found(start, end, text[start:end], "place", chosen, len(found), 1.0))
    if not added:
        return list(mentions)
    added += _short_names(text, added, mentions)
    covered = sorted((f.start, f.end) for f in added)
    kept = [f for f in mentions if not _within(f, covered)]
    return sorted(kept + added, key=lambda f: f.start)


def _short_names(text: str, added: Sequence[Found], mentions: Sequence[Found]) -> list[Found]:
    """A facility the text names whole, named again by its first word where a journey
    goes from or to ("departed Travis for the 16 hour flight" after "Travis Air Force
    Base"), where no other mention stands."""
    from .words import path_words

    by_word: dict[str, Found] = {}  # each first word once: the facility named first
    for facility in added:
        first = facility.surface.split()[0]
        if (
            len(facility.surface.split()) >= 2
            and re.fullmatch(r"(?:Mc|Mac|De|La)?[A-Z][a-z]{2,}", first)  # "McMurdo", "MacDill"
            and fold(first) not in _GENERIC
        ):
            by_word.setdefault(first, facility)
    if not by_word:
        return []
    path = path_words()
    covered = bytearray(len(text) + 1)  # the characters a mention already stands on
    for f in [*mentions, *added]:
        covered[f.start : f.end] = b"\x01" * (f.end - f.start)
    words = "|".join(re.escape(w) for w in sorted(by_word, key=len, reverse=True))
    out: list[Found] = []
    for match in re.finditer(rf"\b(?:{words})\b(?![ -][A-Z])", text):
        start, end = match.span()
        before = re.search(r"(\w+) $", text[max(0, start - 20) : start])
        if before is None or before.group(1).lower() not in path or any(covered[start:end]):
            continue
        out.append(replace(by_word[match.group()], start=start, end=end, surface=match.group()))
        covered[start:end] = b"\x01" * (end - start)
    return out


def _inside_a_longer_name(text: str, start: int) -> bool:
    """Whether a capitalised word that is no function word ("The", "From") stands right
    before ``start``: the name there is part of a longer one."""
    from .words import LEADING

    before = re.search(r"([A-Z][\w.'’-]*[\w'’-])\s+$", text[max(0, start - 40) : start])
    return before is not None and before.group(1).casefold() not in LEADING


def _within(found: Found, spans: list[tuple[int, int]]) -> bool:
    """Whether ``found`` lies inside one of the sorted, disjoint ``spans``."""
    i = bisect_left(spans, (found.start + 1, -1)) - 1
    return i >= 0 and spans[i][0] <= found.start and found.end <= spans[i][1]


def _overlaps(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """Whether ``[start, end)`` overlaps one of the sorted, disjoint ``spans`` (only the
    last one starting before ``end`` can)."""
    i = bisect_left(spans, (end, -1)) - 1
    return i >= 0 and spans[i][1] > start


#: The Earth's poles, as texts name them with "the" ("to the North Pole", "via the
#: Geographic North Pole"): points, not the towns of the name (North Pole, Alaska).
_POLE = re.compile(r"\b[Tt]he\s+(?:[Gg]eographic(?:al)?\s+)?(?P<name>(?P<side>North|South) Pole)\b")


def geographic_poles(text: str, mentions: Sequence[Found]) -> list[Found]:
    """``mentions`` with "the North Pole" and "the South Pole" as places at the poles
    (feature ``PT``, a point), in text order; a mention inside such a name gives way ("the
    North Pole" is not North Pole, Alaska, which "North Pole, Alaska" stays)."""
    poles = []
    for match in _POLE.finditer(text):
        north = match.group("side") == "North"
        point = Candidate(
            geonameid=-(30_000_000 + north),
            name=match.group("name"),
            lat=90.0 if north else -90.0,
            lon=0.0,
            country="",
            population=0,
            feature="PT",
            admin1="",
            matched="name",
            score=0.0,
        )
        start, end = match.span("name")
        poles.append(Found(start, end, match.group("name"), "place", point, 1, 1.0))
    if not poles:
        return list(mentions)
    kept = [f for f in mentions if not any(f.start < p.end and p.start < f.end for p in poles)]
    return sorted(kept + poles, key=lambda f: f.start)
