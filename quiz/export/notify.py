"""``quiz notify``: today's due list as a push message through ntfy.

ntfy (https://ntfy.sh, or a self-hosted server) publishes a message when the
message body is POSTed to the topic URL; ``Title``, ``Tags`` and
``Priority`` headers shape the notification on the phone.

Header values are bytes on the wire and Python's ``http.client`` sends them
as Latin-1, so a Korean or emoji title cannot go as is. Two ways exist: the
JSON form (POST ``{"topic": …, "title": …}`` to the server root) or RFC 2047
encoded words in the headers (``=?utf-8?b?…?=``), which ntfy decodes for
every header since v2.4. We use the headers: the request stays the plain
"POST to the topic URL" that the learner tests with curl, works with any
topic URL without working out the server root from it, and ASCII titles go
out unchanged.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import os
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from urllib.parse import urlsplit, urlunsplit

from quiz.export import ExportError
from quiz.store.queries import DueNote
from quiz.text import one_line, safe_text
from quiz.wording import overdue, plural, stage_korean

DEFAULT_TIMEOUT = 10.0
DEFAULT_LIMIT = 5
PRIORITIES = ("min", "low", "default", "high", "max")
#: ntfy shows a tag that is an emoji short code as that emoji: 📚.
TAGS = ("books",)
TOKEN_ENV = "NTFY_TOKEN"


class NotifyError(ExportError):
    """The push could not be delivered; the message says why."""


def encode_header(value: str) -> str:
    """``value`` as is when ASCII, else one RFC 2047 encoded word (UTF-8, base64)."""
    try:
        value.encode("ascii")
    except UnicodeEncodeError:
        return "=?utf-8?b?" + base64.b64encode(value.encode("utf-8")).decode("ascii") + "?="
    return value


def decode_header_value(value: str) -> str:
    """The text of a header value, RFC 2047 encoded words decoded."""
    return str(make_header(decode_header(value)))


def redact(url: str) -> str:
    """``url`` without a password, for messages and ``--dry-run``."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    host = parts.hostname or ""
    netloc = f"{parts.username}:***@{host}" + (f":{parts.port}" if parts.port else "")
    return urlunsplit(parts._replace(netloc=netloc))


def check_url(url: str) -> str:
    """An ``http(s)`` URL with a topic path, else ``ValueError``."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{url}: not an http:// or https:// URL")
    if parts.path.strip("/") == "":
        raise ValueError(f"{url}: no topic (expected e.g. https://ntfy.sh/my-topic)")
    return url


@dataclass(frozen=True)
class Push:
    """A message ready to send."""

    url: str
    title: str
    body: str
    tags: tuple[str, ...] = TAGS
    priority: str = "default"
    auth: str | None = field(default=None, repr=False)

    def headers(self) -> dict[str, str]:
        """The HTTP headers as sent (non-ASCII values RFC 2047-encoded)."""
        headers = {
            "Title": encode_header(self.title),
            "Tags": encode_header(",".join(self.tags)),
            "Priority": self.priority,
            "Content-Type": "text/plain; charset=utf-8",
        }
        if self.auth:
            headers["Authorization"] = self.auth
        return headers

    def describe(self) -> str:
        """What ``--dry-run`` prints: request line, headers (decoded), body."""
        lines = [f"POST {redact(self.url)}"]
        for name, value in self.headers().items():
            if name == "Authorization":
                value = value.split(" ", 1)[0] + " ***"
            lines.append(f"{name}: {decode_header_value(value)}")
        return "\n".join([*lines, "", self.body])


def message(rows: Sequence[DueNote], today: dt.date, limit: int = DEFAULT_LIMIT) -> tuple[str, str]:
    """Title and body for the due list: count per subject, first notes.

    ``rows`` come most overdue first (``due_notes``), so the notes listed
    are the ones most worth doing first.
    """
    if not rows:
        return f"Nothing to review · {today.isoformat()}", "Nothing is due today."
    cards = sum(r.note.cards for r in rows)
    title = f"{plural(len(rows), 'note')} to review · {today.isoformat()}"
    subjects = Counter(r.note.shelf[0] for r in rows)
    lines = [
        f"{plural(len(rows), 'note')}, {plural(cards, 'card')} due",
        " · ".join(
            f"{one_line(name)} {n}"
            for name, n in sorted(subjects.items(), key=lambda kv: (-kv[1], kv[0]))
        ),
        "",
    ]
    for r in rows[:limit]:
        late = f" ({overdue(r.overdue)})" if r.overdue else ""
        lines.append(f"{stage_korean(r.stage)} · {one_line(r.note.title)}{late}")
    if len(rows) > limit:
        lines.append(f"… and {len(rows) - limit} more")
    # Notes are untrusted: no control characters on the phone either.
    return one_line(title), safe_text("\n".join(lines))


def credentials(url: str) -> tuple[str, str | None]:
    """The URL to post to and an ``Authorization`` value, if any.

    A token in ``$NTFY_TOKEN`` (kept out of crontabs and ``ps``) wins over
    ``user:password@`` in the URL; ``urllib`` would not use the latter itself.
    """
    parts = urlsplit(url)
    bare = url
    auth = None
    if parts.username is not None:
        host = parts.hostname or ""
        bare = urlunsplit(parts._replace(netloc=host + (f":{parts.port}" if parts.port else "")))
        pair = f"{parts.username}:{parts.password or ''}".encode()
        auth = "Basic " + base64.b64encode(pair).decode("ascii")
    token = os.environ.get(TOKEN_ENV, "").strip()
    if token:
        auth = f"Bearer {token}"
    return bare, auth


def build_push(
    rows: Sequence[DueNote],
    today: dt.date,
    url: str,
    *,
    limit: int = DEFAULT_LIMIT,
    priority: str = "default",
) -> Push:
    """The push for ``rows`` to the topic at ``url``."""
    title, body = message(rows, today, limit)
    bare, auth = credentials(url)
    return Push(bare, title, body, priority=priority, auth=auth)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # urllib would follow a redirect of a POST as a GET without the body;
    # ntfy answers a GET on a topic with 200, so the message would be lost
    # while everything looked fine. A redirect is reported instead.
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def send(push: Push, timeout: float = DEFAULT_TIMEOUT) -> int:
    """POST the push; return the HTTP status.

    Raises:
        NotifyError: no connection, a timeout, or an answer other than 2xx.
    """
    where = redact(push.url)
    request = urllib.request.Request(
        push.url, data=push.body.encode("utf-8"), headers=push.headers(), method="POST"
    )
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status)
    except urllib.error.HTTPError as exc:
        detail = ""
        with contextlib.suppress(OSError):
            detail = " ".join(safe_text(exc.read(300).decode("utf-8", "replace")).split())
        if 300 <= exc.code < 400:
            detail = f"redirected to {exc.headers.get('Location', '?')}; use that URL"
        answer = f"{exc.code} {exc.reason}" + (f": {detail}" if detail else "")
        raise NotifyError(f"ntfy at {where} answered {answer}") from None
    except urllib.error.URLError as exc:
        reason = exc.reason
        if isinstance(reason, TimeoutError):
            raise NotifyError(f"ntfy at {where}: no answer within {timeout:g} s") from None
        text = str(getattr(reason, "strerror", None) or reason)
        raise NotifyError(f"cannot reach ntfy at {where}: {text}") from None
    except TimeoutError:
        raise NotifyError(f"ntfy at {where}: no answer within {timeout:g} s") from None
    except OSError as exc:
        raise NotifyError(f"cannot reach ntfy at {where}: {exc.strerror or exc}") from None
