"""`spacecoop extract`, issue 12, sixth round: a record is known also by the words its seeds use
about it (its evidence quotes and descriptive fields); a defining word and well-known other things
guard the links; one state's national system is no new record. The sentences are made up for
these tests; the records are those of build/."""
from extract_helpers import KNOWN, draft_of as _draft, linked
from spacecoop.extract_para import paraphrase


def _new_records(d):
    return {i["quote"] for i in d["records"] if not i.get("record")}


def test_the_seeds_quotes_let_a_description_link_where_the_name_shares_no_word():
    # The meeting's name says "consultation ... peaceful use"; its seeds call it ministerial-level
    # and the first of its kind.
    hit = paraphrase("inaugural ministerial-level consultation on outer space", ("meetings",), KNOWN, "consultation")
    assert hit == ("meetings", "mtg-moscow-outer-space-consultation")
    assert paraphrase("ministerial-level consultation on fisheries quotas", ("meetings",), KNOWN, "consultation") is None


def test_words_of_a_name_outrank_words_only_said_about_another_record():
    assert paraphrase("lunar station agreement", ("agreements",), KNOWN, "agreement") == ("agreements", "agr-ilrs-agreement")


def test_a_record_with_a_defining_word_links_only_to_a_phrase_with_it():
    assert "prg-reciprocal-ground-stations" not in linked(_draft("The firms plan to open a joint ground-receiving station in Novosibirsk in October."))
    assert "prg-reciprocal-ground-stations" in linked(_draft(
        "Officials said the monitoring stations each country hosts on the other’s territory worked well."))


def test_a_well_known_other_station_is_not_the_ilrs_nor_anything_new():
    d = _draft("Fragments forced astronauts on the International Space Station to shelter in 2021.")
    assert "prg-ilrs" not in linked(d)
    assert not any("Space Station" in q for q in _new_records(d))


def test_a_national_system_alone_is_no_new_program():
    d = _draft("Russia said GLONASS signals were jammed near the border in March 2025.")
    assert "GLONASS" not in _new_records(d)


def test_a_capitalized_moon_may_modify_a_program_noun():
    d = _draft("Engineers are studying a power plant for the joint Moon base, officials said in May 2025.")
    assert "prg-ilrs" in linked(d)


def test_a_joint_activity_links_to_the_program_it_paraphrases():
    assert "prg-space-debris-monitoring" in linked(_draft("The paper draws on their joint monitoring of space junk, officials said."))
    assert not linked(_draft("The paper draws on their joint monitoring of river floods, officials said."))


def test_a_countrys_possessive_is_split_from_the_body_it_owns():
    d = _draft("Russia's Volga Propulsion Bureau will test an engine with Chinese partners in 2026.")
    assert "Volga Propulsion Bureau" in {i["quote"] for i in d["new_participants"]}
    assert any(i["quote"] == "Russia" and i["participants"] == ["par-rus"] for i in d["participants"])
