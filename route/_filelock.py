"""An exclusive lock on a small file, shared by threads and processes (``fcntl.flock``).

The lock file may also hold a little state (a timestamp), read and written while the
lock is held. Where ``fcntl`` is missing (Windows), the lock only covers the threads of
this process.
"""

from __future__ import annotations

import contextlib
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

__all__ = ["LockedFile", "locked_file"]

_THREAD_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


def _thread_lock(path: Path) -> threading.Lock:
    with _GUARD:
        return _THREAD_LOCKS.setdefault(str(path), threading.Lock())


class LockedFile:
    """The content of a locked file; valid only inside :func:`locked_file`.

    Parameters
    ----------
    fd
        The open file descriptor of the locked file.
    """

    def __init__(self, fd: int) -> None:
        self._fd = fd

    def read(self, limit: int = 256) -> str:
        """The file's text (at most ``limit`` bytes; undecodable bytes are replaced)."""
        return os.pread(self._fd, limit, 0).decode("utf-8", "replace")

    def write(self, text: str) -> None:
        """Replace the file's content with ``text``."""
        data = text.encode()
        os.pwrite(self._fd, data, 0)
        os.ftruncate(self._fd, len(data))


@contextlib.contextmanager
def locked_file(path: Path, *, on_wait: Callable[[], None] | None = None) -> Iterator[LockedFile]:
    """Hold an exclusive lock on ``path`` (created if missing) for the ``with`` block.

    Parameters
    ----------
    path
        The lock file; its directory is created if needed.
    on_wait
        Called once, before blocking, when another thread or process holds the lock.

    Raises
    ------
    OSError
        The file cannot be created or opened.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    thread_lock = _thread_lock(path)
    if not thread_lock.acquire(blocking=False):
        if on_wait is not None:
            on_wait()
            on_wait = None
        thread_lock.acquire()
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                import fcntl
            except ImportError:  # pragma: no cover - Windows: this process only
                yield LockedFile(fd)
                return
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                if on_wait is not None:
                    on_wait()
                fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                yield LockedFile(fd)
            finally:
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)
    finally:
        thread_lock.release()
