"""Build ``hangul_syllables.json.gz``, the syllable model of :mod:`quiz.notes.mojibake`.

Run once, by hand, from a checkout with quiz installed (``pip install -e .``
and ``kiwipiepy``), when the model should change (the result is committed)::

    python tools/build_syllable_model.py   # ~25 min on two idle cores
    # keep the sampled text to try other weights without sampling again:
    python tools/build_syllable_model.py --corpus-cache /tmp/sampled.txt

It lives outside the package so that it is not installed with quiz; it
writes the table where the package reads it, ``quiz/notes/data/``.

The repairer needs to know, without kiwipiepy at runtime, which Hangul
syllables are likely next to which. The table holds syllable unigram counts
and syllable bigram counts, where a bigram may also pair a syllable with a
*boundary class* (start/end of a word next to a space, a Latin letter, a digit
or a symbol), so that "a particle right after a Latin word" (``Lambda의``) is
something the model knows.

Sources, both from Kiwi (https://github.com/bab2min/Kiwi; kiwipiepy 0.24.1,
kiwipiepy_model 0.24.0). License: Kiwi was LGPL-licensed in the past, but the
versions used here declare Apache-2.0 (``License-Expression`` in their
dist-info metadata, with ``LICENSE.txt`` and a ``NOTICE``). The NOTICE says the
models were trained on the Sejong and NIKL (모두의 말뭉치) corpora and cannot
reconstruct their text; only aggregate syllable counts are stored here.
Re-check the license when upgrading Kiwi.

1. The word list of ``kiwipiepy_model/default.dict`` and ``multi.dict``
   (tab-separated: surface form, tag or analysis, score; ``#`` comments;
   entries ending in ``$`` are rewrite rules and skipped). These are ~365k
   proper nouns and titles from Wikipedia/Namuwiki: good for vocabulary and
   loanwords, but they hardly contain particles, endings or common nouns.
2. Running text sampled from Kiwi's own language model
   (``Kiwi.predict_next_morpheme``, then ``Kiwi.join``): this is what gives the
   model particles and endings (``을``, ``에서``, ``된``, ``됩니다``), which is
   where most dropped bytes fall. Sampling is seeded per chunk, so the output
   only depends on the seed and the Kiwi version.

Nothing here reads the learner's notes.
"""

from __future__ import annotations

import argparse
import collections
import gzip
import itertools
import json
import math
import random
import sys
from collections.abc import Iterable, Iterator
from multiprocessing import Pool
from pathlib import Path

#: Where the package reads the table (``quiz.notes.mojibake.models``).
OUT = Path(__file__).resolve().parents[1] / "quiz" / "notes" / "data" / "hangul_syllables.json.gz"

#: Boundary classes: what sits left / right of a run of Hangul syllables.
LEFT = {"space": "<", "letter": "[", "digit": "{", "other": "("}
RIGHT = {"space": ">", "letter": "]", "digit": "}", "other": ")"}

CHUNK = 500  # sentences per seeded chunk


def is_hangul(ch: str) -> bool:
    return "\uac00" <= ch <= "\ud7a3"


def char_class(ch: str | None) -> str:
    """The boundary class of the character next to a Hangul run (as the repair sees it)."""
    from quiz.notes.mojibake.models import boundary_class

    return boundary_class(ch)


def hangul_runs(text: str) -> Iterator[tuple[str, str, str]]:
    """Yield (left class marker, run, right class marker) for each Hangul run."""
    i, n = 0, len(text)
    while i < n:
        if not is_hangul(text[i]):
            i += 1
            continue
        j = i
        while j < n and is_hangul(text[j]):
            j += 1
        left = LEFT[char_class(text[i - 1] if i else None)]
        right = RIGHT[char_class(text[j] if j < n else None)]
        yield left, text[i:j], right
        i = j


def dictionary_words(model_dir: Path) -> Iterator[str]:
    """Surface forms of Kiwi's user dictionaries (proper nouns, titles)."""
    for name in ("default.dict", "multi.dict"):
        with (model_dir / name).open(encoding="utf-8") as fh:
            for line in fh:
                if not line.strip() or line.startswith("#"):
                    continue
                form = line.split("\t", 1)[0].strip()
                if form and not form.endswith("$"):
                    yield form


def _sample_chunk(args: tuple[int, int, list[str]]) -> list[str]:
    """Sample ``count`` sentences from Kiwi's LM with a seed of their own."""
    from kiwipiepy import Kiwi

    seed, count, names = args
    kiwi = Kiwi()
    rng = random.Random(seed)
    start = kiwi.analyze(".")[0][0][0].id
    # Empty forms are placeholders for open classes; give them a surface so
    # that the syllables around them see a realistic neighbour.
    placeholder = {"SL": "A", "SN": "1", "SW": "*"}
    out: list[str] = []
    for _ in range(count):
        ids = [start]
        toks: list[tuple[str, str]] = []
        for _step in range(40):
            cands = kiwi.predict_next_morpheme(ids[-7:], top_n=100)
            weights = [math.exp(c.score) for c in cands]
            c = rng.choices(cands, weights=weights)[0]
            ids.append(c.id)
            tag = str(c.tag)
            if c.form:
                toks.append((c.form, tag))
            elif tag in placeholder:
                toks.append((placeholder[tag], tag))
            elif tag == "NNP":
                toks.append((rng.choice(names), "NNP"))
            if tag == "SF":
                break
        try:
            out.append(kiwi.join(toks))
        except Exception:  # an odd morpheme sequence join() refuses; skip it
            continue
    return out


def sampled_sentences(n: int, seed: int, names: list[str], workers: int) -> list[str]:
    jobs = [(seed * 1_000_003 + i, min(CHUNK, n - i * CHUNK), names) for i in range(-(-n // CHUNK))]
    with Pool(workers) as pool:
        chunks = pool.map(_sample_chunk, jobs)
    return [s for chunk in chunks for s in chunk]


def count(
    texts: Iterable[str], weight: int, uni: collections.Counter[str], bi: collections.Counter[str]
) -> None:
    for text in texts:
        for left, run, right in hangul_runs(text):
            seq = left + run + right
            for ch in seq:
                uni[ch] += weight
            for a, b in itertools.pairwise(seq):
                bi[a + b] += weight


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--sentences", type=int, default=50_000)
    ap.add_argument("--seed", type=int, default=20240928)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dict-weight", type=int, default=1)
    ap.add_argument("--text-weight", type=int, default=8)
    ap.add_argument("--min-count", type=int, default=2)
    ap.add_argument("--corpus-cache", type=Path, help="reuse / save the sampled sentences here")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)

    import kiwipiepy_model

    model_dir = Path(kiwipiepy_model.get_model_path())
    words = list(dictionary_words(model_dir))
    names = sorted({w for w in words if all(is_hangul(c) for c in w)})

    if args.corpus_cache and args.corpus_cache.exists():
        sentences = args.corpus_cache.read_text(encoding="utf-8").splitlines()
    else:
        sentences = sampled_sentences(args.sentences, args.seed, names, args.workers)
        if args.corpus_cache:
            args.corpus_cache.write_text("\n".join(sentences) + "\n", encoding="utf-8")

    uni: collections.Counter[str] = collections.Counter()
    bi: collections.Counter[str] = collections.Counter()
    count(words, args.dict_weight, uni, bi)
    count(sentences, args.text_weight, uni, bi)

    model: dict[str, object] = {
        "format": 1,
        "source": (
            f"kiwipiepy_model {kiwipiepy_model.__version__} default.dict+multi.dict "
            f"(weight {args.dict_weight}) and {len(sentences)} sentences sampled from "
            f"Kiwi's LM (seed {args.seed}, weight {args.text_weight}); Apache-2.0"
        ),
        "left": LEFT,
        "right": RIGHT,
        # Every syllable is followed by something (a syllable or a right
        # marker), so a syllable's unigram count is also its count as a left
        # context: P(b|a) = bigram[a+b] / unigram[a] stays right after rare
        # bigrams are pruned. Left markers only precede, right ones only follow.
        "unigram": dict(sorted(uni.items())),
        "bigram": {k: v for k, v in sorted(bi.items()) if v >= args.min_count},
    }
    data = json.dumps(model, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    args.out.write_bytes(gzip.compress(data, 9, mtime=0))
    print(
        f"{args.out}: {len(uni)} unigrams, {sum(v >= args.min_count for v in bi.values())} "
        f"bigrams, {args.out.stat().st_size} bytes",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
