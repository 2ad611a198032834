"""The word counter behind bench/pupil_time.py: only the words a pupil reads are counted."""

from __future__ import annotations

import pytest

from bench.pupil_time import Journey, Screen, blocks_read, count_words, read_once, words_read


def test_visible_text_is_counted_and_punctuation_alone_is_not_a_word():
    html = "<body><h1>Tell someone</h1><p>In danger? Call <a>999</a> - now.</p></body>"
    assert words_read(html) == ["Tell", "someone", "In", "danger?", "Call", "999", "now."]


def test_a_closed_details_counts_its_summary_only_and_an_open_one_counts_everything():
    closed = "<details><summary>When did it happen?</summary><p>A rough guess</p></details>"
    opened = closed.replace("<details>", "<details open>")
    assert count_words(closed) == 4
    assert count_words(opened) == 7


def test_text_nobody_sees_is_not_counted():
    html = ("<head><title>Help and support</title><style>p{}</style></head><body>"
            '<a class="skip-link" href="#main">Skip to main content</a>'
            '<button class="visually-hidden" aria-hidden="true">Send</button>'
            '<span class="visually-hidden">Problem: </span><p hidden>old</p>'
            "<script>var words = 'not read';</script><template><p>row</p></template>"
            "<p>Read me</p></body>")
    assert words_read(html) == ["Read", "me"]


def test_a_list_box_counts_the_option_it_shows_and_buttons_count_their_text():
    html = ('<select><option value="">Choose one</option><option>Instagram</option></select>'
            '<select><option>Snapchat</option><option selected>TikTok app</option></select>'
            '<input type="submit" value="Send it"><input type="text" value="typed">'
            "<button>Add another place</button>")
    assert words_read(html) == ["Choose", "one", "TikTok", "app", "Send", "it", "Add",
                                "another", "place"]


def test_counting_stops_after_the_element_named():
    html = ('<h1>Thank you</h1><section><p>Your code words</p><p id="code">apple <b>river'
            "</b> stone</p><p>Come back later</p></section><p>Help after the code</p>")
    assert words_read(html, stop_after_id="code") == ["Thank", "you", "Your", "code", "words",
                                                      "apple", "river", "stone"]


@pytest.mark.parametrize(("words", "actions", "seconds", "minutes"), [
    (0, 0, 0, 1), (120, 0, 60, 1), (200, 5, 115, 2), (210, 5, 120, 2), (212, 5, 121, 3),
])
def test_the_estimate_is_120_words_a_minute_plus_3_seconds_an_action(words, actions, seconds,
                                                                      minutes):
    journey = Journey("en", (Screen("one", words, ("press",) * actions),))
    assert (journey.words, journey.actions, journey.seconds) == (words, actions, seconds)
    assert journey.minutes_claimable == minutes


def test_an_end_tag_closes_its_own_element_only():
    html = "<body><button>Send</button></b><p>still <b>read</b></p></body>"
    assert words_read(html) == ["Send", "still", "read"]


def test_a_page_is_cut_into_blocks_at_paragraphs_headings_items_and_controls():
    html = ('<header><p class="site-name">Tell someone</p><a href="/x">Leave this site quickly'
            '</a></header><h1>Tell <em>your</em> school</h1><p class="help-now">In danger now? '
            'Call <a href="tel:999">999</a>.</p><ul><li>Nothing is too small.</li></ul>'
            "<label>School code</label><button>Next</button>")
    assert blocks_read(html) == ["Tell someone", "Leave this site quickly", "Tell your school",
                                 "In danger now? Call 999", "Nothing is too small.",
                                 "School code", "Next"]


def test_a_block_read_word_for_word_on_an_earlier_page_is_not_counted_again():
    start = ["Tell someone", "In danger now? Call 999.", "How it works", "Next"]
    form = ["Tell someone", "In danger now? Call 999.", "How it works", "Tell Oak Academy",
            "Send", "Send"]
    sent = ["Tell someone", "Thank you", "In danger now? Call 111."]
    assert read_once([start, form, sent]) == [(11, 0), (5, 10), (7, 2)]


def test_the_bench_says_how_many_words_a_page_repeats_and_that_they_are_not_counted():
    from bench.pupil_time import report

    journey = Journey("en", (Screen("start page", 60, ("press Next",)),
                             Screen("form as first shown", 100, ("press Send",), repeated=20)))
    lines, met = report([journey])
    assert met and lines[0].startswith("en: 160 words, 2 actions -> 86 s")
    assert "100 words (20 more already read, not counted)" in lines[2]
