"""Country and genre names in the reader's language."""

from bot import i18n
from bot.catalogue.vocabulary import country, genre, stored_name


def test_a_country_cldr_knows_is_named_by_babel_and_a_historic_one_by_the_catalog():
    with i18n.speaking("ru"):
        assert [country(name) for name in ("Georgia", "Cuba", "Soviet Union", "Czechoslovakia")] == [
            "Грузия", "Куба", "СССР", "Чехословакия",
        ]
    assert country("Georgia") == "Georgia" and country("Soviet Union") == "Soviet Union"


def test_genres_and_themes_are_translated_and_a_moderators_own_tag_is_kept():
    with i18n.speaking("ru"):
        assert [genre(name) for name in ("Drama", "Sci-Fi", "Parenthood", "Kitchen-sink realism")] == [
            "драма", "фантастика", "родители и дети", "Kitchen-sink realism",
        ]
    assert genre("Drama") == "Drama"


def test_what_a_russian_member_types_is_searched_as_the_catalogue_stores_it():
    with i18n.speaking("ru"):
        assert stored_name("country", "СССР") == "Soviet Union"
        assert stored_name("country", "грузия") == "Georgia"
        assert stored_name("genre", "Драма") == "Drama"
        assert stored_name("genre", "родители и дети") == "Parenthood"
        assert stored_name("genre", "War") == "War"  # the English name still works
    assert stored_name("country", "СССР") == "СССР"  # an English reader's text is searched as typed
