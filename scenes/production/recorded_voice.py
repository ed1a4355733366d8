"""The ``recorded`` voice: the narrator's own takes, one audio file per beat.

``LECTURE_VOICE=recorded`` speaks each beat with ``recordings/<lang>/<segment>/<beat_id>.<ext>``
(any of .wav .flac .ogg .opus .mp3 .m4a .aac .aiff .webm; the folder is ``$LECTURE_RECORDINGS``
or the ``recordings`` voice option). The scene tells the voice which beat is speaking
(``begin_beat``), and the take is used only when it was recorded against the text the beat now
says (see :mod:`scenes.production.takes`). A beat without a usable take stops the render with
its id, unless a fallback voice is set (``$LECTURE_RECORDED_FALLBACK=espeak`` or the
``fallback`` option): then that voice speaks it, for a draft.

Takes are only read. What the scene plays is a copy in the voice cache: decoded with PyAV,
mono 48 kHz 16-bit, silence trimmed (keeping a short lead-in and tail), levelled to −18 LUFS
with peaks under −1 dBTP so takes recorded on different days sit together; the lecture's
final −16 LUFS is set when the bundle is assembled.
"""

from __future__ import annotations

import os
import wave
from pathlib import Path
from typing import Any

import numpy as np
from manim import logger

from scenes.narration.voices import LocalSpeechService, VoiceError, make_speech_service

from . import loudness
from .media_io import decode_audio
from .takes import TakeStatus, recordings_root, take_status

FALLBACK_ENV = "LECTURE_RECORDED_FALLBACK"
RATE = 48_000
TAKE_LUFS = -18.0
LEAD_IN = 0.12        # seconds kept before the first sound
TAIL = 0.40           # seconds kept after the last sound
SILENCE_BELOW_PEAK_DB = 40.0
_PREPARE_VERSION = 1


def prepare_take(source: Path, target: Path) -> None:
    """Decode ``source`` and write the cleaned mono WAV the scene plays to ``target``."""
    audio = decode_audio(source, RATE, "mono")[0]
    if audio.size == 0 or not np.any(audio):
        raise VoiceError(f"take {source.name} holds no sound")
    peak = float(np.abs(audio).max())
    threshold = max(peak * 10 ** (-SILENCE_BELOW_PEAK_DB / 20), 10 ** (-60 / 20))
    loud = np.flatnonzero(np.abs(audio) > threshold)
    first = max(0, loud[0] - int(LEAD_IN * RATE))
    last = min(audio.size, loud[-1] + int(TAIL * RATE))
    audio = audio[first:last]
    levelled, _ = loudness.normalise(audio, RATE, target=TAKE_LUFS, ceiling=loudness.CEILING_DBTP)
    pcm = np.clip(np.round(levelled[0] * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(target), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())


class RecordedService(LocalSpeechService):
    """Plays the narrator's take of the beat being spoken."""

    name = "recorded"

    def __init__(self, lang: str | None = None, recordings: str | os.PathLike[str] | None = None,
                 fallback: str | None = None, **kwargs: Any) -> None:
        super().__init__(lang, **kwargs)
        self.recordings = recordings_root(recordings)
        if fallback is None:
            fallback = os.environ.get(FALLBACK_ENV, "").strip() or None
        if fallback == self.name:
            raise VoiceError("the recorded voice cannot fall back on itself")
        self.fallback = fallback
        self._fallback_service = None
        self.segment_id: str | None = None
        self.beat_id: str | None = None
        self._take: TakeStatus | None = None
        self.report: dict[str, str] = {}     # beat key -> "take" or the problem

    def begin_beat(self, segment_id: str, beat_id: str) -> None:
        """Called by NarratedScene before each beat speaks."""
        self.segment_id, self.beat_id = segment_id, beat_id

    # -- LocalSpeechService -----------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        take = self._take
        return {"take": take.audio_sha if take else None, "prepare": _PREPARE_VERSION,
                "lufs": TAKE_LUFS}

    def synthesize(self, text: str, target: Path) -> None:
        assert self._take is not None and self._take.path is not None
        prepare_take(self._take.path, target)

    def _fallback(self):
        if self._fallback_service is None:
            self._fallback_service = make_speech_service(self.fallback, self.lang, cache_dir=self.cache_dir)
        return self._fallback_service

    def generate_from_text(self, text: str, cache_dir=None, path=None, **kwargs: object) -> dict[str, Any]:
        if self.segment_id is None or self.beat_id is None:
            raise VoiceError("the recorded voice finds takes by segment and beat id: "
                             "use it from a NarratedScene")
        status = take_status(self.recordings, self.lang, self.segment_id, self.beat_id, text)
        if status.ok:
            self._take = status
            try:
                data = super().generate_from_text(text, cache_dir=cache_dir, path=path, **kwargs)
            finally:
                self._take = None
            self.report[status.key] = "take"
            return data
        problem = status.message(self.recordings, self.lang)
        self.report[status.key] = problem
        if not self.fallback:
            raise VoiceError(f"recorded voice: {problem}")
        logger.warning(f"recorded voice: {problem}; spoken by {self.fallback} instead (draft)")
        service = self._fallback()
        data = service._wrap_generate_from_text(text)
        # The scene looks the audio up in this voice's cache folder; an absolute path wins there.
        data["original_audio"] = str(Path(service.cache_dir) / data["final_audio"])
        return data
