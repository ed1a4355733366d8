"""The kernel sliding at a steady pace for short silent clips, cheap to render.

``QuickSlider(board, input_grid, output_grid)`` is the clip's counterpart of
:class:`~scenes.kit.operation.slider.Slider`: no products lines, one kernel position per ``pace``
seconds. The footprint and the output marker are separate mobjects
that the scene adds after the grids (:attr:`QuickSlider.mobjects`), and each output cell is
filled by a small overlay (the cell's colour and its number) that appears when the kernel
arrives, as in the paper's animations; so a play moves only a few small mobjects and Manim
draws the grids once per play (a play holds an output row, at most 8 positions), and the
moves copy nothing (:class:`~scenes.kit.motion.moves.Slide`). :meth:`QuickSlider.commit`
finally writes the numbers into the output grid itself (same picture), so ``output_grid.shown_values()`` reads them back.

    qs = QuickSlider(board, stage.input, stage.output)
    scene.add(stage, *qs.mobjects)
    qs.play(scene, pace=0.5)          # every position, then commit()

Every number written is the storyboard's (convmath).
"""

from __future__ import annotations

from manim import Animation, AnimationGroup, Succession, VGroup, Wait, config

from .. import palette
from ..cells.grid import CellGrid, KernelFootprint
from ..motion.fade import fade_in
from ..motion.moves import slide_to
from .slider import check_grids

MOVE_SHARE = 0.3           # of each step's time, the slide to the next position


class QuickSlider:
    """Steps of ``board`` (a convmath Storyboard) over drawn grids, for silent clips.

    ``input_grid`` shows ``board.padded``; ``output_grid`` has the output's shape (drawn
    empty). ``tap_colors``: each tap of the footprint in its tap's colour (the kernel drawn by
    :func:`~scenes.kit.cells.legend.tap_kernel`, as
    :class:`~scenes.kit.operation.conv_stage.ConvStage` does, is the key).
    """

    def __init__(self, board, input_grid: CellGrid, output_grid: CellGrid, *,
                 tap_colors: bool = True):
        check_grids(board, input_grid, output_grid)
        self.board = board
        self.steps = list(board.steps)
        self.input_grid, self.output_grid = input_grid, output_grid
        first = self.steps[0]
        self.footprint = KernelFootprint(input_grid, board.spec.kernel, board.spec.dilation,
                                         window=first.window, weights=board.kernel_applied,
                                         tap_colors=tap_colors)
        # above the input's numbers: lighter than the slider's, so the digits stay readable
        base = palette.TAP_SHADE_OPACITY if tap_colors else palette.FOOTPRINT_OPACITY
        self.footprint.shades.set_fill(opacity=base * 0.7)
        self.marker = output_grid.window_rectangle(first.output, (1,) * output_grid.ndim,
                                                   color=palette.HIGHLIGHT, width=4)
        self.overlays: list[VGroup] = []     # filled output cells not yet committed

    @property
    def mobjects(self) -> list:
        """What the scene adds on top of the grids: the footprint and the output marker."""
        return [self.footprint, self.marker]

    def overlay(self, k: int) -> VGroup:
        """Output cell of step ``k`` filled: its colour and number, over the empty cell."""
        st = self.steps[k]
        cell = self.output_grid.cell(st.output)
        # fill only: the marker's outline, under it during this step's hold, stays visible
        square = cell.copy().set_fill(palette.OUTPUT, opacity=palette.FILL_OPACITY["output"])
        square.set_stroke(width=0)
        number = self.output_grid.make_number(st.output, st.total)
        group = VGroup(square, number)
        group.step = k
        group.number = number
        return group

    def _slide_to(self, k: int, run_time: float) -> Animation:
        """The footprint and the marker slide to step ``k`` (no copies of either)."""
        st = self.steps[k]
        return AnimationGroup(self.footprint.slide_to(st.window),
                              slide_to(self.marker, lambda: self.output_grid.cell_center(st.output)),
                              run_time=run_time)

    def step(self, k: int, pace: float, first: bool = False) -> Animation:
        """Step ``k`` as one animation of ``pace`` seconds: the slide to its position
        (none for the ``first``), its output cell filled, then a hold."""
        frame = 1.0 / config.frame_rate
        fill = self.overlay(k)
        self.overlays.append(fill)
        parts = []
        used = 0.0
        if not first:
            move = max(MOVE_SHARE * pace, frame)
            parts.append(self._slide_to(k, move))
            used += move
        parts.append(fade_in(fill, run_time=frame))
        used += frame
        parts.append(Wait(run_time=max(pace - used, frame)))
        return Succession(*parts)

    def play(self, scene, pace: float = 0.5, start: int = 0, stop: int | None = None,
             commit: bool = True, per_play: int | None = None) -> float:
        """Steps ``start:stop`` at ``pace`` seconds each; returns the seconds played.

        ``per_play`` steps go in one play (default: an output row, at most 8): Manim draws
        the still picture once per play, and within it only what moves. ``commit``:
        afterwards, move the numbers into the output grid."""
        stop = len(self.steps) if stop is None else stop
        if per_play is None:
            per_play = max(1, min(8, self.output_grid.shape[-1]))
        total = 0.0
        ks = list(range(start, stop))
        for j in range(0, len(ks), per_play):
            anim = Succession(*(self.step(k, pace, first=(k == start))
                                for k in ks[j:j + per_play]))
            scene.play(anim)
            total += anim.run_time
            # the footprint and marker back on top: the cells filled so far stay still
            scene.bring_to_front(*self.mobjects)
        if commit:
            self.commit(scene)
        return total

    def commit(self, scene) -> None:
        """Write the filled cells into the output grid and drop their overlays (the picture
        does not change)."""
        for fill in self.overlays:
            st = self.steps[fill.step]
            self.output_grid.cell(st.output).set_fill(palette.OUTPUT,
                                                      opacity=palette.FILL_OPACITY["output"])
            self.output_grid.set_number(st.output, st.total)
            scene.remove(fill)
        self.overlays = []

