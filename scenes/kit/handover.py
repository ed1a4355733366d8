"""Handing the screen from one picture to the next at the word that names the new one.

Under the voice the screen is never empty for long: the old picture stays until just before the
anchored word, fades out in the last moments before it (evenly, so it is visible almost to
the end), and the new picture comes in on the word, quickly at first (``rush_from``). Fading
out at the start of a beat and waiting for the word would leave the viewer looking at
nothing while the narrator talks.
"""

from __future__ import annotations

from manim import linear, rush_from

from .clear import fade_out_all

LEAD = 0.35        # seconds the old picture takes to fade out, ending on the anchored word
ENTRANCE = 0.9     # seconds the new picture takes to come in


def hand_over(scene, beat, mark: str, *entrance, keep=(), lead: float = LEAD,
              run_time: float = ENTRANCE) -> None:
    """Fade out everything on ``scene`` (but ``keep``) so that the fade ends when the voice
    reaches ``mark``, then play ``entrance`` (the new picture) on that word."""
    scene.wait_until_time(beat.marks[mark] - lead)
    leaving = fade_out_all(scene, keep=keep)
    if leaving:
        scene.play(*leaving, run_time=lead, rate_func=linear)
    beat.at(mark, *entrance, run_time=run_time, rate_func=rush_from)


__all__ = ["ENTRANCE", "LEAD", "hand_over"]
