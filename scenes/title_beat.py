"""A narrated segment's opening beat: its title card, numbered by its place in the lecture.

Lives beside the segment modules (not in the kit) because it reads the lecture's segment list
(:mod:`scenes.segments`); the kit draws the card from what it is given.
"""

from __future__ import annotations

from scenes.kit.text.titles import TitleCard


def play_title(scene, values: dict | None = None, fade: bool = False) -> TitleCard:
    """Speak a narrated segment's "title" beat over its title card (its number in the
    lecture, title and subtitle); returns the card, faded out first when ``fade``."""
    from manim import FadeOut

    from scenes.segments import segment_number

    card = TitleCard(segment_number(scene.segment_id), scene.text.title, scene.s("subtitle"),
                     lang=scene.lang)
    with scene.beat("title", values=values) as beat:
        scene.play(card.intro(run_time=min(2.0, beat.duration / 2)))
    if fade:
        scene.play(FadeOut(card), run_time=0.5)
    return card
