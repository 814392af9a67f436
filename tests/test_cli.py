from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from route import __version__
from route.cli import app
from route.gazetteer import Gazetteer

from .conftest import SEED_STOPS

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
    result = runner.invoke(app, ["map", "--stops", SEED, "-o", str(out), "--json", str(js)])
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
        app, ["map", "--stops", "Pyongyang, Hanoi", "-o", str(tmp_path / "m.html"), "--json", "-"]
    )
    assert result.exit_code == 0
    doc = json.loads(result.stdout)
    assert doc["totals"]["direct_km"] == pytest.approx(2757.7, abs=0.5)


def _one_line_error(result: object) -> str:
    stderr = result.stderr  # type: ignore[attr-defined]
    lines = stderr.strip().splitlines()
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
    assert re.fullmatch(r"building gazetteer index \(first run only\)… \d+\.\d s\n", result.stderr)
    assert "1581130" in result.stdout
