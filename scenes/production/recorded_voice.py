"""The ``recorded`` voice: the narrator's own takes, one audio file per beat.

``LECTURE_VOICE=recorded`` speaks each beat with ``recordings/<lang>/<segment>/<beat_id>.<ext>``
(any of .wav .flac .ogg .opus .mp3 .m4a .aac .aiff .webm; the folder is ``$LECTURE_RECORDINGS``
or the ``recordings`` voice option). The scene tells the voice which beat is speaking
(``begin_beat``), and the take is used only when it was recorded against the text the beat now
says (see :mod:`scenes.production.takes`). A beat without a usable take stops the render with
its id, unless a fallback voice is set (``$LECTURE_RECORDED_FALLBACK=espeak`` or the
``fallback`` option): then that voice speaks it, for a draft.

Every take is checked before it is used (:func:`audited`, also run by ``lecture`` and
``lecture-script`` before anything renders): it must decode, hold sound (peaks above
−50 dBFS) and not last far longer than its text takes to say (3 times the estimate plus 10 s
of sound, silence at the ends not counted); otherwise it is reported as unusable, by file.

Takes are only read. What the scene plays is a copy in the voice cache: decoded with PyAV,
mono 48 kHz 16-bit, silence trimmed (keeping a short lead-in and tail), levelled to −18 LUFS
with peaks under −1 dBTP so takes recorded on different days sit together; the lecture's
final −16 LUFS is set when the bundle is assembled.
"""

from __future__ import annotations

import math
import os
import wave
from pathlib import Path
from typing import Any

import av
import numpy as np
from manim import logger

from scenes.narration.marks import linear_word_times, parse_anchors
from scenes.narration.voices import (LocalSpeechService, VoiceError, estimate_duration,
                                     make_speech_service, wav_duration)

from scenes.media import loudness
from scenes.media.streams import decode_audio
from .takes import OK, UNUSABLE, Manifest, TakeStatus, recordings_root, take_status

FALLBACK_ENV = "LECTURE_RECORDED_FALLBACK"
RATE = 48_000
TAKE_LUFS = -18.0
LEAD_IN = 0.12        # seconds kept before the first sound
TAIL = 0.40           # seconds kept after the last sound
SILENCE_BELOW_PEAK_DB = 40.0
SILENT_PEAK_DBFS = -50.0     # a take whose loudest sample stays under this holds no voice
TOO_LONG_FACTOR = 3.0        # a take's sound may last this many times its text's estimate ...
TOO_LONG_SLACK = 10.0        # ... plus this many seconds
_PREPARE_VERSION = 2   # 2: word times beside the prepared take


class TakeError(VoiceError):
    """A take that cannot be used; the message says why (the caller names the file)."""


def _sound(source: Path) -> np.ndarray:
    """The take's sound, mono at RATE, silence at the ends trimmed to a short lead-in and tail.

    Raises :class:`TakeError` when it does not decode or is silent."""
    return _trimmed(source)[0]


def _trimmed(source: Path) -> tuple[np.ndarray, float]:
    """:func:`_sound` and the second of the take at which it starts."""
    try:
        audio = decode_audio(source, RATE, "mono")[0]
    except (av.FFmpegError, OSError, ValueError) as exc:
        why = getattr(exc, "strerror", None) or str(exc).split(":")[0] or type(exc).__name__
        raise TakeError(f"it does not decode as audio ({why})") from None
    if audio.size == 0:
        raise TakeError("it holds no audio")
    peak = float(np.abs(audio).max())
    if peak < 10 ** (SILENT_PEAK_DBFS / 20):
        level = f"{20 * np.log10(peak):.0f} dBFS" if peak > 0 else "digital silence"
        raise TakeError(f"it is silent (loudest sample {level}, under {SILENT_PEAK_DBFS:.0f} dBFS)")
    threshold = max(peak * 10 ** (-SILENCE_BELOW_PEAK_DB / 20), 10 ** (-60 / 20))
    loud = np.flatnonzero(np.abs(audio) > threshold)
    first = max(0, loud[0] - int(LEAD_IN * RATE))
    last = min(audio.size, loud[-1] + int(TAIL * RATE))
    return audio[first:last], first / RATE


def take_problem(source: Path, text: str, lang: str) -> str | None:
    """Why the take ``source`` of ``text`` cannot be used, or None when it can."""
    try:
        sound = _sound(source)
    except TakeError as exc:
        return str(exc)
    seconds = sound.size / RATE
    expected = estimate_duration(text, lang)
    longest = TOO_LONG_FACTOR * expected + TOO_LONG_SLACK
    if seconds > longest:
        return (f"it holds {seconds:.1f} s of sound, far more than the {expected:.1f} s its text "
                f"takes to say (at most {longest:.1f} s)")
    return None


def audited(status: TakeStatus, text: str, lang: str) -> TakeStatus:
    """``status``, or an unusable one when its take (about to be used) fails :func:`take_problem`."""
    if status.state != OK or status.path is None:
        return status
    problem = take_problem(status.path, text, lang)
    if problem is None:
        return status
    return TakeStatus(status.segment, status.beat, UNUSABLE, status.path, status.audio_sha, problem)


def prepare_take(source: Path, target: Path) -> float:
    """Decode ``source`` and write the cleaned mono WAV the scene plays to ``target``; return
    the second of the take at which the written audio starts."""
    try:
        audio, start = _trimmed(source)
    except TakeError as exc:
        raise VoiceError(f"take {source}: {exc}") from None
    levelled, _ = loudness.normalise(audio, RATE, target=TAKE_LUFS, ceiling=loudness.CEILING_DBTP)
    pcm = np.clip(np.round(levelled[0] * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(target), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(RATE)
        w.writeframes(pcm.tobytes())
    return start


def take_word_times(text: str, seconds: float, start: float,
                    corrected: dict[str, float], offsets: dict[str, int]) -> list[tuple[int, float]]:
    """When each word starts in a prepared take of ``seconds``: spread evenly over its speech
    (after the lead-in, before the tail), except the anchored words whose time the narrator
    gave in the manifest (``corrected``: anchor -> second of the recorded file; ``start``: the
    second of the file at which the prepared take begins)."""
    speech = max(seconds - LEAD_IN - TAIL, 0.1)
    times = {o: LEAD_IN + t for o, t in linear_word_times(text, speech)}
    for name, at in corrected.items():
        if name in offsets:
            times[offsets[name]] = min(max(float(at) - start, 0.0), seconds)
    return sorted(times.items())


class RecordedService(LocalSpeechService):
    """Plays the narrator's take of the beat being spoken."""

    name = "recorded"
    measures_words = True

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
        self._corrected: dict[str, float] = {}    # the take's anchor times from the manifest
        self._anchored_text = ""
        self.report: dict[str, str] = {}     # beat key -> "take" or the problem

    def begin_beat(self, segment_id: str, beat_id: str) -> None:
        """Called by NarratedScene before each beat speaks."""
        self.segment_id, self.beat_id = segment_id, beat_id

    # -- LocalSpeechService -----------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        take = self._take
        return {"take": take.audio_sha if take else None, "prepare": _PREPARE_VERSION,
                "marks": dict(sorted(self._corrected.items())),
                "lufs": TAKE_LUFS}

    def synthesize(self, text: str, target: Path) -> list[tuple[int, float]]:
        assert self._take is not None and self._take.path is not None
        start = prepare_take(self._take.path, target)
        offsets = parse_anchors(self._anchored_text)[1] if self._anchored_text else {}
        return take_word_times(text, wav_duration(target), start, self._corrected, offsets)

    def _narrator_marks(self, status: TakeStatus) -> dict[str, float]:
        """Anchor times the narrator wrote for this take in the manifest (``"marks": {"anchor":
        seconds}`` in the take's entry), checked."""
        manifest = Manifest.load(self.recordings, self.lang)
        entry = manifest.takes.get(Manifest.take_id(status.key, status.audio_sha), {})
        marks = entry.get("marks", {})
        if not isinstance(marks, dict) or not all(
                isinstance(k, str) and isinstance(v, (int, float)) and not isinstance(v, bool)
                and math.isfinite(v) and v >= 0 for k, v in marks.items()):
            raise VoiceError(f"{manifest.path}: take {status.key}: 'marks' must map anchor names "
                             "to seconds of the recording (numbers, 0 or more)")
        return {k: float(v) for k, v in marks.items()}

    def _fallback(self):
        if self._fallback_service is None:
            self._fallback_service = make_speech_service(self.fallback, self.lang, cache_dir=self.cache_dir)
        return self._fallback_service

    def generate_from_text(self, text: str, cache_dir=None, path=None, **kwargs: object) -> dict[str, Any]:
        if self.segment_id is None or self.beat_id is None:
            raise VoiceError("the recorded voice finds takes by segment and beat id: "
                             "use it from a NarratedScene")
        status = audited(take_status(self.recordings, self.lang, self.segment_id, self.beat_id,
                                     text), text, self.lang)
        if status.ok:
            self._take = status
            self._corrected = self._narrator_marks(status)
            self._anchored_text = text
            try:
                data = super().generate_from_text(text, cache_dir=cache_dir, path=path, **kwargs)
            finally:
                self._take = None
                self._corrected, self._anchored_text = {}, ""
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
