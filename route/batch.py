"""Places in many texts: one pure function per text, run in a process pool or on Dask.

:func:`places_record` reads one text and returns its record: the places it mentions
and its distance claims (a batch reads no journeys: ``route places FILE --json`` does).
It is a module-level function of picklable arguments whose result depends only on
them, so any executor can run it:

- :func:`run_places`, the process pool behind ``route places … --jsonl --workers N``;
- :func:`places_on_dask`, a ``dask.bag`` over files that writes JSON Lines (``pip
  install 'route[dask]'``); the same call runs on a ``dask.distributed`` cluster;
- Ray, or anything else that maps a function over items.

Each worker process opens the gazetteer index once, read-only, and keeps it
(:func:`route.gazetteer.open_shared`): the workers share one index file.
"""

from __future__ import annotations

import functools
import glob
import json
import os
from collections.abc import Collection, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import InputError, MissingDependencyError, TextError

if TYPE_CHECKING:
    from .gazetteer import Gazetteer

__all__ = ["expand_inputs", "json_line", "places_on_dask", "places_record", "run_places"]

#: Suffix of the files a directory argument stands for.
TEXT_SUFFIX = ".txt"
_GLOB_CHARS = frozenset("*?[")


def expand_inputs(arguments: Sequence[str]) -> list[str]:
    """The files that command-line arguments name, in order.

    A file stands for itself and ``-`` for standard input; a directory for the
    ``*.txt`` files under it; a pattern with ``*``, ``?`` or ``[`` for the files it
    matches (``**`` goes through subdirectories). Matches are sorted.

    Raises
    ------
    InputError
        A directory without text files, or a pattern that matches no file.
    """
    out: list[str] = []
    for argument in arguments:
        if argument != "-" and os.path.isdir(argument):
            found = sorted(str(p) for p in Path(argument).rglob(f"*{TEXT_SUFFIX}") if p.is_file())
            if not found:
                raise InputError(f"{argument}: a directory without {TEXT_SUFFIX} files")
            out.extend(found)
        elif _GLOB_CHARS & set(argument) and not os.path.exists(argument):
            found = sorted(p for p in glob.glob(argument, recursive=True) if os.path.isfile(p))
            if not found:
                raise InputError(f"{argument}: no file matches this pattern")
            out.extend(found)
        else:
            out.append(argument)
    return out


def _gazetteer(spec: Any) -> Gazetteer:
    """A gazetteer, or the one in cache directory ``spec`` (default: the user's), opened
    once per process."""
    from .gazetteer import Gazetteer, _index_name, cache_dir, open_shared

    if isinstance(spec, Gazetteer):
        return spec
    directory = Path(spec) if spec is not None else cache_dir()
    return open_shared(str(directory / _index_name()))


@functools.cache
def _model(name: str) -> Any:
    from .ner import load_model

    return load_model(name)


def places_record(
    source: str | os.PathLike[str],
    *,
    text: str | None = None,
    data: bytes | None = None,
    gazetteer: Any = None,
    ner: Any = None,
    kinds: Collection[str] | None = None,
) -> dict[str, Any]:
    """The record of one text: ``{"file", "mentions", "claims"}``, or ``{"file", "error"}``.

    Pure: the same text and settings give the same record. Picklable, with picklable
    arguments, for process pools, Dask and Ray.

    Parameters
    ----------
    source
        The text file (its name is the record's ``file``).
    text
        The text itself, when it is not to be read from ``source``.
    data
        The text's bytes, decoded as files are (standard input: ``source`` is ``-``).
    gazetteer
        A :class:`~route.gazetteer.Gazetteer` (pickled as its path), or the cache
        directory holding the index; by default :func:`~route.gazetteer.cache_dir`.
        Opened once per process, read-only.
    ner
        An installed spaCy model's name (loaded once per process) or a loaded pipeline.
    kinds
        Only the mentions of these kinds (``place``, ``embedded``, ``demonym``).

    Returns
    -------
    dict
        ``mentions`` and ``claims`` as in ``route places FILE --json``; ``warning``
        when the file was not UTF-8; ``error`` (and nothing else) when it cannot be read.
    """
    from .pipeline import analyse_text, decode_text, mentions_of, read_text

    name = os.fspath(source)
    warning = ""
    if text is None:
        try:
            if data is not None:
                text, warning = decode_text(data, "standard input" if name == "-" else name)
            else:
                text, warning = read_text(name)
        except TextError as exc:
            return {"file": name, "error": str(exc)}
    nlp = _model(ner) if isinstance(ner, str) else ner
    analysis = analyse_text(text, _gazetteer(gazetteer), ner=nlp, journey=False)
    mentions = mentions_of(analysis)
    record: dict[str, Any] = {
        "file": name,
        "mentions": [m.to_dict() for m in mentions if kinds is None or m.kind in kinds],
        "claims": [c.to_dict() for c in analysis.claims],
    }
    if warning:
        record["warning"] = warning
    return record


def json_line(record: dict[str, Any]) -> str:
    """A record as one line of JSON (UTF-8 text, no trailing newline)."""
    return json.dumps(record, ensure_ascii=False)


def _record(
    item: tuple[str, bytes | None], gazetteer: Any, ner: Any, kinds: Collection[str] | None
) -> dict[str, Any]:
    source, data = item
    return places_record(source, data=data, gazetteer=gazetteer, ner=ner, kinds=kinds)


def _warm(gazetteer: Any, ner: Any) -> None:
    """Worker start: open the gazetteer (and load the model) before the first text."""
    _gazetteer(gazetteer)
    if isinstance(ner, str):
        _model(ner)


def run_places(
    sources: Sequence[str],
    *,
    workers: int = 1,
    gazetteer: Any = None,
    ner: Any = None,
    kinds: Collection[str] | None = None,
    data: dict[str, bytes] | None = None,
    chunksize: int | None = None,
) -> Iterator[dict[str, Any]]:
    """Records of ``sources``, in their order, from ``workers`` processes.

    Parameters
    ----------
    sources
        Text files.
    workers
        Processes; 1 runs in this process.
    gazetteer, ner, kinds
        As in :func:`places_record`; with several workers, ``ner`` must be a model's
        name (a gazetteer is pickled as its path).
    data
        The bytes of sources that are not files (``"-"``: standard input, read already).
    chunksize
        Texts handed to a worker at a time (default: a few per worker and round).
    """
    items = [(source, (data or {}).get(source)) for source in sources]
    if workers <= 1 or len(items) <= 1:
        for item in items:
            yield _record(item, gazetteer, ner, kinds)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(workers, len(items))
    if chunksize is None:
        chunksize = max(1, min(64, len(items) // (workers * 8)))
    # spawn, not fork: the parent may run threads (a progress bar) when workers start.
    with ProcessPoolExecutor(
        max_workers=workers,
        mp_context=multiprocessing.get_context("spawn"),
        initializer=_warm,
        initargs=(gazetteer, ner),
    ) as pool:
        task = functools.partial(_record, gazetteer=gazetteer, ner=ner, kinds=kinds)
        yield from pool.map(task, items, chunksize=chunksize)


def _part_name(number: int) -> str:
    return f"part-{number:05d}"


def places_on_dask(
    sources: Sequence[str | os.PathLike[str]],
    output: str | os.PathLike[str],
    *,
    npartitions: int | None = None,
    gazetteer: Any = None,
    ner: str | None = None,
    kinds: Collection[str] | None = None,
) -> list[str]:
    """Write the records of ``sources`` as JSON Lines with Dask: ``output/part-NNNNN.jsonl``.

    A ``dask.bag`` over the file names, mapped through :func:`places_record`; the
    parts, read in name order, hold the records in the order of ``sources``. It runs
    on Dask's current scheduler: inside ``with Client(...)`` (a ``LocalCluster`` or a
    remote cluster) on its workers, whose processes each open the gazetteer once.
    On a cluster, the files and the index (``gazetteer``: its cache directory) must
    be reachable from every worker.

    Parameters
    ----------
    sources
        Text files.
    output
        Directory for the parts (created).
    npartitions
        Parts (and tasks); by default about 100 texts each.
    gazetteer, ner, kinds
        As in :func:`places_record`.

    Returns
    -------
    list of str
        The files written, in order.

    Raises
    ------
    MissingDependencyError
        Dask is not installed (``pip install 'route[dask]'``).
    """
    try:
        import dask.bag as db
    except ImportError as exc:
        raise MissingDependencyError(
            "places_on_dask needs Dask: pip install 'route[dask]'"
        ) from exc
    names = [os.fspath(s) for s in sources]
    if not names:
        raise InputError("no texts to read")
    parts = npartitions or max(1, -(-len(names) // 100))
    Path(output).mkdir(parents=True, exist_ok=True)
    records = db.from_sequence(names, npartitions=parts).map(
        places_record, gazetteer=gazetteer, ner=ner, kinds=kinds
    )
    pattern = os.path.join(os.fspath(output), "*.jsonl")
    written = records.map(json_line).to_textfiles(
        pattern, name_function=_part_name, encoding="utf-8", last_endline=True
    )
    return [str(path) for path in written]
