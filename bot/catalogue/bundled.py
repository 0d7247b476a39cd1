"""The films and curated lists shipped in data/: read, validated whole, then loaded idempotently.

Everything is read and checked before anything is written, and the write is one transaction, so a
malformed file is reported with its name and line and nothing is half-loaded. Films and lists are
matched by their stable `key`: loading again adds what is new, updates what changed and leaves the
rest (and every rating, vote and server list) alone.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml

from bot.catalogue.normalise import normalise
from bot.store import Store
from bot.store.models import FilmDraft, ListDraft, Title

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
IMDB_ID = re.compile(r"^tt(\d{7,9})$")
FIRST_YEAR = 1870
MAX_TEXT = 2000
MAX_NAME = 300


class BundleError(Exception):
    """A bundled file cannot be used; the message starts with "file:line:"."""


@dataclass(frozen=True)
class Bundle:
    films: tuple[FilmDraft, ...]
    lists: tuple[ListDraft, ...]


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


_FILM_FIELDS = {
    "key", "title", "original_title", "year", "directors", "cast", "runtime", "countries", "genres",
    "imdb_id", "aliases", "synopsis",
}


def _film(path: Path, raw: Any) -> FilmDraft:
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
    return FilmDraft(
        key=key,
        title=title,
        source="bundled",
        original_title=fields.text("original_title"),
        year=fields.number("year", FIRST_YEAR, date.today().year + 1),
        runtime=fields.number("runtime", 1, 24 * 60),
        synopsis=fields.text("synopsis", limit=MAX_TEXT),
        imdb_id=int(imdb_match.group(1)) if imdb_match else None,
        directors=fields.names("directors"),
        cast=fields.names("cast"),
        countries=fields.names("countries"),
        genres=fields.names("genres"),
        aliases=tuple(titles),
    )


def _list(path: Path, raw: Any, films: dict[str, FilmDraft]) -> ListDraft:
    fields = Fields(path, raw, "list file", {"key", "name", "description", "films"})
    key = fields.text("key", required=True)
    if not KEY.match(key):
        raise fields.fail("key", f"{key!r} must be lower-case letters, digits and single hyphens")
    entries = raw.get("films")
    if not isinstance(entries, list) or not entries:
        raise fields.fail("films", "expected a non-empty list of {film, note}")
    seen: set[str] = set()
    out = []
    for entry in entries:
        entry_fields = Fields(path, entry, "list entry", {"film", "note"}, raw.line)
        film = entry_fields.text("film", required=True)
        if film not in films:
            raise entry_fields.fail("film", f"{film!r} is not a film key in films.yaml")
        if film in seen:
            raise entry_fields.fail("film", f"{film!r} is on the list twice")
        seen.add(film)
        out.append((film, entry_fields.text("note", limit=MAX_TEXT)))
    return ListDraft(
        key=key,
        name=fields.text("name", required=True, limit=100),
        description=fields.text("description", limit=MAX_TEXT),
        entries=tuple(out),
    )


def read_bundle(data_dir: Path, lists: tuple[str, ...] = ("all",)) -> Bundle:
    """Read and check data/films.yaml and the chosen data/lists/*.yaml ("all" for every one)."""
    films_path = data_dir / "films.yaml"
    raw = _parse(films_path)
    if not isinstance(raw, dict) or not isinstance(raw.get("films"), list):
        raise BundleError(f"{films_path}:1: expected a mapping with a `films:` list")
    films: dict[str, FilmDraft] = {}
    imdb_ids: dict[int, str] = {}
    for entry in raw["films"]:
        film = _film(films_path, entry)
        where = f"{films_path}:{entry.line}"
        if film.key in films:
            raise BundleError(f"{where}: key: {film.key!r} is used twice")
        if film.imdb_id is not None and film.imdb_id in imdb_ids:
            raise BundleError(f"{where}: imdb_id: also given to {imdb_ids[film.imdb_id]!r}")
        films[film.key] = film
        if film.imdb_id is not None:
            imdb_ids[film.imdb_id] = film.key
    list_paths = sorted((data_dir / "lists").glob("*.yaml"))
    drafts = [_list(path, _parse(path), films) for path in list_paths]
    keys = [draft.key for draft in drafts]
    for key in set(keys):
        if keys.count(key) > 1:
            raise BundleError(f"{data_dir / 'lists'}: list key {key!r} is used by two files")
    if "all" not in lists:
        missing = sorted(set(lists) - set(keys))
        if missing:
            raise BundleError(f"catalogue.lists: no bundled list {missing[0]!r} (there are: {', '.join(keys)})")
        drafts = [draft for draft in drafts if draft.key in lists]
    return Bundle(tuple(films.values()), tuple(drafts))


async def load_bundle(store: Store, bundle: Bundle) -> LoadReport:
    """Write the bundle in one transaction; what is already there as given is left untouched."""
    outcomes = {"added": 0, "updated": 0, "unchanged": 0}
    lists_changed = 0
    film_ids: dict[str, int] = {}
    async with store.transaction() as tx:
        for draft in bundle.films:
            film_ids[draft.key], outcome = await store.films.upsert(tx, draft, normalise)
            outcomes[outcome] += 1
        for draft in bundle.lists:
            lists_changed += await store.lists.upsert_bundled(tx, draft, film_ids)
    return LoadReport(
        films_added=outcomes["added"],
        films_updated=outcomes["updated"],
        films_unchanged=outcomes["unchanged"],
        lists_changed=lists_changed,
        lists_unchanged=len(bundle.lists) - lists_changed,
    )
