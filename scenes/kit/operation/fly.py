"""Numbers flying from one place into the cells of a grid (flattening, reshaping, carrying).

:class:`FlyNumbers` moves copies of source mobjects (a grid's numbers, matrix entries,
the total of a products line) onto cells of a :class:`~scenes.kit.cells.grid.CellGrid`; when it
finishes, the copies are gone and the grid itself shows the values (``grid.values`` and
``grid.shown_values()`` read them back), so nothing is left floating over the grid.
The sources stay where they are.
"""

from __future__ import annotations

from typing import Sequence

from manim import AnimationGroup, Mobject, Transform

from ..cells.grid import CellGrid


class FlyNumbers(AnimationGroup):
    """Copies of ``sources`` move (and reshape) onto ``grid``'s cells ``indices``, then the
    grid shows ``values`` there. One source, one index and one value per number.
    ``path_arc``: the copies travel on arcs of that angle (0: straight lines)."""

    def __init__(self, sources: Sequence[Mobject], grid: CellGrid, indices: Sequence,
                 values: Sequence, *, lag_ratio: float = 0.08, run_time: float = 1.5,
                 path_arc: float = 0.0, **kwargs):
        if not (len(sources) == len(indices) == len(values)):
            raise ValueError(f"{len(sources)} sources, {len(indices)} cells and "
                             f"{len(values)} values: they must match one to one")
        self.grid = grid
        self.indices = [tuple(i) if not isinstance(i, int) else (i,) for i in indices]
        self.values = list(values)
        self.copies = [s.copy() for s in sources]
        targets = [grid.make_number(idx, v) for idx, v in zip(self.indices, self.values)]
        anims = [Transform(c, t, path_arc=path_arc) for c, t in zip(self.copies, targets)]
        super().__init__(*anims, lag_ratio=lag_ratio, run_time=run_time, **kwargs)

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.mobject, *self.copies)
        for idx, v in zip(self.indices, self.values):
            self.grid.set_number(idx, v)
