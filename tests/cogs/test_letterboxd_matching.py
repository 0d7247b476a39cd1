"""/import letterboxd on the cases real exports brought, /export ratings in Letterboxd's import
format, and export → import as a no-op, as a member sees them in Discord."""

from __future__ import annotations

import csv
import io
import zipfile

from bot.catalogue.normalise import normalise
from bot.store.models import FilmDraft, Title
from tests.cogs.test_member_data import dump

# Letterboxd's documented import columns, in its order (Rating, the 0.5–5 stars, says what Rating10 says).
HEADER = ["LetterboxdURI", "tmdbID", "imdbID", "Title", "Year", "Directors", "Rating10", "WatchedDate", "Rewatch",
          "Tags", "Review"]
OFF_BY_ONE = 21  # ratings one year off their film in one real export (festival versus release year)

RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n" + (
    "2023-01-02,Beast,2022,https://boxd.it/beast,3.5\n"
    "2023-03-01,Restless,2022,https://boxd.it/restless,4\n"
    "2023-02-01,Close,2022,https://boxd.it/close,5\n"
    "2023-01-05,The Stranger,2022,https://boxd.it/thestranger,4\n"
    "2023-01-06,Stranger,2022,https://boxd.it/stranger,2\n"
    "2023-05-01,Rain,2019,https://boxd.it/rain,4\n"
    "2023-05-02,rain,2019,https://boxd.it/rain-2019,1.5\n"
    "2023-01-07,Menu,2022,https://boxd.it/menu,1\n"
    "2024-01-01,Leo,2023,https://boxd.it/leo,3\n"
) + "".join(f"2022-06-{n + 1:02d},Festival Film {n},2020,https://boxd.it/ff{n},3\n" for n in range(OFF_BY_ONE))
DIARY = (
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    '2023-01-02,Beast,2022,https://boxd.it/d-beast,3.5,,"cinema, 2023",2022-12-30\n'
    "2023-05-01,Rain,2019,https://boxd.it/d-rain,4,Yes,,2023-04-30\n"
)


def export_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ratings.csv", RATINGS)
        archive.writestr("diary.csv", DIARY)
        archive.writestr("watched.csv", "Date,Name,Year,Letterboxd URI\n")
    return out.getvalue()


async def add(club, key: str, title: str, year: int, votes: int = 0, aliases: tuple[str, ...] = (),
              imdb: int | None = None, directors: tuple[str, ...] = ()) -> int:
    draft = FilmDraft(key=key, title=title, year=year, source="imdb" if imdb else "moderator", popularity=votes,
                      imdb_id=imdb, directors=directors, aliases=tuple(Title(a, "en") for a in aliases))
    async with club.store.transaction() as tx:
        film_id, _ = await club.store.films.upsert(tx, draft, normalise)
    return film_id


async def catalogue(club) -> dict[str, int]:
    ids = {
        "beast": await add(club, "tt13223398", "Beast", 2022, 30_000, imdb=13223398, directors=("Baltasar Kormákur",)),
        "beast-0": await add(club, "tt22300000", "Beast", 2022, imdb=22300000),
        "restless": await add(club, "m-restless-a", "Restless", 2022, 30_000),
        "close": await add(club, "m-close", "Close", 2022, 20_000, directors=("Lukas Dhont",)),
        "the-stranger": await add(club, "tt15455074", "The Stranger", 2022, 40_000, imdb=15455074),
        "stranger": await add(club, "m-stranger", "Stranger", 2022),
        "rain": await add(club, "m-rain", "Rain", 2019),
    }
    await add(club, "m-zver", "Zver", 2022, 45_000, aliases=("Beast",))
    await add(club, "m-restless-b", "Restless", 2022)
    await add(club, "m-sans-repit", "Sans répit", 2022, 31_000, aliases=("Restless",))
    await add(club, "m-blizko", "Blizko", 2022, 50_000, aliases=("Close",))
    await add(club, "m-the-menu", "The Menu", 2022, 400_000)
    await add(club, "m-leo-a", "Leo", 2023)
    await add(club, "m-leo-b", "Leo", 2023)
    for n in range(OFF_BY_ONE):
        ids[f"ff{n}"] = await add(club, f"m-ff{n}", f"Festival Film {n}", 2021)
    return ids


async def rows_of(attachment) -> list[list[str]]:
    return list(csv.reader(io.StringIO((await attachment.read()).decode())))


async def test_the_reply_counts_each_rule_and_unmatched_csv_lists_the_candidates(club):
    ids = await catalogue(club)
    result = await club.alice.slash(club.channel, "import letterboxd", file=("letterboxd-alice.zip", export_zip()))
    content = result.response.content
    assert content.splitlines()[:2] == [
        "Matched 27 films in the catalogue.",
        "Matched 3 by exact title and year; 1 by the film's own title over another's alternative title; "
        "2 by the most IMDb votes among films of that title and year; "
        "21 with the year one off (festival versus release year).",
    ]
    assert "- 27 ratings added or changed" in content
    assert "Unmatched: 3 films not found in the catalogue (see unmatched.csv)." in content
    (attachment,) = result.response.attachments
    tie = "as many IMDb votes (0) as another film of that title and year"
    assert await rows_of(attachment) == [
        ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Candidate", "Candidate Year", "Not Chosen Because"],
        ["2023-01-07", "Menu", "2022", "https://boxd.it/menu", "1",
         "The Menu", "2022", "its title starts with 'The', the row's has no leading article"],
        ["2024-01-01", "Leo", "2023", "https://boxd.it/leo", "3", "Leo", "2023", tie],
        ["2024-01-01", "Leo", "2023", "https://boxd.it/leo", "3", "Leo", "2023", tie],
        ["2023-05-02", "rain", "2019", "https://boxd.it/rain-2019", "1.5",
         "Rain", "2019", "the row 'Rain' (2019), another Letterboxd film, matched it"],
    ]
    store, guild, alice = club.store, club.guild.id, club.alice.id
    got = {r.film_id: (r.score, r.watched_on) for r in await store.ratings.of_member(guild, alice)}
    assert got[ids["beast"]] == (7, "2022-12-30") and ids["beast-0"] not in got
    assert got[ids["the-stranger"]] == (8, None) and got[ids["stranger"]] == (4, None)
    assert got[ids["rain"]] == (8, "2023-04-30")  # the diary's "Rain", not the other film "rain"
    assert all(got[ids[f"ff{n}"]] == (6, None) for n in range(OFF_BY_ONE))
    links = await store.imports.links_of(guild, alice)
    assert links[ids["beast"]] == "https://boxd.it/beast"  # ratings.csv's film link, not the diary's
    club.assert_pings_no_one()


async def test_the_export_is_letterboxds_import_format(club):
    await catalogue(club)
    await club.alice.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    cranes = (await club.store.films.get_by_key("the-cranes-are-flying-1957")).id
    async with club.store.transaction() as tx:
        await club.store.ratings.put(tx, club.guild.id, club.alice.id, cranes, 9, review='Veronika, "the" crane',
                                     watched_on="2024-01-03", at="2099-01-01T10:00:00+00:00")
    result = await club.alice.slash(club.channel, "export ratings")
    (attachment,) = result.response.attachments
    text = (await attachment.read()).decode()
    assert text.splitlines()[0] == ",".join(HEADER)
    rows = {(row[3], row[4]): row for row in (await rows_of(attachment))[1:]}
    cranes_film = await club.store.films.get(cranes)
    assert rows["The Cranes Are Flying", "1957"] == [
        "", "", cranes_film.imdb, "The Cranes Are Flying", "1957", ", ".join(cranes_film.directors), "9",
        "2024-01-03", "", "", 'Veronika, "the" crane',
    ]
    assert rows["Beast", "2022"] == [
        "https://boxd.it/beast", "", "tt13223398", "Beast", "2022", "Baltasar Kormákur", "7", "2022-12-30", "", "", "",
    ]
    assert rows["Close", "2022"][:7] == ["https://boxd.it/close", "", "", "Close", "2022", "Lukas Dhont", "10"]
    assert len(rows) == 28  # the 27 imported and the one rated here


async def test_export_then_import_changes_nothing(club):
    ids = await catalogue(club)
    await club.alice.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    store, guild, alice = club.store, club.guild.id, club.alice.id
    async with store.transaction() as tx:
        # Rated here, with no Letterboxd link: the zero-vote Beast (found back by its IMDb id, not
        # the popular one its title would choose), bundled films with and without an IMDb id (that
        # one found back by title and year), and a rating with a review.
        await store.ratings.put(tx, guild, alice, ids["beast-0"], 3, at="2024-02-01T10:00:00+00:00")
        cranes = (await store.films.get_by_key("the-cranes-are-flying-1957")).id
        await store.ratings.put(tx, guild, alice, cranes, 9, review="Veronika", watched_on="2024-01-03")
        ballad = (await store.films.get_by_key("ballad-of-a-soldier-1959")).id
        await store.ratings.put(tx, guild, alice, ballad, 7, at="2024-01-01T10:00:00+00:00")
        commissar = (await store.films.get_by_key("the-commissar-1967")).id
        await store.ratings.put(tx, guild, alice, commissar, 10, watched_on="2023-11-07")
    exported = await club.alice.slash(club.channel, "export ratings")
    data = await exported.response.attachments[0].read()
    before = await dump(club)
    again = await club.alice.slash(club.channel, "import letterboxd", file=("kinoclub-ratings.csv", data))
    content = again.response.content
    assert content.splitlines()[:2] == [
        "Matched 31 films in the catalogue.",
        "Matched 27 by the Letterboxd link of an earlier import; 3 by IMDb id; 1 by exact title and year.",
    ]
    assert "- 0 ratings added or changed" in content and "- 31 already the same here" in content
    assert "Unmatched: none." in content and not again.response.attachments
    assert await dump(club) == before
