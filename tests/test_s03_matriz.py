"""Segment s03_matriz (A2, convolution as a matrix): what it shows is convmath's, in both
languages; and the configurable scene MatrizConfigurable reads CONV_* variables.

Every check reads the numbers back from the scene's mobjects (grids, matrix entries) and
recomputes them with convmath from what the scene displays.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("manim")

import convmath as cm  # noqa: E402
from scenes.kit import layout_problems, value_latex  # noqa: E402
from scenes.kit.text.numfmt import parse_number

ROOT = Path(__file__).resolve().parent.parent


def as_array(values) -> np.ndarray:
    """Object array of shown values → int array (every value shown here is an integer)."""
    return np.array([[int(v) for v in row] for row in np.atleast_2d(values)]).reshape(
        np.shape(values))


def unpadded(grid) -> np.ndarray:
    """The input cells (not padding) of a grid showing a padded input, and the padding."""
    core = grid.cell_kind != "padding"
    rows = np.nonzero(core.any(axis=1))[0] if grid.ndim == 2 else None
    if grid.ndim == 1:
        cols = np.nonzero(core)[0]
        vals = grid.shown_values()[cols[0]:cols[-1] + 1]
        return as_array(vals), ((int(cols[0]), grid.shape[0] - 1 - int(cols[-1])),)
    cols = np.nonzero(core.any(axis=0))[0]
    vals = grid.shown_values()[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]
    pads = ((int(rows[0]), grid.shape[0] - 1 - int(rows[-1])),
            (int(cols[0]), grid.shape[1] - 1 - int(cols[-1])))
    return as_array(vals), pads


@pytest.mark.parametrize("lang", ["es", "en"])
def test_matrix_segment_shows_convmath(run_segment, lang):
    scene = run_segment("s03_matriz", lang)
    assert scene.unspoken_beats() == []
    assert list(scene.layout_report) == list(scene.text.beat_ids)
    assert all(problems == [] for problems in scene.layout_report.values()), \
        scene.layout_report

    # --- the 4×4 example: input, kernel, vec(x), C, C·vec(x), output ----------------------
    x = as_array(scene.inp.shown_values())
    w = as_array(scene.ker.shown_values())
    sp = cm.spec(x.shape, w.shape)
    assert x.shape == (4, 4) and w.shape == (3, 3)        # the guide's 4×16 example
    assert scene.inp.label.original_text.endswith("4×4")
    xflat = as_array(scene.vec.shown_values())
    assert (xflat == x.reshape(-1)).all()                   # flattened row by row
    mv = scene.mv
    C = cm.conv_matrix_dense(sp, w)
    assert mv.taps.shape == (4, 16)
    assert (mv.taps == cm.tap_matrix(sp)).all()
    for r in range(C.shape[0]):
        for c in range(C.shape[1]):
            assert mv.entry(r, c).value == C[r, c]
            if mv.taps[r, c] >= 0:
                assert mv.shown()[r, c] == value_latex(C[r, c])
            else:
                assert mv.shown()[r, c] == "0"
    y = as_array(scene.ycol.shown_values()).reshape(-1)
    assert (y == C.dot(xflat)).all()
    assert (y == cm.correlate(x, w).reshape(-1)).all()
    out = as_array(scene.out.shown_values())
    assert (out == cm.correlate(x, w)).all()
    # the products lines: row r of C times vec(x), only the kernel's entries
    board = cm.storyboard(sp, x, w)
    for r, line in enumerate(scene.products):
        assert line.total_value == y[r]
        assert sorted(line.pairs) == sorted((t.x, t.w) for t in board.steps[r].taps)

    # rows and positions are numbered from 1, on screen and in speech
    words = " ".join(c.text for c in scene.subtitle_cues)
    first_caption = scene.row_captions[0].original_text
    assert scene.s("row", r=1) == first_caption and "1" in first_caption
    assert [c.original_text for c in scene.row_captions] == \
        [scene.s("row", r=r) for r in range(1, len(y) + 1)]
    assert ("contamos desde 1" if lang == "es" else "count from 1") in words

    # --- how sparse C is: this example, then bigger inputs (convmath's counts) ----------------
    nz = len(cm.matrix_entries(sp)[0])
    note = scene.nonzero_note.original_text
    assert note.startswith(f"{nz} ") and f" {C.size} " in note
    assert f"({np.count_nonzero(C)} " in note                # the kernel's own zeros count too
    for row in scene.zero_rows:
        spn = cm.spec((row.size, row.size), w.shape)
        count = len(cm.matrix_entries(spn)[0])
        entries = int(np.prod(cm.matrix_shape(spn)))
        assert (row.nonzero, row.entries) == (count, entries)
        shown = parse_number(row[1].original_text.replace("%", "").strip(), lang)
        assert shown == pytest.approx(100 * (1 - count / entries), abs=0.05)
    assert scene.zero_rows[0].size == x.shape[0]          # the table starts with this example
    assert scene.zero_rows[-1].pct in words

    # --- the strided, padded example as a heat map ------------------------------------------
    x2, pads = unpadded(scene.inp2)
    w2 = as_array(scene.key.shown_values())
    out2 = as_array(scene.out2.shown_values())
    assert all(v == 0 for v, k in zip(scene.inp2.shown_values().flat, scene.inp2.cell_kind.flat)
               if k == "padding")
    # the stride is the one that gives the output shown
    strides = [s for s in range(1, 6)
               if cm.spec(x2.shape, w2.shape, stride=s, padding=pads).output == out2.shape]
    assert strides, "no stride gives the output shown"
    sp2 = cm.spec(x2.shape, w2.shape, stride=strides[0], padding=pads)
    heat = scene.heat
    assert (heat.taps == cm.tap_matrix(sp2)).all()
    assert (heat.values == cm.conv_matrix_dense(sp2, w2)).all()
    assert (heat.values.dot(x2.reshape(-1)) == out2.reshape(-1)).all()
    assert (out2 == cm.correlate(x2, w2, stride=sp2.stride, padding=sp2.padding)).all()
    rows, cols = heat.taps.shape
    nz = len(cm.matrix_entries(sp2)[0])
    # the narration says the matrix' shape and its weights (numbers from convmath), and the
    # screen shows them when they are said
    for n in (rows, cols, nz):
        assert str(n) in words
    assert scene.nonzero_note2.original_text.startswith(f"{nz} ")
    assert f" {rows * cols} " in scene.nonzero_note2.original_text
    # the padding cells have no column: C has one column per real input cell
    assert cols == x2.size and scene.columns_note.original_text.startswith(f"{cols} ")
    # Cᵀ is where the backward pass goes: the gradient formula is on screen
    assert "C^{\\mathsf{T}}" in scene.gradient.tex_string
    # Cᵀ: the same map reflected across its diagonal, cols × rows
    ct = scene.transposed_view
    ratio = ct.background.height / ct.background.width
    assert ratio == pytest.approx(cols / rows, rel=1e-3)


# --- the configurable scene ------------------------------------------------------------------

def run_configurable(run_segment, monkeypatch, lang="es", **env):
    from scenes.s03_matriz import MatrizConfigurable

    for key in ("INPUT", "KERNEL", "STRIDE", "PADDING", "DILATION", "SEED", "OP", "CONFIG",
                "INPUT_VALUES", "KERNEL_VALUES", "TRANSPOSED", "OUTPUT_PADDING", "VIEW",
                "NARRATION", "PACE"):
        monkeypatch.delenv(f"CONV_{key}", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(f"CONV_{key.upper()}", str(value))
    return run_segment("s03_matriz", lang, scene_class=MatrizConfigurable)


def test_configurable_strided_padded_2d(run_segment, monkeypatch):
    scene = run_configurable(run_segment, monkeypatch, "en", input="5x5", kernel=3, stride=2,
                             padding=1, seed=2)
    assert layout_problems(scene.mobjects) == []
    x, pads = unpadded(scene.inp)
    w = as_array(scene.key.shown_values())
    out = as_array(scene.out.shown_values())
    sp = cm.spec(x.shape, w.shape, stride=2, padding=pads)
    assert sp.output == out.shape == (3, 3)
    assert (scene.mat.values == cm.conv_matrix_dense(sp, w)).all()
    assert (scene.mat.values.dot(x.reshape(-1)) == out.reshape(-1)).all()
    assert (out == cm.correlate(x, w, stride=2, padding=1)).all()
    assert "stride 2" in scene.header.original_text and "Output 3×3" in \
        scene.header.original_text


def test_configurable_1d_convolution_same_dilated(run_segment, monkeypatch):
    scene = run_configurable(run_segment, monkeypatch, "es", input=7, kernel=3,
                             padding="same", dilation=2, op="convolution")
    assert layout_problems(scene.mobjects) == []
    x, pads = unpadded(scene.inp)
    slid = as_array(scene.key.shown_values())          # the flipped kernel C holds
    w = slid[::-1]
    out = as_array(scene.out.shown_values())
    assert (out == cm.convolve(x, w, padding=pads, dilation=2)).all()
    assert (scene.mat.values.dot(x) == out).all()
    assert out.shape == x.shape                          # same padding
    assert scene.op_caption.op == cm.CONVOLUTION


@pytest.mark.parametrize("env,message", [
    ({"input": "4x4", "kernel": "9"}, "kernel 9 is larger than padded input 4 on axis 0"),
    ({"input": "40x40"}, "at most 16"),
    ({"input": "4x4x4"}, "at most 2"),
    ({"stride": "two"}, "must be integers"),
])
def test_configurable_bad_settings_exit_with_one_line(monkeypatch, capsys, env, message):
    from scenes.s03_matriz import MatrizConfigurable

    for key, value in env.items():
        monkeypatch.setenv(f"CONV_{key.upper()}", value)
    with pytest.raises(SystemExit) as info:
        MatrizConfigurable()
    assert info.value.code == 2
    text = capsys.readouterr().err.strip()
    assert message in text and "\n" not in text and text.startswith("convmath: error:")


def test_manim_render_prints_the_error_line(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "CONV_INPUT": "3", "CONV_KERNEL": "5",
           "LECTURE_VOICE": "estimate", "HOME": str(tmp_path)}
    proc = subprocess.run([sys.executable, "-m", "manim", "render", "--dry_run",
                           "--media_dir", str(tmp_path / "media"), "scenes/s03_matriz.py",
                           "MatrizConfigurable"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 2
    lines = [ln for ln in proc.stderr.splitlines() if ln.strip()]
    assert lines[-1] == "convmath: error: kernel 5 is larger than padded input 3 on axis 0"
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "media" / "videos").exists()
