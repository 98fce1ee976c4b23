"""What the app remembers between runs (the theme), in the user's config folder.

A small JSON object in ``platformdirs.user_config_dir("quiz")/app.json``. A
missing or damaged file is no preference; a file that cannot be written loses
the preference, never the session.
"""

from __future__ import annotations

import json
from pathlib import Path

from quiz.fs import atomic_write


def prefs_path() -> Path:
    """Where the app's remembered choices live."""
    import platformdirs

    return Path(platformdirs.user_config_dir("quiz")) / "app.json"


def load_prefs() -> dict[str, object]:
    """The remembered choices, or ``{}``."""
    try:
        data = json.loads(prefs_path().read_bytes()[:65536])
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_pref(key: str, value: object) -> str | None:
    """Remember one choice; the problem, when it could not be saved."""
    path = prefs_path()
    prefs = {**load_prefs(), key: value}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        text = json.dumps(prefs, ensure_ascii=False, indent=2)
        atomic_write(path, text.encode("utf-8"), mode=0o600)
    except OSError as exc:
        return f"{path}: {exc.strerror or exc}"
    return None
