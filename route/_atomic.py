"""Atomic file output: a failed or interrupted run never leaves a half-written file.

The outputs of one run are committed together (:func:`atomic_write_many`). Each
file is first written in full to a temp file beside its target (flushed and
synced); only when every one is complete are they renamed into place, one
after the other, with SIGINT, SIGTERM and SIGHUP held back until the last
rename is done. If a rename fails, the files already renamed get their previous
contents back. So either every target has its new contents or none has changed
(short of a power loss or SIGKILL in the microseconds between two renames).

Temp files are named ``.NAME.PID.XXXXXXXX.tmp`` (``.bak`` for the previous
version kept during a commit). A write to ``NAME`` first removes the stale ones
of earlier runs: those whose process is gone, and any older than a day. Scratch
directories (:func:`temp_work_dir`) are cleaned the same way.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import shutil
import signal
import stat
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import OutputError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_many",
    "atomic_write_text",
    "check_writable",
    "kept_json",
    "remove_stale_temps",
    "resolve_output",
    "temp_work_dir",
]

#: A temp file of a process that is gone is stale at once; any temp file after this long.
STALE_AFTER_S = 24 * 3600
#: Temp files named by older versions (no process id): stale after this long.
LEGACY_STALE_AFTER_S = 3600

#: Signals held back while a commit renames its files.
_HELD_SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _temp_pattern(name: str) -> re.Pattern[str]:
    """Names of route's temp files for target ``name``: current and older versions."""
    suffix = r"(?:tmp|bak|probe)"
    return re.compile(
        rf"^\.{re.escape(name)}\."
        rf"(?:(?P<pid>\d+)\.[a-z0-9_]{{8}}\.{suffix}"  # .NAME.PID.XXXXXXXX.tmp
        rf"|[a-z0-9_]{{8}}\.{suffix}"  # .NAME.XXXXXXXX.tmp (mkstemp, no pid)
        rf"|\d+\.tmp)$"  # .NAME.PID.tmp (older --png)
    )


def _alive(pid: int) -> bool:
    """Whether process ``pid`` runs on this machine (``True`` when unsure)."""
    if pid == os.getpid() or os.name != "posix":
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process
        return True
    return True


def remove_stale_temps(path: str | os.PathLike[str]) -> list[Path]:
    """Remove the temp files earlier runs left beside ``path`` (killed mid-write).

    Only route's own temp files for this very name are touched: those of a
    process that no longer runs, those without a process id older than an hour,
    and any older than a day. Files that cannot be removed are left alone.

    Parameters
    ----------
    path
        The output file whose leftovers to remove.

    Returns
    -------
    list of Path
        The files removed.
    """
    target = Path(path)
    pattern = _temp_pattern(target.name)
    removed: list[Path] = []
    now = time.time()
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return removed
    for entry in entries:
        match = pattern.match(entry.name)
        if match is None:
            continue
        try:
            age = now - entry.stat(follow_symlinks=False).st_mtime
        except OSError:
            continue
        pid = match["pid"]
        if pid is not None:
            stale = age > STALE_AFTER_S or not _alive(int(pid))
        else:
            stale = age > LEGACY_STALE_AFTER_S
        if stale:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)
                removed.append(Path(entry.path))
    return removed


@contextlib.contextmanager
def temp_work_dir(prefix: str) -> Iterator[Path]:
    """A private scratch directory, removed afterwards, however the block ends.

    It is ``PREFIXPID-XXXXXXXX`` in the system temp directory. Stale ones of
    earlier runs (killed before they could clean up: their process is gone, or
    they are older than a day) are removed first.

    Parameters
    ----------
    prefix
        The start of the directory's name, e.g. ``"route-chromium-"``.

    Yields
    ------
    Path
        The new, empty directory (mode ``0o700``).
    """
    base = Path(tempfile.gettempdir())
    pattern = re.compile(rf"^{re.escape(prefix)}(?P<pid>\d+)-[a-z0-9_]{{8}}$")
    now = time.time()
    with contextlib.suppress(OSError):
        for entry in os.scandir(base):
            match = pattern.match(entry.name)
            if match is None or not entry.is_dir(follow_symlinks=False):
                continue
            age = now - entry.stat(follow_symlinks=False).st_mtime
            if age > STALE_AFTER_S or not _alive(int(match["pid"])):
                shutil.rmtree(entry.path, ignore_errors=True)
    work = Path(tempfile.mkdtemp(prefix=f"{prefix}{os.getpid()}-", dir=base))
    try:
        yield work
    finally:
        shutil.rmtree(work, ignore_errors=True)


def resolve_output(path: str | os.PathLike[str]) -> Path:
    """The file that writing to ``path`` replaces: a symbolic link is followed.

    Writing through a link updates the file it points to and keeps the link.
    """
    target = Path(path)
    if target.is_symlink():
        return Path(os.path.realpath(target))
    return target


def _is_stream(target: Path) -> bool:
    """A character device (``/dev/null``) or a named pipe: written directly, not renamed."""
    try:
        mode = target.stat().st_mode
    except OSError:
        return False
    return stat.S_ISCHR(mode) or stat.S_ISFIFO(mode)


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Fail early, before slow work, if ``path`` cannot be written.

    Returns
    -------
    Path
        The file that will be written (``path``, or the file a link there points to).

    Raises
    ------
    OutputError
        When ``path`` is a directory or a special file other than a character
        device or pipe, when its directory is missing (or a file), or when the
        directory is not writable.
    """
    target = resolve_output(path)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a directory; give a file name")
    if target.exists() and not target.is_file():
        if _is_stream(target):
            return target
        raise OutputError(f"cannot write {target}: it is not a regular file; give a file name")
    parent = target.parent
    if not parent.is_dir():
        existing = parent
        while not existing.exists() and existing != existing.parent:
            existing = existing.parent
        if existing.exists() and not existing.is_dir():
            raise OutputError(
                f"cannot write {target}: {existing} is a file, not a directory; "
                "choose another directory"
            )
        raise OutputError(
            f"cannot write {target}: directory {parent} does not exist; create it first"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write {target}: no permission to write in {parent}; choose another directory"
        )
    try:  # the real test: can a file be created there?
        fd, probe = tempfile.mkstemp(
            dir=parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".probe"
        )
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror}; choose a directory you can write to"
        ) from exc
    os.close(fd)
    os.unlink(probe)
    return target


@dataclass
class _Staged:
    """A complete temp file waiting to be renamed over its target."""

    target: Path
    tmp: Path
    backup: Path | None = None


def _encode(target: Path, data: str | bytes) -> bytes:
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise OutputError(
            f"cannot write {target}: the text holds {data[exc.start]!r}, which is not valid "
            "Unicode (undecodable bytes in an argument?)"
        ) from None


def _stage(target: Path, data: bytes) -> _Staged:
    """Write ``data`` to a synced temp file beside ``target``, with the target's mode."""
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        fd, tmp_name = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.{os.getpid()}.", suffix=".tmp"
        )
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror}; choose a directory you can write to"
        ) from exc
    staged = _Staged(target, Path(tmp_name))
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(staged.tmp, mode)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            staged.tmp.unlink()
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
        raise
    return staged


def _keep_backup(item: _Staged) -> None:
    """Keep the target's current version beside it (a hard link, else a copy)."""
    if not item.target.exists():
        return
    while True:
        backup = item.target.with_name(
            f".{item.target.name}.{os.getpid()}.{secrets.token_hex(4)}.bak"
        )
        try:
            os.link(item.target, backup)
        except FileExistsError:
            continue
        except OSError:  # no hard links here
            shutil.copy2(item.target, backup)
        item.backup = backup
        return


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back SIGINT, SIGTERM and SIGHUP; they arrive when the block ends.

    Python runs signal handlers in the main thread only, so there the handlers
    are swapped for one that notes the signal, which is raised again once the
    old handlers are back. (A signal mask would not do: the kernel hands a
    process's signal to any thread that does not block it.) Elsewhere no
    handler can interrupt the block, and nothing needs holding.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def note(signum: int, frame: object) -> None:
        pending.append(signum)

    previous: dict[int, Any] = {}
    try:
        for held in _HELD_SIGNALS:
            handler = signal.getsignal(held)
            if handler is not None:  # None: a handler set outside Python, left alone
                previous[held] = signal.signal(held, note)
        yield
    finally:
        for held, handler in previous.items():
            signal.signal(held, handler)
        for signum in dict.fromkeys(pending):
            signal.raise_signal(signum)  # to the handler in place again


def _sync_directories(items: Sequence[_Staged]) -> None:
    """Make the renames durable (best effort: not every system syncs directories)."""
    for directory in {item.target.parent for item in items}:
        with contextlib.suppress(OSError):
            fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)


def _commit(staged: Sequence[_Staged]) -> None:
    """Rename every temp file over its target; on a failure, restore those already done."""
    with _signals_held():
        if len(staged) > 1:
            for item in staged:
                try:
                    _keep_backup(item)
                except OSError as exc:
                    raise OutputError(
                        f"cannot write {item.target}: {exc.strerror}; no output was changed"
                    ) from exc
        done: list[_Staged] = []
        for item in staged:
            try:
                os.replace(item.tmp, item.target)
            except OSError as exc:
                for previous in reversed(done):
                    with contextlib.suppress(OSError):
                        if previous.backup is not None:
                            os.replace(previous.backup, previous.target)
                        else:
                            previous.target.unlink()
                changed = "; no output was changed" if len(staged) > 1 else ""
                raise OutputError(f"cannot write {item.target}: {exc.strerror}{changed}") from exc
            done.append(item)
    _sync_directories(staged)


def _write_stream(target: Path, data: bytes) -> None:
    try:
        with open(target, "wb") as fh:
            fh.write(data)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc


def atomic_write_many(outputs: Sequence[tuple[str | os.PathLike[str], str | bytes]]) -> list[Path]:
    """Write several files all-or-nothing: each complete, or none changed.

    Every file is written to a synced temp file beside its target before any
    target is touched; then all are renamed into place with SIGINT, SIGTERM and
    SIGHUP held back, and a failed rename puts the previous versions back. On
    any failure (including ``KeyboardInterrupt`` while writing) the temp files
    are removed and existing targets are left untouched. A new file gets
    ``0o666`` less the umask, a replaced one keeps its mode; a symbolic link is
    followed (the file it points to is replaced). A character device or a named
    pipe (``/dev/null``) is written directly, after the files. Stale temp files
    of earlier runs beside each target are removed first.

    Parameters
    ----------
    outputs
        ``(path, contents)`` pairs; text is written as UTF-8, bytes as they are.

    Returns
    -------
    list of Path
        The files written, in the order given.

    Raises
    ------
    OutputError
        A directory is missing or not writable, the disk is full, a path is
        given twice, or text holds lone surrogates; nothing was changed.
    """
    targets = [check_writable(path) for path, _ in outputs]
    seen: dict[Path, Path] = {}
    for target in targets:
        key = Path(os.path.realpath(target))
        if key in seen:
            raise OutputError(f"cannot write {target} twice in one run; give each output a name")
        seen[key] = target
    data = [
        _encode(target, contents) for target, (_, contents) in zip(targets, outputs, strict=True)
    ]
    files = [(t, d) for t, d in zip(targets, data, strict=True) if not _is_stream(t)]
    streams = [(t, d) for t, d in zip(targets, data, strict=True) if _is_stream(t)]
    staged: list[_Staged] = []
    try:
        for target, contents in files:
            remove_stale_temps(target)
            staged.append(_stage(target, contents))
        _commit(staged)
    finally:
        for item in staged:
            for leftover in (item.tmp, item.backup):
                if leftover is not None:
                    with contextlib.suppress(OSError):
                        leftover.unlink()
    for target, contents in streams:
        _write_stream(target, contents)
    return targets


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (see :func:`atomic_write_many`).

    Raises
    ------
    OutputError
        When the directory is missing or not writable, or the disk is full.
    """
    return atomic_write_many([(path, data)])[0]


def atomic_write_text(path: str | os.PathLike[str], text: str) -> Path:
    """Write ``text`` (UTF-8) to ``path`` through a temp file in the same directory.

    The temp file is flushed, synced and renamed over ``path``; on any failure
    (including ``KeyboardInterrupt``) it is removed and an existing ``path`` is
    left untouched. The new file gets the old file's mode, or ``0o666`` less
    the umask.

    Raises
    ------
    OutputError
        When the directory is missing or not writable, or the disk is full.
    """
    return atomic_write_many([(path, text)])[0]


def kept_json(path: Path, build: Callable[[], Any], sound: Callable[[Any], bool]) -> Any:
    """A document derived from installed data, kept as JSON at ``path`` (a cache file).

    The kept document if it reads and is ``sound``; else ``build()``, written to ``path``
    atomically for the next run. A missing, damaged or unsound file is built again; a
    cache that cannot be written only costs the build each time.
    """
    import json

    try:
        kept = json.loads(path.read_text(encoding="utf-8"))
        if sound(kept):
            return kept
    except (OSError, ValueError):
        pass  # missing or damaged: built again
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write_text(path, json.dumps(built, separators=(",", ":")))
    except OSError:
        pass  # a read-only cache only costs time
    return built
