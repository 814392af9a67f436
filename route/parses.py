"""Dependency parses kept: a light copy of what the journey reader reads from spaCy,
and a cache of them on disk.

The reader asks a parse for a handful of things only: each word's text, lower-case
form, lemma, part of speech, tag, dependency label and head, and the tree around it.
:class:`Parse` holds exactly these (built from a spaCy ``Doc`` by
:meth:`Parse.from_spacy`), so a sentence parsed once need not be parsed again: the
cache (:class:`ParseCache`, an SQLite file in route's cache directory) keeps each
sentence's parse under a hash of its text and of the pipeline that made it. A text
read again (the same article mapped with other options, a notebook run again) then
needs no spaCy at all, which is most of a warm run's time.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import sqlite3
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, overload

__all__ = [
    "MAX_CACHED_SENTENCES",
    "MAX_CACHE_BYTES",
    "PARSE_FORMAT",
    "Parse",
    "ParseCache",
    "Word",
    "Words",
    "default_cache",
]

#: Bump when what a :class:`Parse` keeps, or how it is stored, changes.
PARSE_FORMAT = 1
#: How long a process waits for another that is writing the cache, in seconds.
_BUSY_SECONDS = 5.0
#: A cache file grown past this many bytes keeps what it has and takes no more.
MAX_CACHE_BYTES = 200 * 1024 * 1024
#: Texts with more sentences than this are corpora, not articles: not cached.
MAX_CACHED_SENTENCES = 5000


class Word:
    """One word of a :class:`Parse`, with the attributes of a spaCy ``Token`` the reader
    uses (``text``, ``lower_``, ``lemma_``, ``pos_``, ``tag_``, ``dep_``, ``i``, ``idx``,
    ``head``, ``children``, ``ancestors``, ``subtree``, ``left_edge``, ``doc``)."""

    __slots__ = ("_head", "dep_", "doc", "i", "idx", "lemma_", "lower_", "pos_", "tag_", "text")

    def __init__(
        self, doc: Parse, i: int, fields: tuple[str, int, str, str, str, str, int]
    ) -> None:
        self.doc = doc
        self.i = i
        self.text, self.idx, self.lemma_, self.pos_, self.tag_, self.dep_, self._head = fields
        self.lower_ = self.text.lower()

    @property
    def head(self) -> Word:
        """The word this one depends on (itself for the root)."""
        return self.doc.words[self._head]

    @property
    def children(self) -> Iterator[Word]:
        """The words that depend on this one, in order."""
        return iter(self.doc.children_of(self.i))

    @property
    def ancestors(self) -> Iterator[Word]:
        """The heads above this word, nearest first."""
        node = self
        for _ in range(len(self.doc.words)):
            if node._head == node.i:
                return
            node = node.head
            yield node

    @property
    def subtree(self) -> Iterator[Word]:
        """This word and all below it, in order."""
        found, stack = [], [self]
        while stack:
            word = stack.pop()
            found.append(word)
            stack.extend(self.doc.children_of(word.i))
        return iter(sorted(found, key=lambda w: w.i))

    @property
    def left_edge(self) -> Word:
        """The first word of this word's subtree."""
        return next(self.subtree)

    def __repr__(self) -> str:
        return self.text

    def __str__(self) -> str:
        return self.text

    def __len__(self) -> int:
        return len(self.text)


class Words:
    """A run of words of a :class:`Parse` (what slicing a spaCy ``Doc`` gives)."""

    __slots__ = ("_words",)

    def __init__(self, words: list[Word]) -> None:
        self._words = words

    def __iter__(self) -> Iterator[Word]:
        return iter(self._words)

    def __reversed__(self) -> Iterator[Word]:
        return reversed(self._words)

    def __len__(self) -> int:
        return len(self._words)

    @property
    def text(self) -> str:
        """The words' text as it stands in the sentence."""
        if not self._words:
            return ""
        first, last = self._words[0], self._words[-1]
        return self._words[0].doc.text[first.idx : last.idx + len(last.text)]


class Parse:
    """The dependency parse of one sentence, as the reader reads it (see :class:`Word`)."""

    __slots__ = ("_children", "text", "words")

    def __init__(self, text: str, rows: Iterable[tuple[str, int, str, str, str, str, int]]) -> None:
        self.text = text
        self.words = [Word(self, i, row) for i, row in enumerate(rows)]
        self._children: list[list[Word]] | None = None

    @classmethod
    def from_spacy(cls, doc: Any) -> Parse:
        """The parse a spaCy ``Doc`` holds."""
        rows = [(t.text, t.idx, t.lemma_, t.pos_, t.tag_, t.dep_, t.head.i) for t in doc]
        return cls(doc.text, rows)

    def children_of(self, i: int) -> list[Word]:
        """The words that depend on word ``i``, in order."""
        if self._children is None:
            children: list[list[Word]] = [[] for _ in self.words]
            for word in self.words:
                if word._head != word.i:
                    children[word._head].append(word)
            self._children = children
        return self._children[i]

    def __iter__(self) -> Iterator[Word]:
        return iter(self.words)

    def __len__(self) -> int:
        return len(self.words)

    @overload
    def __getitem__(self, key: int) -> Word: ...
    @overload
    def __getitem__(self, key: slice) -> Words: ...
    def __getitem__(self, key: int | slice) -> Word | Words:
        if isinstance(key, slice):
            return Words(self.words[key])
        return self.words[key]

    def to_bytes(self) -> bytes:
        """The parse as compressed JSON (see :meth:`from_bytes`)."""
        rows = [[w.text, w.idx, w.lemma_, w.pos_, w.tag_, w.dep_, w._head] for w in self.words]
        return zlib.compress(json.dumps([self.text, rows], ensure_ascii=False).encode("utf-8"))

    @classmethod
    def from_bytes(cls, data: bytes) -> Parse:
        """The parse :meth:`to_bytes` gave."""
        text, rows = json.loads(zlib.decompress(data).decode("utf-8"))
        return cls(text, (tuple(row) for row in rows))


class ParseCache:
    """Parses on disk, keyed by a hash of the pipeline's name and version and of the
    sentence's text. Opened lazily; a cache that cannot be read or written (a read-only
    directory, a damaged file) is no cache, never an error."""

    def __init__(self, path: Path, pipeline: str) -> None:
        self.path = path
        self.pipeline = pipeline
        self._db: sqlite3.Connection | None = None
        self._broken = False
        self._lock = threading.Lock()  # one connection, shared by a process's threads

    def key(self, text: str) -> bytes:
        """The key of a sentence's parse: a hash of the format, the pipeline and the text
        (a text that cannot be encoded, a lone surrogate, is kept by its escapes)."""
        raw = f"{PARSE_FORMAT}\0{self.pipeline}\0{text}".encode("utf-8", "backslashreplace")
        return hashlib.sha256(raw).digest()

    def _connect(self) -> sqlite3.Connection | None:
        if self._db is None and not self._broken:
            try:
                self._db = self._open()
            except sqlite3.OperationalError:
                return None  # busy, locked: no cache this time, another time perhaps
            except sqlite3.DatabaseError:  # "file is not a database": damaged, made again
                with contextlib.suppress(OSError, sqlite3.Error):
                    self.path.unlink()
                    self._db = self._open()
            except (OSError, sqlite3.Error):
                pass
            self._broken = self._db is None
        return self._db

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self.path, timeout=_BUSY_SECONDS, check_same_thread=False)
        try:
            db.execute("CREATE TABLE IF NOT EXISTS parse (key BLOB PRIMARY KEY, data BLOB)")
            db.commit()
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _full(self) -> bool:
        """Whether the file has grown past :data:`MAX_CACHE_BYTES` (it then keeps what it
        has and takes no more)."""
        try:
            return self.path.stat().st_size > MAX_CACHE_BYTES
        except OSError:
            return False

    def close(self) -> None:
        """Close the file (opened again when next needed)."""
        with self._lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    def get_many(self, texts: list[str]) -> dict[str, Parse]:
        """The cached parses of these texts (those the cache has)."""
        with self._lock:
            return self._get_many(texts)

    def put_many(self, parses: dict[str, Parse]) -> None:
        """Keep these parses (by their sentence's text); quietly nothing if it cannot."""
        with self._lock:
            self._put_many(parses)

    def _get_many(self, texts: list[str]) -> dict[str, Parse]:
        db = self._connect()
        if db is None or not texts:
            return {}
        keys = {self.key(t): t for t in texts}
        found: dict[str, Parse] = {}
        try:
            listed = list(keys)
            for first in range(0, len(listed), 500):
                part = listed[first : first + 500]
                marks = ",".join("?" * len(part))
                sql = f"SELECT key, data FROM parse WHERE key IN ({marks})"
                for key, data in db.execute(sql, part):
                    with contextlib.suppress(ValueError, zlib.error):
                        found[keys[bytes(key)]] = Parse.from_bytes(data)
        except sqlite3.Error:  # busy or failing now: no cache this time
            return {}
        return found

    def _put_many(self, parses: dict[str, Parse]) -> None:
        db = self._connect()
        if db is None or not parses or self._full():
            return
        try:
            with db:
                db.executemany(
                    "INSERT OR REPLACE INTO parse (key, data) VALUES (?, ?)",
                    [(self.key(t), p.to_bytes()) for t, p in parses.items()],
                )
        except sqlite3.Error:  # busy or failing now: not kept this time
            pass


def default_cache() -> ParseCache | None:
    """The parse cache in route's cache directory for the installed pipeline (``None``
    when no pipeline is installed: loading it will say so)."""
    from .nlp import pipeline_identity

    identity = pipeline_identity()
    if identity is None:
        return None
    return _cache_at(str(_cache_path()), identity)


def _cache_path() -> Path:
    from .gazetteer import cache_dir

    return cache_dir() / f"parses-f{PARSE_FORMAT}.sqlite"


_CACHES: dict[tuple[str, str], ParseCache] = {}


def _cache_at(path: str, identity: str) -> ParseCache:
    """One :class:`ParseCache` per file and pipeline in a process."""
    key = (path, identity)
    if key not in _CACHES:
        if not _CACHES:
            import atexit

            atexit.register(_close_all)
        _CACHES[key] = ParseCache(Path(path), identity)
    return _CACHES[key]


def _close_all() -> None:
    for cache in _CACHES.values():
        cache.close()
