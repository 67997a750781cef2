"""`spacecoop extract`, issue 12, tenth round: a short form that follows a full name in the same
article is that name's candidate (a hyphenated surname, a body's initials); "UN's <body>" is the
known UN body; an outlet's byline, a US lawmaker's party and state, a sentence's first word before
a demonym, a run left after a month that ended a sentence ("in May. On Monday") are no participants;
a common word is no body's own short form; a capital that is an object ("give Beijing and Moscow a
...", "leaning on Beijing") or a subject of a past tense ("that Moscow first floated") is its state;
a person's title "Deputy Administrator"; a bank or a maker of electronics is a body, and a body "of
<place>" leaves the place. YAML words such as On and No stay words. The sentences are made up for
these tests; the records are those of build/."""
import shutil

import pytest

from _pkgcopy import REPO
from extract_helpers import extracted
from spacecoop.extract_rules import load_rules
from spacecoop.yamlfile import CurationError


def _cands(text: str, section: str) -> list:
    return [c for c in extracted(text).candidates if c.section == section]


def _new_ids(text: str) -> dict[str, str]:
    """quote -> proposed id of each new participant mention."""
    return {c.quote: c.info["id"] for c in _cands(text, "new_participants")}


def _state_ids(text: str) -> dict[str, list]:
    return {c.quote: c.info["participants"] for c in _cands(text, "participants")}


def _places(text: str) -> set[str]:
    return {c.quote for c in _cands(text, "places")}


@pytest.mark.parametrize("text, short, full", [
    ("Marta Ruiz-Calder, a policy adviser, briefed the panel. Ruiz-Calder said the timetable was slipping.",
     "Ruiz-Calder", "par-marta-ruiz-calder"),
    ("Ines Valdor-Kemp, a deputy assistant secretary, testified on Tuesday.\n\n\"We expect delays,\" Valdor-Kemp said.",
     "Valdor-Kemp", "par-ines-valdor-kemp"),
    ("The Nordic Space Office declined to comment. Later, NSO officials confirmed the delay.",
     "NSO", "par-nordic-space-office"),
    ("The Central Asian Cooperation Council met in June. The CACC said it would study the station.",
     "CACC", "par-central-asian-cooperation-council"),
])
def test_a_short_form_after_a_full_name_is_the_same_candidate(text, short, full):
    ids = _new_ids(text)
    assert ids.get(short) == full, ids


def test_two_word_bodies_make_no_initials():
    # "Kestrel Bank" -> "KB" would be a guess; only three capitalized words or more make an acronym
    assert _new_ids("Kestrel Bank lent the money. KB said nothing else.").get("KB") != "par-kestrel-bank"


@pytest.mark.parametrize("text", [
    "The sides agreed to raise the matter at the UN’s Committee on the Peaceful Uses of Outer Space.",
    "The sides agreed to raise the matter at the UN's Committee on the Peaceful Uses of Outer Space.",
])
def test_a_un_body_in_the_possessive_is_the_known_body(text):
    assert ["par-un-copuos"] in _state_ids(text).values()
    assert not [q for q in _new_ids(text) if "Committee" in q]


@pytest.mark.parametrize("text, not_a_participant", [
    ("MOSCOW, June 3 - RIA Novosti. Engineers from both countries met in Kazan.", "Novosti"),
    ("(Caixin) — A supplier in Harbin grew fast, records reviewed by Caixin show.", "Caixin"),
    ("Senator Walter Brandon, R-Kan., asked about the station.", "R-Kan"),
    ("‘Cheap Chinese parts keep the satellites flying,’ an engineer said.", "Cheap Chinese"),
    ("A probe reached orbit in May. On Monday, the agencies met in Beijing.", "On Monday"),
])
def test_words_that_name_no_one_are_no_new_participant(text, not_a_participant):
    assert not [q for q in _new_ids(text) if not_a_participant in q], _new_ids(text)


def test_a_common_word_is_no_short_form_of_a_body():
    text = ("The Space Technologies Directorate of Ardenia said it would decide by June. "
            "Ardenia backs the agenda of the UN Committee on the Peaceful Uses of Outer Space, a space policy forum.")
    assert "Space" not in _new_ids(text)
    assert ["par-un-copuos"] in _state_ids(text).values()


@pytest.mark.parametrize("text, capital, state", [
    ("Critics say the base could give Beijing and Moscow a foothold near the Moon.", "Moscow", "par-rus"),
    ("Officials say Russia is leaning harder on Beijing as budgets shrink.", "Beijing", "par-chn"),
    ("It is the reactor that Moscow first floated in 2024.", "Moscow", "par-rus"),
    ("Funding is short. How much Moscow will pay is unclear.", "Moscow", "par-rus"),
])
def test_a_capital_acting_or_acted_on_is_its_state(text, capital, state):
    assert _state_ids(text).get(capital) == [state]
    assert capital not in _places(text)


@pytest.mark.parametrize("text", [
    "The talks were held in Moscow in August.",
    "A Moscow instrument maker built the detector.",
])
def test_a_capital_where_something_happens_stays_a_place(text):
    assert "Moscow" in _places(text)


def test_a_deputy_administrator_is_a_person_with_a_post():
    [c] = [c for c in _cands("The deal was signed by Deputy Administrator Ren Qiuming on Monday.", "new_participants")
           if "Ren" in c.quote]
    assert (c.info["name"], c.info["kind"], c.info.get("post")) == ("Ren Qiuming", "person", "Deputy Administrator")


@pytest.mark.parametrize("text, body, place", [
    ("Payments go through Harbin Frontier Trade Bank, a person said.", "Harbin Frontier Trade Bank", None),
    ("A contract went to Dalian Xinghe Microelectronics in May.", "Dalian Xinghe Microelectronics", None),
    ("Most chips went to Baikal Orbital Instruments of Novosibirsk last year.", "Baikal Orbital Instruments", "Novosibirsk"),
])
def test_a_bank_or_a_maker_is_a_body_and_its_city_a_place(text, body, place):
    assert body in _new_ids(text)
    if place:
        assert place in _places(text)


def test_a_word_yaml_reads_as_a_boolean_is_refused_in_one_line(repo_copy):
    gaz = repo_copy / "build" / "extract" / "gazetteer.yaml"
    gaz.write_text(gaz.read_text(encoding="utf-8").replace("'On',", "On,", 1), encoding="utf-8")
    with pytest.raises(CurationError) as e:
        load_rules(repo_copy)
    assert "gazetteer.yaml" in str(e.value) and "not_names" in str(e.value) and "quote it" in str(e.value)


@pytest.fixture
def repo_copy(tmp_path):
    shutil.copytree(REPO / "build" / "extract", tmp_path / "build" / "extract")
    shutil.copytree(REPO / "schemas", tmp_path / "schemas")  # the date precisions' vocabulary
    shutil.copy(REPO / "datapackage.json", tmp_path / "datapackage.json")
    return tmp_path


def test_a_date_precision_outside_the_schemas_vocabulary_is_refused_in_one_line(repo_copy):
    dates = repo_copy / "build" / "extract" / "dates.yaml"
    text = dates.read_text(encoding="utf-8")
    assert "precision: day\n" in text
    dates.write_text(text.replace("precision: day\n", "precision: fortnight\n", 1), encoding="utf-8")
    with pytest.raises(CurationError) as e:
        load_rules(repo_copy)
    assert "dates.yaml" in str(e.value) and "'fortnight' is not one of" in str(e.value) and "month" in str(e.value)


def test_on_and_no_are_words_of_the_gazetteer():
    rules = load_rules(REPO)
    assert {"On", "No"} <= rules.not_names and "True" not in rules.not_names
