"""A bare cue is answered from the note's notes or summary (SPEC shape 2)."""

from __future__ import annotations

from quiz.notes.answering import (
    MAX_PASSAGES,
    MAX_WHOLE_CHARS,
    Passage,
    answer_from_note,
    features,
    plain_text,
)

NOTES_KO = (
    "핵심 필기",
    "## 개요\n"
    "Ansible은 에이전트 없이 SSH로 관리 대상에 접속한다.\n"
    "\n"
    "## Check Mode\n"
    "`--check`를 주면 아무것도 바꾸지 않고 바뀔 내용만 보여 준다.\n"
    "\n"
    "### 함께 쓰는 옵션\n"
    "- `--diff`는 파일이 어떻게 바뀌는지 줄 단위로 보여 준다.\n"
    "\n"
    "## 인벤토리\n"
    "관리할 호스트 목록을 그룹으로 묶어 적는다.\n",
)

SUMMARY_KO = (
    "**핵심 요약**",
    "- **Check Mode** (`--check`)는 변경 없이 결과를 미리 본다.\n"
    "- **Pull 방식**은 노드가 저장소에서 직접 가져와 실행한다.\n",
)


def test_subsection_by_heading_korean() -> None:
    [answer] = answer_from_note(["**Check Mode를 쓰는 이유는?**"], NOTES_KO, None)
    assert answer == Passage(
        "`--check`를 주면 아무것도 바꾸지 않고 바뀔 내용만 보여 준다.\n"
        "\n"
        "### 함께 쓰는 옵션\n"
        "- `--diff`는 파일이 어떻게 바뀌는지 줄 단위로 보여 준다.",
        "notes",
        "핵심 필기 › Check Mode",
    )


def test_subsection_by_heading_english() -> None:
    notes = (
        "Notes",
        "### Photosynthesis\nPlants turn light, water and CO2 into sugar.\n\n"
        "### Cellular respiration\nCells burn sugar with oxygen to make ATP.\n",
    )
    got = answer_from_note(
        ["What happens in cellular respiration?", "Where does photosynthesis happen?"],
        notes,
        None,
    )
    assert [(p.where, p.text) for p in got if p] == [
        ("Notes › Cellular respiration", "Cells burn sugar with oxygen to make ATP."),
        ("Notes › Photosynthesis", "Plants turn light, water and CO2 into sugar."),
    ]


def test_paragraph_by_content_when_no_heading_matches() -> None:
    notes = (
        "Notes",
        "A stack is last in, first out: push adds on top, pop takes the top.\n\n"
        "A queue is first in, first out: enqueue at the back, dequeue at the front.\n\n"
        "- A deque allows both ends.\n",
    )
    [queue, deque] = answer_from_note(
        ["Which end does dequeue take from in a queue?", "What does a deque allow?"],
        notes,
        None,
    )
    assert queue == Passage(
        "A queue is first in, first out: enqueue at the back, dequeue at the front.",
        "notes",
        "Notes",
    )
    assert deque == Passage("- A deque allows both ends.", "notes", "Notes")


def test_paragraph_by_content_korean_particles_do_not_hide_the_words() -> None:
    notes = (
        "핵심 필기",
        "리스트는 값을 바꿀 수 있다.\n\n"
        "튜플은 한 번 만들면 값을 바꿀 수 없는 리스트이다.\n\n"
        "딕셔너리는 키로 값을 찾는다.\n",
    )
    [answer] = answer_from_note(["튜플과 리스트의 차이는?"], notes, None)
    assert answer == Passage(
        "튜플은 한 번 만들면 값을 바꿀 수 없는 리스트이다.", "notes", "핵심 필기"
    )


def test_paragraph_inside_a_subsection_names_the_subsection() -> None:
    notes = (
        "Notes",
        "## Sorting\n"
        "Quicksort picks a pivot and partitions around it.\n\n"
        "Mergesort splits the list in halves and merges sorted halves.\n",
    )
    [answer] = answer_from_note(["How does mergesort merge halves?"], notes, None)
    assert answer == Passage(
        "Mergesort splits the list in halves and merges sorted halves.", "notes", "Notes › Sorting"
    )


def test_summary_bullet_when_notes_do_not_answer() -> None:
    notes = ("핵심 필기", "오늘은 실습 환경을 준비했다.\n")
    got = answer_from_note(
        ["Check Mode를 쓰는 이유는?", "Pull 방식은 Push와 어떻게 다른가?"], notes, SUMMARY_KO
    )
    assert got == [
        Passage(
            "- **Check Mode** (`--check`)는 변경 없이 결과를 미리 본다.", "summary", "핵심 요약"
        ),
        Passage(
            "- **Pull 방식**은 노드가 저장소에서 직접 가져와 실행한다.", "summary", "핵심 요약"
        ),
    ]


def test_summary_order_breaks_a_tie() -> None:
    # Both bullets name both terms equally; each cue takes the bullet in its place.
    summary = (
        "Summary",
        "- TCP vs UDP: TCP retransmits lost segments.\n"
        "- TCP vs UDP: UDP sends datagrams and forgets them.\n",
    )
    got = answer_from_note(["TCP vs UDP (1)?", "TCP vs UDP (2)?"], None, summary)
    assert [p.text if p else None for p in got] == [
        "- TCP vs UDP: TCP retransmits lost segments.",
        "- TCP vs UDP: UDP sends datagrams and forgets them.",
    ]
    reverse = answer_from_note(["TCP vs UDP (2)?", "TCP vs UDP (1)?"], None, summary)
    assert [p.text if p else None for p in reverse] == [
        "- TCP vs UDP: TCP retransmits lost segments.",
        "- TCP vs UDP: UDP sends datagrams and forgets them.",
    ]


def test_a_clearly_better_bullet_wins_over_order() -> None:
    summary = (
        "Summary",
        "- Mitochondria make ATP.\n- Ribosomes build proteins.\n",
    )
    got = answer_from_note(["What builds proteins in the cell?"], None, summary)
    assert got == [Passage("- Ribosomes build proteins.", "summary", "Summary")]


def test_whole_notes_section_when_nothing_matches() -> None:
    got = answer_from_note(["고양이는 왜 상자를 좋아하나?"], NOTES_KO, SUMMARY_KO)
    assert got == [Passage(NOTES_KO[1].strip("\n"), "notes", "핵심 필기")]


def test_whole_summary_when_there_is_no_notes_section() -> None:
    got = answer_from_note(["Wer schrieb den Faust?"], None, SUMMARY_KO)
    assert got == [Passage(SUMMARY_KO[1].strip("\n"), "summary", "핵심 요약")]


def test_none_without_notes_or_summary() -> None:
    assert answer_from_note(["a?", "b?"], None, None) == [None, None]
    assert answer_from_note(["a?"], ("Notes", "  \n"), ("Summary", "")) == [None]
    assert answer_from_note([], NOTES_KO, None) == []


def test_german_cue_answered_by_its_paragraph() -> None:
    notes = (
        "Notizen",
        "Eine Tautologie ist eine Aussage, die immer wahr ist.\n\n"
        "Eine Kontradiktion ist eine Aussage, die immer falsch ist.\n",
    )
    [answer] = answer_from_note(["**Was ist eine Kontradiktion?**"], notes, None)
    assert answer == Passage(
        "Eine Kontradiktion ist eine Aussage, die immer falsch ist.", "notes", "Notizen"
    )


def test_an_unrelated_subsection_is_not_chosen_for_a_shared_stop_word() -> None:
    notes = ("Notes", "## What is it\nA note about gardening.\n")
    got = answer_from_note(["What is a monad?"], notes, None)
    assert got == [Passage("## What is it\nA note about gardening.", "notes", "Notes")]


def test_markdown_decoration_is_stripped_before_matching() -> None:
    assert plain_text("**굵게** `code` [[Page|별칭]] [[Other]] [link](http://x) ![[img.png]]") == (
        "굵게 code 별칭 Other link"
    )
    assert features("방식은 저장소에서") == features("방식 저장소")


def test_same_input_same_answers() -> None:
    questions = ["Check Mode를 쓰는 이유는?", "인벤토리에 무엇을 적나?", "무관한 질문"]
    first = answer_from_note(questions, NOTES_KO, SUMMARY_KO)
    assert first == answer_from_note(list(questions), NOTES_KO, SUMMARY_KO)
    assert first[1] == Passage(
        "관리할 호스트 목록을 그룹으로 묶어 적는다.", "notes", "핵심 필기 › 인벤토리"
    )


def test_headings_inside_code_fences_are_not_subsections() -> None:
    notes = ("Notes", "## Shell\n```bash\n# Loops\nfor f in *; do echo $f; done\n```\n")
    [answer] = answer_from_note(["How do shell loops work?"], notes, None)
    assert answer is not None
    assert answer.where == "Notes › Shell"


def test_a_huge_notes_section_is_capped_but_still_the_fallback() -> None:
    body = "".join(f"## Topic {n}\nFact number {n} about item{n}.\n\n" for n in range(5000))
    questions = [f"What is fact {n} about item{n}?" for n in range(200)]
    got = answer_from_note(questions, ("Notes", body), None)
    assert len(got) == 200
    assert got[3] is not None and got[3].where == "Notes › Topic 3"
    # Past the cap of candidates, a cue falls back to the whole section, cut
    # at a paragraph once it is longer than an answer can sensibly be.
    [late] = answer_from_note(["What is fact 4999 about item4999?"], ("Notes", body), None)
    assert late is not None and late.where == "Notes"
    assert late.text.startswith("## Topic 0\nFact number 0 about item0.\n\n## Topic 1\n")
    assert late.text.endswith(".\n\n…") and len(late.text) <= MAX_WHOLE_CHARS + 3
    assert MAX_PASSAGES < 5000 and len(body) > MAX_WHOLE_CHARS


def test_numbered_and_emoji_headings_match_and_show_as_written() -> None:
    notes = (
        "**핵심 필기**",
        "## 1. 📌 **멱등성**\n두 번 실행해도 결과가 같다.\n\n"
        "## 2. 핸들러\n알림을 받은 핸들러는 플레이 끝에 한 번 실행된다.\n",
    )
    got = answer_from_note(["핸들러는 언제 실행되나?", "멱등성이란?"], notes, None)
    assert got == [
        Passage(
            "알림을 받은 핸들러는 플레이 끝에 한 번 실행된다.", "notes", "핵심 필기 › 2. 핸들러"
        ),
        Passage("두 번 실행해도 결과가 같다.", "notes", "핵심 필기 › 1. 📌 멱등성"),
    ]
