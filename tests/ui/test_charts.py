"""Distribution charts: a real PNG, drawn off the event loop, and drawn once per distinct distribution."""

from __future__ import annotations

import asyncio

from bot.club.scales import Scale
from bot.ui import charts

COUNTS = (0, 1, 0, 2, 3, 5, 8, 4, 2, 1)


async def test_the_chart_is_a_png_and_the_loop_keeps_answering_while_it_renders():
    ticks = 0
    rendering = True

    async def ticker():
        nonlocal ticks
        while rendering:
            ticks += 1
            await asyncio.sleep(0.001)

    running = asyncio.create_task(ticker())
    png = await charts.distribution_png(1, "loop-test", COUNTS, Scale.TEN, "The $Cranes$ {Are} Flying")
    rendering = False
    await running
    assert png.startswith(b"\x89PNG") and len(png) > 1000
    assert ticks > 1  # the ticker ran between render start and end: the render did not hold the loop


async def test_an_unchanged_distribution_is_not_drawn_again():
    before = charts.renders
    first = await charts.distribution_png(2, "film:1", COUNTS, Scale.STARS, "Cranes")
    again = await charts.distribution_png(2, "film:1", COUNTS, Scale.STARS, "Cranes")
    assert first is again and charts.renders == before + 1
    changed = await charts.distribution_png(2, "film:1", (1, *COUNTS[1:]), Scale.STARS, "Cranes")
    assert changed != first and charts.renders == before + 2


def test_an_empty_distribution_still_draws():
    assert charts.render_distribution((0,) * 10, Scale.TEN, "Nobody yet").startswith(b"\x89PNG")
