"""Extra 1 (even kernels and SAME padding): what the scene shows is convmath's SAME padding."""

import re

import numpy as np
import pytest

import convmath as cm
from convmath import formulas
from convmath.examples import example_input, example_kernel


def padding_counts(grid):
    """(before, after) padding cells of each axis of a drawn padded input, from its cells."""
    kinds = grid.cell_kind
    out = []
    for axis in range(kinds.ndim):
        core = np.array([any(k != "padding"
                             for k in np.atleast_1d(np.take(kinds, j, axis=axis)).ravel())
                         for j in range(kinds.shape[axis])])
        idx = np.nonzero(core)[0]
        out.append((int(idx[0]), int(kinds.shape[axis] - 1 - idx[-1])))
    return tuple(out)


def numbers_in(text):
    return [int(n) for n in re.findall(r"\d+", text)]


@pytest.mark.parametrize("lang", ["es", "en"])
def test_padding_same_segment(run_segment, lang):
    scene = run_segment("x1_padding_same", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # the output size card: o = ⌈i/s⌉
    card = scene.goal_card
    i, s = numbers_in(card.substituted_latex)[:2]
    assert card.value == -(-i // s) == cm.spec(i, 3, s, "same").output[0]

    # the 2D panels: padding drawn, footprint, output and the total's formula
    for name, panel in scene.panels.items():
        i = panel.input.input_shape()
        k = panel.footprint.kernel
        sp = cm.spec(i, k, padding="same")
        assert padding_counts(panel.input) == sp.padding
        assert panel.output.shape == sp.output == i          # stride 1: same size
        card = scene.cards[name]
        expected = formulas.same_padding(sp, latex=True)
        assert card.value == expected.value == sum(sp.padding[0])
        assert expected.substituted in card.substituted_latex
        assert card.result_latex == str(expected.value)
    assert scene.panels["odd"].spec.symmetric and not scene.panels["even"].spec.symmetric

    # braces: the before/after counts of each axis, as drawn on the grid
    for name in ("odd", "even"):
        counts = padding_counts(scene.panels[name].input)
        for side, group in scene.braces[name].items():
            for axis, n in group.counts.items():
                assert n == counts[axis][0 if side == "before" else 1]
            assert sorted(int(g[1].original_text) for g in group) == sorted(group.counts.values())

    # the split: before = total // 2, after = the rest (bottom/right)
    even = scene.panels["even"]
    (b0, a0), _ = padding_counts(even.input)
    total = b0 + a0
    assert (b0, a0) == (total // 2, total - total // 2) == cm.tf_same_padding(
        even.input.input_shape()[0], even.footprint.kernel[0], 1)
    before_card, after_card = scene.split_cards
    assert before_card.result_latex == str(b0) and after_card.result_latex == str(a0)
    assert numbers_in(before_card.substituted_latex) == [total, 2, b0]
    assert numbers_in(after_card.substituted_latex) == [total, b0, a0]

    # the padding's symbols are in the viewer's language, never p_b / p_a
    words = {"es": ("antes", "después"), "en": ("before", "after")}[lang]
    shown = [c.general_latex + (c.substituted_latex or "") for c in
             (*scene.cards.values(), *scene.split_cards, scene.total_card)]
    shown += [m.tex_string for m in scene.summary_lines]
    shown += [row.formula_line.tex_string for row in scene.rows.values()]
    assert not any(re.search(r"p_[ab]\b", t) for t in shown)
    split_text = " ".join(c.general_latex for c in scene.split_cards)
    assert all(rf"\text{{{w}}}" in split_text for w in words)

    # the total on the 1D row: the windows span (o − 1)s + d(k − 1) + 1 cells, the input i,
    # the padding is what is missing
    row, sp = scene.intro_row, scene.intro_row.spec
    braces = scene.total_braces
    first, last = row.windows.windows[0], row.windows.windows[-1]
    o, s, kk = sp.output[0], sp.stride[0], sp.effective_kernel[0]
    assert braces["jumps"].cells == (first[0], first[0] + (o - 1) * s - 1)
    assert braces["kernel"].cells == (last[0], last[0] + kk - 1)
    span = braces["span"].cells[1] - braces["span"].cells[0] + 1
    assert span == (o - 1) * s + kk
    assert numbers_in(braces["span"][1].tex_string)[-1] == span
    assert span - sp.input[0] == sum(sp.padding[0]) == scene.total_card.value
    assert len(row.padding_cells) == sum(sp.padding[0]) and len(row.core) == sp.input[0]

    # the first and last windows the footprint shows
    first, last = scene.shown_windows
    sp = cm.spec(even.input.input_shape(), even.footprint.kernel, padding="same")
    assert first == (0, 0)
    assert last == tuple((o - 1) * st for o, st in zip(sp.output, sp.stride))

    # strided rows: windows, padding and formula from convmath
    for row in scene.rows.values():
        i = row.input.input_shape()[0]
        k, s = row.spec.kernel[0], row.spec.stride[0]
        sp = cm.spec(i, k, s, "same")
        assert row.spec == sp
        (before, after), = padding_counts(row.input)
        assert (before, after) == sp.padding[0] == cm.tf_same_padding(i, k, s)
        assert row.pads.value == (before, after)
        assert numbers_in(row.pads.original_text) == [before, after]
        o = -(-i // s)
        assert row.output.shape == (o,)
        kk = cm.effective_kernel(k, 1)
        assert row.windows.windows == [(n * s, n * s + kk - 1) for n in range(o)]
        # the last window ends exactly at the end of the padded row
        assert row.windows.windows[-1][1] == i + before + after - 1
        assert row.formula.value == before + after
        expected = formulas.same_padding(sp, latex=True)
        assert (row.formula.substituted, row.formula.value) == (expected.substituted,
                                                                expected.value)

    # PyTorch's total d(k − 1), on screen
    assert scene.pytorch_card.general_latex.endswith("= d(k - 1)")

    # the TensorFlow / PyTorch table
    torch = pytest.importorskip("torch")
    for (i, k, s), tf, pt in scene.table.rows:
        assert tf == cm.tf_same_padding(i, k, s)
        if s == 1:
            conv = torch.nn.Conv1d(1, 1, k, padding="same")
            assert pt == tuple(conv._reversed_padding_repeated_twice)
        else:
            assert pt is None
            with pytest.raises(ValueError, match="strided"):
                torch.nn.Conv1d(1, 1, k, stride=s, padding="same")
    for cells, (_, tf, pt) in zip(scene.table.cells, scene.table.rows):
        assert numbers_in(cells[1].original_text) == list(tf)
        if pt is not None:
            assert numbers_in(cells[2].original_text) == list(pt)


def test_pytorch_same_matches_convmath_at_stride_one():
    """PyTorch's padding='same' computes what convmath computes with TensorFlow's split."""
    torch = pytest.importorskip("torch")
    x = example_input((5, 5))
    w = example_kernel((4, 4), seed=2)
    ours = cm.correlate(x, w, padding="same")
    theirs = torch.nn.functional.conv2d(torch.tensor(x[None, None], dtype=torch.float64),
                                        torch.tensor(w[None, None], dtype=torch.float64),
                                        padding="same")[0, 0].numpy()
    assert np.array_equal(ours, theirs.astype(np.int64))


def test_window_spans_cover_each_kernel_position():
    """The kit's window brackets: one per kernel position, padding included, in lanes."""
    from scenes.kit.cells.grid import CellGrid
    from scenes.kit.cells.spans import SpanBracket, WindowSpans

    for sp in (cm.spec(6, 3, 2, "same"), cm.spec(7, 4, 1, "same"), cm.spec(9, 3, 1, 0, 2)):
        grid = CellGrid(shape=sp.padded_input, show_numbers=False)
        spans = WindowSpans(grid, sp)
        kk = sp.effective_kernel[0]
        assert spans.windows == [(o * sp.stride[0], o * sp.stride[0] + kk - 1)
                                 for o in range(sp.output[0])]
        # brackets in one lane never overlap
        for lane in set(spans.lanes):
            mine = [w for w, l in zip(spans.windows, spans.lanes) if l == lane]
            assert all(a[1] < b[0] for a, b in zip(mine, mine[1:]))
        for (first, last), br in zip(spans.windows, spans.brackets):
            assert br.path.get_left()[0] > grid.cell((first,)).get_left()[0]
            assert br.path.get_right()[0] < grid.cell((last,)).get_right()[0]
    with pytest.raises(ValueError):
        WindowSpans(CellGrid(shape=(5,)), cm.spec(5, 3, padding=1))
    with pytest.raises(ValueError):
        SpanBracket(CellGrid(shape=(5,)), 3, 2)


@pytest.mark.parametrize("n, cells, rows", [(1, "1 cell", "1 row"), (2, "2 cells", "2 rows")])
def test_english_counts_read_right(n, cells, rows):
    """The English beats count with the right noun for every value."""
    from scenes.kit.text.numfmt import counted
    from scenes.narration.segment_text import load_segment_text

    text = load_segment_text("x1_padding_same", "en")
    noun = {k: counted(n, text.string(f"{k}_one"), text.string(f"{k}_many"))
            for k in ("cell", "row", "jump", "window")}
    odd = text.beat("odd").format(i=5, k=3, total=2 * n, before_cells=noun["cell"], after=n)
    last = text.beat("last").format(before_rows=noun["row"], after=n)
    assert f"{cells} before" in odd.caption and f"reads {rows} of padding" in last.caption


@pytest.mark.parametrize("lang, before, after", [("es", "antes", "después"),
                                                 ("en", "before", "after")])
def test_pad_symbols_in_each_language(lang, before, after):
    """The symbols come from the language's words; convmath's own p_b / p_a (English
    initials) would be caught by the segment test's check."""
    from scenes.narration.segment_text import load_segment_text
    from scenes.x1_padding_same import PadSymbols

    text = load_segment_text("x1_padding_same", lang)
    sym = PadSymbols(*(text.string(f"sub_{k}") for k in ("total", "before", "after")))
    b, a = sym.split_formulas(EVEN_SPEC)
    assert b.general.startswith(rf"p_{{\text{{{before}}}}} =")
    assert a.general.startswith(rf"p_{{\text{{{after}}}}} =")
    assert (b.value, a.value) == EVEN_SPEC.padding[0]
    assert not re.search(r"p_[ab]\b", sym.total_formula(EVEN_SPEC).general)
    assert re.search(r"p_[ab]\b", formulas.same_padding(EVEN_SPEC, latex=True).general)
    with pytest.raises(cm.ConvError):
        sym.split_formulas(cm.spec(5, 4, padding=[(2, 1)]))    # not SAME's split


EVEN_SPEC = cm.spec(5, 4, padding="same")
