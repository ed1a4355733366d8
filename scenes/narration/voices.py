"""Voices for the narration, chosen by name, never by editing a scene.

``$LECTURE_VOICE`` (or ``NarratedScene(voice=...)``) names one of:

- ``estimate`` (default): silent WAV as long as the text takes to say at the language's
  measured speaking rate. Fast, offline, deterministic: what tests and layout previews use.
- ``espeak``: offline speech by espeak-ng (``-v es-419`` / ``-v en``, a calm 150 words a
  minute), resampled to 48 kHz and peak-normalised to -1 dBFS with sox.
- ``piper``: Piper, a natural neural voice, offline; the model (a ``.onnx`` voice) from
  ``$LECTURE_PIPER_MODEL`` or the ``model`` option, for English the bundled en_US-joe-medium
  when installed. See :mod:`scenes.narration.piper_voice`.
- ``recorded``: the narrator's takes, ``recordings/<lang>/<segment>/<beat_id>.wav`` (or .flac,
  .mp3, ...), one per beat; a beat without a take, or whose text changed since its take was
  recorded, is reported by id (``$LECTURE_RECORDED_FALLBACK=espeak`` speaks it instead, for a
  draft). See :mod:`scenes.production.recorded_voice`.
- any manim-voiceover service: ``gtts``, ``azure``, ``elevenlabs``, ``openai``, ``gemini``,
  ``recorder``, or ``package.module:ClassName``. Imported only when chosen; API keys come from
  the environment only (we refuse to start when one is missing rather than let the service
  prompt on the terminal). ``$LECTURE_VOICE_OPTIONS`` may hold a JSON object of keyword
  arguments for the service, e.g. ``{"voice": "es-MX-DaliaNeural"}``.

Audio is cached in ``$LECTURE_VOICE_CACHE`` if set, else ``<media_dir>/voiceovers/``. The two
local voices name each file by voice, language and a hash of text and settings, so a re-render
reuses it; they do not use manim-voiceover's shared ``cache.json`` (which grows on every render
and is not safe when scenes render in parallel) and write each file atomically. Other services
keep manim-voiceover's own cache, in a sub-folder named after the service.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import shutil
import subprocess
import tempfile
import wave
from pathlib import Path
from typing import Any, Mapping

from manim import config, logger
from manim_voiceover.services.base import SpeechService
from manim_voiceover.tracker import AUDIO_OFFSET_RESOLUTION

from . import espeak_lib
from .marks import linear_word_times, strip_anchors, words_of
from .segment_text import current_lang

VOICE_ENV = "LECTURE_VOICE"
VOICE_OPTIONS_ENV = "LECTURE_VOICE_OPTIONS"
VOICE_CACHE_ENV = "LECTURE_VOICE_CACHE"
DEFAULT_VOICE = "estimate"
CACHE_SUBDIR = "voiceovers"

# espeak-ng settings for each language.
ESPEAK_VOICES = {"es": "es-419", "en": "en"}
ESPEAK_WPM = 150
# Characters a second that espeak-ng actually speaks at 150 wpm (fitted on lecture-like
# sentences: es-419 13.6, en 14.9), plus the pause espeak leaves at the end of a text.
SPEAKING_RATE = {"es": 13.6, "en": 14.9}
END_PAUSE = 0.45
ESTIMATE_SAMPLE_RATE = 24_000
OUTPUT_SAMPLE_RATE = 48_000
PEAK_DBFS = -1.0

_CACHE_VERSION = 2   # 2: espeak through its library, word times beside the audio
# Word start times of a cached audio file, beside it: [[character offset, seconds], ...].
WORDS_SUFFIX = ".words.json"


class VoiceError(RuntimeError):
    """A voice cannot be used: unknown name, missing program, package or API key."""


def spoken_text(text: str) -> str:
    """What is actually said: anchors (bookmarks) removed, whitespace collapsed."""
    return strip_anchors(text)


def estimate_duration(text: str, lang: str | None = None, speed: float = 1.0) -> float:
    """Seconds the text takes at the language's speaking rate (what the ``estimate`` voice makes)."""
    lang = current_lang(lang)
    chars = len(spoken_text(text))
    return round(chars / (SPEAKING_RATE[lang] * speed) + END_PAUSE, 3)


def wav_duration(path: str | Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / w.getframerate()


def _word_boundaries(text: str, word_times: list[tuple[int, float]], audio_seconds: float
                     ) -> list[dict[str, Any]]:
    """manim-voiceover's word boundaries from word start times (so its own bookmark timing,
    ``wait_until_bookmark``, agrees with ours)."""
    bounds: list[dict[str, Any]] = []
    for offset, t in word_times:
        word = text[offset:].split(" ", 1)[0]
        bounds.append({"audio_offset": int(t * AUDIO_OFFSET_RESOLUTION), "text_offset": offset,
                       "word_length": len(word), "text": word, "boundary_type": "Word"})
    bounds.append({"audio_offset": int(audio_seconds * AUDIO_OFFSET_RESOLUTION),
                   "text_offset": len(text), "word_length": 0, "text": "", "boundary_type": "Word"})
    return bounds


def _read_word_times(path: Path) -> list[tuple[int, float]] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return [(int(o), float(t)) for o, t in data]
    except (OSError, ValueError, TypeError):
        return None


def _write_word_times(path: Path, word_times) -> None:
    tmp = _atomic_target(path.parent, ".json")
    try:
        tmp.write_text(json.dumps([[int(o), round(float(t), 4)] for o, t in word_times]),
                       encoding="utf-8")
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


def _atomic_target(directory: Path, suffix: str) -> Path:
    fd, name = tempfile.mkstemp(prefix=".tmp-", suffix=suffix, dir=directory)
    os.close(fd)
    return Path(name)


class LocalSpeechService(SpeechService):
    """A manim-voiceover SpeechService that writes WAV files named by a hash of text and settings."""

    name = "local"
    # True when synthesize() measures when each word starts (kept beside the audio);
    # otherwise word times are estimated evenly over the characters of the speech.
    measures_words = False

    def __init__(self, lang: str | None = None, cache_dir: str | os.PathLike[str] | None = None, **kwargs: Any) -> None:
        self.lang = current_lang(lang)
        if cache_dir is None:
            cache_dir = voice_cache_dir()
        speed = float(kwargs.pop("global_speed", 1.0))
        super().__init__(global_speed=1.0, cache_dir=cache_dir, **kwargs)
        # Speed is part of the settings (and the hash): we make audio at the right speed rather
        # than stretching it afterwards.
        self.speed = speed

    # -- to implement -------------------------------------------------------------------
    def settings(self) -> dict[str, Any]:
        raise NotImplementedError

    def synthesize(self, text: str, target: Path) -> list[tuple[int, float]] | None:
        """Write ``text`` as speech to the WAV file ``target``; return each word's start as
        ``(character offset in text, seconds)`` when the voice knows it, else None."""
        raise NotImplementedError

    def speech_seconds(self, text: str, audio_seconds: float) -> float:
        """Seconds of ``audio_seconds`` during which words are spoken (for word boundaries)."""
        return max(audio_seconds - END_PAUSE, audio_seconds * 0.5)

    # -- SpeechService ------------------------------------------------------------------
    def input_data(self, text: str) -> dict[str, Any]:
        return {
            "input_text": spoken_text(text),
            "service": self.name,
            "config": {"lang": self.lang, "version": _CACHE_VERSION, **self.settings()},
        }

    def audio_filename(self, text: str) -> str:
        digest = hashlib.sha256(
            json.dumps(self.input_data(text), sort_keys=True, ensure_ascii=False).encode("utf-8")
        ).hexdigest()[:16]
        return f"{self.name}-{self.lang}-{digest}.wav"

    def generate_from_text(
        self,
        text: str,
        cache_dir: str | os.PathLike[str] | None = None,
        path: str | os.PathLike[str] | None = None,
        **kwargs: object,
    ) -> dict[str, Any]:
        directory = Path(cache_dir if cache_dir is not None else self.cache_dir)
        directory.mkdir(parents=True, exist_ok=True)
        said = spoken_text(text)
        if not said:
            raise VoiceError("nothing to say: the narration text is empty")
        filename = os.fspath(path) if path is not None else self.audio_filename(text)
        target = directory / filename
        words_file = target.with_name(target.name + WORDS_SUFFIX)
        word_times = _read_word_times(words_file) if target.exists() else None
        if not target.exists() or (self.measures_words and word_times is None):
            tmp = _atomic_target(directory, ".wav")
            try:
                measured = self.synthesize(said, tmp)
                os.chmod(tmp, 0o644)  # mkstemp makes it private; the cache is ordinary media
                if measured is not None:
                    _write_word_times(words_file, measured)
                    word_times = [(int(o), float(t)) for o, t in measured]
                os.replace(tmp, target)
            finally:
                tmp.unlink(missing_ok=True)
        seconds = wav_duration(target)
        if word_times is None:
            word_times = linear_word_times(said, self.speech_seconds(said, seconds))
        return {
            "input_text": text,
            "input_data": self.input_data(text),
            "original_audio": filename,
            "word_times": [[o, round(t, 4)] for o, t in word_times],
            "word_boundaries": _word_boundaries(said, word_times, seconds),
        }

    def _wrap_generate_from_text(self, text: str, **kwargs: object) -> dict[str, Any]:  # type: ignore[override]
        # Same contract as SpeechService._wrap_generate_from_text in manim-voiceover 0.4, minus
        # the append to the shared cache.json (our cache is the hashed file name) and minus the
        # speed stretch (speed is applied when synthesising).
        text = " ".join(words_of(text))
        path = kwargs.pop("path", None)
        data = self.generate_from_text(text, cache_dir=None, path=path, **kwargs)  # type: ignore[arg-type]
        self.audio_callback(data["original_audio"], data, **kwargs)  # type: ignore[arg-type]
        data["final_audio"] = data["original_audio"]
        return data


class EstimateService(LocalSpeechService):
    """Silence as long as the text takes to say: ``len(text) / rate + END_PAUSE`` seconds."""

    name = "estimate"

    def __init__(self, lang: str | None = None, rate: float | None = None, **kwargs: Any) -> None:
        super().__init__(lang, **kwargs)
        self.rate = float(rate) if rate is not None else SPEAKING_RATE[self.lang]

    def settings(self) -> dict[str, Any]:
        return {"rate": self.rate * self.speed, "end_pause": END_PAUSE, "sample_rate": ESTIMATE_SAMPLE_RATE}

    def duration_of(self, text: str) -> float:
        return round(len(spoken_text(text)) / (self.rate * self.speed) + END_PAUSE, 3)

    def synthesize(self, text: str, target: Path) -> None:
        frames = int(round(self.duration_of(text) * ESTIMATE_SAMPLE_RATE))
        with wave.open(str(target), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(ESTIMATE_SAMPLE_RATE)
            w.writeframes(b"\x00\x00" * frames)

    def speech_seconds(self, text: str, audio_seconds: float) -> float:
        return len(text) / (self.rate * self.speed)


class EspeakService(LocalSpeechService):
    """espeak-ng, offline, through its library (which says when each word starts);
    resampled and normalised with sox when sox is installed."""

    name = "espeak"
    measures_words = True

    def __init__(
        self, lang: str | None = None, voice: str | None = None, wpm: int = ESPEAK_WPM, **kwargs: Any
    ) -> None:
        super().__init__(lang, **kwargs)
        self.voice = voice or ESPEAK_VOICES[self.lang]
        self.wpm = int(wpm)
        if shutil.which("espeak-ng") is None:
            raise VoiceError("the espeak voice needs espeak-ng (Debian package espeak-ng; `make setup`)")
        self.sox = shutil.which("sox")
        if self.sox is None:
            logger.warning("sox not found: espeak audio is used as espeak-ng writes it (22 kHz, not normalised)")

    def settings(self) -> dict[str, Any]:
        return {
            "voice": self.voice,
            "wpm": round(self.wpm * self.speed),
            "normalise": None if self.sox is None else {"rate": OUTPUT_SAMPLE_RATE, "peak_dbfs": PEAK_DBFS},
        }

    def synthesize(self, text: str, target: Path) -> list[tuple[int, float]]:
        try:
            samples, rate, words = espeak_lib.speak(text, self.voice, round(self.wpm * self.speed))
        except espeak_lib.EspeakLibraryError as exc:
            raise VoiceError(str(exc)) from None
        if samples.size == 0:
            raise VoiceError(f"espeak-ng said nothing for {text[:40]!r}")
        raw = _atomic_target(target.parent, ".raw.wav") if self.sox else target
        try:
            with wave.open(str(raw), "wb") as w:
                w.setnchannels(1)
                w.setsampwidth(2)
                w.setframerate(rate)
                w.writeframes(samples.tobytes())
            if self.sox:
                # Headroom first so resampling cannot clip, then peak-normalise. Neither moves
                # a word in time.
                cmd = [self.sox, str(raw), "-b", "16", str(target), "gain", "-6", "rate", str(OUTPUT_SAMPLE_RATE),
                       "gain", "-n", str(PEAK_DBFS)]
                done = subprocess.run(cmd, capture_output=True, timeout=120)
                if done.returncode != 0:
                    raise VoiceError(f"sox failed (status {done.returncode}): {done.stderr.decode('utf-8', 'replace').strip()}")
        finally:
            if raw != target:
                raw.unlink(missing_ok=True)
        return words


# --------------------------------------------------------------------------- choosing a voice

# name: (module, class, importable modules it needs, env keys it needs (any-of groups), defaults(lang))
_EXTERNAL: dict[str, tuple[str, str, tuple[str, ...], tuple[tuple[str, ...], ...]]] = {
    "gtts": ("manim_voiceover.services.gtts", "GTTSService", ("gtts",), ()),
    "azure": (
        "manim_voiceover.services.azure",
        "AzureService",
        ("azure.cognitiveservices.speech",),
        (("AZURE_SUBSCRIPTION_KEY",), ("AZURE_SERVICE_REGION",)),
    ),
    "elevenlabs": ("manim_voiceover.services.elevenlabs", "ElevenLabsService", ("elevenlabs",), (("ELEVEN_API_KEY",),)),
    "openai": ("manim_voiceover.services.openai", "OpenAIService", ("openai",), (("OPENAI_API_KEY",),)),
    "gemini": ("manim_voiceover.services.gemini", "GeminiService", ("google.genai",), (("GEMINI_API_KEY", "GOOGLE_API_KEY"),)),
    "recorder": ("manim_voiceover.services.recorder", "RecorderService", ("pyaudio", "pynput"), ()),
}
_EXTRA_NAME = {"gtts": "gtts", "azure": "azure", "elevenlabs": "elevenlabs", "openai": "openai", "gemini": "gemini", "recorder": "recorder"}


def _external_defaults(name: str, lang: str) -> dict[str, Any]:
    if name == "gtts":
        return {"lang": lang, "tld": "com.mx" if lang == "es" else "com"}
    if name == "azure":
        return {"voice": {"es": "es-MX-JorgeNeural", "en": "en-US-GuyNeural"}[lang]}
    if name == "elevenlabs":
        return {"model": "eleven_multilingual_v2", "transcription_model": None}
    if name in ("openai", "recorder"):
        return {"transcription_model": None}
    return {}


LOCAL_VOICES: dict[str, type[LocalSpeechService]] = {"estimate": EstimateService, "espeak": EspeakService}
# Voices defined outside this module (imported when chosen): name -> (module, class).
_PRODUCTION_VOICES = {"recorded": ("scenes.production.recorded_voice", "RecordedService"),
                      "piper": ("scenes.narration.piper_voice", "PiperService")}
VOICE_NAMES: tuple[str, ...] = tuple(LOCAL_VOICES) + tuple(_PRODUCTION_VOICES) + tuple(_EXTERNAL)


def voice_cache_dir() -> Path:
    """Where voices keep their audio: ``$LECTURE_VOICE_CACHE`` if set, else ``<media_dir>/voiceovers``.

    Point it at a lasting folder when renders use a scratch media dir, so that a paid or slow
    voice is not asked again for text it has already spoken.
    """
    env = os.environ.get(VOICE_CACHE_ENV, "").strip()
    return Path(env) if env else Path(config.media_dir) / CACHE_SUBDIR


def current_voice(voice: str | None = None) -> str:
    """The voice name: ``voice`` if given, else ``$LECTURE_VOICE``, else ``estimate``."""
    name = voice if voice is not None else os.environ.get(VOICE_ENV, "").strip() or DEFAULT_VOICE
    return name.strip()


def voice_options(options: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """Keyword arguments for the service: ``options`` if given, else ``$LECTURE_VOICE_OPTIONS`` (JSON)."""
    if options is not None:
        return dict(options)
    raw = os.environ.get(VOICE_OPTIONS_ENV, "").strip()
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise VoiceError(f"{VOICE_OPTIONS_ENV} must be a JSON object: {exc}") from None
    if not isinstance(value, dict):
        raise VoiceError(f"{VOICE_OPTIONS_ENV} must be a JSON object, got {type(value).__name__}")
    return value


def _require_modules(modules: tuple[str, ...], hint: str) -> None:
    missing = []
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise VoiceError(f"{hint} needs Python module(s) {', '.join(missing)}")


def make_speech_service(
    voice: str | None = None,
    lang: str | None = None,
    *,
    cache_dir: str | os.PathLike[str] | None = None,
    options: Mapping[str, Any] | None = None,
) -> SpeechService:
    """Build the speech service for ``voice`` (see :func:`current_voice`) in ``lang``."""
    name = current_voice(voice)
    lang = current_lang(lang)
    kwargs = voice_options(options)
    base = Path(cache_dir) if cache_dir is not None else voice_cache_dir()

    if name in LOCAL_VOICES:
        return LOCAL_VOICES[name](lang, cache_dir=base, **kwargs)

    if name in _PRODUCTION_VOICES:
        module_name, class_name = _PRODUCTION_VOICES[name]
        cls = getattr(importlib.import_module(module_name), class_name)
        return cls(lang, cache_dir=base, **kwargs)

    if name in _EXTERNAL:
        module_name, class_name, modules, env_groups = _EXTERNAL[name]
        missing_env = [" or ".join(group) for group in env_groups if not any(os.environ.get(k) for k in group)]
        if missing_env:
            raise VoiceError(f"voice {name!r} needs environment variable(s): {'; '.join(missing_env)}")
        _require_modules(modules, f'voice {name!r} (pip install "manim-voiceover[{_EXTRA_NAME[name]}]")')
        cls = getattr(importlib.import_module(module_name), class_name)
        service_kwargs = {**_external_defaults(name, lang), **kwargs}
        return cls(cache_dir=str(base / name), **service_kwargs)

    if ":" in name:
        module_name, _, class_name = name.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError) as exc:
            raise VoiceError(f"voice {name!r}: cannot load {class_name} from {module_name}: {exc}") from None
        if not (isinstance(cls, type) and issubclass(cls, SpeechService)):
            raise VoiceError(f"voice {name!r} is not a manim-voiceover SpeechService subclass")
        return cls(cache_dir=str(base / class_name.lower()), **kwargs)

    raise VoiceError(
        f"unknown voice {name!r} (from {'argument' if voice is not None else VOICE_ENV}); "
        f"choose one of {', '.join(VOICE_NAMES)} or package.module:ServiceClass"
    )
