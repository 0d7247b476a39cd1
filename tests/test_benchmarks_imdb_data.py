"""The benchmark's IMDb generator: IMDb's file format, the real files' quirks and their proportions."""

from __future__ import annotations

import gzip
import itertools
from collections import defaultdict
from pathlib import Path

import pytest

from benchmarks.__main__ import full_import_rows
from benchmarks.imdb_data import FULL_FILMS, SHAPES, Dataset, text_order, write_dataset
from benchmarks.imdb_import import ImportFigures

# As IMDb documents them (https://developer.imdb.com/non-commercial-datasets/), written out here
# rather than taken from the importer, so the two cannot drift together.
COLUMNS = {
    "title.basics.tsv.gz": ["tconst", "titleType", "primaryTitle", "originalTitle", "isAdult", "startYear", "endYear",
                            "runtimeMinutes", "genres"],
    "title.akas.tsv.gz": ["titleId", "ordering", "title", "region", "language", "types", "attributes",
                          "isOriginalTitle"],
    "title.ratings.tsv.gz": ["tconst", "averageRating", "numVotes"],
    "title.crew.tsv.gz": ["tconst", "directors", "writers"],
    "title.principals.tsv.gz": ["tconst", "ordering", "nconst", "category", "job", "characters"],
    "name.basics.tsv.gz": ["nconst", "primaryName", "birthYear", "deathYear", "primaryProfession", "knownForTitles"],
}


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return write_dataset(tmp_path_factory.mktemp("real"), films=300, seed=5, shape="real")


@pytest.fixture(scope="module")
def compact(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return write_dataset(tmp_path_factory.mktemp("compact"), films=300, seed=5)


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> Dataset:
    return write_dataset(tmp_path_factory.mktemp("larger"), films=3000, seed=3, shape="real")


def raw(path: Path) -> bytes:
    return gzip.decompress(path.read_bytes())


def rows(path: Path) -> list[list[str]]:
    return [line.split("\t") for line in raw(path).decode("utf-8").split("\n")[1:] if line]


def grouped(data: Dataset, name: str) -> dict[str, list[list[str]]]:
    """A title's rows, in file order; fails if one title's rows are not contiguous."""
    out: dict[str, list[list[str]]] = defaultdict(list)
    previous = None
    for row in rows(data.folder / name):
        assert row[0] == previous or row[0] not in out, f"{row[0]}'s rows are split in {name}"
        out[row[0]].append(row)
        previous = row[0]
    return out


def test_text_order_lists_two_digit_orderings_first():
    assert text_order(4) == [1, 2, 3, 4]
    assert text_order(9) == list(range(1, 10))
    assert text_order(12) == [10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9]


@pytest.mark.parametrize("shape", ["real", "compact"])
def test_files_are_gzip_tsv_with_imdbs_header_columns_and_nulls(shape, real, compact):
    data = real if shape == "real" else compact
    assert sorted(path.name for path in data.folder.iterdir()) == sorted(COLUMNS)
    for name, columns in COLUMNS.items():
        text = raw(data.folder / name).decode("utf-8")  # whole gzip stream, valid UTF-8
        lines = text.rstrip("\n").split("\n")
        assert lines[0].split("\t") == columns, name
        assert all(len(line.split("\t")) == len(columns) for line in lines[1:]), name
        fields = [field for line in lines[1:] for field in line.split("\t")]
        assert "\r" not in text, name
        assert not any(field[:1] == '"' and field[-1:] == '"' for field in fields), f"{name}: a quoted field"
        assert "" not in fields, f"{name}: an empty field instead of \\N"
    basics = rows(data.folder / "title.basics.tsv.gz")
    assert any(row[6] == "\\N" for row in basics) and all(row[4] in ("0", "1") for row in basics)
    assert all(row[0].startswith("tt") and len(row[0]) >= 9 for row in basics)
    principals = rows(data.folder / "title.principals.tsv.gz")
    assert {row[5] for row in principals if row[3] == "director"} == {"\\N"}
    assert all(row[5].startswith('["') for row in principals if row[3] in ("actor", "actress"))


def test_the_same_seed_writes_the_same_bytes(tmp_path, real):
    again = write_dataset(tmp_path / "again", films=300, seed=5, shape="real")
    for name in COLUMNS:
        assert (again.folder / name).read_bytes() == (real.folder / name).read_bytes(), name
    other = write_dataset(tmp_path / "other", films=300, seed=6, shape="real")
    assert (other.folder / "title.basics.tsv.gz").read_bytes() != (real.folder / "title.basics.tsv.gz").read_bytes()


@pytest.mark.parametrize("shape", ["real", "compact"])
def test_principals_orderings_are_sorted_as_imdb_sorts_them(shape, real, compact):
    data = real if shape == "real" else compact
    long = 0
    for tconst, title in grouped(data, "title.principals.tsv.gz").items():
        orderings = [int(row[1]) for row in title]
        assert sorted(orderings) == list(range(1, len(orderings) + 1)), tconst
        assert orderings == text_order(len(orderings)), tconst
        long += len(orderings) >= 10
    assert long >= 20  # enough titles where file order and billing order differ


def test_a_person_appears_twice_in_some_titles_with_two_characters(real, compact):
    for data in (real, compact):
        twice = []
        for title in grouped(data, "title.principals.tsv.gz").values():
            seen: dict[str, list[str]] = defaultdict(list)
            for row in title:
                if row[3] in ("actor", "actress"):
                    seen[row[2]].append(row[5])
            twice += [characters for characters in seen.values() if len(characters) > 1]
        assert len(twice) >= 5, data.shape
        assert any(len(set(characters)) == len(characters) for characters in twice)


def test_samples_carry_the_billing_by_numeric_ordering_each_person_once(real):
    names = {row[0]: row[1] for row in rows(real.folder / "name.basics.tsv.gz")}
    principals = grouped(real, "title.principals.tsv.gz")
    differs = 0
    for sample in real.samples:
        title = principals[sample.key]
        by_number = sorted(title, key=lambda row: int(row[1]))
        billed = list(dict.fromkeys(row[2] for row in by_number if row[3] in ("actor", "actress")))
        assert list(sample.cast) == [names[n] for n in billed]
        in_file = list(dict.fromkeys(row[2] for row in title if row[3] in ("actor", "actress")))
        differs += in_file[:6] != billed[:6]
        crew = {row[0]: row for row in rows(real.folder / "title.crew.tsv.gz")}[sample.key]
        assert list(sample.directors) == [names[n] for n in crew[1].split(",")]
        assert [row[2] for row in by_number if row[3] == "director"] == crew[1].split(",")
    assert differs >= 0.2 * len(real.samples)  # an importer billing in file order gets these wrong


@pytest.mark.parametrize("name", ["title.basics.tsv.gz", "title.akas.tsv.gz", "title.principals.tsv.gz",
                                  "name.basics.tsv.gz"])
def test_ids_are_not_sorted_in_some_files_yet_each_titles_rows_stay_together(name, larger):
    data = larger
    ids = [int(row[0][2:]) for row in rows(data.folder / name)]
    assert ids != sorted(ids)
    assert sum(a > b for a, b in itertools.pairwise(ids)) < 0.01 * len(ids)  # mostly in order
    if name in ("title.basics.tsv.gz", "name.basics.tsv.gz"):
        assert len(set(ids)) == len(ids)
    if name != "name.basics.tsv.gz":
        grouped(data, name)
    # People the titles credit are all in name.basics, whatever the order.
    if name == "name.basics.tsv.gz":
        credited = {row[2] for row in rows(data.folder / "title.principals.tsv.gz")}
        assert credited <= {f"nm{n:07d}" for n in ids}


def test_some_files_end_without_a_final_newline(real, compact):
    for data in (real, compact):
        ends = {name: raw(data.folder / name).endswith(b"\n") for name in COLUMNS}
        assert ends == {"title.basics.tsv.gz": True, "title.ratings.tsv.gz": True, "title.crew.tsv.gz": True,
                        "title.akas.tsv.gz": False, "title.principals.tsv.gz": False, "name.basics.tsv.gz": False}
        assert not raw(data.folder / "title.akas.tsv.gz").endswith(b"\n\n")


def test_the_real_shape_has_imdbs_proportions(larger):
    data = larger
    basics = rows(data.folder / "title.basics.tsv.gz")
    counts = {name: len(rows(data.folder / name)) for name in COLUMNS}
    assert (data.titles, data.akas, data.principals, data.people) == (
        counts["title.basics.tsv.gz"], counts["title.akas.tsv.gz"], counts["title.principals.tsv.gz"],
        counts["name.basics.tsv.gz"])
    films = sum(row[1] in ("movie", "tvMovie") and row[4] == "0" for row in basics)
    assert films == data.films
    assert 0.05 < films / data.titles < 0.10  # IMDb: under a tenth of title.basics are films
    episodes = sum(row[1] == "tvEpisode" for row in basics)
    assert episodes / data.titles > 0.65  # episodes dominate
    assert 3.6 < data.akas / data.titles < 4.8  # ~50M akas for ~12M titles
    assert 6.8 < data.principals / data.titles < 8.2  # ~90M principals
    assert 1.0 < data.people / data.titles < 1.35  # ~14M people
    assert counts["title.crew.tsv.gz"] == data.titles  # IMDb's crew file has a line per title
    # Scaled up, the full size lands on IMDb's: about 12M titles.
    assert 10e6 < data.titles * FULL_FILMS / data.films < 14e6


def test_the_compact_shape_keeps_films_the_bulk_of_the_titles(compact):
    assert compact.films / compact.titles > 0.7
    assert set(SHAPES) == {"compact", "real"}
    with pytest.raises(ValueError, match="shape 'huge'"):
        write_dataset(compact.folder.parent / "x", films=10, shape="huge")


def test_the_full_import_rows_carry_targets_and_failures():
    figures = ImportFigures(films=864_000, basics_lines=12_000_000, basics_rate=400_000.0, shell_rate=800_000.0,
                            all_rate=300_000.0, catalogue_seconds=100.0, index_seconds=20.0, total_seconds=700.0,
                            peak_rss_mb=320.0, wall_seconds=710.0, files=(("title.basics.tsv.gz", 12_000_000, 30.0),),
                            commit_seconds=5.0, billing=(2000, 1990, 3), tree_rss_mb=410.0)
    rows = full_import_rows(figures, 1.0, (400.0, 170_000_000))
    table = {row[0].split(": ", 1)[1]: row[1:] for row in rows}
    assert table["whole import (wall)"] == ("710 s", "≤ 15 min", "ok")
    assert table["peak RSS of the importer (its process; with its workers)"] == ("320 MB; 410 MB", "≤ 500 MB", "ok")
    assert table["sampled films billed by numeric ordering"][2] == "MISSED"
    failed = ImportFigures(0, 0, 0.0, None, 0.0, 0.0, 0.0, 50.0, 0.0, wall_seconds=50.0, error="exit 1: boom")
    assert full_import_rows(failed, 0.1, (40.0, 17_000_000))[-1][3] == "MISSED"
