"""A new admin's first day with `kinoclub`: checks that tell the truth, and a sentence for every everyday mistake.

Each command runs as a subprocess, as the admin types it, against real files in a fresh folder.
"""

from __future__ import annotations

import os
import pty
import select
import sqlite3
import subprocess
import sys
import textwrap
from importlib.util import find_spec
from pathlib import Path

import pytest

from benchmarks.imdb_data import write_dataset
from bot.cli import main

ROOT = Path(__file__).resolve().parent.parent
TOKEN = "MTIzNDU2Nzg5MDEyMzQ1Njc4.fake-test.token-never-to-be-printed"
# Root ignores file modes; without these capabilities it obeys them as any other user does.
AS_AN_ORDINARY_USER = (
    ["setpriv", "--bounding-set=-dac_override,-dac_read_search"] if os.name == "posix" and os.geteuid() == 0 else []
)


def kinoclub(
    folder: Path, *argv: str, token: str | None = TOKEN, settings: str | None = None, prefix: list[str] | None = None
) -> subprocess.CompletedProcess:
    """`kinoclub ARGV` run in `folder`, whose config.yaml holds `settings` (by default: a database there)."""
    config = folder / "config.yaml"
    if settings is not None or not config.exists():
        config.write_text(settings or f"database:\n  path: {folder / 'club.db'}\n", encoding="utf-8")
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ["PYTHONPATH"] = str(ROOT)
    if token is not None:
        environ["KINOCLUB_TOKEN"] = token
    return subprocess.run(
        [*(prefix or []), sys.executable, "-m", "bot", *argv],
        capture_output=True, text=True, cwd=folder, env=environ, stdin=subprocess.DEVNULL, timeout=120, check=False,
    )


def listing(folder: Path) -> dict[str, bytes | None]:
    return {
        str(path.relative_to(folder)): path.read_bytes() if path.is_file() else None
        for path in sorted(folder.rglob("*"))
        if not path.name.startswith("club.db")  # the database's own working files come and go
    }


# -------------------------------------------------------------- config check


def test_config_check_passes_and_shows_every_setting_with_where_it_came_from(tmp_path):
    settings = f"database:\n  path: {tmp_path / 'club.db'}\nweekly:\n  candidates: 5\n"
    done = kinoclub(tmp_path, "config", "check", settings=settings)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert f"settings file: {tmp_path / 'config.yaml'}" in out
    lines = {line.split()[0]: line for line in out.splitlines() if line.startswith("  ")}
    for key in ("database.path", "discord.token_file", "discord.dev_guild_id", "club.timezone", "catalogue.data_dir",
                "catalogue.load_on_start", "weekly.screening", "weekly.hide_ratings", "weekly.remind_close",
                "logging.level"):
        assert key in lines, out
    assert "5" in lines["weekly.candidates"] and str(tmp_path / "config.yaml") in lines["weekly.candidates"]
    assert "(default)" in lines["weekly.opens"]
    assert "found (not shown)" in lines["token"] and "(environment: KINOCLUB_TOKEN)" in lines["token"]
    assert "configuration is valid" in out
    assert TOKEN not in out + done.stderr
    assert not (tmp_path / "club.db").exists()  # a check changes nothing


def test_config_check_names_the_environment_as_the_source(tmp_path):
    environ_db = tmp_path / "elsewhere.db"
    settings = f"database:\n  path: {tmp_path / 'club.db'}\n"
    (tmp_path / "config.yaml").write_text(settings, encoding="utf-8")
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ |= {"PYTHONPATH": str(ROOT), "KINOCLUB_TOKEN": TOKEN, "KINOCLUB_DATABASE": str(environ_db)}
    done = subprocess.run([sys.executable, "-m", "bot", "config", "check"], capture_output=True, text=True,
                          cwd=tmp_path, env=environ, check=False)
    assert done.returncode == 0, done.stderr
    line = next(line for line in done.stdout.splitlines() if "database.path" in line)
    assert str(environ_db) in line and "environment: KINOCLUB_DATABASE" in line


@pytest.mark.parametrize(
    ("settings", "token", "needles"),
    [
        ("", None, ["token:", "No Discord bot token"]),
        ("discord:\n  token_file: {tmp}/no-such-token\n", None, ["token: discord.token_file: cannot read"]),
        ("discord:\n  token_file: {tmp}\n", None, ["token: discord.token_file:", "not a plain file"]),
        ("catalogue:\n  lists: [nope]\n", TOKEN, ["catalogue.lists: no bundled list 'nope'"]),
        ("catalogue:\n  data_dir: {tmp}/no-data\n", TOKEN, ["catalogue.data_dir:", "is not a folder"]),
        ("database:\n  path: {tmp}\n", TOKEN, ["database.path:", "is a folder"]),
    ],
    ids=["no-token", "token-file-missing", "token-file-a-folder", "unknown-list", "no-data-folder", "db-a-folder"],
)
def test_config_check_fails_with_the_key_named_when_run_would_fail(tmp_path, settings, token, needles):
    text = f"database:\n  path: {tmp_path / 'club.db'}\n" + settings.format(tmp=tmp_path)
    if settings.startswith("database:"):
        text = settings.format(tmp=tmp_path)
    done = kinoclub(tmp_path, "config", "check", token=token, settings=text)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "Traceback" not in done.stderr
    assert "configuration is valid" not in done.stdout
    for needle in needles:
        assert needle in done.stderr, done.stderr
    assert "settings file:" in done.stdout  # what was read is shown even when it is wrong
    # `run` stops at the same check, before it creates the database or reaches for Discord.
    ran = kinoclub(tmp_path, "run", token=token)
    if not settings.startswith("database:"):
        assert ran.returncode == 2, ran.stderr
        assert needles[0] in ran.stderr and "Traceback" not in ran.stderr
        assert not (tmp_path / "club.db").exists()


@pytest.mark.skipif(os.name != "posix", reason="file modes")
def test_config_check_finds_a_read_only_database_folder(tmp_path):
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o555)
    try:
        done = kinoclub(tmp_path, "config", "check", settings=f"database:\n  path: {folder / 'club.db'}\n",
                        prefix=AS_AN_ORDINARY_USER)
    finally:
        folder.chmod(0o755)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "database.path: the folder" in done.stderr and "read-only" in done.stderr


def test_a_top_level_token_key_gets_the_guidance_not_unknown_section(tmp_path):
    done = kinoclub(tmp_path, "config", "check", settings="token: abc\n")
    assert done.returncode == 2
    assert "token: the token is never read from the config file; set KINOCLUB_TOKEN" in done.stderr
    assert "unknown section" not in done.stderr


def test_version_comes_from_the_package_metadata(tmp_path):
    from importlib.metadata import version

    done = kinoclub(tmp_path, "--version")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"kinoclub {version('kinoclub')}"


# ------------------------------------------------------------------ backups


@pytest.fixture
def club(tmp_path: Path) -> Path:
    """A folder with config.yaml and a club database holding the bundled films."""
    settings = tmp_path / "config.yaml"
    settings.write_text(f"database:\n  path: {tmp_path / 'club.db'}\n", encoding="utf-8")
    assert main(["import", "lists", "--config", str(settings)]) == 0
    return tmp_path


def test_backup_into_a_folder_writes_a_dated_file_inside_it(club):
    (club / "backups").mkdir()
    done = kinoclub(club, "db", "backup", "backups")
    assert done.returncode == 0, done.stderr
    (copy,) = (club / "backups").iterdir()
    assert copy.name.startswith("club-") and copy.suffix == ".db"
    assert f"to backups/{copy.name}" in done.stdout
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM films").fetchone()[0] == 16
    again = kinoclub(club, "db", "backup", "backups")  # the same second: a second name, not a refusal
    assert again.returncode == 0, again.stderr
    assert len(list((club / "backups").iterdir())) == 2
    assert not [path for path in club.rglob("*.partial")]


def test_backup_replaces_an_existing_file_only_with_force(club):
    notes = club / "notes.txt"
    notes.write_text("keep me\n", encoding="utf-8")
    done = kinoclub(club, "db", "backup", "notes.txt")
    assert done.returncode == 1
    assert done.stderr.strip() == "kinoclub: notes.txt already exists; add --force to replace it with the backup"
    assert notes.read_text(encoding="utf-8") == "keep me\n"
    forced = kinoclub(club, "db", "backup", "notes.txt", "--force")
    assert forced.returncode == 0, forced.stderr
    assert sqlite3.connect(notes).execute("SELECT count(*) FROM films").fetchone()[0] == 16


# ---------------------------------------------------------- everyday mistakes

PLAYGROUND = find_spec("simcord") is not None and find_spec("rich") is not None

MISTAKES = [
    # (argv, exit code, what stderr says)
    (["db", "backup", "notes.txt"], 1, "notes.txt already exists; add --force"),
    (["db", "backup", "locked/copy.db"], 1, "the folder locked is read-only"),
    (["db", "backup", "notes.txt/copy.db"], 1, "cannot write notes.txt"),
    (["import", "lists", "--data", "nowhere"], 1, "nowhere/films.yaml: cannot read"),
    (["import", "lists", "--data", "notes.txt"], 1, "notes.txt/films.yaml: cannot read"),
    (["import", "imdb", "nowhere"], 1, "nowhere: not a folder"),
    (["import", "imdb", "notes.txt"], 1, "notes.txt: not a folder"),
    (["import", "imdb", "fake-imdb"], 1, "title.basics.tsv.gz: not a readable gzip file"),
    (["config", "check", "--config", "locked"], 2, "locked: cannot read the config file"),
    (["config", "check", "--config", "binary.yaml"], 2, "binary.yaml: not a text file"),
    (["db", "check", "--config", "nowhere.yaml"], 2, "nowhere.yaml: cannot read the config file"),
    (["search", "cranes", "--limit", "30"], 2, "expected a number from 1 to 25"),
    (["search", "qqqzzzq"], 1, "no film matches 'qqqzzzq'"),
    pytest.param(["playground", "--script", "nowhere.txt"], 1, "cannot read the script nowhere.txt",
                 marks=pytest.mark.skipif(not PLAYGROUND, reason="the playground extra is not installed")),
    pytest.param(["playground", "--db", "locked", "--script", "notes.txt"], 1, "locked is a folder",
                 marks=pytest.mark.skipif(not PLAYGROUND, reason="the playground extra is not installed")),
]


@pytest.mark.skipif(os.name != "posix", reason="file modes")
@pytest.mark.parametrize(("argv", "code", "needle"), MISTAKES, ids=lambda value: " ".join(value)
                         if isinstance(value, list) else None)
def test_an_everyday_mistake_gets_a_sentence_and_leaves_nothing_behind(club, argv, code, needle):
    (club / "notes.txt").write_text("keep me\n", encoding="utf-8")
    (club / "binary.yaml").write_bytes(b"\x00\xff\xfe\x00")
    (club / "fake-imdb").mkdir()
    (club / "fake-imdb" / "title.basics.tsv.gz").write_text("not compressed at all\n", encoding="utf-8")
    locked = club / "locked"
    locked.mkdir()
    before = listing(club)
    films = sqlite3.connect(club / "club.db").execute("SELECT count(*) FROM films").fetchone()[0]
    locked.chmod(0o555)
    try:
        done = kinoclub(club, *argv, prefix=AS_AN_ORDINARY_USER)
    finally:
        locked.chmod(0o755)
    output = done.stdout + done.stderr
    assert done.returncode == code, output
    assert "Traceback" not in output, output
    assert needle in done.stderr, output
    assert done.stderr.strip().splitlines()[-1].startswith(("kinoclub: ", "kinoclub search: error:", "  ")), output
    assert listing(club) == before  # no copy, no .partial file, no file changed
    assert sqlite3.connect(club / "club.db").execute("SELECT count(*) FROM films").fetchone()[0] == films


# ------------------------------------------------------- progress without rich

BLOCK_RICH = """\
# Written by tests/test_cli_first_day.py: this child has the base install's packages, without rich.
import sys


class _NoRich:
    def find_spec(self, name, path=None, target=None):
        if name == "rich" or name.startswith("rich."):
            raise ModuleNotFoundError(f"No module named {name!r}", name=name)
        return None


sys.meta_path.insert(0, _NoRich())
"""


@pytest.mark.skipif(os.name != "posix", reason="needs a pseudo-terminal")
def test_import_imdb_on_a_terminal_without_rich_shows_plain_progress(tmp_path):
    dataset = write_dataset(tmp_path / "imdb", films=200, seed=7)
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(textwrap.dedent(BLOCK_RICH), encoding="utf-8")
    (tmp_path / "config.yaml").write_text(f"database:\n  path: {tmp_path / 'club.db'}\n", encoding="utf-8")
    environ = {key: value for key, value in os.environ.items() if not key.startswith("KINOCLUB_")}
    environ["PYTHONPATH"] = os.pathsep.join([str(site), str(ROOT)])
    main_end, child_end = pty.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "bot", "import", "imdb", str(dataset.folder)],
        stdin=child_end, stdout=child_end, stderr=child_end, cwd=tmp_path, env=environ, close_fds=True,
    )
    os.close(child_end)
    seen = b""
    try:
        while True:
            ready, _, _ = select.select([main_end], [], [], 120)
            if not ready:
                raise AssertionError(f"no output for 120 s:\n{seen.decode(errors='replace')}")
            try:
                chunk = os.read(main_end, 65536)
            except OSError:  # EIO: the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    finally:
        os.close(main_end)
        code = child.wait(timeout=60)
    text = seen.decode(errors="replace")
    assert code == 0, text
    assert "Traceback" not in text and "rich" not in text, text
    assert "imdb: title.basics.tsv.gz: reading" in text, text
    assert "merging into the catalogue" in text, text
    with sqlite3.connect(tmp_path / "club.db") as db:
        assert db.execute("SELECT count(*) FROM films WHERE source = 'imdb'").fetchone()[0] > 0
