"""The README documents every slash command and option, every CLI command and option, every setting and
every exit code, and stays in step with the code.

The option reference is generated from the command tree the bot syncs: when a command changes, run
`KINOCLUB_WRITE_README=1 .venv/bin/pytest tests/test_readme.py` and review the diff.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import re
from pathlib import Path

from discord import app_commands

from bot.cli import build_parser
from bot.config import Config

README = Path(__file__).resolve().parents[1] / "README.md"
START, END = "<!-- options: generated from the command tree -->", "<!-- options: end -->"


def option_reference(tree: app_commands.CommandTree) -> str:
    """One row per command: its description, then each option (optional ones in brackets) with its own."""
    rows = ["| command | what it does, and its options |", "| --- | --- |"]
    commands = sorted(
        (command for command in tree.walk_commands() if isinstance(command, app_commands.Command)),
        key=lambda command: command.qualified_name,
    )
    for command in commands:
        options = []
        for parameter in command.parameters:
            name = f"`{parameter.display_name}:`" if parameter.required else f"`[{parameter.display_name}:]`"
            choices = f" ({', '.join(choice.name for choice in parameter.choices)})" if parameter.choices else ""
            options.append(f"{name} {parameter.description}{choices}")
        described = (command.description + ("<br>" + "<br>".join(options) if options else "")).replace("|", r"\|")
        rows.append(f"| `/{command.qualified_name}` | {described} |")
    return "\n".join(rows)


def _section(text: str) -> str:
    assert START in text and END in text, f"the README lost its {START} … {END} markers"
    return text[text.index(START) + len(START) : text.index(END)].strip()


async def test_the_readme_lists_every_command_and_option_as_the_bot_syncs_them(club):
    text = README.read_text(encoding="utf-8")
    expected = option_reference(club.bot.tree)
    if os.environ.get("KINOCLUB_WRITE_README") and _section(text) != expected:
        before, after = text.split(START, 1)[0], text.split(END, 1)[1]
        README.write_text(f"{before}{START}\n{expected}\n{END}{after}", encoding="utf-8")
        text = README.read_text(encoding="utf-8")
    assert _section(text) == expected, "run KINOCLUB_WRITE_README=1 pytest tests/test_readme.py"
    assert expected.count("\n| `/") >= 40


def _subcommands(parser: argparse.ArgumentParser, prefix: str = "kinoclub") -> dict[str, argparse.ArgumentParser]:
    found = {}
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                nested = _subcommands(sub, f"{prefix} {name}")
                found.update(nested or {f"{prefix} {name}": sub})
    return found


def test_the_readme_shows_every_cli_command_with_its_options():
    table = README.read_text(encoding="utf-8").split("## The command line", 1)[1].split("\n## ", 1)[0]
    rows = {line.split("`")[1]: line for line in table.splitlines() if line.startswith("| `kinoclub")}
    commands = _subcommands(build_parser())
    assert len(commands) >= 10
    for command, parser in commands.items():
        row = next((line for usage, line in rows.items() if usage.startswith(command)), None)
        assert row is not None, f"no row for {command}"
        for action in parser._actions:
            flags = [flag for flag in action.option_strings if flag.startswith("--")]
            if flags and flags[0] not in {"--help", "--config"}:
                assert flags[0] in row, f"{command}: {flags[0]} is undocumented"
            if not action.option_strings and action.metavar:
                assert action.metavar in row, f"{command}: {action.metavar} is undocumented"
    assert "--config PATH" in table and "--version" in table


def _keys(cls: type, prefix: str = "") -> list[str]:
    keys = []
    for field in dataclasses.fields(cls):
        if dataclasses.is_dataclass(field.type) or (isinstance(field.type, str) and field.type.endswith("Config")):
            kind = field.default_factory().__class__ if field.default_factory is not dataclasses.MISSING else None
            keys += _keys(kind, f"{prefix}{field.name}.") if kind else []
        else:
            keys.append(prefix + field.name)
    return keys


def test_the_readme_and_the_example_file_name_every_setting():
    text = README.read_text(encoding="utf-8")
    table = text.split("## Settings", 1)[1].split("\n## ", 1)[0]
    example = (README.parent / "config.example.yaml").read_text(encoding="utf-8")
    keys = _keys(Config)
    assert len(keys) >= 15
    for key in keys:
        section, _, name = key.rpartition(".")
        assert re.search(rf"`{re.escape(key)}`|`{re.escape(section)}\.\w+` / `{re.escape(section)}\.{name}`|"
                         rf"`{re.escape(key)}` /", table), f"{key} is not in the README's settings table"
        assert re.search(rf"^\s*#?\s*{re.escape(name)}:", example, re.MULTILINE), f"{key} not in config.example.yaml"


def test_the_readme_names_every_exit_code_the_cli_returns():
    source = (README.parent / "bot" / "cli.py").read_text(encoding="utf-8")
    codes = {int(code) for code in re.findall(r"return (\d+)\b|SystemExit\((\d+)\)", source) for code in code if code}
    exits = README.read_text(encoding="utf-8").split("Exit codes:", 1)[1].split("\n\n", 1)[0]
    assert codes >= {0, 1, 2}
    for code in codes | {2}:  # argparse exits 2 on a usage mistake too
        assert re.search(rf"\b{code}\b", exits), f"exit code {code} is not explained"
