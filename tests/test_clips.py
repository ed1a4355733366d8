"""The clip command: arguments and their errors (one line, status 2, no file), the paper's set
(names and sizes from convmath), and two real renders read back with PyAV: a GIF and a WebM."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

av = pytest.importorskip("av")

import convmath as cm  # noqa: E402
from scenes.production import clips
from scenes.production.clips import (PAPER_CONVOLUTIONS, PAPER_TRANSPOSED, batch_module, batches,
                                     main, paper_clips)

ROOT = Path(__file__).resolve().parent.parent

PAPER_NAMES = [
    "no_padding_no_strides", "arbitrary_padding_no_strides", "same_padding_no_strides",
    "full_padding_no_strides", "no_padding_strides", "padding_strides", "padding_strides_odd",
    "dilation",
]


def run(argv, capsys):
    code = main(argv, prog="lecture clip")
    out = capsys.readouterr()
    return code, out.out, out.err


# --- arguments ------------------------------------------------------------------------------------

@pytest.mark.parametrize("argv, message", [
    (["5x5", "-o", "{file}/x.gif"], "--output (its folder) '{file}': is a file, not a folder"),
    (["5x5", "-o", "{folder}"], "--output '{folder}': is a folder; give a file name"),
    (["--preset", "paper", "--out-dir", "{file}"], "--out-dir '{file}': is a file, not a folder"),
])
def test_an_output_that_cannot_be_written_is_refused_before_rendering(argv, message, capsys,
                                                                        tmp_path):
    file, folder = tmp_path / "notes.txt", tmp_path / "shots.gif"
    file.write_text("keep me")
    folder.mkdir()
    fill = {"file": str(file), "folder": str(folder)}
    code, out, err = run([a.format(**fill) for a in argv], capsys)
    assert code == 2 and out == "" and err.count("\n") == 1
    assert message.format(**fill) in err
    assert file.read_text() == "keep me" and list(folder.iterdir()) == []


@pytest.mark.parametrize("argv, message", [
    (["3x3", "-k", "5"], "kernel 5 is larger than padded input 3 on axis 0"),
    (["5x5", "-d", "3"], "kernel 3 (dilated 7) is larger than padded input 5"),
    (["15x15"], "at most 14 per axis"),
    (["5x5", "--stride", "two"], "--stride must be integers like 7 or 7x5, got 'two'"),
    (["2x2", "-t", "-s", "2", "--output-padding", "2"], "output_padding 2 must be smaller"),
    (["5x5", "--output-padding", "1"], "only applies to transposed convolutions"),
    (["5x5", "--view", "superposition", "--output-padding", "1"], "goes with --transposed"),
    (["5x5", "-t", "-p", "same"], "padding 'same' is defined for convolutions"),
    (["5", "--input-values", "[1, 2, 3]"], "--input-values have shape 3, expected 5"),
    (["--kernel-values", "[[1, 2], [3]]"], "--kernel-values must be a rectangular array"),
    (["5x5", "--format", "gif", "-o", "x.mp4"], "does not match the output file's extension"),
    (["5x5", "-o", "clip.txt"], "cannot tell the format"),
    (["5x5", "--size", "480p", "--width", "300"], "--size or --width/--height"),
    (["5x5", "--fps", "0"], "--fps must be between 1 and 60"),
    (["5x5", "--pace", "9"], "--pace must be between"),
    (["5x5", "--view", "sideways"], "invalid choice: 'sideways'"),
    (["5x5", "--bogus"], "unrecognized arguments: --bogus"),
    (["--preset", "paper", "5x5", "-s", "2"], "drop input, --stride"),
    (["--preset", "paper", "--view", "matrix"], "drop --view"),
    (["5x5", "--out-dir", "x"], "--out-dir goes with --preset"),
    (["4x4x4"], "has 3 axes"),
])
def test_impossible_parameters_are_one_line_status_2_no_file(argv, message, capsys, tmp_path,
                                                            monkeypatch):
    monkeypatch.setenv("LECTURE_MEDIA", str(tmp_path / "media"))
    monkeypatch.chdir(tmp_path)
    code, out, err = run(argv, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and err.startswith("lecture clip: error: ")
    assert message in err
    assert "Traceback" not in err
    assert not [p for p in tmp_path.rglob("*") if p.is_file()]          # nothing written


def test_dry_run_names_formats_and_sizes(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("LECTURE_MEDIA", str(tmp_path))
    code, out, _ = run(["5x5", "-k", "3", "-s", "2", "-p", "1", "--dry-run"], capsys)
    assert code == 0
    assert out.startswith(str(tmp_path / "clips" / "conv_i5x5_k3x3_s2_p1_d1.gif") + ": ")
    assert "-> output 3x3; view slide, 640x360 at 10 fps, es" in out
    code, out, _ = run(["7", "-p", "0:1", "-o", str(tmp_path / "a.webm"), "--size", "1080p",
                        "--lang", "en", "--dry-run"], capsys)
    assert code == 0 and "a.webm: convolution input 7 kernel 3" in out
    assert "1920x1080 at 30 fps, en" in out
    code, out, _ = run(["5x5", "-s", "2", "-p", "1", "--view", "direct", "--width", "800",
                        "--format", "mp4", "--dry-run"], capsys)
    # the direct view of a convolution: its transposed convolution (plan_transpose)
    plan = cm.plan_transpose(cm.spec((5, 5), 3, 2, 1))
    assert f"{plan.transposed.describe()}; view direct, 800x450 at 30 fps" in out
    assert "transposed_i3x3_k3x3_s2_p1_d1.mp4" in out
    assert not list(tmp_path.rglob("*.*"))


def test_help_explains_the_views_and_the_preset(capsys):
    with pytest.raises(SystemExit) as info:
        main(["--help"], prog="lecture clip")
    assert info.value.code == 0
    text = capsys.readouterr().out
    for words in ("--transposed", "--output-padding", "superposition", "--preset",
                  "--format", "--size", "--fps", "--lang", "--output", "status 2"):
        assert words in text


# --- the paper's set ------------------------------------------------------------------------------

def test_paper_set_names_and_sizes_from_convmath(tmp_path):
    made = paper_clips(out_dir=tmp_path)
    names = [c.output.name for c in made]
    assert names == [f"{n}.gif" for n in PAPER_NAMES] + [
        f"{n}_transposed.gif" for n in PAPER_NAMES[:7]] + [
        "dilation_transposed.gif", "kernel2_stride2_transposed.gif"]
    assert len(set(names)) == 17
    # (i, o) of each convolution, as the paper gives them, from convmath
    table = {c.name: (c.i, c.o, c.p, c.k, c.s, c.d) for c in PAPER_CONVOLUTIONS}
    assert table == {
        "no_padding_no_strides": (4, 2, 0, 3, 1, 1),
        "arbitrary_padding_no_strides": (5, 6, 2, 4, 1, 1),
        "same_padding_no_strides": (5, 5, 1, 3, 1, 1),
        "full_padding_no_strides": (5, 7, 2, 3, 1, 1),
        "no_padding_strides": (5, 2, 0, 3, 2, 1),
        "padding_strides": (5, 3, 1, 3, 2, 1),
        "padding_strides_odd": (6, 3, 1, 3, 2, 1),
        "dilation": (7, 3, 0, 3, 1, 2)}
    for case in PAPER_CONVOLUTIONS + PAPER_TRANSPOSED:
        assert cm.spec(case.i, case.k, case.s, case.p, case.d).output == (case.o,)
    for clip in made[:8]:
        case = PAPER_CONVOLUTIONS[made.index(clip)]
        assert clip.view == "slide" and not clip.spec.transposed
        assert clip.spec.input == (case.i,) * 2 and clip.spec.output == (case.o,) * 2
    # the transposed ones: input o, output i; drawn as the paper does (zeros inserted,
    # padding d(k−1)−p, stride 1, the odd case's a extra zeros after)
    for clip, case in zip(made[8:], PAPER_TRANSPOSED):
        sp = clip.spec
        assert clip.view == "direct" and sp.transposed
        assert sp.input == (case.o,) * 2 and sp.output == (case.i,) * 2
        plan = cm.plan_transpose(case.conv())
        assert sp == plan.transposed
        de = cm.direct_storyboard(sp, [[0] * case.o] * case.o, [[0] * case.k] * case.k)
        assert de.zeros_between == (case.s - 1,) * 2 and de.conv.stride == (1, 1)
        kk = case.d * (case.k - 1) + 1
        assert de.padding == ((kk - 1 - case.p, kk - 1 - case.p + plan.a[0]),) * 2
    odd = made[8 + 6]
    assert odd.output.name == "padding_strides_odd_transposed.gif"
    assert odd.spec.output_padding == (1, 1)
    k2 = made[-1].spec
    assert (k2.kernel, k2.stride) == ((2, 2), (2, 2)) and cm.overlap_map(k2).max() == 1


def test_preset_renders_in_balanced_batches(tmp_path):
    made = paper_clips(out_dir=tmp_path)
    groups = batches(made, 2)
    assert len(groups) == 2 and sorted(c.name for g in groups for c in g) == \
        sorted(c.name for c in made)
    loads = [sum(clips.clip_cost(c) for c in g) for g in groups]
    assert max(loads) - min(loads) <= max(clips.clip_cost(c) for c in made)
    source = batch_module(groups[0])
    tree = ast.parse(source)
    classes = [n.name for n in tree.body if isinstance(n, ast.ClassDef)]
    assert classes == [c.class_name for c in groups[0]]
    assert "CONV_NARRATION': '0'" in source and "CONV_VIEW" in source


# --- real renders ---------------------------------------------------------------------------------

def test_one_small_gif_render(capsys, tmp_path):
    out = tmp_path / "tiny.gif"
    code, printed, err = run(["3x3", "-k", "2", "--width", "192", "--height", "108", "--fps",
                              "5", "--pace", "0.2", "-o", str(out)], capsys)
    assert code == 0, err
    assert str(out) in printed
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        assert c.format.name == "gif" and stream.codec_context.name == "gif"
        assert (stream.width, stream.height) == (192, 108)
        frames = list(c.decode(video=0))
    assert len(frames) > 1
    first, last = frames[0].to_ndarray(format="rgb24"), frames[-1].to_ndarray(format="rgb24")
    assert (first != last).any()                      # the output filled in between
    data = out.read_bytes()
    assert b"NETSCAPE2.0" in data                     # loops
    assert [p.name for p in tmp_path.iterdir()] == ["tiny.gif"]      # no scratch left


def test_one_small_webm_render(tmp_path):
    out = tmp_path / "tiny.webm"
    proc = subprocess.run([sys.executable, "-m", "scenes.production.clips", "2", "-k", "2", "-s", "2",
                           "--transposed", "--view", "superposition", "--width", "192",
                           "--height", "108", "--fps", "5", "--pace", "0.2", "-o", str(out)],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    with av.open(str(out)) as c:
        stream = c.streams.video[0]
        assert "webm" in c.format.name and stream.codec_context.name == "vp9"
        assert (stream.width, stream.height) == (192, 108)
        assert sum(1 for _ in c.decode(video=0)) > 1


def test_mp4_is_rewritten_with_its_index_first(tmp_path):
    import struct

    import numpy as np

    src, dst = tmp_path / "in.mp4", tmp_path / "out.mp4"
    with av.open(str(src), "w") as out:
        stream = out.add_stream("libx264", rate=5)
        stream.width, stream.height, stream.pix_fmt = 64, 64, "yuv420p"
        for k in range(5):
            img = np.full((64, 64, 3), 40 * k, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)

    def boxes(path):
        data, names, at = path.read_bytes(), [], 0
        while at + 8 <= len(data):
            size, kind = struct.unpack(">I4s", data[at:at + 8])
            names.append(kind.decode())
            at += size if size else len(data)
        return names

    assert boxes(src).index("moov") > boxes(src).index("mdat")      # as Manim writes it
    assert clips.faststart_mp4(src, dst) == 5
    assert boxes(dst).index("moov") < boxes(dst).index("mdat")
