"""`spacecoop extract`, issue 12, fourteenth round: named systems behind a state's possessive
("cooperation between Russia's GLONASS and China's BeiDou"); a compound of two demonyms joined by an
en dash among a program's modifiers ("the joint Russian–Chinese moon base"); each outcome in build/
a sentence names is linked, and a second verb of the same subject ("... and pledged to ...") starts
another commitment; a defining word the phrase says itself ("for the other": reciprocal) is enough
beside a shared head; a stop verb's -ing form ("keeping") says nothing; an activity without "of"
("tracking orbital debris"). The sentences are made up for these tests; the records are those of
build/."""
import pytest

from extract_helpers import draft_of as _draft, linked


@pytest.mark.parametrize("sentence, record", [
    ("Officials praised the cooperation between Russia's GLONASS and China's BeiDou.", "prg-satellite-navigation"),
    ("Engineers will fly the power unit to the joint Russian–Chinese moon base after 2030.", "prg-ilrs"),
    ("The ministers jointly stressed the need to keep weapons out of orbit and pledged to work together on legal frameworks.",
     "out-arms-race-prevention"),
    ("Officials pointed to the monitoring stations that each country hosts for the other.", "prg-reciprocal-ground-stations"),
    ("The paper recalled their joint call for keeping weapons out of orbit.", "out-arms-race-prevention"),
    ("The commission discussed using the antennas for tracking orbital debris as well.", "prg-space-debris-monitoring"),
])
def test_a_record_in_build_named_another_way_is_linked(sentence, record):
    assert record in linked(_draft(sentence))


def test_both_outcomes_of_one_sentence_are_linked():
    d = _draft("The ministers jointly stressed the need to keep weapons out of orbit and pledged to work together "
               "on legal frameworks.")
    assert {"out-arms-race-prevention", "out-moscow-intensify-cooperation"} <= set(linked(d))


@pytest.mark.parametrize("sentence, record", [
    # a named system of another kind, or one system alone, is no cooperation in satellite navigation
    ("Officials praised the partnership between Russia's Roscosmos and China's CNSA.", "prg-satellite-navigation"),
    # monitoring stations with no word of the other side's hosting are not the reciprocal stations
    ("Officials pointed to the monitoring stations that each country has built.", "prg-reciprocal-ground-stations"),
    # "a foreign reactor" carries "power" from its head, not said: it is not the power station by that alone
    ("A foreign reactor near the lunar south pole worries Tokyo.", "prg-lunar-nuclear-power-station"),
    # tracking the situation names no program
    ("Diplomats are tracking political developments closely.", "prg-space-debris-monitoring"),
])
def test_a_mention_that_does_not_name_the_record_stays_unlinked(sentence, record):
    assert record not in linked(_draft(sentence))


def test_one_new_outcome_per_sentence():
    d = _draft("The two sides agreed to build a relay satellite and pledged to train new crews.")
    assert len([i for i in d["records"] if i["table"] == "outcomes"]) == 1
