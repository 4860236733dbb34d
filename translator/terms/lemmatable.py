"""spaCy's lookup lemma tables (spacy-lookups-data), read a piece at a time.

A table has half a million forms for Spanish; unmarshalling all of it takes
longer than translating a short file with Apertium. So the table is kept in
the user's cache as one index file: the forms sorted and cut into pieces of
PIECE entries, each piece marshalled on its own, with the first form of each
piece in a header. A lookup bisects the header and loads only that piece,
once; a short document touches a few hundred pieces of thousands, a big one
all of them (and then costs what loading the whole table did).

The table's lemmas, lowercased (the base forms: "modelo" stays "modelo"
even where the table says "modelar"), are kept the same way beside the forms.

File: 8 bytes (little-endian header length), the marshalled header
(FORMAT, source version, number of forms, form bounds, form offsets, lemma
bounds, lemma offsets, number of lemmas, the CRC-32 of each piece), then the
pieces. A file of another FORMAT or version, or of the wrong size, is rebuilt.
The index is written without fsync, so a crash can also leave a file of the
right size with other bytes in it: a piece whose CRC does not match makes the
process answer from the parsed JSON table and removes the file (the next run
builds it again). The run that builds the index (or cannot write it) answers from the
parsed table in memory.
"""

from __future__ import annotations

import bisect
import marshal
import os
import struct
import threading
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

FORMAT = "lemma-index-v3"
PIECE = 32  # entries per piece: a short document loads a few hundred of them
_HEAD = struct.Struct("<Q")


@dataclass
class _Pieces:
    """Sorted pieces of a table or a set, loaded on first use."""

    bounds: list[str]
    offsets: list[int]  # len(bounds) + 1 offsets into the file's data
    read: Callable[[int, int], bytes]  # (offset, length) -> the bytes there
    crcs: list[int]  # CRC-32 of each piece
    loaded: dict[int, object] = field(default_factory=dict)

    def piece(self, key: str):
        i = bisect.bisect_right(self.bounds, key) - 1
        if i < 0:
            return None
        got = self.loaded.get(i)
        if got is None:
            start, end = self.offsets[i], self.offsets[i + 1]
            blob = self.read(start, end - start)
            if zlib.crc32(blob) != self.crcs[i]:
                raise Damaged(i)
            try:
                got = marshal.loads(blob)
            except (ValueError, EOFError, TypeError) as e:
                raise Damaged(i) from e
            self.loaded[i] = got  # two threads may both load a piece: the same answer
        return got


class Damaged(Exception):
    """A piece of the index file is not what was written (see the module doc)."""


class LemmaTable:
    """Form → lemma, like a read-only dict (`get`, `in`, `len`)."""

    def __init__(self, pieces: _Pieces | None, size: int, whole: dict[str, str] | None = None,
                 rescue: Callable[[], tuple[dict[str, str], frozenset[str]]] | None = None):
        self._pieces, self._size, self._whole, self._rescue = pieces, size, whole, rescue

    def get(self, form: str, default: str | None = None) -> str | None:
        if self._whole is not None:
            return self._whole.get(form, default)
        try:
            piece = self._pieces.piece(form) if self._pieces is not None else None
        except Damaged:
            self._whole = self._rescue()[0] if self._rescue else {}
            return self._whole.get(form, default)
        return piece.get(form, default) if piece is not None else default

    def __contains__(self, form: object) -> bool:
        return isinstance(form, str) and self.get(form) is not None

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0


class LemmaSet:
    """The table's lemmas, lowercased: `in` and `len` only."""

    def __init__(self, pieces: _Pieces | None, size: int, whole: frozenset[str] | None = None,
                 rescue: Callable[[], tuple[dict[str, str], frozenset[str]]] | None = None):
        self._pieces, self._size, self._whole, self._rescue = pieces, size, whole, rescue

    def __contains__(self, word: object) -> bool:
        if not isinstance(word, str):
            return False
        if self._whole is not None:
            return word in self._whole
        try:
            piece = self._pieces.piece(word) if self._pieces is not None else None
        except Damaged:
            self._whole = self._rescue()[1] if self._rescue else frozenset()
            return word in self._whole
        return piece is not None and word in piece

    def __len__(self) -> int:
        return self._size

    def __bool__(self) -> bool:
        return self._size > 0


EMPTY = (LemmaTable(None, 0), LemmaSet(None, 0))


def load(lang: str) -> tuple[LemmaTable, LemmaSet]:
    """The lookup table of `lang` and its lemma set (both empty when
    spacy-lookups-data has no table for the language)."""
    from importlib import metadata

    try:
        version = metadata.version("spacy-lookups-data")
    except metadata.PackageNotFoundError:
        return EMPTY
    path = index_path(lang, version)
    found = _open(path, version, lang)
    if found is not None:
        return found
    table = _table(lang)
    if table is None:
        return EMPTY  # no table for this language: keys are lowercase words
    lemmas = sorted(set(map(str.lower, table.values())))
    try:
        _write(path, version, table, lemmas)
        _remove_old(path.parent, lang, path)
    except OSError:
        pass  # a read-only cache: only a speed-up
    # this run has the whole table parsed already: it answers from memory
    return LemmaTable(None, len(table), table), LemmaSet(None, len(lemmas), frozenset(lemmas))


def _table(lang: str) -> dict[str, str] | None:
    """spacy-lookups-data's table for `lang`, parsed (None when it has none)."""
    from importlib.resources import files

    try:
        source = files("spacy_lookups_data") / "data" / f"{lang}_lemma_lookup.json.gz"  # imports the package
        return _parse(source.read_bytes())
    except (OSError, ValueError, ModuleNotFoundError):
        return None


def _remove_old(folder: Path, lang: str, keep: Path) -> None:
    """The whole-table files that earlier releases kept (13 MB for Spanish) and
    indexes of other formats or table versions: nothing of this release reads them."""
    for pattern in (f"lemma-lookup-v2-{lang}-*.marshal", f"lemma-values-v1-{lang}-*.marshal",
                    f"lemma-index-v*-{lang}-*.bin"):
        for old in folder.glob(pattern):
            if old != keep:
                old.unlink(missing_ok=True)


def index_path(lang: str, version: str) -> Path:
    from translator.stagecache import cache_root

    return cache_root() / f"{FORMAT}-{lang}-{version}.bin"


def _parse(gz: bytes) -> dict[str, str]:
    """The JSON table as form → lemma; some tables give a list of lemmas for a form: the first is kept."""
    import gzip

    data = gzip.decompress(gz)
    try:
        import orjson

        raw = orjson.loads(data)
    except ImportError:
        import json

        raw = json.loads(data)
    if set(map(type, raw)) <= {str} and set(map(type, raw.values())) <= {str}:
        return raw  # the usual case, checked without a Python loop over half a million entries
    table = {}
    for form, lemma in raw.items():
        lemma = lemma[0] if isinstance(lemma, list) and lemma else lemma
        if isinstance(form, str) and isinstance(lemma, str):
            table[form] = lemma
    return table


def _write(path: Path, version: str, table: dict[str, str], lemmas: list[str]) -> None:
    """The index file of `table` and its sorted lowercased `lemmas`."""
    forms = sorted(table.items())
    blobs: list[bytes] = []
    form_bounds, form_offsets = _cut(forms, blobs, lambda part: marshal.dumps(dict(part)))
    lemma_bounds, lemma_offsets = _cut(lemmas, blobs, lambda part: marshal.dumps(frozenset(part)), form_offsets[-1])
    header = marshal.dumps((FORMAT, version, len(forms), form_bounds, form_offsets, lemma_bounds, lemma_offsets,
                            len(lemmas), [zlib.crc32(blob) for blob in blobs]))
    from translator.io.writer import write_bytes

    # no fsync (13 MB of it costs more than the rest of a short run): a file cut
    # short has the wrong size for its header, one with other bytes fails its CRCs
    write_bytes(path, b"".join([_HEAD.pack(len(header)), header, *blobs]), durable=False)


def _cut(items: list, blobs: list[bytes], dump, start: int = 0) -> tuple[list[str], list[int]]:
    """Pieces of PIECE sorted items appended to `blobs`: their first keys and offsets."""
    bounds, offsets = [], [start]
    for i in range(0, len(items), PIECE):
        part = items[i:i + PIECE]
        first = part[0]
        bounds.append(first[0] if isinstance(first, tuple) else first)
        blobs.append(dump(part))
        offsets.append(offsets[-1] + len(blobs[-1]))
    return bounds, offsets


_FILES: list = []  # the open index files, kept for the process
_LOCK = threading.Lock()


def _open(path: Path, version: str, lang: str) -> tuple[LemmaTable, LemmaSet] | None:
    """The index at `path` when it is whole and of this FORMAT and version, else None."""
    try:
        f = open(path, "rb")
    except OSError:
        return None
    try:
        (n,) = _HEAD.unpack(f.read(_HEAD.size))
        head = marshal.loads(f.read(n))
        fmt, ver, size, fb, fo, lb, lo, lsize, crcs = head
        data_start = _HEAD.size + n
        if fmt != FORMAT or ver != version or os.fstat(f.fileno()).st_size != data_start + lo[-1]:
            f.close()
            return None
    except (OSError, ValueError, EOFError, TypeError, struct.error):
        f.close()
        return None
    with _LOCK:
        _FILES.append(f)
    fd = f.fileno()

    def read(offset: int, length: int) -> bytes:
        return os.pread(fd, length, data_start + offset)

    rescue = _rescuer(path, lang)
    forms = _Pieces(fb, fo, read, crcs[:len(fb)])
    lemmas = _Pieces(lb, lo, read, crcs[len(fb):])
    return LemmaTable(forms, size, rescue=rescue), LemmaSet(lemmas, lsize, rescue=rescue)


def _rescuer(path: Path, lang: str) -> Callable[[], tuple[dict[str, str], frozenset[str]]]:
    """What a damaged index falls back to: the JSON table, parsed once for the
    process; the file is removed so that the next run builds it again."""
    got: list[tuple[dict[str, str], frozenset[str]]] = []

    def rescue() -> tuple[dict[str, str], frozenset[str]]:
        with _LOCK:
            if not got:
                path.unlink(missing_ok=True)
                table = _table(lang) or {}
                got.append((table, frozenset(map(str.lower, table.values()))))
        return got[0]
    return rescue
