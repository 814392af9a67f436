"""Run benchmark processes and measure each one: wall time, CPU time and peak RSS.

Shared by the benchmarks in this folder (not part of the package). Peak RSS comes
from ``os.wait4`` (the kernel's ``ru_maxrss`` of that one child), so several
processes started together are measured one by one.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One finished process."""

    wall_s: float
    cpu_s: float
    peak_mb: float
    returncode: int
    stdout: str = ""
    stderr: str = ""


def run_together(
    argvs: list[list[str]],
    env: dict[str, str],
    *,
    cwd: Path | None = None,
    timeout: float = 1800.0,
    stdout_path: Path | None = None,
) -> list[Run]:
    """Start every argv at once and wait for all; one :class:`Run` each, in order.

    Output goes to temporary files (kept in :attr:`Run.stdout` and ``stderr``), or
    stdout to ``stdout_path`` (with the process number appended) for large outputs.
    A process still running after ``timeout`` seconds is killed (return code -9).
    """
    started = time.perf_counter()
    procs = []
    files = []
    for number, argv in enumerate(argvs):
        if stdout_path is not None:
            out = open(f"{stdout_path}.{number}", "wb")  # noqa: SIM115
        else:
            out = tempfile.TemporaryFile()  # noqa: SIM115
        err = tempfile.TemporaryFile()  # noqa: SIM115
        files.append((out, err))
        procs.append(
            subprocess.Popen(
                argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
            )
        )
    index = {p.pid: i for i, p in enumerate(procs)}
    runs: dict[int, Run] = {}
    while len(runs) < len(procs):
        pid, status, usage = os.wait4(-1, os.WNOHANG)
        if pid == 0:
            if time.perf_counter() - started > timeout:
                for p in procs:
                    if p.pid not in runs:
                        p.kill()
            time.sleep(0.02)
            continue
        if pid not in index:
            continue
        i = index[pid]
        procs[i].returncode = os.waitstatus_to_exitcode(status)
        out, err = files[i]
        texts = []
        for handle in (out, err):
            if handle.name == f"{stdout_path}.{i}":
                texts.append("")
                continue
            handle.seek(0)
            texts.append(handle.read().decode(errors="replace"))
        runs[pid] = Run(
            wall_s=time.perf_counter() - started,
            cpu_s=usage.ru_utime + usage.ru_stime,
            peak_mb=usage.ru_maxrss / 1024,
            returncode=procs[i].returncode,
            stdout=texts[0],
            stderr=texts[1],
        )
    for out, err in files:
        out.close()
        err.close()
    return [runs[p.pid] for p in procs]


def run_one(argv: list[str], env: dict[str, str], **kwargs: object) -> Run:
    """Run one process and measure it."""
    return run_together([argv], env, **kwargs)[0]  # type: ignore[arg-type]


def median(values: list[float]) -> float:
    """The median (0 for no values)."""
    return statistics.median(values) if values else 0.0


def export_tree(rev: str, into: Path) -> Path:
    """The ``route`` package of git revision ``rev`` unpacked under ``into`` (for PYTHONPATH)."""
    into.mkdir(parents=True, exist_ok=True)
    archive = subprocess.run(
        ["git", "archive", rev, "route"], cwd=ROOT, check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


#: CPU seconds of the last :func:`run_tree` (the process and its waited-for children).
LAST_CPU_S = [0.0]


class TreeSampler:
    """Peak RSS of a process and all its descendants (sampled with psutil), for runs
    that start workers: their own peaks do not show in the parent's ``ru_maxrss``."""

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_total_mb = 0.0
        self.peak_one_mb = 0.0
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def watch(self, pid: int) -> None:
        """Sample ``pid``'s tree in a thread until :meth:`stop`."""
        import psutil

        def loop() -> None:
            try:
                root = psutil.Process(pid)
            except psutil.Error:
                return
            while not self._stop.is_set():
                total = 0.0
                try:
                    procs = [root, *root.children(recursive=True)]
                except psutil.Error:
                    break
                for proc in procs:
                    try:
                        rss = proc.memory_info().rss / 2**20
                    except psutil.Error:
                        continue
                    total += rss
                    self.peak_one_mb = max(self.peak_one_mb, rss)
                self.peak_total_mb = max(self.peak_total_mb, total)
                time.sleep(self.interval)

        self._thread = threading.Thread(target=loop, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop sampling."""
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


def run_tree(
    argv: list[str],
    env: dict[str, str],
    *,
    cwd: Path | None = None,
    stdout_path: Path | None = None,
) -> tuple[float, float, float, int, str]:
    """Run one process; return wall s, peak RSS of the whole tree and of its largest
    process (MB, sampled), its return code and its stderr. CPU seconds of the tree
    (the process and the children it waited for) are in :data:`LAST_CPU_S`."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.DEVNULL  # noqa: SIM115
    err = tempfile.TemporaryFile()  # noqa: SIM115
    started = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdin=subprocess.DEVNULL, stdout=out, stderr=err
    )
    sampler = TreeSampler()
    sampler.watch(proc.pid)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - started
    sampler.stop()
    proc.returncode = os.waitstatus_to_exitcode(status)
    if stdout_path:
        out.close()  # type: ignore[union-attr]
    err.seek(0)
    stderr = err.read().decode(errors="replace")
    err.close()
    one = max(sampler.peak_one_mb, usage.ru_maxrss / 1024)
    LAST_CPU_S[0] = usage.ru_utime + usage.ru_stime
    return wall, max(sampler.peak_total_mb, one), one, proc.returncode, stderr
