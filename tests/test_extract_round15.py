"""`spacecoop extract`, issue 12, fifteenth round: every state whose city is in the gazetteer is a
state ("Qatar"); a city's possessive before a body is a place of its own ("Shenzhen’s Huaxing
Microsystems"); states leading a program's modifiers stay participants ("the China–Russia lunar
station"); an international body in build/ described in lower-case words ("the UN’s outer space
committee"); an adverb between "agreed" and "to"; "the agreements on ..." say which (no reference
back to the last instrument), as does a clause without its pronoun ("the agreements the two
governments have struck on ..."); a three-word program name without "space" beside a cooperation
word ("debris monitoring cooperation"). The sentences are made up for these tests; the records are
those of build/."""
import pytest

from extract_helpers import draft_of as _draft, linked, participant_ids


def _places(d) -> set[str]:
    return {i["accept"]["place"]["value"] for i in d["places"]}


@pytest.mark.parametrize("sentence, record", [
    ("The firms also agreed then to strengthen coordination both bilaterally and on specialised multilateral platforms.",
     "out-moscow-coordination"),
    ("The joint statement issued after Vladimir Putin’s visit to China in May 2024 was cited. The council is studying"
     " the agreements on protecting intellectual property in space technology.", "agr-space-technology-ip"),
    ("A supply contract was signed. Officials pointed to the agreements the two governments have struck on protecting"
     " space technology intellectual property.", "agr-space-technology-ip"),
    ("The centre expands the debris monitoring cooperation the two began in 2018.", "prg-space-debris-monitoring"),
])
def test_a_record_in_build_named_another_way_is_linked(sentence, record):
    assert record in linked(_draft(sentence))


@pytest.mark.parametrize("sentence, participant", [
    ("Qatar is hosting envoys this week.", "par-qat"),
    ("Envoys of the China–Russia lunar station met in Doha.", "par-chn"),
    ("Envoys of the China–Russia lunar station met in Doha.", "par-rus"),
    ("Diplomats will raise it at the UN’s outer space committee next year.", "par-un-copuos"),
    ("Tokyo expects a demarche at the UN committee on outer space by June.", "par-un-copuos"),
])
def test_a_participant_is_found(sentence, participant):
    assert participant in participant_ids(_draft(sentence))


def test_the_china_russia_lunar_station_is_still_the_ilrs():
    assert "prg-ilrs" in linked(_draft("Envoys of the China–Russia lunar station met in Doha."))


def test_a_city_before_a_body_is_a_place():
    d = _draft("Sibirsky Sputnik signed a contract with Shenzhen’s Huaxing Microsystems in March.")
    assert "Shenzhen" in _places(d)
    assert "par-huaxing-microsystems" in participant_ids(d)


@pytest.mark.parametrize("sentence, participant", [
    # a UN committee on something the body in build/ is not about
    ("The UN committee on sanctions met in May.", "par-un-copuos"),
    # "the UN committee" alone says nothing of which
    ("The UN committee met in May.", "par-un-copuos"),
])
def test_a_un_body_not_described_by_its_words_is_not_linked(sentence, participant):
    assert participant not in participant_ids(_draft(sentence))


def test_the_agreement_after_an_agreement_still_refers_back():
    d = _draft("The firms signed a supply agreement in May. The agreement runs to 2030.")
    assert "agr-space-technology-ip" not in linked(d)
