"""A curated list as text: the rules for its name, description and notes, and its YAML file.

The file format is data/lists/*.yaml (key, name, description, films: [{film, note}]), so a list
exported from one server imports into another, and a bundled list's file imports as it is once its
key is changed. A file is checked whole before anything is written; a problem is reported as
"file:line: field: problem", with every unknown film named by its line.

A file is a member's upload, so the YAML reader refuses what a list never needs and what could
make reading it explode: nesting deeper than MAX_DEPTH (PyYAML's scanner slows quadratically with
depth), more than MAX_ALIASES aliases (each may stand for a whole structure: "billion laughs"),
a field given twice (YAML would silently keep the last), and keys or texts that are not strings
(`key: 123`, `name: .nan`). A bad value is described by its type and line, never echoed.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from anyascii import anyascii

from bot.catalogue.bundled import ENTRY_FIELDS, KEY, LIST_FIELDS, BundleError, Fields, LineLoader
from bot.errors import UserError, quote
from bot.i18n import _, counted
from bot.store.models import CuratedList, ListDraft, ListEntry
from bot.text import has_control

MAX_NAME = 100
MAX_DESCRIPTION = 1000
MAX_NOTE = 1000
MAX_KEY = 60  # a key is an autocomplete value (100 at most) and ends up in file names
MAX_ENTRIES = 500
MAX_FILE_BYTES = 256 * 1024
MAX_UNKNOWN_SHOWN = 10
MAX_DEPTH = 20  # a list file is four deep: the file, films, an entry, its text
MAX_ALIASES = 50
_MESSAGE = 1500  # a refusal stays well inside Discord's 2,000-character message


# ----------------------------------------------------------------- field rules


def clean_text(text: str | None, what: str, limit: int, *, required: bool = False) -> str | None:
    """Whitespace collapsed as in the bundled files; control characters and overlong text refused.
    `what` names the field in the reader's language ("list name")."""
    if text is None or not text.strip():
        if required:
            raise UserError(_("Give the {what}; it cannot be empty.").format(what=what))
        return None
    if has_control(text):
        raise UserError(_("The {what} cannot contain control characters.").format(what=what))
    cleaned = " ".join(text.split())
    if len(cleaned) > limit:
        raise UserError(
            _("The {what} can be at most {limit} characters (this one has {length}).").format(
                what=what, limit=limit, length=len(cleaned)
            )
        )
    return cleaned


def list_name(text: str) -> str:
    name = clean_text(text, _("list name"), MAX_NAME, required=True)
    if not any(ch.isalpha() for ch in name) or not slug(name):
        raise UserError(_("A list name needs at least one letter."))
    return name


def list_description(text: str | None) -> str | None:
    return clean_text(text, _("description"), MAX_DESCRIPTION)


def entry_note(text: str | None) -> str | None:
    return clean_text(text, _("note"), MAX_NOTE)


def slug(name: str) -> str:
    """The key a list name gets: Latin letters, digits and single hyphens ("Летят!" → "letyat")."""
    text = re.sub(r"[^a-z0-9]+", "-", anyascii(unicodedata.normalize("NFKC", name)).lower()).strip("-")
    if len(text) > MAX_KEY:
        text = text[:MAX_KEY].rsplit("-", 1)[0] if "-" in text[:MAX_KEY] else text[:MAX_KEY]
    return text.strip("-")


# ------------------------------------------------------------------ the file


@dataclass(frozen=True)
class ListFile:
    """A list file that passed every check but the catalogue's: `lines[i]` is where entry i was."""

    name: str  # the file's name, made safe to show
    draft: ListDraft
    lines: tuple[int, ...]


def _safe_name(filename: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", filename)[:40] or "file"


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _short(message: str) -> str:
    return clip(message, _MESSAGE)


def check_size(size: int, filename: str) -> None:
    """Refuse a file too big to be a list, before anyone downloads it."""
    if size > MAX_FILE_BYTES:
        raise UserError(
            _("{file} is {size} KB; a list file can be at most {limit} KB.").format(
                file=_safe_name(filename), size=size // 1024, limit=MAX_FILE_BYTES // 1024
            )
        )


class _TooMuch(yaml.MarkedYAMLError):
    """The file is refused by a limit of ours, at the mark where the limit was crossed."""


class _ListLoader(LineLoader):
    """LineLoader with the limits of an uploaded file (see the module's docstring)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def _refuse(self, problem: str, mark: yaml.Mark | None = None) -> _TooMuch:
        return _TooMuch(problem=problem, problem_mark=mark or self.get_mark())

    # The scanner's own nesting, checked as it is met: by the time a node is composed the scanner
    # has already paid for every open bracket.
    def fetch_flow_collection_start(self, token_class: type) -> None:
        if self.flow_level >= MAX_DEPTH:
            raise self._refuse(f"nested more than {MAX_DEPTH} levels deep")
        super().fetch_flow_collection_start(token_class)

    def add_indent(self, column: int) -> bool:
        if len(self.indents) >= MAX_DEPTH:
            raise self._refuse(f"nested more than {MAX_DEPTH} levels deep")
        return super().add_indent(column)

    def compose_node(self, parent: yaml.Node | None, index: object) -> yaml.Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
            if self._aliases > MAX_ALIASES:
                raise self._refuse(f"more than {MAX_ALIASES} aliases (*name)", self.peek_event().start_mark)
        self._depth += 1
        if self._depth > MAX_DEPTH:
            raise self._refuse(f"nested more than {MAX_DEPTH} levels deep", self.peek_event().start_mark)
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_STR = "tag:yaml.org,2002:str"


class _Fields(dict):
    """A YAML mapping that remembers its line and the line of each of its values."""

    line = 0
    lines: dict[str, int]


def _construct_fields(loader: _ListLoader, node: yaml.MappingNode) -> _Fields:
    """A mapping of text field names, each once, remembering the line of each value."""
    lines: dict[str, int] = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _TooMuch(problem=_("a list file has no use for merge keys (<<)"), problem_mark=key_node.start_mark)
        if not isinstance(key_node, yaml.ScalarNode) or key_node.tag != _STR:
            raise _TooMuch(problem=_("a field name must be text"), problem_mark=key_node.start_mark)
        if key_node.value in lines:
            raise _TooMuch(
                problem=_("the field {field} is given twice").format(field=quote(key_node.value, 40)),
                problem_mark=key_node.start_mark,
            )
        lines[key_node.value] = value_node.start_mark.line + 1
    mapping = _Fields(loader.construct_mapping(node, deep=True))
    mapping.line = node.start_mark.line + 1
    mapping.lines = lines
    return mapping


_ListLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_fields)


def _kind(value: object) -> str:
    """A value named by its type, for a message that must not echo it."""
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return _("a date") if hasattr(value, "isoformat") else _("a value that is not text")


def _line_of(raw: Any, field: str) -> int:
    return getattr(raw, "lines", {}).get(field) or getattr(raw, "line", 1)


def _texts(name: str, raw: Any, fields: tuple[str, ...]) -> None:
    """Every one of `fields` present in `raw` is a string; otherwise a refusal by line and type."""
    if not isinstance(raw, dict):
        return  # Fields says what is wrong with a non-mapping
    for field in fields:
        value = raw.get(field)
        if value is not None and not isinstance(value, str):
            hint = _(" (put it in quotes)") if isinstance(value, int | float) else ""
            problem = _("expected text, got {kind}").format(kind=_kind(value))
            raise BundleError(f"{name}:{_line_of(raw, field)}: {field}: {problem}{hint}")


def read_list_file(data: bytes, filename: str) -> ListFile:
    """Parse and check a list file's shape and fields; raises `UserError` naming file and line.

    Pure CPU work on at most MAX_FILE_BYTES: callers on the event loop run it in a thread."""
    name = _safe_name(filename)
    check_size(len(data), filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UserError(f"{name}:1: " + _("not UTF-8 text; save the file as UTF-8 and try again.")) from None
    try:
        raw = yaml.load(text, Loader=_ListLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        problem = clip(getattr(exc, "problem", None) or _("cannot be read"), 200)
        raise UserError(_short(f"{name}:{line}: " + _("not valid YAML ({problem})").format(problem=problem))) from None
    except RecursionError:
        raise UserError(f"{name}:1: " + _("nested too deeply to be a list file")) from None
    try:
        return _check(name, raw)
    except BundleError as exc:
        raise UserError(_short(str(exc))) from None


def _check(name: str, raw: Any) -> ListFile:
    if not isinstance(raw, dict):
        raise BundleError(f"{name}:1: " + _("expected a mapping with key, name, description and films"))
    # A bundled list's file imports as it is: its texts in other languages are allowed and left out.
    _known(name, raw, LIST_FIELDS, _("list file"))
    _texts(name, raw, ("key", "name", "description"))
    fields = Fields(name, raw, "list file", LIST_FIELDS)
    key = fields.text("key", required=True, limit=MAX_KEY)
    if not KEY.match(key):
        raise fields.fail("key", _("{key} must be lower-case letters, digits and single hyphens").format(key=repr(key)))
    entries = raw.get("films")
    if entries is None:
        entries = []
    if not isinstance(entries, list):
        raise fields.fail("films", _("expected a list of {film, note}"))
    if len(entries) > MAX_ENTRIES:
        raise fields.fail(
            "films",
            _("{films}; a list can hold at most {limit}").format(
                films=counted(len(entries), "{n} film", "{n} films"), limit=MAX_ENTRIES
            ),
        )
    seen: set[str] = set()
    out, lines = [], []
    for entry in entries:
        if isinstance(entry, dict):
            _known(name, entry, ENTRY_FIELDS, _("list entry"))
        _texts(name, entry, ("film", "note"))
        entry_fields = Fields(name, entry, "list entry", ENTRY_FIELDS, raw.line)
        film = entry_fields.text("film", required=True, limit=200)
        if film in seen:
            raise entry_fields.fail("film", _("{film} is on the list twice").format(film=repr(film)))
        seen.add(film)
        out.append((film, _checked(entry_fields, "note", MAX_NOTE)))
        lines.append(getattr(entry, "line", raw.line))
    list_title = _checked(fields, "name", MAX_NAME, required=True)
    if not any(ch.isalpha() for ch in list_title):
        raise fields.fail("name", _("needs at least one letter"))
    draft = ListDraft(
        key=key,
        name=list_title,
        description=_checked(fields, "description", MAX_DESCRIPTION),
        entries=tuple(out),
    )
    return ListFile(name, draft, tuple(lines))


def _known(name: str, raw: dict, allowed: set[str], what: str) -> None:
    # As Fields words it, with the field name clipped: a name can be as long as the file.
    unknown = sorted(set(raw) - allowed)
    if unknown:
        problem = _("unknown field {field} in {what}").format(field=repr(unknown[0][:40]), what=what)
        raise BundleError(f"{name}:{getattr(raw, 'line', 1)}: {problem}")


def _checked(fields: Fields, field: str, limit: int, *, required: bool = False) -> str | None:
    value = fields.raw.get(field)
    if isinstance(value, str) and has_control(value):
        raise fields.fail(field, _("contains control characters"))
    return fields.text(field, required=required, limit=limit)


def unknown_films(parsed: ListFile, known: set[str]) -> str | None:
    """The refusal for films the catalogue does not have, each with its line; None if all are known."""
    missing = [
        (line, film) for (film, _), line in zip(parsed.draft.entries, parsed.lines, strict=True) if film not in known
    ]
    if not missing:
        return None
    shown = "; ".join(f"{parsed.name}:{line}: {quote(film, 40)}" for line, film in missing[:MAX_UNKNOWN_SHOWN])
    more = ""
    if len(missing) > MAX_UNKNOWN_SHOWN:
        more = _("; and {count} more").format(count=len(missing) - MAX_UNKNOWN_SHOWN)
    said = counted(
        len(missing),
        "Nothing was imported: {n} film is not in the catalogue (give film keys as /list export writes them)",
        "Nothing was imported: {n} films are not in the catalogue (give film keys as /list export writes them)",
    )
    return _short(f"{said}: {shown}{more}.")


def dump_list(curated: CuratedList, entries: list[ListEntry]) -> bytes:
    """The list as a YAML file that `read_list_file` reads back to the same list."""
    document: dict[str, Any] = {"key": curated.key, "name": curated.name}
    if curated.description:
        document["description"] = curated.description
    films = []
    for entry in entries:
        item = {"film": entry.film.key}
        if entry.note:
            item["note"] = entry.note
        films.append(item)
    document["films"] = films
    return yaml.safe_dump(document, allow_unicode=True, sort_keys=False, width=100).encode("utf-8")
