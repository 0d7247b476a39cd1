"""The film card and label stay inside Discord's limits whatever the catalogue holds."""

from __future__ import annotations

from bot.store.models import Film
from bot.ui import limits
from bot.ui.films import film_card, film_label

HUGE = Film(
    key="huge",
    title="Т" * 400,
    source="moderator",
    original_title="O" * 2000,
    year=1999,
    runtime=900,
    synopsis="word " * 3000,
    directors=tuple(f"Director number {n}" for n in range(200)),
    cast=tuple(f"Actor with a long name {n}" for n in range(500)),
    countries=tuple(f"Country {n}" for n in range(300)),
    genres=tuple(f"Genre {n}" for n in range(300)),
    id=1,
)


def test_a_huge_film_is_trimmed_to_every_embed_limit():
    card = film_card(HUGE)
    assert len(card) <= limits.EMBED_TOTAL
    assert len(card.title) <= limits.EMBED_TITLE
    assert len(card.description) <= limits.EMBED_DESCRIPTION
    assert len(card.fields) <= limits.EMBED_FIELDS
    for field in card.fields:
        assert len(field.name) <= limits.FIELD_NAME and len(field.value) <= limits.FIELD_VALUE
    cast = next(field.value for field in card.fields if field.name == "Cast")
    assert cast.startswith("Actor with a long name 0, ") and cast.endswith("more")


def test_a_label_is_at_most_100_characters_and_keeps_year_and_director():
    label = film_label(HUGE)
    assert len(label) <= limits.CHOICE_NAME
    assert label.endswith("(1999) — Director number 0")


def test_a_plain_label():
    film = Film(key="m", title="Mirror", source="bundled", year=1975, directors=("Andrei Tarkovsky",))
    assert film_label(film) == "Mirror (1975) — Andrei Tarkovsky"
    assert film_label(Film(key="x", title="Untitled", source="moderator")) == "Untitled"


def test_join_clipped_says_how_many_were_left_out():
    assert limits.join_clipped(["a", "b", "c"], 100) == "a, b, c"
    assert limits.join_clipped(["alpha", "beta", "gamma"], 17) == "alpha and 2 more"
    assert limits.clip("abcdef", 4) == "abc…"


def test_imdbs_rating_has_its_own_field_and_counts_votes_in_words():
    def fields(film: Film) -> dict[str, str]:
        return {field["name"]: field["value"] for field in film_card(film).to_dict().get("fields", [])}

    one = Film(key="tt1", title="Rare", source="imdb", imdb_rating=6.0, imdb_votes=1)
    many = Film(key="tt2", title="Seen", source="imdb", imdb_rating=8.25, imdb_votes=12345)
    assert fields(one)["IMDb rating"] == "6.0/10 from 1 vote"
    assert fields(many)["IMDb rating"] == "8.2/10 from 12,345 votes"
    assert "IMDb rating" not in fields(Film(key="m", title="Ours", source="moderator"))
