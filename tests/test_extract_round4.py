"""`spacecoop extract`, issue 12, fourth round: linking by weighted word overlap (extract_para),
new instruments introduced with "a", short forms of known people, dates and claim cues. The
sentences are made up for these tests; the records are those of build/."""
import pytest

from spacecoop.extract_link import content_words
from spacecoop.extract_para import noun_phrase, paraphrase

from extract_helpers import KNOWN, extracted, draft_of as _draft, linked as _linked


def test_a_compound_of_stop_words_is_no_content_word():
    assert content_words("Sino-Russian lunar base") == content_words("lunar base")
    assert "deep-space" in content_words("deep-space data centre")


def test_noun_phrase_takes_modifiers_and_a_complement_but_not_the_clause():
    t = "They recalled the lunar station agreement he ratified."
    a = t.index("agreement")
    assert noun_phrase(t, a, a + 9) == "lunar station agreement"
    t = "They signed deals on space technology that run to 2030."
    a = t.index("deals")
    assert noun_phrase(t, a, a + 5) == "deals on space technology"


@pytest.mark.parametrize("sentence, rid", [
    ("Officials praised the Sino-Russian lunar base project on Monday.", "prg-ilrs"),
    ("Engineers will use the joint Russian-Chinese deep-space data centre.", "prg-lunar-deep-space-data-center"),
    ("Both sides cited the lunar station agreement in their remarks.", "agr-ilrs-agreement"),
    ("Firms discussed the intellectual-property deals on space technology.", "agr-space-technology-ip"),
])
def test_a_paraphrase_by_weighted_overlap_links(sentence, rid):
    assert rid in _linked(_draft(sentence))


@pytest.mark.parametrize("sentence", [
    "They plan a research reactor.",               # "research" alone: the head noun differs
    "They established a joint commission.",        # only the head noun is shared
    "Engineers built a joint deep-space tracking system.",  # a system is no data centre
    "The Harbin Lunar Data Centre opened.",         # its own proper name
    "They signed the memorandum.",                 # nothing distinguishing
])
def test_weighted_overlap_does_not_link_what_differs(sentence):
    assert not _linked(_draft(sentence))


def test_paraphrase_needs_a_clear_winner_and_a_telling_word():
    assert paraphrase("memorandum", ("agreements",), KNOWN) is None
    assert paraphrase("lunar agreement", ("agreements",), KNOWN) is None  # every lunar one alike


def test_an_instrument_introduced_with_a_is_new_and_the_later_the_is_the_same():
    d = _draft("Minsk and Beijing signed a memorandum on satellite navigation. The memorandum takes effect soon.")
    assert not _linked(d)
    new = [i for i in d["records"] if i["table"] == "agreements" and not i.get("record")]
    assert len(new) == 1 and len(new[0]["mentions"]) == 2


def test_an_instrument_with_a_year_still_links():
    d = _draft("The stations grew out of a 2014 memorandum on satellite navigation.")
    assert "agr-satellite-navigation-mou-2014" in _linked(d)


def test_a_known_persons_unique_surname_alone_is_that_person():
    d = _draft("The plan was agreed during Putin's visit to Harbin.")
    assert "par-vladimir-putin" in {p for i in d["participants"] for p in i["participants"]}
    assert "par-putin" not in {i["accept"]["id"] for i in d["new_participants"]}


def test_a_body_named_like_an_existing_program_links_to_it():
    d = _draft("The Russian-Chinese Committee on Satellite Navigation met in Kazan.")
    assert "prg-satellite-navigation-commission" in _linked(d)
    assert not any("committee" in i["accept"]["id"] for i in d["new_participants"])
    d = _draft("The Kazan Committee on Water Resources met in Kazan.")
    assert not _linked(d)


def _dates(text):
    x = extracted(text)
    return {c.quote: (c.info["value"], c.info["precision"]) for c in x.section("dates")}


@pytest.mark.parametrize("text, quote, value, precision", [
    ("KAZAN, Feb 12, 2026 (Wire) - They met.", "Feb 12, 2026", "2026-02-12", "day"),
    ("KAZAN, Sept 4 (Wire) - They met.", "Sept 4", "XXXX-09-04", "day_no_year"),
    ("Tests run between March and May.", "between March and May", "XXXX-03/XXXX-05", "month_range"),
    ("Tests run from June to August.", "from June to August", "XXXX-06/XXXX-08", "month_range"),
    ("Tests run March–April.", "March–April", "XXXX-03/XXXX-04", "month_range"),
    ("Tests run from March to May 2026.", "from March to May 2026", "2026-03/2026-05", "month_range"),
    ("The plan covers 2030-35.", "2030-35", "2030/2035", "year_range"),
])
def test_abbreviated_months_and_month_spans_without_a_year(text, quote, value, precision):
    assert _dates(text)[quote] == (value, precision)


def test_two_months_joined_by_and_are_no_span():
    assert "in March" in _dates("Sessions were held in March and May.")
    assert not any("/" in v for v, _ in _dates("Sessions were held in March and May.").values())


@pytest.mark.parametrize("text", ["Critics in parliament say the terms remain secret.", "Critics warn of the cost.",
                                  "Analysts at the institute believe the deal is political."])
def test_attributed_assessments_are_claims(text):
    assert any(i["table"] == "claims" for i in _draft(text)["records"])
