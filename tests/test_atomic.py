from __future__ import annotations

import errno
import json
import os
import signal
import stat
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from route._atomic import (
    atomic_write_many,
    atomic_write_text,
    check_writable,
    kept_json,
    temp_work_dir,
)
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


# -- several files, all or nothing (issue 13, items 6 and 8) -------------------------------


def _dead_pid() -> int:
    """The id of a process that has ended."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def test_many_writes_all(tmp_path: Path) -> None:
    written = atomic_write_many(
        [(tmp_path / "m.html", "map"), (tmp_path / "m.json", "{}"), (tmp_path / "m.png", b"\x89")]
    )
    assert [p.name for p in written] == ["m.html", "m.json", "m.png"]
    assert (tmp_path / "m.png").read_bytes() == b"\x89"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html", "m.json", "m.png"]


def test_many_is_all_or_nothing_when_a_rename_fails(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    html, doc, png = tmp_path / "m.html", tmp_path / "m.json", tmp_path / "m.png"
    html.write_text("old map")
    doc.write_text("old json")
    real_replace = os.replace
    calls: list[object] = []

    def third_rename_fails(src: str, dst: str) -> None:
        calls.append(dst)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", third_rename_fails)
    with pytest.raises(OutputError, match="no output was changed"):
        atomic_write_many([(html, "new map"), (doc, "new json"), (png, b"png")])
    assert html.read_text() == "old map"
    assert doc.read_text() == "old json"
    assert not png.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html", "m.json"]


def test_a_failed_write_changes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    html, doc = tmp_path / "m.html", tmp_path / "m.json"
    html.write_text("old map")
    real_fsync = os.fsync
    calls: list[int] = []

    def second_write_fails(fd: int) -> None:
        calls.append(fd)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, "No space left on device")
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", second_write_fails)
    with pytest.raises(OutputError, match="No space left"):
        atomic_write_many([(html, "new map"), (doc, "new json")])
    assert html.read_text() == "old map"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html"]


@pytest.fixture
def python_sigint() -> Iterator[None]:
    """Python's own SIGINT handler for the test: a process started in the background of
    a shell without job control inherits SIGINT ignored, and Python then keeps it so."""
    before = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, before)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.usefixtures("python_sigint")
def test_an_interrupt_waits_for_the_last_rename(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, signum: int
) -> None:
    html, doc = tmp_path / "m.html", tmp_path / "m.json"
    html.write_text("old map")
    doc.write_text("old json")
    real_replace = os.replace
    seen: list[int] = []

    def rename_then_interrupt(src: str, dst: str) -> None:
        real_replace(src, dst)
        if Path(dst) == html:  # Ctrl-C or kill between the two renames
            os.kill(os.getpid(), signum)
            time.sleep(0.05)  # time for the signal to arrive

    def on_term(number: int, frame: object) -> None:
        seen.append(number)
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, on_term)
    monkeypatch.setattr(os, "replace", rename_then_interrupt)
    # Another thread, which the kernel may hand the signal to.
    done = threading.Event()
    other = threading.Thread(target=done.wait, daemon=True)
    other.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            atomic_write_many([(html, "new map"), (doc, "new json")])
    finally:
        signal.signal(signal.SIGTERM, previous)
        done.set()
        other.join()
    assert html.read_text() == "new map"
    assert doc.read_text() == "new json"  # the signal arrived after both renames
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m.html", "m.json"]
    assert seen == ([signal.SIGTERM] if signum == signal.SIGTERM else [])
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_stale_temp_files_of_this_name_are_removed(tmp_path: Path) -> None:
    dead, alive = _dead_pid(), os.getpid()
    stale = [
        f".map.html.{dead}.abcd1234.tmp",  # a killed run
        f".map.html.{dead}.abcd1234.bak",
        ".map.html.k2j4h5g6.tmp",  # an older version's name, two hours old
        f".map.html.{dead}.tmp",  # an older --png, two hours old
    ]
    kept = [
        f".map.html.{alive}.zzzz9999.tmp",  # a run in progress
        ".map.html.q1w2e3r4.tmp",  # older name, but fresh
        ".map.html.notes.tmp",  # not route's
        f".other.html.{dead}.abcd1234.tmp",  # another output's
        "map.html.bak",
    ]
    two_hours_ago = time.time() - 7200
    for name in stale + kept:
        (tmp_path / name).write_text("x")
        os.utime(tmp_path / name, (two_hours_ago, two_hours_ago))
    os.utime(tmp_path / ".map.html.q1w2e3r4.tmp")  # now
    atomic_write_text(tmp_path / "map.html", "new")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([*kept, "map.html"])


def test_stale_work_directories_are_removed() -> None:
    base = Path(tempfile.gettempdir())
    stale = base / f"route-test-work-{_dead_pid()}-abcd1234"
    stale.mkdir()
    (stale / "profile").mkdir()
    with temp_work_dir("route-test-work-") as work:
        assert work.is_dir()
        assert work.name.startswith(f"route-test-work-{os.getpid()}-")
        assert not stale.exists()
        (work / "scratch").write_text("x")
    assert not work.exists()


def test_parent_that_is_a_file(tmp_path: Path) -> None:
    (tmp_path / "article.txt").write_text("text")
    for target in ("article.txt/map.html", "article.txt/sub/map.html"):
        with pytest.raises(OutputError, match=r"article\.txt is a file, not a directory"):
            check_writable(tmp_path / target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["article.txt"]


def test_a_link_is_followed_and_kept(tmp_path: Path) -> None:
    real = tmp_path / "site" / "map.html"
    real.parent.mkdir()
    real.write_text("old")
    link = tmp_path / "map.html"
    link.symlink_to(real)
    atomic_write_text(link, "new")
    assert link.is_symlink()
    assert real.read_text() == "new"


def test_character_devices_are_written_directly(tmp_path: Path) -> None:
    atomic_write_many([(os.devnull, "map"), (tmp_path / "m.json", "{}")])
    assert stat.S_ISCHR(os.stat(os.devnull).st_mode)
    assert (tmp_path / "m.json").read_text() == "{}"


def test_one_file_twice_or_undecodable_text_is_refused(tmp_path: Path) -> None:
    target = tmp_path / "m.html"
    with pytest.raises(OutputError, match="twice"):
        atomic_write_many([(target, "a"), (tmp_path / "." / "m.html", "b")])
    with pytest.raises(OutputError, match="not valid Unicode"):
        atomic_write_text(target, "caf\udce9")
    assert list(tmp_path.iterdir()) == []


def test_a_kept_document_is_read_back_and_an_unsound_one_built_again(tmp_path: Path) -> None:
    path = tmp_path / "cache" / "derived.json"
    builds: list[int] = []

    def build() -> dict[str, int]:
        builds.append(1)
        return {"n": len(builds)}

    def sound(doc: object) -> bool:
        return isinstance(doc, dict) and isinstance(doc.get("n"), int)

    assert kept_json(path, build, sound) == {"n": 1}
    assert kept_json(path, build, sound) == {"n": 1}  # read back, not built
    path.write_text('{"n": "x"}', encoding="utf-8")
    assert kept_json(path, build, sound) == {"n": 2}
    path.write_text('{"n": 2', encoding="utf-8")  # cut short
    assert kept_json(path, build, sound) == {"n": 3}
    assert json.loads(path.read_text(encoding="utf-8")) == {"n": 3}
    assert len(builds) == 3
