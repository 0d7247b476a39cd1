"""IMDb-shaped dataset files, generated and seeded, so the import and search benchmarks need no download.

`write_dataset(folder, films=N, seed=S)` writes the six `.tsv.gz` files IMDb publishes, with their
real headers: N feature films (movie, tvMovie) plus episodes, shorts, series, videos and a few adult
titles the importer must leave out. Titles are 1–4 words from vocabularies of a few thousand
syllable-built words drawn with a Zipf-like skew (common words are common, yet a 4-letter prefix
narrows the field); about 10 % of films are Russian: a Cyrillic title in the akas (region RU),
its transliteration as the original title, and an English primary title. Years run 1890–2025.

    python -m benchmarks.imdb_data DIR --films 1000000   # about a minute and a half per million
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import random
import time
from bisect import bisect
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from anyascii import anyascii

N = "\\N"
HEADERS = {
    "title.basics.tsv.gz": "tconst titleType primaryTitle originalTitle isAdult startYear endYear "
    "runtimeMinutes genres",
    "title.akas.tsv.gz": "titleId ordering title region language types attributes isOriginalTitle",
    "title.ratings.tsv.gz": "tconst averageRating numVotes",
    "title.crew.tsv.gz": "tconst directors writers",
    "title.principals.tsv.gz": "tconst ordering nconst category job characters",
    "name.basics.tsv.gz": "nconst primaryName birthYear deathYear primaryProfession knownForTitles",
}
GENRES = (
    "Drama", "Comedy", "Romance", "Thriller", "Crime", "Action", "Horror", "Documentary", "Adventure", "Family",
    "Mystery", "Fantasy", "Biography", "History", "War", "Music", "Musical", "Western", "Sci-Fi", "Animation",
    "Film-Noir", "Sport",
)
OTHER_TYPES = ("tvEpisode",) * 6 + ("short", "short", "tvSeries", "video", "tvMiniSeries", "videoGame")
CYRILLIC_SHARE = 0.10


@dataclass(frozen=True)
class Sample:
    """One generated film, for benchmarks that need to know which film a query means."""

    key: str  # tt0000123
    title: str  # primary (English) title
    original: str | None  # transliterated original title of a Russian film
    cyrillic: str | None  # its Cyrillic title, as in the RU aka
    year: int
    directors: tuple[str, ...]


@dataclass(frozen=True)
class Dataset:
    folder: Path
    films: int  # movie and tvMovie lines that are not adult: what an import keeps
    titles: int  # lines in title.basics
    akas: int
    principals: int
    people: int
    samples: tuple[Sample, ...]  # up to `samples` films spread evenly over the file


def _vocabulary(rng: random.Random, onsets: str, vowels: str, codas: str, size: int) -> list[str]:
    onset, vowel, coda = onsets.split(" "), vowels.split(), codas.split(" ")
    found: dict[str, None] = {}
    while len(found) < size:
        syllables = rng.choices((1, 2, 3), (35, 45, 20))[0]
        word = "".join(rng.choice(onset) + rng.choice(vowel) for _ in range(syllables)) + rng.choice(coda)
        if len(word) >= 2:
            found[word] = None
    return list(found)


class _Words:
    """A vocabulary with a Zipf-like draw: a few words everywhere, most rare."""

    def __init__(self, rng: random.Random, words: list[str], skew: float = 0.85) -> None:
        self.words = words
        self.cum = list(accumulate(1 / (rank + 8) ** skew for rank in range(len(words))))
        self.rng = rng

    def pick(self) -> str:
        return self.words[bisect(self.cum, self.rng.random() * self.cum[-1])]

    def title(self, low: int = 1, high: int = 4) -> str:
        count = self.rng.randint(low, high)
        return " ".join(self.pick() for _ in range(count))


def _english(rng: random.Random, words: _Words) -> str:
    roll = rng.random()
    if roll < 0.2:
        return "The " + words.title(1, 3).title()
    if roll < 0.3:
        return f"{words.title(1, 2).title()} of the {words.pick().title()}"
    if roll < 0.33:
        return f"{words.title(1, 2).title()} {rng.randint(2, 4)}"
    return words.title().title()


def write_dataset(folder: Path | str, films: int = 1000, seed: int = 1957, samples: int = 2000) -> Dataset:
    """Write the six files into `folder` (created if missing); the same seed writes the same bytes."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed)
    english = _Words(rng, _vocabulary(rng, "b bl br c ch cl cr d dr f fl fr g gl gr h j k l m n p pl pr qu r s sc "
                                      "sh sk sl sm sn sp st sw t th tr v w wh y z  ", "a e i o u ai au ea ee ie oa "
                                      "oo ou", "  n r s l m t nd st rk ng th ck ll sh ve ne re", 3000))
    russian = _Words(rng, _vocabulary(rng, "б в г д ж з к л м н п р с т ф х ц ч ш щ бр гр др кр пр тр ст сл см "
                                      "св зв ", "а е и о у ы я ю ё", "  н р с л м т к й ть сть нь", 1500))
    foreign = _Words(rng, _vocabulary(rng, "b c d f g l m n p r s t v z ch gn qu tr pl  ", "a e i o u é è ü ö "
                                      "ä ou eu au", "  n r s l t x nt rs", 1500))
    first = _Words(rng, [w.title() for w in _vocabulary(rng, "b d f g h j k l m n p r s t v w z al an el ", "a e "
                                                        "i o y ia ie", "  n l r s th", 400)])
    last = _Words(rng, [w.title() for w in _vocabulary(rng, "b d f g h k l m n p r s t v w z br st gr ", "a e i "
                                                       "o u ei", "  n l r s son ton man berg ley", 4000)])
    with contextlib.ExitStack() as stack:
        # mtime=0: the gzip header carries no timestamp, so a seed always gives the same bytes.
        streams = {name: stack.enter_context(io.TextIOWrapper(
            gzip.GzipFile(folder / name, "wb", compresslevel=1, mtime=0), encoding="utf-8", newline="\n"))
            for name in HEADERS}
        made, counts, kept = _write(rng, streams, films, samples, english, russian, foreign, first, last)
    return Dataset(folder, made, counts["titles"], counts["akas"], counts["principals"], counts["people"],
                   tuple(kept))


def _write(rng: random.Random, streams: dict, films: int, samples: int, english: _Words, russian: _Words,
           foreign: _Words, first: _Words, last: _Words) -> tuple[int, dict[str, int], list[Sample]]:
    people = max(films + films // 5, 20)
    directors = max(people // 8, 5)
    actor_cum = list(accumulate(1 / (rank + 20) for rank in range(people)))
    nconsts = list(accumulate(rng.randint(1, 12) for _ in range(people)))
    buffers: dict[str, list[str]] = {name: [HEADERS[name].replace(" ", "\t")] for name in HEADERS}
    basics, akas, ratings, crew, principals = (buffers[name] for name in (
        "title.basics.tsv.gz", "title.akas.tsv.gz", "title.ratings.tsv.gz", "title.crew.tsv.gz",
        "title.principals.tsv.gz"))
    counts = {"titles": 0, "akas": 0, "principals": 0, "people": people}
    kept: list[Sample] = []
    stride = max(films // samples, 1)
    # Above every IMDb id in data/films.yaml, so a generated film never merges into a bundled one.
    tconst = 1_000_000
    made = 0
    while made < films:
        tconst += rng.randint(1, 30)
        tt = f"tt{tconst:07d}"
        roll = rng.random()
        kind = "movie" if roll < 0.72 else "tvMovie" if roll < 0.8 else rng.choice(OTHER_TYPES)
        adult = kind == "movie" and rng.random() < 0.005
        feature = kind in ("movie", "tvMovie") and not adult
        cyrillic = rng.random() < CYRILLIC_SHARE
        title = _english(rng, english)
        if cyrillic:
            ru = russian.title().capitalize()
            original = anyascii(ru)
        elif rng.random() < 0.1:
            ru, original = None, foreign.title().capitalize()
        else:
            ru, original = None, title
        year = 2025 - int(135 * rng.random() ** 1.6)
        runtime = N if rng.random() < 0.05 else str(rng.randint(70, 170) if feature else rng.randint(5, 60))
        genres = ",".join(sorted(rng.sample(GENRES, rng.randint(1, 3))))
        basics.append(f"{tt}\t{kind}\t{title}\t{original}\t{int(adult)}\t{year}\t{N}\t{runtime}\t{genres}")
        counts["titles"] += 1
        names = [(original, N, N, "original", "1")]
        if ru:
            names += [(ru, "RU", "ru" if rng.random() < 0.5 else N, "imdbDisplay", "0"),
                      (title, "US", N, "imdbDisplay", "0")]
        if rng.random() < 0.5:
            names.append((title, rng.choice(("GB", "CA", "AU")), N, N, "0"))
        if rng.random() < 0.25:
            names.append((foreign.title().capitalize(), rng.choice(("FR", "DE", "IT")), N, "imdbDisplay", "0"))
        for ordering, (name, region, language, types, is_original) in enumerate(names, 1):
            akas.append(f"{tt}\t{ordering}\t{name}\t{region}\t{language}\t{types}\t{N}\t{is_original}")
        counts["akas"] += len(names)
        if rng.random() < 0.85:
            votes = int(5 * rng.paretovariate(0.9))
            ratings.append(f"{tt}\t{rng.randint(10, 95) / 10}\t{votes}")
        directed = [nconsts[rng.randrange(directors)] for _ in range(2 if rng.random() < 0.1 else 1)]
        cast = {nconsts[bisect(actor_cum, rng.random() * actor_cum[-1])] for _ in range(rng.randint(2, 5))}
        writer = nconsts[rng.randrange(people)]
        crew.append(f"{tt}\t{','.join(f'nm{n:07d}' for n in directed)}\tnm{writer:07d}")
        rows = [("actor" if rng.random() < 0.6 else "actress", n) for n in cast]
        rows += [("director", n) for n in directed] + [("writer", writer), ("composer", nconsts[rng.randrange(people)])]
        for ordering, (category, n) in enumerate(rows, 1):
            principals.append(f"{tt}\t{ordering}\tnm{n:07d}\t{category}\t{N}\t{N}")
        counts["principals"] += len(rows)
        if feature:
            if made % stride == 0 and len(kept) < samples:
                named = tuple(_person(first, last, n) for n in directed)
                kept.append(Sample(tt, title, original if ru else None, ru, year, named))
            made += 1
        if len(basics) >= 20_000:
            _flush(streams, buffers)
    _flush(streams, buffers)
    names_out = buffers["name.basics.tsv.gz"]
    for nconst in nconsts:
        name = _person(first, last, nconst)
        born = rng.randint(1860, 2005)
        names_out.append(f"nm{nconst:07d}\t{name}\t{born}\t{N}\tactor,director\t{N}")
        if len(names_out) >= 50_000:
            _flush(streams, buffers)
    _flush(streams, buffers)
    return made, counts, kept


def _person(first: _Words, last: _Words, nconst: int) -> str:
    """A person's name as a function of their id, so a film's credits can be named before name.basics is written."""
    mixed = (nconst * 2654435761) & 0xFFFFFFFF
    return f"{first.words[mixed % len(first.words)]} {last.words[(mixed >> 9) % len(last.words)]}"


def _flush(streams: dict, buffers: dict[str, list[str]]) -> None:
    for name, lines in buffers.items():
        if lines:
            streams[name].write("\n".join(lines) + "\n")
            lines.clear()


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imdb_data", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1957)
    args = parser.parse_args()
    started = time.perf_counter()
    data = write_dataset(args.folder, films=args.films, seed=args.seed)
    print(f"{data.films:,} films in {data.titles:,} titles, {data.akas:,} akas, {data.principals:,} principals, "
          f"{data.people:,} people → {data.folder} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
