"""espeak-ng through its C library: the speech and the time at which each word starts.

The ``espeak-ng`` program writes audio but says nothing about timing; its library reports a
word event (character position, sample number) as it synthesises, which is what anchors need
(:mod:`.marks`). Same engine, voice and settings as the program (``-v VOICE -s WPM``, UTF-8
text, the final pause kept), so the audio is the same.

The library keeps global state: one initialisation per process, calls serialised by a lock.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import re
import threading

import numpy as np

_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_ENDPAUSE = 0x1000
_RATE_PARAMETER = 1
_EVENT_LIST_TERMINATED = 0
_EVENT_WORD = 1


class _Event(ctypes.Structure):
    # espeak_EVENT of speak_lib.h
    _fields_ = [("type", ctypes.c_int), ("unique_identifier", ctypes.c_uint),
                ("text_position", ctypes.c_int), ("length", ctypes.c_int),
                ("audio_position", ctypes.c_int), ("sample", ctypes.c_int),
                ("user_data", ctypes.c_void_p), ("id", ctypes.c_char * 8)]


_Callback = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int,
                             ctypes.POINTER(_Event))


class EspeakLibraryError(RuntimeError):
    """The espeak-ng library is missing or refused the voice or the text."""


class _Engine:
    def __init__(self) -> None:
        name = ctypes.util.find_library("espeak-ng") or "libespeak-ng.so.1"
        try:
            self.lib = ctypes.CDLL(name)
        except OSError as exc:
            raise EspeakLibraryError(
                f"the espeak-ng library is missing ({exc}); Debian package libespeak-ng1") from None
        self.rate = int(self.lib.espeak_Initialize(_AUDIO_OUTPUT_SYNCHRONOUS, 0, None, 0))
        if self.rate <= 0:
            raise EspeakLibraryError("espeak-ng could not start (espeak_Initialize failed)")
        self._chunks: list[bytes] = []
        self._words: list[tuple[int, int]] = []
        self._callback = _Callback(self._receive)   # kept alive as long as the engine
        self.lib.espeak_SetSynthCallback(self._callback)

    def _receive(self, wav, count, events) -> int:
        if wav and count > 0:
            self._chunks.append(ctypes.string_at(wav, count * 2))
        i = 0
        while events[i].type != _EVENT_LIST_TERMINATED:
            if events[i].type == _EVENT_WORD:
                self._words.append((events[i].text_position, events[i].sample))
            i += 1
        return 0

    def speak(self, text: str, voice: str, wpm: int) -> tuple[np.ndarray, list[tuple[int, float]]]:
        if self.lib.espeak_SetVoiceByName(voice.encode()) != 0:
            raise EspeakLibraryError(f"espeak-ng has no voice {voice!r}")
        self.lib.espeak_SetParameter(_RATE_PARAMETER, int(wpm), 0)
        self._chunks, self._words = [], []
        data = text.encode("utf-8")
        status = self.lib.espeak_Synth(ctypes.c_char_p(data), len(data) + 1, 0, 0, 0,
                                       _CHARS_UTF8 | _ENDPAUSE, None, None)
        self.lib.espeak_Synchronize()
        if status != 0:
            raise EspeakLibraryError(f"espeak-ng failed to speak (status {status})")
        samples = np.frombuffer(b"".join(self._chunks), dtype=np.int16)
        return samples, _word_starts(text, self._words, self.rate)


def _word_starts(text: str, events: list[tuple[int, int]], rate: int) -> list[tuple[int, float]]:
    """Word events as ``(offset, seconds)``, one per word of ``text`` that espeak reported,
    ``offset`` being where the word starts in ``text`` (punctuation such as ``¿`` included).

    ``text_position`` counts characters from 1 and may point past leading punctuation. espeak
    ends a text with an extra word event at the end of the audio that points back into the
    text; only events that move forward are kept."""
    words = [(m.start(), m.end()) for m in re.finditer(r"[^ ]+", text)]
    out: list[tuple[int, float]] = []
    for pos, sample in events:
        offset = pos - 1
        start = next((a for a, b in words if a <= offset < b), None)
        if start is not None and (not out or start > out[-1][0]):
            out.append((start, sample / rate))
    return out


_engine: _Engine | None = None
_lock = threading.Lock()


def speak(text: str, voice: str, wpm: int) -> tuple[np.ndarray, int, list[tuple[int, float]]]:
    """``(samples, sample_rate, word_times)``: 16-bit mono speech and, per word, its
    character offset in ``text`` and the second it starts at."""
    global _engine
    with _lock:
        if _engine is None:
            _engine = _Engine()
        samples, words = _engine.speak(text, voice, wpm)
        return samples, _engine.rate, words


__all__ = ["EspeakLibraryError", "speak"]
