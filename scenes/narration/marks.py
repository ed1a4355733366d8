"""Anchors in narration text: a picture change tied to the word that names it.

A beat's text may hold manim-voiceover's bookmark tags right before a word::

    "Con un kernel par, k {k}, el total es <bookmark mark='total'/>{total}."

The voice says the text without the tags; the scene waits for ``total`` before it shows the
total. :func:`parse_anchors` gives the spoken text and, for each anchor, the character offset
of the word it precedes in that text; :func:`anchor_times` turns word start times (from the
voice: espeak's word events, a cloud service's word boundaries, an estimate) into the time at
which each anchor's word is spoken.

This module never imports manim.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping, Sequence

# manim-voiceover's bookmark syntax (its own regex accepts the same)
BOOKMARK_RE = re.compile(r"<bookmark\s*mark\s*=\s*['\"](\w*)['\"]\s*/>")
_SPACES = re.compile(r"[ \t\n\r\f\v]+")


class AnchorError(ValueError):
    """An anchor is malformed, repeated, or not followed by a word."""


def words_of(text: str) -> list[str]:
    """The words of ``text``, split at ordinary whitespace only: a no-break space (Spanish
    thousands, ``529 984``) keeps a number in one piece."""
    return [w for w in _SPACES.split(text) if w]


def strip_anchors(text: str) -> str:
    """The text as spoken and subtitled: anchors removed, whitespace collapsed."""
    return " ".join(words_of(BOOKMARK_RE.sub(" ", text)))


def anchor_names(text: str) -> list[str]:
    """The anchors of ``text`` in the order they are spoken."""
    return [m.group(1) for m in BOOKMARK_RE.finditer(text)]


def parse_anchors(text: str) -> tuple[str, dict[str, int]]:
    """``(spoken, offsets)``: the text without anchors (whitespace collapsed, as
    :func:`strip_anchors`) and, per anchor name, the offset in it of the word that follows
    the anchor. An anchor must be followed by a word; names are unique within a text."""
    spoken: list[str] = []
    offsets: dict[str, int] = {}
    pending: list[str] = []
    length = 0
    pos = 0
    for m in BOOKMARK_RE.finditer(text):
        length = _append_words(spoken, text[pos:m.start()], pending, offsets, length)
        name = m.group(1)
        if not name:
            raise AnchorError("an anchor needs a name: <bookmark mark='name'/>")
        if name in offsets or name in pending:
            raise AnchorError(f"anchor {name!r} is used twice in one beat")
        pending.append(name)
        pos = m.end()
    _append_words(spoken, text[pos:], pending, offsets, length)
    if pending:
        raise AnchorError(f"anchor {pending[0]!r} is not followed by a word")
    return " ".join(spoken), offsets


def _append_words(spoken: list[str], chunk: str, pending: list[str], offsets: dict[str, int],
                  length: int) -> int:
    for word in words_of(chunk):
        start = length + (1 if spoken else 0)
        for name in pending:
            offsets[name] = start
        pending.clear()
        spoken.append(word)
        length = start + len(word)
    return length


def word_starts(spoken: str) -> list[int]:
    """Offsets of the words of a spoken text (as :func:`parse_anchors` writes it)."""
    return [m.start() for m in re.finditer(r"[^ ]+", spoken)]


def linear_word_times(spoken: str, speech_seconds: float) -> list[tuple[int, float]]:
    """Word start times when speech runs evenly over the characters (an estimate)."""
    n = max(len(spoken), 1)
    return [(off, speech_seconds * off / n) for off in word_starts(spoken)]


def anchor_times(offsets: Mapping[str, int], word_times: Sequence[Sequence[float]],
                 end: float) -> dict[str, float]:
    """Seconds from the start of the audio at which each anchor's word starts.

    ``word_times``: ``(offset, seconds)`` of word starts in the spoken text, in order (they
    need not cover every word: an anchor takes the first listed word at or after its
    offset; past the last one, ``end``)."""
    pairs = sorted((int(o), float(t)) for o, t in word_times)
    keys = [o for o, _ in pairs]
    times: dict[str, float] = {}
    for name, off in offsets.items():
        i = bisect.bisect_left(keys, off)
        times[name] = pairs[i][1] if i < len(pairs) else float(end)
    return times


__all__ = ["AnchorError", "BOOKMARK_RE", "words_of", "anchor_names", "anchor_times", "linear_word_times",
           "parse_anchors", "strip_anchors", "word_starts"]
