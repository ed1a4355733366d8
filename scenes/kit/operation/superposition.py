"""A transposed convolution by superposition: every input cell stamps the scaled kernel.

``StampView(sup)`` draws a convmath Superposition (``convmath.superposition(spec, x, w)``):
the input, the kernel and the canvas where the stamps land (the uncropped result,
(i−1)s + d(k−1) + 1 cells per axis), each labelled. Stamps come as animations:

- :meth:`StampView.play_detailed`: the input cell is marked, a copy of the kernel moves
  beside it, each weight becomes the product "v·w", then the product, and the products
  land on the canvas, whose cells show the running sums (``show_sum``: the sum at one cell
  where this stamp overlaps an earlier one is written out, "4 + 6 = 10");
- :meth:`StampView.fast_stamp`: the marker and the footprint jump, the sums update;
- :meth:`StampView.play`: stamps ``start:stop`` over a time budget (the first ``detailed``
  in full, the rest fast, grouped when there are many).

Play each animation in its own ``scene.play``, built just before (``play`` and
``play_detailed`` do): a canvas cell changes several times and each change needs the
previous play cleaned up; :meth:`StampView.intro_parts` and the ``at`` of
:meth:`StampView.play_detailed` let a narration show each part when it names it.
:meth:`StampView.crop` marks what the transposed convolution's padding cuts from the canvas
(and the zeros output_padding adds): the rest is the output. :func:`overlap_grid` draws
``convmath.overlap_map`` as a grid of counts shaded by count. Every number drawn is convmath's; readback: ``canvas.shown_values()``,
:meth:`StampView.output_values`, :attr:`StampView.stamp_grids`, :attr:`StampView.sum_lines`.
"""

from __future__ import annotations

import numpy as np
from manim import (DOWN, RIGHT, UP, Animation, AnimationGroup, FadeIn, FadeOut,
                   ReplacementTransform, Restore, Succession, Text, VGroup, Wait)

from .. import palette
from ..cells.grid import TEXT_CACHE, CellGrid, KernelFootprint, _late
from ..layout import frame_box
from ..motion.fade import fade_in
from ..motion.moves import SharedData, shared_property
from ..text.tex import check_lang, math_tex, value_latex, value_text
from ..text.words import size_text, word
from .slider import plan_budget

LABEL_ROOM = 0.55            # height a grid label takes above its cells
CANVAS_WORD = {"es": "Lienzo", "en": "Canvas"}
DIM_OPACITY = 0.25           # numbers of cells cropped away
COUNT_SHADE = 0.55           # extra fill opacity of the most-stamped cell of an overlap map


def _timed(anim: Animation, run_time: float) -> Animation:
    anim.run_time = run_time
    return anim


class _Renumber(AnimationGroup):
    """``old`` (on screen) becomes ``new``, a grid with the same cells: the old numbers fade
    out, then the new ones fade in; afterwards the scene holds ``new`` as one mobject."""

    def __init__(self, old: CellGrid, new: CellGrid, run_time: float):
        super().__init__(ReplacementTransform(old.cells, new.cells),
                         Succession(FadeOut(old.numbers, run_time=0.4),
                                    _late(FadeIn(new.numbers, run_time=0.6))),
                         run_time=run_time)
        self.old, self.new = old, new

    def clean_up_from_scene(self, scene) -> None:
        super().clean_up_from_scene(scene)
        scene.remove(self.old, self.new.cells, self.new.numbers)
        scene.add(self.new)


class StampView(VGroup):
    """Input, kernel and output canvas of ``sup`` (a convmath Superposition), labelled.

    ``words``: on-screen words ({"input": ..., "kernel": ..., "canvas": ...}); default the
    kit's. ``region``: (left, bottom, right, top) to fit in; ``sum_room``: height kept free
    under the canvas for a sum line and the output's label. 1D and 2D.
    Parts: :attr:`input`, :attr:`kernel`, :attr:`canvas`, :attr:`marker` (the stamping
    input cell), :attr:`footprint` (where its stamp lands, inside the canvas).
    """

    # convmath data and bookkeeping: shared with the view's copies, not copied by animations
    sup = shared_property("sup")
    spec = shared_property("spec")
    sums = shared_property("sums")
    done = shared_property("done")
    stamp_grids = shared_property("stamp_grids")
    sum_lines = shared_property("sum_lines")
    plan = shared_property("plan")

    def __init__(self, sup, *, lang=None, words: dict | None = None, region=None,
                 max_cell: float = palette.CELL_SIZE, gap: float = 0.9, sum_room: float = 0.75,
                 **kwargs):
        super().__init__(**kwargs)
        self._data = SharedData()
        sp = sup.spec
        if sp.ndim not in (1, 2):
            raise ValueError(f"StampView draws 1D or 2D transposed convolutions, not {sp.ndim}D")
        self.sup = sup
        self.spec = sp
        self.ndim = sp.ndim
        self.lang = check_lang(lang)
        words = dict(words or {})
        self.words = words
        l, b, r, t = region if region is not None else tuple(float(v) for v in frame_box(
            palette.FRAME_MARGIN))
        self.region = (l, b, r, t)
        width, height = r - l, t - b

        # the canvas, plus any cells output_padding adds after it (dashed: zeros)
        self.crop_before = tuple(bb for bb, _ in sup.crop)
        self.board_shape = tuple(max(c, bb + o) for c, bb, o in
                                 zip(sup.canvas_shape, self.crop_before, sp.output))
        kinds = np.full(self.board_shape, "empty", dtype=object)
        for idx in np.ndindex(*self.board_shape):
            if any(i >= c for i, c in zip(idx, sup.canvas_shape)):
                kinds[idx] = "padding"
        self.cropped_anything = any(bb or a for bb, a in sup.crop)

        def label(role, shape):
            return f"{words.get(role) or word(role, lang)} {size_text(shape)}"

        xs, ks, bs = sp.input, sp.kernel, self.board_shape
        if self.ndim == 2:
            left_cols, left_rows = max(xs[1], ks[1]), xs[0] + ks[0]
            cell = min(max_cell, (width - 2 * gap) / (left_cols + ks[1] + bs[1]),
                       (height - LABEL_ROOM - sum_room) / bs[0],
                       (height - 2 * LABEL_ROOM - 0.4) / left_rows)
        else:
            # input, kernel and the stamp's slot in a row; the canvas under them
            cell = min(max_cell, (width - 2 * gap) / (xs[0] + 2 * ks[0]), width / bs[0],
                       (height - 2 * LABEL_ROOM - 0.35 - sum_room) / 2)
        self.cell_size = cell
        self.input = CellGrid(sup.x, role="input", cell_size=cell,
                              label=label("input", xs), lang=lang)
        self.kernel = CellGrid(sup.kernel, role="kernel", cell_size=cell,
                               label=label("kernel", ks), lang=lang)
        canvas_word = words.get("canvas") or (CANVAS_WORD[self.lang] if self.cropped_anything
                                              else word("output", lang))
        self.canvas = CellGrid(shape=bs, cell_kind=kinds, role="output", cell_size=cell,
                               label=f"{canvas_word} {size_text(sup.canvas_shape)}", lang=lang)
        self._layout(gap, sum_room)

        first = sup.stamps[0]
        self.marker = self.input.window_rectangle(first.input, (1,) * self.ndim,
                                                  color=palette.HIGHLIGHT, width=4)
        self.footprint = KernelFootprint(self.canvas, sp.kernel, sp.dilation,
                                         window=self.stamp_window(0))
        self.canvas.overlays.add(self.footprint)
        self.add(self.input, self.kernel, self.canvas, self.marker)

        self.sums: dict[tuple, object] = {}        # canvas cell -> value shown (running sum)
        self.done = 0                                # stamps placed so far
        self.stamp_grids: list[CellGrid] = []        # detailed stamps' products grids
        self.sum_lines: list[dict] = []              # sums written out
        self.output_label = None
        self.crop_rect = None

    # --- layout ---------------------------------------------------------------------------------
    def _layout(self, gap: float, sum_room: float):
        l, b, r, t = self.region
        cell = self.cell_size
        slot_w = self.spec.kernel[-1] * cell
        if self.ndim == 2:
            left = VGroup(self.input, self.kernel).arrange(DOWN, buff=0.4)
            total = left.width + gap + slot_w + gap + self.canvas.width
            x0 = (l + r) / 2 - total / 2
            left.move_to(np.array([x0 + left.width / 2, (b + sum_room + t) / 2, 0.0]))
            slot_x = x0 + left.width + gap + slot_w / 2
            self.slot = np.array([slot_x, self.kernel.cells.get_center()[1], 0.0])
            canvas_x = x0 + left.width + gap + slot_w + gap + self.canvas.width / 2
            cy = (b + sum_room + t) / 2
            self.canvas.move_to(np.array([canvas_x, cy, 0.0]))
            # keep the whole view inside the region
            if left.get_top()[1] > t:
                left.shift(np.array([0.0, t - left.get_top()[1], 0.0]))
                self.slot[1] = self.kernel.cells.get_center()[1]
        else:
            top = VGroup(self.input, self.kernel).arrange(RIGHT, buff=gap, aligned_edge=DOWN)
            top.shift(np.array([-(gap + slot_w) / 2, 0.0, 0.0]))     # room for the slot
            self.canvas.next_to(top, DOWN, buff=0.35)
            self.canvas.set_x(0.0)
            rows = VGroup(top, self.canvas)
            rows.shift(np.array([(l + r) / 2, (b + sum_room + t) / 2 - rows.get_center()[1],
                                 0.0]))
            self.slot = np.array([self.kernel.cells.get_right()[0] + gap + slot_w / 2,
                                  self.kernel.cells.get_center()[1], 0.0])

    # --- facts ----------------------------------------------------------------------------------
    def stamp_window(self, k: int) -> tuple[int, ...]:
        """The canvas cell under stamp ``k``'s first kernel tap."""
        return tuple(self.sup.stamps[k].cells[0][1])

    def sums_after(self, k: int) -> dict[tuple, object]:
        """Canvas values once stamps 0..k-1 are placed (convmath's products, added)."""
        sums: dict[tuple, object] = {}
        for st in self.sup.stamps[:k]:
            for _, c, prod_, _ in st.cells:
                sums[c] = sums.get(c, 0) + prod_
        return sums

    def output_region(self) -> tuple[slice, ...]:
        return tuple(slice(bb, bb + o) for bb, o in zip(self.crop_before, self.spec.output))

    def output_values(self) -> np.ndarray:
        """The values the canvas shows inside the output region (after :meth:`crop`)."""
        return self.canvas.shown_values()[self.output_region()]

    # --- animations -----------------------------------------------------------------------------
    def intro(self, run_time: float = 1.5) -> Animation:
        """Input, kernel and canvas fade in; the marker and footprint sit on the first stamp."""
        self.footprint.save_state()
        self.footprint.set_opacity(0)
        anims = [fade_in(self.input), fade_in(self.kernel), fade_in(self.canvas),
                 fade_in(self.marker), Restore(self.footprint)]
        for a in anims:
            a.introducer = False
        return AnimationGroup(*anims, lag_ratio=0.2, run_time=run_time, group=self)

    def intro_parts(self) -> dict[str, Animation]:
        """:meth:`intro` in three animations, for a narration that names each part:
        ``"input"`` (with the marker on the first stamp's cell), ``"kernel"`` and
        ``"canvas"`` (with the footprint on the first stamp's window)."""
        self.footprint.save_state()
        self.footprint.set_opacity(0)
        return {"input": AnimationGroup(fade_in(self.input), fade_in(self.marker)),
                "kernel": fade_in(self.kernel),
                "canvas": AnimationGroup(fade_in(self.canvas), Restore(self.footprint))}

    def outro(self, run_time: float = 0.6) -> Animation:
        """The marker and the footprint fade (they stay, invisible)."""
        return AnimationGroup(self.footprint.animate.set_opacity(0),
                              self.marker.animate.set_stroke(opacity=0), group=self,
                              run_time=run_time)

    def _move(self, k: int, run_time: float) -> Animation:
        st = self.sup.stamps[k]
        return AnimationGroup(self.marker.animate.move_to(self.input.cell_center(st.input)),
                              self.footprint.animate.move_to_window(self.stamp_window(k)),
                              group=self, run_time=run_time)

    def _place(self, k: int, run_time: float) -> Animation:
        """The footprint moves to stamp ``k``'s window on the canvas."""
        return AnimationGroup(self.footprint.animate.move_to_window(self.stamp_window(k)),
                              group=self, run_time=run_time)

    def _stamp_grid(self, values) -> CellGrid:
        g = CellGrid(values, role="kernel", cell_size=self.cell_size)
        g.move_to(self.slot)
        return g

    def _stamp_label(self, value) -> VGroup:
        size = palette.LABEL_SIZE
        v = Text(value_text(value), font=palette.FONT, font_size=size, color=palette.INPUT_TEXT)
        times = Text("×", font=palette.FONT, font_size=size, color=palette.TEXT)
        kern = Text(self.words.get("kernel") or word("kernel", self.lang), font=palette.FONT,
                    font_size=size, color=palette.KERNEL)
        lab = VGroup(v, times, kern).arrange(RIGHT, buff=0.12)
        lab.value = value
        return lab

    def play_detailed(self, scene, k: int, run_time: float = 6.0, show_sum: bool = False,
                      at: dict | None = None) -> float:
        """Play stamp ``k`` in full on ``scene`` (see :meth:`detailed_steps`); returns the
        seconds played. ``at``: {step name: function called right before that step}, e.g.
        ``{"mark": lambda: beat.at("value")}`` to wait for a word of the narration; with
        ``at`` the narration paces the stamp, and the steps' holds are left out."""
        total = 0.0
        for name, step in self.detailed_steps(k, run_time, show_sum):
            if at is not None and isinstance(step, Wait):
                continue
            if at and name in at:
                at[name]()
            anim = step() if callable(step) and not isinstance(step, Animation) else step
            scene.play(anim)
            total += anim.run_time
        return total

    def detailed_stamp(self, k: int, run_time: float = 6.0, show_sum: bool = False) -> list:
        """The steps of :meth:`detailed_steps` without their names."""
        return [step for _, step in self.detailed_steps(k, run_time, show_sum)]

    def detailed_steps(self, k: int, run_time: float = 6.0, show_sum: bool = False) -> list:
        """Stamp ``k`` in full, as named steps to play one after another (one play each; a
        step that is a function builds its animation when called, right before its play):
        ``"mark"`` the marker moves to the input cell and a copy of the kernel comes beside
        it with "v × Kernel", ``"place"`` the footprint moves to the stamp's window on the
        canvas, ``"factors"`` each weight becomes "v·w", ``"products"`` then the product,
        ``"sum"`` (with ``show_sum``) the sum at a cell where this stamp lands on earlier
        ones is written out, ``"land"`` the products land on the canvas (cells show the
        running sums), ``"clear"`` the copy goes; ``"hold"`` steps are short waits. Run
        times add up to ``run_time``. :meth:`play_detailed` plays them."""
        st = self.sup.stamps[k]
        stamp_k = self._stamp_grid(self.sup.kernel)
        stamp_f = self._stamp_grid(self.sup.kernel)
        # the same structure as stamp_k, its numbers written as products "v·w"
        factors = []
        for t, _, _, _ in st.cells:
            num = stamp_f.number(t)
            txt = f"{value_text(st.value)}·{value_text(self.sup.kernel[t])}"
            f = TEXT_CACHE.get(txt, stamp_f.font_size, palette.TEXT_ON_CELL)
            f.scale_to_fit_height(num.height)
            if f.width > 0.86 * stamp_f.step:
                f.scale_to_fit_width(0.86 * stamp_f.step)
            f.move_to(stamp_f.cell_center(t))
            factors.append(f)
        stamp_f.numbers.submobjects = factors
        products = np.empty(self.sup.kernel.shape, dtype=object)
        for t, _, prod_, _ in st.cells:
            products[t] = prod_
        stamp_p = self._stamp_grid(products)
        stamp_p.stamp = k
        self.stamp_grids.append(stamp_p)
        label = self._stamp_label(st.value).next_to(stamp_p.cells, UP, buff=0.2)
        value_mob, rest = label[0], VGroup(*label[1:])
        after = self.sums_after(k + 1)

        R = run_time
        line = rect = None
        if show_sum:
            line, rect = self._sum_line(k)
        has_sum = line is not None
        # (the marker belongs to the view; the copy is new: two groups). The copy and its
        # label appear beside the kernel rather than flying over the grids, so no digit
        # passes over another; the marker shows which input it is.
        out = [("mark", AnimationGroup(
            AnimationGroup(self.marker.animate.move_to(self.input.cell_center(st.input)),
                           group=self),
            AnimationGroup(FadeIn(stamp_k, shift=0.4 * RIGHT),
                           FadeIn(VGroup(value_mob, rest), shift=0.1 * DOWN)),
            run_time=0.2 * R))]
        if k > 0 or tuple(self.footprint.window) != self.stamp_window(k):
            out.append(("place", self._place(k, 0.06 * R)))
        # the numbers give way to the next ones (never two numbers on a cell at once)
        out.append(("factors", _Renumber(stamp_k, stamp_f, 0.16 * R)))
        out.append(("hold", Wait(run_time=0.08 * R)))
        out.append(("products", _Renumber(stamp_f, stamp_p, 0.14 * R)))
        if has_sum:
            out.append(("sum", AnimationGroup(FadeIn(line, shift=0.1 * UP), FadeIn(rect),
                                              run_time=0.1 * R)))
        fill_t = (0.2 if has_sum else 0.26) * R

        def fills():
            # built when played: a fill takes the number the cell shows at that moment; the
            # copy beside the input fades as its products leave for the canvas
            return self._refill({c: after[c] for _, c, _, _ in st.cells}, fill_t,
                                sources={c: stamp_p.number(t) for t, c, _, _ in st.cells},
                                fade_with=[stamp_p, value_mob, rest])

        out.append(("land", fills))
        if not has_sum:
            out.append(("hold", Wait(run_time=0.04 * R)))
        else:
            out.append(("clear", AnimationGroup(FadeOut(line), FadeOut(rect),
                                                run_time=0.06 * R)))
        self.sums = after
        self.done = k + 1
        return out

    def overlap_sum(self, k: int):
        """(cell, earlier sum, product, new sum) at a canvas cell where stamp ``k`` lands on
        earlier stamps (both terms non-zero when possible); None if it overlaps nothing."""
        before, after = self.sums_after(k), self.sums_after(k + 1)
        best = None
        for _, c, prod_, _ in self.sup.stamps[k].cells:
            if c in before:
                score = (before[c] != 0) + (prod_ != 0)
                if best is None or score > best[0]:
                    best = (score, c, before[c], prod_)
        if best is None:
            return None
        _, c, old, prod_ = best
        return c, old, prod_, after[c]

    def _sum_line(self, k: int):
        """The sum written out at one canvas cell where stamp ``k`` lands on earlier ones."""
        found = self.overlap_sum(k)
        if found is None:
            return None, None
        c, old, prod_, new = found
        line = math_tex([value_latex(old), "+", value_latex(prod_), "=", value_latex(new)],
                        lang=self.lang, font_size=palette.FORMULA_SIZE)
        line[0].set_color(palette.OUTPUT_TEXT)
        line[2].set_color(palette.KERNEL)
        line[4].set_color(palette.OUTPUT_TEXT)
        line.next_to(self.canvas.cells, DOWN, buff=0.3)
        rect = self.canvas.window_rectangle(c, (1,) * self.ndim, color=palette.HIGHLIGHT,
                                            width=5)
        self.sum_lines.append({"cell": c, "old": old, "product": prod_, "new": new,
                               "mobject": line})
        return line, rect

    def fast_stamp(self, ks, run_time: float = 1.0) -> Animation:
        """Stamps ``ks`` (one index or several) at speed: jump to the last, update the sums."""
        ks = [ks] if isinstance(ks, (int, np.integer)) else list(ks)
        after = self.sums_after(ks[-1] + 1)
        cells = []
        for k in ks:
            for _, c, _, _ in self.sup.stamps[k].cells:
                if c not in cells:
                    cells.append(c)
        fill = self._refill({c: after[c] for c in cells}, 0.6 * run_time)
        self.sums = after
        self.done = ks[-1] + 1
        return Succession(self._move(ks[-1], 0.4 * run_time), fill, group=self)

    def _refill(self, values: dict, run_time: float, sources: dict | None = None,
                fade_with=()) -> Animation:
        """Canvas cells take new values: the numbers there fade out first, then the new
        ones come in (growing out of ``sources`` when given, e.g. a stamp's products), so a
        cell never shows two numbers at once; ``fade_with`` (e.g. the stamp the numbers
        come from) fades quickly as they leave. Build it right before playing it."""
        olds = []
        for c in values:
            old = self.canvas.number(c)
            if old is not None:
                olds.append(old)
                self.canvas.set_number(c, None)
        fills = AnimationGroup(*[self.canvas.fill_animation(c, v, source=None if sources is None
                                                            else sources[c])
                                 for c, v in values.items()], group=self.canvas)
        if fade_with:
            fills = AnimationGroup(fills, *[FadeOut(m, run_time=0.3) for m in fade_with])
        if not olds:
            return _timed(fills, run_time)
        gone = AnimationGroup(*[_late(FadeOut(o)) for o in olds])
        return Succession(_timed(gone, 0.35 * run_time), _timed(fills, 0.65 * run_time),
                          group=self.canvas)

    def play(self, scene, budget: float | None = None, detailed: int = 2, start: int = 0,
             stop: int | None = None, show_sum: bool = False) -> float:
        """Play stamps ``start:stop`` on ``scene`` in ``budget`` seconds (kit ``plan_budget``:
        the first ``detailed`` in full, the rest fast, grouped when there are many).
        Each animation is built right before its play, since it depends on what the canvas
        shows then. ``show_sum``: write out a sum on the detailed stamps after the first.
        Returns the seconds played."""
        ks = list(range(start, len(self.sup.stamps) if stop is None else stop))
        plan = plan_budget(len(ks), budget, detailed)
        self.plan = plan
        total = 0.0
        for j, k in enumerate(ks[:plan.detailed]):
            total += self.play_detailed(scene, k, plan.detailed_time,
                                        show_sum=show_sum and j > 0)
        rest = ks[plan.detailed:]
        for j in range(0, len(rest), plan.chunk):
            anim = self.fast_stamp(rest[j:j + plan.chunk], plan.fast_time)
            scene.play(anim)
            total += anim.run_time
        if plan.tail > 1e-9:
            scene.wait(plan.tail)
            total += plan.tail
        return total

    def crop(self, label: str | None = None, run_time: float = 1.5,
             cropped_color=None) -> Animation:
        """Dim what the padding cuts from the canvas, frame the output and label it.

        Cells output_padding adds past the canvas show their zeros (convmath's output).
        ``label``: e.g. "Salida 5×5", written under the canvas. ``cropped_color``: the
        numbers cut away take this colour instead of fading (so they stay legible).
        """
        region = self.output_region()
        inside = np.zeros(self.board_shape, dtype=bool)
        inside[region] = True
        anims = []
        for idx in np.ndindex(*self.board_shape):
            if inside[idx]:
                if self.canvas.values[idx] is None:      # past the canvas: zeros
                    out_idx = tuple(i - bb for i, bb in zip(idx, self.crop_before))
                    anims.append(self.canvas.fill_animation(idx, self.sup.output[out_idx]))
                continue
            cell = self.canvas.cell(idx)
            anims.append(cell.animate.set_fill(opacity=0.03).set_stroke(opacity=0.35))
            num = self.canvas.number(idx)
            if num is not None:
                anims.append(num.animate.set_opacity(DIM_OPACITY) if cropped_color is None
                             else num.animate.set_color(cropped_color))
        start = tuple(bb for bb in self.crop_before)
        self.crop_rect = self.canvas.window_rectangle(start, self.spec.output,
                                                      color=palette.OUTPUT_TEXT, width=5)
        extra = [_late(FadeIn(self.crop_rect))]
        if label:
            self.output_label = Text(label, font=palette.FONT, font_size=palette.LABEL_SIZE,
                                     color=palette.OUTPUT)
            self.output_label.next_to(self.canvas.cells, DOWN, buff=0.2)
            extra.append(_late(FadeIn(self.output_label, shift=0.1 * UP)))
        first = (AnimationGroup(*anims, group=self.canvas, run_time=0.6 * run_time) if anims
                 else Wait(run_time=0.6 * run_time))        # nothing cropped, nothing added
        return Succession(first,
                          AnimationGroup(*extra, run_time=0.4 * run_time), group=self)


def overlap_grid(counts, *, cell_size: float = palette.CELL_SIZE, label: str | None = None,
                 lang=None, color=palette.OUTPUT, show_numbers: bool = True) -> CellGrid:
    """``convmath.overlap_map`` as a grid of counts, each cell shaded by its count
    (more stamps, stronger colour). :attr:`counts` keeps the counts; the numbers are
    written in the cells unless ``show_numbers`` is False (a picture of the pattern)."""
    counts = np.asarray(counts)
    grid = CellGrid(counts.astype(object), role="output", cell_size=cell_size, label=label,
                    lang=lang, show_numbers=show_numbers)
    lo, hi = int(counts.min()), int(counts.max())
    for idx in np.ndindex(*counts.shape):
        frac = 1.0 if hi == lo else (int(counts[idx]) - lo) / (hi - lo)
        # the strongest shade still leaves white digits at 4.5:1
        grid.cell(idx).set_fill(color, opacity=0.08 + COUNT_SHADE * frac)
    grid.counts = counts
    return grid
