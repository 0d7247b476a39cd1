"""Matching Letterboxd rows to the catalogue, rule by rule, on the cases real exports brought.

Every file is hand-written in Letterboxd's export columns (ratings.csv: Date, Name, Year,
Letterboxd URI, Rating; diary.csv adds Rewatch, Tags, Watched Date) or its import format.
"""

from __future__ import annotations

import pytest

from bot.catalogue.letterboxd import read_export
from bot.catalogue.letterboxd_match import match
from bot.catalogue.normalise import normalise
from bot.errors import UserError
from bot.store.models import FilmDraft, Title

RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n"
USER, GUILD = 7, 1


async def add(store, key: str, title: str, year: int, votes: int = 0, aliases: tuple[str, ...] = (),
              imdb: int | None = None) -> int:
    draft = FilmDraft(key=key, title=title, year=year, source="imdb" if imdb else "moderator", popularity=votes,
                      imdb_id=imdb, aliases=tuple(Title(alias, "en") for alias in aliases))
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, draft, normalise)
    return film_id


async def matched(store, text: str, filename: str = "ratings.csv"):
    """What each row matched (film id, rule) and the candidates of each unmatched row, by "Name (Year)"."""
    entries = read_export(text.encode(), filename)
    assert len({_row(e) for e in entries}) == len(entries)
    result = await match(store, GUILD, USER, entries)
    films = {_row(e): (result.films[e.key].film_id, result.films[e.key].rule) for e in entries if e.key in result.films}
    why = {_row(row.entry): [(c.title, c.year, c.why) for c in row.candidates] for row in result.unmatched}
    return films, why


def _row(entry) -> str:
    return f"{entry.name} ({entry.year})"


async def test_beast_goes_to_the_popular_film_not_the_unknown_one_or_an_alias(store):
    popular = await add(store, "tt13223398", "Beast", 2022, votes=30_000, imdb=13223398)
    await add(store, "m-beast", "Beast", 2022, votes=0)
    await add(store, "m-zver", "Zver", 2022, votes=45_000, aliases=("Beast",))
    films, _ = await matched(store, RATINGS + "2023-01-02,Beast,2022,https://boxd.it/beast,3.5\n")
    assert films == {"Beast (2022)": (popular, "votes")}


async def test_restless_likewise_and_a_tie_is_not_guessed(store):
    restless = await add(store, "m-restless-a", "Restless", 2022, votes=30_000)
    await add(store, "m-restless-b", "Restless", 2022, votes=0)
    await add(store, "m-sans-repit", "Sans répit", 2022, votes=31_000, aliases=("Restless",))
    await add(store, "m-leo-a", "Leo", 2023)
    await add(store, "m-leo-b", "Leo", 2023)
    films, why = await matched(store, RATINGS + "2023-03-01,Restless,2022,https://boxd.it/r,4\n"
                                                "2024-01-01,Leo,2023,https://boxd.it/leo,3\n")
    assert films == {"Restless (2022)": (restless, "votes")}
    tie = "as many IMDb votes (0) as another film of that title and year"
    assert why == {"Leo (2023)": [("Leo", 2023, tie), ("Leo", 2023, tie)]}


async def test_a_films_own_title_beats_another_films_alternative_title(store):
    close = await add(store, "m-close", "Close", 2022, votes=20_000)
    await add(store, "m-blizko", "Blizko", 2022, votes=50_000, aliases=("Close",))
    films, _ = await matched(store, RATINGS + "2023-02-01,Close,2022,https://boxd.it/close,5\n")
    assert films == {"Close (2022)": (close, "own")}


async def test_the_year_one_off_matches_only_when_one_film_is(store):
    omer = await add(store, "m-saint-omer", "Saint Omer", 2023)
    pacifiction = await add(store, "m-pacifiction", "Pacifiction", 2021)
    await add(store, "m-joyland-a", "Joyland", 2021)
    await add(store, "m-joyland-b", "Joyland", 2023)
    await add(store, "m-bones", "Bones and All", 2019)
    films, why = await matched(store, RATINGS + (
        "2023-01-01,Saint Omer,2022,https://boxd.it/so,4\n"      # festival 2022, release 2023
        "2023-01-02,Pacifiction,2022,https://boxd.it/pa,3.5\n"   # release 2021 on IMDb
        "2023-01-03,Joyland,2022,https://boxd.it/jo,4\n"
        "2023-01-04,Bones and All,2022,https://boxd.it/ba,3\n"
    ))
    assert films == {"Saint Omer (2022)": (omer, "year"), "Pacifiction (2022)": (pacifiction, "year")}
    assert why == {
        "Joyland (2022)": [("Joyland", 2021, "year one off, as 1 other film of that name"),
                    ("Joyland", 2023, "year one off, as 1 other film of that name")],
        "Bones and All (2022)": [("Bones and All", 2019, "year more than one off")],
    }


async def test_a_leading_article_never_joins_two_titles(store):
    the_stranger = await add(store, "tt15455074", "The Stranger", 2022, votes=40_000, imdb=15455074)
    stranger = await add(store, "m-stranger", "Stranger", 2022)
    await add(store, "m-the-menu", "The Menu", 2022, votes=400_000)
    films, why = await matched(store, RATINGS + (
        "2023-01-05,The Stranger,2022,https://boxd.it/ts,4\n"
        "2023-01-06,Stranger,2022,https://boxd.it/st,2\n"
        "2023-01-07,Menu,2022,https://boxd.it/mn,1\n"
        "2023-01-08,The Stranger,2021,https://boxd.it/ts2,1\n"
    ))
    assert films == {"The Stranger (2022)": (the_stranger, "exact"), "Stranger (2022)": (stranger, "exact")}
    assert why["Menu (2022)"] == [("The Menu", 2022, "its title starts with 'The', the row's has no leading article")]
    # The other "The Stranger" row names a 2021 film: one year off leaves exactly "The Stranger" (2022),
    # never "Stranger" (2022), but that film is taken by the row with its own year and link.
    assert why["The Stranger (2021)"] == [
        ("The Stranger", 2022, "the row 'The Stranger' (2022), another Letterboxd film, matched it")
    ]


async def test_rows_with_different_links_stay_different_films(store):
    films, why = await matched(store, RATINGS + "2023-05-01,Rain,2019,https://boxd.it/rain1,4\n"
                                                "2023-05-02,rain,2019,https://boxd.it/rain2,1.5\n")
    assert films == {} and set(why) == {"Rain (2019)", "rain (2019)"}
    rain = await add(store, "m-rain", "Rain", 2019)
    films, why = await matched(store, RATINGS + "2023-05-01,Rain,2019,https://boxd.it/rain1,4\n"
                                                "2023-05-02,rain,2019,https://boxd.it/rain2,1.5\n")
    # Only one of the two Letterboxd films is in the catalogue: the row spelling it exactly has it.
    assert films == {"Rain (2019)": (rain, "exact")}
    assert why == {"rain (2019)": [("Rain", 2019, "the row 'Rain' (2019), another Letterboxd film, matched it")]}
    lowercase = await add(store, "m-rain-2019", "rain", 2019)
    films, why = await matched(store, RATINGS + "2023-05-01,Rain,2019,https://boxd.it/rain1,4\n"
                                                "2023-05-02,rain,2019,https://boxd.it/rain2,1.5\n")
    assert films == {"Rain (2019)": (rain, "exact"), "rain (2019)": (lowercase, "exact")} and why == {}


async def test_a_diary_keeps_two_films_of_one_name_and_year_apart_from_their_dates(store):
    zipped_diary = (
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
        "2023-05-03,Rain,2019,https://boxd.it/d1,4,,,2023-05-01\n"
        "2023-05-04,rain,2019,https://boxd.it/d2,1.5,,,2023-05-02\n"
    )
    entries = read_export(zipped_diary.encode(), "diary.csv")
    assert sorted((e.name, e.score, e.watched_on, e.link) for e in entries) == [
        ("Rain", 8, "2023-05-01", None), ("rain", 3, "2023-05-02", None),  # a diary link names a viewing
    ]


async def test_kinoclubs_own_export_and_letterboxds_import_format_are_read(store):
    cranes = await add(store, "tt0050634", "The Cranes Are Flying", 1957, imdb=50634)
    text = (
        "LetterboxdURI,tmdbID,imdbID,Title,Year,Directors,Rating10,WatchedDate,Rewatch,Tags,Review\n"
        "https://boxd.it/c,,tt0050634,The Cranes Are Flying,1957,Mikhail Kalatozov,9,2024-01-03,,,"
        '"Veronika, ""the"" crane"\n'
        ",,,Ballad of a Soldier,1959,Grigoriy Chukhray,,,,,\n"
    )
    entries = read_export(text.encode(), "kinoclub-ratings.csv")
    assert sorted((e.name, e.score, e.watched_on, e.link, e.imdb_id) for e in entries) == [
        ("Ballad of a Soldier", None, None, None, None),
        ("The Cranes Are Flying", 9, "2024-01-03", "https://boxd.it/c", 50634),
    ]
    films, _ = await matched(store, text, "kinoclub-ratings.csv")
    assert films == {"The Cranes Are Flying (1957)": (cranes, "imdb")}
    # kinoclub's export before Letterboxd's full format, and Letterboxd's star Rating column.
    old = "Title,Year,Rating10,WatchedDate,Review,imdbID\nThe Cranes Are Flying,1957,10,2024-01-03,,tt0050634\n"
    (entry,) = read_export(old.encode(), "kinoclub-ratings.csv")
    assert (entry.score, entry.imdb_id) == (10, 50634)
    (entry,) = read_export(b"imdbID,Rating\ntt0050634,4.5\n", "list.csv")
    assert (entry.score, entry.name) == (9, "")
    # Rows of one film are its viewings: the latest dates it, the latest rated one scores it.
    viewings = "Title,Year,Rating10,WatchedDate\nX,1999,6,2020-01-01\nX,1999,8,2021-01-01\nX,1999,,2022-01-01\n"
    (entry,) = read_export(viewings.encode(), "import.csv")
    assert (entry.score, entry.watched_on) == (8, "2022-01-01")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Title,Year,Rating10\nX,1999,11\n", "import.csv:2: Rating10 '11' is not a whole number 1–10."),
        ("Title,Year,Rating10\nX,1999,4.5\n", "import.csv:2: Rating10 '4.5' is not a whole number 1–10."),
        ("Title,imdbID,Rating10\nX,nm0000001,4\n", "import.csv:2: imdbID 'nm0000001' is not an IMDb id"),
        ("Title,Year,Rating10,WatchedDate\nX,1999,4,03/01/2024\n", "import.csv:2: WatchedDate '03/01/2024'"),
        ("Title,Year,Rating10\n,1999,4\n", "import.csv:2: no LetterboxdURI, tmdbID, imdbID, Title"),
        ("Title,Year\nX,1999\n", "import.csv:1: missing column Rating10 or Rating"),
    ],
)
def test_a_bad_import_format_row_is_refused_by_line(text, expected):
    with pytest.raises(UserError) as caught:
        read_export(text.encode(), "import.csv")
    assert caught.value.message.startswith(expected), caught.value.message
