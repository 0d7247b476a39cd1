"""`kinoclub import imdb` on small hand-written files shaped like IMDb's published ones.

Built from IMDb's documented format (gzipped UTF-8 TSV, a header line, `\\N` for null) and the
quirks of the real files, which the benchmark generator does not write: title.principals lists a
title's rows with `ordering` sorted as text (10, 11, …, 1, 2, …), one person may hold two orderings
of a title (two characters), ids are not always in order, and a file may end without a newline.
"""

from __future__ import annotations

import asyncio
import gzip
from pathlib import Path

from bot.catalogue import imdb
from bot.catalogue.bundled import load_bundle, read_bundle
from bot.catalogue.imdb import import_imdb
from bot.catalogue.imdb.files import AKAS, BASICS, CREW, NAMES, PRINCIPALS, RATINGS, Spec
from bot.catalogue.normalise import normalise
from bot.catalogue.search import Catalogue
from bot.cli import main
from bot.config import BUNDLED_DATA
from bot.store import Store
from bot.store.models import FilmDraft
from bot.ui.films import film_card

N = "\\N"


def write(folder: Path, spec: Spec, rows: list[list[str]], *, final_newline: bool = True) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    text = "\n".join("\t".join(row) for row in [list(spec.columns), *rows]) + ("\n" if final_newline else "")
    (folder / spec.name).write_bytes(gzip.compress(text.encode("utf-8")))


def basics(tconst: str, title: str, year: str = "2000", genres: str = "Drama", original: str | None = None,
           runtime: str = "100") -> list[str]:
    return [tconst, "movie", title, original or title, "0", year, N, runtime, genres]


def actor(tconst: str, ordering: int, nconst: str, character: str, category: str = "actor") -> list[str]:
    return [tconst, str(ordering), nconst, category, N, f'["{character}"]']


def name(nconst: str, who: str) -> list[str]:
    return [nconst, who, N, N, "actor", N]


def aka(tconst: str, ordering: int, title: str, region: str, language: str) -> list[str]:
    return [tconst, str(ordering), title, region, language, N, N, "0"]


def text_sorted(rows: list[list[str]]) -> list[list[str]]:
    """Principals' order in the published file: by tconst, then ordering compared as text."""
    return sorted(rows, key=lambda row: (row[0], row[1]))


async def card_field(store: Store, key: str, field: str) -> str:
    card = film_card(await store.films.get_by_key(key)).to_dict()
    return {item["name"]: item["value"] for item in card["fields"]}[field]


async def keys_found(store: Store, query: str) -> list[str]:
    return [hit.film.key for hit in await Catalogue(store).search(query)]


async def test_cast_is_billed_by_numeric_ordering_not_file_order(store, tmp_path):
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0000001", "Twelve Players")])
    people = [(f"nm00000{n:02d}", f"Player {n}") for n in range(1, 13)]
    principals = text_sorted([actor("tt0000001", n, nconst, f"Role {n}") for n, (nconst, _) in enumerate(people, 1)]
                             + [["tt0000001", "13", "nm0000099", "director", N, N]])
    assert [row[1] for row in principals][:5] == ["1", "10", "11", "12", "13"]  # as IMDb writes it
    write(folder, PRINCIPALS, principals)
    write(folder, NAMES, [name(nconst, who) for nconst, who in people] + [name("nm0000099", "The Director")])
    await import_imdb(store, folder)
    film = await store.films.get_by_key("tt0000001")
    assert film.cast == tuple(f"Player {n}" for n in range(1, imdb.MAX_CAST + 1))
    assert film.directors == ("The Director",)  # no title.crew: principals' director
    assert await card_field(store, "tt0000001", "Cast") == ", ".join(f"Player {n}" for n in range(1, 7))


async def test_a_person_at_two_orderings_is_credited_once_at_the_first(store, tmp_path):
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0000002", "Twins")])
    write(folder, PRINCIPALS, text_sorted([
        actor("tt0000002", 1, "nm0000001", "Zhang"), actor("tt0000002", 2, "nm0000002", "Jiaolong"),
        actor("tt0000002", 3, "nm0000003", "Liang"), actor("tt0000002", 11, "nm0000002", "Jiaolong's twin"),
    ]))
    write(folder, NAMES, [name("nm0000001", "Zhang Li"), name("nm0000002", "Jiaolong Sun"),
                          name("nm0000003", "Liang Jiaren")])
    await import_imdb(store, folder)
    assert (await store.films.get_by_key("tt0000002")).cast == ("Zhang Li", "Jiaolong Sun", "Liang Jiaren")
    assert await card_field(store, "tt0000002", "Cast") == "Zhang Li, Jiaolong Sun, Liang Jiaren"


async def test_directors_come_from_title_crew_in_its_order(store, tmp_path):
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0000003", "Two Directors")])
    write(folder, CREW, [["tt0000003", "nm0000012,nm0000011", "nm0000013"]])
    # principals lists them the other way round: title.crew's order is the one kept.
    write(folder, PRINCIPALS, [["tt0000003", "1", "nm0000011", "director", N, N],
                               ["tt0000003", "2", "nm0000012", "director", N, N]])
    write(folder, NAMES, [name("nm0000011", "Ann First"), name("nm0000012", "Bo Second")])
    await import_imdb(store, folder)
    assert (await store.films.get_by_key("tt0000003")).directors == ("Bo Second", "Ann First")


def inception(folder: Path) -> None:
    write(folder, BASICS, [basics("tt1375666", "Inception", "2010", "Action,Sci-Fi")])
    write(folder, AKAS, [aka("tt1375666", 1, "Inception", "US", N), aka("tt1375666", 2, "Начало", "RU", N)])
    write(folder, RATINGS, [["tt1375666", "8.8", "2600000"]])
    write(folder, CREW, [["tt1375666", "nm0634240", "nm0634240"]])
    write(folder, PRINCIPALS, [actor("tt1375666", 1, "nm0000138", "Cobb")])
    write(folder, NAMES, [name("nm0634240", "Christopher Nolan"), name("nm0000138", "Leonardo DiCaprio")])


async def test_a_second_partial_folder_leaves_the_first_folders_films_alone(store, tmp_path):
    inception(tmp_path / "a")
    await import_imdb(store, tmp_path / "a")
    before = await store.films.get_by_key("tt1375666")
    other = tmp_path / "b"
    write(other, BASICS, [basics("tt0000004", "Another Film")])
    write(other, AKAS, [aka("tt0000004", 1, "Другой фильм", "RU", N)])
    write(other, RATINGS, [["tt0000004", "6.1", "120"]])
    write(other, CREW, [["tt0000004", "nm0000021", N]])
    write(other, PRINCIPALS, [actor("tt0000004", 1, "nm0000022", "Lead")])
    write(other, NAMES, [name("nm0000021", "Other Director"), name("nm0000022", "Other Lead")])
    report = await import_imdb(store, other)
    assert (report.merge.films_added, report.merge.films_updated) == (1, 0)
    after = await store.films.get_by_key("tt1375666")
    assert after == before
    assert (after.directors, after.cast, after.genres) == (("Christopher Nolan",), ("Leonardo DiCaprio",),
                                                          ("Action", "Sci-Fi"))
    assert (after.imdb_rating, after.imdb_votes) == (8.8, 2600000)
    assert "tt1375666" in await keys_found(store, "Начало")
    assert after.id in await store.films.ids_with_credit("director", normalise("nolan"), 10)
    assert await card_field(store, "tt1375666", "Director") == "Christopher Nolan"
    assert "tt0000004" in await keys_found(store, "Другой фильм")


async def test_an_import_adds_to_a_bundled_film_and_a_bundle_reload_keeps_it(store, tmp_path, capsys):
    bundle = read_bundle(BUNDLED_DATA)
    await load_bundle(store, bundle)
    cranes = await store.films.get_by_key("the-cranes-are-flying-1957")
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0050634", "The Cranes Are Flying", "1957", "Drama,Romance,War",
                                  original="Letyat zhuravli", runtime="95")])
    write(folder, AKAS, [aka("tt0050634", 1, "Quand passent les cigognes", "FR", N),
                         aka("tt0050634", 2, "Летят журавли", "SUHH", "ru"),
                         aka("tt0050634", 3, "Wenn die Kraniche ziehen", "DE", N)])
    write(folder, RATINGS, [["tt0050634", "8.2", "25000"]])
    write(folder, CREW, [["tt0050634", "nm0436101", N]])
    write(folder, NAMES, [name("nm0436101", "Mikhail Kalatozov")])
    report = await import_imdb(store, folder)
    assert report.merge.films_merged == 1
    film = await store.films.get(cranes.id)
    # What the bundle set stands; IMDb adds what it lacks.
    assert (film.key, film.title, film.runtime, film.genres, film.directors, film.cast) == (
        cranes.key, cranes.title, cranes.runtime, cranes.genres, cranes.directors, cranes.cast)
    assert (film.imdb_rating, film.imdb_votes) == (8.2, 25000)
    assert "Quand passent les cigognes" in [alias.title for alias in film.aliases]
    for reload in (lambda: load_bundle(store, bundle), None):
        if reload is not None:
            assert (await reload()).films_updated == 0  # the bundle's own rows are as it gives them
        else:  # what an operator runs, in its own process
            settings = tmp_path / "config.yaml"
            settings.write_text(f"database:\n  path: {store.path}\n", encoding="utf-8")
            assert await asyncio.to_thread(main, ["import", "lists", "--config", str(settings)]) == 0
            assert "0 updated" in capsys.readouterr().out
        for query in ("Quand passent les cigognes", "wenn die kraniche", "Летят журавли", "Letyat zhuravli"):
            assert cranes.key in await keys_found(store, query), query
        again = await store.films.get(cranes.id)
        assert (again.aliases, again.imdb_rating, again.directors) == (film.aliases, 8.2, cranes.directors)


async def test_a_bundled_film_without_cast_keeps_imdbs_cast_and_runtime_over_reloads(store, tmp_path):
    draft = FilmDraft(key="sparse-2001", title="Sparse", source="bundled", year=2001, imdb_id=5,
                      directors=("Curated Director",), genres=("Curated Genre",))
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, draft, normalise)
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0000005", "Sparse", "2001", "Comedy", runtime="88")])
    write(folder, CREW, [["tt0000005", "nm0000031", N]])
    write(folder, PRINCIPALS, text_sorted([actor("tt0000005", 10, "nm0000033", "B"),
                                           actor("tt0000005", 2, "nm0000032", "A", "actress")]))
    write(folder, NAMES, [name("nm0000031", "Imdb Director"), name("nm0000032", "Ada Lead"),
                          name("nm0000033", "Bob Second")])
    await import_imdb(store, folder)
    for _ in range(2):
        film = await store.films.get(film_id)
        assert (film.directors, film.genres, film.cast, film.runtime) == (
            ("Curated Director",), ("Curated Genre",), ("Ada Lead", "Bob Second"), 88)
        async with store.transaction() as tx:
            assert await store.films.upsert(tx, draft, normalise) == (film_id, "unchanged")


async def test_unsorted_ids_split_titles_and_files_without_a_final_newline(store, tmp_path, monkeypatch):
    monkeypatch.setattr(imdb, "BATCH_BYTES", 64)  # a few lines a chunk: the edges fall everywhere
    folder = tmp_path / "imdb"
    films = [basics(f"tt00000{n:02d}", f"Film Number {n}") for n in (31, 7, 19, 2, 40)]
    write(folder, BASICS, films, final_newline=False)
    write(folder, AKAS, [aka("tt0000019", 1, "Фильм девятнадцать", "RU", N),
                         aka("tt0000007", 1, "Film sept", "FR", N),
                         aka("tt0000019", 2, "Фильм девятнадцать", "UA", N),
                         aka("tt0000040", 1, "Film quarante", "FR", N)], final_newline=False)
    # tt0000007's rows are not side by side, and the last line of the file has no newline.
    write(folder, PRINCIPALS, [actor("tt0000007", 3, "nm0000043", "C"), actor("tt0000007", 10, "nm0000044", "D"),
                               actor("tt0000002", 1, "nm0000041", "A"), actor("tt0000007", 1, "nm0000042", "B"),
                               actor("tt0000040", 1, "nm0000045", "E")], final_newline=False)
    write(folder, NAMES, [name(f"nm00000{n}", f"Person {n}") for n in (45, 41, 44, 42, 43)], final_newline=False)
    report = await import_imdb(store, folder)
    assert all(state.skipped == 0 for state in report.files)
    assert report.merge.films_added == 5
    assert (await store.films.get_by_key("tt0000007")).cast == ("Person 42", "Person 43", "Person 44")
    assert (await store.films.get_by_key("tt0000040")).cast == ("Person 45",)
    assert "tt0000040" in await keys_found(store, "film quarante")
    nineteen = await store.films.get_by_key("tt0000019")
    assert [alias.title for alias in nineteen.aliases] == ["Фильм девятнадцать"]


async def test_the_summary_counts_a_film_whose_genres_changed_as_updated(store, tmp_path):
    folder = tmp_path / "imdb"
    write(folder, BASICS, [basics("tt0000008", "Steady"), basics("tt0000009", "Regenred", genres="Drama")])
    await import_imdb(store, folder)
    write(folder, BASICS, [basics("tt0000008", "Steady"), basics("tt0000009", "Regenred", genres="Drama,History")])
    report = await import_imdb(store, folder)
    assert (report.merge.films_added, report.merge.films_updated) == (0, 1)
    assert "0 added, 1 updated" in "\n".join(report.summary())
    assert (await store.films.get_by_key("tt0000009")).genres == ("Drama", "History")
    assert (await import_imdb(store, folder)).merge.films_updated == 0
