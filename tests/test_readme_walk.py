"""A walk of the README on a fresh machine: every `kinoclub …` command it shows is run as a new admin
would type it (a subprocess, in an empty folder outside the checkout, no token unless the step gives
one) and its output checked against what the README says it does.

A command added to the README without a step here fails `test_every_command_in_the_readme_is_walked`.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.imdb_data import write_dataset

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-test.token-never-to-be-printed"


def readme_commands() -> set[str]:
    """Every `kinoclub …` the README shows in code: inline spans, and lines of its code blocks."""
    spans = re.findall(r"`(kinoclub [^`]+)`", README)
    blocks = [line.strip() for block in re.findall(r"```[a-z]*\n(.*?)```", README, re.DOTALL)
              for line in block.splitlines()]
    indented = [line.strip() for line in README.splitlines() if line.startswith("    kinoclub ")]
    make = [f"kinoclub playground {args}".strip()
            for args in re.findall(r"make playground(?: ARGS='([^']*)')?", README)]
    found = {command.split("  #")[0].strip() for command in [*spans, *blocks, *indented, *make]
             if command.startswith("kinoclub ")}
    # The transcript's "kinoclub in #film-club" and "kinoclub (only you see this)" are the bot speaking.
    return {command for command in found if not re.match(r"kinoclub (in #|\()", command)}


class Admin:
    """A shell in an empty folder: HOME is there too, so `~/Downloads/imdb` is a real path in it."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
        self.environ.update(HOME=str(home), PYTHONPATH=str(ROOT), KINOCLUB_DATABASE=str(home / "kinoclub.db"))

    def run(self, line: str, code: int = 0, stdin: str = "", token: bool = False) -> str:
        argv = [part.replace("~", str(self.home), 1) if part.startswith("~") else part for part in line.split()[1:]]
        environ = {**self.environ, **({"KINOCLUB_TOKEN": TOKEN} if token else {})}
        done = subprocess.run(
            [sys.executable, "-m", "bot", *argv], cwd=self.home, env=environ, input=stdin,
            capture_output=True, text=True, timeout=180,
        )
        out = done.stdout + done.stderr
        assert done.returncode == code, f"{line}: exit {done.returncode}, expected {code}\n{out}"
        assert "Traceback" not in out, out
        assert TOKEN not in out
        return out


@pytest.fixture(scope="module")
def admin(tmp_path_factory) -> Admin:
    home = tmp_path_factory.mktemp("admin")
    write_dataset(home / "Downloads" / "imdb", films=300, seed=11)
    return Admin(home)


# Each README command, as the steps below spell it once its placeholders are filled in.
WALKED = {
    "kinoclub run", "kinoclub sync", "kinoclub config check", "kinoclub --version", "kinoclub db migrate",
    "kinoclub db backup PATH", "kinoclub db backup PATH [--force]", "kinoclub db check", "kinoclub import lists",
    "kinoclub import lists [--data DIR]", "kinoclub import imdb", "kinoclub import imdb DIR [--types movie,tvMovie]",
    "kinoclub import imdb ~/Downloads/imdb", "kinoclub search",
    "kinoclub search QUERY [--limit N]", "kinoclub search mother 1955", "kinoclub search cranes kalatozov",
    "kinoclub search tarkovsky", "kinoclub playground", "kinoclub playground --script",
    "kinoclub playground --web", "kinoclub playground [--script FILE] [--web] [--db PATH] [--out DIR] [--locale ru]",
    "kinoclub playground --locale ru --script",
}


def test_every_command_in_the_readme_is_walked():
    assert readme_commands() == WALKED


def test_without_a_token_run_and_sync_say_how_to_get_one(admin):
    for line in ("kinoclub run", "kinoclub sync"):
        out = admin.run(line, code=2)
        assert "KINOCLUB_TOKEN" in out and "discord.com/developers" in out, out


def test_config_check_reports_the_missing_token_then_every_setting_with_a_token(admin):
    assert "KINOCLUB_TOKEN" in admin.run("kinoclub config check", code=2)
    out = admin.run("kinoclub config check", token=True)
    assert "database.path" in out and "environment" in out and "weekly.closes" in out, out


def test_version_migrate_lists_search_and_check_on_a_new_database(admin):
    assert re.fullmatch(r"kinoclub \d+\.\d+\.\d+\n", admin.run("kinoclub --version"))
    admin.run("kinoclub db migrate")
    assert "films: 16 added" in admin.run("kinoclub import lists")
    assert "16 unchanged" in admin.run("kinoclub import lists")
    data = admin.home / "my-data"
    (data / "lists").mkdir(parents=True)
    (data / "films.yaml").write_text((ROOT / "data" / "films.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    assert "lists: 0 added" in admin.run(f"kinoclub import lists --data {data}")
    # The README's three search examples find what its Finding a film section says they find.
    assert "Mother (1955) — Mark Donskoy" in admin.run("kinoclub search mother 1955").splitlines()[0]
    assert "The Cranes Are Flying (1957)" in admin.run("kinoclub search cranes kalatozov").splitlines()[0]
    tarkovsky = admin.run("kinoclub search tarkovsky --limit 3")
    assert "The Mirror (1975) — Andrei Tarkovsky" in tarkovsky and len(tarkovsky.splitlines()) <= 3
    assert "integrity: ok" in admin.run("kinoclub db check")


def test_an_imdb_import_from_downloads_then_a_backup_that_will_not_overwrite(admin):
    out = admin.run("kinoclub import imdb ~/Downloads/imdb")
    assert "added" in out, out
    again = admin.run("kinoclub import imdb ~/Downloads/imdb --types movie,tvMovie")
    assert "0 added" in again, again
    backups = admin.home / "backups"
    backups.mkdir()
    admin.run(f"kinoclub db backup {backups}")
    (made,) = backups.iterdir()
    admin.run(f"kinoclub db backup {made}", code=1)
    admin.run(f"kinoclub db backup {made} --force")
    assert [path.name for path in backups.iterdir()] == [made.name]


def _plain(text: str) -> str:
    """A transcript without its box drawing and line wrapping: the width differs between terminals."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def test_the_playground_tour_prints_what_the_readmes_excerpt_shows(admin):
    out = admin.run(f"kinoclub playground --script --db {admin.home / 'play.db'} --out {admin.home / 'out'}")
    assert (admin.home / "play.db").is_file() and any((admin.home / "out").iterdir())
    excerpt = README.split("```text\n", 1)[1].split("```", 1)[0]
    drawn = re.compile(r"The House I Live In|Mother|Father of a Soldier|…|ballot for|Film of the week")
    checked = 0
    for line in excerpt.splitlines():
        if line.strip("│ ") in {"", "⋮"} or drawn.search(line) or set(line) <= set("╭╮╰╯─"):
            continue  # the draw is random: lines naming the drawn films are the tour's, not fixed text
        assert _plain(line) in _plain(out), f"the README shows {line!r}; the tour printed:\n{out}"
        checked += 1
    assert checked >= 20
    assert "alice" in admin.run("kinoclub playground", stdin="as alice\nquit\n")


def test_the_russian_tour_prints_what_the_readmes_second_excerpt_shows(admin):
    out = admin.run("kinoclub playground --locale ru --script")
    excerpt = README.split("```text\n")[2].split("```", 1)[0]
    checked = 0
    for line in excerpt.splitlines():
        if line.strip("│ ") in {"", "⋮"} or set(line) <= set("╭╮╰╯─"):
            continue
        assert _plain(line) in _plain(out), f"the README shows {line!r}; the Russian tour printed:\n{out}"
        checked += 1
    assert checked >= 15


def test_the_playground_web_page_prints_its_address(admin):
    process = subprocess.Popen(
        [sys.executable, "-m", "bot", "playground", "--web"], cwd=admin.home, env=admin.environ,
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        seen = ""
        for line in process.stdout:
            seen += line
            if "http://127.0.0.1:" in line:
                break
        assert re.search(r"http://127\.0\.0\.1:\d+", seen), seen
        process.stdin.write("quit\n")
        process.stdin.flush()
        assert process.wait(timeout=60) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
