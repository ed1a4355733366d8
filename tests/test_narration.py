"""Narration layer: text files, voices, the NarratedScene base and one tiny real render."""

from __future__ import annotations

import builtins
import json
import math
import shutil
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from scenes.narration.segment_text import (
    LANGUAGES,
    NarrationTextError,
    check_all,
    check_segment,
    current_lang,
    load_segment_text,
    segment_ids,
)
from scenes.narration.subtitles import cue_problems, make_cues, overrun, parse_srt


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("LECTURE_LANG", "LECTURE_VOICE", "LECTURE_VOICE_OPTIONS", "LECTURE_VOICE_CACHE"):
        monkeypatch.delenv(name, raising=False)


def write_text(root: Path, lang: str, segment_id: str, data: object) -> None:
    (root / lang).mkdir(parents=True, exist_ok=True)
    raw = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
    (root / lang / f"{segment_id}.json").write_text(raw, encoding="utf-8")


GOOD = {"title": "T", "strings": {"a": "A {n}"}, "beats": [{"id": "one", "text": "Uno."}, {"id": "two", "text": "Dos."}]}


# --------------------------------------------------------------------------- text files


def test_every_segment_has_consistent_text_in_every_language() -> None:
    assert "demo" in segment_ids()
    assert check_all() == []


def test_every_beat_can_be_subtitled_at_the_estimated_speed() -> None:
    from scenes.narration.voices import estimate_duration

    for sid in segment_ids():
        for lang in LANGUAGES:
            for beat in load_segment_text(sid, lang).beats:
                duration = estimate_duration(beat.text, lang)
                cues = make_cues(beat.caption, 0.0, duration, lang=lang)
                assert cue_problems(cues) == [], (sid, lang, beat.id)
                assert overrun(cues, 0.0, duration) == 0, (sid, lang, beat.id)


def test_demo_text_loads_in_both_languages() -> None:
    es = load_segment_text("demo", "es")
    en = load_segment_text("demo", "en")
    assert es.beat_ids == en.beat_ids == ("intro", "size")
    assert es.string("input") == "entrada" and en.string("input") == "input"
    assert es.string("size", n=3) == "tamaño 3"
    assert "¿Cuánto mide la salida?" in es.beat("size").caption
    with pytest.raises(NarrationTextError, match="no on-screen string 'nope'"):
        es.string("nope")
    with pytest.raises(NarrationTextError, match="no beat 'nope'"):
        es.beat("nope")
    with pytest.raises(NarrationTextError, match="needs field"):
        es.string("size", m=1)


def test_language_comes_from_lecture_lang_not_lang(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert current_lang() == "es"
    assert load_segment_text("demo").lang == "es"
    monkeypatch.setenv("LECTURE_LANG", "en")
    assert current_lang() == "en" and load_segment_text("demo").title == "Narration demo"
    assert current_lang("es") == "es"
    monkeypatch.setenv("LECTURE_LANG", "fr")
    with pytest.raises(NarrationTextError, match="unknown lecture language 'fr'"):
        current_lang()


@pytest.mark.parametrize(
    "data,message",
    [
        ("{not json", "not valid JSON"),
        ([], "JSON object"),
        ({"strings": {}, "beats": [{"id": "a", "text": "x"}]}, "missing key"),
        ({**GOOD, "extra": 1}, "unknown key"),
        ({**GOOD, "title": " "}, "'title'"),
        ({**GOOD, "strings": {"a": 3}}, "must be a string"),
        ({**GOOD, "beats": []}, "non-empty list"),
        ({**GOOD, "beats": [{"id": "a", "text": "x"}, {"id": "a", "text": "y"}]}, "used twice"),
        ({**GOOD, "beats": [{"id": "A b", "text": "x"}]}, "lower-case"),
        ({**GOOD, "beats": [{"id": "a", "text": ""}]}, "non-empty 'text'"),
        ({**GOOD, "beats": [{"id": "a", "text": "x", "speaker": "me"}]}, "unknown key"),
    ],
)
def test_loader_rejects_bad_files(tmp_path: Path, data: object, message: str) -> None:
    write_text(tmp_path, "es", "seg", data)
    with pytest.raises(NarrationTextError, match=message) as err:
        load_segment_text("seg", "es", root=tmp_path)
    assert isinstance(err.value, ValueError)
    assert "es/seg.json" in str(err.value)


def test_missing_file_and_cross_language_checks(tmp_path: Path) -> None:
    write_text(tmp_path, "es", "seg", GOOD)
    with pytest.raises(NarrationTextError, match="no narration text for segment 'seg' in language 'en'"):
        load_segment_text("seg", "en", root=tmp_path)
    assert any("'en'" in p for p in check_segment("seg", tmp_path))

    other = {**GOOD, "strings": {"a": "A {m}", "b": "B"}, "beats": [{"id": "two", "text": "Two."}, {"id": "one", "text": "One."}]}
    write_text(tmp_path, "en", "seg", other)
    problems = "\n".join(check_all(tmp_path))
    assert "beat ids differ" in problems
    assert "string keys differ" in problems
    assert "has fields ['n'] in es but ['m'] in en" in problems

    write_text(tmp_path, "en", "seg", GOOD)
    assert check_all(tmp_path) == []


# --------------------------------------------------------------------------- voices


def read_audio(path: Path) -> tuple[np.ndarray, int, float]:
    """Samples (float, mono), sample rate and duration, read back with PyAV."""
    import av

    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        rate = stream.codec_context.sample_rate
        chunks = [frame.to_ndarray().astype(np.float64).reshape(-1) for frame in container.decode(stream)]
    samples = np.concatenate(chunks) / 32768.0
    return samples, rate, len(samples) / rate


def test_estimate_voice_writes_silence_of_the_estimated_length(tmp_path: Path) -> None:
    from manim_voiceover.modify_audio import get_duration

    from scenes.narration.voices import EstimateService, estimate_duration, make_speech_service

    service = make_speech_service("estimate", "es", cache_dir=tmp_path)
    assert isinstance(service, EstimateService)
    text = "¿Cuánto mide la salida? Cinco menos tres, más uno: 3."
    data = service._wrap_generate_from_text(text)
    path = tmp_path / data["final_audio"]
    assert path.suffix == ".wav" and path.read_bytes()[:4] == b"RIFF" and path.read_bytes()[8:12] == b"WAVE"
    samples, rate, seconds = read_audio(path)
    assert seconds == pytest.approx(estimate_duration(text, "es"), abs=1e-3)
    assert seconds == pytest.approx(len(text) / 13.6 + 0.45, abs=1e-2)
    assert get_duration(path) == pytest.approx(seconds, abs=1e-3)  # what manim-voiceover's tracker reads
    assert not samples.any()

    # Cached by a hash of the text: the same text reuses the file, another text gets another one.
    mtime = path.stat().st_mtime_ns
    assert service._wrap_generate_from_text(text)["final_audio"] == data["final_audio"]
    assert path.stat().st_mtime_ns == mtime
    assert make_speech_service("estimate", "en", cache_dir=tmp_path)._wrap_generate_from_text(text)["final_audio"] != data["final_audio"]
    assert not (tmp_path / "cache.json").exists()


@pytest.mark.skipif(shutil.which("espeak-ng") is None, reason="espeak-ng is not installed (make setup installs it)")
@pytest.mark.parametrize(
    "lang,text",
    [
        ("es", "¿Qué pasa si agregamos relleno? Cada borde gana una fila de ceros."),
        ("en", "What happens if we add padding? Each border gains a row of zeros."),
    ],
)
def test_espeak_voice_speaks(tmp_path: Path, lang: str, text: str) -> None:
    from scenes.narration.voices import EspeakService, estimate_duration, make_speech_service

    service = make_speech_service("espeak", lang, cache_dir=tmp_path)
    assert isinstance(service, EspeakService)
    data = service._wrap_generate_from_text(text)
    path = tmp_path / data["final_audio"]
    assert path.suffix == ".wav" and path.read_bytes()[:4] == b"RIFF"
    samples, rate, seconds = read_audio(path)
    rms_db = 20 * math.log10(float(np.sqrt(np.mean(samples**2))))
    peak_db = 20 * math.log10(float(np.abs(samples).max()))
    assert rms_db > -35, "espeak output is (nearly) silent"
    assert peak_db < -0.5, "espeak output clips or is not normalised"
    # The estimate voice is a fair stand-in for espeak's timing.
    assert seconds == pytest.approx(estimate_duration(text, lang), rel=0.25)
    if shutil.which("sox"):
        assert rate == 48_000


def test_voice_is_chosen_by_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scenes.narration.voices import EstimateService, VoiceError, current_voice, make_speech_service

    assert current_voice() == "estimate"
    monkeypatch.setenv("LECTURE_VOICE", "estimate")
    monkeypatch.setenv("LECTURE_VOICE_OPTIONS", '{"rate": 10.0}')
    monkeypatch.setenv("LECTURE_VOICE_CACHE", str(tmp_path / "kept"))
    service = make_speech_service()
    assert isinstance(service, EstimateService) and service.rate == 10.0
    assert Path(service.cache_dir) == tmp_path / "kept"
    monkeypatch.setenv("LECTURE_VOICE_OPTIONS", "[1]")
    with pytest.raises(VoiceError, match="JSON object"):
        make_speech_service(cache_dir=tmp_path)
    monkeypatch.delenv("LECTURE_VOICE_OPTIONS")
    monkeypatch.setenv("LECTURE_VOICE", "robot")
    with pytest.raises(VoiceError, match="unknown voice 'robot'"):
        make_speech_service(cache_dir=tmp_path)


def test_paid_voices_need_keys_from_the_environment_and_never_prompt(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from scenes.narration.voices import VoiceError, make_speech_service

    def no_prompt(*args: object) -> str:
        raise AssertionError("a voice asked for input on the terminal")

    monkeypatch.setattr(builtins, "input", no_prompt)
    for name in ("AZURE_SUBSCRIPTION_KEY", "AZURE_SERVICE_REGION", "ELEVEN_API_KEY"):
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(VoiceError, match="AZURE_SUBSCRIPTION_KEY"):
        make_speech_service("azure", "es", cache_dir=tmp_path)
    with pytest.raises(VoiceError, match="ELEVEN_API_KEY"):
        make_speech_service("elevenlabs", "en", cache_dir=tmp_path)
    try:
        import gtts  # noqa: F401
    except ImportError:
        with pytest.raises(VoiceError, match=r"manim-voiceover\[gtts\]"):
            make_speech_service("gtts", "es", cache_dir=tmp_path)


# --------------------------------------------------------------------------- scene helpers


def test_beat_split_shares_the_remaining_voice() -> None:
    from scenes.narration.scene import BeatTiming
    from scenes.narration.segment_text import Beat

    scene = SimpleNamespace(time=2.0)
    beat = BeatTiming(scene, Beat("b", "x"), SimpleNamespace(start_t=1.0, duration=7.0), [])  # type: ignore[arg-type]
    assert beat.remaining == pytest.approx(6.0) and beat.elapsed == pytest.approx(1.0)
    assert beat.split(1, 2) == pytest.approx([2.0, 4.0])
    assert beat.split(1, 1, leave=2.0) == pytest.approx([2.0, 2.0])
    scene.time = 7.9
    assert beat.split(1, 1) == pytest.approx([0.5, 0.5])  # voice nearly over: minimum run time
    with pytest.raises(ValueError):
        beat.split()


@pytest.mark.parametrize("fps", [15, 30, 60])
def test_waits_are_whole_frames_never_short(fps: int) -> None:
    from scenes.narration.scene import _duration_for_frames

    for frames in range(1, 400):
        d = _duration_for_frames(frames, fps)
        static = int(d / (1 / fps))  # how Manim renders a static wait
        moving = len(np.arange(0, d, 1 / fps))  # ... and a wait with updaters
        assert static == frames and frames <= moving <= frames + 1


def test_scene_needs_a_segment_id() -> None:
    from scenes.narration.scene import NarratedScene

    with pytest.raises(TypeError, match="segment_id"):
        NarratedScene()


# --------------------------------------------------------------------------- one real render


@pytest.mark.render
def test_tiny_render_has_video_audio_sections_and_subtitles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import av
    from manim import tempconfig

    from scenes.narration.demo import NarrationDemo
    from scenes.narration.voices import estimate_duration

    monkeypatch.setenv("LECTURE_VOICE", "estimate")
    settings = {
        "quality": "low_quality",
        "media_dir": str(tmp_path),
        "disable_caching": True,
        "progress_bar": "none",
        "verbosity": "ERROR",
    }
    with tempconfig(settings):
        scene = NarrationDemo(lang="es")
        scene.render()
        fps = scene.camera.frame_rate
        # (each beat also opens a section for what plays before the next; here nothing does)
        sections = [s.name for s in scene.renderer.file_writer.sections if not s.is_empty()]

    assert sections == ["intro", "size"]
    assert scene.unspoken_beats() == []
    videos = list(tmp_path.rglob("NarrationDemo.mp4"))
    assert len(videos) == 1
    video = videos[0]
    expected = sum(estimate_duration(b.text, "es") for b in scene.text.beats)

    with av.open(str(video)) as container:
        (v,) = container.streams.video
        (a,) = container.streams.audio
        assert v.codec_context.name == "h264"
        assert a.codec_context.name in ("aac", "mp3", "opus")
        video_seconds = float(v.duration * v.time_base)
        audio_seconds = float(a.duration * a.time_base)
    # Each beat ends on the first whole frame after its voice: at most one frame per beat later.
    assert expected - 1e-6 <= video_seconds <= expected + 2 / fps + 1e-6
    assert audio_seconds == pytest.approx(expected, abs=0.1)

    srt = video.with_suffix(".srt")
    cues = parse_srt(srt.read_text(encoding="utf-8"))
    assert cue_problems(cues) == []
    assert len(cues) == len(scene.subtitle_cues) >= 4
    spoken = " ".join(b.caption for b in scene.text.beats).split()
    assert " ".join(" ".join(c.lines) for c in cues).split() == spoken
    assert cues[0].start == pytest.approx(0.0, abs=1e-3)
    assert cues[-1].end <= video_seconds + 1e-3


def test_bookmarks_are_timed_and_kept_out_of_speech_and_subtitles(tmp_path: Path) -> None:
    from manim_voiceover import VoiceoverTracker

    from scenes.narration.segment_text import Beat
    from scenes.narration.voices import SPEAKING_RATE, make_speech_service

    text = "Primero la entrada, <bookmark mark='k'/>después el núcleo."
    beat = Beat("b", text)
    assert beat.caption == "Primero la entrada, después el núcleo."
    service = make_speech_service("estimate", "es", cache_dir=tmp_path)
    data = service._wrap_generate_from_text(text)
    assert data["input_data"]["input_text"] == beat.caption  # what is said has no tag
    scene = SimpleNamespace(renderer=SimpleNamespace(time=4.0))
    tracker = VoiceoverTracker(scene, data, tmp_path)  # type: ignore[arg-type]
    offset = len("Primero la entrada, ")
    assert tracker.bookmark_times["k"] == pytest.approx(4.0 + offset / SPEAKING_RATE["es"], abs=0.01)
