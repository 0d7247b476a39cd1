"""What a member reads after importing, exporting or forgetting their own data."""

from __future__ import annotations

from bot.catalogue.letterboxd_ratings import ImportReport
from bot.text import counted

# How each rule of bot.catalogue.letterboxd_match reads in the reply, in the order they are tried.
_RULES = {
    "link": "by the Letterboxd link of an earlier import",
    "imdb": "by IMDb id",
    "exact": "by exact title and year",
    "title": "by title and year written differently",
    "own": "by the film's own title over another's alternative title",
    "votes": "by the most IMDb votes among films of that title and year",
    "year": "with the year one off (festival versus release year)",
}


def import_summary(report: ImportReport, *, overwrite: bool) -> str:
    lines = [f"Matched {counted(report.matched, 'film')} in the catalogue."]
    how = [f"{report.by_rule[rule]:,} {label}" for rule, label in _RULES.items() if report.by_rule.get(rule)]
    if how:
        lines.append(f"Matched {'; '.join(how)}.")
    if report.matched:
        lines.append(f"- {counted(report.changed, 'rating')} added or changed")
        lines.append(f"- {report.unchanged:,} already the same here")
        if report.kept_newer:
            hint = "" if overwrite else "; import again with overwrite: True to replace them"
            lines.append(f"- {report.kept_newer:,} kept: you rated them here more recently{hint}")
    if report.unmatched:
        missing = counted(len(report.unmatched), "film")
        lines.append(f"Unmatched: {missing} not found in the catalogue (see unmatched.csv).")
    else:
        lines.append("Unmatched: none.")
    skipped = "was" if report.unrated == 1 else "were"
    lines.append(f"Unrated: {counted(report.unrated, 'film')} without a rating {skipped} skipped.")
    return "\n".join(lines)


def forget_question() -> str:
    return (
        "This deletes your ratings, reviews, rating history, votes and nomination in this server, and "
        "removes your name from the films you nominated. It cannot be undone. Delete them?"
    )


def forgotten(counts: dict[str, int]) -> str:
    def n(kind: str, one: str, many: str) -> str:
        return counted(counts.get(kind, 0), one, many)

    return (
        f"Done: deleted {n('ratings', 'rating (with its review)', 'ratings (with their reviews)')}, "
        f"{n('history', 'rating history entry', 'rating history entries')}, {n('votes', 'vote', 'votes')} "
        f"and {n('nominations', 'nomination', 'nominations')}."
    )
