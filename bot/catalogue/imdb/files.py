"""IMDb's dataset files as published: gzip, tab-separated, a header row, `\\N` for null, no quoting.

Lines are read as bytes and decoded one by one, so a line that is not UTF-8 is reported with its
number and skipped instead of failing a whole decoded chunk. A gzip stream that ends early
(a truncated download) keeps the lines before the break and is reported as truncated.
"""

from __future__ import annotations

import gzip
import itertools
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

NULL = "\\N"


class ImdbFileError(Exception):
    """A dataset file cannot be used at all; nothing was written."""


@dataclass(frozen=True)
class Spec:
    name: str
    columns: tuple[str, ...]


BASICS = Spec("title.basics.tsv.gz", ("tconst", "titleType", "primaryTitle", "originalTitle", "isAdult",
                                      "startYear", "endYear", "runtimeMinutes", "genres"))
RATINGS = Spec("title.ratings.tsv.gz", ("tconst", "averageRating", "numVotes"))
AKAS = Spec("title.akas.tsv.gz", ("titleId", "ordering", "title", "region", "language", "types", "attributes",
                                  "isOriginalTitle"))
CREW = Spec("title.crew.tsv.gz", ("tconst", "directors", "writers"))
PRINCIPALS = Spec("title.principals.tsv.gz", ("tconst", "ordering", "nconst", "category", "job", "characters"))
NAMES = Spec("name.basics.tsv.gz", ("nconst", "primaryName", "birthYear", "deathYear", "primaryProfession",
                                    "knownForTitles"))
# Reading order: the films to keep come from title.basics, the people to name from crew and principals.
SPECS = (BASICS, RATINGS, AKAS, CREW, PRINCIPALS, NAMES)


def present(folder: Path) -> list[Spec]:
    """The dataset files in `folder`, each header checked before anything is written."""
    if not folder.is_dir():
        raise ImdbFileError(f"{folder}: not a folder")
    found = [spec for spec in SPECS if (folder / spec.name).is_file()]
    if not found:
        names = ", ".join(spec.name for spec in SPECS)
        raise ImdbFileError(f"{folder}: none of IMDb's dataset files is there (looked for {names})")
    for spec in found:
        _check_header(folder / spec.name, spec)
    return found


def _check_header(path: Path, spec: Spec) -> None:
    try:
        with gzip.open(path) as stream:
            first = stream.readline()
    except (OSError, EOFError, zlib.error) as exc:
        raise ImdbFileError(f"{path}: not a readable gzip file ({exc})") from None
    header = tuple(first.decode("utf-8", "replace").rstrip("\r\n").split("\t"))
    if header != spec.columns:
        raise ImdbFileError(
            f"{path}:1: unexpected header {_show(header)}; expected {_show(spec.columns)} "
            "(is this the file IMDb publishes under that name?)"
        )


def _show(columns: tuple[str, ...]) -> str:
    text = "\t".join(columns).replace("\t", " | ")
    return repr(text if len(text) < 200 else text[:199] + "…")


class Truncated(Exception):
    """The gzip stream ended early; the chunks before it were whole."""


def chunks(folder: Path, spec: Spec, skip: int, size: int) -> Iterator[tuple[bytes, int]]:
    """(whole lines, compressed bytes read so far), about `size` bytes at a time, after line `skip`.

    A chunk never splits the lines of one title (akas and principals come grouped by title), so a
    chunk can be converted on its own, on any process. Raises Truncated after the last whole chunk
    when the download was cut short.
    """
    with open(folder / spec.name, "rb") as raw, gzip.GzipFile(fileobj=raw) as stream:
        for _ in itertools.islice(stream, max(skip, 1)):  # line 1 is the header, checked already
            pass
        carry = b""
        while True:
            data, broken = _read(stream, size)
            if not data and broken is None:
                if carry:
                    yield carry, raw.tell()
                return
            data = carry + data
            if broken is not None:
                whole = data[: data.rfind(b"\n") + 1]
                if whole:
                    yield whole, raw.tell()
                raise Truncated(str(broken))
            cut = _last_group(data)
            if cut:
                yield data[:cut], raw.tell()
            carry = data[cut:]


def _read(stream: gzip.GzipFile, size: int) -> tuple[bytes, Exception | None]:
    """Up to `size` bytes, and the error that cut them short: a plain read() drops what it had."""
    parts, total = [], 0
    try:
        while total < size:
            part = stream.read1(min(size - total, 1 << 16))
            if not part:
                break
            parts.append(part)
            total += len(part)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return b"".join(parts), exc
    return b"".join(parts), None


def _last_group(data: bytes) -> int:
    """Where the last title's lines start (they may go on in the next read); 0 when there is no cut yet."""
    end = data.rfind(b"\n") + 1
    if not end:
        return 0
    start = data.rfind(b"\n", 0, end - 1) + 1
    key = data[start : data.find(b"\t", start, end) + 1] or data[start:end]
    while start and data.startswith(key, data.rfind(b"\n", 0, start - 1) + 1):
        start = data.rfind(b"\n", 0, start - 1) + 1
    return start or end
