"""`spacecoop extract`, issue 12, thirteenth round: a record introduced with "a"/"an" that the clause
after it identifies by build/'s own words ("held in Moscow", "ratified by Vladimir Putin") is that
record; a definite program noun phrase is first matched by its own words ("the nuclear power plant
for the lunar base" is the power station, not the base); a defining clause without its pronoun ("the
reactor the two plan to put on the Moon"); "a call for" is a commitment noun; a watch is monitoring,
and "against" says "prevent". The sentences are made up for these tests; the records are those of
build/."""
import pytest

from extract_helpers import draft_of as _draft, linked


@pytest.mark.parametrize("sentence, record", [
    ("At a consultation on the peaceful use of outer space, held in Moscow that summer, both sides spoke.",
     "mtg-moscow-outer-space-consultation"),
    ("The station rests on an intergovernmental agreement ratified by Vladimir Putin.", "agr-ilrs-agreement"),
    ("The International Lunar Research Station is on track. Officials said the nuclear power plant for the lunar base"
     " was on schedule.", "prg-lunar-nuclear-power-station"),
    ("Engineers are designing the reactor the two plan to put on the Moon.", "prg-lunar-nuclear-power-station"),
    ("The paper repeated their call for close cooperation to prevent an arms race in outer space.", "out-arms-race-prevention"),
    ("Both sides stressed the need to work together against an arms race in orbit.", "out-arms-race-prevention"),
    ("The agencies set up a joint watch on orbital debris.", "prg-space-debris-monitoring"),
])
def test_a_record_in_build_named_another_way_is_linked(sentence, record):
    assert record in linked(_draft(sentence))


@pytest.mark.parametrize("sentence, record", [
    # "a" with no identifying clause is still a new one
    ("Diplomats plan a consultation on the peaceful use of outer space next spring.", "mtg-moscow-outer-space-consultation"),
    # a clause that names nothing of the record does not identify it
    ("The firms signed an agreement ratified by Ivo Brenn, a board member.", "agr-ilrs-agreement"),
    ("The talks were held in Kazan, far from the capitals.", "mtg-moscow-outer-space-consultation"),
])
def test_an_indefinite_record_the_clause_does_not_identify_stays_new(sentence, record):
    assert record not in linked(_draft(sentence))


def test_a_call_that_restates_nothing_in_build_proposes_nothing():
    d = _draft("The mayor issued a call for volunteers to clean the park.")
    assert not [i for i in d["records"] if i["table"] == "outcomes"]
