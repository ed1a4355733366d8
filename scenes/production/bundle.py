"""The YouTube bundle of one language, ``media/youtube/<lang>/``::

    lecture.mp4        H.264 High yuv420p, the quality's size and rate (1080p60 for ``high``),
                       AAC-LC 48 kHz stereo at −16 LUFS (true peak ≤ −1 dBTP), index first
    lecture.srt/.vtt   the whole lecture's subtitles, in the bundle's language
    description.txt    title, a short description, chapters (one per segment), references
    thumbnail.png      1280×720, under 2 MB (scenes/thumbnail.py)
    clips/NN_<segment>.mp4/.srt/.vtt   each segment on its own, as lecture.mp4 holds it
    clips/playlist.txt the clips' titles and lengths, in order

All of it is copying: the video packets are copied, never re-encoded, and so are the audio
packets, which each segment's render levelled to −16 LUFS and encoded once (so the lecture and
every clip are at −16 LUFS); the lecture's loudness is gated from the segments' measurements
(see :mod:`.assemble`). Nothing is decoded.

Incremental: what each output was built from is kept in ``media/lecture/<lang>/bundle.json``;
an output whose inputs (its segments' renders, the production code, the lecture's text) have
not changed is left alone, and a run with nothing changed opens no video. Every file is written
under a temporary name and moved into place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import time
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Callable, Sequence

from . import assemble as asm
from .registry import hash_files
from .takes import write_text_atomic
from scenes.narration.lecture_text import lecture_text, text_path

THUMBNAIL_SIZE = (1280, 720)
THUMBNAIL_MAX_BYTES = 2 * 1024 * 1024
STATE = "bundle.json"


@dataclass(frozen=True)
class Ready:
    """A segment rendered and current: its files and the fingerprint they were rendered from."""

    id: str
    number: int           # its place in the lecture, from 1
    title: str
    video: Path
    srt: Path | None
    stamp: str


@dataclass
class BundleResult:
    folder: Path
    built: list[str] = field(default_factory=list)
    reused: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    duration: float = 0.0
    lufs: float | None = None
    true_peak: float | None = None
    chapters: list[asm.Chapter] = field(default_factory=list)


def _code_digest() -> str:
    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    hash_files(h, sorted(here.glob("*.py")))
    return h.hexdigest()[:16]


def _key(*parts: object) -> str:
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()[:16]


def description_text(lang: str, chs: Sequence[asm.Chapter]) -> str:
    t = lecture_text(lang)
    lines = [t["title"], "", t["description"], "", f"{t['chapters']}:"]
    lines += asm.chapter_lines(chs)
    lines += ["", f"{t['references']}:"]
    lines += [f"- {ref}" for ref in t["reference_list"]]
    if t.get("tags"):
        lines += ["", f"{t['tags_heading']}: {', '.join(t['tags'])}"]
    return "\n".join(lines) + "\n"


def description_problems(title: str, description: str) -> list[str]:
    """What YouTube refuses in a title or description: over 100 / 5000 characters, or ``<`` ``>``."""
    problems = []
    if len(title) > 100:
        problems.append(f"title has {len(title)} characters; YouTube allows 100")
    if len(description) > 5000:
        problems.append(f"description has {len(description)} characters; YouTube allows 5000")
    for name, text in (("title", title), ("description", description)):
        if "<" in text or ">" in text:
            problems.append(f"the {name} contains < or >, which YouTube does not accept")
    return problems


def place_thumbnail(png: Path, dest: Path) -> list[str]:
    """Put the rendered thumbnail into the bundle as an opaque RGB PNG (an alpha channel can show
    as a checkerboard or black where a site draws it); re-compress it if it is over 2 MB."""
    from PIL import Image

    notes = []
    with Image.open(png) as im:
        if im.size != THUMBNAIL_SIZE:
            notes.append(f"thumbnail is {im.size[0]}×{im.size[1]}, expected 1280×720")
        tmp = dest.with_name(f".{dest.name}.part")
        if im.mode == "RGB" and png.stat().st_size <= THUMBNAIL_MAX_BYTES:
            shutil.copyfile(png, tmp)
        else:
            flat = Image.new("RGB", im.size, "black")
            rgba = im.convert("RGBA")
            flat.paste(rgba, mask=rgba.getchannel("A"))
            flat.save(tmp, format="PNG", optimize=True)
            if tmp.stat().st_size > THUMBNAIL_MAX_BYTES:
                flat.quantize(256).save(tmp, format="PNG", optimize=True)
    tmp.replace(dest)
    if dest.stat().st_size > THUMBNAIL_MAX_BYTES:
        notes.append(f"thumbnail is {dest.stat().st_size} bytes, over YouTube's 2 MB")
    return notes


def build_bundle(ready: Sequence[Ready], lang: str, media: Path, *, thumbnail: tuple[Path, str] | None,
                 force: bool = False, jobs: int = 2,
                 log: Callable[[str], None] = print) -> BundleResult:
    """Build (or bring up to date) ``media/youtube/<lang>/`` from the ``ready`` segments, in order.

    ``thumbnail``: the rendered PNG and its fingerprint; ``jobs``: cores to use."""
    folder = media / "youtube" / lang
    clips = folder / "clips"
    clips.mkdir(parents=True, exist_ok=True)
    state_path = media / "lecture" / lang / STATE
    try:
        state = json.loads(state_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        state = {}
    new_state: dict = {"clips": {}}
    result = BundleResult(folder)
    t = lecture_text(lang)
    code = _code_digest()
    text_digest = hashlib.sha256(text_path(lang).read_bytes()).hexdigest()[:16]

    def save_state() -> None:
        write_text_atomic(state_path, json.dumps(new_state, indent=1) + "\n")

    # --- the whole lecture ----------------------------------------------------------------
    parts = [asm.Part(r.id, r.title, r.video, r.srt) for r in ready]    # read only when needed
    lecture = folder / "lecture.mp4"
    lecture_files = [lecture, lecture.with_suffix(".srt"), lecture.with_suffix(".vtt"),
                     folder / "description.txt"]
    key = _key("lecture", code, text_digest, lang, [(r.id, r.title, r.stamp) for r in ready])
    prev = state.get("lecture", {})
    done: asm.Assembled | None = None
    if not force and prev.get("key") == key and all(f.exists() for f in lecture_files):
        result.reused.append("lecture")
        new_state["lecture"] = prev
        chs = [asm.Chapter(Fraction(c[0]), c[1]) for c in prev["chapters"]]
        result.duration, result.lufs, result.true_peak = prev["duration"], prev["lufs"], prev["true_peak"]
    else:
        start, cpu = time.monotonic(), time.process_time()
        log(f"bundle: assembling the lecture from {len(parts)} segment(s)")
        done = asm.assemble(parts, lecture, title=t["title"], lang=lang, jobs=jobs)
        chs = done.chapters
        description = description_text(lang, chs)
        write_text_atomic(folder / "description.txt", description)
        result.notes += [f"description: {p}" for p in description_problems(t["title"], description)]
        result.notes += done.notes
        result.duration, result.lufs, result.true_peak = float(done.duration), done.lufs, done.true_peak
        new_state["lecture"] = {"key": key, "chapters": [(str(c.start), c.title) for c in chs],
                                "duration": result.duration, "lufs": result.lufs,
                                "true_peak": result.true_peak}
        result.built.append("lecture")
        log(f"bundle: lecture.mp4 {asm.timestamp(done.duration)} written in "
            f"{time.monotonic() - start:.1f} s ({time.process_time() - cpu:.1f} s CPU); "
            f"{done.loudness.line()}")
        save_state()
    result.chapters = chs
    result.notes += [f"chapters: {p}" for p in asm.chapter_problems(chs, result.duration)]

    # --- one clip per segment: its packets, as the lecture holds them --------------------------
    start, cpu = time.monotonic(), time.process_time()
    expected = set()
    todo = []
    for k, r in enumerate(ready):
        stem = clips / f"{r.number:02d}_{r.id}"
        files = [stem.with_suffix(s) for s in (".mp4", ".srt", ".vtt")]
        expected.update(f.name for f in files)
        ckey = _key("clip", code, lang, r.id, r.number, r.title, r.stamp)
        prev_clip = state.get("clips", {}).get(r.id, {})
        if not force and prev_clip.get("key") == ckey and all(f.exists() for f in files):
            new_state["clips"][r.id] = prev_clip
            result.reused.append(f"clip {r.id}")
        else:
            todo.append((k, r, files[0], ckey))
    if todo:
        for k, r, mp4, ckey in todo:
            asm.write_clip(mp4, parts[k], lang=lang)
            new_state["clips"][r.id] = {"key": ckey, "duration": float(parts[k].duration)}
            result.built.append(f"clip {r.id}")
            save_state()
        log(f"bundle: {len(todo)} clip(s) copied in {time.monotonic() - start:.1f} s "
            f"({time.process_time() - cpu:.1f} s CPU)")
    playlist = [f"{r.number:02d}_{r.id}.mp4  {asm.timestamp(new_state['clips'][r.id]['duration'])}  "
                f"{r.title}" for r in ready]
    write_text_atomic(clips / "playlist.txt", "\n".join(playlist) + "\n")
    expected.add("playlist.txt")
    for stale in clips.iterdir():   # clips of segments no longer in the lecture
        if stale.is_file() and stale.name not in expected and not stale.name.startswith("."):
            stale.unlink()

    # --- thumbnail ------------------------------------------------------------------------
    if thumbnail is not None:
        png, tkey = thumbnail
        dest = folder / "thumbnail.png"
        if not force and state.get("thumbnail") == tkey and dest.exists():
            result.reused.append("thumbnail")
        else:
            result.notes += place_thumbnail(png, dest)
            result.built.append("thumbnail")
        new_state["thumbnail"] = tkey
    save_state()
    return result
