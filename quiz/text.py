"""Make untrusted note text safe to reach a terminal."""

from __future__ import annotations

import json
import re
from typing import Any

# C0 controls but tab and newline, DEL, and C1 controls (ESC starts CSI/OSC
# sequences; C1 CSI 0x9B and OSC 0x9D do the same on some terminals).
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe_text(text: str) -> str:
    """Remove control characters (Unicode Cc and C1) except newline and tab."""
    return _CONTROLS.sub("", text)


def safe_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON with Korean kept readable and no raw C1 bytes (which JSON allows)."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return re.sub(r"[\x7f-\x9f]", lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Untrusted text as one line: controls removed, runs of blanks and line
    breaks folded into single spaces (for titles and headers)."""
    return " ".join(safe_text(text).split())


def plural(n: int, word: str) -> str:
    """``1 card``, ``2 cards``."""
    return f"{n} {word}" + ("" if n == 1 else "s")
