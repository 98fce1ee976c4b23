"""Generate a synthetic vault of Cornell-style notes shaped like the learner's real ones.

Usage::

    python benchmarks/make_vault.py OUT_DIR --notes 10000 [--seed 0] [--force]

Every note follows the template of ``tests/fixtures/seed/aws-lambda.md``: the full
frontmatter (emoji keys, the ``🛑`` formula snapshots, the ``"1,0"`` mirrors,
``학습률`` and ``진행바`` consistent with the stage flags), a wikilink line, a
``### 단서 질문`` section of 6-12 cards (answers indented by four spaces, with
indented blank lines), a ``### 핵심 필기`` section of 8-12 KB of nested bullets,
image embeds and callouts, then ``### 핵심 요약`` and ``### 복습알림``.

Except for layouts: about 30 % of the notes (none with ``--layouts seed``) write
their cues in one of the other Cornell layouts instead: bare questions, questions
as headings, cue callouts, ``<aside>`` margin cues, or a ``| 단서 | 필기 |`` table.

Notes are spread over ``subject/chapter/`` folders; the vault also gets an
``.obsidian/`` folder and a ``.trash/`` folder holding one deleted note, which a
scanner must skip. Dates are relative to the fixed day 2026-11-25, and note
``i`` depends only on ``(seed, i)``, so the output is byte-for-byte reproducible
and the first 1,000 notes of a 10,000-note vault are those of a 1,000-note one.
All text comes from the word lists below; nothing is downloaded.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import shutil
import sys
import time
from collections.abc import Sequence
from pathlib import Path

#: The day the vault is generated "on": dates and stage flags are relative to it.
TODAY = dt.date(2026, 11, 25)
#: How far back first-study days go.
HISTORY_DAYS = 120
#: Share of notes that were never studied (empty first-study day).
NEW_SHARE = 0.08
#: Stage offsets in days: day 1, 4, 7, 14, long-term.
OFFSETS = (1, 4, 7, 14, 30)
#: Written at the vault root so callers can tell a finished vault from a partial one.
MARKER = ".make_vault.json"
#: Bump when the output changes, so cached vaults are regenerated.
GENERATOR_VERSION = 2

# Subject -> (textbooks, chapter folder style).
SUBJECTS: dict[str, tuple[tuple[str, ...], str]] = {
    "AWS": (
        (
            "Ultimate AWS Certified SysOps Administrator Associate 2024",
            "AWS Certified Solutions Architect Study Guide",
        ),
        "Section {:02d}",
    ),
    "운영체제": (("Operating System Concepts 10판", "쉽게 배우는 운영체제"), "{:02d}장"),
    "네트워크": (("컴퓨터 네트워킹 하향식 접근 8판", "TCP/IP 완벽 가이드"), "{:02d}장"),
    "데이터베이스": (
        ("데이터베이스 시스템 7판", "Designing Data-Intensive Applications"),
        "Chapter {:02d}",
    ),
    "자료구조": (("Introduction to Algorithms 4th Edition", "열혈 자료구조"), "{:02d}장"),
    "생명과학": (("Campbell Biology 12판", "생명과학 I 개념 완성"), "{:02d}단원"),
    "English": (("Word Power Made Easy", "해커스 토익 보카"), "Day {:02d}"),
    "경제학": (("맨큐의 경제학 9판", "Principles of Economics"), "{:02d}장"),
    "통계학": (("Think Stats 2nd Edition", "통계학 입문"), "Chapter {:02d}"),
    "한국사": (("한국사능력검정시험 심화 개념서", "한국사 연표 노트"), "{:02d}강"),
    "Kubernetes": (("Kubernetes in Action 2nd Edition", "쿠버네티스 완벽 가이드"), "Part {:02d}"),
    "Python": (("Fluent Python 2nd Edition", "파이썬 코딩의 기술"), "Chapter {:02d}"),
}
CHAPTERS_PER_SUBJECT = 8


def _words(text: str) -> list[str]:
    """The whitespace-separated words of ``text``."""
    return text.split()


KO_NOUNS = _words(
    """
개념 구조 원리 방법 과정 단계 특징 장점 단점 차이 관계 역할 기능 목적 원인 결과 영향 조건
규칙 정책 설정 구성 요소 자원 요청 응답 처리 실행 저장 전송 연결 분리 통합 확장 축소 관리
감시 보안 인증 권한 암호화 백업 복구 장애 성능 지연 처리량 용량 비용 요금 가격 시장 수요 공급
균형 효율 세포 유전자 단백질 효소 호르몬 신경 근육 혈액 면역 항체 광합성 호흡 에너지 물질
대사 분열 복제 전사 번역 진화 생태계 개체 집단 군집 환경 기후 온도 압력 농도 속도 방향 거리
시간 공간 주소 메모리 프로세스 스레드 커널 파일 디렉터리 경로 네트워크 패킷 프로토콜 계층
라우터 스위치 서버 클라이언트 브라우저 데이터 테이블 인덱스 쿼리 트랜잭션 잠금 로그 이벤트
메시지 스택 트리 그래프 정렬 탐색 알고리즘 복잡도 재귀 반복 변수 함수 객체 클래스 상속
다형성 캡슐화 인터페이스 모듈 패키지 라이브러리 컨테이너 이미지 배포 버전 문서 예제 연습
문제 정답 해설 요약 정리 복습 시험 점수 기준 평가 비교 분석 해석 추정 가설 검정 표본 분산
평균 확률 분포 회귀 상관 변동 물가 금리 환율 소득 소비 투자 세금 정부 기업 가계 무역 생산
노동 자본 토지 왕조 제도 개혁 전쟁 조약 문화 사회 경제 정치 사상 종교 유물 유적 기록 사료
시대 문장 단어 표현 문법 발음 어휘 동사 명사 형용사 부사 시제 의미 맥락 대화 질문 대답 선택
순서 우선순위 상태 전이 신호 주기 비율 단위 범위 경계 영역 지역 리전 가용영역 노드 클러스터
서비스 볼륨 레이블 스케줄러 캐시 버퍼 디스크 입출력 인터럽트 교착상태 동기화 세마포어 뮤텍스
페이지 세그먼트 가상화 하이퍼바이저 인스턴스 오토스케일링 로드밸런서 대기열 토픽 구독 알림
지표 경보 대시보드 추적 감사 규정 비밀번호 키 인증서 도메인 라우팅 서브넷 게이트웨이 방화벽
정규화 조인 뷰 트리거 제약조건 기본키 외래키 해시 힙 배열 연결리스트 포인터 참조 반환값 예외
테스트 디버깅 리팩터링 성능저하 병목 최적화 측정 실험 관찰 결론 근거 반론 사례 정의 분류
"""
)

EN_TERMS = _words(
    """
Lambda EC2 S3 VPC IAM CloudWatch EventBridge DynamoDB SQS SNS Kinesis Route53 CloudFront
ECS Fargate EKS RDS Aurora ElastiCache X-Ray KMS STS Organizations Terraform Docker kernel
thread mutex semaphore scheduler deadlock paging TLB cache heap stack queue pointer socket
TCP UDP HTTP TLS DNS DHCP ARP NAT BGP OSPF subnet gateway firewall latency throughput
bandwidth index query transaction commit rollback isolation replication sharding partition
B-tree hash join snapshot WAL checkpoint vacuum cursor schema migration pod deployment
service ingress namespace ConfigMap Secret kubelet etcd controller operator Helm generator
decorator coroutine iterator closure dataclass protocol metaclass asyncio GIL bytecode
mitochondria ribosome enzyme ATP DNA RNA photosynthesis osmosis homeostasis mitosis meiosis
allele genotype phenotype ecosystem inflation GDP elasticity equilibrium tariff monopoly
variance regression p-value hypothesis sampling median outlier histogram Bayes likelihood
ubiquitous ephemeral meticulous candid pragmatic reticent gregarious benevolent ambiguous
resilient diligent frugal tenacious verbose lucid arbitrary plausible concise redundant
Cold-Start WarmStart Throttle Concurrency Provisioned Reserved On-Demand Spot Savings
"""
)

EN_NOUNS = _words(
    """
system process request response server client function handler event message queue record
table index cache buffer policy role permission region zone cluster node container image
volume network packet route address memory thread lock signal timer counter metric alarm
log trace error retry timeout limit quota budget cost price market demand supply cell gene
protein enzyme organism species population word sentence meaning context example rule
exception version release pipeline build test benchmark result value key field column row
"""
)

EN_VERBS = _words(
    """
manages stores reduces increases controls limits triggers invokes replicates encrypts
caches schedules retries measures records compresses validates routes balances isolates
monitors exposes updates replaces protects delays splits merges sorts indexes tracks
"""
)

EN_TAILS = (
    "at runtime",
    "by default",
    "in each region",
    "under heavy load",
    "for every request",
    "without downtime",
    "when the limit is reached",
    "in the background",
    "across availability zones",
    "before the next step",
    "after a failure",
    "on the first call",
)

KO_ADVERBS = _words(
    """
자동으로 수동으로 항상 가끔 먼저 나중에 동시에 각각 빠르게 느리게 반드시 주로 보통 특히
대체로 점점 다시 미리 직접 간접적으로 한꺼번에 순서대로 안전하게 효율적으로
"""
)

KO_TRANSITIVE = (
    "관리한다.",
    "사용한다.",
    "저장합니다.",
    "처리한다.",
    "전송합니다.",
    "확인해야 한다.",
    "설정할 수 있다.",
    "줄여 준다.",
    "늘린다.",
    "비교한다.",
    "분석합니다.",
    "제공한다.",
    "호출한다.",
    "생성합니다.",
    "삭제한다.",
    "결정한다.",
    "보장합니다.",
    "기록한다.",
)
KO_INTRANSITIVE = (
    "증가한다.",
    "감소합니다.",
    "발생할 수 있다.",
    "유지된다.",
    "달라진다.",
    "결정됩니다.",
    "실행된다.",
    "멈춘다.",
    "빨라진다.",
    "느려질 수 있다.",
    "바뀐다.",
    "반복됩니다.",
)
KO_ADJECTIVE = (
    "중요하다.",
    "필요합니다.",
    "높다.",
    "낮다.",
    "다르다.",
    "같다.",
    "크다.",
    "작다.",
    "일정하다.",
    "유리하다.",
    "제한된다.",
    "핵심이다.",
)
LEVELS = ("🤔중", "😎상", "😵하")


def _has_final_consonant(word: str) -> bool:
    """Whether a particle after ``word`` takes its consonant form (``은``, ``을``, ``이``)."""
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return last.lower() in "bcdgklmnpt"


def _with(word: str, after_consonant: str, after_vowel: str) -> str:
    return word + (after_consonant if _has_final_consonant(word) else after_vowel)


_ALL_NOUNS = KO_NOUNS * 2 + EN_TERMS  # about two Korean nouns for each English term
_TOPIC = [_with(w, "은", "는") for w in _ALL_NOUNS]
_SUBJ = [_with(w, "이", "가") for w in _ALL_NOUNS]
_OBJ = [_with(w, "을", "를") for w in _ALL_NOUNS]
_GEN = [w + "의" for w in _ALL_NOUNS]
_LOC = [w + "에서" for w in _ALL_NOUNS]
_AND = [_with(w, "과", "와") for w in _ALL_NOUNS]


class Writer:
    """Random text in the learner's mix of Korean and English, from one seeded RNG."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self._random = rng.random

    def term(self) -> str:
        """A one- to three-word term such as ``Lambda 실행 환경``."""
        rng = self.rng
        words = rng.choices(_ALL_NOUNS, k=rng.choice((1, 1, 2, 2, 3)))
        return " ".join(words)

    def pick(self, seq: Sequence[str]) -> str:
        """``rng.choice`` without its overhead: sentences are drawn millions of times."""
        return seq[int(self._random() * len(seq))]

    def ko_sentence(self) -> str:
        """One Korean sentence, sometimes with an English aside."""
        pick = self.pick
        shape = int(self._random() * 5)
        if shape == 0:
            text = f"{pick(_TOPIC)} {pick(_OBJ)} {pick(KO_TRANSITIVE)}"
        elif shape == 1:
            text = f"{pick(_SUBJ)} {pick(KO_ADVERBS)} {pick(KO_INTRANSITIVE)}"
        elif shape == 2:
            text = f"{pick(_GEN)} {pick(_SUBJ)} {pick(KO_ADJECTIVE)}"
        elif shape == 3:
            text = (
                f"{pick(_LOC)} {pick(_GEN)} {pick(_OBJ)} {pick(KO_ADVERBS)} {pick(KO_TRANSITIVE)}"
            )
        else:
            text = f"{pick(_AND)} {pick(_SUBJ)} {pick(KO_ADVERBS)} {pick(KO_INTRANSITIVE)}"
        if self._random() < 0.2:
            text = f"{text[:-1]} ({pick(EN_TERMS)} {pick(EN_NOUNS)})."
        return text

    def en_sentence(self) -> str:
        """One English sentence."""
        pick = self.pick
        return (
            f"The {pick(EN_TERMS)} {pick(EN_NOUNS)} {pick(EN_VERBS)} "
            f"the {pick(EN_NOUNS)} {pick(EN_TAILS)}."
        )

    def sentence(self) -> str:
        """A sentence, Korean about three times as often as English."""
        return self.en_sentence() if self._random() < 0.25 else self.ko_sentence()

    def bolded(self, text: str) -> str:
        """``text`` with one word made **bold**, as learners mark key terms."""
        words = text.split(" ")
        plain = [i for i, word in enumerate(words) if word.isalnum() and len(word.encode()) > 3]
        if not plain:
            return text
        i = plain[int(self._random() * len(plain))]
        words[i] = f"**{words[i]}**"
        return " ".join(words)

    def paragraph(self) -> str:
        """One to three sentences."""
        text = " ".join(self.sentence() for _ in range(self.rng.randint(1, 3)))
        return self.bolded(text) if self.rng.random() < 0.4 else text

    def question(self) -> str:
        """A cue question of about 20-60 characters."""
        rng = self.rng
        for _ in range(20):
            a, b = self.term(), self.term()
            shape = rng.randrange(8)
            if shape == 0:
                text = f"{a}란?"
            elif shape == 1:
                text = f"{_with(a, '과', '와')} {b}의 차이는?"
            elif shape == 2:
                text = f"{_with(a, '을', '를')} 사용하는 이유는?"
            elif shape == 3:
                text = f"{a}에서 {_with(b, '이', '가')} 중요한 이유는?"
            elif shape == 4:
                text = f"{a} vs {b}"
            elif shape == 5:
                text = f"What is {a} in {b}?"
            elif shape == 6:
                text = f"How does {a} affect {b}?"
            else:
                text = f"{_with(a, '을', '를')} {rng.choice(KO_ADVERBS)} 설정하는 방법은?"
            if 20 <= len(text) <= 60:
                return text
        return f"{self.term()} {self.term()}의 핵심 개념은?"[:60]


def _slash(day: dt.date) -> str:
    return day.strftime("%Y/%m/%d")


def _at(day: dt.date) -> str:
    return f"@{day.year}년 {day.month}월 {day.day}일"


def _clock(rng: random.Random) -> str:
    return f"{rng.choice(('오전', '오후'))} {rng.randint(1, 12)}:{rng.randint(0, 59):02d}"


def stage_state(
    rng: random.Random,
) -> tuple[dt.date | None, tuple[bool, ...], str, dt.date]:
    """Random first-study day, stage flags consistent with it, review status, last visit."""
    if rng.random() < NEW_SHARE:
        return None, (False,) * 5, "", TODAY - dt.timedelta(days=rng.randint(0, 30))
    first = TODAY - dt.timedelta(days=rng.randint(0, HISTORY_DAYS))
    elapsed = (TODAY - first).days
    due = sum(1 for offset in OFFSETS if offset <= elapsed)
    passed = due if rng.random() < 0.55 else rng.randint(0, due)
    flags = tuple(i < passed for i in range(5))
    status = "추가 복습" if passed < due and rng.random() < 0.35 else ""
    visit = first + dt.timedelta(days=OFFSETS[passed - 1] if passed else 0)
    return first, flags, status, min(visit, TODAY)


def frontmatter(
    rng: random.Random,
    subject: str,
    textbook: str,
    first: dt.date | None,
    flags: Sequence[bool],
    status: str,
    visit: dt.date,
) -> str:
    """The learner's frontmatter template, every key in the seed's order."""
    passed = sum(flags)
    rate = passed / 5
    green = round(rate * 10)
    bools = ["true" if flag else "false" for flag in flags]
    lines = [
        "---",
        f"❕첫 학습날: {first.isoformat()}" if first else "❕첫 학습날:",
        f"❕과목: {subject}",
        f"❕교재: {textbook}",
        f"❕학습정도: {rng.choice(LEVELS)}",
        f"❤1일복습여부: {bools[0]}",
        f"🧡4일복습여부: {bools[1]}",
        f"💛7일복습여부: {bools[2]}",
        f"💚14일복습여부: {bools[3]}",
        f"🧠장기기억: {bools[4]}",
        f"복습: {status}" if status else "복습:",
    ]
    if first:
        since = (visit - first).days
        d4, d7, d14 = (first + dt.timedelta(days=k) for k in (4, 7, 14))
        lines += [
            f'🛑첫날: "✏첫날 : {_slash(first)}"',
            f'🛑오늘: "⏰오늘 : {_slash(visit)}"',
            f"🛑첫학습후 몇일째?: 첫 학습 후 ❤{since}일째❤",
            f'🛑4일후: "🥉4일뒤 : {_slash(d4)}"',
            f'🛑7일후: "🥈7일뒤 : {_slash(d7)}"',
            f'🛑14일후: "🥇14일뒤 : {_slash(d14)}"',
            f'4일후: "{_at(d4)}"',
            f"4일후(text): {_slash(d4)}",
            f'7일후: "{_at(d7)}"',
            f"7일후(text): {_slash(d7)}",
            f'14일후: "{_at(d14)}"',
            f"14일후(text): {_slash(d14)}",
            f'오늘1: "{_at(visit)} {_clock(rng)}"',
            f"오늘2: {_slash(visit)}",
            f"첫학습날text: {_slash(first)}",
            f'오늘과 첫학습날 사이: "{since}"',
            f'사이: "{since}"',
        ]
    else:
        lines += [
            '🛑첫날: "✏첫날 : "',
            f'🛑오늘: "⏰오늘 : {_slash(visit)}"',
            "🛑첫학습후 몇일째?: 첫 학습 후 ❤일째❤",
            '🛑4일후: "🥉4일뒤 : "',
            '🛑7일후: "🥈7일뒤 : "',
            '🛑14일후: "🥇14일뒤 : "',
            '4일후: ""',
            "4일후(text):",
            '7일후: ""',
            "7일후(text):",
            '14일후: ""',
            "14일후(text):",
            f'오늘1: "{_at(visit)} {_clock(rng)}"',
            f"오늘2: {_slash(visit)}",
            "첫학습날text:",
            '오늘과 첫학습날 사이: ""',
            '사이: ""',
        ]
    lines += [
        f'"1일차복습여부1,0": "{int(flags[0])}"',
        f'"4일차복습여부1,0": "{int(flags[1])}"',
        f'"7일차복습여부1,0": "{int(flags[2])}"',
        f'"장기기억저장여부1,0": "{int(flags[4])}"',
        f'학습률: "{rate:.1f}"',
        f"진행바: {'🟩' * green}{'⬜' * (10 - green)} {round(rate * 100)}%",
        "---",
    ]
    return "\n".join(lines) + "\n"


def cue_section(w: Writer) -> list[str]:
    """``### 단서 질문`` with 6-12 cards in the seed's layout."""
    rng = w.rng
    out = ["### 단서 질문", ""]
    for _ in range(rng.randint(6, 12)):
        out.append(f"- {w.question()}")
        if rng.random() < 0.3:
            for k in range(1, rng.randint(2, 5) + 1):
                out.append(f"    {k}. {w.bolded(w.sentence())}")
        else:
            out.append("    ")
            for _ in range(rng.randint(1, 3)):
                out += [f"    {w.paragraph()}", "    "]
    return [*out, ""]


#: The other Cornell layouts (SPEC "Cornell layouts in the wild"), and the share
#: of notes written in one of them; the rest follow the seed's layout.
LAYOUTS = ("bare", "headings", "callouts", "asides", "table")
LAYOUT_SHARE = 0.3


def bare_cue_section(w: Writer) -> list[str]:
    """``### 단서 질문`` with 6-12 bare questions (answered from the notes)."""
    out = ["### 단서 질문", ""]
    out += [f"- {w.question()}" for _ in range(w.rng.randint(6, 12))]
    return [*out, "", "---", ""]


def heading_cue_section(w: Writer) -> list[str]:
    """Questions as ``#### Q1: ...`` headings, ``---`` between them."""
    out = ["### 단서 질문", ""]
    for k in range(1, w.rng.randint(6, 12) + 1):
        out += [f"#### Q{k}: {w.question()}", w.paragraph(), "", "---", ""]
    return out


def callout_cues(w: Writer) -> list[str]:
    """Cue callouts, each followed by its answer, and one of definitions."""
    rng = w.rng
    out: list[str] = []
    for k in range(rng.randint(4, 8)):
        out += ["> [!question] Cues" if k == 0 else "> [!cue]", f"> {w.question()}", ""]
        out += [w.paragraph(), ""]
    out.append("> [!cue]")
    out += [f"> {w.term()}: {w.sentence()}" for _ in range(rng.randint(2, 4))]
    return [*out, ""]


def aside_cues(w: Writer) -> list[str]:
    """``<aside>`` margin cues, each followed by the notes it labels."""
    out: list[str] = []
    for _ in range(w.rng.randint(6, 12)):
        out += [f"<aside>{w.term()}</aside>", w.paragraph(), ""]
    return out


def table_cues(w: Writer) -> list[str]:
    """A ``| 단서 | 필기 |`` table, one card per row."""
    out = ["| 단서 | 필기 |", "| --- | --- |"]
    for _ in range(w.rng.randint(6, 12)):
        answer = "<br>".join(w.sentence() for _ in range(w.rng.randint(1, 3)))
        out.append(f"| {w.question()} | {answer} |")
    return [*out, ""]


def notes_section(w: Writer) -> list[str]:
    """``### 핵심 필기``: a fold of nested bullets, images and callouts of 8-12 KB."""
    rng = w.rng
    target = rng.randint(8_000, 12_000)
    out = ["### 핵심 필기", "", "- 전체 내용 접기"]
    size = 0
    image = 1
    pad = " " * 12
    while size < target:
        out.append(f"    - {w.term()}")
        for _ in range(rng.randint(1, 4)):
            start = len(out)
            out.append(f"        - {w.term()}")
            if rng.random() < 0.7:
                suffix = f" {rng.randint(1, 4)}" if rng.random() < 0.4 else ""
                out += [pad, f"{pad}![[image {image}{suffix}.png]]", pad]
                image += 1
            if rng.random() < 0.3:
                out += [f"{pad}**{w.term()}**", pad]
            for _ in range(rng.randint(2, 6)):
                out.append(f"{pad}- {w.sentence()}")
                for _ in range(rng.choice((0, 0, 1, 2))):
                    out.append(f"{pad}    - {w.sentence()}")
            if rng.random() < 0.2:
                out += [pad, f"{pad}> [!important]  ", f"{pad}> {w.paragraph()}  ", pad]
            size += sum(len(line.encode()) + 1 for line in out[start:])
            if size >= target:
                break
    return [*out, ""]


def tail_sections(w: Writer) -> list[str]:
    """``### 핵심 요약`` and ``### 복습알림`` as the seed writes them."""
    rng = w.rng
    out = ["### 핵심 요약", "", "- 핵심 요약 접기"]
    out += [f"    - {w.sentence()}" for _ in range(rng.randint(3, 6))]
    out += ["    ", "", "### 복습알림", "", "- ", f"- {w.sentence()}"]
    if rng.random() < 0.3:
        out += ["", "> [!important]  ", "> "]
    return out


def make_note(seed: int, index: int, *, layouts: bool = True) -> tuple[str, str]:
    """Relative path and text of note ``index``; depends only on ``(seed, index)``.

    With ``layouts`` about 30 % of the notes are written in one of the other
    Cornell layouts; without, every note has the seed's layout.
    """
    rng = random.Random(f"{seed}:{index}")
    w = Writer(rng)
    subject = rng.choice(list(SUBJECTS))
    textbooks, chapter_style = SUBJECTS[subject]
    textbook = rng.choice(textbooks)
    chapter = chapter_style.format(rng.randint(1, CHAPTERS_PER_SUBJECT))
    title = f"{w.term()} {index:05d}".replace("/", "-")
    first, flags, status, visit = stage_state(rng)
    # Its own generator, so seed-layout notes are the bytes generator 1 wrote.
    pick = random.Random(f"{seed}:{index}:layout")
    layout = pick.choice(LAYOUTS) if layouts and pick.random() < LAYOUT_SHARE else "seed"
    head = f"[[{subject}]] [[{textbook}]] [[{title}]]"
    if layout == "seed":
        lines = [head, "", *cue_section(w), *notes_section(w), *tail_sections(w)]
    elif layout in ("bare", "headings"):
        cues = bare_cue_section(w) if layout == "bare" else heading_cue_section(w)
        lines = [head, "", *cues, *notes_section(w), *tail_sections(w)]
    elif layout == "callouts":
        lines = [head, "", *callout_cues(w), *notes_section(w), *tail_sections(w)]
    else:
        cues = aside_cues(w) if layout == "asides" else table_cues(w)
        notes = notes_section(w)
        lines = [head, "", notes[0], "", *cues, *notes[1:], *tail_sections(w)]
    text = frontmatter(rng, subject, textbook, first, flags, status, visit)
    text += "\n".join(lines) + "\n"
    return f"{subject}/{chapter}/{title}.md", text


def _write_extras(out: Path, seed: int) -> None:
    """Dot-folders an Obsidian vault has, which are not part of the vault."""
    obsidian = out / ".obsidian"
    obsidian.mkdir(parents=True, exist_ok=True)
    (obsidian / "app.json").write_text('{\n  "alwaysUpdateLinks": true\n}\n', encoding="utf-8")
    (obsidian / "workspace.json").write_text('{"main": {}, "active": ""}\n', encoding="utf-8")
    trash = out / ".trash"
    trash.mkdir(exist_ok=True)
    _, text = make_note(seed, -1)
    (trash / "deleted note.md").write_bytes(text.encode("utf-8"))


def generate(out: Path, notes: int, seed: int = 0, *, layouts: bool = True) -> int:
    """Write ``notes`` notes under ``out``; return the number of bytes written."""
    out.mkdir(parents=True, exist_ok=True)
    made: set[Path] = set()
    total = 0
    for index in range(notes):
        rel, text = make_note(seed, index, layouts=layouts)
        path = out / rel
        if path.parent not in made:
            path.parent.mkdir(parents=True, exist_ok=True)
            made.add(path.parent)
        data = text.encode("utf-8")
        path.write_bytes(data)
        total += len(data)
    _write_extras(out, seed)
    marker = {
        "generator_version": GENERATOR_VERSION,
        "notes": notes,
        "seed": seed,
        "layouts": "mixed" if layouts else "seed",
    }
    (out / MARKER).write_text(json.dumps(marker) + "\n", encoding="utf-8")
    return total


def main(argv: Sequence[str] | None = None) -> int:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out_dir", type=Path, metavar="OUT_DIR")
    parser.add_argument("--notes", type=int, default=1000, help="number of notes (default 1000)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument(
        "--layouts",
        choices=("mixed", "seed"),
        default="mixed",
        help="mixed: about 30%% of notes in the other Cornell layouts (default); "
        "seed: every note in the seed's layout",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help=f"replace OUT_DIR if it is a vault made by this script (has {MARKER})",
    )
    args = parser.parse_args(argv)
    out: Path = args.out_dir
    if args.notes < 0:
        parser.error("--notes must be >= 0")
    if out.exists() and any(out.iterdir()):
        if not args.force:
            parser.error(f"{out} is not empty (use --force to replace a generated vault)")
        if not (out / MARKER).is_file():
            parser.error(f"{out} has no {MARKER}; not deleting a folder this script did not make")
        shutil.rmtree(out)
    start = time.perf_counter()
    size = generate(out, args.notes, args.seed, layouts=args.layouts == "mixed")
    elapsed = time.perf_counter() - start
    print(
        f"wrote {args.notes} notes ({size / 1e6:.1f} MB) to {out} in {elapsed:.1f} s",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
