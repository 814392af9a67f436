"""The fact-check page (``route report``, :mod:`route.report`): its HTML, escaping and CLI."""

from __future__ import annotations

import dataclasses
import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from route.cli import app
from route.errors import InputError, OutputError
from route.gazetteer import Gazetteer
from route.mapping import escape_html
from route.models import Claim, Mention, Place, Trip
from route.pipeline import build_trip, plan
from route.report import build_report, json_for_script, save_report

from .conftest import SEED_TEXT
from .test_mapping import EXTERNAL_ASSET, HOSTILE, hostile_trip

SEED = SEED_TEXT.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def seed_trip(gazetteer: Gazetteer) -> Trip:
    return plan(SEED, gazetteer=gazetteer)


@pytest.fixture(scope="module")
def seed_report(seed_trip: Trip) -> str:
    return build_report(seed_trip, SEED)


def _text(page: str) -> str:
    """What a reader sees of ``page`` outside the map (tags dropped, entities read)."""
    page = re.sub(r"<iframe\b.*?</iframe>", " ", page, flags=re.S)
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", page)).split())


def _srcdoc(page: str) -> str:
    match = re.search(r'<iframe\b[^>]*\bsrcdoc="([^"]*)"', page)
    assert match is not None
    return html.unescape(match.group(1))


def _data(page: str) -> object:
    match = re.search(r'<script type="application/json" id="route-trip">(.*?)</script>', page, re.S)
    assert match is not None
    return json.loads(match.group(1))


def _script_tags(page: str) -> tuple[int, int]:
    return len(re.findall(r"<script\b", page, re.I)), len(re.findall(r"</script\b", page, re.I))


def test_one_self_contained_page(seed_report: str) -> None:
    assert seed_report.startswith("<!DOCTYPE html>")
    assert "<title>route report: Pyongyang → Hanoi</title>" in seed_report
    assert not EXTERNAL_ASSET.search(seed_report)
    outside = re.sub(r'srcdoc="[^"]*"', "", seed_report)
    assert not re.search(r"<(?:img|iframe)[^>]*\bsrc=", outside)
    assert "@import" not in seed_report
    # The map is inside, in a sandboxed frame of its own: scripts, no access to the page.
    frame = re.search(r"<iframe\b[^>]*>", seed_report)
    assert frame is not None
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in frame.group()
    inner = _srcdoc(seed_report)
    assert inner.startswith("<!DOCTYPE html>")
    assert len(re.findall(r"\bL\.marker\(", inner)) == 4
    assert not EXTERNAL_ASSET.search(inner)
    assert 'data-start="collapsed"' in inner  # the page has the tables: the panel starts closed
    # The page's own scripts: only the JSON data block (the map's are inside srcdoc).
    assert _script_tags(seed_report) == (1, 1)


def test_the_text_is_marked(seed_trip: Trip, seed_report: str) -> None:
    # Every stop mention carries its number; the one with the cue is bold ("cue").
    assert re.search(
        r'<mark class="stop cue" data-n="1" title="stop 1 \(origin\): Pyongyang, KP; '
        r"words: “train in”\">Pyongyang</mark>",
        seed_report,
    )
    assert '<mark class="stop cue" data-n="2"' in seed_report
    assert re.search(r'<mark class="stop" data-n="4"[^>]*>Hanoi</mark>', seed_report)
    # Other places, demonyms marked as such.
    assert re.search(
        r'<mark class="place" title="Moscow, RU: mentioned[^"]*">Moscow</mark>', seed_report
    )
    assert re.search(r'<mark class="place demonym"[^>]*>North Korean</mark>', seed_report)
    marks = re.findall(r"<mark\b", seed_report.split('<div class="text">')[1].split("</div>")[0])
    assert len(marks) == len(seed_trip.mentions)
    # Claims link to their check.
    assert re.search(
        r'<a class="claim consistent" href="#claim-1" title="claim 1: consistent">'
        r"only about 2900 kilometers</a>",
        seed_report,
    )
    assert '<a class="claim not-checked" href="#claim-2"' in seed_report
    # The whole text is there, as text.
    text = seed_report.split('<div class="text">')[1].split("</div>")[0]
    assert html.unescape(re.sub(r"<[^>]+>", "", text)) == SEED


def test_journey_claims_and_why(seed_report: str) -> None:
    text = _text(seed_report)
    assert "Straight line Pyongyang → Hanoi: 2,758 km · sum of the legs 2,923 km" in text
    assert "1 Pyongyang Pyongyang KP 39.0339 125.7543 1871859 origin: “train in”" in text
    assert "3 Dong Dang Thị Trấn Đồng Đăng VN" in text
    assert "2 Dandong → Dong Dang train (“train (as the leg before)”) 2,619 2,788" in text
    assert "Total 2,923" in text
    # Each claim: what the text says, the measure and its words, the segment, the check.
    assert re.search(
        r'<li id="claim-1" class="card">.*?<b>only about 2900 kilometers</b>', seed_report, re.S
    )
    assert (
        "The text says “only about 2900 kilometers”: 2,900 km (only about) "
        "Measure straight (words: “crow flies; start and finish”) "
        "Segment the whole journey "
        "Measured on straight line Pyongyang → Hanoi: 2,758 km "
        "Difference +5.2 % Check consistent"
    ) in text
    assert "Check not checked no rail figure (no rail network)" in text
    # "Read from the text", as on the map.
    assert "Read from the text 1. Pyongyang: origin (“train in”)" in text
    assert "Dong Dang → Hanoi: car (“car”)" in text
    assert "GeoNames (CC-BY 4.0)" in text


def test_the_data_block_is_the_trip(seed_trip: Trip, seed_report: str) -> None:
    assert _data(seed_report) == json.loads(seed_trip.to_json())


def test_a_claim_with_a_segment_names_it() -> None:
    trip = build_trip([Place("Lyon", 45.76, 4.84), Place("Paris", 48.86, 2.35)])
    claim = Claim(
        start=4,
        end=10,
        surface="400 km",
        value=400.0,
        unit="km",
        km=400.0,
        qualifier="",
        measure="straight",
        between=("Lyon", "Paris"),
        sentence="The 400 km from Lyon to Paris.",
        scope="segment",
        measured_km=391.5,
        measured="straight line Lyon → Paris",
        difference_pct=2.2,
        verdict="consistent",
    )
    page = build_report(dataclasses.replace(trip, claims=(claim,)), "The 400 km from Lyon.")
    assert "Segment from one place to another: Lyon → Paris" in _text(page)
    assert '<a class="claim consistent" href="#claim-1"' in page


def test_spans_that_do_not_fit_the_text_are_left_out(seed_trip: Trip) -> None:
    page = build_report(seed_trip, "Another text altogether, about 40 km.")
    body = page.split('<div class="text">')[1].split("</div>")[0]
    assert body == "Another text altogether, about 40 km."
    # Overlapping spans: the first (longest) wins, the text stays whole.
    place = Place("Lyon", 45.76, 4.84, geonameid=1)
    mentions = tuple(
        Mention(start, end, text, "place", place, 1, 1.0, "")
        for start, end, text in [(0, 4, "Lyon"), (0, 9, "Lyon Gare"), (5, 9, "Gare")]
    )
    trip = dataclasses.replace(seed_trip, mentions=mentions, claims=())
    body = build_report(trip, "Lyon Gare").split('<div class="text">')[1].split("</div>")[0]
    assert re.fullmatch(r'<mark class="place" title="[^"]*">Lyon Gare</mark>', body)


def test_without_text_or_claims(seed_trip: Trip) -> None:
    trip = dataclasses.replace(seed_trip, mentions=(), claims=())
    page = build_report(trip)
    assert 'id="text"' not in page
    assert "The text makes no distance claim route can read." in page


def _hostile_text_trip() -> tuple[Trip, str]:
    """The hostile trip, with a text made of the hostile strings that its mentions and
    claims point into."""
    text = "\n".join(f"{s} and {s}" for s in HOSTILE)
    trip = hostile_trip()
    starts = [m.start() for s in HOSTILE for m in [re.search(re.escape(s), text)] if m]
    mentions = tuple(
        dataclasses.replace(m, start=starts[i], end=starts[i] + len(HOSTILE[i]), surface=HOSTILE[i],
                            role="stop" if i % 2 else "mentioned", order=i, cue=HOSTILE[i - 1])
        for i, m in enumerate(trip.mentions)
    )  # fmt: skip
    claims = tuple(
        dataclasses.replace(c, start=text.rindex(HOSTILE[i]), end=text.rindex(HOSTILE[i]) + len(
            HOSTILE[i]), cue=HOSTILE[i + 2], reason=HOSTILE[i + 3],
            between=(HOSTILE[i], HOSTILE[i + 1]))
        for i, c in enumerate(trip.claims)
    )  # fmt: skip
    return dataclasses.replace(trip, mentions=mentions, claims=claims), text


def test_hostile_strings_reach_the_page_only_escaped() -> None:
    trip, text = _hostile_text_trip()
    page = build_report(trip, text)
    plain = build_report(build_trip([Place("A", 39.0, 125.7), Place("B", 21.0, 105.8)]), "x")
    assert _script_tags(page) == _script_tags(plain) == (1, 1)
    body = page.split('<div class="text">')[1].split("</div>")[0]
    assert body.count("<mark ") == len(trip.mentions)
    assert body.count('<a class="claim ') == len(trip.claims)
    # Outside the JSON block (checked below) and the map (srcdoc, tested on its own),
    # remove every escaped hostile string: no payload is left.
    html_part = page.split('<script type="application/json"')[0]
    rest = re.sub(r'srcdoc="[^"]*"', "", html_part)
    for hostile in sorted(HOSTILE, key=len, reverse=True):
        assert hostile not in rest
        rest = rest.replace(escape_html(hostile), "")
    assert "PWNED" not in rest
    for fragment in ("<img", "<svg", "${document", "`;document", "</script><script"):
        assert fragment.lower() not in html_part.lower()
    # The JSON block cannot end its element, and reads back exactly.
    block = page.split('<script type="application/json" id="route-trip">')[1].split("</script>")[0]
    for char in "<>&":
        assert char not in block
    assert _data(page) == json.loads(trip.to_json())
    # The map inside is the map route draws, escaped for the attribute and read back whole.
    assert "</script><script>document.title" not in _srcdoc(page)


def test_json_for_script() -> None:
    value = {"a": "</script><!--<script>&\u2028\u2029", "b": [1.5, None]}
    text = json_for_script(value)
    assert not re.search(r"[<>&\u2028\u2029]", text)
    assert json.loads(text) == value


def test_save_report_is_atomic(seed_trip: Trip, tmp_path: Path) -> None:
    out = save_report(seed_trip, SEED, tmp_path / "report.html")
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert [p.name for p in tmp_path.iterdir()] == ["report.html"]
    with pytest.raises(OutputError):
        save_report(seed_trip, SEED, tmp_path / "missing" / "report.html")
    with pytest.raises(InputError, match="unknown basemap"):
        build_report(seed_trip, SEED, tiles="nope")
    assert "tile.openstreetmap.org" in _srcdoc(build_report(seed_trip, SEED, tiles="osm"))


# -- the command ------------------------------------------------------------------------


@pytest.fixture
def runner(gazetteer: Gazetteer) -> CliRunner:
    return CliRunner()


def test_report_command_writes_the_page(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "kim.html"
    result = runner.invoke(app, ["report", str(SEED_TEXT), "-o", str(out), "--no-rail"])
    assert result.exit_code == 0, result.output
    assert "report written to" in result.stderr
    assert "Distance claims in the text" in result.stdout  # the tables, as for map
    page = out.read_text(encoding="utf-8")
    assert "<title>route report: Pyongyang → Hanoi</title>" in page
    assert '<mark class="stop cue" data-n="3"' in page
    assert [p.name for p in tmp_path.iterdir()] == ["kim.html"]


def test_report_to_stdout_and_with_stops(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["report", str(SEED_TEXT), "-o", "-", "--no-rail", "--stops", "Pyongyang, Hanoi"]
    )
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("<!DOCTYPE html>")
    assert "<title>route report: Pyongyang → Hanoi</title>" in result.stdout
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-o", "r.png"], "-o writes an HTML page, but r.png ends in .png"),
        (["-o", str(SEED_TEXT)], "is the input text file"),
        (["--tiles", "stamen"], "unknown basemap 'stamen'"),
        (["--stops", "Paris"], "stop"),
    ],
)
def test_report_refuses_bad_outputs_before_any_work(
    runner: CliRunner, tmp_path: Path, args: list[str], message: str
) -> None:
    before = SEED_TEXT.read_bytes()
    result = runner.invoke(app, ["report", str(SEED_TEXT), *args], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    assert message in result.stderr
    assert result.stderr.count("\n") == 1
    assert SEED_TEXT.read_bytes() == before


def _one_line_error(result: Result) -> tuple[int, str]:
    """The exit status and the one line on stderr of a command that failed."""
    stderr = result.stderr
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("building ")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("route: error: ")
    assert "Traceback" not in stderr
    return result.exit_code, lines[0]


def test_report_pins_typed_stops_as_map_does(runner: CliRunner, tmp_path: Path) -> None:
    out, js = tmp_path / "perth.html", tmp_path / "perth.json"
    result = runner.invoke(
        app, ["report", "--stops", "Perth, Edinburgh", "--country", "GB", "--modes", "plane",
              "--no-rail", "-o", str(out), "--json-out", str(js)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["perth.html", "perth.json"]
    doc = json.loads(js.read_text(encoding="utf-8"))
    perth = doc["stops"][0]
    assert (perth["name"], perth["country"], perth["geonameid"]) == ("Perth", "GB", 2640358)
    assert perth["lat"] == pytest.approx(56.40, abs=0.1)
    assert perth["lon"] == pytest.approx(-3.43, abs=0.1)
    assert [leg["mode"] for leg in doc["legs"]] == ["plane"]
    page = out.read_text(encoding="utf-8")
    assert _data(page) == doc  # the page's data block holds the same facts
    # The stops table (Perth in Scotland) and the legs table (the mode given).
    assert '<td>Perth</td><td>Perth</td><td>GB</td><td class="n">56.3952</td>' in page
    assert '<td class="n">-3.4314</td>' in page
    assert "<td>Perth → Edinburgh</td><td>plane (“given”)</td>" in page
    assert "Perth → Edinburgh: 51.5 km straight line (plane)" in _srcdoc(page)  # the map
    assert 'id="text"' not in page  # no text: no text section
    assert "route report: Perth → Edinburgh" in page


def test_report_country_and_near_choose_the_place(runner: CliRunner) -> None:
    def first_stop(*args: str) -> tuple[str, float, float]:
        result = runner.invoke(
            app, ["report", "-s", "Perth, Sydney", *args, "--no-rail", "-o", "/dev/null",
                  "--json-out", "-"],
        )  # fmt: skip
        assert result.exit_code == 0, result.output
        stop = json.loads(result.stdout)["stops"][0]
        return stop["country"], stop["lat"], stop["lon"]

    assert first_stop() == ("AU", -31.95224, 115.8614)  # the nearest Perth to Sydney
    country, lat, lon = first_stop("-c", "gb")
    assert country == "GB"
    assert lat == pytest.approx(56.395, abs=0.1)
    assert lon == pytest.approx(-3.431, abs=0.1)
    assert first_stop("--near", "Dundee")[0] == "GB"


def test_report_modes_for_typed_stops(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    args = ["report", "-s", "A@0,0, B@1,1, C@0,2", "--no-rail", "-o", str(out), "--json-out", "-"]
    result = runner.invoke(app, [*args, "--modes", "plane,"])
    assert result.exit_code == 0, result.output
    assert [leg["mode"] for leg in json.loads(result.stdout)["legs"]] == ["plane", "unknown"]
    page = out.read_text(encoding="utf-8")
    assert "<td>A → B</td><td>plane (“given”)</td>" in page
    assert "<td>B → C</td><td>unknown</td>" in page
    written = runner.invoke(app, ["report", "-s", "A@0,0 >ship> B@1,1", "--no-rail", "-o", "-"])
    assert "<td>A → B</td><td>ship (“given”)</td>" in written.stdout


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--geocoder", "nosuch"], 2, "unknown geocoder 'nosuch'; choose from: arcgis, "),
        (["--geocoder", "nominatim"], 1, "Nominatim's usage policy requires a real user agent"),
        (["--geocoder", "nominatim", "--user-agent", " "], 2, "--user-agent must be one"),
        (["--geocoder", "photon", "--geocoder-url", "ftp://x"], 1,
         "--geocoder-url must be an http(s) URL, got 'ftp://x'"),
        (["--modes", "rocket"], 2, "unknown mode 'rocket'"),
        (["--country", "GBR"], 2, "--country takes a two-letter ISO code (GB, US), got 'GBR'"),
        (["--json-out", "facts.html"], 2, "--json-out writes JSON, but facts.html ends in .html"),
    ],
)  # fmt: skip
def test_report_refuses_bad_options_as_map_does(
    runner: CliRunner, tmp_path: Path, args: list[str], code: int, message: str
) -> None:
    common = ["--stops", "Pyongyang, Hanoi", "--no-rail", *args]
    env = {"ROUTE_USER_AGENT": None, "ROUTE_GEOCODER_URL": None}
    lines = []
    for command, out in (("map", "m.html"), ("report", "r.html")):
        result = runner.invoke(app, [command, *common, "-o", str(tmp_path / out)], env=env)
        exit_code, line = _one_line_error(result)
        assert exit_code == code, (command, line)
        assert message in line, command
        lines.append(line)
    assert lines[0] == lines[1]  # one check, one message
    assert list(tmp_path.iterdir()) == []  # nothing written


def test_report_geocodes_online(runner: CliRunner, tmp_path: Path) -> None:
    from .loopback import GeocoderServer

    out = tmp_path / "r.html"
    server = GeocoderServer()
    try:
        result = runner.invoke(
            app,
            ["report", "--stops", "Pyongyang, Hanoi", "--no-rail", "-o", str(out),
             "--json-out", "-", "--geocoder", "nominatim", "--geocoder-url", server.url,
             "--user-agent", "t (t@example.org)", "--no-cache", "--timeout", "5",
             "--retries", "0"],
        )  # fmt: skip
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    assert [query for _, query, _ in server.requests] == ["Pyongyang", "Hanoi"]
    stops = json.loads(result.stdout)["stops"]
    assert [(s["lat"], s["lon"], s["source"]) for s in stops] == [
        (39.0167, 125.7475, "nominatim"),
        (21.0283, 105.8542, "nominatim"),
    ]
    page = out.read_text(encoding="utf-8")
    assert '<td class="n">39.0167</td><td class="n">125.7475</td>' in page


def test_report_shares_the_option_definitions_of_map() -> None:
    import typer

    group = typer.main.get_command(app)
    commands = group.commands  # type: ignore[attr-defined]

    def options(name: str) -> dict[str, tuple[object, ...]]:
        return {
            opt: (tuple(param.opts), param.help, param.default, param.metavar)
            for param in commands[name].params
            if param.param_type_name == "option"
            for opt in param.opts
        }

    in_map, in_report = options("map"), options("report")
    shared = ("--stops", "--modes", "--country", "--near", "--json-out", "--geocoder",
              "--user-agent", "--geocoder-url", "--timeout", "--retries", "--no-cache",
              "--rail-network", "--max-snap", "--bridge-gaps", "--no-rail", "--tiles",
              "--ner")  # fmt: skip
    for name in shared:
        assert in_report[name] == in_map[name], name
    assert in_report["-s"][0] == ("--stops", "-s")
    assert in_report["-c"][0] == ("--country", "-c")


def test_map_tiles_option(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "m.html"
    args = ["map", "--stops", "Pyongyang, Hanoi", "--no-rail", "-o", str(out)]
    result = runner.invoke(app, [*args, "--tiles", "cartodb"])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert "basemaps.cartocdn.com" in page
    assert '"name": "Vietnam"' in page
    result = runner.invoke(app, [*args, "--tiles", "google"])
    assert result.exit_code == 2
    assert "unknown basemap 'google'; use none, osm, cartodb" in result.stderr
