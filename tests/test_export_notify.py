"""``quiz notify``: a real HTTP endpoint on 127.0.0.1 receives the push."""

from __future__ import annotations

import datetime as dt
import socket
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.export.notify import NotifyError, Push, encode_header, message, send
from quiz.schedule.stages import Stage, StageState
from quiz.store.queries import DueNote, NoteStatus

from .conftest import SAMPLE_NOTES


@dataclass
class Received:
    """What the fake ntfy server saw, and what it answers."""

    status: int = 200
    answer: bytes = b'{"id":"x","event":"message"}'
    location: str | None = None
    requests: list[tuple[str, str, dict[str, str], bytes]] = field(default_factory=list)


@pytest.fixture
def ntfy() -> Iterator[tuple[str, Received]]:
    """An HTTP server on 127.0.0.1 (free port) standing in for ntfy."""
    seen = Received()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            length = int(self.headers.get("Content-Length", "0"))
            body = self.rfile.read(length)
            seen.requests.append(("POST", self.path, dict(self.headers.items()), body))
            self.send_response(seen.status)
            self.send_header("Content-Type", "application/json")
            if seen.location:
                self.send_header("Location", seen.location)
            self.send_header("Content-Length", str(len(seen.answer)))
            self.end_headers()
            self.wfile.write(seen.answer)

        def log_message(self, *args: object) -> None:  # keep test output clean
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/quiz-topic", seen
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One index of the sample vault for the module: later scans are no-ops."""
    return tmp_path_factory.mktemp("notify") / "index.db"


def notify(
    capsys: pytest.CaptureFixture[str], db: Path, url: str, *extra: str
) -> tuple[int, str, str]:
    args = ["notify", str(SAMPLE_NOTES), "--ntfy", url, "--db", str(db), *extra]
    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


def test_push_body_and_headers(
    capsys: pytest.CaptureFixture[str], sample_db: Path, ntfy: tuple[str, Received]
) -> None:
    url, seen = ntfy
    code, out, err = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 0, err
    assert "Sent 6 due notes" in out
    ((method, path, headers, body),) = seen.requests
    assert method == "POST" and path == "/quiz-topic"
    # The title is not ASCII ("·"): it travels as an RFC 2047 encoded word.
    assert headers["Title"].startswith("=?utf-8?b?")
    assert decoded(headers["Title"]) == "6 notes to review · 2026-11-25"
    assert headers["Tags"] == "books"
    assert headers["Priority"] == "default"
    assert headers["Content-Type"] == "text/plain; charset=utf-8"
    text = body.decode("utf-8")
    assert text.startswith("6 notes, 36 cards due\n운영체제 3 · AWS 2 · English 1\n")
    # Most overdue first; five by name, then the rest counted.
    assert "🧡 4일 복습 · 교착상태 (7 days overdue)" in text.splitlines()[3]
    assert "💛 7일 복습 · IAM 정책" in text
    assert text.endswith("… and 1 more")


def test_dry_run_prints_and_sends_nothing(
    capsys: pytest.CaptureFixture[str], sample_db: Path, ntfy: tuple[str, Received]
) -> None:
    url, seen = ntfy
    code, out, _ = notify(capsys, sample_db, url, "--today", "2026-11-25", "--dry-run")
    assert code == 0 and seen.requests == []
    assert out.startswith(f"POST {url}\n")
    assert "Title: 6 notes to review · 2026-11-25" in out
    assert "Priority: default" in out and "교착상태" in out


def test_empty_day_sends_nothing_unless_always(
    capsys: pytest.CaptureFixture[str], sample_db: Path, ntfy: tuple[str, Received]
) -> None:
    url, seen = ntfy
    code, out, _ = notify(capsys, sample_db, url, "--today", "2026-01-01")
    assert code == 0 and seen.requests == [] and "nothing sent" in out
    code, _, _ = notify(capsys, sample_db, url, "--today", "2026-01-01", "--always")
    assert code == 0
    ((_, _, headers, body),) = seen.requests
    assert body.decode() == "Nothing is due today."
    assert decoded(headers["Title"]) == "Nothing to review · 2026-01-01"


def test_server_error_is_reported_with_exit_1(
    capsys: pytest.CaptureFixture[str], sample_db: Path, ntfy: tuple[str, Received]
) -> None:
    url, seen = ntfy
    seen.status, seen.answer = 500, b'{"code":50001,"error":"internal error"}'
    code, out, err = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 1 and out == ""
    assert f"ntfy at {url} answered 500" in err and "internal error" in err
    seen.status, seen.answer = 403, b'{"code":40301,"error":"forbidden"}'
    code, _, err = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 1 and "answered 403" in err and "forbidden" in err


def test_a_redirect_is_an_error_not_a_silent_get(
    capsys: pytest.CaptureFixture[str], sample_db: Path, ntfy: tuple[str, Received]
) -> None:
    # urllib would follow it as a GET without the body, and ntfy answers a
    # GET on a topic with 200: the message would be lost without a word.
    url, seen = ntfy
    seen.status, seen.location = 301, url.replace("http://", "https://")
    code, _, err = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 1 and len(seen.requests) == 1
    assert "answered 301" in err and "use that URL" in err


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens here any more


def test_server_down_is_reported_with_exit_1(
    capsys: pytest.CaptureFixture[str], sample_db: Path
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/quiz-topic"
    code, _, err = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 1
    assert f"cannot reach ntfy at {url}" in err
    assert "Traceback" not in err


def test_no_answer_times_out() -> None:
    # A socket that listens but never answers: the connection is accepted
    # by the kernel and the reply never comes.
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen(1)
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/t"
        with pytest.raises(NotifyError, match=r"no answer within 0.2 s"):
            send(Push(url, "t", "b"), timeout=0.2)


def test_token_and_password_are_sent_but_never_shown(
    capsys: pytest.CaptureFixture[str],
    sample_db: Path,
    ntfy: tuple[str, Received],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url, seen = ntfy
    with_password = url.replace("http://", "http://me:s3cret@")
    code, out, _ = notify(capsys, sample_db, with_password, "--today", "2026-11-25", "--dry-run")
    assert code == 0 and "s3cret" not in out and "Authorization: Basic ***" in out
    monkeypatch.setenv("NTFY_TOKEN", "tk_secret")
    code, out, _ = notify(capsys, sample_db, url, "--today", "2026-11-25")
    assert code == 0 and "tk_secret" not in out
    assert seen.requests[0][2]["Authorization"] == "Bearer tk_secret"


def test_bad_url_is_a_usage_error(capsys: pytest.CaptureFixture[str], sample_db: Path) -> None:
    for url in ("ftp://ntfy.sh/topic", "https://ntfy.sh/", "ntfy.sh/topic"):
        with pytest.raises(SystemExit) as exit_:
            notify(capsys, sample_db, url)
        assert exit_.value.code == 2


def test_headers_encoding() -> None:
    assert encode_header("books") == "books"
    word = encode_header("복습 💛")
    assert word.startswith("=?utf-8?b?") and word.isascii()
    assert decoded(word) == "복습 💛"


def test_message_strips_control_characters_from_note_text() -> None:
    note = NoteStatus("x.md", "evil\x1b]0;pwned\x07", "S\x9b", "", 2, StageState(None))
    row = DueNote(note, Stage.DAY_1, dt.date(2026, 1, 1), 0)
    title, body = message([row], dt.date(2026, 1, 1))
    assert title == "1 note to review · 2026-01-01"
    assert "\x1b" not in body and "\x07" not in body and "\x9b" not in body
    assert "❤ 1일 복습 · evil]0;pwned" in body
