"""``quiz export anki``: the cards as an Anki package (``.apkg``, via genanki).

One deck per subject, one Anki note per card. What makes re-importing the
package *update* the learner's Anki collection rather than duplicate it:

- the note type has a fixed id (``MODEL_ID``);
- a deck's id is a hash of the subject's name;
- a note's GUID is ``genanki.guid_for(card id)``, and card ids survive
  answer edits, reordering and moving the note (``quiz.notes.cards``).

Answers are Markdown, rendered to HTML with raw HTML in the note escaped (a
note is untrusted, and Anki shows fields in a web view). Obsidian image
embeds (``![[image.png]]``) and local Markdown images are looked up in the
vault and shipped as package media.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import sqlite3
import tempfile
import time
import unicodedata
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from itertools import count
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote

from quiz.export import ExportCard, atomic_target
from quiz.fs import walk_files
from quiz.notes import links
from quiz.notes.ids import note_key
from quiz.store.queries import NO_SUBJECT
from quiz.text import safe_text

if TYPE_CHECKING:
    import genanki
    from markdown_it import MarkdownIt
    from markdown_it.rules_core import StateCore

#: The note type's id. Fixed forever: Anki matches note types by id, and a
#: new id would make every re-import a new, duplicate note type.
MODEL_ID = 1_719_402_733
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp", ".avif"})

_SIZE = re.compile(r"(\d+)(?:x(\d+))?")

CSS = """\
.card { font-family: system-ui, sans-serif; font-size: 20px; text-align: left;
        color: black; background-color: white; }
.source { font-size: 13px; color: #888; margin-top: 1.5em; }
img { max-width: 100%; height: auto; }
pre { background: #f4f4f4; padding: .5em; overflow-x: auto; font-size: 15px; }
blockquote { border-left: 3px solid #ccc; margin-left: 0; padding-left: .8em; color: #444; }
"""


def vault_files(root: Path) -> Iterator[Path]:
    """Every regular file of the vault, dot-folders and symlinks skipped.

    As in ``quiz.vault.walk``: ``.obsidian``/``.trash`` are not the vault,
    and a symlink could point anywhere on the disk.
    """
    for _rel, entry in walk_files(root):
        try:
            regular = entry.is_file(follow_symlinks=False)
        except OSError:
            continue
        if regular:
            yield Path(entry.path)


class Media:
    """The vault's image files by name, and the ones the deck uses.

    Obsidian resolves ``![[name.png]]`` by file name anywhere in the vault;
    the vault is searched once, on the first embed. Anki's media folder is
    flat, so two different files with one name get distinct names.
    """

    def __init__(self, vault: Path) -> None:
        self.vault = vault
        self._root = vault.resolve()
        self._by_name: dict[str, Path] | None = None
        self.used: dict[str, Path] = {}  # media name in the package -> file
        self._name_of: dict[Path, str] = {}
        self.missing: list[str] = []

    def _index(self) -> dict[str, Path]:
        if self._by_name is None:
            found: dict[str, Path] = {}
            # Shallowest path first, then by name: a stable choice among
            # same-named files (Obsidian would ask the learner to rename).
            files = sorted(vault_files(self.vault), key=lambda p: (len(p.parts), str(p)))
            for path in files:
                if path.suffix.casefold() in IMAGE_SUFFIXES:
                    found.setdefault(note_key(path.name), path)
            self._by_name = found
        return self._by_name

    def resolve(self, target: str, note_path: str) -> Path | None:
        """The file an embed or image link means, if it is in the vault."""
        target = unquote(target.split("#", 1)[0]).strip()
        if not target:
            return None
        for base in (self.vault / note_path).parent, self.vault:
            candidate = (base / target).resolve()
            # A link may not reach outside the vault (``../../secret.png``).
            if candidate.is_relative_to(self._root) and candidate.is_file():
                return candidate
        # macOS stores Korean file names decomposed (NFD) while notes hold
        # them composed (NFC); Obsidian also ignores case when resolving links.
        return self._index().get(note_key(Path(target).name))

    def add(self, target: str, note_path: str) -> str | None:
        """Include the file ``target`` names; return its name in the package."""
        path = self.resolve(target, note_path)
        if path is None:
            self.missing.append(f"{note_path}: image not found in the vault: {target}")
            return None
        if path in self._name_of:
            return self._name_of[path]
        name = unicodedata.normalize("NFC", path.name)
        if name in self.used:
            digest = hashlib.blake2b(str(path).encode(), digest_size=4).hexdigest()
            name = f"{path.stem}-{digest}{path.suffix}"
        self.used[name] = path
        self._name_of[path] = name
        return name


def _img(name: str, size: str) -> str:
    attrs = f'src="{html.escape(name)}"'
    match = _SIZE.fullmatch(size.strip())
    if match:  # Obsidian's ``![[a.png|300]]`` and ``|300x200``
        attrs += f' width="{match.group(1)}"'
        if match.group(2):
            attrs += f' height="{match.group(2)}"'
    return f"<img {attrs}>"


def _wikilinks(state: StateCore) -> None:
    """Core rule: Obsidian ``![[embeds]]`` and ``[[links]]`` in text.

    Runs on text tokens only, so ``[[ -f x ]]`` in code stays as written.
    Image embeds become ``<img>`` (media added via ``state.env``); links and
    other embeds become their display text.
    """
    from markdown_it.token import Token

    media: Media | None = state.env.get("media")
    note_path: str = state.env.get("note", "")
    for block in state.tokens:
        if block.type != "inline" or not block.children:
            continue
        children: list[Token] = []
        for tok in block.children:
            if tok.type == "image" and media is not None:
                src = str(tok.attrs.get("src", ""))
                if src and "://" not in src and not src.startswith("data:"):
                    name = media.add(src, note_path)
                    if name is not None:
                        tok.attrs["src"] = name
            if tok.type != "text" or "[[" not in tok.content:
                children.append(tok)
                continue
            pos = 0
            for link, start, end in links.find(tok.content):
                inner = link.inner
                if not inner:
                    continue
                target, _, alias = inner.partition("|")
                text = Token("text", "", 0)
                text.content = tok.content[pos:start]
                children.append(text)
                pos = end
                image = link.embed and Path(target).suffix.casefold() in IMAGE_SUFFIXES
                name = media.add(target, note_path) if image and media is not None else None
                if name is not None:
                    img = Token("html_inline", "", 0)
                    img.content = _img(name, alias)
                    children.append(img)
                else:
                    # An image's alias is its size, not text worth showing.
                    shown = Token("text", "", 0)
                    label = "" if image else alias.strip()
                    shown.content = label or target.split("#", 1)[0].strip() or inner
                    children.append(shown)
            rest = Token("text", "", 0)
            rest.content = tok.content[pos:]
            children.append(rest)
        block.children = [t for t in children if t.type != "text" or t.content]


@cache
def _markdown() -> MarkdownIt:
    from markdown_it import MarkdownIt

    # html=False: raw HTML in a note is shown as text, never run in Anki.
    md = MarkdownIt("commonmark", {"html": False})
    md.core.ruler.push("wikilinks", _wikilinks)
    return md


def to_html(markdown: str, media: Media | None, note_path: str, *, inline: bool = False) -> str:
    """Render note Markdown to HTML for an Anki field."""
    env: dict[str, Any] = {"media": media, "note": note_path}
    text = safe_text(markdown)
    if inline:
        return str(_markdown().renderInline(text, env)).strip()
    return str(_markdown().render(text, env)).strip()


def stable_id(text: str) -> int:
    """An id in Anki's customary range [2^30, 2^31) from a name."""
    digest = hashlib.blake2b(text.encode("utf-8"), digest_size=8).digest()
    return (1 << 30) + int.from_bytes(digest, "big") % (1 << 30)


def tag(prefix: str, value: str) -> str:
    """An Anki tag: no spaces allowed, so whitespace becomes ``_``."""
    return f"{prefix}::" + "_".join(safe_text(value).split())


@cache
def model() -> genanki.Model:
    """The note type: Question, Answer, Subject, Note, CardId."""
    import genanki

    source = '<div class="source">{{Subject}} · {{Note}}</div>'
    return genanki.Model(
        MODEL_ID,
        "quiz Cornell card",
        fields=[{"name": n} for n in ("Question", "Answer", "Subject", "Note", "CardId")],
        templates=[
            {
                "name": "Cue question",
                "qfmt": "{{Question}}",
                "afmt": '{{FrontSide}}<hr id="answer">{{Answer}}' + source,
            }
        ],
        css=CSS,
    )


def build_decks(cards: Iterable[ExportCard], media: Media) -> list[genanki.Deck]:
    """One deck per subject, sorted by name, each with its cards as notes."""
    import genanki

    decks: dict[str, genanki.Deck] = {}
    for card in cards:
        subject = safe_text(card.note.subject).strip() or NO_SUBJECT
        deck = decks.get(subject)
        if deck is None:
            deck = decks[subject] = genanki.Deck(stable_id(f"quiz deck\x1f{subject}"), subject)
        tags = [tag("note", card.note.title)]
        if card.note.textbook:
            tags.insert(0, tag("textbook", card.note.textbook))
        fields = [
            to_html(card.question, media, card.note.path, inline=True),
            to_html(card.answer, media, card.note.path),
            html.escape(subject),
            html.escape(safe_text(card.note.title)),
            card.id,
        ]
        deck.add_note(
            genanki.Note(model=model(), fields=fields, tags=tags, guid=genanki.guid_for(card.id))
        )
    return [decks[name] for name in sorted(decks)]


def write_package(
    path: Path, decks: Sequence[genanki.Deck], media: dict[str, Path], now: float | None = None
) -> None:
    """Write the ``.apkg`` atomically.

    This is what ``genanki.Package.write_to_file`` does, but the collection
    is built in a temporary folder that is removed afterwards (genanki
    leaves its temporary database behind) and media keep the names chosen
    by ``Media`` (genanki would use each file's base name).
    """
    import genanki

    timestamp = time.time() if now is None else now
    with tempfile.TemporaryDirectory(prefix="quiz-anki-") as tmp:
        collection = Path(tmp) / "collection.anki2"
        conn = sqlite3.connect(collection)
        try:
            # A scratch database that is zipped and thrown away: durability
            # comes from the atomic write of the package, not from here.
            conn.execute("PRAGMA synchronous = OFF")
            conn.execute("PRAGMA journal_mode = MEMORY")
            genanki.Package(list(decks)).write_to_db(
                conn.cursor(), timestamp, count(int(timestamp * 1000))
            )
            conn.commit()
        finally:
            conn.close()
        with atomic_target(path) as temp, zipfile.ZipFile(temp, "w", zipfile.ZIP_DEFLATED) as z:
            z.write(collection, "collection.anki2")
            names = list(media)
            z.writestr("media", json.dumps({str(i): n for i, n in enumerate(names)}))
            for i, name in enumerate(names):
                z.write(media[name], str(i))


def export_anki(
    cards: Iterable[ExportCard],
    vault: Path,
    path: Path,
    warn: Callable[[str], None] | None = None,
) -> tuple[int, int, int]:
    """Build and write the package; return (decks, notes, media files)."""
    media = Media(vault)
    decks = build_decks(cards, media)
    if warn is not None:
        for line in media.missing:
            warn(line)
    write_package(path, decks, media.used)
    return len(decks), sum(len(d.notes) for d in decks), len(media.used)
