"""`spacecoop extract`, issue 12, twelfth round: an activity named by its object ("space-debris
tracking", "monitoring of space junk") links to the program in build/ whose words those are, and
never makes a new one; a joint position restated in other words ("to stop outer space being turned
into a battlefield") links to the outcome in build/; "stressed that X was needed" is a stressed
need; "the <demonym> capital" is a place; "Xi’an" is "Xi'an"; a noun phrase ends where "and the"
begins another; "the station’s ... project" refers to a program. The sentences are made up for
these tests; the records are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, extracted, linked


@pytest.mark.parametrize("sentence, record", [
    ("The sides agreed to pool space-debris tracking data next year.", "prg-space-debris-monitoring"),
    ("They want to widen the monitoring of space junk.", "prg-space-debris-monitoring"),
    ("Both sides underlined the need to keep outer space from being turned into a battlefield.", "out-arms-race-prevention"),
    ("The ministers stressed that closer cooperation is needed to keep weapons and an arms race out of orbit.",
     "out-arms-race-prevention"),
    ("Newcomers may join the station’s nuclear power project later.", "prg-lunar-nuclear-power-station"),
])
def test_words_that_restate_a_record_link_to_it(sentence, record):
    assert record in linked(_draft(sentence))


def test_a_commission_and_a_data_centre_are_two_records():
    d = _draft("He praised the bilateral navigation commission and the data centre for lunar and deep-space missions.")
    assert {"prg-satellite-navigation-commission", "prg-lunar-deep-space-data-center"} <= linked(d)


@pytest.mark.parametrize("sentence", [
    "Its satellite-navigation monitoring station opened in May.",  # the station is the record
    "Officials said monitoring would begin in May.",               # no object: no program
    "Kyrgyzkosmos, the country's space research center, will host the camera.",
])
def test_an_activity_or_a_description_that_names_no_record_links_none(sentence):
    d = _draft(sentence)
    assert "prg-space-debris-monitoring" not in linked(d) and "prg-satellite-navigation" not in linked(d)
    if "country's" in sentence:
        assert not [i for i in d["records"] if i["table"] == "programs"]


@pytest.mark.parametrize("sentence, place", [
    ("The talks were held in the Russian capital in August.", "Moscow"),
    ("Delegates met in the Chinese capital on Monday.", "Beijing"),
])
def test_the_capital_of_a_state_is_a_place(sentence, place):
    assert [c for c in extracted(sentence).candidates if c.section == "places" and c.info["place"] == place]


def test_a_city_with_a_curly_apostrophe_is_the_gazetteer_place():
    x = extracted("The payload was built by Guangming Space Technology of Xi’an.")
    assert [c for c in x.candidates if c.section == "places" and c.quote == "Xi’an" and c.info["country"] == "CHN"]
