"""An animation played by another one, ``inner``, that it builds or prepares itself."""

from __future__ import annotations

from manim import Animation


class Delegating(Animation):
    """Every step of the animation is ``self.inner``'s; a subclass sets ``inner`` (in its
    constructor or when the scene starts it) and adds what happens around it."""

    inner: Animation

    def begin(self) -> None:
        self.inner.begin()

    def interpolate(self, alpha: float) -> None:
        self.inner.interpolate(alpha)

    def update_mobjects(self, dt: float) -> None:
        self.inner.update_mobjects(dt)

    def finish(self) -> None:
        self.inner.finish()

    def clean_up_from_scene(self, scene) -> None:
        self.inner.clean_up_from_scene(scene)
