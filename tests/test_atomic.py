from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from route._atomic import atomic_write_text, check_writable
from route.errors import OutputError, RouteError


def test_writes_and_replaces(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    atomic_write_text(target, "first")
    atomic_write_text(target, "second")
    assert target.read_text() == "second"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_new_file_respects_the_umask_and_keeps_an_old_mode(tmp_path: Path) -> None:
    target = tmp_path / "map.html"
    old = os.umask(0o022)
    try:
        atomic_write_text(target, "x")
    finally:
        os.umask(old)
    assert target.stat().st_mode & 0o777 == 0o644
    target.chmod(0o600)
    atomic_write_text(target, "y")
    assert target.stat().st_mode & 0o777 == 0o600


@pytest.mark.parametrize("interruption", [KeyboardInterrupt, OSError])
def test_failure_mid_write_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, interruption: type[BaseException]
) -> None:
    target = tmp_path / "map.html"
    target.write_text("previous map")

    def boom(fd: int) -> None:
        raise interruption(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", boom)
    with pytest.raises((KeyboardInterrupt, OutputError)):
        atomic_write_text(target, "half" * 1000)
    assert target.read_text() == "previous map"
    assert [p.name for p in tmp_path.iterdir()] == ["map.html"]


def test_missing_directory(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="does not exist") as info:
        atomic_write_text(tmp_path / "nope" / "map.html", "x")
    assert isinstance(info.value, OSError)
    assert isinstance(info.value, RouteError)
    assert not (tmp_path / "nope").exists()


def test_directory_as_target(tmp_path: Path) -> None:
    with pytest.raises(OutputError, match="is a directory"):
        check_writable(tmp_path)


@pytest.mark.skipif(sys.platform != "linux", reason="uses /proc, which never accepts new files")
def test_unwritable_directory_leaves_nothing() -> None:
    with pytest.raises(OutputError, match="cannot write"):
        atomic_write_text("/proc/route-test-map.html", "x")
    assert not Path("/proc/route-test-map.html").exists()
