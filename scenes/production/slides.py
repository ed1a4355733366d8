"""``lecture slides``: the lecture as slides for teaching it live, one slide per beat.

    lecture slides [SEGMENT ...] [--lang es|en] [--voice V] [--quality Q] [--to html,pptx,pdf]
                   [--narrated] [--media DIR] [--jobs N] [--force]

A teacher advances beat by beat and speaks in their own words: each slide plays its beat's
animation and then holds on the last frame; the beat's words, numbers filled in, are the
slide's speaker notes. The slides are silent unless ``--narrated`` keeps the voice.

The beat videos come from the lecture's own renders: every segment render keeps one video per
beat (Manim's sections) in ``media/lecture/<lang>/sections/<segment>/`` and the words each beat
spoke in ``<segment>.beats.json``. Segments whose render is missing or out of date are rendered
first, exactly as ``lecture`` does (same fingerprints, so a segment rendered by ``make lecture``
with the same settings is reused). The decks are written by manim-slides' converter:

- ``html``: reveal.js, served from the deck's own folder ``<name>_assets/`` (reveal.js is
  copied there from ``node_modules``, installed by the set-up), so the HTML file and that folder
  work with no network wherever they are copied; ``S`` opens the speaker view with the notes.
- ``pptx``: PowerPoint with each beat's video embedded (it starts by itself) and its notes.
- ``pdf``: the last frame of each beat, one per page, as a handout.

Output: ``<media>/slides/<lang>/<segment>.<ext>`` for each segment named, ``lecture.<ext>`` for
the whole lecture (each segment begins with its title card). Each deck is built in a scratch
folder and moved into place when complete.
"""

from __future__ import annotations

import argparse
import configparser
import contextlib
import html
import io
import os
import re
import shutil
import sys
import tempfile
import time
from collections import deque
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Callable

from scenes.segments import Segment

from .registry import QUALITIES, ROOT, RegistryError, load_registry, module_path

FORMATS = ("html", "pptx", "pdf")
LANGS = ("es", "en")
REVEAL_DIR = ROOT / "node_modules" / "reveal.js"
# What manim-slides' reveal.js page loads (its template), plus the licence that goes with it.
REVEAL_FILES = ("dist/reveal.css", "dist/theme/black.css", "dist/plugin/highlight/zenburn.css",
                "dist/reveal.js", "dist/plugin/notes.js", "dist/plugin/markdown.js", "LICENSE")
# PowerPoint slides 13.33 × 7.5 in (16:9); manim-slides counts them in pixels at 96 dpi.
PPTX_SIZE = (1280, 720)
PDF_PAGE_WIDTH_INCHES = 13.333


class SlidesError(RuntimeError):
    """The beat videos or texts of a rendered segment are missing or do not match."""


@dataclass(frozen=True)
class Slide:
    beat: str
    notes: str                   # the words of the beat, as spoken (numbers filled in, no bookmarks)
    pieces: tuple[Path, ...]     # its videos in order: what played since the previous beat, the beat

    @property
    def video(self) -> Path:
        if len(self.pieces) != 1:
            raise ValueError(f"slide {self.beat!r} is {len(self.pieces)} videos: join them first")
        return self.pieces[0]


@dataclass(frozen=True)
class Part:
    """The slides of one segment."""

    segment: Segment
    number: int
    title: str
    slides: list[Slide]


# --------------------------------------------------------------------------- reading renders


def lecture_dir(media: Path, lang: str) -> Path:
    return media / "lecture" / lang


def slides_dir(media: Path, lang: str) -> Path:
    return media / "slides" / lang


def sections_index(media: Path, lang: str, segment_id: str) -> Path:
    from .render import sections_dir

    return sections_dir(lecture_dir(media, lang), segment_id) / f"{segment_id}.json"


def read_part(media: Path, lang: str, segment: Segment, number: int) -> Part:
    """A rendered segment's slides: its beat videos paired with the words each beat spoke.

    The render has a section (a video) per beat and one for whatever played between a beat
    and the next (a title card fading out, say): that opens the next beat's slide, and what
    plays after the last beat (an outro) is left out, so every slide ends on its beat's last
    picture."""
    import json

    from scenes.narration.segment_text import Beat, load_segment_text

    index = sections_index(media, lang, segment.id)
    beats_file = lecture_dir(media, lang) / f"{segment.id}.beats.json"
    try:
        sections = json.loads(index.read_text(encoding="utf-8"))
        beats = json.loads(beats_file.read_text(encoding="utf-8"))["beats"]
    except (OSError, ValueError, KeyError) as exc:
        raise SlidesError(f"{segment.id}: the render's beat videos or words cannot be read ({exc})") from None
    ids = [b["id"] for b in beats]
    named = [s["name"] for s in sections if s["name"] in ids]
    if named != ids:
        raise SlidesError(f"{segment.id}: the render's beat videos {named} are not its beats {ids}")
    slides, pending, beat_of = [], [], {b["id"]: b for b in beats}
    for section in sections:
        pending.append(index.parent / section["video"])
        if section["name"] in beat_of:
            beat = beat_of[section["name"]]
            slides.append(Slide(beat["id"], Beat(beat["id"], beat["text"]).caption, tuple(pending)))
            pending = []
    title = load_segment_text(segment.id, lang).title
    return Part(segment, number, title, slides)


def joined(part: Part, folder: Path, *, voice: Path | None = None, lang: str | None = None) -> Part:
    """The part with one video per slide: a slide of several pieces gets them copied one after
    the other into one file (not re-encoded); with ``voice`` (the segment's video), every
    slide gets its stretch of the segment's sound, cut at the exact frame where it starts."""
    from scenes.media.streams import (decode_audio, encode_aac, read_aac, samples_for, scan_video,
                                      write_mp4)

    # the segment's sound as its render encoded it (any other is encoded once): each slide
    # copies the packets of its own stretch
    audio = None
    if voice is not None:
        audio = read_aac(voice) or encode_aac(decode_audio(voice))
    folder.mkdir(parents=True, exist_ok=True)
    start = Fraction(0)
    slides = []
    for slide in part.slides:
        tracks = [scan_video(p) for p in slide.pieces]
        length = sum((t.duration for t in tracks), Fraction(0))
        if audio is None and len(tracks) == 1:
            video = slide.pieces[0]
        else:
            video = write_mp4(folder / slide.pieces[-1].name, tracks, audio,
                              audio_start=samples_for(start), language=lang)
        slides.append(Slide(slide.beat, slide.notes, (video,)))
        start += length
    return Part(part.segment, part.number, part.title, slides)


def last_frame(video: Path, png: Path) -> Path:
    """The video's last frame as PNG, decoding only from the last key frame."""
    import av

    with av.open(str(video)) as c:
        stream = c.streams.video[0]
        if c.duration:
            c.seek(c.duration, backward=True, any_frame=False, stream=None)
        (frame,) = deque(c.decode(stream), 1)
        frame.to_image().save(png)
    return png


# --------------------------------------------------------------------------- decks


def markdown_literal(text: str) -> str:
    """``text`` as reveal.js's speaker notes show it: the notes are Markdown inside HTML, so
    every ASCII punctuation mark is backslash-escaped, then the HTML specials."""
    return html.escape(re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", text), quote=False)


def background_color() -> str:
    """The frames' background colour (``manim.cfg``), for the space around the videos."""
    cfg = configparser.ConfigParser()
    cfg.read(ROOT / "manim.cfg", encoding="utf-8")
    return cfg.get("CLI", "background_color", fallback="#000000")


def _presentations(parts: list[Part], resolution: tuple[int, int], notes=lambda s: s,
                   video=lambda s: s.video):
    from manim_slides.config import PresentationConfig, SlideConfig

    return [PresentationConfig(
        slides=[SlideConfig(file=video(s), rev_file=video(s), notes=notes(s.notes)) for s in part.slides],
        resolution=resolution, background_color=background_color()) for part in parts]


def write_html(parts: list[Part], target: Path, *, title: str, resolution: tuple[int, int]) -> list[Path]:
    """``target`` (``<name>.html``) and its folder ``<name>_assets/``: the beat videos and
    reveal.js, referred to by relative paths."""
    from manim_slides.convert import RevealJS

    assets = target.parent / f"{target.stem}_assets"
    for rel in REVEAL_FILES:
        (assets / "reveal.js" / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(REVEAL_DIR / rel, assets / "reveal.js" / rel)
    RevealJS(presentation_configs=_presentations(parts, resolution, notes=markdown_literal),
             cdn_url=f"{assets.name}/reveal.js", title=title, background_color=background_color(),
             hash="true").convert_to(target)
    return [target, assets]


def write_pptx(parts: list[Part], target: Path, *, title: str, resolution: tuple[int, int]) -> list[Path]:
    from manim_slides.convert import PowerPoint

    PowerPoint(presentation_configs=_presentations(parts, resolution),
               width=PPTX_SIZE[0], height=PPTX_SIZE[1]).convert_to(target)
    return [target]


def write_pdf(parts: list[Part], target: Path, *, title: str, resolution: tuple[int, int]) -> list[Path]:
    """A page per beat: its last frame. manim-slides' converter decodes every frame of every
    video to reach the last one; it is handed each beat's last frame as a one-frame image."""
    from manim_slides.convert import PDF

    frames = target.parent / f".{target.stem}-frames"
    frames.mkdir()
    try:
        slides = [s for p in parts for s in p.slides]
        png = {s.video: last_frame(s.video, frames / f"{n:04d}.png") for n, s in enumerate(slides)}
        PDF(presentation_configs=_presentations(parts, resolution, video=lambda s: png[s.video]),
            resolution=resolution[0] / PDF_PAGE_WIDTH_INCHES).convert_to(target)
    finally:
        shutil.rmtree(frames, ignore_errors=True)
    return [target]


WRITERS = {"html": write_html, "pptx": write_pptx, "pdf": write_pdf}


def _place(built: list[Path], dest: Path, scratch: Path) -> None:
    """Move finished files and folders from the scratch folder into ``dest`` (folders first,
    the file that refers to them last); what they replace goes to the scratch folder."""
    for path in sorted(built, key=lambda p: p.is_file()):
        target = dest / path.name
        if target.is_dir():
            os.replace(target, scratch / f"previous-{target.name}")
        os.replace(path, target)


def build_deck(parts: list[Part], fmt: str, dest: Path, name: str, *, title: str,
               resolution: tuple[int, int]) -> Path:
    """Write ``<dest>/<name>.<fmt>`` (and for HTML its assets folder), complete or not at all."""
    scratch = Path(tempfile.mkdtemp(prefix=f".{name}.{fmt}.", dir=dest))
    try:
        with contextlib.redirect_stderr(io.StringIO()):   # the converter's progress bars
            built = WRITERS[fmt](parts, scratch / f"{name}.{fmt}", title=title, resolution=resolution)
        _place(built, dest, scratch)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return dest / f"{name}.{fmt}"


# --------------------------------------------------------------------------- command


def _formats(value: str) -> list[str]:
    """``html,pptx`` → ["html", "pptx"]; a ValueError names the first unknown format."""
    wanted = [f.strip().lower() for f in re.split(r"[,\s]+", value) if f.strip()]
    unknown = [f for f in wanted if f not in FORMATS]
    if unknown or not wanted:
        raise ValueError(f"unknown format {(unknown or [value])[0]!r} (choose from {', '.join(FORMATS)})")
    return list(dict.fromkeys(wanted))


def _writable(folder: Path) -> str | None:
    """Why ``folder`` could not be written, or None; found without creating anything: the
    nearest part of the path that exists must be a folder this process may write in."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        return f"cannot write to {folder}: {existing} is not a folder"
    if not os.access(existing, os.W_OK | os.X_OK):
        return f"cannot write to {folder}: {existing} is not writable"
    return None


def main(argv=None, prog: str = "lecture slides", *, render: Callable[[list[str]], int]) -> int:
    """``render``: the lecture command's own entry (it renders the segments the decks are cut
    from); the command passes it in, so this module never imports the command that runs it."""
    parser = argparse.ArgumentParser(prog=prog, description="The lecture as slides to teach it "
                                     "live: one slide per beat (its animation, then its last "
                                     "frame), the beat's words as speaker notes.")
    parser.add_argument("segments", nargs="*", help="segment ids: one deck each (default: the "
                        "whole lecture as one deck, lecture.<ext>)")
    parser.add_argument("--lang", default=os.environ.get("LECTURE_LANG") or "es", choices=LANGS)
    parser.add_argument("--voice", default=os.environ.get("LECTURE_VOICE") or "espeak",
                        help="the voice whose pace the beats follow (and that --narrated keeps)")
    parser.add_argument("--quality", default=os.environ.get("LECTURE_QUALITY") or "high",
                        choices=list(QUALITIES))
    parser.add_argument("--to", dest="formats",
                        default=os.environ.get("SLIDES_FORMAT") or ",".join(FORMATS),
                        help="html, pptx, pdf, or several separated by commas (default: all three)")
    parser.add_argument("--narrated", action="store_true",
                        help="keep the voice in the slides' videos (default: silent, the teacher speaks)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                        help="segments rendered at once (default: 2)")
    parser.add_argument("--force", action="store_true", help="render the segments even if unchanged")
    parser.add_argument("--fallback", default=None, help="as for lecture (recorded voice)")
    parser.add_argument("--recordings", type=Path, default=None, help="as for lecture (recorded voice)")
    parser.add_argument("--media", type=Path, default=Path(os.environ.get("LECTURE_MEDIA", ROOT / "media")),
                        help="media folder (default: media/, or $LECTURE_MEDIA)")
    parser.add_argument("--registry", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    media = args.media.resolve()

    def fail(msg: str, status: int = 2) -> int:
        print(f"{prog}: error: {msg}", file=sys.stderr)
        return status

    try:
        formats = _formats(args.formats)
    except ValueError as exc:
        return fail(str(exc))

    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        return fail(str(exc))
    known = {s.id: n for n, s in enumerate(registry, 1)}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        return fail(f"unknown segment {unknown[0]!r} (see lecture --list)")
    if "html" in formats and not all((REVEAL_DIR / f).is_file() for f in REVEAL_FILES):
        return fail(f"reveal.js is not installed in {REVEAL_DIR.relative_to(ROOT)}: run make setup")
    for folder in (lecture_dir(media, args.lang), slides_dir(media, args.lang)):
        problem = _writable(folder)
        if problem:
            return fail(problem)

    wanted = [s for s in registry if (s.id in args.segments if args.segments else module_path(s).exists())]
    # A render made before beat videos were kept has none: forget it, so it is rendered again.
    for seg in wanted:
        stamp = lecture_dir(media, args.lang) / f"{seg.id}.stamp"
        if stamp.exists() and not sections_index(media, args.lang, seg.id).exists():
            stamp.unlink()

    start = time.monotonic()
    render_args = [*[s.id for s in wanted], "--no-bundle", "--lang", args.lang, "--voice", args.voice,
                   "--quality", args.quality, "--media", str(media), "--jobs", str(args.jobs)]
    for flag, value in (("--force", args.force), ("--registry", args.registry),
                        ("--fallback", args.fallback), ("--recordings", args.recordings)):
        if value:
            render_args += [flag] if value is True else [flag, str(value)]
    status = render(render_args)
    if status:
        return status

    try:
        parts = [read_part(media, args.lang, seg, known[seg.id]) for seg in wanted]
    except SlidesError as exc:
        return fail(str(exc), 1)
    dest = slides_dir(media, args.lang)
    dest.mkdir(parents=True, exist_ok=True)
    _, width, height, _ = QUALITIES[args.quality]
    from scenes.narration.lecture_text import lecture_text


    def decks(parts: list[Part]) -> list[tuple[str, list[Part], str]]:
        """(file name, parts, title) of each deck: one per segment named, else the lecture."""
        if args.segments:
            return [(p.segment.id, [p], f"{p.number}. {p.title}") for p in parts]
        return [("lecture", parts, lecture_text(args.lang)["title"])]
    work = Path(tempfile.mkdtemp(prefix=".videos.", dir=dest))   # the slides' joined videos
    try:
        parts = [joined(p, work / p.segment.id, lang=args.lang,
                        voice=lecture_dir(media, args.lang) / f"{p.segment.id}.mp4" if args.narrated else None)
                 for p in parts]
        for name, deck_parts, title in decks(parts):
            written = [build_deck(deck_parts, fmt, dest, name, title=title, resolution=(width, height))
                       for fmt in formats]
            beats = sum(len(p.slides) for p in deck_parts)
            print(f"slides: {', '.join(str(w) for w in written)} — {beats} slides "
                  f"({'narrated' if args.narrated else 'silent'})", flush=True)
    except KeyboardInterrupt:
        print("slides: interrupted; decks already in place are complete", flush=True)
        return 130
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"slides: done in {time.monotonic() - start:.1f} s", flush=True)
    return 0


if __name__ == "__main__":
    from scenes.production.lecture import main as lecture_main

    sys.exit(main(render=lecture_main))
