"""Render a segment at low quality and save the last frame of every beat as a PNG.

    python tools/beat_stills.py s02_parametros [--lang en] [--out DIR] [--quality l]

For looking at what a segment shows at the end of each beat (overlaps, text off screen,
wrong numbers) without watching the whole video. Uses the silent estimate voice.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import av

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from scenes.segments import SEGMENTS  # noqa: E402


def last_frame(video: Path, png: Path) -> None:
    with av.open(str(video)) as container:
        frame = None
        for frame in container.decode(video=0):
            pass
        if frame is not None:
            frame.to_image().save(png)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("segment")
    parser.add_argument("--lang", default="es")
    parser.add_argument("--quality", default="l", help="manim quality letter: l, m, h")
    parser.add_argument("--out", default=None, help="folder for the PNGs (default media/stills/...)")
    parser.add_argument("--scene", default=None, help="another scene class of the module")
    args = parser.parse_args()
    if ":" in args.segment:  # any scene: path/inside/scenes/module:Class
        module, scene = args.segment.split(":")
        name = scene
    else:
        seg = {s.id: s for s in SEGMENTS}[args.segment]
        module, scene, name = seg.module, seg.scene, seg.id
    out = Path(args.out or ROOT / "media" / "stills" / f"{name}_{args.lang}")
    out.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, LECTURE_LANG=args.lang, LECTURE_VOICE="estimate")
    with tempfile.TemporaryDirectory() as media:
        cmd = [sys.executable, "-m", "manim", "render", f"-q{args.quality}", "--save_sections",
               "--media_dir", media, "--disable_caching", "--progress_bar", "none",
               str(ROOT / "scenes" / f"{module.replace('.', '/')}.py"), args.scene or scene]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode:
            print(proc.stdout[-3000:], proc.stderr[-3000:], file=sys.stderr)
            return 1
        index = next(Path(media).rglob("sections/*.json"))
        sections = json.loads(index.read_text())
        for n, sec in enumerate(sections):
            video = index.parent / sec["video"]
            png = out / f"{n:02d}_{sec['name']}.png"
            last_frame(video, png)
            print(png)
    return 0


if __name__ == "__main__":
    sys.exit(main())
