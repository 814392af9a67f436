"""Atomic file output: a failed or interrupted run never leaves a half-written file."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import OutputError

__all__ = ["atomic_write_text", "check_writable"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_writable(path: str | os.PathLike[str]) -> Path:
    """Fail early, before slow work, if ``path`` cannot be written.

    Raises
    ------
    OutputError
        When ``path`` is a directory, or its directory is missing or not writable.
    """
    target = Path(path)
    if target.is_dir():
        raise OutputError(f"cannot write {target}: it is a directory; give a file name")
    parent = target.parent
    if not parent.is_dir():
        raise OutputError(
            f"cannot write {target}: directory {parent} does not exist; create it first"
        )
    if not os.access(parent, os.W_OK | os.X_OK):
        raise OutputError(
            f"cannot write {target}: no permission to write in {parent}; choose another directory"
        )
    try:  # the real test: can a file be created there?
        fd, probe = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".probe")
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror}; choose a directory you can write to"
        ) from exc
    os.close(fd)
    os.unlink(probe)
    return target


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
    target = check_writable(path)
    parent = target.parent
    try:
        mode = target.stat().st_mode & 0o7777
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
    try:
        fd, tmp_name = tempfile.mkstemp(dir=parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        raise OutputError(
            f"cannot write {target}: {exc.strerror}; choose a directory you can write to"
        ) from exc
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except OSError as exc:
        raise OutputError(f"cannot write {target}: {exc.strerror}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
    return target
