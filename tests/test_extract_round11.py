"""`spacecoop extract`, issue 12, eleventh round: existing records named by a paraphrase are linked
when their words are in the phrase ("navigation-satellite partnership", "bilateral navigation
commission", "pacts protecting space technology patents", "last year's foreign-ministry
consultation in the Russian capital", "the reactor that both sides mean to put on the Moon", "the
station treaty"); a partnership or an effort never makes a new program; a name followed by an
apposition that calls it a program is a program, not a participant. The sentences are made up for
these tests; the records are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, extracted, linked


@pytest.mark.parametrize("sentence, record", [
    ("Receivers were swapped under the two states' navigation-satellite partnership.", "prg-satellite-navigation"),
    ("The laboratory will support the bilateral navigation commission from next year.", "prg-satellite-navigation-commission"),
    ("The firms cited bilateral pacts protecting space technology patents.", "agr-space-technology-ip"),
    ("Both have coordinated since last year's foreign-ministry consultation in Moscow.", "mtg-moscow-outer-space-consultation"),
    ("Engineers began designing the reactor that both sides mean to put on the Moon.", "prg-lunar-nuclear-power-station"),
    ("Officials said the base rests on the station treaty that Moscow ratified.", "agr-ilrs-agreement"),
])
def test_a_paraphrase_whose_words_name_one_record_is_linked(sentence, record):
    assert record in linked(_draft(sentence))


@pytest.mark.parametrize("sentence", [
    "The two firms announced a strategic partnership on rocket engines.",
    "It is part of a wider effort to cut costs.",
])
def test_a_partnership_or_an_effort_proposes_no_new_program(sentence):
    assert not [i for i in _draft(sentence)["records"] if i["table"] == "programs"]


def test_a_reactor_whose_clause_says_nothing_of_the_moon_is_not_the_power_station():
    assert "prg-lunar-nuclear-power-station" not in linked(_draft("The reactor that the institute tested in Obninsk failed."))


def test_a_station_treaty_is_the_ilrs_agreement_only_for_an_agreement_cue():
    # a memorandum about "the station" is not the ILRS agreement (another kind of instrument)
    assert "agr-ilrs-agreement" not in linked(_draft("They signed a station memorandum on Friday."))


@pytest.mark.parametrize("sentence, name", [
    ("The launch of Polar Lantern, a Chinese–Russian program to watch high orbits, drew protests.", "Polar Lantern"),
    ("Officials presented Meridian-Net, a planned network of eight reference stations.", "Meridian-Net"),
])
def test_a_name_an_apposition_calls_a_program_is_a_program(sentence, name):
    x = extracted(sentence)
    assert not [c for c in x.candidates if c.section == "new_participants" and name in c.quote]
    assert [c for c in x.candidates if c.section == "records" and c.info.get("table") == "programs" and c.quote == name]


def test_a_body_an_apposition_calls_a_firm_stays_a_participant():
    x = extracted("Orbita Systems, a Russian satellite maker, won the tender.")
    assert [c for c in x.candidates if c.section == "new_participants" and c.quote.startswith("Orbita")]
