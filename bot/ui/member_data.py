"""What a member reads after importing, exporting or forgetting their own data."""

from __future__ import annotations

from bot.catalogue.letterboxd import ImportReport


def _films(n: int) -> str:
    return "1 film" if n == 1 else f"{n:,} films"


def import_summary(report: ImportReport, *, overwrite: bool) -> str:
    lines = [f"Matched {_films(report.matched)} in the catalogue."]
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
        "This deletes your ratings, reviews, rating history and votes in this server. "
        "It cannot be undone. Delete them?"
    )


def forgotten(counts: dict[str, int]) -> str:
    return (
        f"Done: deleted {counts.get('ratings', 0):,} ratings (with their reviews), "
        f"{counts.get('history', 0):,} rating history entries and {counts.get('votes', 0):,} votes."
    )
