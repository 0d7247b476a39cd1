"""The bundled films and lists in Russian: every text there, checked like the English, stored beside it."""

from __future__ import annotations

import re
import shutil
import sqlite3
from pathlib import Path

import pytest
import yaml

from bot.catalogue.bundled import BundleError, load_bundle, read_bundle
from bot.catalogue.list_files import read_list_file
from bot.config import BUNDLED_DATA
from bot.store.models import FilmDraft

PARENTHOOD = "soviet-films-about-parenthood"
ESSENTIALS = "soviet-cinema-essentials"
LETTER = re.compile(r"[^\W\d_]")
CYRILLIC = re.compile(r"[а-яё]", re.IGNORECASE)


def _dump(path: Path) -> str:
    return "\n".join(sqlite3.connect(path).iterdump())


def _russian(text: str | None) -> bool:
    """Written in Russian: nearly every letter Cyrillic (names in Latin letters would not be)."""
    letters = LETTER.findall(text or "")
    return len(letters) > 40 and sum(bool(CYRILLIC.match(ch)) for ch in letters) / len(letters) > 0.95


def _yaml(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(BUNDLED_DATA, target)
    return target


def test_every_film_list_and_entry_has_its_russian_text():
    bundle = read_bundle(BUNDLED_DATA)
    assert len(bundle.films) == 16
    for film in bundle.films:
        assert _russian(bundle.synopses[film.key]["ru"]), film.key
        assert not _russian(film.synopsis), film.key  # the English stayed English
    assert {draft.key for draft in bundle.lists} == {PARENTHOOD, ESSENTIALS}
    for draft in bundle.lists:
        texts = bundle.list_texts[draft.key]
        assert _russian(texts.descriptions["ru"]), draft.key
        assert set(texts.notes) == {film for film, _ in draft.entries}, draft.key
        for film, _ in draft.entries:
            assert _russian(texts.notes[film]["ru"]), (draft.key, film)


async def test_the_texts_come_back_on_the_dataclasses(catalogue_store):
    store = catalogue_store
    films = _yaml(BUNDLED_DATA / "films.yaml")["films"]
    for raw in films:
        film = await store.films.get_by_key(raw["key"])
        assert film.synopses == {"ru": " ".join(raw["synopsis_ru"].split())}
        assert film.synopsis == " ".join(raw["synopsis"].split())
    raw = _yaml(BUNDLED_DATA / "lists" / f"{PARENTHOOD}.yaml")
    curated = await store.lists.get(0, PARENTHOOD)
    assert curated.descriptions == {"ru": " ".join(raw["description_ru"].split())}
    entries = await store.lists.entries(curated.id)
    assert [(e.film.key, e.notes["ru"]) for e in entries] == [
        (item["film"], " ".join(item["note_ru"].split())) for item in raw["films"]
    ]
    assert entries[0].film.synopses["ru"].startswith("Гражданская война.")
    # Every way a list is found carries its Russian description.
    assert {lst.key: "ru" in lst.descriptions for lst in await store.lists.visible_to(5)} == {
        PARENTHOOD: True,
        ESSENTIALS: True,
    }
    assert (await store.lists.find(5, ESSENTIALS)).descriptions["ru"].startswith("Шесть фильмов")
    assert [lst.descriptions for lst in await store.lists.named(5, "Soviet films about parenthood")] == [
        curated.descriptions
    ]
    cranes = await store.films.get_by_key("the-cranes-are-flying-1957")
    ((found, note, notes),) = await store.lists.containing(5, cranes.id)
    assert found.descriptions == curated.descriptions and "Palme d'Or" in note
    assert "Канн" in notes["ru"]  # the Russian note, for a Russian reader of the card


async def test_a_servers_own_list_and_film_have_no_translations(catalogue_store):
    store = catalogue_store
    async with store.transaction() as tx:
        film_id, _ = await store.films.upsert(tx, FilmDraft(key="m-ours", title="Ours", source="moderator"), str.lower)
        list_id = await store.lists.create(tx, 7, "ours", "Ours", "Our own", 1)
        await store.lists.add_entry(tx, list_id, film_id, 1, "Our note", 1)
    assert (await store.films.get(film_id)).synopses == {}
    assert (await store.lists.get(7, "ours")).descriptions == {}
    assert [entry.notes for entry in await store.lists.entries(list_id)] == [{}]


async def test_loading_twice_changes_nothing(store):
    bundle = read_bundle(BUNDLED_DATA)
    await load_bundle(store, bundle)
    counts = await store.counts()
    assert (counts["film_texts"], counts["list_texts"]) == (16, 2 + 16)
    before = _dump(store.path)
    again = await load_bundle(store, bundle)
    assert (again.films_added, again.films_updated, again.films_unchanged) == (0, 0, 16)
    assert (again.lists_changed, again.lists_unchanged) == (0, 2)
    assert _dump(store.path) == before


async def test_a_changed_russian_text_updates_only_what_it_belongs_to(store, data_dir):
    await load_bundle(store, read_bundle(data_dir))
    films = data_dir / "films.yaml"
    films.write_text(
        films.read_text(encoding="utf-8").replace("Москва, 1941 год.", "Москва, лето 1941 года."), encoding="utf-8"
    )
    parenthood = data_dir / "lists" / f"{PARENTHOOD}.yaml"
    text = parenthood.read_text(encoding="utf-8")
    mirror_note = re.search(r"\n    note_ru: >-\n      Тарковский вплетает.*?(?=\n  - |\Z)", text, re.S).group(0)
    parenthood.write_text(text.replace(mirror_note, ""), encoding="utf-8")

    report = await load_bundle(store, read_bundle(data_dir))
    assert (report.films_added, report.films_updated, report.films_unchanged) == (0, 1, 15)
    assert (report.lists_changed, report.lists_unchanged) == (1, 1)
    cranes = await store.films.get_by_key("the-cranes-are-flying-1957")
    assert cranes.synopses["ru"].startswith("Москва, лето 1941 года.")
    entries = await store.lists.entries((await store.lists.get(0, PARENTHOOD)).id)
    assert [e.film.key for e in entries if not e.notes] == ["the-mirror-1975"]
    assert entries[-1].note.startswith("Tarkovsky cuts archival footage")  # the English note stays


def _replace_field(text: str, anchor: str, field: str, value: str) -> str:
    """`text` with the block of `field` that follows the line `anchor` replaced by `field: value`."""
    lines = text.split("\n")
    at = lines.index(anchor)
    indent = " " * (len(anchor) - len(anchor.lstrip(" -")))
    start = next(i for i in range(at, len(lines)) if lines[i].lstrip(" -").startswith(f"{field}:"))
    end = start + 1
    while end < len(lines) and lines[end].startswith(indent + "  "):
        end += 1
    return "\n".join([*lines[:start], f"{indent}{field}: {value}", *lines[end:]])


TOO_LONG = '"' + "Очень длинный пересказ. " * 90 + '"'


@pytest.mark.parametrize(
    ("file", "anchor", "field", "value", "problem"),
    [
        ("films.yaml", "  - key: the-mirror-1975", "synopsis_ru", '"Смотрите с @everyone"', "cannot mention"),
        ("films.yaml", "  - key: the-mirror-1975", "synopsis_ru", '"Зеркало <@123456789012345678>"', "cannot mention"),
        ("films.yaml", "  - key: the-mirror-1975", "synopsis_ru", '"Зеркало\\e[31m красным"', "control characters"),
        ("films.yaml", "  - key: the-mirror-1975", "synopsis_ru", TOO_LONG, "longer than 2000 characters"),
        ("films.yaml", "  - key: the-mirror-1975", "synopsis_ru", "[1975]", "expected text"),
        (f"lists/{PARENTHOOD}.yaml", "key: soviet-films-about-parenthood", "description_ru", '"Для <#42> канала"',
         "cannot mention"),
        (f"lists/{PARENTHOOD}.yaml", "  - film: the-return-2003", "note_ru", '"Возвращение\\a"', "control characters"),
        (f"lists/{ESSENTIALS}.yaml", "  - film: circus-1936", "note_ru", TOO_LONG, "longer than 2000 characters"),
    ],
)
async def test_a_malformed_russian_text_is_named_by_file_line_and_field_and_nothing_is_loaded(
    store, data_dir, file, anchor, field, value, problem
):
    await load_bundle(store, read_bundle(BUNDLED_DATA))
    before = _dump(store.path)
    path = data_dir / file
    text = _replace_field(path.read_text(encoding="utf-8"), anchor, field, value)
    path.write_text(text, encoding="utf-8")
    line = 1 if not anchor.startswith(" ") else text.splitlines().index(anchor) + 1
    with pytest.raises(BundleError) as caught:
        await load_bundle(store, read_bundle(data_dir))
    message = str(caught.value)
    assert message.startswith(f"{path}:{line}: {field}: "), message
    assert problem in message
    assert _dump(store.path) == before


def test_an_unknown_language_is_an_unknown_field(data_dir):
    path = data_dir / "films.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("    synopsis_ru: >-", '    synopsis_xx: "Texte"\n    synopsis_ru: >-', 1)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(BundleError, match=r"films\.yaml:\d+: unknown field 'synopsis_xx' in film"):
        read_bundle(data_dir)


def test_a_bundled_list_file_still_imports_as_it_is_its_russian_left_out():
    data = (BUNDLED_DATA / "lists" / f"{ESSENTIALS}.yaml").read_bytes()
    parsed = read_list_file(data.replace(f"key: {ESSENTIALS}".encode(), b"key: ours"), "essentials.yaml")
    assert parsed.draft.key == "ours" and len(parsed.draft.entries) == 6
    assert parsed.draft.description.startswith("Six films")
    assert all(note and not _russian(note) for _, note in parsed.draft.entries)


async def test_a_merge_drops_the_duplicates_synopses_and_moves_its_list_notes(catalogue_store):
    """The kept film's English and Russian synopses stay a pair; a list's note follows its entry."""
    store = catalogue_store
    cranes = await store.films.get_by_key("the-cranes-are-flying-1957")
    async with store.transaction() as tx:
        keep, _ = await store.films.upsert(
            tx, FilmDraft(key="m-cranes", title="Cranes", source="moderator", synopsis="Ours."), str.lower
        )
        await store.films.merge(tx, keep, cranes.id)
    kept = await store.films.get(keep)
    assert (kept.synopsis, kept.synopses) == ("Ours.", {})
    assert (await store.fetchone("SELECT count(*) FROM film_texts WHERE film_id = ?", (cranes.id,)))[0] == 0
    entries = await store.lists.entries((await store.lists.get(0, PARENTHOOD)).id)
    moved = next(entry for entry in entries if entry.film.id == keep)
    assert "Palme d'Or" in moved.note and moved.notes["ru"].startswith("Фильм получил Золотую пальмовую ветвь")
