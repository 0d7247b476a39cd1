"""`kinoclub` from a shell, as an admin runs it: real files, real output, real exit codes."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli import build_parser, main


@pytest.fixture
def settings(tmp_path: Path) -> Path:
    path = tmp_path / "config.yaml"
    path.write_text(f"database:\n  path: {tmp_path / 'club.db'}\n", encoding="utf-8")
    return path


def test_search_prints_title_year_and_director(settings, capsys):
    assert main(["search", "журавли", "--config", str(settings)]) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith("The Cranes Are Flying (1957) — Mikhail Kalatozov")


@pytest.mark.parametrize(
    ("query", "first"),
    [(["mother", "1955"], "Mother (1955)"), (["cranes", "kalatozov"], "The Cranes Are Flying (1957)"),
     (["tarkovsky"], "The Mirror (1975)")],
)
def test_search_reads_years_and_peoples_names_as_autocomplete_does(settings, capsys, query, first):
    assert main(["search", *query, "--config", str(settings)]) == 0
    assert capsys.readouterr().out.splitlines()[0].startswith(first)


def test_search_for_nothing_known_fails_with_a_message(settings, capsys):
    assert main(["search", "qqqzzzq", "--config", str(settings)]) == 1
    assert "no film matches 'qqqzzzq'" in capsys.readouterr().err


def test_db_migrate_then_again(settings, capsys):
    assert main(["db", "migrate", "--config", str(settings)]) == 0
    assert "applied 0001_initial.sql" in capsys.readouterr().out
    assert main(["db", "migrate", "--config", str(settings)]) == 0
    assert "already up to date" in capsys.readouterr().out


def test_import_lists_twice_adds_then_changes_nothing(settings, capsys):
    assert main(["import", "lists", "--config", str(settings)]) == 0
    assert "films: 16 added" in capsys.readouterr().out
    assert main(["import", "lists", "--config", str(settings)]) == 0
    assert "films: 0 added, 0 updated, 16 unchanged; lists: 0 added or updated, 2 unchanged" in capsys.readouterr().out


def test_db_backup_and_check(settings, tmp_path, capsys):
    assert main(["import", "lists", "--config", str(settings)]) == 0
    target = tmp_path / "backups" / "club-copy.db"
    assert main(["db", "backup", str(target), "--config", str(settings)]) == 0
    assert sqlite3.connect(target).execute("SELECT count(*) FROM films").fetchone()[0] == 16
    assert main(["db", "check", "--config", str(settings)]) == 0
    assert "integrity: ok" in capsys.readouterr().out


def test_backup_of_a_missing_database_fails_cleanly(tmp_path, capsys):
    settings = tmp_path / "config.yaml"
    settings.write_text(f"database:\n  path: {tmp_path / 'none.db'}\n", encoding="utf-8")
    assert main(["db", "backup", str(tmp_path / "x.db"), "--config", str(settings)]) == 1
    assert "no database there" in capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["run"],
        ["sync"],
        ["config", "check"],
        ["db", "migrate"],
        ["db", "backup", "x.db"],
        ["db", "check"],
        ["import", "lists"],
        ["import", "imdb", "downloads"],
        ["search", "cranes"],
    ],
)
def test_every_subcommand_takes_config(argv):
    args = build_parser().parse_args([*argv, "--config", "elsewhere.yaml"])
    assert args.config == Path("elsewhere.yaml")


def test_config_before_the_subcommand_counts_too():
    assert build_parser().parse_args(["--config", "a.yaml", "db", "migrate"]).config == Path("a.yaml")
    assert build_parser().parse_args(["db", "migrate"]).config is None


def test_python_dash_m_bot_is_the_same_cli(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "bot", "--help"], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 0
    for command in ("run", "sync", "config", "db", "import", "search"):
        assert command in done.stdout
