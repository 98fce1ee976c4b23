"""Typed answers against the answer's key part, word by word, Hangul by jamo."""

from __future__ import annotations

import pytest

from quiz.grading import (
    MAX_KEY_WORDS,
    MAX_TYPED_WORDS,
    Match,
    compare,
    diff_text,
    key_part,
    similarity,
)

DENY = (
    "**명시적 Deny가 항상 이긴다.**\n\n"
    "평가 순서: 아무 정책도 없으면 암묵적 거부 → Allow가 있으면 허용 → "
    "어느 정책에든 명시적 Deny가 있으면 거부."
)

# -- the key part ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answer", "key", "source"),
    [
        (DENY, "명시적 Deny가 항상 이긴다.", "bold"),
        # Bold next to Korean particles and brackets counts (Obsidian's rule).
        ("**용어(영어)**는 이렇게 쓴다.\n둘째 줄", "용어(영어)", "bold"),
        ("**99.999999999%(11 9's)**로 설계", "99.999999999%(11 9's)", "bold"),
        # Several bold spans: all of them, in order.
        (
            "User는 **장기 자격 증명**을, Role은 **임시 자격 증명**을 쓴다.",
            "장기 자격 증명 … 임시 자격 증명",
            "bold",
        ),
        # No bold: the first line, without its markup.
        ("명시적 Deny가 이긴다.\n평가 순서는 이렇다.", "명시적 Deny가 이긴다.", "first line"),
        ("`Version`과 `Statement`가 최상위\n\n더.", "Version과 Statement가 최상위", "first line"),
        ("[[SQS와 SNS|SQS 큐]]에 넣는다\n설명", "SQS 큐에 넣는다", "first line"),
        # One line, or an answer that starts with a list or a code block: all of it.
        ("프로세스와 스레드", "프로세스와 스레드", "answer"),
        ("- 고객 관리형 정책\n- Access Analyzer", "고객 관리형 정책 Access Analyzer", "answer"),
        ("```\nls -l\n```\n설명", "ls -l 설명", "answer"),
    ],
)
def test_key_part(answer: str, key: str, source: str) -> None:
    assert key_part(answer) == (key, source)


# -- the comparison ------------------------------------------------------------------


def test_the_issues_case_scores_high_against_the_first_line() -> None:
    # The answer says exactly what was typed, plus a sentence more: the
    # whole-answer comparison gave 55%.
    answer = "명시적 Deny가 이긴다.\n평가 순서: 정책이 없으면 암묵적 거부, Allow가 있으면 허용."
    found = compare("명시적 Deny가 이긴다", answer)
    assert found is not None
    assert found.similarity == 1.0
    assert [w.match for w in found.words] == [Match.SAME] * 3


def test_a_word_left_out_is_missing_and_costs_its_share() -> None:
    found = compare("명시적 Deny가 이긴다", DENY)
    assert found is not None
    assert diff_text(found) == "명시적 Deny가 [-항상-] 이긴다"
    # 항상 is 6 jamo of 27 (명시적 8, Deny가 6, 항상 6, 이긴다 7).
    assert found.similarity == pytest.approx(21 / 27, abs=0.001)


def test_one_vowel_off_in_hangul_is_a_near_miss() -> None:
    found = compare("명시적 deny가 항상 이겼다", DENY)
    assert found is not None
    last = found.words[-1]
    assert (last.match, last.typed, last.key) == (Match.NEAR, "이겼다", "이긴다")
    # 긴 -> 겼: two jamo of the word's seven differ.
    assert last.score == pytest.approx(5 / 7, abs=0.001)
    assert found.words[1].match is Match.SAME  # case does not matter
    assert diff_text(found) == "명시적 Deny가 항상 [~이겼다→이긴다~]"
    assert 0.9 < found.similarity < 1.0


def test_extra_typed_words_show_but_cost_nothing() -> None:
    found = compare("음 명시적 Deny가 항상 이긴다 왜냐하면", DENY)
    assert found is not None
    assert diff_text(found) == "{+음+} 명시적 Deny가 항상 이긴다 {+왜냐하면+}"
    assert found.similarity == 1.0


def test_a_wrong_word_is_missing_plus_extra_not_a_match() -> None:
    found = compare("Allow가 항상 이긴다", DENY)
    assert found is not None
    kinds = [(w.match, w.key or w.typed) for w in found.words]
    assert (Match.MISSING, "명시적") in kinds and (Match.EXTRA, "Allow가") in kinds
    assert found.similarity < 0.6


def test_unrelated_and_empty_answers() -> None:
    assert similarity("banana bread recipe", DENY) == 0.0
    assert compare("  ", DENY) is None and similarity("", DENY) == 0.0
    found = compare("뭔가", "**  **")  # nothing to compare with
    assert found is not None and found.similarity == 0.0


def test_long_text_is_compared_within_bounds() -> None:
    answer = " ".join(f"단어{n}" for n in range(5000))
    typed = " ".join(f"단어{n}" for n in range(1000))
    found = compare(typed, answer)
    assert found is not None
    assert sum(w.match is not Match.EXTRA for w in found.words) == MAX_KEY_WORDS
    assert sum(w.match is not Match.MISSING for w in found.words) == MAX_TYPED_WORDS
    # The first 60 of 120 words, shorter ones (단어0 ... 단어59 of 단어0 ... 단어119).
    assert 0.4 < found.similarity < MAX_TYPED_WORDS / MAX_KEY_WORDS
