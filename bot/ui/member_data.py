"""What a member reads after importing, exporting or forgetting their own data."""

from __future__ import annotations

from bot.catalogue.letterboxd_ratings import ImportReport
from bot.i18n import N_, _, counted, number

# How each rule of bot.catalogue.letterboxd_match reads in the reply, in the order they are tried.
_RULES = {
    "link": N_("by the Letterboxd link of an earlier import"),
    "imdb": N_("by IMDb id"),
    "exact": N_("by exact title and year"),
    "title": N_("by title and year written differently"),
    "own": N_("by the film's own title over another's alternative title"),
    "votes": N_("by the most IMDb votes among films of that title and year"),
    "year": N_("with the year one off (festival versus release year)"),
}


def import_summary(report: ImportReport, *, overwrite: bool) -> str:
    lines = [_("Matched {films} in the catalogue.").format(films=counted(report.matched, "{n} film", "{n} films"))]
    how = [f"{number(report.by_rule[rule])} {_(label)}" for rule, label in _RULES.items() if report.by_rule.get(rule)]
    if how:
        lines.append(_("Matched {how}.").format(how="; ".join(how)))
    if report.matched:
        lines.append("- " + counted(report.changed, "{n} rating added or changed", "{n} ratings added or changed"))
        lines.append("- " + _("{count} already the same here").format(count=number(report.unchanged)))
        if report.kept_newer:
            kept = _("{count} kept: you rated them here more recently").format(count=number(report.kept_newer))
            hint = "" if overwrite else _("; import again with overwrite: True to replace them")
            lines.append(f"- {kept}{hint}")
    if report.unmatched:
        lines.append(
            counted(
                len(report.unmatched),
                "Unmatched: {n} film not found in the catalogue (see unmatched.csv).",
                "Unmatched: {n} films not found in the catalogue (see unmatched.csv).",
            )
        )
    else:
        lines.append(_("Unmatched: none."))
    lines.append(
        counted(
            report.unrated,
            "Unrated: {n} film without a rating was skipped.",
            "Unrated: {n} films without a rating were skipped.",
        )
    )
    return "\n".join(lines)


def forget_question() -> str:
    return _(
        "This deletes your ratings, reviews, rating history, votes and nomination in this server, and "
        "removes your name from the films you nominated. It cannot be undone. Delete them?"
    )


def forgotten(counts: dict[str, int]) -> str:
    return _("Done: deleted {ratings}, {history}, {votes} and {nominations}.").format(
        ratings=counted(counts.get("ratings", 0), "{n} rating (with its review)", "{n} ratings (with their reviews)"),
        history=counted(counts.get("history", 0), "{n} rating history entry", "{n} rating history entries"),
        votes=counted(counts.get("votes", 0), "{n} vote", "{n} votes"),
        nominations=counted(counts.get("nominations", 0), "{n} nomination", "{n} nominations"),
    )
