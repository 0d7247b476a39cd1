"""A film's names, credits and tags come from three sources, and each writes only its own rows.

Every row of film_titles, film_credits and film_tags carries its `origin`: 'moderator', 'bundle'
or 'imdb' (migration 0006). Precedence, field by field, is a moderator's edit over the bundle over
IMDb:

- Names are all kept and all searchable; a name a higher source gives replaces a lower source's
  row of the same spelling, and no source adds a spelling the film already has.
- Credits of one role, and tags of one kind, come from one source at a time: the highest that gives
  any. A source that gives none leaves the others' rows alone.
- The title and original title are the film's own source's (its `source` column).

So a bundle reload rewrites only the bundle's rows and an IMDb import only IMDb's
(bot.store.imdb_merge): neither deletes what the other added.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bot.store.models import FilmDraft

if TYPE_CHECKING:
    from bot.store import Transaction

PRECEDENCE = ("moderator", "bundle", "imdb")
_ORIGIN = {"moderator": "moderator", "bundled": "bundle", "imdb": "imdb"}


def origin_of(draft: FilmDraft) -> str:
    """The origin of the rows a draft writes, from its source ("bundled" → "bundle")."""
    return _ORIGIN[draft.source]


def _marks(values: tuple[str, ...]) -> str:
    return ",".join("?" * len(values)) or "NULL"


async def write_own(tx: Transaction, film_id: int, draft: FilmDraft, normalise: Callable[[str], str]) -> None:
    """Replace the rows of the draft's origin with the draft's, as the precedence allows."""
    origin = origin_of(draft)
    rank = PRECEDENCE.index(origin)
    higher, lower = PRECEDENCE[:rank], PRECEDENCE[rank + 1 :]
    await _names(tx, film_id, draft, origin, lower, normalise)
    await tx.execute("DELETE FROM film_credits WHERE film_id = ? AND origin = ?", (film_id, origin))
    for role, names in (("director", draft.directors), ("cast", draft.cast)):
        if names and await _free(tx, "film_credits", "role", film_id, role, higher, lower):
            await tx.executemany(
                "INSERT INTO film_credits (film_id, role, position, name, norm, origin) VALUES (?,?,?,?,?,?)",
                [(film_id, role, i, name, normalise(name), origin) for i, name in enumerate(names)],
            )
    # film_credit_words is a function of film_credits, whoever gave them.
    await tx.execute("DELETE FROM film_credit_words WHERE film_id = ?", (film_id,))
    credits = await tx.fetchall("SELECT role, position, norm FROM film_credits WHERE film_id = ?", (film_id,))
    await tx.executemany(
        "INSERT OR IGNORE INTO film_credit_words (role, word, film_id, position) VALUES (?,?,?,?)",
        [(role, word, film_id, position) for role, position, norm in credits for word in norm.split()],
    )
    await tx.execute("DELETE FROM film_tags WHERE film_id = ? AND origin = ?", (film_id, origin))
    for kind, values in (("country", draft.countries), ("genre", draft.genres)):
        if values and await _free(tx, "film_tags", "kind", film_id, kind, higher, lower):
            await tx.executemany(
                "INSERT INTO film_tags (film_id, kind, position, value, origin) VALUES (?,?,?,?,?)",
                [(film_id, kind, i, value, origin) for i, value in enumerate(values)],
            )


async def _names(tx: Transaction, film_id: int, draft: FilmDraft, origin: str, lower: tuple[str, ...],
                 normalise: Callable[[str], str]) -> None:
    names = [(draft.title, None, "title")]
    if draft.original_title:
        names.append((draft.original_title, None, "original"))
    names += [(alias.title, alias.language, "alias") for alias in draft.aliases]
    rows = [(film_id, title, language, kind, normalise(title), origin) for title, language, kind in names]
    norms = tuple(dict.fromkeys(row[4] for row in rows))
    # The title and original title are the draft's (it decides the film's source); a lower source's
    # copy of one of the draft's names becomes the draft's, so search does not hold it twice.
    await tx.execute(
        f"DELETE FROM film_titles WHERE film_id = ? AND (kind IN ('title', 'original') OR origin = ? "
        f"OR (origin IN ({_marks(lower)}) AND norm IN ({_marks(norms)})))",
        (film_id, origin, *lower, *norms),
    )
    await tx.executemany(
        "INSERT INTO film_titles (film_id, title, language, kind, norm, origin) VALUES (?,?,?,?,?,?)", rows
    )


async def _free(tx: Transaction, table: str, column: str, film_id: int, value: str, higher: tuple[str, ...],
                lower: tuple[str, ...]) -> bool:
    """Whether this source may fill `value` (a role or tag kind): no higher source has; a lower one's goes."""
    found = await tx.fetchone(
        f"SELECT 1 FROM {table} WHERE film_id = ? AND {column} = ? AND origin IN ({_marks(higher)})",
        (film_id, value, *higher),
    )
    if found is not None:
        return False
    await tx.execute(
        f"DELETE FROM {table} WHERE film_id = ? AND {column} = ? AND origin IN ({_marks(lower)})",
        (film_id, value, *lower),
    )
    return True
