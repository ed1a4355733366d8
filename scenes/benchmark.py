"""Render-speed benchmark: wall time against video time, per segment and for the lecture.

    lecture benchmark [--quality low high] [--lang es] [--voice espeak] [SEGMENT ...]

For each quality it renders every segment (two at a time, as ``make lecture`` does) into a
scratch media folder, then reports each segment's wall time, its video's duration and their
ratio, the whole lecture's wall time against its running time, the time of a second run with
nothing changed, and the time of the paper's GIF set (``lecture clip --preset paper``).
Prints a Markdown table, ready for the README.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import av

from scenes.production.render import lecture_dir, render_segment
from scenes.segments import SEGMENTS

QUALITY_NAMES = {"low": "480p15", "medium": "720p30", "high": "1080p60",
                 "production": "1440p60", "4k": "2160p60"}


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(container.duration) / 1e6


def bench_quality(segments, quality: str, lang: str, voice: str, media: Path, jobs: int):
    """Render the segments (forced), then again with nothing changed; returns rows and totals."""
    numbered = [(SEGMENTS.index(s) + 1, s) for s in segments]
    start = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = {s.id: pool.submit(render_segment, s, n, lang, voice, quality, media,
                                     force=True) for n, s in numbered}
        results = {sid: f.result() for sid, f in futures.items()}
    wall = time.monotonic() - start
    rows = []
    for _, s in numbered:
        secs = results[s.id][1]
        video = video_seconds(lecture_dir(media, lang) / f"{s.id}.mp4")
        rows.append((s.id, secs, video))
    start = time.monotonic()
    for n, s in numbered:
        render_segment(s, n, lang, voice, quality, media)
    rerun = time.monotonic() - start
    return rows, wall, rerun


def main(argv=None, prog: str = "lecture benchmark") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("segments", nargs="*", help="segment ids (default: all)")
    parser.add_argument("--quality", nargs="+", default=["high", "low"],
                        choices=list(QUALITY_NAMES))
    parser.add_argument("--lang", default="es", choices=["es", "en"])
    parser.add_argument("--voice", default="espeak")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--no-paper", action="store_true", help="skip the paper's GIF set")
    args = parser.parse_args(argv)
    known = {s.id: s for s in SEGMENTS}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        print(f"{prog}: error: unknown segment {unknown[0]!r}", file=sys.stderr)
        return 2
    segments = [known[s] for s in args.segments] if args.segments else list(SEGMENTS)
    lines = []
    with tempfile.TemporaryDirectory(prefix="benchmark-") as scratch:
        for quality in args.quality:
            media = Path(scratch) / quality
            rows, wall, rerun = bench_quality(segments, quality, args.lang, args.voice, media,
                                              args.jobs)
            name = QUALITY_NAMES[quality]
            first = len(lines)
            lines.append(f"\n{name}, {args.lang}, voice {args.voice}, {args.jobs} at a time\n")
            lines.append("| segment | wall (s) | video (s) | wall / video |")
            lines.append("| --- | ---: | ---: | ---: |")
            for sid, secs, video in rows:
                lines.append(f"| {sid} | {secs:.1f} | {video:.1f} | {secs / video:.2f} |")
            total_video = sum(v for _, _, v in rows)
            lines.append(f"| **lecture** | **{wall:.1f}** | **{total_video:.1f}** | "
                         f"**{wall / total_video:.2f}** |")
            lines.append(f"\nno-change re-run: {rerun:.1f} s")
            print("\n".join(lines[first:]), flush=True)
        if not args.no_paper:
            start = time.monotonic()
            out = Path(scratch) / "paper"
            proc = subprocess.run([sys.executable, "-m", "scenes.clips", "--preset", "paper",
                                   "--out-dir", str(out)], capture_output=True, text=True)
            took = time.monotonic() - start
            size = sum(f.stat().st_size for f in out.rglob("*.gif")) / 1e6 if out.exists() else 0
            status = "" if proc.returncode == 0 else f" (failed: {proc.stderr.strip()[-200:]})"
            lines.append(f"\npaper GIF set: {took:.1f} s, {size:.1f} MB{status}")
            print(lines[-1])
    return 0


if __name__ == "__main__":
    sys.exit(main())
