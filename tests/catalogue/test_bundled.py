"""The bundled films and lists: what they hold, and loading them idempotently and all-or-nothing."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest

from bot.catalogue.bundled import BundleError, load_bundle, read_bundle
from bot.config import BUNDLED_DATA

SEEDS = Path(__file__).resolve().parents[3] / "shared" / "seeds"

PARENTHOOD = [  # the seed list, in its order: (title, year, a director)
    ("The Commissar", 1967, "Aleksandr Askoldov"),
    ("Father of a Soldier", 1964, "Rezo Chkheidze"),
    ("The Childhood of Maxim Gorky", 1938, "Mark Donskoy"),
    ("The Cranes Are Flying", 1957, "Mikhail Kalatozov"),
    ("Ballad of a Soldier", 1959, "Grigori Chukhrai"),
    ("The Ascent", 1977, "Larisa Shepitko"),
    ("The House I Live In", 1957, "Lev Kulidzhanov"),
    ("The Return", 2003, "Andrey Zvyagintsev"),
    ("The Irony of Fate", 1975, "Eldar Ryazanov"),
    ("The Mirror", 1975, "Andrei Tarkovsky"),
]
ESSENTIALS = [
    ("Battleship Potemkin", 1925, "Sergei Eisenstein"),
    ("Circus", 1936, "Grigori Aleksandrov"),
    ("Mother", 1955, "Mark Donskoy"),
    ("The Mexican", 1955, "Vladimir Kaplunovsky"),
    ("I Am Cuba", 1964, "Mikhail Kalatozov"),
    ("Anna Karenina", 1967, "Aleksandr Zarkhi"),
]


def _dump(path: Path) -> str:
    return "\n".join(sqlite3.connect(path).iterdump())


async def test_the_lists_hold_the_seed_films_in_order_with_facts_right(catalogue_store):
    for key, expected in [("soviet-films-about-parenthood", PARENTHOOD), ("soviet-cinema-essentials", ESSENTIALS)]:
        curated = await catalogue_store.lists.get(0, key)
        entries = await catalogue_store.lists.entries(curated.id)
        assert [(e.film.title, e.film.year) for e in entries] == [(title, year) for title, year, _ in expected]
        for entry, (_, _, director) in zip(entries, expected, strict=True):
            assert director in entry.film.directors
            assert entry.note and len(entry.note) > 40


def test_every_film_has_its_original_title_transliteration_and_synopsis():
    bundle = read_bundle(BUNDLED_DATA)
    assert len(bundle.films) == 16
    for film in bundle.films:
        assert film.original_title and film.synopsis and film.directors, film.key
        assert any(alias.language == "ru-Latn" for alias in film.aliases), film.key
    russian = [film for film in bundle.films if film.key != "i-am-cuba-1964"]
    assert all(re.search("[а-яё]", film.original_title, re.IGNORECASE) for film in russian)


@pytest.mark.skipif(not SEEDS.exists(), reason="the seed documents are beside the repository, not in it")
def test_synopses_and_notes_are_in_our_own_words():
    seeds = " ".join(path.read_text(encoding="utf-8") for path in SEEDS.glob("*.txt"))
    seed_words = re.findall(r"\w+", seeds.lower())
    seed_runs = {" ".join(seed_words[i : i + 7]) for i in range(len(seed_words) - 6)}
    bundle = read_bundle(BUNDLED_DATA)
    texts = [film.synopsis for film in bundle.films] + [note for lst in bundle.lists for _, note in lst.entries]
    for text in texts:
        words = re.findall(r"\w+", text.lower())
        copied = [" ".join(words[i : i + 7]) for i in range(len(words) - 6) if " ".join(words[i : i + 7]) in seed_runs]
        assert not copied, copied


async def test_loading_twice_changes_nothing(store):
    bundle = read_bundle(BUNDLED_DATA)
    first = await load_bundle(store, bundle)
    assert (first.films_added, first.lists_changed) == (16, 2)
    before = _dump(store.path)
    second = await load_bundle(store, bundle)
    assert (second.films_added, second.films_updated, second.films_unchanged) == (0, 0, 16)
    assert (second.lists_changed, second.lists_unchanged) == (0, 2)
    assert _dump(store.path) == before


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, target)
    return target


async def test_an_edit_updates_that_film_only_and_leaves_ratings_alone(store, data_dir):
    await load_bundle(store, read_bundle(data_dir))
    cranes = await store.films.get_by_key("the-cranes-are-flying-1957")
    async with store.transaction() as tx:
        await tx.execute(
            "INSERT INTO ratings (guild_id, user_id, film_id, score, created_at, updated_at) "
            "VALUES (1, 2, ?, 9, 'a', 'a')",
            (cranes.id,),
        )
    films = data_dir / "films.yaml"
    films.write_text(films.read_text(encoding="utf-8").replace("runtime: 97", "runtime: 95"), encoding="utf-8")
    report = await load_bundle(store, read_bundle(data_dir))
    assert (report.films_added, report.films_updated, report.films_unchanged) == (0, 1, 15)
    updated = await store.films.get_by_key("the-cranes-are-flying-1957")
    assert (updated.id, updated.runtime) == (cranes.id, 95)
    assert (await store.fetchone("SELECT score FROM ratings WHERE film_id = ?", (cranes.id,)))[0] == 9
    assert await store.films.count() == 16


@pytest.mark.parametrize(
    ("file", "old", "new", "error"),
    [
        ("films.yaml", "year: 1957", "year: [1957", r"films\.yaml:\d+: not valid YAML"),
        ("films.yaml", "year: 1959", "year: 1066", r"films\.yaml:\d+: year: expected a whole number from 1870"),
        ("films.yaml", "imdb_id: tt0050634", "imdb_id: 50634", r"films\.yaml:\d+: imdb_id: expected an IMDb title"),
        ("films.yaml", "key: the-mirror-1975", "key: The Mirror", r"films\.yaml:\d+: key: 'The Mirror' must be"),
        (
            "films.yaml",
            "key: the-mirror-1975",
            "key: the-return-2003",
            r"films\.yaml:\d+: key: 'the-return-2003' is used twice",
        ),
        (
            "films.yaml",
            "    runtime: 97\n",
            "    runtime: 97\n    rating: 10\n",
            r"films\.yaml:\d+: unknown field 'rating'",
        ),
        (
            "lists/soviet-films-about-parenthood.yaml",
            "film: the-mirror-1975",
            "film: solaris-1972",
            r"soviet-films-about-parenthood\.yaml:\d+: film: 'solaris-1972' is not a film key",
        ),
        (
            "lists/soviet-films-about-parenthood.yaml",
            "film: the-mirror-1975",
            "film: the-return-2003",
            r"soviet-films-about-parenthood\.yaml:\d+: film: 'the-return-2003' is on the list twice",
        ),
    ],
)
async def test_a_malformed_file_is_named_with_its_line_and_nothing_is_loaded(store, data_dir, file, old, new, error):
    await load_bundle(store, read_bundle(data_dir))
    before = _dump(store.path)
    path = data_dir / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(BundleError, match=error):
        await load_bundle(store, read_bundle(data_dir))
    assert _dump(store.path) == before


def test_the_line_named_is_the_line_of_the_bad_entry(data_dir):
    path = data_dir / "films.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    line = next(n for n, text in enumerate(lines, 1) if "key: the-mirror-1975" in text)
    path.write_text(
        path.read_text(encoding="utf-8").replace(
            "year: 1975\n    directors: [Andrei", "year: 1812\n    directors: [Andrei"
        ),
        encoding="utf-8",
    )
    with pytest.raises(BundleError) as caught:
        read_bundle(data_dir)
    assert str(caught.value).startswith(f"{path}:{line}: year:")


def test_config_can_choose_which_lists_load(data_dir):
    bundle = read_bundle(data_dir, ("soviet-cinema-essentials",))
    assert [lst.key for lst in bundle.lists] == ["soviet-cinema-essentials"]
    with pytest.raises(BundleError, match="no bundled list 'nope'"):
        read_bundle(data_dir, ("nope",))
