"""The catalogs are complete and nothing a member reads bypasses them.

- Every message marked in bot/ and cogs/ has a translation in every language, with every plural form
  and the same named placeholders as the English.
- No user-facing literal in cogs/ or bot/ui/ escapes the translation function: an English sentence
  that is not marked fails here with its file and line. Log lines (the admin's), docstrings, command
  decorators (translated by the command translator) and internal exceptions are not user-facing.
"""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from bot import i18n

ROOT = Path(__file__).resolve().parents[1]
KEYWORDS = {"_": None, "N_": None, "counted": (2, 3), "pgettext": ((1, "c"), 2), "NC_": ((1, "c"), 2)}
LANGUAGES = [language for language in i18n.LANGUAGES if language != i18n.ENGLISH]


def _marked() -> dict[str, tuple[str, ...]]:
    """msgid → every form (singular, plural) of each message marked in bot/ and cogs/."""
    found: dict[str, tuple[str, ...]] = {}
    for folder in ("bot", "cogs"):
        for filename, line, message, _comments, context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            forms = message if isinstance(message, tuple) else (message,)
            key = forms[0] if context is None else f"{context}\x04{forms[0]}"
            found[key] = forms
            assert all(forms), f"{folder}/{filename}:{line}: an empty message"
    return found


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_there_is_something_to_translate():
    assert len(_marked()) >= 100
    assert "ru" in LANGUAGES


def _translations(language: str) -> dict[str, tuple[str, ...]]:
    """(context\x04)msgid → its translated forms, from every catalog file of `language` (a translation may
    equal the English, "IMDb id"; an empty or fuzzy one is missing)."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted((i18n.LOCALE_DIR / language / "LC_MESSAGES").glob(f"{i18n.DOMAIN}*.po")):
        with path.open("rb") as file:
            for message in read_po(file, locale=language):
                if not message.id or message.fuzzy:
                    continue
                msgid = message.id[0] if isinstance(message.id, tuple) else message.id
                forms = message.string if isinstance(message.string, tuple) else (message.string,)
                if all(forms):
                    found[msgid if message.context is None else f"{message.context}\x04{msgid}"] = tuple(forms)
    return found


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_marked_message_is_translated_with_its_placeholders(language):
    translated = _translations(language)
    plurals = Locale.parse(language).plural_form.tags
    problems = []
    for key, forms in _marked().items():
        if key not in translated:
            problems.append(f"untranslated: {key.rpartition(chr(4))[2]!r}")
            continue
        wanted = _placeholders(forms[-1]) | _placeholders(forms[0])
        if len(forms) == 2 and len(translated[key]) != len(plurals):
            problems.append(f"{len(translated[key])} plural forms, {language} has {len(plurals)}: {forms[0]!r}")
        for translation in translated[key]:
            if _placeholders(translation) != wanted:
                problems.append(f"placeholders differ: {forms[0]!r} → {translation!r}")
    assert problems == [], "\n".join(problems[:40]) + f"\n({len(problems)} in all)"


def test_plural_forms_follow_cldr():
    with i18n.speaking("ru"):
        shown = [i18n.counted(n, "{n} film", "{n} films") for n in (1, 2, 5, 11, 21, 22, 1204)]
    assert shown == ["1 фильм", "2 фильма", "5 фильмов", "11 фильмов", "21 фильм", "22 фильма", "1\xa0204 фильма"]
    assert [i18n.counted(n, "{n} film", "{n} films") for n in (1, 2, 1204)] == ["1 film", "2 films", "1,204 films"]


# ------------------------------------------------------------------------------ nothing bypasses them

# The command translator's own messages are for whoever runs CI, not for members.
CHECKED = [
    *sorted((ROOT / "cogs").rglob("*.py")),
    *sorted(path for path in (ROOT / "bot" / "ui").rglob("*.py") if path.name != "translator.py"),
]
TRANSLATING = {"_", "N_", "NC_", "counted", "pgettext"}
NOT_SHOWN = {"debug", "info", "warning", "error", "exception", "critical", "getLogger"}
# Exceptions that never reach a member as text: answer_error logs them and apologises.
INTERNAL = {"RuntimeError", "ValueError", "TypeError", "KeyError", "AssertionError", "NotImplementedError"}


def _sentence(text: str) -> bool:
    """Reads as words to a person: two or more words of letters (not a key, a file name, an id)."""
    return len(re.findall(r"[A-Za-z]{2,}", text)) >= 2 and " " in text


def _exempt_nodes(tree: ast.AST, lines: list[str]) -> set[int]:
    """ids of string nodes that are not user-facing."""
    exempt: set[int] = set()

    def mark(node: ast.AST) -> None:
        exempt.update(id(child) for child in ast.walk(node))

    for node in ast.walk(tree):
        if isinstance(node, ast.stmt) and "# untranslated:" in lines[node.lineno - 1]:
            mark(node)  # a statement its first line says is not shown to members, with why
        body = getattr(node, "body", None)
        first = body[0] if isinstance(body, list) and body else None
        if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant) and isinstance(first.value.value, str):
            mark(first)  # a docstring
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in TRANSLATING or name in NOT_SHOWN or name in INTERNAL:
                mark(node)
            # Command names, descriptions and choices: the command translator's catalog.
            if isinstance(func, ast.Attribute) and name in {
                "command", "describe", "choices", "rename", "Group", "Choice", "group", "context_menu",
            }:
                mark(node)
            for keyword in node.keywords:
                if keyword.arg in {"group_name", "group_description", "name", "description", "custom_id",
                                   "template"}:
                    mark(keyword.value)
        if isinstance(node, ast.ClassDef):
            for keyword in node.keywords:
                mark(keyword.value)
        if isinstance(node, ast.Subscript | ast.Compare):
            mark(node.slice if isinstance(node, ast.Subscript) else node)
        if isinstance(node, ast.Dict):
            for key in node.keys:
                if key is not None:
                    mark(key)
    return exempt


def _bypassing(path: Path) -> list[str]:
    source = path.read_text(encoding="utf-8")
    lines = source.splitlines()
    tree = ast.parse(source)
    exempt = _exempt_nodes(tree, lines)
    found = []
    for node in ast.walk(tree):
        if id(node) in exempt:
            continue
        if isinstance(node, ast.JoinedStr):
            text = "".join(part.value for part in node.values if isinstance(part, ast.Constant))
            exempt.update(id(part) for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            text = node.value
        else:
            continue
        if _sentence(text) and "untranslated:" not in lines[node.lineno - 1]:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {text[:70]!r}")
    return found


def test_no_user_facing_literal_in_cogs_or_ui_bypasses_the_translation_function():
    assert len(CHECKED) > 20
    found = [problem for path in CHECKED for problem in _bypassing(path)]
    assert found == [], "\n".join(found[:60]) + f"\n({len(found)} in all)"


def test_the_bypass_check_can_fail(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text(
        'import logging\nlog = logging.getLogger("x")\n'
        'def reply():\n    """A docstring is not shown."""\n    log.info("a log line is for the admin")\n'
        '    return "You voted for this film."\n',
        encoding="utf-8",
    )
    global ROOT
    saved, ROOT = ROOT, tmp_path
    try:
        assert _bypassing(sample) == ["sample.py:6: 'You voted for this film.'"]
    finally:
        ROOT = saved


MEMBER_ERRORS = {"UserError", "NotFound", "NotSaved", "WeekTaken"}


def _unmarked_refusals(path: Path) -> list[str]:
    """`raise UserError("…")` in the core: a refusal a member reads, given as a bare literal."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in MEMBER_ERRORS and node.args:
            first = node.args[0]
            parts = first.values if isinstance(first, ast.JoinedStr) else [first]
            text = "".join(str(part.value) for part in parts if isinstance(part, ast.Constant))
            if re.search(r"[A-Za-z]{2}", text):  # "{where}: {problem}" joins translated parts
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return found


def test_every_refusal_in_the_core_is_translated():
    core = [path for path in sorted((ROOT / "bot").rglob("*.py")) if "playground" not in path.parts]
    found = [problem for path in core for problem in _unmarked_refusals(path)]
    assert found == [], "\n".join(found)
