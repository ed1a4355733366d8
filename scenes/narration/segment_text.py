"""Narration text as data: one JSON file per segment and language.

Layout: ``scenes/narration/text/<lang>/<segment_id>.json``::

    {
      "title": "Aritmética de la convolución",
      "strings": {"input": "entrada", "output_size": "salida: {o}"},
      "beats": [
        {"id": "intro", "text": "Una convolución desliza un núcleo sobre la entrada."},
        {"id": "formula", "text": "o es igual a i menos k, más uno.",
         "subtitle": "o = i − k + 1"}
      ]
    }

``title`` and every beat ``text`` are required and non-empty; ``strings`` maps a key to an
on-screen string (``str.format`` fields allowed, so numbers can come from convmath);
``subtitle`` is optional and replaces the spoken text in the subtitles only.
Every language must have the same beat ids in the same order and the same string keys.

This module never imports manim.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Mapping

from .marks import AnchorError, anchor_names, parse_anchors, strip_anchors, words_of

LANGUAGES: tuple[str, ...] = ("es", "en")
DEFAULT_LANG = "es"
LANG_ENV = "LECTURE_LANG"

TEXT_DIR = Path(__file__).resolve().parent / "text"

_ID_RE = re.compile(r"^[a-z0-9][a-z0-9_]*$")
_BEAT_KEYS = {"id", "text", "subtitle"}
_TOP_KEYS = {"title", "strings", "beats"}


class NarrationTextError(ValueError):
    """A narration text file is missing, malformed or inconsistent across languages."""


def current_lang(lang: str | None = None) -> str:
    """The lecture language: ``lang`` if given, else ``$LECTURE_LANG``, else Spanish."""
    value = lang if lang is not None else os.environ.get(LANG_ENV, "").strip() or DEFAULT_LANG
    value = value.lower()
    if value not in LANGUAGES:
        raise NarrationTextError(
            f"unknown lecture language {value!r} (from {'argument' if lang is not None else LANG_ENV}); "
            f"choose one of {', '.join(LANGUAGES)}"
        )
    return value


@dataclass(frozen=True)
class SaidShown:
    """A field value said one way and written another in the subtitles, e.g. Spanish
    ``529.984`` (read by the voice as one number) shown as ``529 984`` like the screen."""

    said: str
    shown: str

    def __format__(self, spec: str) -> str:
        return format(self.said, spec)


@dataclass(frozen=True)
class Beat:
    """One idea of the narration: one Manim section and one run of subtitles."""

    id: str
    text: str
    subtitle: str | None = None

    @property
    def caption(self) -> str:
        """The text the subtitles show (``subtitle`` if given, else the spoken text), without
        anchors (``<bookmark mark='x'/>``)."""
        return strip_anchors(self.subtitle if self.subtitle is not None else self.text)

    @property
    def anchors(self) -> list[str]:
        """The anchors of the text, in the order they are spoken."""
        return anchor_names(self.text)


    def format(self, **fields: object) -> "Beat":
        """The beat with its ``{fields}`` filled in (a beat without fields is returned as is)."""
        if not fields and "{" not in self.text:
            return self
        shown = {k: (v.shown if isinstance(v, SaidShown) else v) for k, v in fields.items()}
        try:
            text = self.text.format(**fields)
            if self.subtitle is not None:
                subtitle = self.subtitle.format(**shown)
            elif shown != fields:
                subtitle = self.text.format(**shown)
            else:
                subtitle = None
        except (KeyError, IndexError) as exc:
            raise NarrationTextError(
                f"beat {self.id!r} needs field {exc}; given {sorted(fields)}") from None
        return Beat(self.id, text, subtitle)


@dataclass(frozen=True)
class SegmentText:
    segment_id: str
    lang: str
    title: str
    strings: Mapping[str, str]
    beats: tuple[Beat, ...]
    path: Path | None = field(default=None, compare=False)

    @property
    def beat_ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.beats)

    def beat(self, beat_id: str) -> Beat:
        for b in self.beats:
            if b.id == beat_id:
                return b
        raise NarrationTextError(
            f"segment {self.segment_id!r} ({self.lang}) has no beat {beat_id!r}; "
            f"its beats are {', '.join(self.beat_ids)}"
        )

    def string(self, key: str, /, **fields: object) -> str:
        try:
            template = self.strings[key]
        except KeyError:
            raise NarrationTextError(
                f"segment {self.segment_id!r} ({self.lang}) has no on-screen string {key!r}"
            ) from None
        if not fields:
            return template
        try:
            return template.format(**fields)
        except (KeyError, IndexError) as exc:
            raise NarrationTextError(
                f"on-screen string {key!r} of segment {self.segment_id!r} ({self.lang}) "
                f"needs field {exc}; given {sorted(fields)}"
            ) from None


def segment_path(segment_id: str, lang: str, root: Path | None = None) -> Path:
    return (root or TEXT_DIR) / lang / f"{segment_id}.json"


def parse_segment_text(data: object, segment_id: str, lang: str, source: str = "<data>") -> SegmentText:
    """Validate decoded JSON and build a :class:`SegmentText`. Raises :class:`NarrationTextError`."""

    def fail(msg: str) -> NarrationTextError:
        return NarrationTextError(f"{source}: {msg}")

    if not isinstance(data, dict):
        raise fail("the file must hold a JSON object")
    extra = set(data) - _TOP_KEYS
    missing = _TOP_KEYS - set(data)
    if missing:
        raise fail(f"missing key(s) {', '.join(sorted(missing))}")
    if extra:
        raise fail(f"unknown key(s) {', '.join(sorted(extra))}")

    title = data["title"]
    if not isinstance(title, str) or not title.strip():
        raise fail("'title' must be a non-empty string")

    strings = data["strings"]
    if not isinstance(strings, dict):
        raise fail("'strings' must be an object of key: string")
    for key, value in strings.items():
        if not isinstance(value, str):
            raise fail(f"on-screen string {key!r} must be a string, not {type(value).__name__}")

    beats_raw = data["beats"]
    if not isinstance(beats_raw, list) or not beats_raw:
        raise fail("'beats' must be a non-empty list")
    beats: list[Beat] = []
    seen: set[str] = set()
    for n, item in enumerate(beats_raw):
        if not isinstance(item, dict):
            raise fail(f"beat #{n} must be an object with 'id' and 'text'")
        unknown = set(item) - _BEAT_KEYS
        if unknown:
            raise fail(f"beat #{n} has unknown key(s) {', '.join(sorted(unknown))}")
        beat_id = item.get("id")
        if not isinstance(beat_id, str) or not _ID_RE.match(beat_id):
            raise fail(f"beat #{n} id {beat_id!r} must be lower-case letters, digits and '_'")
        if beat_id in seen:
            raise fail(f"beat id {beat_id!r} is used twice")
        seen.add(beat_id)
        text = item.get("text")
        if not isinstance(text, str) or not text.strip():
            raise fail(f"beat {beat_id!r} needs a non-empty 'text'")
        try:
            parse_anchors(text)
        except AnchorError as exc:
            raise fail(f"beat {beat_id!r}: {exc}") from None
        subtitle = item.get("subtitle")
        if subtitle is not None and (not isinstance(subtitle, str) or not subtitle.strip()):
            raise fail(f"beat {beat_id!r}: 'subtitle' must be a non-empty string when given")
        beats.append(Beat(beat_id, " ".join(words_of(text)),
                          " ".join(words_of(subtitle)) if subtitle else None))

    return SegmentText(
        segment_id=segment_id,
        lang=lang,
        title=title.strip(),
        strings=MappingProxyType(dict(strings)),
        beats=tuple(beats),
        path=None,
    )


def load_segment_text(segment_id: str, lang: str | None = None, *, root: Path | None = None) -> SegmentText:
    """Load and validate ``text/<lang>/<segment_id>.json`` (``lang`` defaults to :func:`current_lang`)."""
    lang = current_lang(lang)
    path = segment_path(segment_id, lang, root)
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NarrationTextError(
            f"no narration text for segment {segment_id!r} in language {lang!r} "
            f"(expected {lang}/{segment_id}.json under the narration text folder)"
        ) from None
    source = f"{lang}/{segment_id}.json"
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise NarrationTextError(f"{source}: not valid JSON: {exc}") from None
    seg = parse_segment_text(data, segment_id, lang, source)
    return SegmentText(seg.segment_id, seg.lang, seg.title, seg.strings, seg.beats, path)


def segment_ids(root: Path | None = None) -> list[str]:
    """Every segment id that has a text file in at least one language."""
    base = root or TEXT_DIR
    ids: set[str] = set()
    for lang in LANGUAGES:
        ids.update(p.stem for p in (base / lang).glob("*.json"))
    return sorted(ids)


def check_segment(segment_id: str, root: Path | None = None) -> list[str]:
    """Problems with one segment across languages (empty list when all is well)."""
    problems: list[str] = []
    loaded: dict[str, SegmentText] = {}
    for lang in LANGUAGES:
        try:
            loaded[lang] = load_segment_text(segment_id, lang, root=root)
        except NarrationTextError as exc:
            problems.append(str(exc))
    if len(loaded) < 2:
        return problems
    ref_lang, ref = next(iter(loaded.items()))
    for lang, seg in loaded.items():
        if lang == ref_lang:
            continue
        if seg.beat_ids != ref.beat_ids:
            problems.append(
                f"segment {segment_id!r}: beat ids differ between {ref_lang} {list(ref.beat_ids)} "
                f"and {lang} {list(seg.beat_ids)}"
            )
        else:
            for a, b in zip(ref.beats, seg.beats):
                if a.anchors != b.anchors:
                    problems.append(
                        f"segment {segment_id!r}, beat {a.id!r}: anchors {a.anchors} in {ref_lang} "
                        f"but {b.anchors} in {lang} (the same anchors, in the same order)")
        if set(seg.strings) != set(ref.strings):
            only_ref = sorted(set(ref.strings) - set(seg.strings))
            only_lang = sorted(set(seg.strings) - set(ref.strings))
            problems.append(
                f"segment {segment_id!r}: on-screen string keys differ: only in {ref_lang} {only_ref}, "
                f"only in {lang} {only_lang}"
            )
        for key in set(seg.strings) & set(ref.strings):
            if _format_fields(seg.strings[key]) != _format_fields(ref.strings[key]):
                problems.append(
                    f"segment {segment_id!r}: string {key!r} has fields {sorted(_format_fields(ref.strings[key]))} "
                    f"in {ref_lang} but {sorted(_format_fields(seg.strings[key]))} in {lang}"
                )
    return problems


def check_all(root: Path | None = None) -> list[str]:
    """Problems over every segment text file (empty list when all is well)."""
    problems: list[str] = []
    for sid in segment_ids(root):
        problems.extend(check_segment(sid, root))
    return problems


def _format_fields(template: str) -> set[str]:
    import string

    try:
        return {name for _, name, _, _ in string.Formatter().parse(template) if name}
    except ValueError:
        return {"<malformed>"}
