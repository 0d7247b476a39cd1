"""A seeded, generated catalogue of films with English and Cyrillic titles, so nothing is downloaded."""

from __future__ import annotations

import random
from dataclasses import dataclass

from anyascii import anyascii

from bot.store.models import FilmDraft, Title

ENGLISH = [
    "night",
    "day",
    "river",
    "city",
    "house",
    "road",
    "war",
    "love",
    "mother",
    "father",
    "son",
    "daughter",
    "soldier",
    "winter",
    "summer",
    "ballad",
    "cranes",
    "mirror",
    "return",
    "ascent",
    "journey",
    "letter",
    "garden",
    "station",
    "train",
    "silence",
    "island",
    "stranger",
    "forest",
    "dream",
    "window",
    "bridge",
    "harbour",
    "shadow",
    "village",
    "spring",
    "autumn",
    "voice",
    "song",
    "heart",
    "fire",
    "snow",
    "sea",
    "wind",
    "light",
    "dark",
    "golden",
    "last",
    "first",
    "little",
    "big",
    "white",
    "black",
    "red",
    "blue",
    "green",
    "old",
    "young",
    "secret",
    "lost",
    "broken",
    "quiet",
    "wild",
    "long",
    "short",
    "hidden",
    "distant",
    "empty",
    "crowded",
    "holy",
]
RUSSIAN = [
    "ночь",
    "день",
    "река",
    "город",
    "дом",
    "дорога",
    "война",
    "любовь",
    "мать",
    "отец",
    "сын",
    "дочь",
    "солдат",
    "зима",
    "лето",
    "баллада",
    "журавли",
    "зеркало",
    "возвращение",
    "восхождение",
    "письмо",
    "сад",
    "вокзал",
    "поезд",
    "тишина",
    "остров",
    "чужой",
    "лес",
    "сон",
    "окно",
    "мост",
    "гавань",
    "тень",
    "деревня",
    "весна",
    "осень",
    "голос",
    "песня",
    "сердце",
    "огонь",
    "снег",
    "море",
    "ветер",
    "свет",
]


@dataclass(frozen=True)
class Generated:
    draft: FilmDraft
    cyrillic: bool


def generate(count: int, seed: int = 1957) -> list[Generated]:
    rng = random.Random(seed)
    films = []
    for n in range(count):
        cyrillic = rng.random() < 0.2
        words = rng.sample(RUSSIAN if cyrillic else ENGLISH, rng.randint(1, 4))
        title = " ".join(words).capitalize()
        aliases = (Title(anyascii(title), "ru-Latn"),) if cyrillic else ()
        draft = FilmDraft(
            key=f"gen-{n}",
            title=title,
            source="imdb",
            year=rng.randint(1890, 2025),
            directors=(f"Director {rng.randint(1, count // 3 + 1)}",),
            aliases=aliases,
            popularity=int(rng.paretovariate(1.2) * 10),
        )
        films.append(Generated(draft, cyrillic))
    return films
