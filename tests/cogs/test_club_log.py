"""/club log in sentences: titles, list names, channel and role names, before and after in words; filters and pages."""

from __future__ import annotations

import re

import discord

from tests.cogs.film_helpers import CRANES
from tests.cogs.weekly_helpers import open_ballot, turn_on

MIRROR = "the-mirror-1975"


async def _log(club, who=None, **options) -> list[str]:
    result = await (who or club.mod).slash(club.channel, "club log", **options)
    assert result.ephemeral
    return [embed.description for embed in result.response.embeds]


def _no_internals(text: str, *ids: int) -> None:
    assert "{" not in text and "[" not in text, text
    for number in ids:
        assert str(number) not in text.replace(f"<@{number}>", ""), (number, text)
    assert not re.search(r"\b[0-9]{15,}\b", re.sub(r"<(@|t:)[0-9]+(:R|:f)?>", "", text)), text


async def test_list_changes_read_as_sentences_with_titles_and_names(club):
    await club.mod.slash(club.channel, "list create", name="Winter screenings")
    key = (await club.store.lists.visible_to(club.guild.id))[-1].key
    await club.mod.slash(club.channel, "list add", list=key, film=CRANES)
    await club.mod.slash(club.channel, "list add", list=key, film=MIRROR)
    await club.mod.slash(club.channel, "list move", list=key, film=MIRROR, position=1)
    await club.mod.slash(club.channel, "list remove", list=key, film=CRANES)
    await club.mod.slash(club.channel, "list rename", list=key, name="Cold nights")
    (page,) = await _log(club, kind="lists")
    lines = page.split("\n")
    by = f"<@{club.mod.id}>"
    assert lines[0].endswith(f"{by} renamed the list “Winter screenings” to “Cold nights”")
    assert lines[1].endswith(f"{by} took “The Cranes Are Flying (1957)” off the list “Cold nights”")
    assert lines[2].endswith(f"{by} moved “The Mirror (1975)” from #2 to #1 in the list “Cold nights”")
    assert lines[3].endswith(f"{by} added “The Mirror (1975)” to the list “Cold nights” at #2")
    assert lines[5].endswith(f"{by} created the list “Cold nights”")
    assert all(line.startswith("<t:") for line in lines)
    _no_internals(page)
    assert CRANES not in page and MIRROR not in page


async def test_film_changes_name_the_film_and_the_change(club):
    await club.mod.slash(club.channel, "film add", title="Stalker", year=1979)
    await club.mod.slash(club.channel, "film edit", film="Stalker", runtime=161)
    (page,) = await _log(club, kind="films")
    edited, added = page.split("\n")
    assert edited.endswith("edited “Stalker (1979)”: runtime nothing → 161")
    assert added.endswith("added the film “Stalker (1979)”")
    _no_internals(page)


async def test_settings_and_the_week_name_channels_roles_and_films(club):
    owner_role = club.guild.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    owner = club.guild.add_member(club.env.create_user("owner"), roles=[owner_role])
    await owner.slash(club.channel, "club moderators", role=club.moderator_role)
    await club.mod.slash(club.channel, "club scale", scale="stars")
    await turn_on(club)
    ballot = await open_ballot(club)

    (settings,) = await _log(club, kind="settings")
    scale, roles = settings.split("\n")
    assert scale.endswith("switched the rating scale from 1–10 to half stars")
    assert roles.endswith(f"<@{owner.id}> changed the moderator roles: the configured roles → @Moderator")
    _no_internals(settings, club.moderator_role.id)

    (weekly,) = await _log(club, kind="weekly")
    opened, channel = weekly.split("\n")
    assert channel.endswith("changed the weekly settings: set the weekly channel to #film-club")
    (entry,) = await club.store.audit.filtered(club.guild.id, 1, prefixes=("week.open",))
    candidates = await club.store.films.get_many(entry.after)
    assert opened.endswith(f"opened the ballot for week {ballot.week}: " + ", ".join(
        f"{film.title} ({film.year})" for film in sorted(candidates, key=lambda film: entry.after.index(film.id))
    ))
    _no_internals(weekly, club.channel.id)  # film ids are small numbers; the titles above stand for them


async def test_the_log_filters_by_moderator_and_kind_and_pages_newest_first(club):
    second = club.guild.add_member(club.env.create_user("grisha"), roles=[club.moderator_role])
    for number in range(11):
        await club.mod.slash(club.channel, "list create", name=f"Season {number}")
    await second.slash(club.channel, "list create", name="Grisha's picks")

    (mine,) = await _log(club, member=second)
    assert mine.endswith(f"<@{second.id}> created the list “Grisha's picks”") and "\n" not in mine

    (nothing,) = await _log(club, kind="films")
    assert nothing.startswith("Nothing matches")

    shown = await club.mod.slash(club.channel, "club log", kind="lists")
    first = shown.response.embeds[0]
    assert first.footer.text == "Page 1 of 2" and first.description.count("\n") == 9
    assert "Grisha's picks" in first.description.split("\n")[0]
    turned = await club.mod.click(shown.response, label="▶")
    (second_page,) = turned.response.embeds if turned.response.embeds else turned.message.embeds
    assert second_page.footer.text == "Page 2 of 2"
    assert second_page.description.endswith("created the list “Season 0”")


def test_every_other_kind_of_entry_reads_as_a_sentence():
    from bot.store.models import AuditEntry
    from bot.ui.audit import Names, sentence

    def entry(action, target, before=None, after=None):
        return AuditEntry(1, 7, action, target, before, after, "2026-03-23T10:00:00+00:00")

    names = Names(
        films_by_id={1: "Mother (1955)", 2: "Circus (1936)"},
        films_by_key={"mother-1955": "Mother (1955)", "circus-1936": "Circus (1936)"},
        lists={"cold": "Cold nights", "winter": "Winter"},
        channels={99: "film-club"},
        roles={55: "Pingable"},
    )
    stalker = {"title": "Stalker", "year": 1979}
    cases = [
        (entry("film.merge", "stalker-dup", stalker, {"kept": "mother-1955"}),
            "merged “Stalker (1979)” into “Mother (1955)”"),
        (entry("film.remove", "gone", stalker, {"ratings": 1, "list_entries": 2, "picks": 0, "ballots": 0}),
            "removed the film “Stalker (1979)” with its 1 rating, 2 list entries, 0 picks"),
        (entry("list.delete", "old", {"name": "Old", "size": 1}), "deleted the list “Old” (1 film)"),
        (entry("list.copy", "cold", {"from": "winter"}, {"name": "Cold nights", "size": 3}),
            "copied the list “Winter” as “Cold nights”"),
        (entry("list.import", "cold", None, {"name": "Cold nights", "size": 2}),
            "imported the list “Cold nights” (2 films)"),
        (entry("club.rotation", "Winter", 1, 3), "set the list “Winter” to weight 3 in the rotation (was 1)"),
        (entry("club.rotation", "Winter", 1, 0), "took the list “Winter” out of the rotation"),
        (entry("club.weekly", "weekly settings", {"channel_id": 99, "reminder_role_id": None},
              {"channel_id": None, "reminder_role_id": 55}),
            "changed the weekly settings: turned the weekly cycle off; reminder role none → @Pingable"),
        (entry("week.close", "2026-W13", None, {"1": 3, "2": 1}),
            "closed the ballot for week 2026-W13 early: Mother (1955) 3 votes, Circus (1936) 1 vote"),
        (entry("week.pick", "2026-W13", None, "circus-1936"), "picked “Circus (1936)” as the film of week 2026-W13"),
        (entry("week.skip", "2026-W13"), "skipped week 2026-W13"),
        (entry("week.cancel", "2026-W13"), "cancelled the ballot for week 2026-W13"),
        (entry("week.extend", "2026-W13", "2026-03-27T18:00:00+00:00", "2026-03-28T18:00:00+00:00"),
            "moved the close of the ballot for week 2026-W13 from <t:1774634400:f> to <t:1774720800:f>"),
    ]
    for logged, expected in cases:
        assert sentence(logged, names) == expected
