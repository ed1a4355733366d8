"""Anchors: a picture change appears when the voice says the word it is tied to."""

from __future__ import annotations

import json

import numpy as np
import pytest
from manim import FadeIn, Square, Text, Wait

from scenes.narration import segment_text
from scenes.narration.marks import (AnchorError, anchor_times, linear_word_times, parse_anchors,
                                    strip_anchors)
from scenes.narration.scene import NarratedScene

# --------------------------------------------------------------------------- text


def test_anchors_point_at_the_word_after_them():
    spoken, offsets = parse_anchors("El total es  <bookmark mark='t'/>  3, y <bookmark mark='b'/>1 antes.")
    assert spoken == "El total es 3, y 1 antes."
    assert spoken[offsets["t"]:].startswith("3,")
    assert spoken[offsets["b"]:].startswith("1 antes")
    assert strip_anchors("a <bookmark mark='x'/>b") == "a b"


@pytest.mark.parametrize("text, message", [
    ("al final <bookmark mark='x'/>", "not followed by a word"),
    ("<bookmark mark='x'/>uno <bookmark mark='x'/>dos", "used twice"),
    ("<bookmark mark=''/>uno", "needs a name"),
])
def test_bad_anchors_are_refused(text, message):
    with pytest.raises(AnchorError, match=message):
        parse_anchors(text)


def test_anchor_time_is_the_start_of_its_word():
    spoken, offsets = parse_anchors("uno <bookmark mark='a'/>dos tres")
    words = [(0, 0.0), (4, 0.7), (8, 1.3)]
    assert anchor_times(offsets, words, 2.0) == {"a": 0.7}
    # a word the voice did not report: the next one it did
    assert anchor_times(offsets, [(0, 0.0), (8, 1.3)], 2.0) == {"a": 1.3}
    assert anchor_times(offsets, [(0, 0.0)], 2.0) == {"a": 2.0}


def test_both_languages_anchor_the_same_things(tmp_path):
    beat = lambda text: {"title": "T", "strings": {}, "beats": [{"id": "b", "text": text}]}  # noqa: E731
    for lang, text in (("es", "Dos <bookmark mark='a'/>y <bookmark mark='b'/>tres."),
                       ("en", "Two <bookmark mark='b'/>and <bookmark mark='a'/>three.")):
        (tmp_path / lang).mkdir()
        (tmp_path / lang / "seg.json").write_text(json.dumps(beat(text)), encoding="utf-8")
    problems = segment_text.check_segment("seg", root=tmp_path)
    assert len(problems) == 1 and "same order" in problems[0]


# --------------------------------------------------------------------------- espeak's word times


@pytest.mark.parametrize("lang, text, anchor_word", [
    ("es", "Con un kernel impar, por ejemplo i cinco y k tres, el total es dos celdas.", "total"),
    ("en", "With an odd kernel, say i five and k three, the total is two cells.", "total"),
])
def test_espeak_says_the_anchored_word_when_it_reports_it(tmp_path, lang, text, anchor_word):
    """The time the espeak voice gives an anchor matches an independent measure: how long the
    espeak-ng program takes to say the words before it (``-z``: no final pause)."""
    import subprocess
    import wave

    from scenes.narration.voices import ESPEAK_VOICES, EspeakService, wav_duration

    service = EspeakService(lang, cache_dir=tmp_path)
    cut = text.index(anchor_word)
    anchored = text[:cut] + f"<bookmark mark='w'/>{text[cut:]}"
    data = service._wrap_generate_from_text(anchored)
    audio_seconds = wav_duration(tmp_path / data["final_audio"])
    spoken, offsets = parse_anchors(anchored)
    at = anchor_times(offsets, data["word_times"], audio_seconds)["w"]

    prefix_wav = tmp_path / "prefix.wav"
    subprocess.run(["espeak-ng", "-z", "-v", ESPEAK_VOICES[lang], "-s", "150", "-w", str(prefix_wav),
                    text[:cut].rstrip()], check=True, capture_output=True)
    with wave.open(str(prefix_wav)) as w:
        prefix_seconds = w.getnframes() / w.getframerate()
    assert at == pytest.approx(prefix_seconds, abs=0.3)

    # one start per word, in order, none past the end
    offsets_seen = [o for o, _ in data["word_times"]]
    assert offsets_seen == [m.start() for m in __import__("re").finditer(r"\S+", spoken)]
    times = [t for _, t in data["word_times"]]
    assert times == sorted(times) and times[-1] < audio_seconds
    # cached: the second call reads the word times from beside the audio
    again = service._wrap_generate_from_text(anchored)
    assert again["word_times"] == data["word_times"]
    assert list(tmp_path.glob("*.words.json"))


def test_estimate_voice_spreads_words_evenly():
    times = linear_word_times("ab cd", 5.0)
    assert times == [(0, 0.0), (3, 3.0)]


# --------------------------------------------------------------------------- in a scene


TWO_ANCHORS = [{"id": "b", "text": "Primero dibujamos la entrada, que mide <bookmark mark='i'/>cinco, "
                                   "y después la salida, que mide <bookmark mark='o'/>tres."}]


class OnTime(NarratedScene):
    segment_id = "probe"

    def construct(self):
        with self.beat("b") as beat:
            self.play(FadeIn(Square()), run_time=20)     # asks for far too long: cut at "cinco"
            beat.at("i", FadeIn(Text("5").shift(2 * 1.0 * np.array([-1, 0, 0]))))
            beat.at("o")
            self.add(Text("3").shift(np.array([2.0, 0, 0])))


class Late(NarratedScene):
    segment_id = "probe"

    def construct(self):
        with self.beat("b") as beat:
            self.play(Wait(run_time=4.5))              # a wait is not cut: "cinco" comes first
            beat.at("i", FadeIn(Square()))
            beat.at("o", FadeIn(Text("3")))


class Forgets(NarratedScene):
    segment_id = "probe"

    def construct(self):
        with self.beat("b") as beat:
            beat.at("i", FadeIn(Square()))


def test_marks_are_shown_when_spoken(probe_scene):
    scene = probe_scene(OnTime, TWO_ANCHORS)
    (beat,) = scene.spoken_beats
    marks = {m["name"]: m for m in beat["marks"]}
    assert set(marks) == {"i", "o"}
    for m in marks.values():
        assert 0 <= m["shown"] - m["spoken"] <= 1 / 15 + 1e-6
    # the word "cinco" is at its place in the text (estimate voice: even speech)
    spoken, offsets = parse_anchors(TWO_ANCHORS[0]["text"])
    from scenes.narration.voices import SPEAKING_RATE
    assert marks["i"]["spoken"] == pytest.approx(offsets["i"] / SPEAKING_RATE["es"], abs=0.01)
    assert "<bookmark" not in beat["text"]


def test_a_late_picture_is_seen_as_late(probe_scene):
    scene = probe_scene(Late, TWO_ANCHORS)
    marks = {m["name"]: m for m in scene.spoken_beats[0]["marks"]}
    assert marks["i"]["shown"] - marks["i"]["spoken"] > 0.3


def test_an_anchor_never_shown_stops_the_render(probe_scene):
    with pytest.raises(AnchorError, match="anchor\\(s\\) o never shown"):
        probe_scene(Forgets, TWO_ANCHORS)
