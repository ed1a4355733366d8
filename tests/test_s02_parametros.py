"""Part 2, the convolution's parameters, and A1, the configurable convolution: what the scenes
show is what convmath computes from the numbers on screen; bad settings fail in one line."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from fractions import Fraction
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from convmath import formulas  # noqa: E402
from convmath.examples import PAPER_INPUT, PAPER_KERNEL  # noqa: E402
from scenes.configurable.params_env import (conv_params_from_env, conv_params_from_settings,
                                            read_settings)
from scenes.kit.text.words import size_text

ROOT = Path(__file__).resolve().parent.parent
PARAM_RE = re.compile(r"^([ikspdo]) = (\d+)$")


# --- reading the screen back ----------------------------------------------------------------------

def core_values(grid) -> np.ndarray:
    """The input cells of a drawn (padded) grid, without its padding."""
    mask = grid.cell_kind == "input"
    return grid.shown_values()[mask].reshape(grid.input_shape())


def padding_of(grid) -> tuple[tuple[int, int], ...]:
    """(before, after) padding per axis, counted from the dashed cells of a drawn grid."""
    mask = grid.cell_kind == "input"
    pads = []
    for axis in range(grid.ndim):
        rows = np.nonzero(mask.any(axis=tuple(a for a in range(grid.ndim) if a != axis)))[0]
        pads.append((int(rows[0]), int(grid.shape[axis] - 1 - rows[-1])))
    return tuple(pads)


def tex_values(mathtex) -> dict[str, int]:
    """{"i": 5, "k": 3, ...} from the parts of a MathTex like "i = 5", "k = 3", "o = 3"."""
    out = {}
    for part in mathtex.submobjects:
        m = PARAM_RE.match(getattr(part, "tex_string", "").strip())
        if m:
            out[m.group(1)] = int(m.group(2))
    return out


def eval_latex(tex: str):
    """The arithmetic of a substituted formula: ⌊a/b⌋, a·b, +, − (digits only)."""
    expr = re.sub(r"\\left\\lfloor\s*\\frac\{([^{}]*)\}\{([^{}]*)\}\s*\\right\\rfloor",
                  r"((\1)//(\2))", tex).replace(r"\cdot", "*").replace("{,}", "")
    assert re.fullmatch(r"[0-9+\-*/() ]+", expr), expr
    return eval(expr)  # noqa: S307 - digits and operators only, checked above


def check_products_lines(slider, padded: np.ndarray, kernel_applied: np.ndarray):
    """Every products line shows x·w of the kernel's window on the drawn input, and their sum."""
    assert slider.lines
    for line in slider.lines:
        assert line.products == [a * b for a, b in line.factors]
        assert line.total_value == sum(line.products)
    # the first line is the kernel on the first window
    sp = slider.board.spec
    first = slider.lines[0]
    taps = list(np.ndindex(*sp.kernel))
    cells = [tuple(t * d for t, d in zip(tap, sp.dilation)) for tap in taps]
    assert first.factors == [(padded[c], kernel_applied[t]) for c, t in zip(cells, taps)]


# --- the narrated segment -------------------------------------------------------------------------

@pytest.mark.parametrize("lang", ["es", "en"])
def test_parametros_segment(run_segment, lang):
    scene = run_segment("s02_parametros", lang)
    assert scene.unspoken_beats() == []
    assert {b: p for b, p in scene.layout_report.items() if p} == {}

    # the guide's example, as shown
    x = scene.input_grid.shown_values()
    w = scene.kernel_grid.shown_values()
    assert (x == PAPER_INPUT).all() and (w == PAPER_KERNEL).all()
    assert scene.input_grid.label.original_text.endswith(size_text(x.shape))
    assert scene.kernel_grid.label.original_text.endswith(size_text(w.shape))
    assert tex_values(scene.tickers["input"]) == {"i": x.shape[0]}

    # the kernel beat: its products and their sum on the first window
    line = scene.first_line
    assert line.factors == list(zip(x[:3, :3].flat, w.flat))
    assert line.total_value == int((x[:3, :3] * w).sum()) == cm.correlate(x, w)[0, 0]

    # one parameter at a time: the output shown is convmath's for the numbers shown
    seen = {}
    for beat in ("slide", "stride", "padding", "dilation"):
        case = scene.cases[beat]
        q = tex_values(case["ticker"])
        s, p, d = q.get("s", 1), q.get("p", 0), q.get("d", 1)
        seen[beat] = (s, p, d)
        inp = case["input"]
        assert (core_values(inp) == x).all()
        assert padding_of(inp) == ((p, p), (p, p))
        expected = cm.correlate(core_values(inp), w, stride=s, padding=p, dilation=d)
        out = case["output"]
        assert (out.shown_values() == expected).all(), beat
        assert q["o"] == expected.shape[0]
        assert case["label"].original_text.endswith(size_text(expected.shape))
        assert case["slider"].footprint.dilation == (d, d)
    assert seen == {"slide": (1, 0, 1), "stride": (2, 0, 1), "padding": (1, 1, 1),
                    "dilation": (1, 0, 2)}
    dil = scene.cases["dilation"]["slider"]
    assert dil.footprint.extent == x.shape       # the narration: "it covers the whole input"
    check_products_lines(dil, dil.board.padded, w)

    # the general equation, then with the numbers of the line under it
    q = tex_values(scene.params_line)
    sp = cm.spec((q["i"], q["i"]), q["k"], q["s"], q["p"], q["d"])
    f = formulas.conv_output(sp, latex=True)
    card = scene.formula_card
    assert card.general_latex == f.general
    assert card.body is card.substituted
    rhs = card.substituted_latex.split("=", 1)[1].rsplit("=", 1)[0]
    assert eval_latex(rhs) == sp.output[0]
    assert card.result_latex == str(sp.output[0])

    # the whole convolution of those numbers, slid
    stage = scene.final["stage"]
    assert (core_values(stage.input) == x).all()
    assert padding_of(stage.input) == sp.padding
    assert (stage.kernel.shown_values() == w).all()
    expected = cm.correlate(x, w, stride=sp.stride, padding=sp.padding, dilation=sp.dilation)
    assert (stage.output.shown_values() == expected).all()
    slider = scene.final["slider"]
    assert len(slider.lines) == 1                      # the corner in detail, then faster
    check_products_lines(slider, stage.input.shown_values(), w)
    assert scene.positions_count.value == len(slider.steps) == expected.size

    # the dilated kernel's span, said and shown, is convmath's effective kernel
    assert scene.dilated_span.value == scene.cases["dilation"]["spec"].effective_kernel[0] == \
        (w.shape[0] - 1) * seen["dilation"][2] + 1
    # the padding returns to 0 for the dilation case, and the narration says so
    assert tex_values(scene.cases["dilation"]["ticker"])["p"] == 0


# --- A1: settings from the environment or a config file ------------------------------------------

def test_defaults_are_the_guides_example():
    params = conv_params_from_env({})
    assert params.spec.input == (5, 5) and params.spec.kernel == (3, 3)
    assert (params.x == PAPER_INPUT).all() and (params.w == PAPER_KERNEL).all()
    assert params.op == cm.CORRELATION
    assert (params.output() == cm.correlate(PAPER_INPUT, PAPER_KERNEL)).all()


def test_environment_settings_use_the_convmath_syntax(tmp_path):
    p = conv_params_from_env({"CONV_INPUT": "6x7", "CONV_KERNEL": "3x2", "CONV_STRIDE": "2x1",
                              "CONV_PADDING": "0:1,1", "CONV_DILATION": "1", "CONV_SEED": "4"})
    assert p.spec == cm.spec((6, 7), (3, 2), (2, 1), [(0, 1), 1], 1)
    assert p.x.shape == (6, 7) and p.w.shape == (3, 2) and p.seed == 4
    same = conv_params_from_env({"CONV_INPUT": "7", "CONV_PADDING": "same", "CONV_STRIDE": "2"})
    assert same.spec.padding_name == "same" and same.spec.output == (4,)
    full = conv_params_from_env({"CONV_INPUT": "5", "CONV_PADDING": "full"})
    assert full.spec.padding == ((2, 2),) and full.spec.output == (7,)
    valid = conv_params_from_env({"CONV_INPUT": "5x5", "CONV_PADDING": "valid"})
    assert valid.spec.padding == ((0, 0), (0, 0)) and valid.spec.output == (3, 3)
    (tmp_path / "k.json").write_text('[["1/2", 0], [1, -1]]')
    v = conv_params_from_env({"CONV_INPUT_VALUES": "[[1,2,3],[4,5,6],[7,8,9]]",
                              "CONV_KERNEL_VALUES": f"@{tmp_path / 'k.json'}",
                              "CONV_OP": "convolution"})
    assert v.spec.input == (3, 3) and v.spec.kernel == (2, 2)        # sizes from the values
    assert v.w[0, 0] == Fraction(1, 2)                                # exact
    assert (v.output() == cm.convolve(v.x, v.w)).all()
    assert (v.output() == cm.correlate(v.x, v.w[::-1, ::-1])).all()


def test_config_file_and_environment_override(tmp_path):
    (tmp_path / "x.json").write_text(json.dumps([[1, 2, 3, 4]] * 4))
    cfg = tmp_path / "conv.json"
    cfg.write_text(json.dumps({"input_values": "@x.json", "kernel": [2, 2], "stride": 2,
                               "padding": [[0, 1], 1], "op": "convolution"}))
    settings = read_settings({"CONV_CONFIG": str(cfg)})
    assert settings["padding"] == "0:1,1" and settings["kernel"] == "2x2"
    p = conv_params_from_settings(settings)
    assert p.spec == cm.spec((4, 4), 2, 2, [(0, 1), 1]) and p.op == cm.CONVOLUTION
    assert p.x.tolist() == [[1, 2, 3, 4]] * 4                         # @file beside the config
    over = conv_params_from_env({"CONV_CONFIG": str(cfg), "CONV_STRIDE": "1", "CONV_OP": ""})
    assert over.spec.stride == (1, 1) and over.op == cm.CONVOLUTION   # empty: not set


@pytest.mark.parametrize("env, message", [
    ({"CONV_INPUT": "5", "CONV_KERNEL": "7"}, "kernel 7 is larger than padded input 5"),
    ({"CONV_INPUT": "5", "CONV_KERNEL": "3", "CONV_DILATION": "3"}, "(dilated 7)"),
    ({"CONV_INPUT": "4x4x4"}, "3 axes"),
    ({"CONV_STRIDE": "two"}, "CONV_STRIDE"),
    ({"CONV_STRIDE": "0"}, "stride must be at least 1"),
    ({"CONV_PADDING": "-1"}, "padding must not be negative"),
    ({"CONV_PADDING": "middle"}, "padding must be integers"),
    ({"CONV_OP": "pooling"}, "CONV_OP must be correlation or convolution"),
    ({"CONV_SEED": "x"}, "CONV_SEED"),
    ({"CONV_INPUT": "5", "CONV_INPUT_VALUES": "[1, 2, 3]"}, "have shape 3, expected 5"),
    ({"CONV_INPUT_VALUES": "[[1, 2], [3]]"}, "rectangular"),
    ({"CONV_KERNEL_VALUES": "[1, 2, 3]"}, "1 axes but the input has 2"),
    ({"CONV_KERNEL_VALUES": "not json"}, "not a JSON array"),
    ({"CONV_INPUT_VALUES": "@/nonexistent/x.json"}, "cannot read"),
    ({"CONV_CONFIG": "/nonexistent/conv.json"}, "cannot read config file"),
])
def test_bad_settings_are_one_line_errors(env, message):
    with pytest.raises(cm.ConvError) as err:
        conv_params_from_env(env)
    text = str(err.value)
    assert message in text and "\n" not in text


def test_unknown_config_key(tmp_path):
    cfg = tmp_path / "c.json"
    cfg.write_text('{"input": "5x5", "strides": 2}')
    with pytest.raises(cm.ConvError, match="unknown key 'strides'"):
        conv_params_from_env({"CONV_CONFIG": str(cfg)})


def test_a1_refuses_what_it_cannot_draw():
    from scenes.s02_parametros import a1_params

    with pytest.raises(cm.ConvError, match="at most 14"):
        a1_params({"CONV_INPUT": "15x15"})
    with pytest.raises(cm.ConvError, match="taps"):
        a1_params({"CONV_INPUT": "9x9", "CONV_KERNEL": "6"})
    assert a1_params({"CONV_INPUT": "20"}).spec.input == (20,)          # 1D rows are longer


def test_bad_parameter_exits_before_the_scene_exists(monkeypatch, capsys):
    from scenes.s02_parametros import ConvolucionConfigurable

    monkeypatch.setenv("CONV_INPUT", "3x3")
    monkeypatch.setenv("CONV_KERNEL", "5")
    with pytest.raises(SystemExit) as exc:
        ConvolucionConfigurable()
    assert exc.value.code == 2
    assert capsys.readouterr().err == (
        "convmath: error: kernel 5 is larger than padded input 3 on axis 0\n")


def test_bad_parameter_is_one_line_and_no_render(tmp_path):
    env = dict(os.environ, CONV_INPUT="5x5", CONV_KERNEL="3", CONV_DILATION="3",
               LECTURE_VOICE="estimate", LECTURE_VOICE_CACHE=str(tmp_path / "voice"))
    proc = subprocess.run([sys.executable, "-m", "manim", "render", "-ql", "--media_dir",
                           str(tmp_path / "media"), "scenes/s02_parametros.py",
                           "ConvolucionConfigurable"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 2
    assert proc.stderr.strip().splitlines() == [
        "convmath: error: kernel 3 (dilated 7) is larger than padded input 5 on axis 0"]
    written = [p for p in (tmp_path / "media").rglob("*") if p.is_file()]
    assert not [p for p in written if p.suffix in (".mp4", ".png", ".wav", ".mp3", ".srt")]


# --- A1: dry runs, 1D and 2D ----------------------------------------------------------------------

def check_a1(scene, lang):
    assert scene.unspoken_beats() == []
    assert {b: p for b, p in scene.layout_report.items() if p} == {}
    stage = scene.stage
    q = scene.params
    x = core_values(stage.input)
    w = stage.kernel.shown_values()
    pads = padding_of(stage.input)
    assert (x == q.x).all() and (w == q.w).all() and pads == q.spec.padding
    op = scene.params.op
    fn = cm.convolve if op == cm.CONVOLUTION else cm.correlate
    expected = fn(x, w, stride=q.spec.stride, padding=pads, dilation=q.spec.dilation)
    assert (stage.output.shown_values() == expected).all()
    assert stage.output.label.original_text.endswith(size_text(expected.shape))
    assert stage.input.label.original_text.endswith(size_text(x.shape))
    # the products lines use the kernel as it slides (flipped for a true convolution)
    applied = w[(slice(None, None, -1),) * w.ndim] if op == cm.CONVOLUTION else w
    check_products_lines(scene.slider, stage.input.shown_values(), applied)
    # the formula cards: one per distinct axis, numbers that give the output size
    for card, f in zip(scene.cards, scene.card_formulas):
        axis = next(a for a in range(q.spec.ndim)
                    if formulas.conv_output(q.spec, a, latex=True) == f)
        rhs = card.substituted_latex.split("=", 1)[1].rsplit("=", 1)[0]
        assert eval_latex(rhs) == expected.shape[axis] == int(card.result_latex)
        assert card.body is card.substituted
    # the narration speaks the first output value
    first = expected.flat[0]
    spoken = scene.values["first"]
    assert spoken.replace("menos ", "-").replace("minus ", "-").replace(" sobre ", "/") \
        .replace(" over ", "/") == str(first)


def test_a1_one_dimensional(run_segment, monkeypatch):
    from scenes.s02_parametros import ConvolucionConfigurable

    monkeypatch.setenv("CONV_INPUT_VALUES", "[3, 1, 4, 1, 5, 9, 2, 6]")
    monkeypatch.setenv("CONV_KERNEL_VALUES", "[1, 0, -2]")
    monkeypatch.setenv("CONV_PADDING", "same")
    monkeypatch.setenv("CONV_STRIDE", "2")
    monkeypatch.setenv("CONV_OP", "convolution")
    scene = run_segment("a1_configurable", "es", scene_class=ConvolucionConfigurable,
                        watch=False)             # not a lecture segment: no anchors asked
    assert scene.params.spec.ndim == 1 and scene.params.spec.output == (4,)
    check_a1(scene, "es")
    assert len(scene.cards) == 1


def test_a1_two_dimensional_from_a_config_file(run_segment, monkeypatch, tmp_path):
    from scenes.s02_parametros import ConvolucionConfigurable

    cfg = tmp_path / "conv.json"
    cfg.write_text(json.dumps({"input": "6x7", "kernel_values": [["1/2", 0], [1, -1], [0, 2]],
                               "stride": "2x1", "padding": "same"}))
    monkeypatch.setenv("CONV_CONFIG", str(cfg))
    monkeypatch.setenv("CONV_SEED", "4")
    scene = run_segment("a1_configurable", "en", scene_class=ConvolucionConfigurable,
                        watch=False)             # not a lecture segment: no anchors asked
    assert scene.params.spec.kernel == (3, 2) and scene.params.spec.output == (3, 7)
    check_a1(scene, "en")
    assert len(scene.cards) == 2                   # the axes differ: one card each
