"""Settings: section names, stage offsets, pass ratio, default vault.

Read from ``quiz.toml`` at the vault root, else from ``quiz.toml`` in the
user's config directory (platformdirs), else the defaults of SPEC. Every key
is optional; a key with the wrong type is an error that names the key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path
from typing import Any

SETTINGS_FILE = "quiz.toml"
#: The latest a stage may be due after the first study day: ten years.
MAX_OFFSET = 3650

DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "cues": (
        "단서 질문",
        "Cue Questions",
        "Cues",
        "Questions",
        "Cues / Questions",
        "Questions / Cues",
        "Questions & Cues",
        "Cues & Questions",
        "Cue",
        "Cue Column",
        "단서",
        "질문",
        "단서 / 질문",
        "Fragen",
    ),
    "notes": ("핵심 필기", "Notes", "Note Column", "필기", "Notizen"),
    "summary": ("핵심 요약", "Summary", "요약", "Zusammenfassung"),
    "reminders": ("복습알림", "Reminders"),
}

#: Values of ``[stages] rate``.
RATE_RULES = ("note", "all")
#: Grades ``[session] relearn`` may name: a card given one of them comes back
#: later in the same session (Good and Easy never do).
RELEARN_GRADES = ("again", "hard")


class SettingsError(ValueError):
    """A settings file that cannot be used; the message names file and key."""


@dataclass(frozen=True)
class Settings:
    """Everything a learner may configure.

    Attributes:
        sections: section role -> heading names that mark it (matched after
            trimming, case-insensitively).
        offsets: days after the first study day on which each stage is due:
            day 1, day 4, day 7, day 14, long-term.
        pass_ratio: share of cards graded Hard or better for a session to pass.
        rate: how the learning rate is counted: ``"note"`` (the note's own
            formula, its numeric mirror fields / 5) or ``"all"`` (all five
            stages / 5, so a finished note reads 1.0).
        relearn: the grades (``"again"``, ``"hard"``) whose cards come back
            later in the same session until graded otherwise; empty: none do.
        default_vault: the vault ``quiz study`` opens when none is given.
        log_folder: the review log's folder, relative to the vault (``/``
            separated, inside it); see SPEC "Review history".
        screenshots: the folder the app saves screenshots to (default: the
            current folder).
        source: the file the settings came from, or ``None`` for defaults.
    """

    sections: Mapping[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_SECTIONS))
    offsets: tuple[int, ...] = (1, 4, 7, 14, 30)
    pass_ratio: float = 0.8
    rate: str = "note"
    relearn: tuple[str, ...] = ("again",)
    default_vault: Path | None = None
    log_folder: str = ".quiz/log"
    screenshots: Path | None = None
    source: Path | None = None


def user_settings_path() -> Path:
    """Where the per-user settings file lives."""
    import platformdirs

    return Path(platformdirs.user_config_dir("quiz")) / SETTINGS_FILE


def load_settings(vault: Path | None = None) -> Settings:
    """Settings for ``vault``: its own ``quiz.toml`` first, then the user's."""
    candidates = []
    if vault is not None:
        candidates.append(vault / SETTINGS_FILE)
    candidates.append(user_settings_path())
    for path in candidates:
        if path.is_file():
            return parse_settings_file(path)
    return Settings()


def parse_settings_file(path: Path) -> Settings:
    """Read and check one settings file."""
    import tomllib  # here: most runs have no settings file to parse

    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except UnicodeDecodeError as exc:
        # TOML is UTF-8; a UTF-16 file (Windows Notepad) or a binary one lands here.
        raise SettingsError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 TOML"
        ) from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"{path}: not valid TOML: {' '.join(str(exc).split())}") from None
    except OSError as exc:
        raise SettingsError(f"{path}: cannot read: {exc.strerror}") from None
    return settings_from_dict(data, path)


def settings_from_dict(data: Mapping[str, Any], source: Path | None = None) -> Settings:
    """Build settings from parsed TOML, checking every key it knows."""
    where = str(source) if source else "settings"

    def fail(key: str, problem: str) -> SettingsError:
        return SettingsError(f"{where}: {key}: {problem}")

    known_tables = {"app", "sections", "stages", "vault", "log", "session"}
    for key in data:
        if key not in known_tables:
            raise fail(key, f"unknown key (expected one of {', '.join(sorted(known_tables))})")

    sections = dict(DEFAULT_SECTIONS)
    raw_sections = _table(data, "sections", fail)
    for role, names in raw_sections.items():
        key = f"sections.{role}"
        if role not in DEFAULT_SECTIONS:
            raise fail(key, f"unknown section (expected one of {', '.join(DEFAULT_SECTIONS)})")
        if isinstance(names, str):
            names = [names]
        if (
            not isinstance(names, list)
            or not names
            or not all(isinstance(n, str) and n.strip() for n in names)
        ):
            # A blank name would match every empty heading (or none): refused.
            raise fail(key, "must be a heading name or a non-empty list of non-blank heading names")
        sections[role] = tuple(n.strip() for n in names)

    stages = _table(data, "stages", fail)
    offsets: tuple[int, ...] = Settings.offsets
    pass_ratio = Settings.pass_ratio
    rate = Settings.rate
    for key, value in stages.items():
        if key == "offsets":
            ok = (
                isinstance(value, list)
                and len(value) == 5
                and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
            )
            # Strictly increasing (two stages on one day cannot both be due), at
            # least a day after the first study, and bounded so that date
            # arithmetic never overflows.
            if (
                not ok
                or value[0] < 1
                or value[-1] > MAX_OFFSET
                or any(a >= b for a, b in pairwise(value))
            ):
                raise fail(
                    "stages.offsets",
                    "must be five strictly increasing whole numbers of days from 1 to "
                    f"{MAX_OFFSET}, e.g. [1, 4, 7, 14, 30]",
                )
            offsets = tuple(value)
        elif key == "pass_ratio":
            if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value <= 1:
                raise fail("stages.pass_ratio", "must be a number greater than 0 and at most 1")
            pass_ratio = float(value)
        elif key == "rate":
            if value not in RATE_RULES:
                raise fail("stages.rate", 'must be "note" (the note\'s formula) or "all"')
            rate = value
        else:
            raise fail(f"stages.{key}", "unknown key (expected offsets, pass_ratio or rate)")

    vault_table = _table(data, "vault", fail)
    default_vault: Path | None = None
    for key, value in vault_table.items():
        if key != "default":
            raise fail(f"vault.{key}", "unknown key (expected default)")
        if not isinstance(value, str) or not value:
            raise fail("vault.default", "must be a path")
        default_vault = Path(value).expanduser()

    screenshots: Path | None = None
    for key, value in _table(data, "app", fail).items():
        if key != "screenshots":
            raise fail(f"app.{key}", "unknown key (expected screenshots)")
        if not isinstance(value, str) or not value.strip():
            raise fail("app.screenshots", "must be the path of a folder")
        screenshots = Path(value).expanduser()

    log_folder = Settings.log_folder
    for key, value in _table(data, "log", fail).items():
        if key != "folder":
            raise fail(f"log.{key}", "unknown key (expected folder)")
        log_folder = _log_folder(value, lambda problem: fail("log.folder", problem))

    relearn = Settings.relearn
    for key, value in _table(data, "session", fail).items():
        if key != "relearn":
            raise fail(f"session.{key}", "unknown key (expected relearn)")
        relearn = _relearn(value, lambda problem: fail("session.relearn", problem))

    return Settings(
        sections=sections,
        offsets=offsets,
        pass_ratio=pass_ratio,
        rate=rate,
        relearn=relearn,
        default_vault=default_vault,
        log_folder=log_folder,
        screenshots=screenshots,
        source=source,
    )


def _relearn(value: object, fail: Any) -> tuple[str, ...]:
    """The grades whose cards come back in the session, in grade order."""
    usage = 'must be a list of "again" and "hard", e.g. ["again"] or ["again", "hard"]'
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise fail(usage)
    words = {v.strip().casefold() for v in value}
    unknown = sorted(words - set(RELEARN_GRADES))
    if unknown:
        # Good and Easy are passes a learner meant: bringing them back would
        # never end the session's relearning.
        raise fail(f"{', '.join(repr(w) for w in unknown)} cannot come back; {usage} or []")
    return tuple(g for g in RELEARN_GRADES if g in words)


def _log_folder(value: object, fail: Any) -> str:
    """A log folder as a relative ``/`` path that stays inside the vault."""
    from pathlib import PurePosixPath, PureWindowsPath

    if not isinstance(value, str) or not value.strip():
        raise fail('must be a folder inside the vault, e.g. "_quiz/log"')
    # Judged by both path flavours, so a vault synced between Windows and
    # Unix reads the same setting the same way on each.
    if PurePosixPath(value).is_absolute() or PureWindowsPath(value).anchor:
        raise fail(f'{value!r} is absolute; give a folder inside the vault, e.g. "_quiz/log"')
    parts = [p for p in PureWindowsPath(value).parts if p not in ("", ".")]
    if ".." in parts:
        raise fail(f"{value!r} leads out of the vault ('..'); give a folder inside it")
    if not parts:
        raise fail(f'{value!r} is the vault itself; give a folder inside it, e.g. "_quiz/log"')
    return "/".join(parts)


def _table(data: Mapping[str, Any], name: str, fail: Any) -> Mapping[str, Any]:
    value = data.get(name, {})
    if not isinstance(value, dict):
        raise fail(name, "must be a table")
    return value
