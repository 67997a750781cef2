"""`spacecoop extract`, issue 12, sixteenth round: pronouns and words of time say nothing ("that he
ratified last year"); a participant's name in a commitment says who, not what ("to present joint
findings to the UN Committee on the Peaceful Uses of Outer Space" is no restatement of an outcome
in build/); a year that agrees lets common words link ("the 2021 pact to explore the Moon
together"), and an instrument's purpose is read ("pact to ..."); a second infinitive of a
commitment verb is a commitment of its own (", and to deepen work on ..."); "pledged closer
coordination" without "to"; a joint position's words start at "on". The sentences are made up for
these tests; the records are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, linked


@pytest.mark.parametrize("sentence, record", [
    ("The station grew out of the 2021 Sino-Russian pact to explore the Moon together.", "agr-lunar-exploration-mou-2021"),
    ("In Moscow the two sides pledged to coordinate both bilaterally and in multilateral bodies, and to deepen work on"
     " the safety and sustainability of space activities and on the agenda of the UN Committee on the Peaceful Uses of"
     " Outer Space.", "out-moscow-intensify-cooperation"),
    ("Both countries pledged closer coordination in bilateral and multilateral formats.", "out-moscow-coordination"),
    ("The paper repeats the joint position Russia and China took in Moscow last year on preventing an arms race in"
     " outer space.", "out-arms-race-prevention"),
])
def test_a_record_in_build_named_another_way_is_linked(sentence, record):
    assert record in linked(_draft(sentence))


@pytest.mark.parametrize("sentence, record", [
    # the body's name is all it shares with the outcome
    ("During the visit the sides agreed to present joint findings to the UN Committee on the Peaceful Uses of Outer"
     " Space next year.", "out-moscow-intensify-cooperation"),
    # a pact of another year is not the 2021 memorandum, whatever its words
    ("The 2031 pact to explore the Moon together was signed in Harbin.", "agr-lunar-exploration-mou-2021"),
])
def test_a_mention_that_does_not_name_the_record_stays_unlinked(sentence, record):
    assert record not in linked(_draft(sentence))


def test_a_pledge_made_in_a_statement_is_no_outcome_of_its_own():
    d = _draft("The two governments pledged in a joint statement to deepen space ties.")
    assert not [i for i in d["records"] if i["table"] == "outcomes" and not i.get("record")]
