"""/import letterboxd, /export ratings, /forget me: a member's own ratings in and out of a server."""

from __future__ import annotations

import csv
import io
import zipfile

from bot.catalogue import letterboxd

CRANES = "the-cranes-are-flying-1957"
BALLAD = "ballad-of-a-soldier-1959"
IRONY = "the-irony-of-fate-1975"
POTEMKIN = "battleship-potemkin-1925"

RATINGS = (
    "\ufeffDate,Name,Year,Letterboxd URI,Rating\n"
    '2024-01-02,"The Irony of Fate, or Enjoy Your Bath!",1975,https://boxd.it/a,4.5\n'
    "2024-01-03,Battleship Potemkin,1925,https://boxd.it/b,\n"
    "2024-01-04,The Cranes Are Flying,1957,https://boxd.it/c,5\n"
    "2023-05-01,Ballad of a Soldier,1959,https://boxd.it/e,4\n"
    '2024-01-05,"Nobody\'s Film, Really",2001,https://boxd.it/z,3\n'
)
DIARY = (
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    "2020-05-01,Ballad of a Soldier,1959,https://boxd.it/d1,3,,,2020-04-30\n"
    '2023-05-01,Ballad of a Soldier,1959,https://boxd.it/d2,4.5,Yes,"war, ussr",2023-04-29\n'
    "2021-05-01,Ballad of a Soldier,1959,https://boxd.it/d3,2,Yes,,2021-04-30\n"
    "2024-01-04,The Cranes Are Flying,1957,https://boxd.it/d4,5,,,2024-01-03\n"
)
DECOY = (
    "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"
    "2024-01-01,Battleship Potemkin,1925,https://boxd.it/x,0.5,,,2024-01-01\n"
)


def export_zip(files: dict[str, str | bytes] | None = None) -> bytes:
    files = files if files is not None else {
        "ratings.csv": RATINGS, "diary.csv": DIARY, "deleted/diary.csv": DECOY, "orphaned/ratings.csv": DECOY,
        "profile.csv": "Date Joined,Username\n",
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


async def film_id(club, key: str) -> int:
    return (await club.store.films.get_by_key(key)).id


async def scores(club, member) -> dict[str, tuple[int, str | None]]:
    ratings = await club.store.ratings.of_member(club.guild.id, member.id)
    films = {f.id: f.key for f in await club.store.films.get_many([r.film_id for r in ratings])}
    return {films[r.film_id]: (r.score, r.watched_on) for r in ratings}


async def dump(club) -> list[tuple]:
    rows = []
    for table in ("ratings", "rating_history"):
        rows += [(table, *tuple(row)) for row in await club.store.fetchall(f"SELECT * FROM {table} ORDER BY 1, 2, 3")]
    return rows


async def test_import_the_whole_export_zip(club):
    result = await club.alice.slash(club.channel, "import letterboxd", file=("letterboxd-alice.zip", export_zip()))
    assert result.ephemeral
    content = result.response.content
    assert content.startswith("Matched 3 films in the catalogue.")
    assert "- 3 ratings added or changed" in content
    assert "Unmatched: 1 film not found" in content and "Unrated: 1 film" in content
    assert await scores(club, club.alice) == {
        IRONY: (9, None),  # matched through its alias, whose title has a comma
        CRANES: (10, "2024-01-03"),
        BALLAD: (8, "2023-04-29"),  # ratings.csv's rating; the diary's latest rewatch for the date
    }
    # The decoy folders' Potemkin rating is not the member's; Potemkin is unrated in ratings.csv.
    (attachment,) = result.response.attachments
    assert attachment.filename == "unmatched.csv"
    rows = list(csv.reader(io.StringIO((await attachment.read()).decode())))
    assert rows == [
        ["Date", "Name", "Year", "Letterboxd URI", "Rating", "Candidate", "Candidate Year", "Not Chosen Because"],
        ["2024-01-05", "Nobody's Film, Really", "2001", "https://boxd.it/z", "3", "", "", ""],  # no film considered
    ]
    assert await scores(club, club.boris) == {}
    club.assert_pings_no_one()


async def test_reimporting_the_same_export_changes_nothing(club):
    await club.alice.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    before = await dump(club)
    again = await club.alice.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    assert "- 0 ratings added or changed" in again.response.content
    assert "- 3 already the same here" in again.response.content
    assert await dump(club) == before
    single = await club.alice.slash(club.channel, "import letterboxd", file=("ratings.csv", RATINGS.encode()))
    assert single.response.content.startswith("Matched 3 films") and await dump(club) == before


async def test_import_a_diary_alone_takes_each_films_latest_viewing(club):
    result = await club.alice.slash(club.channel, "import letterboxd", file=("diary.csv", DIARY.encode()))
    assert result.response.content.startswith("Matched 2 films") and not result.response.attachments
    assert await scores(club, club.alice) == {BALLAD: (9, "2023-04-29"), CRANES: (10, "2024-01-03")}


async def test_a_newer_rating_in_the_bot_wins_unless_overwrite(club):
    cranes = await film_id(club, CRANES)
    async with club.store.transaction() as tx:
        await club.store.ratings.put(
            tx, club.guild.id, club.alice.id, cranes, 4, review="Overrated?", at="2024-06-01T10:00:00+00:00"
        )
    data = RATINGS.encode()
    kept = await club.alice.slash(club.channel, "import letterboxd", file=("ratings.csv", data))
    assert "- 1 kept: you rated them here more recently; import again with overwrite: True" in kept.response.content
    assert (await scores(club, club.alice))[CRANES] == (4, None)

    forced = await club.alice.slash(club.channel, "import letterboxd", file=("ratings.csv", data), overwrite=True)
    assert "- 1 rating added or changed" in forced.response.content
    rating = await club.store.ratings.get(club.guild.id, club.alice.id, cranes)
    assert (rating.score, rating.review) == (10, "Overrated?")  # the review written here survives
    assert [score for score, _ in await club.store.ratings.history(club.guild.id, club.alice.id, cranes)] == [4, 10]


async def test_an_older_rating_in_the_bot_is_replaced(club):
    cranes = await film_id(club, CRANES)
    async with club.store.transaction() as tx:
        await club.store.ratings.put(tx, club.guild.id, club.alice.id, cranes, 4, at="2023-12-01T10:00:00+00:00")
    await club.alice.slash(club.channel, "import letterboxd", file=("ratings.csv", RATINGS.encode()))
    assert (await scores(club, club.alice))[CRANES] == (10, None)


async def import_refused(club, data: bytes, filename: str) -> str:
    before = await dump(club)
    counts = await club.store.counts()
    result = await club.alice.slash(club.channel, "import letterboxd", file=(filename, data))
    assert result.ephemeral
    message = result.response.content
    assert await dump(club) == before and await club.store.counts() == counts, message
    assert not result.response.message.mention_everyone
    return message


async def test_malformed_files_are_refused_whole(club):
    good_then_bad = RATINGS + "2024-01-06,Ballad of a Soldier,1959,https://boxd.it/q,7\n"
    cases = [
        (good_then_bad.encode(), "ratings.csv", "ratings.csv:7: Rating '7' is not 0.5–5 stars"),
        (RATINGS.replace("4.5", "abc").encode(), "ratings.csv", "ratings.csv:2: Rating 'abc'"),
        (b"Date,Name,Year,Rating\n2024-01-01,X,1999,4\n", "ratings.csv", "ratings.csv:1: missing column"),
        (bytes(range(256)) * 8, "ratings.csv", "ratings.csv:1: not UTF-8"),
        (bytes(range(256)) * 8, "export.zip", "export.zip is not a zip file"),
        (export_zip({"watched.csv": "Date,Name\n"}), "export.zip", "export.zip holds no ratings.csv or diary.csv"),
        (
            export_zip({"ratings.csv": RATINGS, "diary.csv": DIARY.replace("2023-04-29", "29/04/2023")}),
            "export.zip",
            "diary.csv:3: Watched Date '29/04/2023' is not a date",
        ),
        (
            export_zip({"ratings.csv": RATINGS + "2024-01-01,X,1999,u,4\n" * 1_000_000}),
            "export.zip",
            "export.zip unpacks to more than 20 MB",
        ),
        (b"x" * (letterboxd.MAX_FILE_BYTES + 1), "ratings.csv", "ratings.csv is 5.0 MB"),
        (b"hello", "notes.txt", "Attach ratings.csv, diary.csv or the whole Letterboxd export .zip."),
    ]
    for data, filename, expected in cases:
        message = await import_refused(club, data, filename)
        assert message.startswith(expected), (filename, message)


async def test_mentions_in_an_export_ping_no_one(club):
    data = b"Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,@everyone <@&1>,1999,u,6\n"
    message = await import_refused(club, data, "@everyone.csv")
    assert "Rating '6'" in message
    club.assert_pings_no_one()


async def test_export_ratings_in_letterboxd_import_format(club):
    cranes, ballad = await film_id(club, CRANES), await film_id(club, BALLAD)
    async with club.store.transaction() as tx:
        await club.store.ratings.put(tx, club.guild.id, club.alice.id, cranes, 9, review='Veronika, "the" crane',
                                     watched_on="2024-01-03", at="2024-01-04T10:00:00+00:00")
        await club.store.ratings.put(tx, club.guild.id, club.alice.id, ballad, 7, at="2024-01-01T10:00:00+00:00")
        await club.store.ratings.put(tx, club.guild.id, club.boris.id, ballad, 2)
    result = await club.alice.slash(club.channel, "export ratings")
    assert result.ephemeral
    (attachment,) = result.response.attachments
    assert attachment.filename.endswith(".csv")
    rows = list(csv.reader(io.StringIO((await attachment.read()).decode())))
    cranes_film = await club.store.films.get(cranes)
    assert rows[0] == [
        "LetterboxdURI", "tmdbID", "imdbID", "Title", "Year", "Directors", "Rating10", "WatchedDate", "Rewatch",
        "Tags", "Review",
    ]
    review = 'Veronika, "the" crane'
    directors = ", ".join(cranes_film.directors)
    assert rows[1] == ["", "", cranes_film.imdb, "The Cranes Are Flying", "1957", directors, "9", "2024-01-03",
                       "", "", review]
    assert cranes_film.imdb.startswith("tt") and directors
    assert rows[2][3:] == ["Ballad of a Soldier", "1959", rows[2][5], "7", "", "", "", ""]
    assert len(rows) == 3  # Boris's rating is his own

    empty = await club.boris.slash(club.channel, "export ratings")
    assert empty.ephemeral and len(empty.response.attachments) == 1
    nothing = await club.mod.slash(club.channel, "export ratings")
    assert nothing.ephemeral and nothing.response.content.startswith("You have no ratings in this server yet")


async def test_forget_me_after_confirming(club):
    await club.alice.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    await club.boris.slash(club.channel, "import letterboxd", file=("export.zip", export_zip()))
    asked = await club.alice.slash(club.channel, "forget me")
    assert asked.ephemeral and "cannot be undone" in asked.response.content
    cancelled = await club.alice.click(asked.response.message, label="Cancel")
    assert cancelled.response.message.content == "Cancelled; nothing was changed."
    assert len(await scores(club, club.alice)) == 3

    asked = await club.alice.slash(club.channel, "forget me")
    done = await club.alice.click(asked.response.message, label="Delete my data")
    assert done.response.message.content == (
        "Done: deleted 3 ratings (with their reviews), 3 rating history entries, 0 votes and 0 nominations."
    )
    assert await scores(club, club.alice) == {}
    assert await club.store.ratings.history(club.guild.id, club.alice.id, await film_id(club, CRANES)) == []
    assert len(await scores(club, club.boris)) == 3  # only the asking member's data goes
    club.assert_pings_no_one()
