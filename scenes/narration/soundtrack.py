"""A segment's soundtrack, levelled and encoded once, as the segment's video is written.

Manim would encode the narration with the AAC encoder's default two-loop search and mid/side
stereo (about 11 s of CPU for two minutes of voice), and the lecture then decoded it, levelled
it and encoded it again. Here the narration, as Manim mixed it, is instead

- cut or padded to the video's exact length (its frame count over the frame rate),
- brought to −16 LUFS with true peaks at or under −1.5 dBTP (:func:`scenes.media.loudness.normalise`;
  0.5 dB below YouTube's −1 dBTP for the encoder's overshoot),
- encoded once as AAC-LC 48 kHz stereo with the lecture's settings (:func:`encode_aac`),
- written with the video, the index at the front, and its loudness measurements (gating
  blocks included) beside it as ``<name>.loudness.json``.

The lecture copies these packets as they are (:func:`scenes.media.streams.join_aac`) and gates
its loudness from the JSON, so nothing is decoded, measured or encoded a second time.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np

from scenes.media import loudness
from scenes.media.streams import (AUDIO_RATE, encode_aac, fit_length, samples_for, scan_video,
                                  write_mp4)

ENCODER_HEADROOM_DB = 0.5       # AAC at 384 kb/s moves a true peak by a tenth of a dB or so
CEILING_DBTP = loudness.CEILING_DBTP - ENCODER_HEADROOM_DB


def report_path(video: Path) -> Path:
    """Where a video's loudness report is kept: ``<name>.loudness.json`` beside it."""
    return video.with_name(f"{video.stem}.loudness.json")


def samples_of(sound, rate: int = AUDIO_RATE) -> np.ndarray:
    """A pydub ``AudioSegment`` as float32 ``(2, samples)`` at ``rate`` (mono on both channels)."""
    kinds = {1: np.int8, 2: np.int16, 4: np.int32}
    if sound.sample_width not in kinds:          # 24-bit: let pydub widen it
        sound = sound.set_sample_width(4)
    raw = np.frombuffer(sound.raw_data, dtype=kinds[sound.sample_width])
    x = raw.reshape(-1, sound.channels).T.astype(np.float32) / float(1 << (8 * sound.sample_width - 1))
    if sound.frame_rate != rate:
        from scipy.signal import resample_poly

        x = resample_poly(x, rate, sound.frame_rate, axis=1).astype(np.float32)
    if x.shape[0] == 1:
        x = np.repeat(x, 2, axis=0)
    return np.ascontiguousarray(x[:2], dtype=np.float32)


def write_soundtrack(video: Path, sound) -> loudness.LoudnessReport:
    """Put ``sound`` (a pydub ``AudioSegment``), levelled and encoded, into ``video`` (an MP4
    without audio), replacing it; its loudness report goes beside it."""
    track = scan_video(video)
    audio = fit_length(samples_of(sound), samples_for(track.duration))
    levelled, report = loudness.normalise(audio, AUDIO_RATE, target=loudness.TARGET_LUFS,
                                          ceiling=CEILING_DBTP)
    encoded = encode_aac(levelled, AUDIO_RATE, jobs=1)
    out = video.with_name(f"{video.stem}.with-sound{video.suffix}")
    write_mp4(out, [track], encoded)
    os.replace(out, video)
    target = report_path(video)
    tmp = target.with_name(f".{target.name}.part")
    tmp.write_text(json.dumps(report.to_json()), encoding="utf-8")
    os.replace(tmp, target)
    return report


def read_report(video: Path) -> loudness.LoudnessReport | None:
    """The loudness report written beside ``video``, or None when there is none."""
    try:
        return loudness.LoudnessReport.from_json(
            json.loads(report_path(video).read_text(encoding="utf-8")))
    except (FileNotFoundError, json.JSONDecodeError, KeyError, TypeError, ValueError):
        return None


__all__ = ["CEILING_DBTP", "read_report", "report_path", "samples_of", "write_soundtrack"]
