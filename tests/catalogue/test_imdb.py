"""`kinoclub import imdb`: generated IMDb-shaped files into a real SQLite file, checked by what is stored and found."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from benchmarks.imdb_data import Dataset, Sample, write_dataset
from bot.catalogue import imdb
from bot.catalogue.imdb import ImdbFileError, import_imdb, pipeline
from bot.catalogue.imdb.progress import Quiet
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.cli import main
from bot.store import Store
from bot.store.models import FilmDraft
from bot.ui.films import film_card

FILMS = 600


@pytest.fixture
def data(tmp_path: Path) -> Dataset:
    return write_dataset(tmp_path / "imdb", films=FILMS, seed=7)


def rows(path: Path) -> list[list[str]]:
    with gzip.open(path, "rt", encoding="utf-8") as stream:
        return [line.rstrip("\n").split("\t") for line in stream]


def rewrite(path: Path, lines: list[bytes]) -> None:
    path.write_bytes(gzip.compress(b"\n".join(lines) + b"\n"))


def raw_lines(path: Path) -> list[bytes]:
    return gzip.decompress(path.read_bytes()).rstrip(b"\n").split(b"\n")


def russian(data: Dataset) -> Sample:
    return next(sample for sample in data.samples if sample.cyrillic and sample.directors)


async def film_count(store: Store) -> int:
    return await store.films.count()


async def test_import_loads_films_with_their_facts_credits_genres_and_imdb_rating(store, data):
    report = await import_imdb(store, data.folder)
    assert report.merge.films_added == data.films == await film_count(store)
    sample = russian(data)
    film = await store.films.get_by_key(sample.key)
    assert (film.title, film.original_title, film.year, film.source) == (sample.title, sample.original,
                                                                          sample.year, "imdb")
    assert film.imdb_id == int(sample.key[2:])
    assert film.directors == sample.directors
    basics = {row[0]: row for row in rows(data.folder / "title.basics.tsv.gz")}
    assert list(film.genres) == basics[sample.key][8].split(",")
    assert film.runtime == (None if basics[sample.key][7] == "\\N" else int(basics[sample.key][7]))
    assert 1 <= len(film.cast) <= imdb.MAX_CAST
    ratings = {row[0]: row for row in rows(data.folder / "title.ratings.tsv.gz")[1:]}
    rated = next(key for key in (s.key for s in data.samples) if key in ratings)
    row = await store.fetchone("SELECT imdb_rating, imdb_votes, popularity FROM films WHERE key = ?", (rated,))
    assert tuple(row) == (float(ratings[rated][1]), int(ratings[rated][2]), int(ratings[rated][2]))
    card = film_card(await store.films.get_by_key(rated)).to_dict()
    shown = {field["name"]: field["value"] for field in card["fields"]}
    assert shown["IMDb rating"] == f"{float(ratings[rated][1]):.1f}/10 from {int(ratings[rated][2]):,} votes"
    assert "Club rating" not in shown
    # IMDb's figure is a fact about the film, never a member's rating.
    assert (await store.counts())["ratings"] == 0


async def test_only_the_chosen_title_types_are_kept(store, data):
    basics = rows(data.folder / "title.basics.tsv.gz")[1:]
    await import_imdb(store, data.folder)
    episode = next(row[0] for row in basics if row[1] == "tvEpisode")
    adult = [row[0] for row in basics if row[4] == "1"]
    assert await store.films.get_by_key(episode) is None
    assert all([await store.films.get_by_key(key) is None for key in adult])
    report = await import_imdb(store, data.folder, types=["movie", "tvMovie", "tvEpisode"])
    assert report.merge.films_added == sum(row[1] == "tvEpisode" for row in basics)
    assert await store.films.get_by_key(episode) is not None


async def test_search_finds_a_russian_film_by_its_cyrillic_transliterated_and_english_titles(store, data):
    await import_imdb(store, data.folder)
    sample = russian(data)
    catalogue = Catalogue(store)
    for query in (sample.cyrillic, sample.original, sample.title, sample.cyrillic.split()[0]):
        keys = [hit.film.key for hit in await catalogue.search(query)]
        assert sample.key in keys, query
    aka = await store.fetchone("SELECT language FROM film_titles t JOIN films f ON f.id = t.film_id "
                               "WHERE f.key = ? AND t.norm = ?", (sample.key, normalise(sample.cyrillic)))
    assert aka is not None


async def test_directors_are_searchable_like_the_bundled_ones(store, data):
    await import_imdb(store, data.folder)
    sample = russian(data)
    film = await store.films.get_by_key(sample.key)
    surname = sample.directors[0].split()[-1]
    assert film.id in await store.films.ids_with_credit("director", normalise(surname), 500)
    assert film.id in await store.films.ids_with_credit("director", normalise(sample.directors[0]), 500)


async def test_importing_the_same_files_again_changes_nothing(store, data):
    first = await import_imdb(store, data.folder)
    counts = await store.counts()
    names = await store.fetchone("SELECT count(*) FROM film_titles")
    again = await import_imdb(store, data.folder)
    assert (again.merge.films_added, again.merge.films_updated, again.merge.ratings_changed) == (0, 0, 0)
    assert await store.counts() == counts
    assert tuple(await store.fetchone("SELECT count(*) FROM film_titles")) == tuple(names)
    assert first.merge.names == again.merge.names
    sample = russian(data)
    assert sample.key in [hit.film.key for hit in await Catalogue(store).search(sample.cyrillic)]


async def test_a_changed_rating_and_title_are_updated_in_place(store, data):
    await import_imdb(store, data.folder)
    sample = russian(data)
    film = await store.films.get_by_key(sample.key)
    ratings = raw_lines(data.folder / "title.ratings.tsv.gz")
    ratings = [line for line in ratings if not line.startswith(sample.key.encode())]
    rewrite(data.folder / "title.ratings.tsv.gz", [*ratings, f"{sample.key}\t9.9\t123456".encode()])
    basics = [line.replace(sample.title.encode(), b"Renamed By IMDb") if line.startswith(sample.key.encode())
              else line for line in raw_lines(data.folder / "title.basics.tsv.gz")]
    rewrite(data.folder / "title.basics.tsv.gz", basics)
    report = await import_imdb(store, data.folder)
    assert (report.merge.films_added, report.merge.films_updated, report.merge.ratings_changed) == (0, 1, 1)
    after = await store.films.get_by_key(sample.key)
    assert (after.id, after.title, after.popularity) == (film.id, "Renamed By IMDb", 123456)
    assert await film_count(store) == data.films
    hits = await Catalogue(store).search("renamed by imdb")
    assert hits[0].film.id == film.id


async def test_a_moderators_film_with_the_same_imdb_id_is_merged_not_duplicated(store, data):
    sample = russian(data)
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(
            tx, FilmDraft(key="m-cranes", title="Our Title", source="moderator", imdb_id=int(sample.key[2:]),
                          added_by=42), normalise)
        await store.ratings.put(tx, 1, 7, film_id, 9)
    report = await import_imdb(store, data.folder)
    assert report.merge.films_merged == 1
    assert await film_count(store) == data.films
    film = await store.films.get(film_id)
    assert (film.key, film.title, film.source, film.added_by, film.year) == ("m-cranes", "Our Title", "moderator",
                                                                              42, sample.year)
    assert film.directors == sample.directors
    assert [rating.score for rating in await store.ratings.of_film(1, film_id)] == [9]
    for query in ("our title", sample.cyrillic, sample.title):
        assert film_id in [hit.film.id for hit in await Catalogue(store).search(query)], query
    await import_imdb(store, data.folder)
    assert await film_count(store) == data.films
    assert (await store.films.get(film_id)).aliases == film.aliases


async def test_a_bundled_film_arriving_after_the_import_takes_over_the_imported_one(store, data):
    sample = russian(data)
    await import_imdb(store, data.folder)
    imported = await store.films.by_imdb(int(sample.key[2:]))
    assert imported.popularity > 1
    async with store.transaction() as tx:
        await store.ratings.put(tx, 1, 7, imported.id, 8)
    draft = FilmDraft(key="curated-1957", title="Curated Title", source="bundled", year=sample.year,
                      imdb_id=imported.imdb_id, popularity=1)
    async with store.transaction() as tx:
        assert await store.films.upsert(tx, draft, normalise) == (imported.id, "updated")
    async with store.transaction() as tx:
        assert await store.films.upsert(tx, draft, normalise) == (imported.id, "unchanged")
    film = await store.films.get(imported.id)
    assert (film.key, film.title, film.source) == ("curated-1957", "Curated Title", "bundled")
    assert film.popularity == imported.popularity  # IMDb's vote count still ranks it
    assert await film_count(store) == data.films
    assert [rating.score for rating in await store.ratings.of_film(1, imported.id)] == [8]
    assert [hit.film.id for hit in await Catalogue(store).search("curated title")][:1] == [imported.id]


async def test_malformed_lines_are_skipped_and_reported_with_their_numbers(store, data):
    path = data.folder / "title.basics.tsv.gz"
    lines = raw_lines(path)
    bad = {
        3: b"tt9900001\tmovie\tToo Few Columns",
        6: b"tt9900002\tmovie\tBad Year\tBad Year\t0\t19x7\t\\N\t90\tDrama",
        9: b"tt9900003\tmovie\tBroken\tBroken\t0\t1999\t\\N\t90\tDrama".replace(b"Broken", b"Bro\xff\xfeken"),
        12: b"xx9900004\tmovie\tNo Id\tNo Id\t0\t1999\t\\N\t90\tDrama",
    }
    for line in sorted(bad):
        lines.insert(line - 1, bad[line])
    rewrite(path, lines)
    ratings = raw_lines(data.folder / "title.ratings.tsv.gz")
    # A line for a film that is kept: lines about titles not imported are passed over unchecked.
    bad_rating = f"{data.samples[0].key}\tmany\t12".encode()
    rewrite(data.folder / "title.ratings.tsv.gz", [*ratings[:4], bad_rating, *ratings[4:]])
    report = await import_imdb(store, data.folder)
    basics = next(state for state in report.files if state.name == path.name)
    assert basics.skipped == 4
    assert [problem.split(":")[0] for problem in basics.problems] == ["line 3", "line 6", "line 9", "line 12"]
    assert "3 columns, expected 9" in basics.problems[0]
    assert "startYear '19x7'" in basics.problems[1]
    assert "not UTF-8" in basics.problems[2]
    ratings_state = next(state for state in report.files if state.name == "title.ratings.tsv.gz")
    assert (ratings_state.skipped, ratings_state.problems[0][:7]) == (1, "line 5:")
    assert await film_count(store) == data.films
    summary = "\n".join(report.summary())
    assert "skipped line 3: 3 columns, expected 9; line 6:" in summary


async def test_a_file_with_the_wrong_header_is_refused_before_anything_is_written(store, data):
    path = data.folder / "title.principals.tsv.gz"
    lines = raw_lines(path)
    rewrite(path, [b"tconst\tordering\tnconst\tcategory\tjob", *lines[1:]])
    with pytest.raises(ImdbFileError, match=r"title.principals.tsv.gz:1: unexpected header"):
        await import_imdb(store, data.folder)
    assert await film_count(store) == 0
    assert not store.imdb.staging_path.exists()


async def test_a_truncated_download_keeps_the_lines_before_the_break(store, data):
    path = data.folder / "title.basics.tsv.gz"
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) // 2])
    report = await import_imdb(store, data.folder)
    basics = next(state for state in report.files if state.name == path.name)
    assert basics.skipped == 1 and "the file ends early" in basics.problems[0]
    assert 0 < await film_count(store) < data.films
    assert await store.check() == []


class PowerCut(Quiet):
    """Fails after a few batches: what Ctrl-C or a crash does to the staging thread."""

    def __init__(self, after: int, phase: str | None = None) -> None:
        self.after, self.fail_phase, self.seen = after, phase, 0

    def advance(self, name: str, position: int, lines: int) -> None:
        self.seen += 1
        if self.fail_phase is None and self.seen == self.after:
            raise RuntimeError("power cut")

    def phase(self, text: str) -> None:
        if text == self.fail_phase:
            raise RuntimeError("power cut")


async def test_an_interrupted_import_leaves_the_catalogue_alone_and_resumes(store, data, monkeypatch):
    monkeypatch.setattr(imdb, "BATCH_BYTES", 4000)
    with pytest.raises(RuntimeError, match="power cut"):
        await import_imdb(store, data.folder, progress=PowerCut(after=12))
    assert await film_count(store) == 0
    assert store.imdb.staging_path.exists()
    report = await import_imdb(store, data.folder)
    assert report.resumed
    assert report.merge.films_added == data.films == await film_count(store)
    assert next(state for state in report.files if state.name == "title.basics.tsv.gz").kept == data.films
    assert not store.imdb.staging_path.exists()


async def test_a_merge_that_fails_rolls_back_with_the_search_triggers_in_place(store, data):
    with pytest.raises(RuntimeError, match="power cut"):
        await import_imdb(store, data.folder, progress=PowerCut(after=0, phase="search indexes"))
    assert await film_count(store) == 0
    triggers = await store.fetchall("SELECT name FROM sqlite_master WHERE type = 'trigger' "
                                    "AND tbl_name = 'film_titles' ORDER BY name")
    assert [row[0] for row in triggers] == ["film_titles_ad", "film_titles_ai", "film_titles_au"]
    report = await import_imdb(store, data.folder)
    assert report.resumed and report.merge.films_added == data.films


def test_the_cli_imports_then_search_finds_a_russian_title(data, tmp_path, capsys):
    settings = tmp_path / "config.yaml"
    settings.write_text(f"database:\n  path: {tmp_path / 'club.db'}\n", encoding="utf-8")
    assert main(["import", "imdb", str(data.folder), "--config", str(settings)]) == 0
    out = capsys.readouterr()
    assert f"films: {data.films:,} added, 0 updated" in out.out
    assert "title.basics.tsv.gz: reading" in out.err  # plain progress lines: stderr is not a terminal
    sample = russian(data)
    assert main(["search", sample.cyrillic, "--config", str(settings)]) == 0
    assert sample.key in capsys.readouterr().out


def test_the_cli_refuses_a_folder_without_imdb_files(tmp_path, capsys):
    settings = tmp_path / "config.yaml"
    settings.write_text(f"database:\n  path: {tmp_path / 'club.db'}\n", encoding="utf-8")
    assert main(["import", "imdb", str(tmp_path), "--config", str(settings)]) == 1
    assert "none of IMDb's dataset files is there" in capsys.readouterr().err


async def test_worker_processes_and_small_chunks_give_the_same_catalogue(store, data, tmp_path, monkeypatch):
    (data.folder / "title.crew.tsv.gz").unlink()  # directors from title.principals instead
    (data.folder / "title.ratings.tsv.gz").unlink()
    lines = raw_lines(data.folder / "title.akas.tsv.gz")
    lines.insert(700, b"tt0000001\tnot a number")
    rewrite(data.folder / "title.akas.tsv.gz", lines)
    inline = await import_imdb(store, data.folder)
    monkeypatch.setattr(pipeline, "MIN_POOL_BYTES", 0)
    monkeypatch.setattr(pipeline, "WORKERS", 2)
    monkeypatch.setattr(imdb, "BATCH_BYTES", 3000)  # chunks of ~30 lines: titles' groups meet the edges often
    async with Store.open(tmp_path / "pooled.db") as other:
        await other.migrate()
        pooled = await import_imdb(other, data.folder)
        assert [(s.name, s.lines, s.kept, s.filtered, s.skipped, s.problems) for s in pooled.files] == [
            (s.name, s.lines, s.kept, s.filtered, s.skipped, s.problems) for s in inline.files]
        assert inline.files[1].problems == ["line 701: 2 columns, expected 8"]
        films = [await store.films.get_many(await store.films.popular(FILMS)), await other.films.get_many(
            await other.films.popular(FILMS))]
        assert [[(f.key, f.directors, f.cast, f.aliases, f.genres) for f in found] for found in films] == [
            [(f.key, f.directors, f.cast, f.aliases, f.genres) for f in films[0]]] * 2
        assert all(len(film.cast) <= imdb.MAX_CAST for film in films[1])


async def test_a_damaged_staging_file_is_started_afresh(store, data):
    store.imdb.staging_path.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    report = await import_imdb(store, data.folder)
    assert not report.resumed and report.merge.films_added == data.films
