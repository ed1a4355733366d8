"""The lecture's segments, in order: one module per post section."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    id: str        # also the narration text's file name and the output's name
    module: str    # scenes.<module>
    scene: str     # the scene class to render


SEGMENTS: list[Segment] = []
