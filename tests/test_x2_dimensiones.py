"""Extra 2 (several dimensions): the numbers shown are convmath's, recomputed from the screen."""

import re

import numpy as np
import pytest

import convmath as cm
from convmath import formulas

def numbers_in(text):
    return [int(n) for n in re.findall(r"\d+", text)]


def core_of(grid):
    """The unpadded input a grid shows, and its (before, after) padding per axis."""
    kinds = grid.cell_kind
    values = grid.shown_values()
    keep = kinds != "padding"
    pads, index = [], []
    for axis in range(kinds.ndim):
        other = tuple(a for a in range(kinds.ndim) if a != axis)
        used = np.nonzero(keep.any(axis=other) if other else keep)[0]
        pads.append((int(used[0]), int(kinds.shape[axis] - 1 - used[-1])))
        index.append(slice(used[0], used[-1] + 1))
    return np.array(values[tuple(index)].tolist(), dtype=np.int64), tuple(pads)


def check_stage(stage, stride, cards):
    """Input, kernel and output grids of a sliding beat against convmath."""
    x, pads = core_of(stage.input)
    w = np.array(stage.kernel.shown_values().tolist(), dtype=np.int64)
    sp = cm.spec(x.shape, w.shape, stride, pads)
    assert stage.output.shape == sp.output
    assert np.array_equal(stage.output.shown_values().astype(np.int64),
                          cm.correlate(x, w, stride, pads))
    for card in cards:
        expected = formulas.paper_output(sp, card.axis, latex=True)
        assert card.value == expected.value == sp.output[card.axis]
        assert expected.substituted in card.substituted_latex
        assert card.result_latex == str(sp.output[card.axis])
    return sp


@pytest.mark.parametrize("lang", ["es", "en"])
def test_dimensions_segment(run_segment, lang):
    scene = run_segment("x2_dimensiones", lang)
    assert scene.unspoken_beats() == []
    problems = {beat: p for beat, p in scene.layout_report.items() if p}
    assert problems == {}

    # 1D: a signal
    check_stage(scene.stage_1d, 1, [scene.card_1d])

    # 2D: each axis with its own kernel, stride and padding, as the scene writes them
    (k0, s0, p0), (k1, s1, p1) = [numbers_in(t.original_text) for t in scene.params_2d]
    sp = check_stage(scene.stage_2d, (s0, s1), scene.cards_2d)
    assert sp.kernel == (k0, k1)
    assert sp.padding == ((p0, p0), (p1, p1))

    # 3D: a volume as slices (each label's size comes in when the voice says it)
    vol, ker, out = scene.volume
    shape_in, shape_k, shape_out = (tuple(numbers_in(g.title.size.original_text)) for g in
                                    (vol, ker, out))
    sp3 = cm.spec(shape_in, shape_k)
    assert shape_out == sp3.output
    for group, shape in ((vol, shape_in), (ker, shape_k), (out, shape_out)):
        assert len(group.grids) == shape[0]
        assert all(g.shape == shape[1:] for g in group.grids)
        assert [numbers_in(g.tag.original_text) for g in group.grids] == \
            [[n + 1] for n in range(shape[0])]
    for window, output in scene.volume_positions:
        assert window == output                  # stride 1, no padding: window = output
        assert all(0 <= o < n for o, n in zip(output, sp3.output))
    block = scene.volume_block
    footprints = list(block)[:-1]
    assert len(footprints) == shape_k[0]
    for dz, fp in enumerate(footprints):
        assert fp.grid is vol.grids[block.window[0] + dz]
        assert fp.kernel == shape_k[1:] and fp.window == block.window[1:]
    # the formulas' column stays under the heading (its boxes do not cross the title)
    import scenes.x2_dimensiones as x2

    assert scene.cards_3d.get_top()[1] <= x2.TOP + 1e-6
    assert scene.cards_3d.get_bottom()[1] >= x2.BOTTOM - 1e-6
    for card in scene.cards_3d:
        expected = formulas.paper_output(sp3, card.axis, latex=True)
        assert card.value == expected.value == sp3.output[card.axis]
        assert expected.substituted in card.substituted_latex

    # channels: C_in×H×W → C_out×H′×W′ with C_out kernels of C_in×k×k
    parts = scene.channel_parts
    c_in, h, w = parts["input"].shape
    kernels = parts["kernels"]
    c_out = len(kernels)
    assert all(k.shape[0] == c_in for k in kernels)
    kh, kw = kernels[0].shape[1:]
    spc = cm.spec((h, w), (kh, kw), in_channels=c_in, out_channels=c_out)
    assert parts["output"].shape == (c_out,) + spc.output
    for stack in (parts["input"], parts["output"]):
        assert tuple(numbers_in(stack.label.original_text)) == stack.shape
    assert numbers_in(parts["weights_label"].original_text) == [c_out, c_in, kh, kw]
    # one map per kernel: each arrow ends at its own map, level with its kernel
    maps, arrows = parts["output"], parts["arrows"]
    assert len(maps) == len(arrows) == c_out
    for k, m, a in zip(kernels, maps, arrows):
        assert m.shape == spc.output
        assert abs(a.get_end()[1] - m.cells.get_center()[1]) < 0.05
        assert abs(k.block().get_center()[1] - m.cells.get_center()[1]) < 0.05
    assert len({round(m.cells.get_center()[1], 2) for m in maps}) == c_out
    # the channels are named and coloured one by one
    assert len(parts["tags"]) == c_in
    assert len({t.get_color().to_hex() for t in parts["tags"]}) == c_in
    # weights, biases, parameters: convmath's counts, line by line
    lines = scene.params_lines
    n_weights = cm.conv_params(c_in, c_out, (kh, kw), bias=False)
    n = cm.conv_params(c_in, c_out, (kh, kw))
    assert lines["weights"].terms == [c_out, c_in, kh, kw]
    assert lines["weights"].value == n_weights == int(np.prod(lines["weights"].terms))
    assert numbers_in(lines["weights"].substituted_latex) == [c_out, c_in, kh, kw, n_weights]
    assert lines["biases"].value == n - n_weights == c_out
    assert numbers_in(lines["biases"].substituted_latex)[-1] == c_out
    assert lines["total"].value == n
    assert numbers_in(lines["total"].substituted_latex) == [n_weights, c_out, n]
    assert lines["total"].result_latex == str(n)

    # the two-channel example: read the grids back, compute with convmath on (C_in, H, W)
    rows = scene.multi["rows"]
    x = np.stack([np.array(r.grids[0].shown_values().tolist(), dtype=np.int64) for r in rows])
    wk = np.stack([np.array(r.grids[1].shown_values().tolist(), dtype=np.int64) for r in rows])
    for c, r in enumerate(rows):
        assert np.array_equal(r.grids[2].shown_values().astype(np.int64),
                              cm.correlate(x[c], wk[c]))
    expected = cm.correlate(x, wk[None])[0]
    shown = scene.multi["output"].shown_values().astype(np.int64)
    assert np.array_equal(shown, expected)
    assert np.array_equal(shown, sum(cm.correlate(x[c], wk[c]) for c in range(len(rows))))


def test_multichannel_example_matches_pytorch():
    torch = pytest.importorskip("torch")
    from scenes.x2_dimensiones import MULTI_W, MULTI_X
    ours = cm.correlate(MULTI_X, MULTI_W)
    theirs = torch.nn.functional.conv2d(torch.tensor(MULTI_X[None], dtype=torch.float64),
                                        torch.tensor(MULTI_W, dtype=torch.float64))[0].numpy()
    assert np.array_equal(ours, theirs.astype(np.int64))


def test_grid_stack_layers():
    """The kit's GridStack: layer c is values[c], front first, numbers on the front only."""
    from scenes.kit.cells.stack import GridStack

    values = np.arange(2 * 3 * 4).reshape(2, 3, 4)
    stack = GridStack(values, label="x")
    assert stack.shape == (2, 3, 4) and len(stack.layers) == 2
    assert np.array_equal(stack.front.shown_values().astype(int), values[0])
    assert all(v is None for v in stack.layers[1].shown_values().ravel())
    # each layer behind sits up and to the right, and is drawn before the one in front
    assert stack.layers[1].cells.get_center()[0] > stack.front.cells.get_center()[0]
    assert stack.layers[1].cells.get_center()[1] > stack.front.cells.get_center()[1]
    order = list(stack.submobjects)
    assert order.index(stack.layers[1]) < order.index(stack.layers[0])
    everything = GridStack(values, numbers="all")
    assert np.array_equal(everything.layers[1].shown_values().astype(int), values[1])
    with pytest.raises(ValueError):
        GridStack(np.zeros((3, 3)))
