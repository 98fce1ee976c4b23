"""The one wikilink pattern: what it matches, its parts, and linear time."""

from __future__ import annotations

import pytest

from quiz.notes import links


def parts(text: str) -> list[tuple[bool, str, str, str | None, str]]:
    return [(w.embed, w.target, w.anchor, w.alias, w.written) for w, _, _ in links.find(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # What the answer view linked: target, heading, alias.
        ("[[노트]]", [(False, "노트", "", None, "[[노트]]")]),
        ("see [[a#b|c]].", [(False, "a", "#b", "c", "[[a#b|c]]")]),
        ("[[a#^block]]", [(False, "a", "#^block", None, "[[a#^block]]")]),
        # What the answer search also read: an empty target or alias.
        ("[[#heading]]", [(False, "", "#heading", None, "[[#heading]]")]),
        ("[[a|]]", [(False, "a", "", "", "[[a|]]")]),
        # Embeds, with a size; the alias keeps a later "|" and "#".
        ("![[img.png|100x80]]", [(True, "img.png", "", "100x80", "![[img.png|100x80]]")]),
        ("![[x|a|b#c]]", [(True, "x", "", "a|b#c", "![[x|a|b#c]]")]),
        ("![[file^b]]", [(True, "file^b", "", None, "![[file^b]]")]),
        # No brackets or line breaks inside.
        ("[[a[[b]]", [(False, "b", "", None, "[[b]]")]),
        ("[[a\nb]]", []),
        ("[[]]", [(False, "", "", None, "[[]]")]),
    ],
)
def test_a_link_in_its_parts(text: str, expected: list[object]) -> None:
    assert parts(text) == expected


def test_positions_and_inner() -> None:
    ((link, start, end),) = list(links.find("xx ![[a.png|5]] yy"))
    assert (start, end, link.inner) == (3, 15, "a.png|5")
    assert links.match_at("xx [[b]]", 3) is not None
    assert links.match_at("xx [[b]]", 2) is None
    assert links.match_at("[[b]]", 0, 4) is None


def test_replace_keeps_the_rest() -> None:
    got = links.replace("a [[b|c]] ![[d]] e", lambda w: "E" if w.embed else w.alias or "")
    assert got == "a c E e"


@pytest.mark.parametrize("opener", ["[[", "![[", "[[a|", "[[a#", "[[a#b|c"])
def test_long_runs_of_unclosed_links_are_read_in_one_pass(opener: str) -> None:
    # A class that allowed "[" ran to the end of the line from every opener:
    # quadratic, minutes for 20,000 of them. Each attempt now stops at the next "[".
    text = opener * 20_000 + " [[끝]]"
    assert parts(text) == [(False, "끝", "", None, "[[끝]]")]
