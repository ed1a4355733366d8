"""Rendered segments into one lecture: video, audio, subtitles and chapters; and the lecture
back into per-segment clips.

- Video: each segment's frames copied in order (no re-encoding when they share one set of
  H.264 High parameters, which segments rendered at one quality do), with exact frame times,
  so segment *n* starts exactly at the sum of the frame counts before it. Each segment was its
  own file, so each starts on a key frame: the lecture can be cut there again.
- Audio: each segment's render already levelled its narration to −16 LUFS (true peaks at or
  under −1.5 dBTP) and encoded it once as AAC-LC 48 kHz stereo, exactly as long as its video
  (:mod:`scenes.narration.soundtrack`). Those packets are copied into the lecture
  (:func:`~scenes.media.streams.join_aac`: each segment's audio starts within 11 ms of its
  first frame, and the error never adds up), and the lecture's loudness is gated from the
  segments' own measurements (their 400 ms blocks, kept beside each video): nothing is
  decoded, measured or encoded a second time.
- Clips: a segment's clip holds what the lecture holds for it: its video packets (from its key
  frame) and its audio packets, levelled to −16 LUFS by its render; copied, not encoded again.
- Subtitles: each segment's cues offset by the segment's start, clipped to the segment.
- Chapters: one per segment, at the segment's first frame (whole seconds, rounded down, as
  YouTube reads them).
"""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import numpy as np

from scenes.narration.subtitles import Cue, cue_problems, parse_srt, to_srt, to_vtt

from scenes.media import loudness
from scenes.media.streams import (AUDIO_RATE, EncodedAudio, VideoTrack, encode_aac, join_aac,
                                  probe, read_aac, samples_for, scan_video,
                                  write_mp4)
from scenes.narration.soundtrack import read_report
from .takes import write_text_atomic

MIN_CHAPTERS = 3
MIN_CHAPTER_SECONDS = 10


@dataclass
class Part:
    """One rendered segment as it enters the lecture."""

    id: str
    title: str
    video: Path
    srt: Path | None

    @cached_property
    def track(self) -> VideoTrack:
        return scan_video(self.video)

    @property
    def duration(self) -> Fraction:
        return self.track.duration


@dataclass(frozen=True)
class Chapter:
    start: Fraction
    title: str

    @property
    def stamp(self) -> str:
        return timestamp(self.start)


@dataclass
class Assembled:
    path: Path
    duration: Fraction
    chapters: list[Chapter]
    cues: list[Cue]
    loudness: loudness.LoudnessReport      # the whole lecture's, gated from its segments'
    segments: list[loudness.LoudnessReport]
    notes: list[str] = field(default_factory=list)

    @property
    def lufs(self) -> float:
        return self.loudness.after_lufs

    @property
    def true_peak(self) -> float:
        return self.loudness.true_peak_dbtp


# --------------------------------------------------------------------------- subtitles


def segment_cues(part: Part) -> list[Cue]:
    """The segment's subtitles, clipped to its video."""
    if part.srt is None or not part.srt.exists():
        return []
    end = float(part.duration)
    out = []
    for cue in parse_srt(part.srt.read_text(encoding="utf-8")):
        if cue.start >= end:
            continue
        out.append(Cue(cue.start, min(cue.end, end), cue.lines))
    return out


def offsets(parts: Sequence[Part]) -> list[Fraction]:
    """Where each part starts in the lecture (exact)."""
    starts, t = [], Fraction(0)
    for part in parts:
        starts.append(t)
        t += part.duration
    return starts


def merged_cues(parts: Sequence[Part]) -> list[Cue]:
    cues: list[Cue] = []
    for start, part in zip(offsets(parts), parts):
        cues.extend(c.shifted(float(start)) for c in segment_cues(part))
    return cues


def vtt_text(cues: Sequence[Cue], lang: str) -> str:
    """WebVTT with the language in its header (as YouTube's own VTT files carry it)."""
    body = to_vtt(cues)
    head, _, rest = body.partition("\n")
    return f"{head}\nKind: captions\nLanguage: {lang}\n{rest}"


def write_subtitles(stem: Path, cues: Sequence[Cue], lang: str) -> list[Path]:
    srt, vtt = stem.with_suffix(".srt"), stem.with_suffix(".vtt")
    write_text_atomic(srt, to_srt(cues))
    write_text_atomic(vtt, vtt_text(cues, lang))
    return [srt, vtt]


# --------------------------------------------------------------------------- chapters


def timestamp(seconds: float | Fraction) -> str:
    """``m:ss`` (or ``h:mm:ss``), whole seconds rounded down."""
    s = int(math.floor(seconds))
    h, rem = divmod(s, 3600)
    m, s = divmod(rem, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def parse_timestamp(text: str) -> int:
    parts = [int(p) for p in text.split(":")]
    seconds = 0
    for p in parts:
        seconds = seconds * 60 + p
    return seconds


def chapters(parts: Sequence[Part]) -> list[Chapter]:
    return [Chapter(start, part.title) for start, part in zip(offsets(parts), parts)]


def chapter_problems(chs: Sequence[Chapter], total: float | Fraction) -> list[str]:
    """What YouTube would refuse: the first chapter not at 0:00, fewer than three chapters,
    a chapter shorter than ten seconds (counted from the whole-second timestamps)."""
    problems = []
    if not chs:
        return ["no chapters"]
    stamps = [parse_timestamp(c.stamp) for c in chs]
    if stamps[0] != 0:
        problems.append(f"the first chapter starts at {chs[0].stamp}, not 0:00")
    if len(chs) < MIN_CHAPTERS:
        problems.append(f"{len(chs)} chapters; YouTube shows chapters only from {MIN_CHAPTERS} on")
    ends = stamps[1:] + [float(total)]
    for c, a, b in zip(chs, stamps, ends):
        if b - a < MIN_CHAPTER_SECONDS:
            problems.append(f"chapter {c.stamp} {c.title!r} lasts {b - a:.0f} s "
                            f"(YouTube needs at least {MIN_CHAPTER_SECONDS})")
    return problems


def chapter_lines(chs: Sequence[Chapter]) -> list[str]:
    return [f"{c.stamp} {c.title}" for c in chs]


# --------------------------------------------------------------------------- audio and video


def part_sound(part: Part) -> tuple[EncodedAudio, loudness.LoudnessReport]:
    """The segment's encoded audio and its loudness report, as its render wrote them. A
    segment without sound gets silence (encoded here: nothing else to copy)."""
    audio, report = read_aac(part.video), read_report(part.video)
    if audio is None:
        silence = np.zeros((2, samples_for(part.duration, AUDIO_RATE)), np.float32)
        return encode_aac(silence, AUDIO_RATE, jobs=1), loudness.normalise(silence, AUDIO_RATE)[1]
    if report is None or (audio.rate, audio.channels) != (AUDIO_RATE, 2):
        raise ValueError(f"{part.id}: {part.video.name} was not written by this version's renderer "
                         f"(no levelled 48 kHz stereo soundtrack beside it): render it again "
                         f"with --force")
    return audio, report


def joined_report(reports: Sequence[loudness.LoudnessReport]) -> loudness.LoudnessReport:
    """The lecture's loudness from its segments' measurements: their blocks gated together."""
    before = loudness.Blocks.join([r.blocks_before for r in reports])
    after = loudness.Blocks.join([r.blocks for r in reports])
    was, now = before.loudness(), after.loudness()
    gain = now - was if math.isfinite(was) and math.isfinite(now) else 0.0
    return loudness.LoudnessReport(was, now, gain, max(r.true_peak_dbtp for r in reports),
                                   any(r.limited for r in reports), after, before)


def assemble(parts: Sequence[Part], out: Path, *, title: str, lang: str, jobs: int = 2) -> Assembled:
    """The lecture of ``parts``: ``out`` (MP4) with ``out``.srt/.vtt beside it. Segments are read
    ``jobs`` at a time; their audio is copied, not encoded again."""
    if not parts:
        raise ValueError("no segments to assemble")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        sounds = list(pool.map(part_sound, parts))
    reports = [r for _, r in sounds]
    report = joined_report(reports)
    encoded, _ = join_aac([a for a, _ in sounds], [samples_for(p.duration) for p in parts])
    del sounds
    write_mp4(out, [p.track for p in parts], encoded, title=title, language=lang)
    cues = merged_cues(parts)
    write_subtitles(out, cues, lang)
    total = sum((p.duration for p in parts), Fraction(0))
    notes = [f"subtitles: {p}" for p in cue_problems(cues)]
    written = probe(out)
    frames = sum(p.track.frames for p in parts)
    if written.frames != frames:
        raise RuntimeError(f"{out.name} has {written.frames} frames, its segments {frames}")
    if abs(written.duration - float(total)) > 0.05:
        notes.append(f"video lasts {written.duration:.3f} s, segments add up to {float(total):.3f} s")
    return Assembled(out, total, chapters(parts), cues, report, reports, notes)


def write_clip(out: Path, part: Part, *, lang: str) -> None:
    """The segment alone: its frames and its own audio packets, both as the lecture holds them
    (copied, nothing encoded again), titled, with its own subtitles beside it."""
    audio, _ = part_sound(part)
    write_mp4(out, [part.track], audio, title=part.title, language=lang)
    write_subtitles(out, segment_cues(part), lang)
