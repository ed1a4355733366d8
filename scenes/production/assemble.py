"""Rendered segments into one lecture: video, audio, subtitles and chapters.

- Video: each segment's frames copied in order (no re-encoding when they share one set of
  H.264 High parameters, which segments rendered at one quality do), with exact frame times,
  so segment *n* starts exactly at the sum of the frame counts before it.
- Audio: each segment's audio cut or padded to its video's length (sync never drifts), joined,
  normalised to −16 LUFS with true peaks at or under −1 dBTP, encoded as AAC-LC 48 kHz stereo;
  the encoded file is measured again and redone with more headroom if encoding pushed a peak
  over.
- Subtitles: each segment's cues offset by the segment's start, clipped to the segment.
- Chapters: one per segment, at the segment's first frame (whole seconds, rounded down, as
  YouTube reads them).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Sequence

import numpy as np

from scenes.narration.subtitles import Cue, cue_problems, parse_srt, to_srt, to_vtt

from . import loudness
from .media_io import (AUDIO_RATE, VideoTrack, decode_audio, fit_length, probe, samples_for,
                       scan_video, write_mp4)
from .takes import write_text_atomic

MIN_CHAPTERS = 3
MIN_CHAPTER_SECONDS = 10
TP_LIMIT = loudness.CEILING_DBTP
LUFS_TOLERANCE = 0.5            # redo the audio when the encoded file is further off than this


@dataclass
class Part:
    """One rendered segment as it enters the lecture."""

    id: str
    title: str
    video: Path
    srt: Path | None
    track: VideoTrack = field(init=False)

    def __post_init__(self) -> None:
        self.track = scan_video(self.video)

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
    loudness: loudness.LoudnessReport
    measured_lufs: float
    measured_tp: float
    notes: list[str] = field(default_factory=list)


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


def part_audio(part: Part, rate: int = AUDIO_RATE) -> np.ndarray:
    """The segment's audio, exactly as long as its video."""
    return fit_length(decode_audio(part.video, rate), samples_for(part.duration, rate))


def _measure(path: Path) -> tuple[float, float]:
    audio = decode_audio(path)
    return loudness.integrated_loudness(audio, AUDIO_RATE), loudness.true_peak(audio)


def write_video(out: Path, parts: Sequence[Part], *, title: str, lang: str,
                target: float = loudness.TARGET_LUFS) -> tuple[loudness.LoudnessReport, float, float]:
    """Write the parts as one MP4 with normalised audio; returns the normalisation report and the
    loudness and true peak measured on the written file."""
    raw = np.concatenate([part_audio(p) for p in parts], axis=1)
    ceiling = TP_LIMIT - 0.5          # headroom for the AAC encoder's overshoot
    gain_fix = 0.0
    for _ in range(4):
        audio, report = loudness.normalise(raw, AUDIO_RATE, target=target + gain_fix, ceiling=ceiling)
        write_mp4(out, [p.track for p in parts], audio, title=title, language=lang)
        if report.silent:
            return report, -math.inf, loudness.true_peak(audio)
        lufs, tp = _measure(out)
        if tp <= TP_LIMIT and abs(lufs - target) <= LUFS_TOLERANCE:
            return report, lufs, tp
        if tp > TP_LIMIT:
            ceiling -= tp - TP_LIMIT + 0.2
        gain_fix += target - lufs
    return report, lufs, tp


def assemble(parts: Sequence[Part], out: Path, *, title: str, lang: str) -> Assembled:
    """The lecture of ``parts``: ``out`` (MP4) with ``out``.srt/.vtt beside it."""
    if not parts:
        raise ValueError("no segments to assemble")
    report, lufs, tp = write_video(out, parts, title=title, lang=lang)
    cues = merged_cues(parts)
    write_subtitles(out, cues, lang)
    total = sum((p.duration for p in parts), Fraction(0))
    notes = [f"subtitles: {p}" for p in cue_problems(cues)]
    written = probe(out)
    if abs(written.duration - float(total)) > 0.05:
        notes.append(f"video lasts {written.duration:.3f} s, segments add up to {float(total):.3f} s")
    return Assembled(out, total, chapters(parts), cues, report, lufs, tp, notes)
