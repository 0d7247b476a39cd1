"""IMDb-shaped dataset files, generated and seeded, so the import and search benchmarks need no download.

`write_dataset(folder, films=N, seed=S)` writes the six `.tsv.gz` files IMDb publishes (all but
title.episode, which kinoclub does not read) in IMDb's documented format: gzip, UTF-8, tab-separated
without quoting, a header line naming the columns, `\\N` for a missing value
(https://developer.imdb.com/non-commercial-datasets/). N feature films (movie, tvMovie) plus
episodes, shorts, series, videos and a few adult titles the importer must leave out. Titles are
1–4 words from vocabularies of a few thousand syllable-built words drawn with a Zipf-like skew
(common words are common, yet a 4-letter prefix narrows the field); about 10 % of films are Russian:
a Cyrillic title in the akas (region RU), its transliteration as the original title, and an English
primary title. Years run 1890–2025.

The real files' quirks, in both shapes (each is a test in tests/test_benchmarks_imdb_data.py):
- title.principals lists a title's rows with `ordering` 10, 11, … before 1, 2, …, 9 (`text_order`),
  as the real file does (a 2023 grep of it shows ordering 10 above 9 for one title:
  https://github.com/Data4DM/BayesSD/issues/138); a film's actors continue from ordering 10, so
  billing in file order puts extras first;
- the same person twice in one title: an actor at two orderings with two characters;
- ids out of order: a few title blocks (and people) in title.basics, title.akas, title.principals
  and name.basics come one batch late, though each title's rows stay together;
- title.akas, title.principals and name.basics end without a final newline.

Two shapes. "compact" (the default): films are 80 % of the titles, what the search benchmarks need
at 10k–1M films. "real": IMDb's proportions, for the full-size import (`FULL_FILMS` films ≈ 12M
title lines, ≈ 170M lines in all): about 12M title.basics lines of which ~7 % films and ~75 %
tvEpisode, ~4.2 akas, ~7.5 principals and ~1.17 people (name.basics) per title, i.e. ~50M akas,
~90M principals, ~14M people. What was checked against published figures (2026-12):
- title.principals had 85,703,817 rows in May 2024, imported by imdb-sqlite at ~23,000 rows/s
  (over an hour for that file alone): https://github.com/jojje/imdb-sqlite/issues/6;
- in 2018 it was 5.1–5.4M titles, 3.6–3.7M akas, 29–31M principals, 8.7M people
  (https://github.com/jojje/imdb-sqlite README, https://github.com/cinemagoer/cinemagoer/issues/194):
  the files have more than doubled since;
- a May 2025 CSV copy (https://huggingface.co/datasets/labofsahil/IMDb-Dataset) weighs 1.02 GB for
  title.basics, 2.62 GB akas, 4.29 GB principals, 0.90 GB name.basics, 0.39 GB crew;
- movie is a small share of titleType beside tvEpisode (2021: 507k movies with principals against
  2.0M episodes, https://github.com/fani-lab/OpeNTF/issues/20).
The 12M / 50M / 14M totals are the issue's (13) own measurements; no published count of them
for 2024–2025 was found. Films ≈ 7 % of title.basics is an estimate (movie ~6 %, tvMovie ~1.3 %).
For scale, pimdb (a Python tool loading these files into SQLite) documented "about 2 hours" for
its full transfer (https://pypi.org/project/pimdb/0.2.3/); its current README says about 11 hours
on a MacBook Pro M1 (https://github.com/roskakori/pimdb).

    python -m benchmarks.imdb_data DIR --films 1000000             # compact: about a minute per million films
    python -m benchmarks.imdb_data DIR --full                      # real shape, full size: ~170M lines
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import queue
import random
import threading
import time
from bisect import bisect
from collections.abc import Callable
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
    cast: tuple[str, ...] = ()  # its actors by numeric ordering, each once: the billing a card should show


@dataclass(frozen=True)
class Dataset:
    folder: Path
    films: int  # movie and tvMovie lines that are not adult: what an import keeps
    titles: int  # lines in title.basics
    akas: int
    principals: int
    people: int
    samples: tuple[Sample, ...]  # up to `samples` films spread evenly over the file
    shape: str = "compact"


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


def write_dataset(folder: Path | str, films: int = 1000, seed: int = 1957, samples: int = 2000,
                  shape: str = "compact") -> Dataset:
    """Write the six files into `folder` (created if missing); the same seed writes the same bytes.

    `shape="compact"`: films are most of the titles (what the search benchmarks need, quickly);
    `shape="real"`: IMDb's own proportions (`REAL`), films about 7 % of title.basics. Both shapes
    carry the real files' quirks (see the module's docstring).
    """
    if shape not in SHAPES:
        raise ValueError(f"shape {shape!r}: expected one of {', '.join(SHAPES)}")
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
    words = (english, russian, foreign, first, last)
    with contextlib.ExitStack() as stack:
        # mtime=0: the gzip header carries no timestamp, so a seed always gives the same bytes.
        sinks = {name: stack.enter_context(_Sink(folder / name)) for name in HEADERS}
        made, counts, kept = _write(rng, sinks, films, samples, words, SHAPES[shape])
    return Dataset(folder, made, counts["titles"], counts["akas"], counts["principals"], counts["people"],
                   tuple(kept), shape)


class _Sink:
    """One gzip file written in batches, ending with or without a final newline as IMDb's sometimes do.

    A batch is prefixed by the newline that ends the line before it, so the last line's newline is
    written (or not) only at close. Compression runs on a thread: zlib lets go of the GIL, so on
    two cores it overlaps with generating the next batch.
    """

    def __init__(self, path: Path) -> None:
        self.path, self.name = path, path.name
        self.final_newline = path.name not in NO_FINAL_NEWLINE
        self.raw = gzip.GzipFile(path, "wb", compresslevel=1, mtime=0)
        self.lines: list[str] = [HEADERS[path.name].replace(" ", "\t")]
        self.late: list[str] = []  # lines held back, written one batch later: ids out of order
        self.started = False
        self.error: BaseException | None = None
        self.queue: queue.Queue[bytes | None] = queue.Queue(maxsize=4)
        self.thread = threading.Thread(target=self._compress, name=f"gzip {path.name}", daemon=True)
        self.thread.start()

    def _compress(self) -> None:
        try:
            while (data := self.queue.get()) is not None:
                self.raw.write(data)
        except BaseException as exc:  # a full disk: kept for the writer, and the queue drained so it never blocks
            self.error = exc
            while self.queue.get() is not None:
                pass

    def flush(self) -> None:
        if self.error is not None:
            raise self.error
        lines = self.lines
        if not lines:
            return
        text = "\n".join(lines)
        self.queue.put((("\n" + text) if self.started else text).encode("utf-8"))
        self.started = True
        lines.clear()

    def __enter__(self) -> _Sink:
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self.lines.extend(self.late)
            self.late.clear()
            self.flush()
            if self.final_newline:
                self.queue.put(b"\n")
        finally:
            self.queue.put(None)
            self.thread.join()
            self.raw.close()
        if self.error is not None and exc[0] is None:
            raise self.error


@dataclass(frozen=True)
class Shape:
    """How many titles of each kind, and how many lines each writes in the other files."""

    film_share: float  # of title.basics: movie and tvMovie
    others: tuple[tuple[str, float], ...]  # the other titleTypes, with weights
    film_akas: tuple[int, int]  # extra akas per film beyond the original / RU / US ones: randint range
    other_akas: tuple[int, int]
    film_principals: tuple[int, int]  # rows per film in title.principals
    other_principals: tuple[int, int]
    people_per_title: float  # name.basics lines per title.basics line
    other_rated: float  # share of non-film titles in title.ratings
    id_gap: int  # tconst steps 1..id_gap apart


SHAPES = {
    "compact": Shape(0.80, (("tvEpisode", 6), ("short", 2), ("tvSeries", 1), ("video", 1), ("tvMiniSeries", 1),
                            ("videoGame", 1)), (0, 1), (0, 2), (4, 14), (2, 6), 1.0, 0.5, 30),
    # IMDb's files in 2024–2025 (sources in the module docstring): about 12M titles of which ~75 %
    # episodes and ~7 % films, ~4.2 akas, ~7.5 principals and ~1.17 people per title.
    "real": Shape(0.072, (("tvEpisode", 75.5), ("short", 9.0), ("video", 2.6), ("tvSeries", 2.4),
                          ("tvMiniSeries", 0.5), ("tvSpecial", 0.4), ("videoGame", 0.4), ("tvShort", 0.1),
                          ("tvPilot", 0.01)), (2, 16), (1, 6), (8, 20), (3, 11), 1.17, 0.10, 5),
}
REGIONS = ("US", "GB", "FR", "DE", "IT", "ES", "JP", "BR", "IN", "CA", "AU", "MX", "SE", "PL", "TR", "GR", "NL",
           "XWW", "RU", "UA", "PT", "AR", "FI", "HU", "RO", "DK", "KR", "CN")
LANGUAGES = {"FR": "fr", "DE": "de", "IT": "it", "ES": "es", "JP": "ja", "BR": "pt", "IN": "hi", "SE": "sv",
             "PL": "pl", "TR": "tr", "GR": "el", "NL": "nl", "RU": "ru", "UA": "uk", "PT": "pt", "FI": "fi",
             "HU": "hu", "RO": "ro", "DK": "da", "KR": "ko", "CN": "zh", "XWW": "en"}
CREW_JOBS = ("producer", "composer", "cinematographer", "editor", "production_designer", "casting_director")
OTHER_CATEGORIES = ("actor", "actress", "self", "actor", "actress", "director", "writer", "producer", "self",
                    "archive_footage")
REPEATED_SHARE = 0.05  # titles where one actor has two characters: the same nconst at two orderings
LATE_SHARE = 0.004  # title blocks (and people) written a batch later: ids out of order
UNSORTED = ("title.basics.tsv.gz", "title.akas.tsv.gz", "title.principals.tsv.gz", "name.basics.tsv.gz")
NO_FINAL_NEWLINE = ("title.akas.tsv.gz", "title.principals.tsv.gz", "name.basics.tsv.gz")
BATCH = 20_000  # titles per flush
FULL_FILMS = 864_000  # with shape="real": about 12 million title.basics lines, as IMDb's


def text_order(count: int) -> list[int]:
    """The orderings 1..count in the order IMDb's title.principals lists them: 10, 11, …, then 1, 2, …, 9."""
    return [*range(10, count + 1), *range(1, min(count, 9) + 1)]


def _nconst(rank: int) -> int:
    """The id of the person at popularity `rank`: increasing, with gaps, no list kept."""
    return 1 + 4 * rank + ((rank * 2654435761) >> 13) % 4


def _write(rng: random.Random, sinks: dict[str, _Sink], films: int, samples: int, words: tuple[_Words, ...],
           shape: Shape) -> tuple[int, dict[str, int], list[Sample]]:
    english, _, _, first, last = words
    expected_titles = max(int(films / shape.film_share), films + 1)
    people = max(int(expected_titles * shape.people_per_title), 20)
    directors = max(people // 8, 5)
    # Zipf-like 1/(rank+20) popularity, drawn by its inverse: 20·(span^u) − 20.
    span = (people + 20) / 20
    basics, akas, ratings, crew, principals = (sinks[name] for name in (
        "title.basics.tsv.gz", "title.akas.tsv.gz", "title.ratings.tsv.gz", "title.crew.tsv.gz",
        "title.principals.tsv.gz"))
    counts = {"titles": 0, "akas": 0, "principals": 0, "people": people}
    kept: list[Sample] = []
    stride = max(films // samples, 1)
    other_kinds = [kind for kind, _ in shape.others]
    other_cum = list(accumulate(weight for _, weight in shape.others))
    # Non-film titles need text only to look real; a pool drawn once keeps the 90 % of lines fast.
    pool = [_english(rng, english) for _ in range(4096)]
    characters = [f'["{first.pick()}"]' for _ in range(2048)] + ['["Self"]'] * 512
    random_ = rng.random
    randint = rng.randint
    film_akas_low, film_akas_high = shape.film_akas
    other_akas_low, other_akas_high = shape.other_akas
    film_rows_low, film_rows_high = shape.film_principals
    other_rows_low, other_rows_high = shape.other_principals

    def person() -> int:
        return _nconst(int(20 * span ** random_()) - 20)

    # Above every IMDb id in data/films.yaml, so a generated film never merges into a bundled one.
    tconst = 1_000_000
    made = 0
    batch = 0
    while made < films:
        tconst += randint(1, shape.id_gap)
        tt = f"tt{tconst:07d}"
        late = random_() < LATE_SHARE
        if random_() < shape.film_share:
            kind = "movie" if random_() < 0.82 else "tvMovie"
            adult = kind == "movie" and random_() < 0.005
            feature = not adult
            rows = _film(rng, tt, kind, adult, words, person, directors, characters,
                         (film_akas_low, film_akas_high), (film_rows_low, film_rows_high))
            line, aka_lines, rating, crew_line, principal_lines, sample = rows
        else:
            feature = False
            kind = other_kinds[bisect(other_cum, random_() * other_cum[-1])]
            title = pool[randint(0, 4095)]
            if kind == "tvEpisode" and random_() < 0.4:
                title = f"Episode #{randint(1, 12)}.{randint(1, 24)}"
            year = 2025 - int(135 * random_() ** 2.5)
            runtime = N if random_() < 0.4 else str(randint(3, 60))
            adult = kind == "video" and random_() < 0.1
            line = f"{tt}\t{kind}\t{title}\t{title}\t{int(adult)}\t{year}\t{N}\t{runtime}\t{GENRES[randint(0, 21)]}"
            aka_lines = [f"{tt}\t1\t{title}\t{N}\t{N}\toriginal\t{N}\t1"]
            for ordering in range(2, randint(other_akas_low, other_akas_high) + 1):
                region = REGIONS[randint(0, 27)]
                aka_lines.append(f"{tt}\t{ordering}\t{title}\t{region}\t{LANGUAGES.get(region, N)}\t"
                                 f"{N}\t{N}\t0")
            rating = (f"{tt}\t{randint(10, 95) / 10}\t{int(5 * rng.paretovariate(1.2))}"
                      if random_() < shape.other_rated else None)
            count = randint(other_rows_low, other_rows_high)
            credited = []
            director = writer = None
            for _ in range(count):
                category = OTHER_CATEGORIES[randint(0, 9)]
                n = person()
                if category == "director":
                    director = director or n
                elif category == "writer":
                    writer = writer or n
                credited.append((category, n, characters[randint(0, 2559)] if category in ("actor", "actress",
                                                                                           "self") else N))
            if count > 1 and random_() < REPEATED_SHARE:
                credited[-1] = ("actor", credited[0][1], characters[randint(0, 2559)])
            crew_line = f"{tt}\t{f'nm{director:07d}' if director else N}\t{f'nm{writer:07d}' if writer else N}"
            principal_lines = [f"{tt}\t{o}\tnm{credited[o - 1][1]:07d}\t{credited[o - 1][0]}\t{N}\t"
                               f"{credited[o - 1][2]}" for o in text_order(count)]
            sample = None
        for sink, lines in ((basics, (line,)), (akas, aka_lines), (principals, principal_lines)):
            (sink.late if late and sink.name in UNSORTED else sink.lines).extend(lines)
        crew.lines.append(crew_line)
        if rating:
            ratings.lines.append(rating)
        counts["titles"] += 1
        counts["akas"] += len(aka_lines)
        counts["principals"] += len(principal_lines)
        if feature:
            if made % stride == 0 and len(kept) < samples and sample is not None:
                kept.append(sample)
            made += 1
        batch += 1
        if batch >= BATCH:
            _flush(sinks)
            batch = 0
    _flush(sinks)
    names_out = sinks["name.basics.tsv.gz"]
    professions = ("actor", "actress", "actor,director", "writer", "producer", "director,writer", "self",
                   "actress,soundtrack", "composer", "editor,camera_department")
    for rank in range(people):
        nconst = _nconst(rank)
        born = str(randint(1860, 2005)) if rank < directors or random_() < 0.15 else N
        line = f"nm{nconst:07d}\t{_person(first, last, nconst)}\t{born}\t{N}\t{professions[rank % 10]}\t{N}"
        (names_out.late if random_() < LATE_SHARE else names_out.lines).append(line)
        if len(names_out.lines) >= 50_000:
            _flush(sinks)
    return made, counts, kept


def _film(rng: random.Random, tt: str, kind: str, adult: bool, words: tuple[_Words, ...],
          person: Callable[[], int], directors: int, characters: list[str], akas_range: tuple[int, int],
          rows_range: tuple[int, int]) -> tuple:
    """One movie or tvMovie: its lines in every title file and, unless adult, its Sample."""
    english, russian, foreign, first, last = words
    (akas_low, akas_high), (rows_low, rows_high) = akas_range, rows_range
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
    runtime = N if rng.random() < 0.05 else str(rng.randint(70, 170) if not adult else rng.randint(5, 60))
    genres = ",".join(sorted(rng.sample(GENRES, rng.randint(1, 3))))
    line = f"{tt}\t{kind}\t{title}\t{original}\t{int(adult)}\t{year}\t{N}\t{runtime}\t{genres}"
    names = [(original, N, N, "original", "1")]
    if ru:
        names += [(ru, "RU", "ru" if rng.random() < 0.5 else N, "imdbDisplay", "0"),
                  (title, "US", N, "imdbDisplay", "0")]
    if rng.random() < 0.5:
        names.append((title, rng.choice(("GB", "CA", "AU")), N, N, "0"))
    if rng.random() < 0.25:
        names.append((foreign.title().capitalize(), rng.choice(("FR", "DE", "IT")), N, "imdbDisplay", "0"))
    for _ in range(rng.randint(akas_low, akas_high)):
        region = REGIONS[rng.randrange(len(REGIONS))]
        names.append((title if rng.random() < 0.6 else foreign.title().capitalize(), region,
                      LANGUAGES.get(region, N), N if rng.random() < 0.7 else "alternative", "0"))
    aka_lines = [f"{tt}\t{ordering}\t{name}\t{region}\t{language}\t{types}\t{N}\t{is_original}"
                 for ordering, (name, region, language, types, is_original) in enumerate(names, 1)]
    rating = None
    if rng.random() < 0.85:
        rating = f"{tt}\t{rng.randint(10, 95) / 10}\t{int(5 * rng.paretovariate(0.9))}"
    directed = [_nconst(rng.randrange(directors)) for _ in range(2 if rng.random() < 0.1 else 1)]
    if len(directed) == 2 and directed[0] == directed[1]:
        directed.pop()
    writers = [person() for _ in range(1 if rng.random() < 0.7 else 2)]
    total = rng.randint(rows_low, rows_high)
    # Billing as IMDb numbers it: the leads, then the crew, then (from ordering 10 on) more cast.
    leads: list[int] = []
    for _ in range(rng.randint(2, 6)):
        n = person()
        if n not in leads and n not in directed:
            leads.append(n)
    rows = [("actor" if rng.random() < 0.6 else "actress", n, characters[rng.randrange(2048)]) for n in leads]
    rows += [("director", n, N) for n in directed] + [("writer", n, N) for n in writers]
    for job in CREW_JOBS:
        if len(rows) >= min(total, 9):
            break
        rows.append((job, person(), N))
    while len(rows) < total:
        rows.append(("actor" if rng.random() < 0.6 else "actress", person(), characters[rng.randrange(2048)]))
    if rng.random() < REPEATED_SHARE * 4:  # films: a fifth of them, so small test sizes always have some
        lead = rows[0]
        rows.insert(rng.randint(len(leads), len(rows)), (lead[0], lead[1], characters[rng.randrange(2048)]))
    principal_lines = [f"{tt}\t{o}\tnm{rows[o - 1][1]:07d}\t{rows[o - 1][0]}\t{N}\t{rows[o - 1][2]}"
                       for o in text_order(len(rows))]
    crew_line = f"{tt}\t{','.join(f'nm{n:07d}' for n in directed)}\t{','.join(f'nm{n:07d}' for n in writers)}"
    sample = None
    if not adult:
        billed = dict.fromkeys(n for category, n, _ in rows if category in ("actor", "actress"))
        sample = Sample(tt, title, original if ru else None, ru, year, tuple(_person(first, last, n) for n in directed),
                        tuple(_person(first, last, n) for n in billed))
    return line, aka_lines, rating, crew_line, principal_lines, sample


def _person(first: _Words, last: _Words, nconst: int) -> str:
    """A person's name as a function of their id, so a film's credits can be named before name.basics is written."""
    mixed = (nconst * 2654435761) & 0xFFFFFFFF
    return f"{first.words[mixed % len(first.words)]} {last.words[(mixed >> 9) % len(last.words)]}"


def _flush(sinks: dict[str, _Sink]) -> None:
    """Write every file's batch; the lines held back start the next batch, after higher ids."""
    for sink in sinks.values():
        held, sink.late = sink.late, []
        sink.flush()
        sink.lines.extend(held)


def main() -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.imdb_data", description=__doc__.split("\n")[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--films", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1957)
    parser.add_argument("--shape", choices=SHAPES, default="compact")
    parser.add_argument("--full", action="store_true", help=f"IMDb's real size and shape ({FULL_FILMS:,} films)")
    args = parser.parse_args()
    started = time.perf_counter()
    films, shape = (FULL_FILMS, "real") if args.full else (args.films, args.shape)
    data = write_dataset(args.folder, films=films, seed=args.seed, shape=shape)
    lines = data.titles * 2 + data.akas + data.principals + data.people
    print(f"{data.films:,} films in {data.titles:,} titles, {data.akas:,} akas, {data.principals:,} principals, "
          f"{data.people:,} people → {data.folder} in {time.perf_counter() - started:.1f} s "
          f"({lines / (time.perf_counter() - started):,.0f} lines/s, ratings not counted)")


if __name__ == "__main__":
    main()
