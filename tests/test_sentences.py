
from spacecoop.extract_rules import load_abbreviations
from spacecoop.sentences import split

from curate_helpers import REPO

ABBR = load_abbreviations(REPO)


def test_us_with_periods_is_not_a_sentence_end():
    s = split("Both nations emphasized concerns over U.S. policies on space. The U.S. Senate met. Mr. Li spoke.", ABBR)
    assert [x.text for x in s] == [
        "Both nations emphasized concerns over U.S. policies on space.", "The U.S. Senate met.", "Mr. Li spoke."]


def test_abbreviation_and_initialism_do_not_split():
    s = split("Mr. Li met Dr. Wu. Then they left.", ABBR)
    assert [x.text for x in s] == ["Mr. Li met Dr. Wu.", "Then they left."]


def test_offsets_are_str_indices_end_exclusive():
    for p in sorted((REPO / "seeds").glob("*.txt")):
        text = p.read_text(encoding="utf-8")
        for s in split(text, ABBR):
            assert text[s.start:s.end] == s.text
            assert s.text == s.text.strip()


def test_seed_sentence_counts_and_furniture():
    counts = {p.name[:3]: split(p.read_text(encoding="utf-8"), ABBR) for p in (REPO / "seeds").glob("*.txt")}
    assert len(counts["000"]) == 16 and len(counts["003"]) == 11
    assert counts["000"][-1].text == "Comments"
    # "... Outer Space. Both nations emphasized ..." is two sentences on one line.
    assert counts["000"][4].text.startswith("Both nations emphasized")


def test_crlf_line_ends_stay_out_of_sentences():
    text = "First line here.\r\nSecond one, with U.S. words.\r\n"
    s = split(text, ABBR)
    assert [x.text for x in s] == ["First line here.", "Second one, with U.S. words."]
    assert all(text[x.start:x.end] == x.text for x in s)
