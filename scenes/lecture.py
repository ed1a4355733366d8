"""Render the lecture: every segment (or the ones named) for one language, voice and quality.

    python -m scenes.lecture [SEGMENT ...] [--lang es|en] [--voice V] [--quality Q] [--jobs N]

Defaults come from LECTURE_LANG, LECTURE_VOICE and LECTURE_QUALITY (``make lecture`` sets
them). Each segment renders in its own process (both cores by default) into a scratch
folder; its video and subtitles are moved into ``media/lecture/<lang>/`` only when complete,
so an interrupted render never replaces a good file with a broken one. A segment whose
inputs (its scene code, the kit, narration text, convmath, voice, quality, language) have
not changed since its last render is reused.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from scenes.segments import SEGMENTS, Segment

ROOT = Path(__file__).resolve().parent.parent
QUALITIES = {"low": "l", "medium": "m", "high": "h", "production": "p", "4k": "k"}
LANGS = ("es", "en")


def _files_of(segment: Segment) -> list[Path]:
    """Everything a segment's render depends on."""
    scenes = ROOT / "scenes"
    files = [scenes / f"{segment.module.split('.')[-1]}.py"]
    files += sorted((scenes / "kit").glob("*.py"))
    files += sorted((scenes / "narration").glob("*.py"))
    files += sorted((ROOT / "convmath").glob("*.py"))
    files += sorted((scenes / "narration" / "text").glob(f"*/{segment.id}.json"))
    files += [ROOT / "manim.cfg"]
    return [f for f in files if f.exists()]


def fingerprint(segment: Segment, lang: str, voice: str, quality: str) -> str:
    h = hashlib.sha256()
    h.update(json.dumps([segment.id, segment.module, segment.scene, lang, voice, quality]).encode())
    for f in _files_of(segment):
        h.update(f.relative_to(ROOT).as_posix().encode())
        h.update(f.read_bytes())
    return h.hexdigest()[:16]


MEDIA = Path(os.environ.get("LECTURE_MEDIA", ROOT / "media"))


def out_dir(lang: str, media: Path | None = None) -> Path:
    return (media or MEDIA) / "lecture" / lang


def render_segment(segment: Segment, lang: str, voice: str, quality: str,
                   force: bool = False, media: Path | None = None) -> tuple[str, float]:
    """Render one segment unless its last render is still valid. Returns (status, seconds)."""
    media = media or MEDIA
    dest = out_dir(lang, media)
    dest.mkdir(parents=True, exist_ok=True)
    video = dest / f"{segment.id}.mp4"
    stamp = dest / f"{segment.id}.stamp"
    fp = fingerprint(segment, lang, voice, quality)
    if not force and video.exists() and stamp.exists() and stamp.read_text().strip() == fp:
        return "reused", 0.0
    start = time.monotonic()
    env = dict(os.environ, LECTURE_LANG=lang, LECTURE_VOICE=voice)
    env.setdefault("LECTURE_VOICE_CACHE", str(media / "voiceovers"))
    with tempfile.TemporaryDirectory(prefix=f"render-{segment.id}-", dir=dest) as scratch:
        cmd = [sys.executable, "-m", "manim", "render", f"-q{QUALITIES[quality]}",
               "--media_dir", scratch, "--disable_caching", "--progress_bar", "none",
               "-o", segment.id, str(ROOT / "scenes" / f"{segment.module.split('.')[-1]}.py"),
               segment.scene]
        proc = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
        if proc.returncode != 0:
            log = dest / f"{segment.id}.log"
            log.write_text(proc.stdout + proc.stderr)
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-1:] or ["(no output)"]
            raise RuntimeError(f"{segment.id} failed: {tail[0]} (full log: {log})")
        produced = list(Path(scratch).rglob(f"{segment.id}.mp4"))
        if not produced:
            raise RuntimeError(f"{segment.id}: manim finished but wrote no video")
        mp4 = produced[0]
        srt = mp4.with_suffix(".srt")
        # Move into place: same file system, so each replace is atomic.
        tmp_video = dest / f".{segment.id}.mp4.part"
        shutil.copyfile(mp4, tmp_video)
        os.replace(tmp_video, video)
        if srt.exists():
            tmp_srt = dest / f".{segment.id}.srt.part"
            shutil.copyfile(srt, tmp_srt)
            os.replace(tmp_srt, dest / f"{segment.id}.srt")
    stamp.write_text(fp + "\n")
    return "rendered", time.monotonic() - start


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="lecture", description="Render the lecture's segments.")
    parser.add_argument("segments", nargs="*", help="segment ids (default: all)")
    parser.add_argument("--lang", default=os.environ.get("LECTURE_LANG", "es"), choices=LANGS)
    parser.add_argument("--voice", default=os.environ.get("LECTURE_VOICE", "espeak"))
    parser.add_argument("--quality", default=os.environ.get("LECTURE_QUALITY", "high"),
                        choices=sorted(QUALITIES))
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    parser.add_argument("--force", action="store_true", help="render even if unchanged")
    parser.add_argument("--list", action="store_true", help="list the segments and exit")
    parser.add_argument("--media", type=Path, default=MEDIA,
                        help="media folder (default: media/, or $LECTURE_MEDIA)")
    args = parser.parse_args(argv)

    if not SEGMENTS:
        print("lecture: no segments are defined yet; nothing to render")
        return 0
    if args.list:
        for seg in SEGMENTS:
            print(f"{seg.id:24} {seg.module}.{seg.scene}")
        return 0
    known = {s.id: s for s in SEGMENTS}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        print(f"lecture: error: unknown segment {unknown[0]!r} (see --list)", file=sys.stderr)
        return 2
    todo = [known[s] for s in args.segments] if args.segments else list(SEGMENTS)
    print(f"lecture: {len(todo)} segment(s), language {args.lang}, voice {args.voice}, "
          f"quality {args.quality}, {args.jobs} at a time")
    start = time.monotonic()
    failed = 0
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(render_segment, seg, args.lang, args.voice, args.quality,
                               args.force, args.media.resolve()): seg for seg in todo}
        for done, fut in enumerate(as_completed(futures), 1):
            seg = futures[fut]
            try:
                status, secs = fut.result()
                detail = f"{secs:.1f} s" if status == "rendered" else "unchanged"
                print(f"[{done}/{len(todo)}] {seg.id}: {status} ({detail})", flush=True)
            except RuntimeError as exc:
                failed += 1
                print(f"[{done}/{len(todo)}] {exc}", flush=True)
    print(f"lecture: done in {time.monotonic() - start:.1f} s; videos and subtitles in "
          f"{out_dir(args.lang, args.media)}/" + (f"; {failed} failed" if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
