"""What a person reads on a page, as blocks of text: for the tests that prove no English is
left on a pupil page (tests/web/test_pupil_words.py, tests/browser/test_pupil_languages.py).

A block is the text of the page between two tags that start a new line for the reader (a
heading, a paragraph, a list item, a label, a button...), plus the attributes a screen reader
reads out (aria-label, alt, placeholder, title) and the page's <title>.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from html.parser import HTMLParser

# Tags whose start or end starts a new block; inline tags (a, strong, span...) do not, so a
# sentence with a link in it stays one block.
BREAKS = frozenset({"address", "article", "aside", "blockquote", "br", "button", "caption",
                    "dd", "details", "div", "dl", "dt", "fieldset", "figcaption", "figure",
                    "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "label",
                    "legend", "li", "main", "nav", "ol", "option", "p", "section", "select",
                    "summary", "table", "td", "textarea", "th", "title", "tr", "ul", "body",
                    "head", "html"})
HIDDEN = frozenset({"script", "style", "template", "textarea"})
READ_ATTRIBUTES = ("aria-label", "alt", "placeholder", "title")
# Numbers, times, phone numbers, punctuation: nothing to translate.
NO_WORDS = re.compile(r"^[\W\d_]*$")
WORD = re.compile(r"[^\W\d_]+")


class _Blocks(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[str] = []
        self._current: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BREAKS:
            self._end_block()
        if tag in HIDDEN:
            self._hidden += 1
        for name, value in attrs:
            if name in READ_ATTRIBUTES and value:
                self.blocks.append(value)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <input .../>: no text inside, but the attributes may be read out.
        hidden = tag in HIDDEN
        self.handle_starttag(tag, attrs)
        if hidden:
            self._hidden -= 1

    def handle_endtag(self, tag: str) -> None:
        if tag in HIDDEN:
            self._hidden = max(0, self._hidden - 1)
        if tag in BREAKS:
            self._end_block()

    def handle_data(self, data: str) -> None:
        if not self._hidden:
            self._current.append(data)

    def _end_block(self) -> None:
        text = " ".join("".join(self._current).split())
        if text:
            self.blocks.append(text)
        self._current = []

    def close(self) -> None:
        super().close()
        self._end_block()


def text_blocks(html: str) -> list[str]:
    """Every block of text a person reads (or hears) on the page, whitespace tidied."""
    parser = _Blocks()
    parser.feed(html)
    parser.close()
    return parser.blocks


@dataclass(frozen=True)
class NotWords:
    """What may stay the same in every language: names of services, the school's name, code
    words, what a person typed, numbers and any other text the page is known to carry as is."""

    texts: frozenset[str]
    words: frozenset[str] = frozenset()

    @classmethod
    def of(cls, *groups: Iterable[str], words: Iterable[str] = ()) -> NotWords:
        """From groups of names and texts, and single words that may be anywhere (such as
        Babel's month and day names in a date)."""
        return cls(frozenset(text.strip() for group in groups for text in group if text.strip()),
                   frozenset(word.lower() for word in words))

    def allows(self, piece: str) -> bool:
        """Whether this piece of a block may be left as it is."""
        bare = piece.strip(" .,:;!?()-\u2013\u2014")
        if NO_WORDS.match(bare) or any(bare in text for text in self.texts):
            return True
        # Several of them in one block ("Childline: 0800 1111, any time, day or night"):
        # what is left once each is taken out must be no words at all.
        for text in sorted(self.texts, key=len, reverse=True):
            piece = piece.replace(text, "\n")
        return all(word.lower() in self.words for word in WORD.findall(piece))


def untranslated(blocks: Iterable[str], english: Iterable[str], not_words: NotWords) -> list[str]:
    """The blocks a page in another language shares word for word with the same page in
    English, leaving out those that are names, numbers or typed words (`not_words`)."""
    same = set(english)
    return [block for block in blocks if block in same and not not_words.allows(block)]
