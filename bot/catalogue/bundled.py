"""The films and curated lists shipped in data/: read, validated whole, then loaded idempotently.

Everything is read and checked before anything is written, and the write is one transaction, so a
malformed file is reported with its name and line and nothing is half-loaded. Films and lists are
matched by their stable `key`: loading again adds what is new, updates what changed and leaves the
rest (and every rating, vote and server list) alone.

A text may be given in another language beside the English one, as `<field>_<language>`
(`synopsis_ru`, `description_ru`, `note_ru`), checked by the same rules; members whose language it
is read it instead of the English.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue.normalise import normalise
from bot.errors import UserError
from bot.i18n import ENGLISH, LANGUAGES
from bot.store import Store
from bot.store.models import FilmDraft, ListDraft, Title
from bot.text import check_stored

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMDB_ID = re.compile(r"^tt(\d{7,9})$")
FIRST_YEAR = 1870
MAX_TEXT = 2000
MAX_NAME = 300
TRANSLATED = tuple(language for language in LANGUAGES if language != ENGLISH)


class BundleError(Exception):
    """A bundled file cannot be used; the message starts with "file:line:"."""


@dataclass(frozen=True)
class ListTexts:
    """A bundled list's texts in languages other than English."""

    descriptions: Mapping[str, str]  # language → description
    notes: Mapping[str, Mapping[str, str]]  # film key → language → note


@dataclass(frozen=True)
class Bundle:
    films: tuple[FilmDraft, ...]
    lists: tuple[ListDraft, ...]
    synopses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)  # film key → language → synopsis
    list_texts: Mapping[str, ListTexts] = field(default_factory=dict)  # by list key


@dataclass(frozen=True)
class LoadReport:
    films_added: int
    films_updated: int
    films_unchanged: int
    lists_changed: int
    lists_unchanged: int

    def __str__(self) -> str:
        return (
            f"films: {self.films_added} added, {self.films_updated} updated, {self.films_unchanged} unchanged; "
            f"lists: {self.lists_changed} added or updated, {self.lists_unchanged} unchanged"
        )


class _Mapping(dict):
    """A YAML mapping that remembers the line it started on."""

    line = 0


class LineLoader(yaml.SafeLoader):
    pass


def _construct_mapping(loader: LineLoader, node: yaml.MappingNode) -> _Mapping:
    mapping = _Mapping(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    return mapping


LineLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)


def _parse(path: Path) -> Any:
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=LineLoader)
    except OSError as exc:
        raise BundleError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise BundleError(f"{path}:1: not UTF-8 text") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        raise BundleError(f"{path}:{line}: not valid YAML ({getattr(exc, 'problem', None) or exc})") from None


class Fields:
    """Typed access to one YAML mapping; every complaint names the file, line and field."""

    def __init__(self, path: Path, raw: Any, what: str, allowed: set[str], parent_line: int = 1) -> None:
        self.where = f"{path}:{getattr(raw, 'line', parent_line)}"
        if not isinstance(raw, dict):
            raise BundleError(f"{self.where}: each {what} must be a mapping of fields")
        unknown = sorted(set(raw) - allowed)
        if unknown:
            raise BundleError(f"{self.where}: unknown field {unknown[0]!r} in {what}")
        self.raw = raw

    def fail(self, field: str, problem: str) -> BundleError:
        return BundleError(f"{self.where}: {field}: {problem}")

    def text(self, field: str, *, required: bool = False, limit: int = MAX_NAME) -> str | None:
        value = self.raw.get(field)
        if value is None:
            if required:
                raise self.fail(field, "missing")
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            value = str(value)
        if not isinstance(value, str) or not value.strip():
            raise self.fail(field, f"expected text, got {value!r}")
        value = " ".join(value.split())
        if len(value) > limit:
            raise self.fail(field, f"longer than {limit} characters")
        return value

    def stored(self, field: str, limit: int) -> str | None:
        """A text shown to members as it is written: `text` under the rules of bot.text.check_stored."""
        value = self.raw.get(field)
        if isinstance(value, str):
            try:
                check_stored(value, field)
            except UserError as exc:
                raise self.fail(field, str(exc)) from None
        return self.text(field, limit=limit)

    def translations(self, field: str, limit: int) -> dict[str, str]:
        """`field` in each other language given (`synopsis_ru`), language → text."""
        found = {language: self.stored(f"{field}_{language}", limit) for language in TRANSLATED}
        return {language: text for language, text in found.items() if text is not None}

    def names(self, field: str) -> tuple[str, ...]:
        value = self.raw.get(field) or []
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(field, "expected a list of names")
        return tuple(" ".join(v.split()) for v in value)

    def number(self, field: str, low: int, high: int) -> int | None:
        value = self.raw.get(field)
        if value is None:
            return None
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            raise self.fail(field, f"expected a whole number from {low} to {high}, got {value!r}")
        return value


def _with_translations(*fields: str) -> set[str]:
    return {*fields, *(f"{name}_{language}" for name in fields for language in TRANSLATED)}


_FILM_FIELDS = {
    "key", "title", "original_title", "year", "directors", "cast", "runtime", "countries", "genres",
    "imdb_id", "aliases",
} | _with_translations("synopsis")
LIST_FIELDS = {"key", "name", "films"} | _with_translations("description")
ENTRY_FIELDS = {"film"} | _with_translations("note")


def _film(path: Path, raw: Any) -> tuple[FilmDraft, dict[str, str]]:
    fields = Fields(path, raw, "film", _FILM_FIELDS)
    key = fields.text("key", required=True)
    if not KEY.match(key):
        raise fields.fail("key", f"{key!r} must be lower-case letters, digits and single hyphens")
    imdb = fields.text("imdb_id")
    imdb_match = IMDB_ID.match(imdb) if imdb else None
    if imdb and not imdb_match:
        raise fields.fail("imdb_id", f"expected an IMDb title id such as tt0050634, got {imdb!r}")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list):
        raise fields.fail("aliases", "expected a list of {title, language}")
    titles = []
    for alias in aliases:
        alias_fields = Fields(path, alias, "alias", {"title", "language"}, raw.line)
        titles.append(Title(alias_fields.text("title", required=True), alias_fields.text("language")))
    title = fields.text("title", required=True)
    if not normalise(title):
        raise fields.fail("title", f"{title!r} has no letters or digits to search by")
    draft = FilmDraft(
        key=key,
        title=title,
        source="bundled",
        original_title=fields.text("original_title"),
        year=fields.number("year", FIRST_YEAR, date.today().year + 1),
        runtime=fields.number("runtime", 1, 24 * 60),
        synopsis=fields.stored("synopsis", MAX_TEXT),
        imdb_id=int(imdb_match.group(1)) if imdb_match else None,
        directors=fields.names("directors"),
        cast=fields.names("cast"),
        countries=fields.names("countries"),
        genres=fields.names("genres"),
        aliases=tuple(titles),
    )
    return draft, fields.translations("synopsis", MAX_TEXT)


def _list(path: Path, raw: Any, films: dict[str, FilmDraft]) -> tuple[ListDraft, ListTexts]:
    fields = Fields(path, raw, "list file", LIST_FIELDS)
    key = fields.text("key", required=True)
    if not KEY.match(key):
        raise fields.fail("key", f"{key!r} must be lower-case letters, digits and single hyphens")
    entries = raw.get("films")
    if not isinstance(entries, list) or not entries:
        raise fields.fail("films", "expected a non-empty list of {film, note}")
    seen: set[str] = set()
    out = []
    notes: dict[str, dict[str, str]] = {}
    for entry in entries:
        entry_fields = Fields(path, entry, "list entry", ENTRY_FIELDS, raw.line)
        film = entry_fields.text("film", required=True)
        if film not in films:
            raise entry_fields.fail("film", f"{film!r} is not a film key in films.yaml")
        if film in seen:
            raise entry_fields.fail("film", f"{film!r} is on the list twice")
        seen.add(film)
        out.append((film, entry_fields.stored("note", MAX_TEXT)))
        notes[film] = entry_fields.translations("note", MAX_TEXT)
    draft = ListDraft(
        key=key,
        name=fields.text("name", required=True, limit=100),
        description=fields.stored("description", MAX_TEXT),
        entries=tuple(out),
    )
    return draft, ListTexts(fields.translations("description", MAX_TEXT), {k: v for k, v in notes.items() if v})


def read_bundle(data_dir: Path, lists: tuple[str, ...] = ("all",)) -> Bundle:
    """Read and check data/films.yaml and the chosen data/lists/*.yaml ("all" for every one)."""
    films_path = data_dir / "films.yaml"
    raw = _parse(films_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("films"), list):
        raise BundleError(f"{films_path}:1: expected a mapping with a `films:` list")
    films: dict[str, FilmDraft] = {}
    synopses: dict[str, dict[str, str]] = {}
    imdb_ids: dict[int, str] = {}
    for entry in raw["films"]:
        film, translated = _film(films_path, entry)
        where = f"{films_path}:{entry.line}"
        if film.key in films:
            raise BundleError(f"{where}: key: {film.key!r} is used twice")
        if film.imdb_id is not None and film.imdb_id in imdb_ids:
            raise BundleError(f"{where}: imdb_id: also given to {imdb_ids[film.imdb_id]!r}")
        films[film.key] = film
        synopses[film.key] = translated
        if film.imdb_id is not None:
            imdb_ids[film.imdb_id] = film.key
    list_paths = sorted((data_dir / "lists").glob("*.yaml"))
    read = [_list(path, _parse(path), films) for path in list_paths]
    drafts = [draft for draft, _ in read]
    list_texts = {draft.key: texts for draft, texts in read}
    keys = [draft.key for draft in drafts]
    for key in set(keys):
        if keys.count(key) > 1:
            raise BundleError(f"{data_dir / 'lists'}: list key {key!r} is used by two files")
    if "all" not in lists:
        missing = sorted(set(lists) - set(keys))
        if missing:
            raise BundleError(f"catalogue.lists: no bundled list {missing[0]!r} (there are: {', '.join(keys)})")
        drafts = [draft for draft in drafts if draft.key in lists]
    return Bundle(
        tuple(films.values()),
        tuple(drafts),
        {key: texts for key, texts in synopses.items() if texts},
        {draft.key: list_texts[draft.key] for draft in drafts},
    )


async def load_bundle(store: Store, bundle: Bundle) -> LoadReport:
    """Write the bundle in one transaction; what is already there as given is left untouched."""
    outcomes = {"added": 0, "updated": 0, "unchanged": 0}
    lists_changed = 0
    film_ids: dict[str, int] = {}
    async with store.transaction() as tx:
        for draft in bundle.films:
            film_ids[draft.key], outcome = await store.films.upsert(tx, draft, normalise)
            translated = await store.films.put_synopses(tx, film_ids[draft.key], bundle.synopses.get(draft.key, {}))
            outcomes["updated" if outcome == "unchanged" and translated else outcome] += 1
        for draft in bundle.lists:
            changed = await store.lists.upsert_bundled(tx, draft, film_ids)
            texts = bundle.list_texts.get(draft.key, ListTexts({}, {}))
            notes = {film_ids[key]: by for key, by in texts.notes.items()}
            translated = await store.lists.put_bundled_texts(tx, draft.key, texts.descriptions, notes)
            lists_changed += changed or translated
    return LoadReport(
        films_added=outcomes["added"],
        films_updated=outcomes["updated"],
        films_unchanged=outcomes["unchanged"],
        lists_changed=lists_changed,
        lists_unchanged=len(bundle.lists) - lists_changed,
    )
