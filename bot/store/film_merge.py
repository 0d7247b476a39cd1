"""/film merge in the store: every row that refers to the duplicate film moves to the kept one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from bot.store.models import MergeReport

if TYPE_CHECKING:
    from bot.store import Transaction


async def merge(tx: Transaction, keep: int, duplicate: int) -> MergeReport:
    """Move what points at `duplicate` to `keep`, then delete `duplicate`.

    A member who rated both keeps the newer rating; an entry on a list that already holds `keep`
    is dropped rather than doubled. Only the duplicate's own catalogue facts (names, credits, tags,
    and its synopsis in every language: film_texts, deleted with it) go with it, so the kept film's
    English and translated synopses stay a pair. A list note's translations (list_texts) belong to
    the entry and follow it, moved or dropped with it by their foreign key's cascades.
    tests/store/test_film_merge.py finds every reference to films in the schema itself.
    """
    params = {"keep": keep, "dup": duplicate}
    (both,) = await tx.fetchone(
        "SELECT count(*) FROM ratings d JOIN ratings k ON k.guild_id = d.guild_id AND k.user_id = d.user_id "
        "AND k.film_id = :keep WHERE d.film_id = :dup",
        params,
    )
    await tx.execute(
        "DELETE FROM ratings WHERE film_id = :keep AND EXISTS (SELECT 1 FROM ratings d WHERE "
        "d.film_id = :dup AND d.guild_id = ratings.guild_id AND d.user_id = ratings.user_id "
        "AND d.updated_at > ratings.updated_at)",
        params,
    )
    await tx.execute(
        "DELETE FROM ratings WHERE film_id = :dup AND EXISTS (SELECT 1 FROM ratings k WHERE "
        "k.film_id = :keep AND k.guild_id = ratings.guild_id AND k.user_id = ratings.user_id)",
        params,
    )
    ratings_moved = await _count(tx, "ratings", duplicate)
    await tx.execute("UPDATE ratings SET film_id = :keep WHERE film_id = :dup", params)
    entries = await _count(tx, "list_entries", duplicate)
    await tx.execute(
        "DELETE FROM list_entries WHERE film_id = :dup AND list_id IN "
        "(SELECT list_id FROM list_entries WHERE film_id = :keep)",
        params,
    )
    entries_moved = await _count(tx, "list_entries", duplicate)
    await tx.execute("UPDATE list_entries SET film_id = :keep WHERE film_id = :dup", params)
    picks = await _count(tx, "picks", duplicate)
    await tx.execute("UPDATE picks SET film_id = :keep WHERE film_id = :dup", params)
    # Past ballots follow the film (their votes with them) unless the ballot held both.
    await tx.execute(
        "DELETE FROM candidates WHERE film_id = :dup AND ballot_id IN "
        "(SELECT ballot_id FROM candidates WHERE film_id = :keep)",
        params,
    )
    await tx.execute("UPDATE candidates SET film_id = :keep WHERE film_id = :dup", params)
    # A recorded result names the film by id too; it follows, as its candidacy did (a ballot
    # that held both keeps the kept film's count), so the closed ballot still reads right.
    await tx.execute("UPDATE results SET winner_id = :keep WHERE winner_id = :dup", params)
    await tx.execute(
        "UPDATE results SET counts = (SELECT json_group_array(json_array("
        "  CASE j.value ->> 0 WHEN :dup THEN :keep ELSE j.value ->> 0 END, j.value ->> 1)) "
        "  FROM json_each(results.counts) j WHERE NOT (j.value ->> 0 = :dup AND EXISTS "
        "  (SELECT 1 FROM json_each(results.counts) k WHERE k.value ->> 0 = :keep))) "
        "WHERE EXISTS (SELECT 1 FROM json_each(results.counts) j WHERE j.value ->> 0 = :dup)",
        params,
    )
    await tx.execute("UPDATE nominations SET film_id = :keep WHERE film_id = :dup", params)
    # A rating's past follows it, and so does the past of a rating dropped above: it is still what
    # the member said of this film, so for a member who rated both the two histories interleave by time.
    await tx.execute("UPDATE rating_history SET film_id = :keep WHERE film_id = :dup", params)
    await tx.execute("DELETE FROM films WHERE id = :dup", params)
    return MergeReport(
        ratings_moved=ratings_moved, ratings_older_dropped=both,
        entries_moved=entries_moved, entries_dropped=entries - entries_moved, picks_moved=picks,
    )


async def _count(tx: Transaction, table: str, film_id: int) -> int:
    row = await tx.fetchone(f"SELECT count(*) FROM {table} WHERE film_id = ?", (film_id,))
    return int(row[0])
