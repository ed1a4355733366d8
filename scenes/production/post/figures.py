"""The post's animations: clips of the clip command, rendered once and reused.

Each figure is one of the post's examples (a spec of :mod:`scenes.production.post.facts`)
drawn by one view of the configurable scenes, as a looping muted MP4 (H.264, what every browser plays) and a
GIF fallback. A clip is rendered again only when what it is made from changed: its parameters,
size, frame rate, language, or the code and on-screen words of the scenes that draw it (the
stamps live in ``<media>/post/.figures-<lang>.json``, outside the post's folder).
"""

from __future__ import annotations

import ast
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np

import convmath as cm
from convmath.examples import example_input, example_kernel
from scenes.production.registry import ROOT, hash_files, import_closure, manim_version

from . import facts

FORMATS = ("mp4", "gif")


@dataclass(frozen=True)
class Quality:
    """Sizes and rates of the two files of every figure."""

    video: tuple[int, int, int]      # width, height, fps of the MP4
    gif: tuple[int, int, int]        # width, height, fps of the GIF fallback
    pace: float | None = None        # seconds per step (None: the scenes' default)
    gif_from_video: bool = False     # encode the GIF from the MP4 instead of rendering it
                                     # losslessly (half the renders; the GIF gets H.264's noise)


QUALITIES = {
    "blog": Quality((1280, 720, 30), (640, 360, 10)),
    # small and quick, for tests and drafts
    "quick": Quality((320, 180, 10), (320, 180, 10), pace=0.1, gif_from_video=True),
}


@dataclass(frozen=True)
class Figure:
    """One animation: its file name, the convolution, the view and the values shown."""

    id: str
    spec: cm.ConvSpec
    view: str                      # slide, direct, superposition, matrix, connectivity
    x: np.ndarray | None = None    # input values (default: the clip command's examples)
    w: np.ndarray | None = None    # kernel values

    def clip_args(self) -> list[str]:
        """The clip command's arguments that draw this figure."""
        sp = self.spec

        def per_axis(values):
            return "x".join(str(int(v)) for v in values)
        args = [per_axis(sp.input), "--kernel", per_axis(sp.kernel), "--stride",
                per_axis(sp.stride), "--padding",
                sp.padding_name or ",".join(f"{b}:{a}" for b, a in sp.padding),
                "--dilation", per_axis(sp.dilation), "--view", self.view]
        if sp.transposed:
            args += ["--transposed", "--output-padding", per_axis(sp.output_padding)]
        for option, values in (("--input-values", self.x), ("--kernel-values", self.w)):
            if values is not None:
                args += [option, json.dumps(np.asarray(values).tolist())]
        return args

    def files(self) -> dict[str, str]:
        return {fmt: f"{self.id}.{fmt}" for fmt in FORMATS}


def _values(sp: cm.ConvSpec):
    return example_input(sp.input), example_kernel(sp.kernel)


FIGURES: dict[str, Figure] = {f.id: f for f in [
    Figure("a1", facts.A1, "slide", *_values(facts.A1)),
    Figure("a1_dilation", facts.A1_DILATED, "slide", *_values(facts.A1_DILATED)),
    Figure("a2", facts.MATRIX, "matrix", *_values(facts.MATRIX)),
    Figure("a3", facts.LINE, "connectivity", *_values(facts.LINE)),
    Figure("odd_case", facts.ODD, "slide", *_values(facts.ODD)),
    Figure("transposed_connectivity", facts.T_LINE, "connectivity", *facts.T_LINE_VALUES),
    Figure("transposed_matrix", facts.T_MATRIX, "matrix", *facts.T_MATRIX_VALUES),
    Figure("superposition", facts.SUPER, "superposition", *facts.SUPER_VALUES),
    Figure("direct", facts.SUPER, "direct", *facts.SUPER_VALUES),
    Figure("same_even", facts.SAME_EVEN, "slide", *_values(facts.SAME_EVEN)),
    Figure("dimensions", facts.DIMS_IMAGE, "slide", *facts.DIMS_IMAGE_VALUES),
]}


# --- what a clip is made from -----------------------------------------------------------------

def _clip_scene_files() -> list[Path]:
    """The scene files the clip command renders (its ``SCENES`` table, read without importing
    it, so checking stamps does not load manim)."""
    source = (ROOT / "scenes" / "production" / "clips.py").read_text(encoding="utf-8")
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and any(getattr(t, "id", "") == "SCENES" for t in node.targets):
            table = ast.literal_eval(node.value)
            return sorted({ROOT / scene_file for scene_file, _ in table.values()})
    raise RuntimeError("scenes/production/clips.py has no SCENES table")


def code_digest(lang: str) -> str:
    """A hash of the code and words every clip depends on: the clip command, the scenes it
    renders and what they import, the kit, the narration layer and its texts in ``lang``,
    convmath, manim.cfg and the Manim version."""
    files = set(import_closure([ROOT / "scenes" / "production" / "clips.py", *_clip_scene_files()]))
    for folder, pattern in ((ROOT / "scenes" / "kit", "*.py"), (ROOT / "scenes" / "narration", "*.py"),
                            (ROOT / "scenes" / "narration" / "text" / lang, "*.json"),
                            (ROOT / "convmath", "*.py")):
        files.update(folder.rglob(pattern) if folder.name == "kit" else folder.glob(pattern))
    files.add(ROOT / "manim.cfg")
    h = hashlib.sha256(manim_version().encode())
    hash_files(h, sorted(f for f in files if f.is_file()))
    return h.hexdigest()[:16]


def clip_key(figure: Figure, fmt: str, quality: Quality, lang: str, code: str) -> str:
    width, height, fps = quality.video if fmt == "mp4" else quality.gif
    source = fmt == "gif" and quality.gif_from_video
    text = json.dumps([figure.clip_args(), fmt, width, height, fps, quality.pace, source, lang,
                       code])
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def stamps_path(media: Path, lang: str) -> Path:
    return media / "post" / f".figures-{lang}.json"


# --- rendering ----------------------------------------------------------------------------------

def clip_argv(figure: Figure, fmt: str, quality: Quality, lang: str, output: Path) -> list[str]:
    width, height, fps = quality.video if fmt == "mp4" else quality.gif
    argv = figure.clip_args() + ["--format", fmt, "--width", str(width), "--height", str(height),
                                 "--fps", str(fps), "--lang", lang, "--output", str(output)]
    if quality.pace is not None:
        argv += ["--pace", str(quality.pace)]
    return argv


def check_figures(figures: list[Figure], quality: Quality, lang: str, folder: Path) -> None:
    """Every figure drawable by its view (the clip command's checks; raises its one-line
    error). Loads manim."""
    from scenes.production import clips

    for figure in figures:
        for fmt in FORMATS:
            clips.clips_from_args(clips.build_parser().parse_args(
                clip_argv(figure, fmt, quality, lang, folder / f"{figure.id}.{fmt}")))


def render_figures(figures: list[Figure], folder: Path, media: Path, lang: str, quality: Quality,
                   *, jobs: int = 2, force: bool = False,
                   log: Callable[[str], None] = print) -> dict[str, list[str]]:
    """Bring ``folder/<id>.mp4`` and ``.gif`` of every figure up to date; remove files of
    figures no longer in the post. Returns {"rendered": [...], "reused": [...]}."""
    code = code_digest(lang)
    path = stamps_path(media, lang)
    try:
        stamps = json.loads(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        stamps = {}
    todo: dict[str, list[tuple[Figure, str]]] = {fmt: [] for fmt in FORMATS}
    done = {"rendered": [], "reused": []}
    keys = {}
    for figure in figures:
        for fmt, name in figure.files().items():
            keys[name] = clip_key(figure, fmt, quality, lang, code)
            if not force and stamps.get(name) == keys[name] and (folder / name).exists():
                done["reused"].append(name)
            else:
                todo[fmt].append((figure, name))
    folder.mkdir(parents=True, exist_ok=True)
    if any(todo.values()):
        from scenes.production import clips

        for fmt, items in todo.items():
            if not items:
                continue
            if fmt == "gif" and quality.gif_from_video:
                for figure, name in items:
                    part = folder / f".{name}.part"
                    clips.encode_gif(folder / figure.files()["mp4"], part)
                    os.replace(part, folder / name)
                    stamps[name] = keys[name]
                    done["rendered"].append(name)
                continue
            batch = []
            for figure, name in items:
                args = clips.build_parser().parse_args(
                    clip_argv(figure, fmt, quality, lang, folder / name))
                batch.extend(clips.clips_from_args(args))
            log(f"post: rendering {len(batch)} {fmt.upper()} clip(s), {min(jobs, len(batch))} at a time")
            clips.render_all(batch, jobs, log=lambda line: log(f"  {line}"))
            for _, name in items:
                stamps[name] = keys[name]
                done["rendered"].append(name)
                _write_json(path, {k: v for k, v in stamps.items() if k in keys})
    _write_json(path, {k: v for k, v in stamps.items() if k in keys})
    for stale in folder.iterdir():
        if stale.is_file() and stale.name not in keys and not stale.name.startswith("."):
            stale.unlink()
    return done


def _write_json(path: Path, data: dict) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.part")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    os.replace(tmp, path)
