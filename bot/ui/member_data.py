"""What a member reads after importing, exporting or forgetting their own data."""

from __future__ import annotations

from bot.catalogue.letterboxd_ratings import ImportReport

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


def _films(n: int) -> str:
    return "1 film" if n == 1 else f"{n:,} films"


def import_summary(report: ImportReport, *, overwrite: bool) -> str:
    lines = [f"Matched {_films(report.matched)} in the catalogue."]
    how = [f"{report.by_rule[rule]:,} {label}" for rule, label in _RULES.items() if report.by_rule.get(rule)]
    if how:
        lines.append(f"Matched {'; '.join(how)}.")
    if report.matched:
        lines.append(f"- {report.changed:,} rating{'' if report.changed == 1 else 's'} added or changed")
        lines.append(f"- {report.unchanged:,} already the same here")
        if report.kept_newer:
            hint = "" if overwrite else "; import again with overwrite: True to replace them"
            lines.append(f"- {report.kept_newer:,} kept: you rated them here more recently{hint}")
    if report.unmatched:
        lines.append(f"Unmatched: {_films(len(report.unmatched))} not found in the catalogue (see unmatched.csv).")
    else:
        lines.append("Unmatched: none.")
    lines.append(f"Unrated: {_films(report.unrated)} without a rating were skipped.")
    return "\n".join(lines)


def forget_question() -> str:
    return (
        "This deletes your ratings, reviews, rating history, votes and nomination in this server, and "
        "removes your name from the films you nominated. It cannot be undone. Delete them?"
    )


def forgotten(counts: dict[str, int]) -> str:
    def n(kind: str, one: str, many: str) -> str:
        count = counts.get(kind, 0)
        return f"{count:,} {one if count == 1 else many}"

    return (
        f"Done: deleted {n('ratings', 'rating (with its review)', 'ratings (with their reviews)')}, "
        f"{n('history', 'rating history entry', 'rating history entries')}, {n('votes', 'vote', 'votes')} "
        f"and {n('nominations', 'nomination', 'nominations')}."
    )
