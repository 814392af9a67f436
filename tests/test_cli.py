from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from route import __version__
from route.cli import app
from route.gazetteer import Gazetteer

from .conftest import SEED_STOPS, SEED_TEXT, SMALL_NETWORK

SEED = "Pyongyang, Dandong, Dong Dang, Hanoi"


@pytest.fixture
def runner(gazetteer: Gazetteer) -> CliRunner:
    return CliRunner()


def test_version(runner: CliRunner) -> None:
    result = runner.invoke(app, ["--version"])
    assert result.exit_code == 0
    assert result.stdout.strip() == f"route {__version__}"


def test_map_prints_the_table_and_writes_map_and_json(runner: CliRunner, tmp_path: Path) -> None:
    out, js = tmp_path / "kim.html", tmp_path / "kim.json"
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out), "--json-out", str(js)])
    assert result.exit_code == 0, result.output
    table = result.stdout
    for name, (lat, lon, geonameid) in SEED_STOPS.items():
        row = next(line for line in table.splitlines() if f" {name} " in line)
        assert f"{lat:.4f}" in row
        assert f"{lon:.4f}" in row
        assert str(geonameid) in row
    assert re.search(r"Dandong\s+│\s+Dong Dang\s+│\s+2,619\.2\s+│\s+2,787\.8", table)
    assert "Whole trip, straight line Pyongyang → Hanoi: 2,757.7 km" in table
    page = out.read_text(encoding="utf-8")
    assert len(re.findall(r"\bL\.marker\(", page)) == 4
    doc = json.loads(js.read_text(encoding="utf-8"))
    assert [s["geonameid"] for s in doc["stops"]] == [v[2] for v in SEED_STOPS.values()]
    assert set(doc["stops"][0]) >= {"name", "lat", "lon", "country", "geonameid"}
    assert [(leg["from"], leg["to"]) for leg in doc["legs"]] == [
        ("Pyongyang", "Dandong"),
        ("Dandong", "Dong Dang"),
        ("Dong Dang", "Hanoi"),
    ]
    assert doc["legs"][2]["straight_km"] == pytest.approx(135.7, abs=0.05)
    assert "map written to" in result.stderr


def test_map_json_to_stdout(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["map", "--stops", "Pyongyang, Hanoi", "-o", str(tmp_path / "m.html"), "--json"]
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["totals"]["direct_km"] == pytest.approx(2757.7, abs=0.5)


def _one_line_error(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("building ")]
    assert len(lines) == 1, stderr
    assert lines[0].startswith("route: error: ")
    assert "Traceback" not in stderr
    return lines[0]


def test_unknown_place_exits_1_with_suggestions(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "kim.html"
    out.write_text("previous map")
    result = runner.invoke(app, ["map", "--stops", "Pyongyng, Hanoi", "-o", str(out)])
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert "no place named 'Pyongyng'; did you mean Pyongyang (KP)" in line
    assert out.read_text() == "previous map"


@pytest.mark.parametrize(
    ("stops", "message"),
    [
        ("Pyongyang", "at least two stops"),
        ("Pyongyang,,Hanoi", "stop 2 of 3 is empty"),
        ("Pyongyang, ", "stop 2 of 2 is empty"),
        ("", "stop 1 of 1 is empty"),
    ],
)
def test_bad_stop_lists_are_usage_errors(
    runner: CliRunner, tmp_path: Path, stops: str, message: str
) -> None:
    result = runner.invoke(app, ["map", "--stops", stops, "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 2
    assert message in _one_line_error(result)
    assert list(tmp_path.iterdir()) == []


def test_missing_option_and_unknown_option_are_usage_errors(runner: CliRunner) -> None:
    result = runner.invoke(app, ["map", "-o", "x.html"])
    assert result.exit_code == 2
    assert "--stops" in _one_line_error(result)
    result = runner.invoke(app, ["map", "--bogus"])
    assert result.exit_code == 2
    assert "--bogus" in _one_line_error(result)


def test_missing_output_directory_exits_1_and_leaves_nothing(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "missing" / "kim.html"
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out)])
    assert result.exit_code == 1
    assert "does not exist" in _one_line_error(result)
    assert result.stdout == ""  # failed before any work
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root may write anywhere")
def test_read_only_directory_exits_1_and_keeps_the_old_map(
    runner: CliRunner, tmp_path: Path
) -> None:
    out = tmp_path / "kim.html"
    out.write_text("previous map")
    tmp_path.chmod(0o555)
    try:
        result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out)])
    finally:
        tmp_path.chmod(0o755)
    assert result.exit_code == 1
    assert "permission" in _one_line_error(result)
    assert out.read_text() == "previous map"


def test_unwritable_output_exits_1(runner: CliRunner) -> None:
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", "/proc/route-test.html"])
    assert result.exit_code == 1
    assert "cannot write /proc/route-test.html" in _one_line_error(result)


def test_geocode_command(runner: CliRunner) -> None:
    result = runner.invoke(app, ["geocode", "Dong Dang", "Pingxiang", "-n", "2"])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert any("1582998" in line and "Thị Trấn Đồng Đăng" in line for line in lines)
    ping = [line for line in lines if "Pingxiang" in line]
    assert "1798654" in ping[0]
    assert "1798655" in ping[1]


def test_geocode_json_and_country_filter(runner: CliRunner) -> None:
    result = runner.invoke(app, ["geocode", "Moscow", "--country", "US", "--json"])
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["Moscow"]
    assert {r["country"] for r in doc["Moscow"]} == {"US"}


def test_geocode_unknown_name_exits_1_but_prints_the_others(runner: CliRunner) -> None:
    result = runner.invoke(app, ["geocode", "Hanoi", "Xqzzyqx"])
    assert result.exit_code == 1
    assert "1581130" in result.stdout
    assert "no place named 'Xqzzyqx'" in _one_line_error(result)


def test_first_run_prints_a_build_notice(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, gazetteer: Gazetteer
) -> None:
    # A fresh cache directory holding a damaged index: the CLI rebuilds it and says so.
    monkeypatch.setenv("ROUTE_CACHE_DIR", str(tmp_path))
    (tmp_path / gazetteer.path.name).write_bytes(b"damaged")
    result = runner.invoke(app, ["geocode", "Hanoi"])
    assert result.exit_code == 0, result.output
    assert re.fullmatch(r"rebuilding the damaged gazetteer index… \d+\.\d s\n", result.stderr)
    assert "1581130" in result.stdout


# -- rail ------------------------------------------------------------------------------


def _no_packaged_network(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A broken install: the world network shipped in the package is missing."""
    from route import rail

    monkeypatch.setattr(rail, "packaged_network_path", lambda: tmp_path / "gone.graph.npz")


def test_map_without_a_network_says_how_to_add_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_packaged_network(monkeypatch, tmp_path)
    out = tmp_path / "kim.html"
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out)])
    assert result.exit_code == 0
    notes = [line for line in result.stderr.splitlines() if line.startswith("route: note:")]
    assert len(notes) == 1
    assert "reinstall route" in notes[0]
    assert "--rail-network FILE" in notes[0]
    assert "ROUTE_RAIL_NETWORK" in notes[0]
    assert "Rail km" not in result.stdout
    assert out.exists()


def test_map_with_the_world_network(runner: CliRunner, tmp_path: Path) -> None:
    # Nothing configured: the network shipped in the package, no build, no note.
    out, js = tmp_path / "kim.html", tmp_path / "kim.json"
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out), "--json-out", str(js)])
    assert result.exit_code == 0, result.output
    assert "route: note" not in result.stderr
    assert "building rail graph" not in result.stderr
    assert "Rail km" in result.stdout
    assert "First to last stop by rail: 4,03" in result.stdout
    assert "Natural Earth 10m, checked against 17 official line lengths" in result.stdout
    doc = json.loads(js.read_text())
    rail = [leg["rail_km"] for leg in doc["legs"]]
    assert 3700 <= rail[0] + rail[1] <= 4100
    detour = rail[1] / doc["legs"][1]["straight_km"]
    assert doc["legs"][1]["detour"] == pytest.approx(detour, abs=1e-4)
    assert doc["totals"]["direct_rail_km"] == pytest.approx(4040, rel=0.01)
    page = out.read_text()
    assert "by rail" in page
    assert len(re.findall(r"\bL\.polyline\(", page)) == 7  # 3 straight + 3 rail + first→last


def _small(*args: str) -> list[str]:
    return [*args, "--rail-network", str(SMALL_NETWORK)]


def test_distance_between_positions(runner: CliRunner) -> None:
    result = runner.invoke(app, _small("distance", "0,0", "1,1", "--json"))
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert doc["straight_km"] == pytest.approx(156.9, abs=0.1)
    assert doc["rail_km"] == pytest.approx(111.319 + 110.574, abs=0.01)
    assert doc["snap_km"] == [0.0, 0.0]
    assert doc["detour"] == pytest.approx(doc["rail_km"] / doc["straight_km"], abs=1e-4)


def test_distance_reports_why_there_is_no_rail(runner: CliRunner) -> None:
    result = runner.invoke(app, _small("distance", "0,0", "0,3"))
    assert result.exit_code == 0
    assert "straight line 334.0 km" in result.stdout
    # no connection: routed again with the 802 m gap in the data bridged, and told so
    assert "by rail 334.0 km" in result.stdout
    assert "bridged a 802 m gap in the rail data at 0.0000, 2.0000" in result.stdout
    result = runner.invoke(app, _small("distance", "0.0008,0", "0,2", "--max-snap", "0.05"))
    assert "by rail 222.7 km" in result.stdout  # the parallel line, 89 m off, joined too
    far = runner.invoke(app, _small("distance", "0,0", "5,5", "--max-snap", "10", "--json"))
    assert json.loads(far.stdout)["rail_note"] == "no railway within 10 km of 5,5"


def test_coordinate_stops_in_map(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        _small("map", "--stops", "West@0,0, Branch@1,1", "-o", str(tmp_path / "m.html"), "--json"),
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["query"] for s in doc["stops"]] == ["West", "Branch"]
    assert doc["stops"][1]["source"] == "coordinates"
    assert doc["legs"][0]["rail_km"] == pytest.approx(221.894, abs=0.01)


def test_bad_position_is_a_usage_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "--stops", "A@95,10, Hanoi", "-o", str(tmp_path / "m")])
    assert result.exit_code == 2
    assert "latitude must be within ±90" in _one_line_error(result)


def test_rail_info(runner: CliRunner) -> None:
    result = runner.invoke(app, _small("rail", "info"))
    assert result.exit_code == 0, result.output
    facts = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in result.stdout.splitlines())
    assert facts["lines"] == "6"
    assert facts["non-line features skipped"] == "1"
    assert facts["connected components"] == "4"
    doc = json.loads(runner.invoke(app, _small("rail", "info", "--json")).stdout)
    assert doc["components"] == 4


def test_rail_info_of_the_shipped_network(runner: CliRunner) -> None:
    result = runner.invoke(app, ["rail", "info"])
    assert result.exit_code == 0, result.output
    facts = dict(re.split(r"\s{2,}", line, maxsplit=1) for line in result.stdout.splitlines())
    assert facts["file"].endswith("ne_10m_railroads.graph.npz")
    assert facts["lines"] == "25,383"
    cache = Path(facts["graph cache"])  # decoded once, kept in the cache
    assert cache.parent.name == "rail"
    assert cache.is_file()


def test_rail_info_without_a_network_is_an_error(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _no_packaged_network(monkeypatch, tmp_path)
    result = runner.invoke(app, ["rail", "info"])
    assert result.exit_code == 1
    assert "no rail network configured" in _one_line_error(result)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "does not exist"),
        ("not json", "not a GIS file"),
        ('{"type": "FeatureCollection", "features": []}', "no features"),
    ],
)
def test_bad_network_files_exit_1(
    runner: CliRunner, tmp_path: Path, content: str | None, message: str
) -> None:
    network = tmp_path / "net.geojson"
    if content is not None:
        network.write_text(content)
    out = tmp_path / "m.html"
    result = runner.invoke(
        app, ["map", "--stops", SEED, "-o", str(out), "--rail-network", str(network)]
    )
    assert result.exit_code == 1
    assert message in _one_line_error(result)
    assert not out.exists()


def test_configured_but_missing_network_is_an_error(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["map", "--stops", SEED, "-o", str(tmp_path / "m.html")],
        env={"ROUTE_RAIL_NETWORK": str(tmp_path / "gone.geojson")},
    )
    assert result.exit_code == 1
    assert "from ROUTE_RAIL_NETWORK" in _one_line_error(result)


# -- texts -----------------------------------------------------------------------------


def test_places_json(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", str(SEED_TEXT), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    text = SEED_TEXT.read_text(encoding="utf-8")
    for m in doc["mentions"]:
        assert text[m["start"] : m["end"]] == m["surface"]
    assert [s["geonameid"] for s in doc["stops"]] == [v[2] for v in SEED_STOPS.values()]
    assert [s["query"] for s in doc["stops"]] == ["Pyongyang", "Dandong", "Dong Dang", "Hanoi"]
    assert set(doc["stops"][0]) >= {"name", "lat", "lon", "country", "geonameid"}
    assert [leg["mode"] for leg in doc["legs"]] == ["train", "train", "car"]
    dandong = next(m for m in doc["mentions"] if m["surface"] == "Dandong")
    assert (dandong["role"], dandong["order"], dandong["cue"]) == ("stop", 2, "passed near")
    assert "Kim's train passed through the border" in dandong["sentence"]
    assert [(c["km"], c["measure"]) for c in doc["claims"]] == [
        (2900.0, "straight"),
        (4500.0, "rail"),
    ]


def test_places_table_shows_the_cues(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", str(SEED_TEXT)])
    assert result.exit_code == 0
    assert "train in" in result.stdout
    assert "expected in" in result.stdout


def test_places_table_past_the_plain_limit_prints_plain_columns(
    runner: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table longer than PLAIN_TABLE_ROWS (a corpus's mentions) is not laid out by rich
    cell by cell: it prints as columns two spaces apart, the same rows."""
    import route.cli

    drawn = runner.invoke(app, ["places", str(SEED_TEXT)])
    monkeypatch.setattr(route.cli, "PLAIN_TABLE_ROWS", 2)
    plain = runner.invoke(app, ["places", str(SEED_TEXT)])
    assert plain.exit_code == drawn.exit_code == 0
    lines = plain.stdout.splitlines()
    assert lines[0] == f"Places in {SEED_TEXT} (40 mentions)"
    assert lines[1].split() == "Span Text Kind GeoNames Country Lat Lon Cands Conf Role".split()
    assert set(lines[2]) == {"-", " "}
    row = next(line for line in lines if "Dong Dang" in line and "stop 3" in line)
    assert "│" not in row
    assert "21.9511  106.6977" in row
    assert plain.stdout.count("stop ") == drawn.stdout.count("stop ")


def test_plain_table_aligns_columns_and_shows_control_characters(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import io

    import route.cli
    from route.cli import _console, _print_table

    monkeypatch.setattr(route.cli, "PLAIN_TABLE_ROWS", 1)
    console = _console()
    console.file = io.StringIO()
    rows = [("Lyon\x1b[2J", "9"), ("A\nB", "1,234")]
    _print_table(console, "T", ("Name", "km"), rows, frozenset({"km"}))
    text = console.file.getvalue()
    assert text.splitlines() == [
        "T",
        "Name" + " " * 9 + "km",
        "--------  -----",
        "Lyon\ufffd[2J" + " " * 6 + "9",
        "A B" + " " * 7 + "1,234",
    ]


def test_places_from_stdin(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", "-", "--json"], input="The train left Hanoi for Hue.")
    assert result.exit_code == 0, result.output
    assert [m["surface"] for m in json.loads(result.stdout)["mentions"]] == ["Hanoi", "Hue"]


def test_places_with_no_places_prints_an_empty_result(runner: CliRunner, tmp_path: Path) -> None:
    plain = tmp_path / "plain.txt"
    plain.write_text("Nothing to see here.\n")
    result = runner.invoke(app, ["places", str(plain), "--json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout) == {"mentions": [], "stops": [], "legs": [], "claims": []}


def test_map_from_the_seed_text(runner: CliRunner, tmp_path: Path) -> None:
    out, js = tmp_path / "kim.html", tmp_path / "kim.json"
    result = runner.invoke(
        app, ["map", str(SEED_TEXT), "-o", str(out), "--json-out", str(js), "--no-rail"]
    )
    assert result.exit_code == 0, result.output
    assert "Distance claims in the text" in result.stdout
    assert re.search(r"only about 2900 kilometers .* \+5\.2 % .* consistent", result.stdout)
    doc = json.loads(js.read_text())
    assert [s["geonameid"] for s in doc["stops"]] == [v[2] for v in SEED_STOPS.values()]
    assert [c["verdict"] for c in doc["claims"]] == ["consistent", "not checked"]
    assert doc["claims"][1]["reason"] == "no rail figure (no rail network)"
    assert "Claims in the text" in out.read_text()


def test_map_from_the_seed_text_checks_the_rail_claim(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", str(SEED_TEXT), "-o", str(tmp_path / "m.html"), "--json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    rail = doc["claims"][1]
    # the rail claim is about the train part of the journey: Pyongyang → Dong Dang
    assert rail["measured_km"] == pytest.approx(3881, rel=0.01)
    assert rail["measured"] == "rail Pyongyang → Dong Dang"
    assert (rail["scope"], rail["measure"]) == ("whole", "rail")
    # +16 % is within what the text's "about" and the network's known shortfall allow
    assert rail["difference_pct"] == pytest.approx(15.9, abs=0.3)
    assert rail["verdict"] == "consistent"
    assert doc["legs"][2]["rail_km"] is None  # by car
    assert doc["legs"][2]["rail_note"] == "car leg: not routed on rail"


def test_stops_option_overrides_the_text(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app,
        ["map", str(SEED_TEXT), "--stops", "Pyongyang, Hanoi", "-o", str(tmp_path / "m.html"),
         "--json"],
    )  # fmt: skip
    assert result.exit_code == 0
    assert [s["query"] for s in json.loads(result.stdout)["stops"]] == ["Pyongyang", "Hanoi"]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "no text"),
        (b"\x00\x01\x02\x03binary" * 50, "not a text file"),
        (b"Hanoi \x81\x8d\x8f\x90\x9d", "convert it to UTF-8"),
    ],
)
def test_bad_text_files_exit_1(
    runner: CliRunner, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "in.txt"
    if content is not None:
        path.write_bytes(content)
    for command in (["places", str(path)], ["map", str(path), "-o", str(tmp_path / "m.html")]):
        result = runner.invoke(app, command)
        assert result.exit_code == 1
        assert message in _one_line_error(result)
    assert not (tmp_path / "m.html").exists()


def test_cp1252_text_is_read_with_a_warning(runner: CliRunner, tmp_path: Path) -> None:
    path = tmp_path / "old.txt"
    path.write_bytes("The train left Hanoi for Hu\u00e9 \u2013 caf\u00e9 stop.".encode("cp1252"))
    result = runner.invoke(app, ["places", str(path), "--json"])
    assert result.exit_code == 0
    assert "route: warning:" in result.stderr
    assert "cp1252" in result.stderr
    assert [m["surface"] for m in json.loads(result.stdout)["mentions"]] == ["Hanoi", "Huế"] or [
        m["surface"] for m in json.loads(result.stdout)["mentions"]
    ] == ["Hanoi", "Hué"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Nothing to see here.", "no journey found in the text (no stops)"),
        ("The train left Hanoi.", "only one stop, Hanoi"),
        ("The train left Hanoi for Camp Phoenix.", "through Camp Phoenix, which"),
    ],
)
def test_map_without_a_journey_exits_1(
    runner: CliRunner, tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "in.txt"
    path.write_text(text)
    result = runner.invoke(app, ["map", str(path), "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert message in line
    assert "--stops" in line


def test_map_needs_a_text_or_stops(runner: CliRunner) -> None:
    result = runner.invoke(app, ["map", "-o", "x.html"])
    assert result.exit_code == 2
    assert "--stops" in _one_line_error(result)


def test_places_batch_jsonl(runner: CliRunner, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    binary = tmp_path / "image.bin"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    files = [str(SEED_TEXT), str(tmp_path / "missing.txt"), str(empty), str(binary), "-"]
    result = runner.invoke(
        app, ["places", *files, "--jsonl"], input="The train left Hanoi for Hue."
    )
    assert result.exit_code == 1  # some files were bad, the others were processed
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["file"] for line in lines] == files
    assert "stops" not in lines[0]  # a batch reads places and claims, not journeys
    assert [c["km"] for c in lines[0]["claims"]] == [2900.0, 4500.0]
    assert "no such file" in lines[1]["error"]
    assert "no text" in lines[2]["error"]
    assert "not a text file" in lines[3]["error"]
    assert [m["surface"] for m in lines[4]["mentions"]] == ["Hanoi", "Hue"]


def test_places_batch_all_good_exits_0(runner: CliRunner) -> None:
    corpus = sorted((SEED_TEXT.parent.parent / "tests" / "data" / "texts").glob("*.txt"))
    result = runner.invoke(app, ["places", *map(str, corpus), "--jsonl"])
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == len(corpus)


def test_several_files_need_jsonl(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", str(SEED_TEXT), str(SEED_TEXT)])
    assert result.exit_code == 2
    assert "--jsonl" in _one_line_error(result)


def test_places_json_regions_and_demonyms(runner: CliRunner) -> None:
    text = "Turkish officials visited Texas and Bavaria."
    result = runner.invoke(app, ["places", "-", "--json"], input=text)
    assert result.exit_code == 0, result.output
    mentions = json.loads(result.stdout)["mentions"]
    got = [(m["surface"], m["kind"], m["feature"], m["geonameid"]) for m in mentions]
    assert got == [
        ("Turkish", "demonym", "PCLI", 298795),
        ("Texas", "place", "ADM1", 4736286),
        ("Bavaria", "place", "ADM1", None),  # no GeoNames id in the packaged data
    ]
    for m in mentions:
        assert text[m["start"] : m["end"]] == m["surface"]
    table = runner.invoke(app, ["places", "-"], input=text)
    assert "Bavaria (–)" in table.stdout


# -- CLI conventions, stops a user can pin down, modes -----------------------------------


@pytest.mark.parametrize(
    "args",
    [
        [], ["map"], ["geocode"], ["places"], ["distance"], ["rail"], ["rail", "info"],
        ["cache", "clear"],
    ],
)  # fmt: skip
def test_short_help_and_no_python_types_in_help(runner: CliRunner, args: list[str]) -> None:
    short = runner.invoke(app, [*args, "-h"])
    assert short.exit_code == 0, short.output
    assert short.stdout == runner.invoke(app, [*args, "--help"]).stdout
    assert short.stdout.startswith("Usage: ")
    assert "-h, --help" in short.stdout
    for internal in ("<str>", "<int", "<float", "<list", "<file>", "<path>", "{", "[["):
        assert internal not in short.stdout, (args, internal)


def test_help_lists_whole_summaries(runner: CliRunner) -> None:
    lines = runner.invoke(app, ["--help"]).stdout.split("Commands:")[1]
    assert "..." not in lines
    assert "check claims, write a map." in " ".join(lines.split())
    usage = runner.invoke(app, ["geocode", "-h"]).stdout.splitlines()[0]
    assert usage == "Usage: root geocode [OPTIONS] NAME..."
    usage = runner.invoke(app, ["map", "-h"]).stdout.splitlines()[0]
    assert usage == "Usage: root map [OPTIONS] [TEXT]"


def test_shell_completion(runner: CliRunner, monkeypatch: pytest.MonkeyPatch) -> None:
    assert "--install-completion" in runner.invoke(app, ["--help"]).stdout
    # typer detects the user's shell from the parent process, which a test run started
    # from no shell does not have ("Shell  not supported."); its own tests name the shell
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    result = runner.invoke(app, ["--show-completion", "bash"])
    assert result.exit_code == 0, (result.output, repr(result.exception))
    assert "_ROOT_COMPLETE" in result.stdout or "complete" in result.stdout


def test_json_and_jsonl_together_are_refused(runner: CliRunner) -> None:
    result = runner.invoke(app, ["places", str(SEED_TEXT), "--json", "--jsonl"])
    assert result.exit_code == 2
    assert "--json and --jsonl" in _one_line_error(result)
    assert result.stdout == ""


def test_map_json_is_a_switch(runner: CliRunner, tmp_path: Path) -> None:
    out = tmp_path / "t.html"
    # The command: once an 82 MB file named "-o", now JSON on stdout and the map.
    result = runner.invoke(
        app, ["map", "--stops", "Paris, Lyon", "--no-rail", "--json", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["totals"]["direct_km"] == pytest.approx(393.4, abs=0.5)
    assert out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["t.html"]
    both = runner.invoke(app, ["map", "--stops", "Paris, Lyon", "--no-rail", "-o", "-", "--json"])
    assert both.exit_code == 2
    assert "-o and --json both write to standard output" in _one_line_error(both)


def test_map_json_file_still_works_with_a_note(runner: CliRunner, tmp_path: Path) -> None:
    js = tmp_path / "old.json"
    result = runner.invoke(
        app, ["map", "--stops", "Paris, Lyon", "--no-rail", "-o", str(tmp_path / "m.html"),
              "--json", str(js)],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(js.read_text(encoding="utf-8"))["stops"][1]["name"] == "Lyon"
    assert "'route map --json FILE' is deprecated: write --json-out FILE" in result.stderr
    wrong = runner.invoke(
        app, ["map", "--stops", "Paris, Lyon", "-o", str(tmp_path / "m.html"),
              "--json", str(tmp_path / "facts.html")],
    )  # fmt: skip
    assert wrong.exit_code == 2
    assert "--json writes JSON, but" in _one_line_error(wrong)
    text = runner.invoke(
        app, ["map", "--json", str(SEED_TEXT), "--no-rail", "-o", str(tmp_path / "m.html")]
    )
    assert text.exit_code == 0, text.output
    assert len(json.loads(text.stdout)["claims"]) == 2  # an existing text: the switch


def test_map_pins_stops_down(runner: CliRunner, tmp_path: Path) -> None:
    out = str(tmp_path / "m.html")
    result = runner.invoke(
        app, ["map", "--stops", "Perth, Edinburgh, London", "--no-rail", "-o", out, "--json"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.stdout)
    assert [s["geonameid"] for s in doc["stops"]] == [2640358, 2650225, 2643743]
    assert (
        "route: note: 'Perth' read as Perth (GB), the nearest to the other stops; "
        "others: Perth (Western Australia)"
    ) in result.stderr.splitlines()
    typed = runner.invoke(
        app, ["map", "--stops", "Perth (Western Australia); Perth (Scotland)", "--no-rail",
              "-o", out, "--json"],
    )  # fmt: skip
    assert [s["geonameid"] for s in json.loads(typed.stdout)["stops"]] == [2063523, 2640358]
    victoria = runner.invoke(
        app, ["map", "--stops", "Victoria, British Columbia; Vancouver", "--no-rail", "-o", out,
              "--json"],
    )  # fmt: skip
    stop = json.loads(victoria.stdout)["stops"][0]
    assert (stop["country"], stop["lat"], stop["lon"]) == ("CA", 48.4359, -123.35155)


def test_map_country_and_near(runner: CliRunner, tmp_path: Path) -> None:
    out = str(tmp_path / "m.html")
    result = runner.invoke(
        app, ["map", "-s", "London, Paris", "--country", "ca", "--no-rail", "-o", out, "--json"]
    )
    assert result.exit_code == 0, result.output
    assert [s["country"] for s in json.loads(result.stdout)["stops"]] == ["CA", "CA"]
    near = runner.invoke(
        app, ["map", "-s", "Springfield, Portland", "--near", "Boston", "--no-rail", "-o", out,
              "--json"],
    )  # fmt: skip
    assert [s["geonameid"] for s in json.loads(near.stdout)["stops"]] == [4951788, 4975802]
    point = runner.invoke(
        app, ["map", "-s", "Perth, Paris", "--near", "55.95,-3.19", "--no-rail", "-o", out,
              "--json"],
    )  # fmt: skip
    assert json.loads(point.stdout)["stops"][0]["country"] == "GB"
    bad = runner.invoke(app, ["map", "-s", "A@0,0, B@1,1", "--country", "GBR", "-o", out])
    assert bad.exit_code == 2
    assert "two-letter ISO code" in _one_line_error(bad)


def test_map_modes_for_typed_stops(runner: CliRunner, tmp_path: Path) -> None:
    out = str(tmp_path / "m.html")
    args = ["--rail-network", str(SMALL_NETWORK), "-o", out, "--json"]
    result = runner.invoke(app, ["map", "-s", "A@0,0 >plane> B@1,1 >train> C@0,2", *args])
    assert result.exit_code == 0, result.output
    legs = json.loads(result.stdout)["legs"]
    assert [leg["mode"] for leg in legs] == ["plane", "train"]
    assert legs[0]["rail_note"] == "plane leg: not routed on rail"
    assert legs[1]["rail_km"] == pytest.approx(221.894, abs=0.01)
    flags = runner.invoke(app, ["map", "-s", "A@0,0, B@1,1, C@0,2", "--modes", "plane,", *args])
    assert [leg["mode"] for leg in json.loads(flags.stdout)["legs"]] == ["plane", "unknown"]
    bad = runner.invoke(app, ["map", "-s", "A@0,0, B@1,1", "--modes", "rocket", "-o", out])
    assert bad.exit_code == 2
    assert "unknown mode 'rocket'" in _one_line_error(bad)
    count = runner.invoke(app, ["map", "-s", "A@0,0, B@1,1", "--modes", "plane,car", "-o", out])
    assert count.exit_code == 2
    assert "1 legs but 2 modes" in _one_line_error(count)


def test_map_with_text_and_stops_keeps_the_texts_modes(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(
        app, ["map", str(SEED_TEXT), "-s", "Pyongyang, Dong Dang, Hanoi", "--no-rail",
              "-o", str(tmp_path / "m.html"), "--json"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [leg["mode"] for leg in json.loads(result.stdout)["legs"]] == ["train", "car"]


def test_suggestions_can_be_typed_back(runner: CliRunner, tmp_path: Path) -> None:
    result = runner.invoke(app, ["map", "-s", "Perth (FR), Paris", "-o", str(tmp_path / "m.html")])
    assert result.exit_code == 1
    line = _one_line_error(result)
    assert "did you mean Perth (Western Australia) or Perth (GB) or " in line
    again = runner.invoke(app, ["geocode", "Perth (Western Australia)", "Perth (GB)", "--json"])
    doc = json.loads(again.stdout)
    assert [doc[q][0]["geonameid"] for q in doc] == [2063523, 2640358]


def test_geocode_shows_the_region_and_the_typed_form(runner: CliRunner) -> None:
    result = runner.invoke(app, ["geocode", "-n", "5", "Springfield"])
    assert result.exit_code == 0, result.output
    header = result.stdout.splitlines()[1]
    assert "Region" in header
    assert "Type as" in header
    rows = [line for line in result.stdout.splitlines() if "Springfield (" in line]
    assert len(rows) == 5
    assert "Missouri" in rows[0]
    assert "Springfield (Missouri)" in rows[0]
    assert "Illinois" in rows[2]
    doc = json.loads(runner.invoke(app, ["geocode", "-n", "2", "Springfield", "--json"]).stdout)
    assert [r["region"] for r in doc["Springfield"]] == ["Missouri", "Massachusetts"]
    assert doc["Springfield"][0]["typed"] == "Springfield (Missouri)"
    assert doc["Springfield"][0]["admin1"] == "MO"  # the old keys stay


def test_geocode_takes_an_online_geocoder(runner: CliRunner, tmp_path: Path) -> None:
    from .loopback import GeocoderServer

    server = GeocoderServer()
    try:
        result = runner.invoke(
            app,
            ["geocode", "Pyongyang", "--json", "--geocoder", "nominatim", "--geocoder-url",
             server.url, "--user-agent", "t (t@example.org)", "--no-cache"],
        )  # fmt: skip
    finally:
        server.close()
    assert result.exit_code == 0, result.output
    (record,) = json.loads(result.stdout)["Pyongyang"]
    assert (record["lat"], record["lon"], record["source"]) == (39.0167, 125.7475, "nominatim")
    assert [query for _, query, _ in server.requests] == ["Pyongyang"]
    missing = runner.invoke(app, ["geocode", "Hanoi", "--geocoder", "nominatim"],
                            env={"ROUTE_USER_AGENT": None})  # fmt: skip
    assert missing.exit_code == 1
    assert "requires a real user agent" in _one_line_error(missing)


# -- values turned into their types without pydantic (route.cli._QuickCoercion) ----------


def _coerced(coercion: object, value: object, param: object) -> object:
    import typer

    ctx = typer.Context(typer.main.get_command(app))
    try:
        return coercion.coerce(value, param=param, ctx=ctx)  # type: ignore[attr-defined]
    except Exception as exc:  # the error typer gives, as it gives it
        return (type(exc).__name__, str(exc))


QUICK_VALUES = [
    None,
    "30",
    "0.5",
    "-1",
    "0",
    "1e3",
    " 7",
    "1_000",
    "abc",
    "",
    "-",
    2,
    2.5,
    "kim.html",
]


@pytest.mark.parametrize(
    "name", ["text_file", "output", "max_snap", "retries", "rail_network", "png"]
)
def test_quick_coercion_gives_what_typer_gives(name: str, tmp_path: Path) -> None:
    import typer
    from typer._coercion import build_runtime_param

    from route.cli import _QuickCoercion

    command = typer.main.get_command(app).commands["map"]  # type: ignore[attr-defined]
    (param,) = [p for p in command.params if p.name == name]
    typers = build_runtime_param(param.type_descriptor)
    for value in [*QUICK_VALUES, str(tmp_path), Path("route.html")]:
        assert _coerced(_QuickCoercion(), value, param) == _coerced(typers, value, param), value


def test_map_reads_its_options_without_pydantic(tmp_path: Path) -> None:
    # In a process of its own: pydantic costs a tenth of a second to import.
    code = (
        "import sys\n"
        "from route import cli\n"
        "cli._plan_trip = lambda options, text: sys.exit(0)\n"
        f"sys.argv = ['route', 'map', {str(SEED_TEXT)!r}, '-o', {str(tmp_path / 'k.html')!r},"
        " '--max-snap', '25', '--retries', '3', '--geocoder', 'offline']\n"
        "try:\n"
        "    cli.main()\n"
        "finally:\n"
        "    print('pydantic' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=120
    )
    assert (result.returncode, result.stdout.strip()) == (0, "False"), result.stderr


def test_the_cli_imports_folium_with_templates_compiled_on_first_use(
    gazetteer: Gazetteer, tmp_path: Path
) -> None:
    # In processes of their own (folium is imported here already): the same map either
    # way, and jinja2 as it was once folium is imported.
    code = (
        "import re, sys, jinja2\n"
        "from route import cli\n"
        "new = jinja2.Template.__dict__['__new__']\n"
        "if sys.argv[1] == 'lazy':\n"
        "    cli._import_folium()\n"
        "    import folium\n"
        "    assert type(folium.Marker._template).__name__ == '_LazyTemplate'\n"
        "    assert jinja2.Template.__dict__['__new__'] is new\n"
        "    assert type(jinja2.Template('{{ 6 * 7 }}')) is jinja2.Template\n"
        "from route import plan\n"
        "from route.mapping import render_html\n"
        f"trip = plan(stops={SEED!r})\n"
        "page = render_html(trip)\n"
        "print(re.sub('[0-9a-f]{32}', 'ID', page))\n"
    )
    pages = []
    for how in ("lazy", "as-is"):
        result = subprocess.run(
            [sys.executable, "-c", code, how],
            capture_output=True,
            text=True,
            check=False,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        pages.append(result.stdout)
    assert pages[0] == pages[1]
    assert pages[0].count("L.marker(") == 4


def test_a_tables_title_shows_no_control_characters(runner: CliRunner, tmp_path: Path) -> None:
    named = tmp_path / "a\x1b[31mred\u202e.txt"
    named.write_text("The train left Hanoi for Hue.", encoding="utf-8")
    result = runner.invoke(app, ["places", str(named)])
    assert result.exit_code == 0, result.output
    assert "\x1b[31m" not in result.stdout
    assert "\u202e" not in result.stdout


def test_plain_table_pads_wide_characters_by_their_cells() -> None:
    from route.cli import _plain_table

    text = _plain_table("", ("Name", "km"), [("東京", "1"), ("Lyon", "22")], frozenset({"km"}))
    assert text.splitlines() == ["Name  km", "----  --", "東京   1", "Lyon  22"]


def test_a_drawn_tables_cells_show_no_control_characters() -> None:
    import io

    from route.cli import _console, _print_table

    console = _console()
    console.file = io.StringIO()
    _print_table(console, "T", ("Cue",), [("x\x1b[31mred\u202e",)])
    drawn = console.file.getvalue()
    assert "\x1b" not in drawn
    assert "\u202e" not in drawn
    assert "x\ufffd[31mred\ufffd" in drawn
