"""Make untrusted note text safe to reach a terminal."""

from __future__ import annotations

import json
import re
from typing import Any

#: Bidirectional formatting characters: embeddings and overrides (U+202A-E),
#: isolates (U+2066-9) and the marks (LRM, RLM, ALM). U+202E in a file name
#: shows "cod.exe" as "exe.doc"; in a line of output they reorder what
#: follows, so a name or a note could make output lie about itself.
_BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
# C0 controls but tab and newline, DEL, and C1 controls (ESC starts CSI/OSC
# sequences; C1 CSI 0x9B and OSC 0x9D do the same on some terminals).
_CONTROLS = re.compile(f"[\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI}]")
_JSON_UNSAFE = re.compile(f"[\x7f-\x9f{_BIDI}]")


def safe_text(text: str) -> str:
    """Remove control characters (Unicode Cc and C1) except newline and tab,
    and bidirectional formatting characters."""
    return _CONTROLS.sub("", text)


def safe_json(data: Any, *, indent: int | None = 2) -> str:
    """JSON with Korean kept readable and no raw C1 or bidi characters (JSON
    allows both); they are escaped, so the data stays whole."""
    text = json.dumps(data, ensure_ascii=False, indent=indent)
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def one_line(text: str) -> str:
    """Untrusted text as one line: controls removed, runs of blanks and line
    breaks folded into single spaces (for titles, headers and file names in
    line output, where a newline would add a line of its own)."""
    return " ".join(safe_text(text).split())
