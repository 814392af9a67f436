"""Fetch the default rail network from Natural Earth (opt-in: ``route rail download``).

Besides :mod:`route.geocode`, this is the only module that opens network
connections, and only when asked. The file is downloaded to a ``.part.zip`` file
beside the target, resumed with HTTP ranges after a dropped connection,
validated (a zip whose members pass their CRC check and that holds railway
lines a GIS reader can open, or the expected SHA-256), then renamed into
place. A failed download leaves nothing behind.
"""

from __future__ import annotations

import contextlib
import hashlib
import http.client
import os
import time
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path

from .errors import RailNetworkError

__all__ = ["NATURAL_EARTH_RAILROADS_URL", "DownloadError", "download_network"]

#: Natural Earth's official distribution of the 10m railroads (public domain).
NATURAL_EARTH_RAILROADS_URL = "https://naciscdn.org/naturalearth/10m/cultural/ne_10m_railroads.zip"
_CHUNK = 1 << 16


class DownloadError(RailNetworkError):
    """The network file could not be downloaded or is not what it claims to be."""


def _validate(path: Path, sha256: str | None) -> None:
    if sha256:
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != sha256.lower():
            raise DownloadError(f"downloaded file has SHA-256 {digest}, expected {sha256}")
    try:
        with zipfile.ZipFile(path) as archive:
            bad = archive.testzip()
            names = archive.namelist()
    except zipfile.BadZipFile as exc:
        raise DownloadError("the downloaded file is not a zip archive") from exc
    if bad is not None:
        raise DownloadError(f"the downloaded archive is damaged ({bad} fails its CRC check)")
    if not any(n.lower().endswith((".shp", ".geojson", ".gpkg")) for n in names):
        raise DownloadError("the downloaded archive holds no Shapefile, GeoJSON or GeoPackage")
    from .rail import read_network_lines

    try:
        read_network_lines(path)
    except RailNetworkError as exc:
        raise DownloadError(f"the downloaded archive holds no usable railway lines: {exc}") from exc


def download_network(
    url: str,
    target: str | os.PathLike[str],
    *,
    sha256: str | None = None,
    retries: int = 4,
    timeout: float = 30.0,
    backoff: float = 1.0,
    progress: Callable[[int, int | None], None] | None = None,
) -> Path:
    """Download ``url`` to ``target`` atomically, resuming after dropped connections.

    Parameters
    ----------
    url
        http(s) URL of a zipped network (Natural Earth's by default in the CLI).
    target
        Final path; its directory is created.
    sha256
        Expected checksum, if known.
    retries
        Further attempts after a failed one; each resumes where the last stopped.
    timeout
        Seconds to wait for the server on each read.
    backoff
        Seconds before the first retry, doubled for each later one.
    progress
        Called with ``(bytes_done, bytes_total_or_None)``.

    Raises
    ------
    DownloadError
        After the last retry, or when the file fails validation; no file is left.
    """
    if not url.startswith(("http://", "https://")):
        raise DownloadError(f"{url!r} is not an http(s) URL")
    final = Path(target)
    try:
        final.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create {final.parent}: {exc.strerror}") from exc
    # Same suffix as the target, so the validating GIS reader knows the format.
    part = final.with_name(f"{final.stem}.part{final.suffix}")
    with contextlib.suppress(FileNotFoundError):
        part.unlink()
    try:
        _fetch(url, part, retries=retries, timeout=timeout, backoff=backoff, progress=progress)
        _validate(part, sha256)
        os.replace(part, final)
    finally:
        with contextlib.suppress(FileNotFoundError):
            part.unlink()
    return final


def _fetch(
    url: str,
    part: Path,
    *,
    retries: int,
    timeout: float,
    backoff: float,
    progress: Callable[[int, int | None], None] | None,
) -> None:
    last_error = "no attempt made"
    for attempt in range(retries + 1):
        if attempt:
            time.sleep(backoff * 2 ** (attempt - 1))
        have = part.stat().st_size if part.exists() else 0
        request = urllib.request.Request(url, headers={"User-Agent": "route (rail download)"})
        if have:
            request.add_header("Range", f"bytes={have}-")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                status = response.status
                if have and status != 206:
                    have = 0  # the server ignored the range: start again
                length = response.headers.get("Content-Length")
                total = have + int(length) if length is not None else None
                with part.open("ab" if have else "wb") as fh:
                    done = have
                    while chunk := response.read(_CHUNK):
                        fh.write(chunk)
                        done += len(chunk)
                        if progress:
                            progress(done, total)
                if total is not None and done < total:
                    last_error = f"connection closed after {done:,} of {total:,} bytes"
                    continue
                return
        except urllib.error.HTTPError as exc:
            if exc.code == 416 and have:  # range not satisfiable: restart from zero
                part.unlink()
                last_error = "server refused to resume"
                continue
            if exc.code < 500 and exc.code != 429:
                raise DownloadError(f"{url} answered HTTP {exc.code} {exc.reason}") from exc
            last_error = f"HTTP {exc.code} {exc.reason}"
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            # refused, reset, timed out, closed early
            reason = getattr(exc, "reason", exc)
            last_error = f"{type(exc).__name__}: {reason}"
    raise DownloadError(f"download of {url} failed after {retries + 1} attempts ({last_error})")
