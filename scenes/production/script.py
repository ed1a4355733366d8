"""``lecture-script``: the recording script a narrator reads from, and the state of the takes.

    lecture-script [SEGMENT ...] [--lang es|en] [--recordings DIR] [--out FILE]
    lecture-script --check            # only report missing and stale takes (exit 1 if any)
    lecture-script --accept s04_conectividad/title   # vouch that a take matches today's text

For every beat of every segment (or the ones named), in lecture order: its id, the text the
scene actually speaks (its ``{fields}`` filled, found by a dry run of the scene), the time a
speaker takes to say it, the file to record it into and whether that take exists, is stale
(the text changed since it was recorded) or is still to record. The script is Markdown, in
``media/recording/<lang>/script.md`` unless ``--out`` says otherwise.

It also keeps ``recordings/<lang>/manifest.json``, the record of which text each take was
recorded against (see :mod:`scenes.production.takes`): takes it has not seen yet are noted
against the script last issued, then the texts of this script are noted as issued. It only
adds to the manifest (``--accept`` updates the takes it names) and never touches a take.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from scenes.segments import Segment

from .registry import ROOT, RegistryError, load_registry, module_path
from .takes import (AMBIGUOUS, MISSING, OK, STALE, UNREGISTERED, Manifest, beat_key, file_sha,
                    recordings_root, register_new_takes, spoken, take_files, take_status,
                    text_sha, write_text_atomic)
from .text import lecture_text

MEDIA = Path(os.environ.get("LECTURE_MEDIA", ROOT / "media"))


def expected_seconds(text: str, lang: str) -> float:
    from scenes.narration.voices import estimate_duration

    return estimate_duration(spoken(text), lang)


def _clock(seconds: float) -> str:
    m, s = divmod(int(round(seconds)), 60)
    return f"{m}:{s:02d}"


def script_markdown(lang: str, sections: list[tuple[int, Segment, str, list[dict]]],
                    statuses: dict[str, str], root: Path) -> str:
    """The script: ``sections`` are (number, segment, title, beats)."""
    t = lecture_text(lang)
    labels = t["script"]
    counts = {k: 0 for k in (OK, STALE, MISSING, UNREGISTERED, AMBIGUOUS)}
    for state in statuses.values():
        counts[state] += 1
    total_seconds = sum(expected_seconds(b["text"], lang) for *_, beats in sections for b in beats)
    lines = [
        f"# {labels['heading']} — {t['title']} ({lang})",
        "",
        labels["summary"].format(date=time.strftime("%Y-%m-%d"), segments=len(sections),
                                 beats=sum(len(b) for *_, b in sections),
                                 duration=_clock(total_seconds)),
        "",
        labels["intro"].format(lang=lang),
        "",
        labels["status"].format(total=len(statuses), ok=counts[OK], stale=counts[STALE],
                                missing=counts[MISSING] + counts[UNREGISTERED] + counts[AMBIGUOUS]),
        "",
    ]
    for number, seg, title, beats in sections:
        seconds = sum(expected_seconds(b["text"], lang) for b in beats)
        lines += [f"## {number}. {title}", "", f"`{seg.id}` · ≈ {_clock(seconds)}", ""]
        for beat in beats:
            key = beat_key(seg.id, beat["id"])
            state = statuses[key]
            files = take_files(root, lang, seg.id, beat["id"])
            name = files[0].name if files else f"{beat['id']}.wav"
            mark = {OK: "✓", STALE: "⚠", MISSING: "○", UNREGISTERED: "?", AMBIGUOUS: "‼"}[state]
            lines += [
                f"### {mark} `{beat['id']}` · ≈ {expected_seconds(beat['text'], lang):.1f} "
                f"{labels['seconds']} · {labels[state]}",
                "",
                f"{labels['file']}: `{lang}/{seg.id}/{name}`",
                "",
                f"> {spoken(beat['text'])}",
                "",
            ]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="lecture-script", description="Write the recording script "
                                     "of a language and report missing and stale takes.")
    parser.add_argument("segments", nargs="*", help="segment ids (default: all)")
    parser.add_argument("--lang", default=os.environ.get("LECTURE_LANG") or "es", choices=("es", "en"))
    parser.add_argument("--recordings", type=Path, default=None,
                        help="the takes (default: recordings/, or $LECTURE_RECORDINGS)")
    parser.add_argument("--out", type=Path, default=None,
                        help="the script (default: media/recording/<lang>/script.md)")
    parser.add_argument("--media", type=Path, default=MEDIA, help="media folder (default: media/)")
    parser.add_argument("--registry", type=Path, default=None, help="a JSON list of segments")
    parser.add_argument("--check", action="store_true",
                        help="only report; write nothing; exit 1 when a take is missing or stale")
    parser.add_argument("--accept", nargs="+", default=[], metavar="SEGMENT/BEAT",
                        help="the takes of these beats were recorded from today's text")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1))
    args = parser.parse_args(argv)
    args.media = args.media.resolve()

    def fail(msg: str, status: int = 2) -> int:
        print(f"lecture-script: error: {msg}", file=sys.stderr)
        return status

    try:
        registry = load_registry(args.registry)
    except RegistryError as exc:
        return fail(str(exc))
    known = {s.id: n for n, s in enumerate(registry, 1)}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        return fail(f"unknown segment {unknown[0]!r}")
    chosen = [s for s in registry if (not args.segments or s.id in args.segments)]
    for s in chosen:
        if not module_path(s).exists():
            print(f"lecture-script: {s.id} skipped, its scene is not written yet")
    chosen = [s for s in chosen if module_path(s).exists()]

    from scenes.narration.segment_text import load_segment_text

    from .render import RenderError, capture_spoken

    beats: dict[str, list[dict]] = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(capture_spoken, s, known[s.id], args.lang, args.media): s for s in chosen}
        for fut in as_completed(futures):
            try:
                beats[futures[fut].id] = fut.result()
            except RenderError as exc:
                return fail(str(exc), 1)

    root = recordings_root(args.recordings)
    try:
        manifest = Manifest.load(root, args.lang)
    except ValueError as exc:
        return fail(str(exc))
    texts = {beat_key(s.id, b["id"]): b["text"] for s in chosen for b in beats[s.id]}
    for key in args.accept:
        if key not in texts:
            return fail(f"--accept {key}: no such beat (segment/beat, e.g. s04_conectividad/title)")
    if not args.check:
        # First note takes recorded since the last script against the text that script gave,
        # then vouch for the ones named, then issue today's texts.
        registered = register_new_takes(manifest, root, args.lang,
                                        [(s.id, b["id"]) for s in chosen for b in beats[s.id]])
        for key in args.accept:
            seg, beat = key.split("/", 1)
            files = take_files(root, args.lang, seg, beat)
            if len(files) != 1:
                return fail(f"--accept {key}: expected one take, found {len(files)}")
            tid = Manifest.take_id(key, file_sha(files[0]))
            manifest.takes.pop(tid, None)
            manifest.register(key, file_sha(files[0]), files[0].relative_to(root / args.lang).as_posix(),
                              text_sha(texts[key]))
        for key, text in texts.items():
            manifest.issue(key, text)
        manifest.save()
        if registered:
            print(f"lecture-script: noted {len(registered)} new take(s) in {manifest.path}")

    statuses = {}
    for s in chosen:
        for b in beats[s.id]:
            st = take_status(root, args.lang, s.id, b["id"], b["text"], manifest)
            statuses[st.key] = st
    sections = [(known[s.id], s, load_segment_text(s.id, args.lang).title, beats[s.id]) for s in chosen]
    problems = [st for st in statuses.values() if not st.ok]
    if not args.check:
        out = args.out or args.media / "recording" / args.lang / "script.md"
        write_text_atomic(out, script_markdown(args.lang, sections,
                                               {k: v.state for k, v in statuses.items()}, root))
        print(f"lecture-script: {out} ({len(statuses)} beats)")
    ok = len(statuses) - len(problems)
    print(f"takes ({root}/{args.lang}): {ok} of {len(statuses)} recorded")
    for st in problems:
        print(f"  {st.message(root, args.lang)}")
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
