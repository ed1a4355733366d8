"""Render-speed benchmark: what ``make lecture`` costs, end to end, against the lecture's length.

    lecture benchmark [SEGMENT ...] [--quality low high] [--lang es] [--voice espeak]
                      [--jobs 2] [--no-paper] [--keep DIR]

For each quality it runs the ``lecture`` command as a user does, from an empty media folder and
an empty voice cache (in a scratch folder; the lecture's own renders are left alone), and then
once more with nothing changed. With segment names, the lecture is made of those segments
only (bundle included). It prints, as Markdown ready for the README:

- each segment's render time, its video's length and their ratio (the segment-only figures);
- end to end: the segments (with the thumbnail, rendered alongside), the YouTube bundle, and
  the total, each in wall time and against the lecture's running time, the bundle's share of
  the segments' time, and CPU time (the bundle's as it reports it, the rest of the run's, and
  the total; CPU time depends much less than wall time on what else the machine is doing);
- the bundle's steps as the command reports them (the lecture file, the clips);
- the no-change re-run, and the paper's GIF set (``lecture clip --preset paper``).

Wall times are only comparable on an otherwise idle machine; ``--keep DIR`` keeps the scratch
media for a look at what was built.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import av

from scenes.segments import SEGMENTS

QUALITY_NAMES = {"low": "480p15", "medium": "720p30", "high": "1080p60",
                 "production": "1440p60", "4k": "2160p60"}
SEGMENTS_DONE = "lecture: segments in "
RENDERED = re.compile(r"^\[\d+/\d+\] (\S+): rendered in (.+?)(?:;|$)")
BUNDLE_STEP = re.compile(r"^bundle: (lecture\.mp4 \S+ written|\d+ clip\(s\) copied) "
                         r"in ([\d.]+) s \(([\d.]+) s CPU\)")


def video_seconds(path: Path) -> float:
    with av.open(str(path)) as container:
        return float(container.duration) / 1e6


def parse_seconds(text: str) -> float:
    """``12.3 s`` or ``2 min 05 s`` (as the lecture command prints durations) in seconds."""
    m = re.fullmatch(r"(?:(\d+) min )?([\d.]+) s", text.strip())
    if not m:
        raise ValueError(f"not a duration: {text!r}")
    return 60 * int(m.group(1) or 0) + float(m.group(2))


def _children_cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


@dataclass
class Run:
    """One run of the lecture command: when each line came, and what it cost."""

    wall: float
    cpu: float
    returncode: int
    lines: list[tuple[float, str]] = field(default_factory=list)

    def at(self, prefix: str) -> float | None:
        return next((t for t, line in self.lines if line.startswith(prefix)), None)

    def text(self) -> str:
        return "\n".join(line for _, line in self.lines)


def run_lecture(args: list[str], env: dict[str, str]) -> Run:
    """Run ``lecture`` with ``args``, time-stamping each line it prints."""
    cmd = [sys.executable, "-m", "scenes.production.lecture", *args]
    cpu = _children_cpu()
    start = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, bufsize=1)
    lines = [(time.monotonic() - start, line.rstrip("\n")) for line in proc.stdout]
    proc.wait()
    return Run(time.monotonic() - start, _children_cpu() - cpu, proc.returncode, lines)


@dataclass
class QualityResult:
    quality: str
    segments: list[tuple[str, float, float]]      # id, render wall, video seconds
    first: Run
    rerun: Run

    @property
    def running_time(self) -> float:
        return sum(v for _, _, v in self.segments)

    @property
    def segments_wall(self) -> float:
        return self.first.at(SEGMENTS_DONE) or self.first.wall

    @property
    def bundle_wall(self) -> float:
        return self.first.wall - self.segments_wall

    def bundle_steps(self) -> list[tuple[str, float, float]]:
        steps = []
        for _, line in self.first.lines:
            m = BUNDLE_STEP.match(line)
            if m:
                name = "lecture.mp4" if m.group(1).startswith("lecture") else "clips"
                steps.append((name, float(m.group(2)), float(m.group(3))))
        return steps


def bench_quality(segment_ids: list[str] | None, quality: str, lang: str, voice: str, jobs: int,
                  scratch: Path) -> QualityResult:
    """The lecture at ``quality`` from nothing, then again with nothing changed."""
    media = scratch / quality / "media"
    voices = scratch / quality / "voices"
    media.mkdir(parents=True)
    env = dict(os.environ, LECTURE_VOICE_CACHE=str(voices))
    args = ["--quality", quality, "--lang", lang, "--voice", voice, "--jobs", str(jobs),
            "--media", str(media)]
    if segment_ids:
        registry = scratch / quality / "registry.json"
        chosen = [s for s in SEGMENTS if s.id in segment_ids]
        registry.write_text(json.dumps([{"id": s.id, "module": s.module, "scene": s.scene}
                                        for s in chosen]))
        args += ["--registry", str(registry)]
    first = run_lecture(args, env)
    if first.returncode != 0:
        raise RuntimeError(f"lecture --quality {quality} failed:\n{first.text()[-2000:]}")
    rerun = run_lecture(args, env)
    if rerun.returncode != 0:
        raise RuntimeError(f"lecture --quality {quality} (re-run) failed:\n{rerun.text()[-2000:]}")
    rendered = {}
    for _, line in first.lines:
        m = RENDERED.match(line)
        if m:
            rendered[m.group(1)] = parse_seconds(m.group(2))
    folder = media / "lecture" / lang
    rows = [(sid, secs, video_seconds(folder / f"{sid}.mp4")) for sid, secs in
            sorted(rendered.items(), key=lambda kv: [s.id for s in SEGMENTS].index(kv[0]))]
    return QualityResult(quality, rows, first, rerun)


def report(result: QualityResult, lang: str, voice: str, jobs: int) -> list[str]:
    """The Markdown tables of one quality."""
    r, video = result, result.running_time
    lines = [f"\n{QUALITY_NAMES[r.quality]}, {lang}, voice {voice}, {jobs} at a time, "
             "from an empty media folder and voice cache\n",
             "| segment | wall (s) | video (s) | wall / video |",
             "| --- | ---: | ---: | ---: |"]
    lines += [f"| {sid} | {secs:.1f} | {v:.1f} | {secs / v:.2f} |" for sid, secs, v in r.segments]
    lines.append(f"| **segments** | **{r.segments_wall:.1f}** | **{video:.1f}** | "
                 f"**{r.segments_wall / video:.2f}** |")
    steps = r.bundle_steps()
    bundle_cpu = sum(c for _, _, c in steps)
    lines += ["", "| end to end | wall (s) | wall / video | CPU (s) |",
              "| --- | ---: | ---: | ---: |",
              f"| segments and thumbnail | {r.segments_wall:.1f} | {r.segments_wall / video:.3f} | "
              f"{r.first.cpu - bundle_cpu:.1f} |"]
    lines += [f"| bundle: {name} | {wall:.1f} | {wall / video:.3f} | {cpu:.1f} |"
              for name, wall, cpu in steps]
    lines += [f"| bundle | {r.bundle_wall:.1f} | {r.bundle_wall / video:.3f} | {bundle_cpu:.1f} |",
              f"| **total** | **{r.first.wall:.1f}** | **{r.first.wall / video:.3f}** | "
              f"**{r.first.cpu:.1f}** |",
              "",
              f"bundle / segments: {100 * r.bundle_wall / r.segments_wall:.0f} % of the wall time; "
              f"no-change re-run: {r.rerun.wall:.1f} s"]
    return lines


def main(argv=None, prog: str = "lecture benchmark") -> int:
    parser = argparse.ArgumentParser(prog=prog, description=__doc__.splitlines()[0])
    parser.add_argument("segments", nargs="*",
                        help="segment ids: a lecture of only these (default: all)")
    parser.add_argument("--quality", nargs="+", default=["high", "low"],
                        choices=list(QUALITY_NAMES), help="qualities to run, in order "
                        "(default: high low)")
    parser.add_argument("--lang", default="es", choices=["es", "en"])
    parser.add_argument("--voice", default="espeak",
                        help="voice, as for lecture --voice (default: espeak)")
    parser.add_argument("--jobs", type=int, default=2, help="segments rendered at once (default: 2)")
    parser.add_argument("--no-paper", action="store_true", help="skip the paper's GIF set")
    parser.add_argument("--keep", type=Path, default=None,
                        help="keep the scratch media folders in this (new or empty) folder")
    args = parser.parse_args(argv)
    known = {s.id for s in SEGMENTS}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        print(f"{prog}: error: unknown segment {unknown[0]!r}", file=sys.stderr)
        return 2
    if args.jobs < 1:
        print(f"{prog}: error: --jobs must be at least 1", file=sys.stderr)
        return 2
    if args.keep is not None and args.keep.exists() and any(args.keep.iterdir()):
        print(f"{prog}: error: --keep {args.keep} is not empty", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="benchmark-"))
    try:
        for quality in args.quality:
            try:
                result = bench_quality(args.segments or None, quality, args.lang, args.voice,
                                       args.jobs, scratch)
            except RuntimeError as exc:
                print(f"{prog}: {exc}", file=sys.stderr)
                return 1
            print("\n".join(report(result, args.lang, args.voice, args.jobs)), flush=True)
        if not args.no_paper:
            start = time.monotonic()
            out = scratch / "paper"
            proc = subprocess.run([sys.executable, "-m", "scenes.production.clips", "--preset", "paper",
                                   "--out-dir", str(out)], capture_output=True, text=True)
            took = time.monotonic() - start
            size = sum(f.stat().st_size for f in out.rglob("*.gif")) / 1e6 if out.exists() else 0
            status = "" if proc.returncode == 0 else f" (failed: {proc.stderr.strip()[-200:]})"
            print(f"\npaper GIF set: {took:.1f} s, {size:.1f} MB{status}", flush=True)
    finally:
        if args.keep is not None:
            args.keep.mkdir(parents=True, exist_ok=True)
            for item in scratch.iterdir():
                shutil.move(str(item), args.keep / item.name)
        shutil.rmtree(scratch, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
