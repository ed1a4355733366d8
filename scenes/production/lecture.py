"""The lecture pipeline: render the segments, then build the YouTube bundle of a language.

    lecture [SEGMENT ...] [--lang es|en] [--voice V] [--quality Q] [--jobs N] [--force]
            [--bundle | --no-bundle] [--fallback espeak] [--recordings DIR] [--media DIR]

Defaults come from LECTURE_LANG, LECTURE_VOICE and LECTURE_QUALITY (``make lecture`` sets
them). Each segment renders in its own process (both cores by default) into a scratch folder;
its video, subtitles and spoken beats are moved into ``media/lecture/<lang>/`` only when
complete, so an interrupted render never replaces a good file with a broken one. A segment
whose inputs (its scene code and what it imports, the kit, the narration layer and its text,
convmath, voice, quality, language, and for the recorded voice its takes) have not changed
since its last render is reused. With no segment named, the YouTube bundle of the language is
then brought up to date in ``media/youtube/<lang>/`` (see :mod:`scenes.production.bundle`).

With ``--voice recorded`` the narrator's takes (``recordings/<lang>/<segment>/<beat>.wav``)
are checked first: a beat with no take, or with a take recorded against a text that has
since changed, is reported by id and stops the run unless ``--fallback espeak`` is given.
"""

from __future__ import annotations

import json
import os
import signal
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from scenes.production.command_line import (InputError, OneLineParser, Setting,
                                            add_common_options, choice, fail, output_folder,
                                            recordings_folder, resolve_common, segments_of, setting)
from scenes.production.registry import QUALITIES, ROOT, module_path
from scenes.segments import Segment

LOCAL_VOICES = ("estimate", "espeak", "recorded")
# Offline voices that still need something the user brings (a model file): checked up front.
OFFLINE_VOICES = ("piper",)


def out_dir(lang: str, media: Path) -> Path:
    return media / "lecture" / lang


def _seconds(s: float) -> str:
    if s < 60:
        return f"{s:.1f} s"
    m, sec = divmod(int(round(s)), 60)
    return f"{m} min {sec:02d} s"


def _check_voice(voice: str, lang: str) -> str | None:
    """An error line when the voice cannot work (unknown name, missing key or package)."""
    if voice in LOCAL_VOICES:
        return None
    if voice not in OFFLINE_VOICES and (ROOT / ".env").exists():
        # manim-voiceover's cloud services read a .env file from the working folder on import.
        return ("a .env file is in the repository: voice keys come from the environment only "
                "(export them, or use CI secrets); move the file out of the repository")
    import tempfile

    from scenes.narration.voices import VoiceError, make_speech_service

    try:
        with tempfile.TemporaryDirectory() as tmp:
            make_speech_service(voice, lang, cache_dir=tmp)
    except VoiceError as exc:
        return str(exc)
    return None


def _resolve(args) -> list[Segment]:
    """Check every input (options, the environment, the folders named) before any work starts;
    fill ``args`` with the values to use and return the lecture's segments."""
    common = resolve_common(args)
    args.lang, args.media, args.jobs = common.lang, common.media, common.jobs
    args.quality = choice(setting(args.quality, "--quality", "LECTURE_QUALITY", "high"),
                          list(QUALITIES))
    voice = setting(args.voice, "--voice", "LECTURE_VOICE", "espeak")
    fallback = setting(args.fallback, "--fallback", "LECTURE_RECORDED_FALLBACK", "")
    args.voice, args.fallback = voice.value, fallback.value or None
    checked = [voice]
    if args.voice == "recorded" and args.fallback:
        if args.fallback == "recorded":
            raise fallback.refuse("must be another voice (espeak, estimate, ...)")
        checked.append(fallback)
    for name in checked:
        problem = _check_voice(name.value, args.lang)
        if problem:   # the message names the voice; say where it came from
            raise InputError(problem if name.source == "--voice" else f"{name.source}: {problem}")
    options = os.environ.get("LECTURE_VOICE_OPTIONS", "").strip()
    if options:
        try:
            parsed = json.loads(options)
        except (ValueError, RecursionError):
            parsed = None
        if not isinstance(parsed, dict):
            raise InputError("LECTURE_VOICE_OPTIONS must be a JSON object, e.g. "
                             "'{\"voice\": \"es-MX-DaliaNeural\"}'")
    cache = os.environ.get("LECTURE_VOICE_CACHE", "").strip()
    if cache:
        output_folder(Setting(cache, "LECTURE_VOICE_CACHE"))
    output_folder(Setting(str(out_dir(args.lang, args.media)), "--media (the lecture's folder)"))
    given, args.recordings = args.recordings, None     # read by the recorded voice only
    if args.voice == "recorded":
        from scenes.production.takes import Manifest

        args.recordings = recordings_folder(given)
        try:
            Manifest.load(args.recordings, args.lang)
        except ValueError as exc:
            raise InputError(str(exc)) from None
    return segments_of(args.registry)


def _check_takes(todo: list[tuple[int, Segment]], args, log) -> int:
    """For the recorded voice: every beat's take, before rendering anything (each take to be
    used is decoded and checked). Returns the number of beats without a usable take."""
    from scenes.production.recorded_voice import audited
    from scenes.production.render import RenderError, capture_spoken
    from scenes.production.takes import PROBLEMS, beat_key, check_takes, recordings_root

    root = recordings_root(args.recordings)
    spoken: dict[str, list[tuple[str, str]]] = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(capture_spoken, seg, n, args.lang, args.media): seg for n, seg in todo}
        for fut in as_completed(futures):
            try:
                spoken[futures[fut].id] = [(b["id"], b["text"]) for b in fut.result()]
            except RenderError as exc:
                log(f"takes: cannot read the beats of {exc}")
                return -1
    ordered = {seg.id: spoken[seg.id] for _, seg in todo}
    texts = {beat_key(seg, beat): text for seg, pairs in ordered.items() for beat, text in pairs}
    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        statuses = list(pool.map(lambda s: audited(s, texts[s.key], args.lang),
                                 check_takes(root, args.lang, ordered)))
    bad = [s for s in statuses if s.state in PROBLEMS]
    ok = len(statuses) - len(bad)
    log(f"takes ({root}/{args.lang}): {len(statuses)} beats, {ok} recorded, {len(bad)} without a usable take")
    for s in bad:
        log(f"  {s.message(root, args.lang)}")
    return len(bad)


def longest_first(todo: list[tuple[int, Segment]], lang: str) -> list[tuple[int, Segment]]:
    """The renders in the order to start them: the longest narration first, so that the last
    to finish is a short one and no core waits long for it at the end."""
    from scenes.narration.segment_text import NarrationTextError, load_segment_text

    def spoken_length(segment: Segment) -> int:
        try:
            return sum(len(beat.text) for beat in load_segment_text(segment.id, lang).beats)
        except NarrationTextError:
            return 0
    return sorted(todo, key=lambda item: -spoken_length(item[1]))


def main(argv=None) -> int:
    args_in = sys.argv[1:] if argv is None else list(argv)
    if args_in[:1] == ["clip"]:  # `lecture clip ...`: one animation for the blog
        from scenes.production.clips import main as clip_main

        return clip_main(args_in[1:], prog="lecture clip")
    if args_in[:1] == ["post"]:  # `lecture post ...`: the blog post, written out
        from scenes.production.post.build import main as post_main

        return post_main(args_in[1:], prog="lecture post")
    if args_in[:1] == ["slides"]:  # `lecture slides ...`: the lecture as slides to teach it live
        from scenes.production.slides import main as slides_main

        return slides_main(args_in[1:], prog="lecture slides", render=main)
    if args_in[:1] == ["benchmark"]:  # `lecture benchmark ...`: render speed
        from scenes.production.benchmark import main as benchmark_main

        return benchmark_main(args_in[1:], prog="lecture benchmark")
    parser = OneLineParser(prog="lecture", epilog="Also: `lecture clip --help` renders "
                           "one animation with your own parameters (MP4, WebM, GIF); "
                           "`lecture benchmark --help` measures render speed.",
                           description="Render the lecture's segments and build its YouTube "
                                       "bundle. Every option falls back on its environment "
                                       "variable, checked the same way.")
    parser.add_argument("segments", nargs="*", help="segment ids (default: all, then the bundle)")
    parser.add_argument("--voice", default=None,
                        help="estimate, espeak, recorded, or a manim-voiceover service (gtts, "
                             "azure, ...) (default: $LECTURE_VOICE, else espeak)")
    parser.add_argument("--quality", default=None, choices=list(QUALITIES),
                        help="(default: $LECTURE_QUALITY, else high)")
    parser.add_argument("--force", action="store_true", help="render even if unchanged")
    parser.add_argument("--list", action="store_true", help="list the segments and exit")
    parser.add_argument("--bundle", dest="bundle", action="store_true", default=None,
                        help="build the YouTube bundle even when segments are named")
    parser.add_argument("--no-bundle", dest="bundle", action="store_false",
                        help="only render the segments")
    parser.add_argument("--fallback", default=None,
                        help="recorded voice: speak beats without a usable take with this voice "
                             "(e.g. espeak) instead of stopping (default: "
                             "$LECTURE_RECORDED_FALLBACK)")
    add_common_options(parser, "media folder (default: $LECTURE_MEDIA, else media/)")
    try:
        args = parser.parse_args(args_in)
        registry = _resolve(args)
    except InputError as exc:
        return fail("lecture", str(exc))

    if args.list:
        for n, seg in enumerate(registry, 1):
            state = "" if module_path(seg).exists() else "   (not written yet)"
            print(f"{n:2d} {seg.id:30} {seg.module}.{seg.scene}{state}")
        return 0
    known = {s.id: n for n, s in enumerate(registry, 1)}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        return fail("lecture", f"unknown segment {unknown[0]!r} (see --list)")

    from scenes.narration.segment_text import NarrationTextError, load_segment_text
    from scenes.production import render
    from scenes.production.bundle import Ready, build_bundle

    printing = threading.Lock()

    def log(msg: str) -> None:
        with printing:
            print(msg, flush=True)

    wanted = [s for s in registry if not args.segments or s.id in args.segments]
    numbered = [(known[s.id], s) for s in wanted]
    missing = [s for _, s in numbered if not module_path(s).exists()]
    todo = [(n, s) for n, s in numbered if module_path(s).exists()]
    bundle = args.bundle if args.bundle is not None else not args.segments
    dest = out_dir(args.lang, args.media)
    dest.mkdir(parents=True, exist_ok=True)
    render.clean_scratch(dest)
    _, width, height, fps = QUALITIES[args.quality]

    if args.voice == "recorded":
        bad = _check_takes(todo, args, log)
        if bad < 0:
            return 1
        if bad and not args.fallback:
            return fail("lecture", f"{bad} beat(s) without a usable take: record them "
                        f"(lecture-script --lang {args.lang} writes the script), or add "
                        f"--fallback espeak for a draft")
        if bad:
            log(f"takes: those {bad} beat(s) are spoken by {args.fallback} (a draft)")

    fps_of = {s.id: render.segment_fingerprint(s, n, args.lang, args.voice, args.quality,
                                                args.recordings, args.fallback) for n, s in todo}
    to_render = [(n, s) for n, s in todo if args.force or not render.is_current(s, dest, fps_of[s.id])]
    for n, s in todo:
        if (n, s) not in to_render:       # its good render stands: no failure log beside it
            render.clear_failure_log(dest, s.id)
    log(f"lecture: {args.lang}, voice {args.voice}, quality {args.quality} ({width}×{height}, "
        f"{fps} fps): {len(todo)} segment(s), {len(to_render)} to render, "
        f"{len(todo) - len(to_render)} unchanged; {args.jobs} at a time")
    for s in missing:
        log(f"  {s.id}: skipped, {module_path(s).relative_to(ROOT)} is not written yet")

    def handle_term(signum, frame):
        raise KeyboardInterrupt
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, handle_term)

    start = time.monotonic()
    failed: list[str] = []
    rendered_now: set[str] = set()
    thumbnail = None
    pool = ThreadPoolExecutor(max_workers=max(1, args.jobs))
    futures = {}
    try:
        for n, seg in longest_first(to_render, args.lang):
            futures[pool.submit(render.render_segment, seg, n, args.lang, args.voice,
                                args.quality, args.media, force=args.force,
                                recordings=args.recordings, fallback=args.fallback)] = seg
        if bundle:   # last: it fills a core left idle by the final segment
            futures[pool.submit(render.render_thumbnail, args.lang, args.media,
                                force=args.force)] = None
        done = 0
        for fut in as_completed(futures):
            seg = futures[fut]
            try:
                result = fut.result()
            except render.RenderError as exc:
                failed.append(seg.id if seg else "thumbnail")
                if seg is not None:
                    done += 1
                    log(f"[{done}/{len(to_render)}] {exc}")
                else:
                    log(f"thumbnail: {exc}")
                continue
            if seg is None:
                status, secs, png, key = result
                thumbnail = (png, key)
                if status == "rendered":
                    log(f"thumbnail: rendered in {_seconds(secs)}")
                continue
            done += 1
            status, secs = result
            rendered_now.add(seg.id)
            left = len(to_render) - done
            log(f"[{done}/{len(to_render)}] {seg.id}: {status}"
                + (f" in {_seconds(secs)}" if status == "rendered" else "")
                + (f"; {left} to go, {_seconds(time.monotonic() - start)} so far" if left else ""))
    except KeyboardInterrupt:
        for fut in futures:
            fut.cancel()
        render.terminate_all()
        pool.shutdown(wait=True, cancel_futures=True)
        log("lecture: interrupted; finished segments are kept, the others keep their previous render")
        return 130
    pool.shutdown(wait=True)

    elapsed = time.monotonic() - start
    if failed:
        log(f"lecture: {len(failed)} failed ({', '.join(failed)}); done in {_seconds(elapsed)}")
        return 1
    log(f"lecture: segments in {dest}/ ({_seconds(elapsed)})")
    if not bundle:
        return 0

    ready = []
    changed = []
    for n, seg in enumerate(registry, 1):
        if not module_path(seg).exists():
            continue
        fp = render.segment_fingerprint(seg, n, args.lang, args.voice, args.quality,
                                        args.recordings, args.fallback)
        if not render.is_current(seg, dest, fp):
            if seg.id in rendered_now or render.is_current(seg, dest, fps_of.get(seg.id, "")):
                changed.append(seg.id)   # edited while this run was rendering: use this render
            else:
                return fail("lecture", f"segment {seg.id} has no current render; run without "
                            f"segment names", 1)
        try:
            title = load_segment_text(seg.id, args.lang).title
        except NarrationTextError as exc:
            return fail("lecture", str(exc), 1)
        srt = dest / f"{seg.id}.srt"
        ready.append(Ready(seg.id, n, title, dest / f"{seg.id}.mp4", srt if srt.exists() else None,
                           (dest / f"{seg.id}.stamp").read_text().strip()))
    if not ready:
        return fail("lecture", "no segment is written yet: nothing to put in the bundle", 1)
    try:
        result = build_bundle(ready, args.lang, args.media, thumbnail=thumbnail, force=args.force,
                              log=log)
    except KeyboardInterrupt:
        log("lecture: interrupted while building the bundle; files already in place are complete")
        return 130
    except (ValueError, RuntimeError) as exc:
        return fail("lecture", f"bundle: {exc}", 1)
    for note in result.notes:
        log(f"bundle: note: {note}")
    if changed:
        log(f"bundle: note: the inputs of {', '.join(changed)} changed during this run; the bundle "
            f"uses the render made from the earlier inputs: run again to bring it up to date")
    if missing:
        log(f"bundle: note: {len(missing)} segment(s) not written yet are left out: "
            f"{', '.join(s.id for s in missing)}")
    loud = (f", {result.lufs:.1f} LUFS, true peak {result.true_peak:.1f} dBTP"
            if result.lufs is not None and result.lufs > -100 else "")
    log(f"bundle: {result.folder}/ — lecture {result.duration / 60:.1f} min, "
        f"{len(result.chapters)} chapters{loud}; built: {', '.join(result.built) or 'nothing'}; "
        f"unchanged: {len(result.reused)}. Done in {_seconds(time.monotonic() - start)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
