"""`spacecoop extract`, issue 12, seventh round: an employer or a body named by its apposition is a
participant, not a place; a site's name is a place; an instrument "to build" a program is the one
build/ has for it; an instrument or a visit is known by the people and meeting around it; a
definite description names the one program it fits. The sentences are made up for these tests;
the records are those of build/."""
import pytest

from extract_helpers import draft_of as _draft, linked


def _new_names(d) -> dict[str, str]:
    return {i["quote"]: i["accept"]["kind"] for i in d["new_participants"]}


def _places(d) -> set[str]:
    return {i["quote"] for i in d["places"]}


@pytest.mark.parametrize("sentence, name", [
    ("Ivan Orlov, an analyst at Volna Capital in Moscow, said the plan was costly.", "Volna Capital"),
    ("“It is late,” said Li Wen, a senior fellow at the Harbour Policy Forum.", "Harbour Policy Forum"),
    ("Pavel Sokol, who covers the space sector at Kedr Securities, said so.", "Kedr Securities"),
    ("Anna Belova, chief designer at Atomreaktor, a Russian nuclear engineering firm, said tests began.", "Atomreaktor"),
])
def test_an_employer_is_a_participant_not_a_place(sentence, name):
    d = _draft(sentence)
    assert name in _new_names(d) and name not in _places(d)


def test_a_company_word_makes_a_body_a_company():
    d = _draft("The deal was signed with Hangzhou Yunfeng Technology in March 2026.")
    assert _new_names(d).get("Hangzhou Yunfeng Technology") == "company"
    assert "Hangzhou" not in _places(d)


def test_an_event_name_stays_a_meeting_unless_someone_works_there():
    d = _draft("Delegates met at the Ural Space Technology Forum in May 2026.")
    assert "Ural Space Technology Forum" not in _new_names(d)
    assert any(i["quote"] == "Ural Space Technology Forum" and i["table"] == "meetings" for i in d["records"])


@pytest.mark.parametrize("sentence, place", [
    ("Firing tests near Nizhnyaya Salda in the Sverdlovsk Region are planned for 2027.", "Sverdlovsk Region"),
    ("The rocket will fly from the Jiuquan Satellite Launch Center in 2027.", "Jiuquan Satellite Launch Center"),
])
def test_a_sites_name_is_a_place(sentence, place):
    d = _draft(sentence)
    assert place in _places(d) and place not in _new_names(d)
    assert not any(i["quote"] == place for i in d["records"])


def test_a_countrys_possessive_joins_a_known_body():
    d = _draft("A presentation by Russia's Foreign Ministry described the catalog in May 2026.")
    assert any(i["quote"] == "Russia's Foreign Ministry" and i["participants"] == ["par-rus-mfa"] for i in d["participants"])


@pytest.mark.parametrize("sentence", [
    "Analysts say Beijing has the cash, while Moscow needs partners for the engine.",
    "He said it was uncertain whether Moscow could fund its share of the cost.",
])
def test_a_capital_standing_for_its_state_after_while_or_whether(sentence):
    d = _draft(sentence)
    assert any(i["quote"] == "Moscow" and i["participants"] == ["par-rus"] for i in d["participants"])


@pytest.mark.parametrize("sentence, want", [
    # the instrument build/ has for the program named after "to build"
    ("Russia ratified an agreement with Beijing to build the International Lunar Research Station last year.", "agr-ilrs-agreement"),
    # the one joint statement, known by the visit it came from (no year given)
    ("The issue featured in the joint statement adopted during Vladimir Putin's state visit to China.", "agr-2024-joint-statement"),
    # known by the year before the cue and the people after it
    ("The 2024 joint statement from Putin's trip listed space weather among priorities.", "agr-2024-joint-statement"),
    # a trip is a visit
    ("The statement was adopted during Vladimir Putin's trip to China in May 2024.", "mtg-putin-visit-to-china"),
    # a round of the consultation, by its place and date
    ("The talks were the first since the inaugural round in Moscow in August 2024.", "mtg-moscow-outer-space-consultation"),
    # "MOU" is an instrument cue, never a name
    ("The course is tied to the 2021 lunar MOU.", "agr-lunar-exploration-mou-2021"),
    # the one program a definite description fits: a lunar station is not the power station
    ("The reactor would supply the lunar station the two countries are building.", "prg-ilrs"),
    # a name's last word before a cooperation word; the name after a cooperation word and a verb
    ("Wang said the Sino-Russian navigation partnership had moved on.", "prg-satellite-navigation"),
    ("It extends a partnership that began with satellite navigation in 2014.", "prg-satellite-navigation"),
    # "for the other" says reciprocal
    ("It sits beside the navigation ground stations each country hosts for the other.", "prg-reciprocal-ground-stations"),
])
def test_a_record_named_another_way_links(sentence, want):
    assert want in linked(_draft(sentence))


@pytest.mark.parametrize("sentence, not_want", [
    # a new instrument of another kind for the same program is not the agreement
    ("The agencies signed a protocol to build the International Lunar Research Station in 2031.", "agr-ilrs-agreement"),
    # another year: another joint statement
    ("Putin and Xi adopted a joint statement in May 2031.", "agr-2024-joint-statement"),
    # the same people meet again: a meeting without a year is not linked by its people alone
    ("Ma Xinmin and Sergey Belousko also held bilateral consultations on the sidelines.", "mtg-moscow-outer-space-consultation"),
    # a mention's own modifier the program lacks
    ("They plan a lunar greenhouse unit.", "prg-ilrs"),
    # "a programme of cooperation in ..." names an instrument's subject, not the program
    ("They approved a programme of cooperation in satellite navigation for 2032 to 2036.", "prg-satellite-navigation"),
])
def test_what_differs_does_not_link(sentence, not_want):
    assert not_want not in linked(_draft(sentence))


def test_a_run_on_sentence_is_read_in_windows_with_true_offsets():
    # 20k characters with no sentence end: read in windows cut at spaces (extract.WINDOW), each
    # mention found once, at its own offsets.
    from extract_helpers import extracted

    text = "an analyst at Volna Capital said so and " * 500
    x = extracted(text)
    hits = [c for c in x.candidates if c.quote == "Volna Capital"]
    assert len(hits) == 500
    assert all(text[c.start:c.end] == c.quote for c in x.candidates)
