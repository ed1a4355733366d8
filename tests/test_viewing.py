"""The viewing checks: each one passes a scene that keeps its rule and fails one built to break
it (empty screen under the voice, text overlapping mid-transition, text in the subtitle band,
glyphs too small, faint text)."""

from __future__ import annotations

import numpy as np
import pytest
from manim import (DOWN, UP, FadeIn, FadeOut, ReplacementTransform, Square, Text)

from scenes.kit import palette
from scenes.narration.scene import NarratedScene
from scenes.narration.viewing import contrast_ratio, glyph_px

BEATS = [{"id": "one", "text": "Una entrada de cinco celdas y un kernel de tres: "
                                "la salida mide tres celdas en total."},
         {"id": "two", "text": "Ahora cambiamos el kernel y miramos la salida otra vez con calma."}]


def label(text: str, size: int = 36, color=palette.TEXT) -> Text:
    return Text(text, font=palette.FONT, font_size=size, color=color)


class Watchable(NarratedScene):
    """Keeps every rule: something on screen throughout, captions swapped by a transform."""
    segment_id = "probe"

    def construct(self):
        a = label("salida 3").shift(UP)
        with self.beat("one"):
            self.play(FadeIn(Square(color=palette.INPUT)), FadeIn(a))
        with self.beat("two"):
            self.play(ReplacementTransform(a, label("salida 4").shift(UP)))


class EmptyUnderVoice(NarratedScene):
    segment_id = "probe"

    def construct(self):
        sq = Square()
        with self.beat("one"):
            self.play(FadeIn(sq))
            self.play(FadeOut(sq))                 # the voice goes on over an empty screen
            self.wait(1.5)
            self.play(FadeIn(Square()))
        with self.beat("two"):
            self.wait(0.1)


class CrossFadedCaptions(NarratedScene):
    segment_id = "probe"

    def construct(self):
        a = label("la salida 2 lee 2, 3 y 4")
        with self.beat("one"):
            self.play(FadeIn(a))
        with self.beat("two"):
            self.play(FadeOut(a), FadeIn(label("la entrada 4 alimenta 2, 3 y 4")))


class InTheSubtitleBand(NarratedScene):
    segment_id = "probe"

    def construct(self):
        with self.beat("one"):
            self.play(FadeIn(Square()), FadeIn(label("un pie de imagen").to_edge(DOWN, buff=0.3)))
        with self.beat("two"):
            self.wait(0.1)


class TinyDigits(NarratedScene):
    segment_id = "probe"

    def construct(self):
        with self.beat("one"):
            self.play(FadeIn(Square()), FadeIn(label("w01", size=12).shift(UP)))
        with self.beat("two"):
            self.wait(0.1)


class GreyOnTeal(NarratedScene):
    segment_id = "probe"

    def construct(self):
        cell = Square(1.0).set_fill(palette.OUTPUT, opacity=0.9).set_stroke(width=0)
        with self.beat("one"):
            self.play(FadeIn(cell), FadeIn(label("7", color=palette.TEXT_DIM).move_to(cell)))
        with self.beat("two"):
            self.wait(0.1)


class VeiledByItsPanel(NarratedScene):
    """A panel's box faded in after its text lands on top of it."""
    segment_id = "probe"
    box_z_index = 0

    def construct(self):
        line = label("pesos = 54")
        box = Square(2.0).set_fill(palette.BACKGROUND, opacity=0.85).set_stroke(width=0)
        box.set_z_index(self.box_z_index)
        with self.beat("one"):
            self.play(FadeIn(line), FadeIn(box))
        with self.beat("two"):
            self.wait(0.1)


class BackdropBehindByZIndex(VeiledByItsPanel):
    """The same box, sent behind with a lower z-index: the camera draws it first."""
    box_z_index = -1


def test_a_watchable_scene_has_no_problems(probe_scene):
    scene = probe_scene(Watchable, BEATS)
    assert scene.viewing.problems() == []
    assert len(scene.viewing.frames) > 30


def test_an_empty_screen_under_the_voice_is_found(probe_scene):
    scene = probe_scene(EmptyUnderVoice, BEATS)
    runs = scene.viewing.blank_runs()
    assert len(runs) == 1
    start, end, under = runs[0]
    assert 1.5 <= under <= 3.0          # the wait, and the ends of the two fades
    assert "empty screen" in scene.viewing.problems()[0]


def test_two_captions_readable_at_once_are_found(probe_scene):
    problems = probe_scene(CrossFadedCaptions, BEATS).viewing.problems()
    assert any("mid-play" in p and "text overlap" in p for p in problems), problems


def test_text_in_the_subtitle_band_is_found(probe_scene):
    problems = probe_scene(InTheSubtitleBand, BEATS).viewing.problems()
    assert any("subtitle band" in p for p in problems), problems


def test_small_digits_are_found(probe_scene):
    problems = probe_scene(TinyDigits, BEATS).viewing.problems()
    assert any("w01" in p and "px high" in p for p in problems), problems


def test_grey_on_teal_is_found(probe_scene):
    problems = probe_scene(GreyOnTeal, BEATS).viewing.problems()
    assert any("contrast" in p for p in problems), problems


def test_a_text_veiled_by_a_box_drawn_over_it_is_found(probe_scene):
    problems = probe_scene(VeiledByItsPanel, BEATS).viewing.problems()
    assert any("contrast" in p and "drawn over it" in p for p in problems), problems
    behind = probe_scene(BackdropBehindByZIndex, BEATS).viewing.problems()
    assert not any("contrast" in p for p in behind), behind


def test_glyph_height_matches_the_drawn_digits():
    """24 px at 1080p: the measure agrees with the digits' own height."""
    t = Text("0123456789", font=palette.FONT, font_size=20)
    drawn_px = t.height * 1080 / 8
    assert glyph_px(t) == pytest.approx(drawn_px, rel=0.05)


def test_contrast_ratio_is_wcag():
    assert contrast_ratio(np.array([1.0, 1, 1]), np.array([0.0, 0, 0])) == pytest.approx(21.0)
    assert contrast_ratio(np.array([0.5, 0.5, 0.5]), np.array([0.5, 0.5, 0.5])) == pytest.approx(1.0)


def test_english_articles_and_plurals_follow_the_number():
    from scenes.kit.text.numfmt import counted, en_article

    said = {1: "a", 5: "a", 8: "an", 11: "an", 18: "an", 80: "an", 110: "a", 800: "an",
            1100: "a", 11_000: "an", 18_500: "an", 110_000: "a", 11_000_000: "an"}
    assert {n: en_article(n) for n in said} == said
    assert counted(1, "zero", "zeros") == "1 zero" and counted(3, "zero", "zeros") == "3 zeros"


def test_a_number_is_said_one_way_and_subtitled_as_on_screen():
    from scenes.narration.segment_text import Beat, SaidShown

    beat = Beat("b", "Son <bookmark mark='p'/>{n} parámetros.").format(
        n=SaidShown("529.984", "529\u00a0984"))
    assert "529.984" in beat.text and beat.caption == "Son 529\u00a0984 parámetros."
