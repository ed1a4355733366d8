"""The ``clip`` command: one silent animation of any convolution, for a blog or a slide.

    lecture clip 5x5 -k 3 -s 2 -p 1                          # media/clips/<name>.gif
    lecture clip 7 -k 3 -p same -d 2 --format mp4 --size 720p
    lecture clip 2x2 -k 3 -s 2 --transposed --view superposition -o up.webm
    lecture clip 5x5 -k 3 -s 2 -p 1 --view direct            # its transposed convolution
    lecture clip --preset paper                              # the paper's animations, as GIFs
    python -m scenes.production.clips --help

Parameters use the syntax of the ``convmath`` command (sizes ``5`` or ``5x7``, padding ``1``,
``0:1,1`` or valid|same|full, ``--transposed`` and ``--output-padding`` with PyTorch's meaning),
values as JSON arrays (``--input-values '[[1,2],[3,4]]'`` or ``@file.json``) or ``--seed``.
The views are the configurable scenes, rendered without voice, subtitles or title card
(``CONV_NARRATION=0``): ``slide`` and ``direct`` (A1, the kernel sliding; ``direct`` is a
transposed convolution's equivalent direct convolution: zeros inserted, padding d(k−1)−p,
kernel flipped, stride 1), ``superposition`` (A1, each input cell stamps the scaled kernel),
``matrix`` (A2, C or Cᵀ) and ``connectivity`` (A3, the links, reversed for a transposed
convolution). ``direct`` or ``superposition`` of a convolution (no ``--transposed``) show the
transposed convolution that maps its output back to its input size (``convmath.plan_transpose``,
as the paper's ``*_transposed`` animations).

Each clip renders with ``python -m manim render`` in a subprocess, into a scratch folder
beside the output, and is moved into place only when complete. MP4 and WebM come from Manim
directly (the MP4 is rewritten with its index first, for web playback; the WebM's VP9 uses
the real-time speed setting). A GIF is rendered losslessly (QuickTime Animation) and encoded
here with PyAV: one palette for the whole clip and no dithering, so unchanged pixels stay
unchanged and the GIF stores only what moves (Manim's own GIF goes through lossy H.264 and
dithering, so every frame differs: a 20 s clip at 640×360 was about 20 MB). GIFs loop forever.

``--preset paper`` renders the set of Dumoulin & Visin's animations (named as the paper's
files, e.g. ``no_padding_no_strides.gif``, ``padding_strides_odd_transposed.gif``), plus two
the paper lacks (``dilation_transposed``, ``kernel2_stride2_transposed``), two at a time.

Impossible parameters print one line (``lecture clip: error: ...``), exit with status 2 and
write nothing: convmath and the views' limits (:mod:`scenes.configurable.views`) are checked here,
before any render starts.

Clips are rendered in batches (one Manim process per batch; the paper's set in two batches
of about equal cost, side by side on two cores): this module writes a small module with one
subclass of the view's scene per clip, its settings in the class attribute ``CONV_ENV``
(:func:`scenes.configurable.views.scene_environ`), so Manim's start-up (about a second of
CPU) is paid once per batch rather than once per clip.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from fractions import Fraction
from pathlib import Path

import numpy as np

import convmath as cm
from scenes.configurable.params_env import conv_params_from_env
from scenes.configurable.views import PACE_RANGE, VIEWS, check_drawable, effective_view

ROOT = Path(__file__).resolve().parent.parent.parent
PROG = "lecture clip"
FORMATS = ("gif", "mp4", "webm")
SIZES = {"480p": (854, 480), "720p": (1280, 720), "1080p": (1920, 1080)}
GIF_SIZE = (640, 360)            # a blog column; numbers of an 11×11 grid stay readable
DEFAULT_FPS = {"gif": 10, "mp4": 30, "webm": 30}
LANGS = ("es", "en")
SCENES = {   # view: (scene file, scene class)
    "slide": ("scenes/s02_parametros.py", "ConvolucionConfigurable"),
    "direct": ("scenes/s02_parametros.py", "ConvolucionConfigurable"),
    "superposition": ("scenes/s02_parametros.py", "ConvolucionConfigurable"),
    "matrix": ("scenes/s03_matriz.py", "MatrizConfigurable"),
    "connectivity": ("scenes/s04_conectividad.py", "ConectividadConfigurable"),
}
# Manim's segment encoders per format: a GIF is rendered losslessly first
MANIM_FORMAT = {
    "gif": ["--format", "mov", "--video-codec", "qtrle", "--pixel-format", "rgb24"],
    "mp4": ["--format", "mp4"],
    "webm": ["--format", "webm", "--encoder-option", "deadline=realtime",
             "--encoder-option", "cpu-used=8"],
}
RENDER_EXT = {"gif": "mov", "mp4": "mp4", "webm": "webm"}
# the scenes' names for the settings, as the command's options (for error lines)
OPTION_NAMES = {"CONV_INPUT_VALUES": "--input-values", "CONV_KERNEL_VALUES": "--kernel-values",
                "CONV_OUTPUT_PADDING": "--output-padding", "CONV_TRANSPOSED": "--transposed",
                "CONV_INPUT": "input size", "CONV_KERNEL": "--kernel", "CONV_STRIDE": "--stride",
                "CONV_PADDING": "--padding", "CONV_DILATION": "--dilation",
                "CONV_SEED": "--seed", "CONV_OP": "--op", "CONV_PACE": "--pace",
                "CONV_VIEW": "--view", "CONV_INPUT (input size)": "the input size",
                "CONV_KERNEL (kernel size)": "--kernel", "CONV_STRIDE (stride)": "--stride",
                "CONV_DILATION (dilation)": "--dilation",
                "CONV_OUTPUT_PADDING (output padding)": "--output-padding"}


class ClipError(cm.ConvError):
    """A clip that cannot be made: the message is the one line shown."""


# --- the paper's animations ---------------------------------------------------------------------

@dataclass(frozen=True)
class PaperCase:
    """One of the guide's animations: a convolution (i, o, p, k, s, d) and its name."""

    name: str
    i: int
    o: int
    p: int
    k: int
    s: int
    d: int = 1

    def conv(self) -> cm.ConvSpec:
        return cm.spec((self.i, self.i), self.k, self.s, self.p, self.d)


PAPER_CONVOLUTIONS = (
    PaperCase("no_padding_no_strides", 4, 2, 0, 3, 1, 1),
    PaperCase("arbitrary_padding_no_strides", 5, 6, 2, 4, 1, 1),
    PaperCase("same_padding_no_strides", 5, 5, 1, 3, 1, 1),
    PaperCase("full_padding_no_strides", 5, 7, 2, 3, 1, 1),
    PaperCase("no_padding_strides", 5, 2, 0, 3, 2, 1),
    PaperCase("padding_strides", 5, 3, 1, 3, 2, 1),
    PaperCase("padding_strides_odd", 6, 3, 1, 3, 2, 1),
    PaperCase("dilation", 7, 3, 0, 3, 1, 2),
)
# the paper draws the transposed version of the first seven; two more it lacks
PAPER_TRANSPOSED = PAPER_CONVOLUTIONS[:7] + (
    PaperCase("dilation", 7, 3, 0, 3, 1, 2),
    PaperCase("kernel2_stride2", 4, 2, 0, 2, 2, 1),
)


# --- one clip -------------------------------------------------------------------------------------

@dataclass
class Clip:
    """Everything one render needs: the ``CONV_*`` settings, the view, the file to write."""

    name: str
    settings: dict                 # CONV_* variables (without CONV_VIEW / NARRATION / PACE)
    view: str
    fmt: str = "gif"
    width: int = GIF_SIZE[0]
    height: int = GIF_SIZE[1]
    fps: float = DEFAULT_FPS["gif"]
    lang: str = "es"
    pace: float | None = None
    output: Path | None = None
    spec: cm.ConvSpec | None = field(default=None, repr=False)

    def conv_env(self) -> dict[str, str]:
        """The scene's settings: the ``CONV_*`` parameters, the view, silent, the pace."""
        env = dict(self.settings)
        env.update({"CONV_VIEW": self.view, "CONV_NARRATION": "0"})
        if self.pace is not None:
            env["CONV_PACE"] = _num(self.pace)
        return env

    @property
    def class_name(self) -> str:
        """The name of the scene class generated for this clip (a Python identifier)."""
        return "Clip_" + re.sub(r"\W", "_", self.name)


def _num(v: float) -> str:
    return str(int(v)) if float(v).is_integer() else str(v)


def _option_names(message: str) -> str:
    for var, option in sorted(OPTION_NAMES.items(), key=lambda kv: -len(kv[0])):
        message = message.replace(var, option)
    return message


def check_clip(clip: Clip) -> Clip:
    """Check the clip's parameters with convmath and the view's limits (no manim); returns
    the clip with its resolved spec. Raises :class:`ClipError` with one line."""
    try:
        params = conv_params_from_env(clip.settings, max_ndim=2, max_cells=64)
        view = effective_view(clip.view, params.transposed)
        check_drawable(params.spec, view)
    except cm.ConvError as exc:
        raise ClipError(_option_names(str(exc))) from None
    return replace(clip, spec=params.spec)


def conv_settings(input_size: str | None, kernel="3", stride="1", padding="0", dilation="1",
                  transposed=False, output_padding="0", input_values=None, kernel_values=None,
                  seed=None, op=None) -> dict[str, str]:
    """``CONV_*`` settings from the command's option texts."""
    out = {"CONV_KERNEL": kernel, "CONV_STRIDE": stride, "CONV_PADDING": padding,
           "CONV_DILATION": dilation, "CONV_TRANSPOSED": "1" if transposed else "0",
           "CONV_OUTPUT_PADDING": output_padding}
    if input_size is not None:
        out["CONV_INPUT"] = input_size
    if input_values is not None:
        out["CONV_INPUT_VALUES"] = input_values
    if kernel_values is not None:
        out["CONV_KERNEL_VALUES"] = kernel_values
    if seed is not None:
        out["CONV_SEED"] = str(seed)
    if op is not None:
        out["CONV_OP"] = op
    return out


def _fmt(t) -> str:
    return "x".join(str(int(v)) for v in t)


def transposed_settings(conv: cm.ConvSpec, base: dict | None = None) -> dict[str, str]:
    """Settings of the transposed convolution that maps ``conv``'s output back to its input
    (``convmath.plan_transpose``): input o, the same kernel, stride, padding and dilation,
    output padding a (the odd case's extra cells)."""
    t = cm.plan_transpose(conv).transposed
    out = dict(base or {})
    for key in ("CONV_INPUT", "CONV_KERNEL", "CONV_STRIDE", "CONV_PADDING", "CONV_DILATION",
                "CONV_OUTPUT_PADDING", "CONV_TRANSPOSED"):
        out.pop(key, None)
    out.update({"CONV_INPUT": _fmt(t.input), "CONV_KERNEL": _fmt(t.kernel),
                "CONV_STRIDE": _fmt(t.stride),
                "CONV_PADDING": ",".join(f"{b}:{a}" for b, a in t.padding),
                "CONV_DILATION": _fmt(t.dilation), "CONV_TRANSPOSED": "1",
                "CONV_OUTPUT_PADDING": _fmt(t.output_padding)})
    return out


def paper_clips(fmt: str = "gif", width: int = GIF_SIZE[0], height: int = GIF_SIZE[1],
                fps: float | None = None, lang: str = "es", pace: float | None = None,
                out_dir: Path | None = None) -> list[Clip]:
    """The paper's set: each convolution slid, then each transposed one as its direct
    equivalent (input: the convolution's output size)."""
    fps = DEFAULT_FPS[fmt] if fps is None else fps
    out_dir = out_dir or default_dir() / "paper"
    clips = []
    for case in PAPER_CONVOLUTIONS:
        settings = conv_settings(f"{case.i}x{case.i}", str(case.k), str(case.s), str(case.p),
                                 str(case.d))
        clips.append(Clip(case.name, settings, "slide", fmt, width, height, fps, lang, pace,
                          out_dir / f"{case.name}.{fmt}"))
    for case in PAPER_TRANSPOSED:
        name = f"{case.name}_transposed"
        settings = transposed_settings(case.conv(), conv_settings(None))
        clips.append(Clip(name, settings, "direct", fmt, width, height, fps, lang, pace,
                          out_dir / f"{name}.{fmt}"))
    return [check_clip(c) for c in clips]


def default_dir() -> Path:
    return Path(os.environ.get("LECTURE_MEDIA") or ROOT / "media") / "clips"


def clip_name(sp: cm.ConvSpec, view: str) -> str:
    """A file name from the parameters: ``conv_i5x5_k3x3_s2_p1_d1``, ``transposed_…_direct``."""
    def per_axis(values):
        values = [int(v) for v in values]
        return str(values[0]) if len(set(values)) == 1 else "x".join(map(str, values))

    pads = [str(b) if b == a else f"{b}-{a}" for b, a in sp.padding]
    pad = pads[0] if len(set(pads)) == 1 else "_".join(pads)
    parts = ["transposed" if sp.transposed else "conv", f"i{_fmt(sp.input)}",
             f"k{_fmt(sp.kernel)}", f"s{per_axis(sp.stride)}",
             f"p{sp.padding_name or pad}", f"d{per_axis(sp.dilation)}"]
    if sp.transposed and any(sp.output_padding):
        parts.append(f"op{per_axis(sp.output_padding)}")
    if view not in ("slide", "direct"):
        parts.append(view)
    return "_".join(parts)


# --- rendering ------------------------------------------------------------------------------------

class RenderFailed(RuntimeError):
    """Manim failed; the message is one line (the last error line of its output)."""


BATCH_HEADER = '''"""Clips rendered together by one Manim process (written by scenes.production.clips)."""

'''


def batch_module(clips: list[Clip]) -> str:
    """Python source of a module with one scene class per clip: a subclass of the view's
    configurable scene whose ``CONV_ENV`` holds the clip's settings."""
    lines = [BATCH_HEADER]
    bases = {}
    for clip in clips:
        scene_file, scene_class = SCENES[clip.view]
        module = scene_file[:-3].replace("/", ".")
        bases.setdefault((module, scene_class), f"_Base{len(bases)}")
    for (module, scene_class), alias in bases.items():
        lines.append(f"from {module} import {scene_class} as {alias}\n")
    for clip in clips:
        scene_file, scene_class = SCENES[clip.view]
        alias = bases[(scene_file[:-3].replace("/", "."), scene_class)]
        lines.append(f"\n\nclass {clip.class_name}({alias}):\n"
                     f"    CONV_ENV = {clip.conv_env()!r}\n")
    return "".join(lines)


def batch_command(clips: list[Clip], module: Path, media_dir: Path) -> list[str]:
    first = clips[0]
    return [sys.executable, "-m", "manim", "render", *MANIM_FORMAT[first.fmt],
            "-r", f"{first.width},{first.height}", "--fps", _num(first.fps),
            "--disable_caching", "--progress_bar", "none", "-v", "WARNING", "--silent",
            "--media_dir", str(media_dir), str(module), *(c.class_name for c in clips)]


def render(clip: Clip) -> dict:
    """Render one checked clip to ``clip.output``; returns {"path", "seconds", "bytes", ...}."""
    return render_batch([clip])[0]


def render_batch(clips: list[Clip]) -> list[dict]:
    """Render checked clips (same format, size, frame rate and language) in one Manim process,
    each moved to its ``output`` when complete; returns one result dict per clip."""
    if not clips:
        return []
    first = clips[0]
    for clip in clips[1:]:
        if (clip.fmt, clip.width, clip.height, clip.fps, clip.lang) != \
                (first.fmt, first.width, first.height, first.fps, first.lang):
            raise ValueError("a batch's clips share the format, size, frame rate and language")
    where = Path(first.output).parent
    where.mkdir(parents=True, exist_ok=True)
    start = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix=f".{first.name}.", dir=where))
    results = []
    try:
        module = scratch / "clip_batch.py"
        module.write_text(batch_module(clips), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if not k.startswith("CONV_")}
        env.update({"LECTURE_LANG": first.lang, "LECTURE_VOICE": "estimate"})
        proc = subprocess.run(batch_command(clips, module, scratch / "media"), cwd=ROOT,
                              env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            lines = [ln.strip() for ln in (proc.stderr + proc.stdout).splitlines() if ln.strip()]
            errors = [ln for ln in lines if ln.startswith("convmath: error:")]
            if errors:
                raise ClipError(_option_names(errors[-1].split("error:", 1)[1].strip()))
            tail = [ln for ln in lines if "Error" in ln or "error" in ln] or lines or ["no output"]
            raise RenderFailed(f"{first.name}: manim exited with status {proc.returncode}: "
                               f"{tail[-1]}")
        rendered = time.monotonic()
        ext = RENDER_EXT[first.fmt]
        for clip in clips:
            t0 = time.monotonic()
            produced = sorted((scratch / "media").rglob(f"{clip.class_name}.{ext}"))
            if not produced:
                raise RenderFailed(f"{clip.name}: manim wrote no {ext} file")
            part = scratch / f"{clip.class_name}.part.{clip.fmt}"
            if clip.fmt == "gif":
                frames = encode_gif(produced[0], part)
            elif clip.fmt == "mp4":
                frames = faststart_mp4(produced[0], part)
            else:
                frames = None
                os.replace(produced[0], part)
            out = Path(clip.output)
            out.parent.mkdir(parents=True, exist_ok=True)
            if out.parent.resolve() == scratch.parent.resolve():
                os.replace(part, out)                  # same folder: an atomic rename
            else:
                tmp = out.with_name(f".{out.name}.part")
                shutil.copyfile(part, tmp)
                os.replace(tmp, out)
            results.append({"path": out, "bytes": out.stat().st_size, "frames": frames,
                            "render_seconds": rendered - start,
                            "encode_seconds": time.monotonic() - t0})
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    total = time.monotonic() - start
    for r in results:
        r["seconds"] = total
    return results


def encode_gif(src: Path, dst: Path) -> int:
    """A looping GIF of ``src`` (lossless video): one palette for the whole clip (256 colours,
    one kept for transparency), no dithering, and each frame stored as the rectangle that
    changed, unchanged pixels transparent. Returns the number of frames."""
    import av

    with av.open(str(src)) as inp:
        stream = inp.streams.video[0]
        graph = av.filter.Graph()
        buf = graph.add_buffer(template=stream)
        gen = graph.add("palettegen", "max_colors=256:reserve_transparent=1:stats_mode=full")
        sink = graph.add("buffersink")
        buf.link_to(gen)
        gen.link_to(sink)
        graph.configure()
        for frame in inp.decode(stream):
            buf.push(frame)
        buf.push(None)
        palette = sink.pull()
    tb = Fraction(1, 100)                           # GIF delays are in hundredths of a second
    n = 0
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="gif",
                                             options={"loop": "0"}) as out:
        stream = inp.streams.video[0]
        rate = stream.average_rate or stream.guessed_rate
        ostream = out.add_stream("gif", rate=rate)
        ostream.width, ostream.height = stream.width, stream.height
        ostream.pix_fmt = "pal8"
        graph = av.filter.Graph()
        buf = graph.add_buffer(template=stream)
        pbuf = graph.add_buffer(width=palette.width, height=palette.height,
                                format=palette.format.name, time_base=tb)
        use = graph.add("paletteuse", "dither=none:diff_mode=rectangle")
        sink = graph.add("buffersink")
        buf.link_to(use, 0, 0)
        pbuf.link_to(use, 0, 1)
        use.link_to(sink)
        graph.configure()
        pbuf.push(palette)
        pbuf.push(None)

        def drain():
            nonlocal n
            while True:
                try:
                    frame = sink.pull()
                except (av.error.BlockingIOError, av.error.EOFError):
                    return
                frame.pts = int(round(n / rate / tb))
                frame.time_base = tb
                for packet in ostream.encode(frame):
                    out.mux(packet)
                n += 1

        for frame in inp.decode(stream):
            buf.push(frame)
            drain()
        buf.push(None)
        drain()
        for packet in ostream.encode():
            out.mux(packet)
    return n


def faststart_mp4(src: Path, dst: Path) -> int:
    """Copy an MP4's streams (no re-encoding) with the index first, for web playback."""
    import av

    n = 0
    with av.open(str(src)) as inp, av.open(str(dst), "w", format="mp4",
                                             options={"movflags": "+faststart"}) as out:
        streams = {s.index: out.add_stream_from_template(s) for s in inp.streams
                   if s.type in ("video", "audio")}
        for packet in inp.demux(*[s for s in inp.streams if s.index in streams]):
            if packet.dts is None:
                continue
            if packet.stream.type == "video":
                n += 1
            packet.stream = streams[packet.stream.index]
            out.mux(packet)
    return n


def clip_cost(clip: Clip) -> int:
    """A rough render cost: the number of steps the clip animates, plus start and end."""
    sp = clip.spec
    if sp is None:
        return 10
    n = (lambda t: int(np.prod(t)))
    if clip.view == "superposition":
        return n(sp.input) + 6
    return n(sp.output) + 6


def batches(clips: list[Clip], jobs: int) -> list[list[Clip]]:
    """``jobs`` groups of clips of about equal cost (longest first), each in paper order."""
    order = {id(c): k for k, c in enumerate(clips)}
    bins: list[list[Clip]] = [[] for _ in range(max(1, min(jobs, len(clips))))]
    loads = [0] * len(bins)
    for clip in sorted(clips, key=clip_cost, reverse=True):
        j = loads.index(min(loads))
        bins[j].append(clip)
        loads[j] += clip_cost(clip)
    return [sorted(b, key=lambda c: order[id(c)]) for b in bins if b]


def render_all(clips: list[Clip], jobs: int = 2, log=print) -> list[dict]:
    """Render clips in ``jobs`` Manim processes at once (each a batch of about equal cost)."""
    results: list[dict] = []
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        futures = [pool.submit(render_batch, group) for group in batches(clips, jobs)]
        errors = []
        for fut in futures:
            try:
                done = fut.result()
            except (ClipError, RenderFailed) as exc:
                errors.append(exc)
                continue
            for r in done:
                log(f"{r['path'].name:45} {r['bytes'] / 1e6:6.2f} MB  "
                    f"(encoded in {r['encode_seconds']:.1f} s)")
            results.extend(done)
    if errors:
        raise errors[0]
    order = {Path(c.output): k for k, c in enumerate(clips)}
    return sorted(results, key=lambda r: order.get(Path(r["path"]), 0))


# --- the command ----------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, status 2, no usage dump
        raise ClipError(f"{message} (see '{self.prog} --help')")


def build_parser(prog: str = PROG) -> argparse.ArgumentParser:
    p = _Parser(prog=prog, formatter_class=argparse.RawDescriptionHelpFormatter,
                description="Render one silent animation of a convolution (no voice, no "
                            "subtitles): MP4, WebM or a looping GIF, for a blog or a slide.",
                epilog="""examples:
  %(prog)s 5x5 -k 3 -s 2 -p 1                     kernel sliding, media/clips/<name>.gif
  %(prog)s 7 -k 3 -p same -d 2 --format mp4       1D, TensorFlow SAME padding, dilated
  %(prog)s 2x2 -k 3 -s 2 --transposed --view superposition -o up.webm
  %(prog)s 5x5 -k 3 -s 2 -p 1 --view direct       the transposed convolution of this one
  %(prog)s 4x4 -k 3 --view matrix --size 1080p    the matrix C, full HD
  %(prog)s --input-values '[[1,2,0],[0,1,2],[2,0,1]]' --kernel-values '[[1,0],[0,-1]]'
  %(prog)s --preset paper                         the paper's animations, media/clips/paper/

views: slide (the kernel sliding; for a transposed convolution, its equivalent direct
convolution), direct (zeros inserted, padding d(k-1)-p, kernel flipped, stride 1),
superposition (each input cell stamps the scaled kernel), matrix (C, or C^T for a transposed
convolution), connectivity (which cells each kernel position links). direct and
superposition of a convolution show its transposed convolution (as the paper's
*_transposed animations).

Parameters that cannot work print one line and exit with status 2; nothing is written.""")
    p.add_argument("input", nargs="?", help="input size per axis: 7 (1D) or 5x5 / 6x7 (2D); "
                   "default: the shape of --input-values, else 5x5")
    g = p.add_argument_group("the convolution (the convmath command's syntax)")
    g.add_argument("-k", "--kernel", default=None, help="kernel size: 3 or 3x2 (default 3, or "
                   "the shape of --kernel-values)")
    g.add_argument("-s", "--stride", default="1", help="stride: 2 or 2x1 (default 1)")
    g.add_argument("-p", "--padding", default="0", help="padding: 1, per axis 1,2, "
                   "before:after 0:1, or valid|same|full (same = TensorFlow SAME; default 0)")
    g.add_argument("-d", "--dilation", default="1", help="dilation: 1 or 2x1 (default 1)")
    g.add_argument("-t", "--transposed", action="store_true",
                   help="a transposed convolution with these (PyTorch) parameters")
    g.add_argument("--output-padding", default="0", help="transposed only: extra cells after, "
                   "smaller than the stride or the dilation (default 0)")
    g.add_argument("--input-values", help="the input as a JSON array or @file.json "
                   "(\"1/2\" stays exact)")
    g.add_argument("--kernel-values", help="the kernel as a JSON array or @file.json")
    g.add_argument("--seed", type=int, default=None, help="example values (default 0: the "
                   "guide's example when it fits)")
    g.add_argument("--op", choices=[cm.CORRELATION, cm.CONVOLUTION], default=None,
                   help="correlation (default, what frameworks compute) or convolution "
                        "(kernel flipped)")
    g = p.add_argument_group("the picture")
    g.add_argument("--view", choices=VIEWS, default="slide", help="what to draw (default slide)")
    g.add_argument("--lang", choices=LANGS, default=None,
                   help="words on screen: es or en (default $LECTURE_LANG, else es)")
    g.add_argument("--pace", type=float, default=None, help=f"seconds per kernel position, "
                   f"stamp, row or link (default 0.5; {PACE_RANGE[0]} to {PACE_RANGE[1]})")
    g = p.add_argument_group("the file")
    g.add_argument("--format", choices=FORMATS, default=None, help="gif, mp4 or webm (default: "
                   "from --output's extension, else gif)")
    g.add_argument("--size", choices=list(SIZES), default=None,
                   help="480p (854x480), 720p (1280x720) or 1080p (1920x1080); default 640x360 "
                        "for a GIF, 720p for a video")
    g.add_argument("--width", type=int, default=None, help="width in pixels (even)")
    g.add_argument("--height", type=int, default=None, help="height in pixels (even)")
    g.add_argument("--fps", type=float, default=None, help="frames per second (default 10 "
                   "for a GIF, 30 for a video)")
    g.add_argument("-o", "--output", type=Path, default=None,
                   help="file to write (default media/clips/<name>.<format>)")
    g.add_argument("--name", default=None, help="the clip's name (default: from the "
                   "parameters, e.g. conv_i5x5_k3x3_s2_p1_d1)")
    g = p.add_argument_group("sets")
    g.add_argument("--preset", choices=["paper"], default=None,
                   help="paper: the guide's animations (8 convolutions, 7 transposed, plus "
                        "dilation_transposed and kernel2_stride2_transposed), named as its files")
    g.add_argument("--out-dir", type=Path, default=None,
                   help="with --preset: folder to write to (default media/clips/paper)")
    g.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1),
                   help="with --preset: clips rendered at once (default 2)")
    p.add_argument("--dry-run", action="store_true",
                   help="check the parameters and print what would be rendered; render nothing")
    return p


def _size(args, fmt: str) -> tuple[int, int]:
    if args.size and (args.width or args.height):
        raise ClipError("give --size or --width/--height, not both")
    if args.size:
        return SIZES[args.size]
    if args.width or args.height:
        base = GIF_SIZE if fmt == "gif" else SIZES["720p"]
        w = args.width or round(args.height * base[0] / base[1])
        h = args.height or round(args.width * base[1] / base[0])
        w, h = w + (w % 2), h + (h % 2)            # video encoders want even sizes
        if not (64 <= w <= 3840 and 64 <= h <= 2160):
            raise ClipError(f"size {w}x{h} is out of range (64x64 to 3840x2160)")
        return w, h
    return GIF_SIZE if fmt == "gif" else SIZES["720p"]


def _format(args) -> str:
    fmt = args.format
    if args.output is not None and args.preset is None:
        ext = args.output.suffix.lower().lstrip(".")
        if ext in FORMATS:
            if fmt is not None and fmt != ext:
                raise ClipError(f"--format {fmt} does not match the output file's extension "
                                f".{ext}")
            fmt = ext
        elif fmt is None:
            raise ClipError(f"cannot tell the format from {str(args.output)!r}: use a .gif, "
                            f".mp4 or .webm name, or --format")
        elif ext:
            raise ClipError(f"the output file's extension .{ext} is not .{fmt}")
    return fmt or "gif"


def clips_from_args(args) -> list[Clip]:
    """The checked clips the arguments ask for (no rendering). Raises ClipError."""
    fmt = _format(args)
    width, height = _size(args, fmt)
    fps = DEFAULT_FPS[fmt] if args.fps is None else args.fps
    if not 1 <= fps <= 60:
        raise ClipError(f"--fps must be between 1 and 60, got {_num(fps)}")
    lang = args.lang or (os.environ.get("LECTURE_LANG") or "es").strip().lower()
    if lang not in LANGS:
        raise ClipError(f"language must be es or en, got {lang!r} (from LECTURE_LANG)")
    if args.pace is not None and not PACE_RANGE[0] <= args.pace <= PACE_RANGE[1]:
        raise ClipError(f"--pace must be between {PACE_RANGE[0]} and {PACE_RANGE[1]} "
                        f"seconds, got {_num(args.pace)}")
    if args.preset:
        given = [opt for opt, value, default in (
            ("input", args.input, None), ("--kernel", args.kernel, None),
            ("--stride", args.stride, "1"), ("--padding", args.padding, "0"),
            ("--dilation", args.dilation, "1"), ("--transposed", args.transposed, False),
            ("--output-padding", args.output_padding, "0"),
            ("--input-values", args.input_values, None),
            ("--kernel-values", args.kernel_values, None), ("--seed", args.seed, None),
            ("--op", args.op, None), ("--output", args.output, None), ("--name", args.name, None))
            if value != default]
        if given:
            raise ClipError(f"--preset {args.preset} sets the parameters itself; drop "
                            f"{', '.join(given)}")
        if args.view != "slide":
            raise ClipError(f"--preset {args.preset} draws its own views; drop --view")
        out_dir = _writable(args.out_dir or default_dir() / args.preset, "--out-dir", file=False)
        return paper_clips(fmt, width, height, fps, lang, args.pace, out_dir)
    if args.out_dir is not None:
        raise ClipError("--out-dir goes with --preset; for one clip use --output")
    kernel = args.kernel
    if kernel is None and args.kernel_values is None:
        kernel = "3"
    settings = conv_settings(args.input, kernel or "", args.stride, args.padding, args.dilation,
                             args.transposed, args.output_padding, args.input_values,
                             args.kernel_values, args.seed, args.op)
    if kernel is None:
        settings.pop("CONV_KERNEL")
    if not args.transposed and args.view in ("direct", "superposition"):
        # the transposed convolution of the convolution given (the paper's *_transposed)
        if any(v not in ("0", "") for v in _split(args.output_padding)):
            raise ClipError(f"--output-padding goes with --transposed; without it the "
                            f"{args.view} view shows the transposed convolution of the "
                            f"convolution given, whose output padding convmath works out")
        if args.input_values is not None:
            raise ClipError(f"--input-values with --view {args.view} and no --transposed: give "
                            f"the transposed convolution's parameters with --transposed")
        try:
            conv = conv_params_from_env(settings, max_ndim=2, max_cells=64).spec
        except cm.ConvError as exc:
            raise ClipError(_option_names(str(exc))) from None
        base = {k: settings[k] for k in ("CONV_KERNEL_VALUES", "CONV_SEED") if k in settings}
        settings = transposed_settings(conv, base)
    clip = Clip("", settings, args.view, fmt, width, height, fps, lang, args.pace)
    clip = check_clip(clip)
    name = args.name or clip_name(clip.spec, effective_view(args.view, clip.spec.transposed))
    if not name or any(c in name for c in "/\\") or name.startswith("."):
        raise ClipError(f"--name must be a plain file name, got {name!r}")
    output = args.output if args.output is not None else default_dir() / f"{name}.{fmt}"
    return [replace(clip, name=name, output=_writable(output, "--output", file=True))]


def _writable(path: Path, option: str, file: bool) -> Path:
    """``path`` if a clip can be written there (a file whose folder exists or can be made, or
    such a folder); one line otherwise, before anything renders."""
    from scenes.production.command_line import InputError, Setting, output_file, output_folder

    try:
        check = output_file if file else output_folder
        return check(Setting(str(path), option))
    except InputError as exc:
        message = str(exc)
        if "is a folder;" in message:    # the shared helper's example names a script file
            message = message.split("is a folder;")[0] + "is a folder; give a file name"
        raise ClipError(message) from None


def _split(text: str) -> list[str]:
    return [p.strip() for p in text.replace("x", ",").split(",")]


def main(argv=None, prog: str = PROG) -> int:
    try:
        args = build_parser(prog).parse_args(argv)
        if args.jobs < 1:
            raise ClipError(f"--jobs must be at least 1, got {args.jobs}")
        clips = clips_from_args(args)
    except cm.ConvError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    if args.dry_run:
        for clip in clips:
            print(f"{clip.output}: {clip.spec.describe()}; view {clip.view}, "
                  f"{clip.width}x{clip.height} at {_num(clip.fps)} fps, {clip.lang}")
        return 0
    start = time.monotonic()
    try:
        if len(clips) == 1:
            r = render(clips[0])
            print(f"{r['path']}  ({r['bytes'] / 1e6:.2f} MB, {r['seconds']:.1f} s)")
        else:
            results = render_all(clips, args.jobs)
            total = sum(r["bytes"] for r in results)
            print(f"{len(results)} clips in {clips[0].output.parent}: {total / 1e6:.2f} MB, "
                  f"{time.monotonic() - start:.1f} s")
    except ClipError as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 2
    except RenderFailed as exc:
        print(f"{prog}: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print(f"{prog}: interrupted", file=sys.stderr)
        return 130
    return 0


if __name__ == "__main__":
    sys.exit(main(prog="python -m scenes.production.clips"))
