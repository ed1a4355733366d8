"""The configurable scenes: A1 with transposed convolutions, its views and its silent mode, A2
with Cᵀ, A3 (the links). What each shows is read back from its mobjects and compared with
convmath recomputed from the numbers on screen; impossible settings are one line, status 2."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from convmath import formulas  # noqa: E402
from convmath.cli import main as convmath_main  # noqa: E402
from scenes.configurable.conv_env import drawn_cells
from scenes.configurable.params_env import (conv_params_from_env, conv_params_from_settings,
                                            read_config)
from scenes.configurable.views import (check_drawable, effective_view, read_narration, read_pace,
                                       read_view, scene_environ)
from scenes.kit.layout import layout_problems  # noqa: E402
from scenes.kit.text.words import size_text


@pytest.fixture
def conv_env(monkeypatch):
    """Clear every CONV_* variable; returns a setter: conv_env(input="5x5", stride=2)."""
    for key in list(os.environ):
        if key.startswith("CONV_"):
            monkeypatch.delenv(key)

    def set_(**settings):
        for key, value in settings.items():
            monkeypatch.setenv(f"CONV_{key.upper()}", str(value))

    return set_


def flip(a):
    return np.asarray(a, dtype=object)[(slice(None, None, -1),) * np.asarray(a).ndim]


def as_array(values) -> np.ndarray:
    return np.array(values.tolist(), dtype=object)


def kind_values(grid, kind: str) -> np.ndarray:
    """The numbers shown on the cells of one kind, in the shape they form."""
    mask = grid.cell_kind == kind
    coords = np.nonzero(mask)
    shape = tuple(len(np.unique(c)) for c in coords)
    return grid.shown_values()[mask].reshape(shape)


def edge_padding(grid) -> tuple[tuple[int, int], ...]:
    """(before, after) all-padding rows/columns of a drawn grid, per axis."""
    core = grid.cell_kind != "padding"
    pads = []
    for axis in range(grid.ndim):
        used = np.nonzero(core.any(axis=tuple(a for a in range(grid.ndim) if a != axis)))[0]
        pads.append((int(used[0]), int(grid.shape[axis] - 1 - used[-1])))
    return tuple(pads)


def shown_settings(line) -> dict:
    """{"i": (3, 3), "s": (2, 2), "p": ..., "op": ...} from a settings line's parts."""
    out = {}
    for name, text in line.parts:
        out[name] = text
    return out


def per_axis(text: str, n: int) -> tuple[int, ...]:
    vals = tuple(int(v) for v in text.split("×"))
    return vals if len(vals) == n else vals * n


# --- reading the settings -------------------------------------------------------------------------

def test_transposed_settings_read_like_the_convmath_command(capsys):
    p = conv_params_from_env({"CONV_INPUT": "3x3", "CONV_TRANSPOSED": "1", "CONV_STRIDE": "2",
                              "CONV_PADDING": "1", "CONV_OUTPUT_PADDING": "1"})
    assert p.spec == cm.transposed((3, 3), 3, 2, 1, output_padding=1)
    assert convmath_main(["shape", "3x3", "-s", "2", "-p", "1", "--transposed",
                          "--output-padding", "1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["output"] == list(p.spec.output) == [6, 6]
    assert (p.output() == cm.transposed_conv(p.x, p.w, 2, 1, 1, 1, 1)).all()
    de = p.direct()
    assert (de.storyboard.output == p.output()).all()
    assert p.board().padded.shape == drawn_cells(p.spec) == (8, 8)
    assert (p.stamps().output == p.output()).all()
    one = conv_params_from_env({"CONV_INPUT": "7", "CONV_PADDING": "0:1"})   # one pair, 1D
    assert one.spec.padding == ((0, 1),)


def test_config_file_takes_transposed_as_a_boolean(tmp_path):
    cfg = tmp_path / "t.json"
    cfg.write_text(json.dumps({"input": [2, 2], "transposed": True, "stride": 2,
                               "output_padding": 1}))
    p = conv_params_from_settings(read_config(cfg))
    assert p.spec.transposed and p.spec.output == (6, 6)


@pytest.mark.parametrize("env, message", [
    ({"CONV_TRANSPOSED": "maybe"}, "CONV_TRANSPOSED must be 1 or 0"),
    ({"CONV_OUTPUT_PADDING": "1"}, "only applies to transposed convolutions"),
    ({"CONV_TRANSPOSED": "1", "CONV_OUTPUT_PADDING": "1"}, "must be smaller than stride 1"),
    ({"CONV_TRANSPOSED": "1", "CONV_PADDING": "same"}, "not transposed ones"),
    ({"CONV_TRANSPOSED": "1", "CONV_OP": "convolution"}, "does not apply to a transposed"),
    ({"CONV_TRANSPOSED": "1", "CONV_INPUT": "2", "CONV_PADDING": "3"}, "is not positive"),
])
def test_bad_transposed_settings_are_one_line(env, message):
    with pytest.raises(cm.ConvError) as err:
        conv_params_from_env(env)
    assert message in str(err.value) and "\n" not in str(err.value)


def test_views_and_their_limits():
    assert read_view({}) == "slide" and read_view({"CONV_VIEW": "Superposition"}) == \
        "superposition"
    with pytest.raises(cm.ConvError, match="CONV_VIEW must be one of"):
        read_view({"CONV_VIEW": "matrix"})
    assert read_narration({}) is True and read_narration({"CONV_NARRATION": "0"}) is False
    assert read_pace({}) == 0.5 and read_pace({"CONV_PACE": "1.5"}) == 1.5
    with pytest.raises(cm.ConvError, match="between"):
        read_pace({"CONV_PACE": "0"})
    assert effective_view("slide", True) == "direct" and effective_view("slide", False) == "slide"
    with pytest.raises(cm.ConvError, match="shows a transposed convolution"):
        effective_view("superposition", False)
    with pytest.raises(cm.ConvError, match="at most 14"):
        check_drawable(cm.spec((15, 15), 3), "slide")
    with pytest.raises(cm.ConvError, match="zero-stuffed, padded input has 17 cells"):
        check_drawable(cm.transposed((7, 7), 3, 2), "direct")        # o = 15, + 2
    with pytest.raises(cm.ConvError, match="input has 7 cells"):
        check_drawable(cm.transposed((7, 7), 2, 1), "superposition")
    with pytest.raises(cm.ConvError, match="at most 8"):
        check_drawable(cm.spec((9, 9), 3), "connectivity")
    check_drawable(cm.transposed(6, 3, 2), "superposition")          # canvas 13: fine in 1D

    class Settings:
        CONV_ENV = {"CONV_INPUT": "3"}

    env = scene_environ(Settings)
    assert env["CONV_INPUT"] == "3" and not (set(env) - set(os.environ) - {"CONV_INPUT"})


# --- A1: silent clips ---------------------------------------------------------------------------

def run_a1(run_segment, lang="es"):
    """A1 with the settings of the test (not a lecture segment: its pacing follows the
    parameters, not anchors, so the lecture's viewing checks are not asked of it)."""
    from scenes.s02_parametros import ConvolucionConfigurable

    return run_segment("a1_configurable", lang, scene_class=ConvolucionConfigurable,
                       watch=False)


def test_a1_silent_slide(run_segment, conv_env):
    conv_env(input="5x5", stride=2, padding=1, seed=3, narration=0, pace=0.3)
    scene = run_a1(run_segment)
    assert scene.beats_spoken == [] and scene.subtitle_cues == []       # no voice, no text
    assert scene.layout_report == {"clip": []}
    stage = scene.stage
    x = kind_values(stage.input, "input")
    w = as_array(stage.kernel.shown_values())
    pads = edge_padding(stage.input)
    shown = shown_settings(scene.params_line)
    stride = per_axis(shown["s"], 2)
    expected = cm.correlate(x, w, stride=stride, padding=pads)
    assert (as_array(stage.output.shown_values()) == expected).all()
    assert shown["o"] == size_text(expected.shape) and shown["i"] == size_text(x.shape)
    assert stage.output.label.original_text.endswith(size_text(expected.shape))
    assert scene.slider.overlays == []                # every number is in the output grid


def test_a1_silent_direct_odd_case(run_segment, conv_env):
    # the paper's padding_strides_odd, transposed: i' = 3, s = 2, p = 1, a = 1 extra zeros
    conv_env(input="3x3", stride=2, padding=1, output_padding=1, transposed=1, narration=0)
    scene = run_a1(run_segment)
    assert scene.view == "direct" and scene.layout_report == {"clip": []}
    stage = scene.stage
    shown = shown_settings(scene.params_line)
    s, p, op = (per_axis(shown[k], 2) for k in ("s", "p", "op"))
    x = kind_values(stage.input, "input")
    kernel = as_array(stage.kernel.shown_values())              # the flipped kernel
    out = as_array(stage.output.shown_values())
    # what is drawn: s − 1 zeros between the input cells, padding d(k−1) − p before and
    # d(k−1) − p + a after (the odd case's extra zeros bottom/right), stride 1
    inserted = stage.input.shown_values()[stage.input.cell_kind == "inserted"]
    assert inserted.size == 5 * 5 - 3 * 3 and (inserted == 0).all()
    core = stage.input.cell_kind != "padding"
    rows = np.nonzero(core.any(axis=1))[0]
    assert len(rows) == (x.shape[0] - 1) * s[0] + 1
    k = kernel.shape[0]
    assert edge_padding(stage.input) == ((k - 1 - p[0], k - 1 - p[0] + op[0]),) * 2
    assert (cm.correlate(as_array(stage.input.shown_values()), kernel) == out).all()
    # and it is the transposed convolution of the numbers shown
    w = flip(kernel)
    assert (out == cm.transposed_conv(x, w, stride=s, padding=p, output_padding=op)).all()
    assert out.shape == (6, 6) and shown["o"] == "6×6"
    assert stage.kernel.label.original_text.endswith(size_text(kernel.shape) + " girado")
    assert stage.input.label.original_text == f"Entrada {size_text(x.shape)}, estirada"
    texts = [t.original_text for t in scene.legend.texts]
    assert texts == ["ceros insertados: s − 1 = 1",
                     "padding: 1 arriba e izquierda, 2 abajo y derecha"]


def test_a1_silent_superposition(run_segment, conv_env):
    conv_env(input="4", stride=2, padding=1, output_padding=1, transposed=1,
             view="superposition", narration=0, input_values="[1, -2, 3, 1]",
             kernel_values="[1, 0, 2]")
    scene = run_a1(run_segment, "en")
    assert scene.layout_report == {"clip": []}
    view = scene.stamp_view
    x = as_array(view.input.shown_values())
    w = as_array(view.kernel.shown_values())
    expected = cm.transposed_conv(x, w, stride=2, padding=1, output_padding=1)
    assert (as_array(view.output_values()) == expected).all()
    assert view.output_label.original_text == f"Output {size_text(expected.shape)}"
    assert view.canvas.label.original_text.startswith("Canvas")


# --- A1: narrated transposed views ----------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_a1_narrated_direct(run_segment, conv_env, lang):
    conv_env(input="5", stride=2, padding=1, kernel_values="[2, 0, -1]", transposed=1)
    scene = run_a1(run_segment, lang)
    assert scene.segment_id == "a1_directa"
    assert scene.unspoken_beats() == []
    assert {b: p for b, p in scene.layout_report.items() if p} == {}
    stage, sp = scene.stage, scene.params.spec
    x = kind_values(stage.input, "input")
    kernel = as_array(stage.kernel.shown_values())
    out = as_array(stage.output.shown_values())
    assert (cm.correlate(as_array(stage.input.shown_values()), kernel) == out).all()
    assert (out == cm.transposed_conv(x, flip(kernel), stride=2, padding=1)).all()
    # the formula card's result is the output size; the products lines add up
    (card,) = scene.cards
    assert int(card.result_latex) == out.shape[0] == formulas.transposed_output(sp).value
    for line in scene.slider.lines:
        assert line.total_value == sum(a * b for a, b in line.factors)
    assert scene.slider.lines[0].total_value == out[0]
    words = " ".join(c.text for c in scene.subtitle_cues)
    assert scene.values["first"].replace("menos ", "-").replace("minus ", "-") == str(out[0])
    assert str(out.shape[0]) in words


@pytest.mark.parametrize("lang", ["es", "en"])
def test_a1_narrated_superposition(run_segment, conv_env, lang):
    conv_env(input="2x2", stride=2, padding=1, transposed=1, view="superposition", seed=1)
    scene = run_a1(run_segment, lang)
    assert scene.segment_id == "a1_superposicion"
    assert scene.unspoken_beats() == []
    assert {b: p for b, p in scene.layout_report.items() if p} == {}
    view = scene.stamp_view
    x = as_array(view.input.shown_values())
    w = as_array(view.kernel.shown_values())
    expected = cm.transposed_conv(x, w, stride=2, padding=1)
    assert (as_array(view.output_values()) == expected).all()
    # the detailed stamps: each product grid is the kernel times the stamping input value
    for grid in view.stamp_grids:
        value = x.flat[grid.stamp]
        assert (as_array(grid.shown_values()) == w * value).all()
    for line in view.sum_lines:
        assert line["old"] + line["product"] == line["new"]
    # 3×3 kernel, stride 2: the copies overlap, and the narration says so
    assert int(cm.overlap_map(scene.params.spec).max()) > 1
    assert scene.values["overlap"] == scene.s("overlap_yes")
    assert view.sum_lines                                  # a sum written out where they do


# --- A2: Cᵀ ---------------------------------------------------------------------------------------

def test_a2_transposed_is_c_transposed(run_segment, conv_env):
    from scenes.s03_matriz import MatrizConfigurable
    from scenes.kit.matrices.transposed_matrix import TransposedMatrixView

    conv_env(input="2x2", stride=2, transposed=1, output_padding=1, pace=0.2)
    scene = run_segment("s03_matriz", "en", scene_class=MatrizConfigurable)
    assert layout_problems(scene.mobjects) == []
    x = as_array(scene.inp.shown_values())
    w = as_array(scene.key.shown_values())
    out = as_array(scene.out.shown_values())
    sp = cm.transposed(x.shape, w.shape, 2, output_padding=1)
    assert out.shape == sp.output == (6, 6)
    ct = scene.mat.values
    assert ct.shape == (out.size, x.size)
    assert (ct == cm.conv_matrix_dense(sp, w).T).all()
    assert (ct.dot(x.reshape(-1)) == out.reshape(-1)).all()
    assert (out == cm.transposed_conv(x, w, stride=2, output_padding=1)).all()
    assert scene.mat_label.original_text == f"Cᵀ: {out.size}×{x.size}"
    assert isinstance(scene.mat, TransposedMatrixView) or scene.mat.taps.shape == ct.shape
    assert "output padding 1" in scene.header.original_text


# --- A3: the links --------------------------------------------------------------------------------

def run_a3(run_segment, lang="es"):
    from scenes.s04_conectividad import ConectividadConfigurable

    return run_segment("s04_conectividad", lang, scene_class=ConectividadConfigurable)


def test_a3_one_dimensional_convolution(run_segment, conv_env):
    conv_env(input="7", stride=2, padding=1, pace=0.2)
    scene = run_a3(run_segment)
    assert scene.layout_report == {"end": []}
    d = scene.diagram
    sp = cm.spec(7, 3, 2, 1)
    assert [line.link for line in d.lines] == cm.links(sp)
    x = as_array(d.input_row.shown_values())[1:-1]             # padding drawn at both ends
    w = scene.conv.w
    out = as_array(d.output_row.shown_values())
    assert (out == cm.correlate(x, w, stride=2, padding=1)).all()
    # each output reads the cells its links come from, through the tap of its colour
    for o in range(sp.output[0]):
        reads = [(line.link.col[0], line.link.tap[0]) for line in d.lines_of_output((o,))]
        assert sum(x[c] * w[t] for c, t in reads) == out[o]


def test_a3_transposed_links_are_reversed(run_segment, conv_env):
    conv_env(input="4", stride=2, transposed=1, output_padding=1, pace=0.2)
    scene = run_a3(run_segment, "en")
    assert scene.layout_report == {"end": []}
    d = scene.diagram
    sp = scene.conv.spec
    fwd = cm.links(sp.forward())
    assert sorted((ln.link.row, ln.link.col, ln.link.tap) for ln in d.lines) == \
        sorted((f.row, f.col, f.tap) for f in fwd)            # the same links, reversed
    for line in d.lines:                                       # arrows: input -> output
        assert line.get_start()[1] < line.get_end()[1]
    x = as_array(d.input_row.shown_values())
    out = as_array(d.output_row.shown_values())
    assert (out == cm.transposed_conv(x, scene.conv.w, stride=2, output_padding=1)).all()


def test_a3_two_dimensional_transposed(run_segment, conv_env):
    conv_env(input="2x2", stride=2, transposed=1, pace=0.2)
    scene = run_a3(run_segment)
    assert scene.layout_report == {"end": []}
    g = scene.grid_2d
    x = as_array(g.input_grid.shown_values())
    out = as_array(g.output_grid.shown_values())
    assert (out == cm.transposed_conv(x, scene.conv.w, stride=2)).all()
    # the last input cell's links: the outputs it feeds
    fed = sorted(link.col for link in g.chosen_links)
    assert fed == sorted(o for o, _ in cm.feeds(scene.conv.spec)[(1, 1)])


# --- impossible settings: one line, status 2, nothing drawn --------------------------------------

@pytest.mark.parametrize("scene_name, env, message", [
    ("a1", {"view": "superposition"}, "the superposition view shows a transposed convolution"),
    ("a1", {"transposed": 1, "input": "7x7", "stride": 2}, "zero-stuffed, padded input has 17"),
    ("a1", {"narration": "sometimes"}, "CONV_NARRATION must be 1 or 0"),
    ("a2", {"transposed": 1, "input": "9x9", "stride": 2}, "at most 16"),
    ("a3", {"input": "12x12"}, "at most 8"),
    ("a3", {"pace": "fast"}, "CONV_PACE must be a number"),
])
def test_bad_settings_exit_with_one_line(conv_env, capsys, scene_name, env, message):
    from scenes.s02_parametros import ConvolucionConfigurable
    from scenes.s03_matriz import MatrizConfigurable
    from scenes.s04_conectividad import ConectividadConfigurable

    cls = {"a1": ConvolucionConfigurable, "a2": MatrizConfigurable,
           "a3": ConectividadConfigurable}[scene_name]
    conv_env(**env)
    with pytest.raises(SystemExit) as info:
        cls()
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("convmath: error:") and message in err
