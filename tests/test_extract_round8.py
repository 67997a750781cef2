"""`spacecoop extract`, issue 12, eighth round: a commitment an outcome in build/ records is linked
to it; "cooperation in <program>" names the program; "the <modifier> project" names the program its
modifier fits, not the last one named; "X-led accords" is the framework X leads; a body's own first
word stands for it later; a framework noun inside a name makes a framework; a day span across two
months keeps its abbreviated second month. The sentences are made up for these tests; the records
are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, extracted, linked

from spacecoop.sentences import split


@pytest.mark.parametrize("sentence, outcome", [
    ("At the talks both sides promised to coordinate more closely on multilateral platforms.", "out-moscow-coordination"),
    ("The plan answers the pledge to deepen cooperation on the safety and sustainability of space activities.",
     "out-moscow-intensify-cooperation"),
])
def test_a_commitment_in_build_is_linked_to_its_outcome(sentence, outcome):
    assert outcome in linked(_draft(sentence))


def test_a_new_commitment_stays_a_new_outcome():
    d = _draft("The two sides agreed to build a joint greenhouse for lunar crops.")
    outs = [i for i in d["records"] if i["table"] == "outcomes"]
    assert outs and not any(i.get("record") for i in outs)


def test_cooperation_in_a_program_names_it_but_not_a_programme_of_cooperation():
    assert "prg-satellite-navigation" in linked(_draft("Experts say cooperation in satellite navigation helps both sides."))
    assert "prg-satellite-navigation" not in linked(_draft("They adopted a programme of cooperation in satellite navigation."))


def _records(text: str) -> dict[str, str | None]:
    return {c.quote: c.info.get("record") for c in extracted(text).candidates if c.section == "records"}


def test_a_project_named_by_its_modifier_is_the_program_it_fits():
    hits = _records("Work on the International Lunar Research Station goes on. It covers the reactor project both discussed.")
    assert hits.get("reactor project") == "prg-lunar-nuclear-power-station"


def test_a_project_without_a_telling_modifier_still_refers_back():
    hits = _records("Work on the International Lunar Research Station goes on. It covers the joint project both discussed.")
    assert hits.get("joint project") == "prg-ilrs"


def test_led_accords_are_the_framework_their_leader_leads():
    d = _draft("The draft is read as a rebuttal of the US-led accords on lunar exploration.")
    assert "frm-artemis-accords" in linked(d)
    d = _draft("The draft is read as a rebuttal of the Brazil-led accords on lunar exploration.")
    assert "frm-artemis-accords" not in linked(d)


def test_a_bodys_first_word_stands_for_it_later():
    x = extracted("Engineers at Ostrog Motor Works fired an engine. Ostrog will deliver 24 engines to Nanling Launch Group. "
                  "Nanling paid in advance.")
    ids = {c.quote: c.info.get("id") for c in x.candidates if c.section == "new_participants"}
    assert ids["Ostrog"] == ids["Ostrog Motor Works"] == "par-ostrog-motor-works"
    assert ids["Nanling"] == "par-nanling-launch-group"
    assert not any(c.section == "places" and c.quote == "Nanling" for c in x.candidates)


def test_a_framework_noun_inside_a_name_makes_a_framework():
    d = _draft("The draft rebuts the Meridian Code on Space Resources, a voluntary charter.")
    assert any(i["quote"] == "Meridian Code on Space Resources" and i["table"] == "frameworks" for i in d["records"])
    assert "Meridian Code on Space Resources" not in {i["quote"] for i in d["new_participants"]}


def test_a_day_span_across_months_is_one_sentence_and_one_date():
    text = "The meeting was held Oct. 31–Nov. 2 in Harbin. It ended well."
    assert [s.text for s in split(text, frozenset({"Oct.", "Nov."}))] == [
        "The meeting was held Oct. 31–Nov. 2 in Harbin.", "It ended well."]
    dates = [c for c in extracted(text).candidates if c.section == "dates"]
    assert [(c.quote, c.info["value"], c.info["precision"]) for c in dates] == [
        ("Oct. 31–Nov. 2", "XXXX-10-31/XXXX-11-02", "day_range")]
