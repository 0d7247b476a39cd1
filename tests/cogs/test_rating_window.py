"""The Rate button and its form, and the film of the week's ratings hidden until the next ballot opens."""

from __future__ import annotations

import logging
import sqlite3
from datetime import UTC, datetime

import pytest
from simcord.backend.errors import SetupError

from bot import clock
from bot.club.weekly import settings as weekly_settings
from bot.errors import UserError
from cogs.weekly._rate import RateButton, rating_view
from tests.cogs.film_helpers import CRANES, dump, fields
from tests.cogs.weekly_helpers import advance_to, follow_simulated_clock, message, open_ballot, turn_on

BALLAD = "ballad-of-a-soldier-1959"
TUESDAY = datetime(2026, 3, 24, 10, 0, tzinfo=UTC)  # ISO week 2026-W13, after Monday's opening time
NEXT_MONDAY = datetime(2026, 3, 30, 9, 0, tzinfo=UTC)  # 2026-W14, before its 18:00 opening
HIDDEN_CARD = "Hidden until the next ballot opens"
HIDDEN_SEEN = "The club's ratings of the film of the week are hidden until the next ballot opens."


async def _film(club, key: str = CRANES):
    return await club.store.films.get_by_key(key)


async def _post_rate_button(club, film_id: int):
    """The post the scheduler makes in the film's thread, sent by the bot itself through discord.py."""
    sent = await club.bot.get_channel(club.channel.id).send("Seen it? Rate it.", view=rating_view(film_id))
    return message(club.channel, sent.id)


async def _open_form(club, member, film_id: int):
    post = await _post_rate_button(club, film_id)
    shown = await member.click(post, custom_id=f"kino:rate:{film_id}")
    assert shown.modal is not None, shown.response
    return shown


def _form(shown) -> dict[str, dict]:
    """Each control of the shown form by custom_id, with its label's text and description."""
    controls = {}
    for label in shown.modal["components"]:
        control = dict(label["component"])
        control["label_text"], control["description"] = label["label"], label.get("description")
        controls[control["custom_id"]] = control
    return controls


def _refusals_only(club) -> None:
    """Every error the bot raised was a UserError, answered to the member: the designed path."""
    errors = club.take_errors()
    assert errors and all(isinstance(error, UserError) for error in errors), errors


# ------------------------------------------------------------------ the Rate button and form


async def test_the_rate_button_opens_a_form_that_saves_the_rating_like_rate(club):
    film = await _film(club)
    shown = await _open_form(club, club.alice, film.id)
    assert shown.modal["title"] == "Rate The Cranes Are Flying (1957)"
    form = _form(shown)
    assert form["score"]["label_text"] == "Score, 1 to 10" and form["score"]["required"]
    assert form["review"]["max_length"] == 1000 and not form["review"]["required"]
    assert form["spoiler"]["default"] is False

    saved = await club.alice.submit_modal(shown, {"score": "8", "review": " Tender and fierce. ", "spoiler": True})
    assert saved.ephemeral and saved.response.content == "Rated The Cranes Are Flying (1957): 8/10"
    stored = await club.store.ratings.get(club.guild.id, club.alice.id, film.id)
    assert (stored.score, stored.review, stored.spoiler) == (8, "Tender and fierce.", True)

    # Pressed again, the form holds the member's rating, so rating again is an edit; the reply says what changed.
    again = await _open_form(club, club.alice, film.id)
    form = _form(again)
    assert (form["score"].get("value"), form["review"].get("value"), form["spoiler"]["default"]) == (
        "8", "Tender and fierce.", True,
    )
    changed = await club.alice.submit_modal(again, {"score": "6", "review": "", "spoiler": False})
    assert changed.response.content == "Rated The Cranes Are Flying (1957): 6/10 (was 8/10)"
    stored = await club.store.ratings.get(club.guild.id, club.alice.id, film.id)
    assert (stored.score, stored.review, stored.spoiler) == (6, None, False)
    assert [score for score, _ in await club.store.ratings.history(club.guild.id, club.alice.id, film.id)] == [8, 6]

    # The reply carries /rate's Share button, built from what was stored.
    shared = await club.alice.click(changed.response, label="Share")
    assert shared.followups[0].content == f"<@{club.alice.id}> rated **The Cranes Are Flying (1957)**: 6/10"
    club.assert_pings_no_one()


async def test_on_a_stars_server_the_form_asks_for_stars_in_half_steps(club):
    await club.mod.slash(club.channel, "club scale", scale="stars")
    film = await _film(club)
    shown = await _open_form(club, club.boris, film.id)
    assert _form(shown)["score"]["label_text"] == "Score, 0.5 to 5 stars"
    saved = await club.boris.submit_modal(shown, {"score": "3,5"})  # a decimal comma is a point
    assert saved.response.content == "Rated The Cranes Are Flying (1957): ★★★½"
    assert (await club.store.ratings.get(club.guild.id, club.boris.id, film.id)).score == 7
    again = await _open_form(club, club.boris, film.id)
    assert _form(again)["score"].get("value") == "3.5"

    refused = await club.boris.submit_modal(again, {"score": "3.3"})
    assert refused.ephemeral and "0.5 to 5 stars in half steps" in refused.response.content
    assert (await club.store.ratings.get(club.guild.id, club.boris.id, film.id)).score == 7
    _refusals_only(club)


@pytest.mark.parametrize(
    ("values", "answer"),
    [
        ({"score": "   "}, "Give a score, e.g. 7."),
        ({"score": "abc"}, "The score must be a number, e.g. 7."),
        ({"score": "1_0"}, "The score must be a number"),
        ({"score": "nan"}, "The score must be a number"),
        ({"score": "<@12>"}, "The score must be a number"),
        ({"score": "7\x00"}, "The score must be a number"),
        ({"score": "0"}, "whole number from 1 to 10"),
        ({"score": "11"}, "whole number from 1 to 10"),
        ({"score": "5.5"}, "whole number from 1 to 10"),
        ({"score": "7", "review": "    "}, "The review is empty"),
        ({"score": "7", "review": "hey @everyone"}, "cannot mention"),
        ({"score": "7", "review": "hey <@123>"}, "cannot mention"),
        ({"score": "7", "review": "hey <@&123>"}, "cannot mention"),
        ({"score": "7", "review": "bad\x00byte"}, "control characters"),
        ({"score": "7", "review": "bell\x07"}, "control characters"),
    ],
)
async def test_bad_input_gets_a_short_private_answer_and_saves_nothing(club, caplog, values, answer):
    film = await _film(club)
    shown = await _open_form(club, club.alice, film.id)
    before = await dump(club.store)
    with caplog.at_level(logging.DEBUG):
        refused = await club.alice.submit_modal(shown, values)
    assert refused.ephemeral and answer in refused.response.content
    assert len(refused.response.content) < 200
    assert await dump(club.store) == before
    # The designed path: no traceback in the log, none in the reply.
    assert not [record for record in caplog.records if record.exc_info or record.levelno >= logging.ERROR]
    assert "Traceback" not in refused.response.content
    _refusals_only(club)
    club.assert_pings_no_one()


async def test_what_discord_itself_stops_is_still_checked_when_a_client_sends_it(club):
    film = await _film(club)
    shown = await _open_form(club, club.alice, film.id)
    # Discord refuses an empty score and a review over the limit before sending anything.
    with pytest.raises(SetupError):
        await club.alice.submit_modal(shown, {"score": ""})
    with pytest.raises(SetupError):
        await club.alice.submit_modal(shown, {"score": "7", "review": "x" * 5000})
    # A client that ignores the limit: the form as it would be without it (SimCord's copy of the modal).
    shown._interaction.modal["components"][1]["component"].pop("max_length")
    before = await dump(club.store)
    refused = await club.alice.submit_modal(shown, {"score": "7", "review": "x" * 5000})
    assert refused.ephemeral and "at most 1,000 characters; yours has 5,000" in refused.response.content
    assert await dump(club.store) == before
    _refusals_only(club)


async def test_an_empty_score_sent_anyway_is_refused(club):
    film = await _film(club)
    shown = await _open_form(club, club.alice, film.id)
    shown._interaction.modal["components"][0]["component"]["required"] = False  # a client that ignores it
    before = await dump(club.store)
    refused = await club.alice.submit_modal(shown, {})
    assert refused.ephemeral and refused.response.content == "Give a score, e.g. 7."
    assert await dump(club.store) == before
    _refusals_only(club)


async def test_a_failed_write_and_a_removed_film_are_told_not_shown_as_tracebacks(club):
    film = await _film(club)
    shown = await _open_form(club, club.alice, film.id)
    with sqlite3.connect(club.store.path) as other:
        other.execute("CREATE TRIGGER refuse BEFORE INSERT ON ratings BEGIN SELECT RAISE(ABORT, 'disk full'); END")
    refused = await club.alice.submit_modal(shown, {"score": "7"})
    assert refused.ephemeral and refused.response.content.startswith("Your rating was not saved")
    assert "disk full" not in refused.response.content
    assert await club.store.ratings.get(club.guild.id, club.alice.id, film.id) is None
    _refusals_only(club)

    gone = await _post_rate_button(club, 987_654_321)
    pressed = await club.alice.click(gone, custom_id="kino:rate:987654321")
    assert pressed.modal is None and pressed.ephemeral
    assert pressed.response.content == "That film is no longer in the catalogue, so it cannot be rated."


async def test_the_button_is_answered_from_its_custom_id_alone_as_after_a_restart(club):
    film = await _film(club)
    biggest = 2**63 - 1
    assert len(rating_view(biggest).children[0].custom_id) <= 100
    post = await _post_rate_button(club, film.id)
    # What answers a press is the bot's registration of the template (the Weekly cog's), not a view in memory.
    club.bot.remove_dynamic_items(RateButton)
    unanswered = await club.alice.click(post, custom_id=f"kino:rate:{film.id}")
    assert not unanswered.acknowledged
    club.bot.add_dynamic_items(RateButton)
    answered = await club.alice.click(post, custom_id=f"kino:rate:{film.id}")
    assert answered.modal is not None


# ------------------------------------------------------- hidden until the next ballot opens


async def _seen(club, member, command: str = "seen") -> str:
    result = await member.slash(club.channel, command, film=CRANES)
    return result.response.embeds[0].description


async def _card(club, member) -> str:
    result = await member.slash(club.channel, "film show", title=CRANES)
    return fields(result.response.embeds[0])["Club rating"]


async def _hide_ratings(club, hide: bool) -> None:
    # Straight through the core: /club weekly hide_ratings: is not an option of the command yet.
    config, guild_id, moderator = club.bot.config, club.guild.id, club.mod.id
    await weekly_settings.update(club.store, config, guild_id, moderator, clock.now(), hide_ratings=hide)


async def test_the_film_of_the_week_s_ratings_are_hidden_from_others_until_the_next_ballot(club):
    follow_simulated_clock(club, TUESDAY)
    await turn_on(club)
    picked = await club.mod.slash(club.channel, "week pick", film=CRANES)
    assert picked.acknowledged
    film = await _film(club)
    await club.alice.slash(club.channel, "rate", film=CRANES, score=9)
    shown = await _open_form(club, club.boris, film.id)
    await club.boris.submit_modal(shown, {"score": "5", "review": "Not for me."})
    await club.alice.slash(club.channel, "rate", film=BALLAD, score=8)
    await club.boris.slash(club.channel, "rate", film=BALLAD, score=6)

    # Each member sees their own rating of it, and nothing of the others': no score, count or average.
    for command in ("seen", "film ratings"):
        alice_sees, boris_sees = await _seen(club, club.alice, command), await _seen(club, club.boris, command)
        assert alice_sees.startswith(HIDDEN_SEEN) and f"<@{club.alice.id}> — 9/10" in alice_sees
        assert f"<@{club.boris.id}>" not in alice_sees and "average" not in alice_sees
        assert boris_sees.startswith(HIDDEN_SEEN) and f"<@{club.boris.id}> — 5/10" in boris_sees
        assert f"<@{club.alice.id}>" not in boris_sees and "Not for me." in boris_sees
        assert (await _seen(club, club.mod, command)) == HIDDEN_SEEN + " You have not rated it yet."
    assert await _card(club, club.alice) == f"{HIDDEN_CARD} · yours: 9/10"
    assert await _card(club, club.mod) == HIDDEN_CARD
    # Nor does another member's own list give it away; a film that is not the film of the week shows as ever.
    boris_list = (await club.alice.slash(club.channel, "ratings", member=club.boris)).response.embeds[0]
    assert "Cranes" not in boris_list.description and "1 rating · average 6.00/10" in boris_list.description
    own_list = (await club.boris.slash(club.channel, "ratings")).response.embeds[0]
    assert "Cranes" in own_list.description and "2 ratings" in own_list.description
    ballad = (await club.alice.slash(club.channel, "seen", film=BALLAD)).response.embeds[0].description
    assert ballad.startswith("2 ratings · average 7.00/10")

    # A server that turns hiding off shows everything at once; turned on again, it hides again.
    await _hide_ratings(club, False)
    assert (await _seen(club, club.mod)).startswith("2 ratings · average 7.00/10")
    assert await _card(club, club.alice) == "7.00/10 from 2 members · yours: 9/10"
    await _hide_ratings(club, True)
    assert await _card(club, club.alice) == f"{HIDDEN_CARD} · yours: 9/10"

    # The next week's ballot opens: its message gives the club's verdict, and the ratings show everywhere.
    await advance_to(club, NEXT_MONDAY)
    assert await _card(club, club.mod) == HIDDEN_CARD  # a new week alone reveals nothing
    ballot = await open_ballot(club)
    assert "7.00/10 from 2 members" in message(club.channel, ballot.message_id).content
    for command in ("seen", "film ratings"):
        everyone = await _seen(club, club.mod, command)
        assert everyone.startswith("2 ratings · average 7.00/10")
        assert f"<@{club.alice.id}> — 9/10" in everyone and f"<@{club.boris.id}> — 5/10" in everyone
    assert await _card(club, club.alice) == "7.00/10 from 2 members · yours: 9/10"
    assert await _card(club, club.mod) == "7.00/10 from 2 members"
    boris_list = (await club.alice.slash(club.channel, "ratings", member=club.boris)).response.embeds[0]
    assert "Cranes" in boris_list.description
    club.assert_pings_no_one()
