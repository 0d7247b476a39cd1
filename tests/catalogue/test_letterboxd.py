"""Reading a Letterboxd export: columns, stars, rewatches, zips, and refusals naming file and line."""

from __future__ import annotations

import io
import zipfile

import pytest

from bot.catalogue import letterboxd
from bot.catalogue.letterboxd import read_export
from bot.catalogue.letterboxd_match import Candidate, Unmatched
from bot.catalogue.letterboxd_ratings import dump_unmatched
from bot.errors import UserError

RATINGS = "Date,Name,Year,Letterboxd URI,Rating\n"
DIARY = "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n"


def zipped(files: dict[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def refused(data: bytes, filename: str = "ratings.csv") -> str:
    with pytest.raises(UserError) as caught:
        read_export(data, filename)
    return caught.value.message


def test_ratings_csv_with_bom_commas_and_unrated_rows():
    text = RATINGS + (
        '2024-01-02,"The Irony of Fate, or Enjoy Your Bath!",1975,https://boxd.it/a,4.5\n'
        "2024-01-03,Battleship Potemkin,1925,https://boxd.it/b,\n"
        "\n"
        "2024-01-04,The Cranes Are Flying,1957,https://boxd.it/c,0.5\n"
    )
    entries = read_export(("\ufeff" + text).encode(), "ratings.csv")
    got = {(e.name, e.year): (e.score, e.rated_on, e.watched_on) for e in entries}
    assert got == {
        ("The Irony of Fate, or Enjoy Your Bath!", 1975): (9, "2024-01-02", None),
        ("Battleship Potemkin", 1925): (None, "2024-01-03", None),
        ("The Cranes Are Flying", 1957): (1, "2024-01-04", None),
    }


def test_diary_keeps_the_latest_viewing_per_film():
    text = DIARY + (
        "2020-05-01,Ballad of a Soldier,1959,https://boxd.it/d1,3,,,2020-04-30\n"
        "2023-05-01,Ballad of a Soldier,1959,https://boxd.it/d2,4.5,Yes,,2023-04-29\n"
        "2021-05-01,Ballad of a Soldier,1959,https://boxd.it/d3,2,Yes,,2021-04-30\n"
        "2022-01-01,The Cranes Are Flying,1957,https://boxd.it/d4,,,,2022-01-01\n"
    )
    (ballad, cranes) = read_export(text.encode(), "diary.csv")
    assert (ballad.score, ballad.watched_on, ballad.rated_on) == (9, "2023-04-29", "2023-05-01")
    assert (cranes.score, cranes.watched_on) == (None, "2022-01-01")


def test_in_a_zip_ratings_csv_is_the_rating_and_the_diary_the_watched_date():
    data = zipped({
        "ratings.csv": RATINGS + "2024-02-01,Ballad of a Soldier,1959,https://boxd.it/b,4\n",
        "diary.csv": DIARY + "2023-05-01,Ballad of a Soldier,1959,https://boxd.it/d,5,,,2023-04-29\n",
        "deleted/diary.csv": DIARY + "2023-05-01,Battleship Potemkin,1925,https://boxd.it/x,5,,,2023-04-29\n",
        "orphaned/ratings.csv": RATINGS + "2024-02-01,Battleship Potemkin,1925,https://boxd.it/x,5\n",
        "watched.csv": "Date,Name,Year,Letterboxd URI\n",
    })
    (ballad,) = read_export(data, "letterboxd-alice.zip")
    assert (ballad.score, ballad.watched_on, ballad.rated_on) == (8, "2023-04-29", "2024-02-01")


@pytest.mark.parametrize(
    ("data", "filename", "expected"),
    [
        ((RATINGS + "2024-01-01,X,1999,u,7\n").encode(), "ratings.csv", "ratings.csv:2: Rating '7' is not"),
        ((RATINGS + "2024-01-01,X,1999,u,abc\n").encode(), "ratings.csv", "ratings.csv:2: Rating 'abc'"),
        ((RATINGS + "2024-01-01,X,1999,u,4.25\n").encode(), "ratings.csv", "ratings.csv:2: Rating '4.25'"),
        ((RATINGS + "2024-01-01,X,19x9,u,4\n").encode(), "ratings.csv", "ratings.csv:2: Year '19x9' is not a year"),
        ((RATINGS + "01/02/2024,X,1999,u,4\n").encode(), "ratings.csv", "ratings.csv:2: Date '01/02/2024'"),
        ((RATINGS + "2024-01-01,,1999,u,4\n").encode(), "ratings.csv", "ratings.csv:2: Name is empty"),
        ((RATINGS + "2024-01-01,X\n").encode(), "ratings.csv", "ratings.csv:2: 2 columns"),
        (b"Date,Name,Year,Rating\n", "ratings.csv", "ratings.csv:1: missing column Letterboxd URI"),
        (b"", "ratings.csv", "ratings.csv:1: missing columns"),
        (b"\xff\xfe\x00garbage\x81", "ratings.csv", "ratings.csv:1: not UTF-8"),
        (b"PK\x03\x04 not really a zip", "export.zip", "export.zip is not a zip file"),
        (zipped({"watched.csv": "x"}), "export.zip", "export.zip holds no ratings.csv or diary.csv"),
        (zipped({"deleted/ratings.csv": RATINGS}), "export.zip", "export.zip holds no ratings.csv"),
        (b"key: value\n", "list.yaml", "Attach ratings.csv, diary.csv or the whole"),
        (
            zipped({"ratings.csv": RATINGS, "diary.csv": "Date,Name,Year,Letterboxd URI,Rating\n"}),
            "export.zip",
            "diary.csv:1: missing column Watched Date",
        ),
    ],
)
def test_malformed_files_are_refused_with_file_and_line(data, filename, expected):
    message = refused(data, filename)
    assert message.startswith(expected), message
    assert len(message) < 2000


def test_a_bad_row_deep_in_the_file_is_named_by_its_line():
    text = RATINGS + "".join(f"2024-01-01,Film {n},1999,u,3\n" for n in range(40)) + "2024-01-01,Bad,1999,u,9\n"
    assert refused(text.encode()).startswith("ratings.csv:42: Rating '9'")


def test_size_limits(monkeypatch):
    assert refused(b"x" * (letterboxd.MAX_FILE_BYTES + 1)).startswith("ratings.csv is 5.0 MB")
    bomb = zipped({"ratings.csv": RATINGS + "2024-01-01,X,1999,u,4\n" * 1_100_000})
    assert len(bomb) < letterboxd.MAX_FILE_BYTES
    assert "unpacks to more than 20 MB" in refused(bomb, "export.zip")
    monkeypatch.setattr(letterboxd, "MAX_ROWS", 3)
    many = RATINGS + "2024-01-01,X,1999,u,4\n" * 4
    assert "more than 3 rows" in refused(many.encode())


def test_a_lying_zip_header_does_not_unpack_past_the_limit(monkeypatch):
    monkeypatch.setattr(letterboxd, "MAX_UNPACKED_BYTES", 1000)
    data = bytearray(zipped({"ratings.csv": RATINGS + "2024-01-01,X,1999,u,4\n" * 100}))
    # The central directory claims a tiny file; reading must still stop at the budget.
    central = data.rindex(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")
    message = refused(bytes(data), "export.zip")
    assert "unpacks to more than" in message or "is not a zip file" in message


def test_unmatched_csv_has_the_exports_columns_then_one_line_per_candidate():
    (odd, other) = read_export((RATINGS + '2024-01-01,"Odd, Title",1999,u,3.5\n2024-01-02,X,2000,v,1\n').encode(),
                               "ratings.csv")
    rows = (Unmatched(odd, ()), Unmatched(other, (Candidate("X", 2001, "a"), Candidate("X", 1999, "b, c"))))
    assert dump_unmatched(rows).decode() == (
        "Date,Name,Year,Letterboxd URI,Rating,Candidate,Candidate Year,Not Chosen Because\n"
        '2024-01-01,"Odd, Title",1999,u,3.5,,,\n'
        "2024-01-02,X,2000,v,1,X,2001,a\n"
        '2024-01-02,X,2000,v,1,X,1999,"b, c"\n'
    )
