"""The fact-check page: a text, its journey, each claim's check and the map, in one file.

:func:`build_report` writes what the first notebook shows, for readers who don't
use Jupyter: the text with its place mentions, stops and distance claims
highlighted (from :attr:`Trip.mentions <route.models.Trip.mentions>` and
:attr:`Trip.claims <route.models.Trip.claims>`), the journey table, each claim
with the segment and measure it was read as and route's check, the words of the
text behind each stop and mode, and the map (:func:`route.mapping.render_html`)
embedded in a sandboxed ``<iframe srcdoc>``.

The page is self-contained: no script, style or image from another host, so it
opens offline. Every string from outside (the text, names from a geocoder,
claims, notes) goes through :func:`route.mapping.escape_html`; the trip's JSON
rides along in a ``<script type="application/json">`` data block with ``<``,
``>`` and ``&`` escaped.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._atomic import atomic_write_text, check_writable
from .mapping import (
    _SCOPE_WORDS,
    DESTINATION_COLOR,
    ORIGIN_COLOR,
    STOP_COLOR,
    _attribution,
    _km,
    _why_block,
    escape_html,
    render_html,
    tile_name,
)
from .models import Claim, Leg, Mention, Trip

__all__ = ["build_report", "json_for_script", "save_report"]

#: Colours of the verdicts (background of the badge).
VERDICT_COLORS = {
    "consistent": "#1a7f37",
    "overstated": "#b35900",
    "understated": "#b35900",
    "not checked": "#6c757d",
}


def json_for_script(value: Any) -> str:
    """``value`` as JSON that is inert inside a ``<script>`` element.

    ``<``, ``>`` and ``&`` become ``\\u003c``, ``\\u003e`` and ``\\u0026`` (and the
    line separators U+2028/U+2029 their escapes), so no ``</script>`` or ``<!--``
    can end or change the element; ``JSON.parse`` reads the same value back.

    Parameters
    ----------
    value
        Anything :func:`json.dumps` takes.

    Returns
    -------
    str
        The JSON text.
    """
    text = json.dumps(value, ensure_ascii=False, allow_nan=False)
    for char, escaped in (("&", "\\u0026"), ("<", "\\u003c"), (">", "\\u003e"),
                          ("\u2028", "\\u2028"), ("\u2029", "\\u2029")):  # fmt: skip
        text = text.replace(char, escaped)
    return text


@dataclass(frozen=True, slots=True)
class _Span:
    """A stretch of the text to mark: ``[start, end)`` and the tag around it."""

    start: int
    end: int
    open: str
    close: str


def _fits(text: str, start: int, end: int, surface: str) -> bool:
    """Whether ``[start, end)`` lies in ``text`` and reads ``surface`` there."""
    return 0 <= start < end <= len(text) and text[start:end] == surface


def _mention_span(mention: Mention) -> _Span:
    esc = escape_html
    place = mention.place
    where = f"{place.name}, {place.country}" if place.country else place.name
    if mention.role == "stop":
        role = mention.stop_role or "stop"
        title = f"stop {mention.order or '?'} ({role}): {where}"
        if mention.cue:
            title += f"; words: “{mention.cue}”"
        classes = "stop cue" if mention.cue else "stop"
        return _Span(
            mention.start,
            mention.end,
            f'<mark class="{classes}" data-n="{mention.order or ""}" title="{esc(title)}">',
            "</mark>",
        )
    kind = " demonym" if mention.kind == "demonym" else ""
    title = f"{where}: mentioned, not a stop"
    return _Span(
        mention.start, mention.end, f'<mark class="place{kind}" title="{esc(title)}">', "</mark>"
    )


def _verdict_class(claim: Claim) -> str:
    return claim.verdict.replace(" ", "-") if claim.verdict in VERDICT_COLORS else "not-checked"


def _claim_span(number: int, claim: Claim) -> _Span:
    title = f"claim {number}: {claim.verdict}"
    if claim.reason:
        title += f" ({claim.reason})"
    return _Span(
        claim.start,
        claim.end,
        f'<a class="claim {_verdict_class(claim)}" href="#claim-{number}" '
        f'title="{escape_html(title)}">',
        "</a>",
    )


def _marked_text(trip: Trip, text: str) -> str:
    """The text, escaped, with its mentions, stops and claims marked.

    Spans that do not read what they say in ``text`` (a trip planned from
    another text) are left out, and so is a span overlapping one before it.
    """
    spans = [_mention_span(m) for m in trip.mentions if _fits(text, m.start, m.end, m.surface)]
    spans += [
        _claim_span(number, claim)
        for number, claim in enumerate(trip.claims, start=1)
        if _fits(text, claim.start, claim.end, claim.surface)
    ]
    spans.sort(key=lambda span: (span.start, span.start - span.end))
    out: list[str] = []
    position = 0
    for span in spans:
        if span.start < position:
            continue
        out.append(escape_html(text[position : span.start]))
        out.append(span.open + escape_html(text[span.start : span.end]) + span.close)
        position = span.end
    out.append(escape_html(text[position:]))
    return "".join(out)


def _stops_table(trip: Trip) -> str:
    esc = escape_html
    cues: dict[int, Mention] = {}
    for mention in trip.mentions:
        if mention.role == "stop" and mention.order and mention.cue:
            cues.setdefault(mention.order, mention)
    rows = []
    last = len(trip.stops)
    for number, place in enumerate(trip.stops, start=1):
        color = ORIGIN_COLOR if number == 1 else DESTINATION_COLOR if number == last else STOP_COLOR
        cue = cues.get(number)
        said = f"{esc(cue.stop_role or 'stop')}: “{esc(cue.cue)}”" if cue else "–"
        gid = place.geonameid
        link = (
            f'<a href="https://www.geonames.org/{gid}" rel="noopener">{gid}</a>'
            if gid is not None
            else "–"
        )
        rows.append(
            f'<tr><td class="n"><span class="dot" style="background:{color}">{number}</span></td>'
            f"<td>{esc(place.label)}</td><td>{esc(place.name)}</td>"
            f"<td>{esc(place.country or '–')}</td>"
            f'<td class="n">{place.lat:.4f}</td><td class="n">{place.lon:.4f}</td>'
            f"<td>{link}</td><td>{said}</td></tr>"
        )
    return (
        '<div class="scroll"><table><caption>Stops</caption><thead><tr><th class="n">#</th>'
        "<th>Stop</th><th>GeoNames name</th><th>Country</th><th class='n'>Lat</th>"
        "<th class='n'>Lon</th><th>GeoNames id</th><th>In the text</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _leg_note(leg: Leg) -> str:
    notes = []
    if leg.rail is None and leg.rail_note:
        notes.append(leg.rail_note)
    if leg.rail is not None:
        snaps = (leg.rail.snap_start_km, leg.rail.snap_end_km)
        if max(snaps) > 5:
            notes.append(
                f"stops lie {snaps[0]:.1f} km and {snaps[1]:.1f} km from the railway "
                "(not included in rail km)"
            )
        notes += [
            f"bridged a {bridge.km * 1000:,.0f} m gap in the rail data"
            for bridge in leg.rail.bridges
        ]
    return "; ".join(notes)


def _legs_table(trip: Trip) -> str:
    esc = escape_html
    rows = []
    for number, (leg, cumulative) in enumerate(
        zip(trip.legs, trip.cumulative_km(), strict=True), start=1
    ):
        mode = esc(leg.mode) + (f" (“{esc(leg.mode_cue)}”)" if leg.mode_cue else "")
        detour = f"×{leg.detour:.2f}" if leg.detour else "–"
        rows.append(
            f'<tr><td class="n">{number}</td><td>{esc(leg.start.label)} → {esc(leg.end.label)}</td>'
            f'<td>{mode}</td><td class="n">{_km(leg.straight_km)}</td>'
            f'<td class="n">{_km(cumulative)}</td><td class="n">{_km(leg.rail_km)}</td>'
            f'<td class="n">{detour}</td><td>{esc(_leg_note(leg))}</td></tr>'
        )
    rows.append(
        f'<tr class="total"><td></td><td>Total</td><td></td>'
        f'<td class="n">{_km(trip.straight_km)}</td><td></td>'
        f'<td class="n">{_km(trip.rail_km)}</td><td></td><td></td></tr>'
    )
    return (
        '<div class="scroll"><table><caption>Legs</caption><thead><tr><th class="n">#</th>'
        "<th>Leg</th><th>Mode (words)</th><th class='n'>Straight km</th>"
        "<th class='n'>Cumulative km</th><th class='n'>Rail km</th><th class='n'>Detour</th>"
        f"<th>Notes</th></tr></thead><tbody>{''.join(rows)}</tbody></table></div>"
    )


def _totals(trip: Trip) -> str:
    esc = escape_html
    first, last = trip.stops[0].label, trip.stops[-1].label
    parts = [
        f"Straight line {esc(first)} → {esc(last)}: <b>{_km(trip.direct_km)} km</b>",
        f"sum of the legs {_km(trip.straight_km)} km",
    ]
    if trip.direct_rail is not None:
        parts.append(f"first to last stop by rail {_km(trip.direct_rail.km)} km")
    elif trip.direct_rail_note and trip.direct_rail_note != "no rail network":
        parts.append(f"first to last stop by rail: {esc(trip.direct_rail_note)}")
    return " · ".join(parts)


def _claim_card(number: int, claim: Claim) -> str:
    """One claim: the sentence, what it was read as, the segment measured and the check."""
    esc = escape_html
    surface = esc(claim.surface)
    before, found, after = claim.sentence.partition(claim.surface or "\x00")
    sentence = f"{esc(before)}<b>{surface}</b>{esc(after)}" if found else esc(claim.sentence)
    value = f"{claim.value:,g}" + (f"–{claim.value_high:,g}" if claim.value_high else "")
    km = _km(claim.km) + (f"–{_km(claim.km_high)}" if claim.km_high else "")
    said = f"“{surface}”: {esc(value)} {esc(claim.unit)}"
    if claim.unit != "km":
        said += f" = {km} km"
    if claim.qualifier:
        said += f" ({esc(claim.qualifier)})"
    measure = esc(claim.measure) + (f" (words: “{esc(claim.cue)}”)" if claim.cue else "")
    scope = esc(_SCOPE_WORDS.get(claim.scope, claim.scope))
    segment = (
        f"{scope}: {esc(claim.between[0])} → {esc(claim.between[1])}" if claim.between else scope
    )
    rows = [
        ("The text says", said),
        ("Measure", measure),
        ("Segment", segment),
    ]
    if claim.measured_km is not None:
        rows.append(("Measured on", f"{esc(claim.measured)}: <b>{_km(claim.measured_km)} km</b>"))
    if claim.difference_pct is not None:
        rows.append(("Difference", f"{claim.difference_pct:+.1f} %"))
    verdict = f'<span class="badge {_verdict_class(claim)}">{esc(claim.verdict)}</span>'
    if claim.reason:
        verdict += f" {esc(claim.reason)}"
    rows.append(("Check", verdict))
    items = "".join(f"<dt>{label}</dt><dd>{content}</dd>" for label, content in rows)
    return (
        f'<li id="claim-{number}" class="card"><div class="cn">Claim {number}</div>'
        f"<blockquote>{sentence}</blockquote>"
        f"<dl>{items}</dl></li>"
    )


_CSS = """
:root{color-scheme:light;--ink:#1d1d1f;--muted:#5f6368;--line:#e3e3e3}
*{box-sizing:border-box}
body{margin:0;font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);
 background:#fafafa}
header,main,footer{max-width:1280px;margin:0 auto;padding:0 16px}
header{padding-top:18px}
h1{font-size:1.6em;margin:0 0 4px}
h2{font-size:1.2em;margin:0 0 8px}
.sub,.muted,caption,footer{color:var(--muted)}
.sub{margin:0 0 6px}
main{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:18px;margin-top:14px}
section{background:#fff;border:1px solid var(--line);border-radius:8px;padding:14px 16px;
 min-width:0}
#journey,#claims,#why{grid-column:1/-1}
#map-section{position:sticky;top:8px;align-self:start}
#map-section iframe{display:block;width:100%;height:640px;border:1px solid var(--line);
 border-radius:6px}
.text{white-space:pre-wrap;overflow-wrap:anywhere;max-height:640px;overflow:auto;
 font-family:Georgia,"Times New Roman",serif;font-size:1.02em}
mark{padding:0 2px;border-radius:3px;color:inherit}
mark.place{background:#e8eaed}
mark.stop{background:#cfe3fb;box-shadow:inset 0 -2px #2f6db5}
mark.stop.cue{font-weight:600}
mark.stop::before{content:attr(data-n);display:inline-block;min-width:1.3em;margin-right:3px;
 padding:0 3px;border-radius:1em;background:#2f6db5;color:#fff;font:bold 11px/1.5 sans-serif;
 text-align:center;vertical-align:1px}
a.claim{color:inherit;text-decoration:none;padding:0 2px;border-radius:3px;
 border-bottom:2px solid #6c757d;background:#f1f3f4}
a.claim.consistent{border-color:#1a7f37;background:#e6f4ea}
a.claim.overstated,a.claim.understated{border-color:#b35900;background:#fdf0e2}
.key>span{display:inline-block;margin-right:14px}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;margin:4px 0 14px;font-size:.95em}
caption{text-align:left;font-weight:600;padding:2px 0}
th,td{padding:4px 8px;border-bottom:1px solid var(--line);text-align:left;vertical-align:top}
th{white-space:nowrap}
.n{text-align:right;white-space:nowrap}
tr.total td{font-weight:600;border-top:1px solid #999}
.dot{display:inline-block;min-width:1.6em;border-radius:1em;color:#fff;text-align:center;
 font-weight:bold;font-size:.85em}
ol.cards{list-style:none;padding:0;margin:0;display:grid;
 grid-template-columns:repeat(auto-fill,minmax(320px,1fr));gap:12px}
.card{border:1px solid var(--line);border-radius:8px;padding:10px 12px}
.card:target{outline:3px solid #2f6db5}
.cn{font-size:.8em;font-weight:600;color:var(--muted);margin-bottom:4px}
blockquote{margin:0 0 8px;padding-left:10px;border-left:3px solid var(--line);
 font-family:Georgia,"Times New Roman",serif}
dl{display:grid;grid-template-columns:max-content minmax(0,1fr);gap:2px 10px;margin:0}
dt{color:var(--muted)}
dd{margin:0}
.badge{display:inline-block;padding:0 8px;border-radius:1em;color:#fff;font-weight:600;
 background:#6c757d}
.badge.consistent{background:#1a7f37}
.badge.overstated,.badge.understated{background:#b35900}
#why .h{font-size:1.2em;font-weight:bold;margin:0 0 8px}
footer{font-size:.85em;padding:14px 16px 24px}
@media (max-width:900px){
 main{grid-template-columns:minmax(0,1fr)}
 #map-section{position:static}
 #map-section iframe{height:480px}
 .text{max-height:none}
}
"""


def build_report(
    trip: Trip,
    text: str = "",
    *,
    tiles: str | bool | None = None,
    map_html: str | None = None,
) -> str:
    """The fact-check page of a trip read from ``text``, as one HTML document.

    Parameters
    ----------
    trip
        The trip, as :func:`route.plan` read it from ``text``.
    text
        The text itself; its mentions and claims are marked where
        ``trip.mentions`` and ``trip.claims`` say (spans that do not match the
        text are left unmarked). ``""``: the page has no text section.
    tiles
        The map's basemap (see :func:`route.mapping.build_map`).
    map_html
        The map page to embed, if already rendered; by default
        :func:`route.mapping.render_html` with the summary panel collapsed.

    Returns
    -------
    str
        The HTML page (self-contained: no asset from another host).

    Raises
    ------
    InputError
        An unknown ``tiles`` name.
    """
    from . import __version__

    esc = escape_html
    basemap = tile_name(tiles)
    if map_html is None:
        map_html = render_html(trip, tiles=basemap, panel="collapsed")
    first, last = trip.stops[0].label, trip.stops[-1].label
    title = f"{first} → {last}"
    stops = sum(1 for m in trip.mentions if m.role == "stop")
    places = len(trip.mentions) - stops
    checked = sum(1 for c in trip.claims if c.verdict != "not checked")
    summary = (
        f"{len(trip.stops)} stops, {len(trip.legs)} legs · {len(trip.claims)} distance claims, "
        f"{checked} checked · {stops} mentions of stops and {places} of other places in the text"
    )
    text_section = ""
    if text:
        key = (
            '<p class="key muted"><span><mark class="stop" data-n="1">stop</mark> a stop of '
            'the journey (bold: the words that make it one)</span><span><mark class="place">'
            'place</mark> another place named</span><span><a class="claim consistent" '
            'href="#claims">claim</a> a distance claim (colour: its check)</span></p>'
        )
        text_section = (
            f'<section id="text"><h2>The text</h2>{key}'
            f'<div class="text">{_marked_text(trip, text)}</div></section>'
        )
    claims = "".join(
        _claim_card(number, claim) for number, claim in enumerate(trip.claims, start=1)
    )
    claims_section = (
        f'<section id="claims"><h2>Distance claims and their check</h2><ol class="cards">{claims}'
        "</ol></section>"
        if claims
        else '<section id="claims"><h2>Distance claims</h2><p class="muted">The text makes no '
        "distance claim route can read.</p></section>"
    )
    why = _why_block(trip)
    why_section = f'<section id="why">{why}</section>' if why else ""
    uncertainty = (
        f'<p class="muted">Rail data: {esc(trip.rail_uncertainty)}</p>'
        if trip.rail_uncertainty
        else ""
    )
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="route {esc(__version__)}">
<title>route report: {esc(title)}</title>
<style>{_CSS}</style>
</head>
<body>
<header>
<h1>{esc(title)}</h1>
<p class="sub">A journey read from a text, measured and fact-checked by route {esc(__version__)}.
{summary}.</p>
<p>{_totals(trip)}</p>
</header>
<main>
{text_section}
<section id="map-section"><h2>The map</h2>
<iframe title="Map of the journey {esc(title)}" sandbox="allow-scripts allow-popups \
allow-popups-to-escape-sandbox" allowfullscreen loading="eager" srcdoc="{esc(map_html)}"></iframe>
</section>
<section id="journey"><h2>The journey</h2>
{_stops_table(trip)}
{_legs_table(trip)}
{uncertainty}
</section>
{claims_section}
{why_section}
</main>
<footer>{esc(_attribution(basemap))}. Made with route {esc(__version__)}; the trip's data \
(route's JSON) is in this page's <code>route-trip</code> element.</footer>
<script type="application/json" id="route-trip">{json_for_script(trip.to_dict())}</script>
</body>
</html>
"""


def save_report(
    trip: Trip,
    text: str,
    path: str | os.PathLike[str],
    *,
    tiles: str | bool | None = None,
) -> Path:
    """Write :func:`build_report`'s page to ``path`` atomically.

    The page is made in full first; then it replaces ``path`` in one step (or,
    on any error, ``path`` is left as it was).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    OutputError
        ``path`` cannot be written (missing directory, a directory, read-only).
    InputError
        An unknown ``tiles`` name.
    """
    target = check_writable(path)
    return atomic_write_text(target, build_report(trip, text, tiles=tiles))
