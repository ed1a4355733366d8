"""Narration layer of the lectures: text as data, voices, subtitles and the NarratedScene base.

- :mod:`.segment_text` — ``load_segment_text(segment_id, lang)``: the JSON text of a segment
  (title, on-screen strings, beats), validated; ``$LECTURE_LANG`` picks es (default) or en.
- :mod:`.subtitles` — ``make_cues(text, start, duration)`` and SRT/WebVTT writers (no manim).
- :mod:`.voices` — ``make_speech_service(voice, lang)``: estimate, espeak or a manim-voiceover
  service; ``$LECTURE_VOICE`` picks it.
- :mod:`.scene` — ``NarratedScene`` with ``self.beat(id)``, ``self.s(key)``, ``self.text``.
- :mod:`.lecture_text` — the lecture's own words (title, description, thumbnail):
  ``text/<lang>.json``, beside the segments' ``text/<lang>/<segment>.json``.

The text and subtitle modules import nothing from manim, so they can be used without it; the
voices and the scene need manim and manim-voiceover and are imported on first use.
"""

from __future__ import annotations

from typing import Any

from .segment_text import (
    LANGUAGES,
    Beat,
    NarrationTextError,
    SegmentText,
    check_all,
    check_segment,
    current_lang,
    load_segment_text,
    segment_ids,
)
from .subtitles import Cue, cue_problems, make_cues, parse_srt, srt_to_vtt, to_srt, to_vtt, write_srt, write_vtt

_LAZY = {
    "NarratedScene": "scene",
    "BeatTiming": "scene",
    "make_speech_service": "voices",
    "current_voice": "voices",
    "estimate_duration": "voices",
    "EstimateService": "voices",
    "EspeakService": "voices",
    "VoiceError": "voices",
    "SPEAKING_RATE": "voices",
}

__all__ = [
    "LANGUAGES",
    "Beat",
    "NarrationTextError",
    "SegmentText",
    "check_all",
    "check_segment",
    "current_lang",
    "load_segment_text",
    "segment_ids",
    "Cue",
    "cue_problems",
    "make_cues",
    "parse_srt",
    "srt_to_vtt",
    "to_srt",
    "to_vtt",
    "write_srt",
    "write_vtt",
    *_LAZY,
]


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
