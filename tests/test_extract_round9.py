"""`spacecoop extract`, issue 12, ninth round: a commitment named by a noun ("the pledge, made in
Moscow, to ...") or a stressed need is linked to the outcome in build/ it restates, over its own words;
a data hub is a centre and an outpost a station; "a decade of cooperation in <program>" names it; a
dash-joined pair of named systems is their cooperation; a clause that says "the other's soil" makes
the stations reciprocal; a sentence's or a dateline's first word, an outlet, a demonym and a capital
qualifying a noun are no participants; a country listed after "in" is a place. The sentences are
made up for these tests; the records are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, extracted, linked


@pytest.mark.parametrize("sentence, outcome", [
    ("The plan honours the pledge, given at the Moscow talks in 2024, to coordinate space activities bilaterally.",
     "out-moscow-coordination"),
    ("It follows the commitment both governments made two years ago to intensify cooperation in key areas.",
     "out-moscow-intensify-cooperation"),
    ("The ministers reaffirmed their 2024 commitment to deepen cooperation on legal frameworks.",
     "out-moscow-intensify-cooperation"),
    ("Both delegations stressed the need to prevent an arms race in orbit.", "out-arms-race-prevention"),
])
def test_a_commitment_named_by_its_noun_is_linked_over_its_words(sentence, outcome):
    x = extracted(sentence)
    hits = [c for c in x.candidates if c.section == "records" and c.info.get("record") == outcome]
    assert hits, sentence
    words = sentence.split(" to ", 1)[1].split(" ")[0]  # the commitment's first word lies inside the span
    assert words in hits[0].quote


def test_a_pledge_that_restates_nothing_in_build_proposes_nothing():
    d = _draft("The company kept its pledge, made last year, to paint the hangar blue.")
    assert not [i for i in d["records"] if i["table"] == "outcomes"]


@pytest.mark.parametrize("sentence, program", [
    ("Telemetry will be stored at the lunar and deep-space data hub both sides opened.", "prg-lunar-deep-space-data-center"),
    ("The sides offered partners time on their joint lunar research outpost.", "prg-ilrs"),
    ("The deal extends a decade of cooperation in satellite navigation.", "prg-satellite-navigation"),
    ("Receivers serve the Glonass–Beidou interoperability effort.", "prg-satellite-navigation"),
    ("The plan also relies on ground stations each side runs on the other's soil.", "prg-reciprocal-ground-stations"),
])
def test_a_paraphrased_program_is_linked(sentence, program):
    assert program in linked(_draft(sentence))


def test_a_programme_of_cooperation_still_names_no_program():
    assert "prg-satellite-navigation" not in linked(_draft("They adopted a programme of cooperation in satellite navigation."))


def test_ground_stations_without_the_other_soil_are_not_the_reciprocal_ones():
    assert "prg-reciprocal-ground-stations" not in linked(_draft("The plan also relies on ground stations each side runs at home."))


def _new(text: str) -> set[str]:
    return {c.quote for c in extracted(text).candidates if c.section == "new_participants"}


def _places(text: str) -> set[str]:
    return {c.quote for c in extracted(text).candidates if c.section == "places"}


def test_a_first_word_after_a_dateline_or_a_quote_is_no_name():
    assert "Cargo" not in _new("KAZAN (Sputnik) — Cargo operators from Russia signed a deal on Monday.")
    assert "Noise" not in _new("“Noise travels far,” said Lin Qiao, a radio engineer.")


def test_a_run_after_an_outlet_is_no_name():
    assert not {q for q in _new("Ivan Sorokin told Interfax on Tuesday the test went well.") if q.startswith("on ")}


def test_an_outlet_that_has_learned_is_no_participant():
    found = _new("Russia and China plan more stations, Vestnik has learned. Vestnik's sources gave no date.")
    assert "Vestnik" not in found


def test_a_compound_demonym_is_no_participant():
    assert "North Korean" not in _new("North Korean shipping firms are watching the project.")


def test_a_named_system_is_no_participant():
    assert "Beidou" not in _new("Kazan will host receivers, and Beidou will share its signals.")


def test_a_country_listed_after_in_is_a_place():
    places = _places("The sides agreed to survey sites in Kazakhstan and Mongolia by 2027.")
    assert {"Kazakhstan", "Mongolia"} <= places


def test_a_month_listed_after_in_does_not_make_the_next_country_a_place():
    assert "Russia" not in _places("In May, China and Russia signed a protocol.")


def test_a_capital_qualifying_a_noun_is_a_place_and_a_capital_acting_is_the_state():
    x = extracted("The agency and Moscow instrument maker Orbita-Pribor signed. Moscow and Beijing began the work in 2019.")
    places = [c for c in x.candidates if c.section == "places" and c.quote == "Moscow"]
    states = [c for c in x.candidates if c.section == "participants" and c.quote == "Moscow"]
    assert len(places) == 1 and places[0].start < 40
    assert len(states) == 1 and states[0].start > 40
