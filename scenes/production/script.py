"""``lecture-script``: the recording script a narrator reads from, and the state of the takes.

    lecture-script [SEGMENT ...] [--lang es|en] [--recordings DIR] [--out FILE]
    lecture-script --init             # first use: create the recordings folder
    lecture-script --check            # only report missing, stale, unusable takes (exit 1 if any)
    lecture-script --accept s04_conectividad/title   # vouch that a take matches today's text

For every beat of every segment (or the ones named), in lecture order: its id, the text the
scene actually speaks (its ``{fields}`` filled, found by a dry run of the scene), the time a
speaker takes to say it, the file to record it into and whether that take exists, is stale
(the text changed since it was recorded), is unusable (it does not decode, is silent, or is
far too long for its text: every take is decoded) or is still to record. The script is
Markdown, in ``media/recording/<lang>/script.md`` unless ``--out`` says otherwise.

Every input is checked before anything is written (see :mod:`.command_line`): the recordings
folder must exist (``--init`` creates it), ``--out`` must name a file, not a folder, the
manifest must be one this command wrote.

It also keeps ``recordings/<lang>/manifest.json``, the record of which text each take was
recorded against (see :mod:`scenes.production.takes`): takes it has not seen yet are noted
against the script last issued, then the texts of this script are noted as issued. It only
adds to the manifest (``--accept`` updates the takes it names) and never touches a take.
"""

from __future__ import annotations

import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from scenes.segments import Segment

from .command_line import (InputError, OneLineParser, Setting, add_common_options, fail,
                           output_file, recordings_folder, resolve_common, segments_of)
from .registry import module_path
from .takes import (AMBIGUOUS, MANIFEST, MISSING, OK, STALE, UNREGISTERED, UNUSABLE, Manifest,
                    TakeStatus, beat_key, file_sha, register_new_takes, spoken, take_files,
                    take_status, text_sha, write_text_atomic)
from scenes.narration.lecture_text import lecture_text


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
    counts = {k: 0 for k in (OK, STALE, MISSING, UNREGISTERED, AMBIGUOUS, UNUSABLE)}
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
                                missing=counts[MISSING] + counts[UNREGISTERED] + counts[AMBIGUOUS]
                                + counts[UNUSABLE]),
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
            mark = {OK: "✓", STALE: "⚠", MISSING: "○", UNREGISTERED: "?", AMBIGUOUS: "‼",
                    UNUSABLE: "✗"}[state]
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


PROG = "lecture-script"


@dataclass
class Plan:
    """What a run reads and writes, every path checked before anything is written."""

    segments: list[Segment]
    numbers: dict[str, int]
    root: Path            # the recordings folder
    out: Path | None      # the script (None with --check)
    create_root: bool     # --init, and the folder does not exist yet


def _resolve(args) -> Plan:
    common = resolve_common(args)
    args.lang, args.media, args.jobs = common.lang, common.media, common.jobs
    if args.init and args.check:
        raise InputError("--init creates the recordings folder and --check writes nothing: "
                         "give one of them")
    root = recordings_folder(args.recordings, create=args.init)
    manifest = root / args.lang / MANIFEST
    if not args.check:
        output_file(Setting(str(manifest), "the manifest"))
    try:
        Manifest.load(root, args.lang)
    except ValueError as exc:
        raise InputError(str(exc)) from None
    out = None
    if not args.check:
        out = output_file(Setting(args.out, "--out") if args.out is not None else
                          Setting(str(args.media / "recording" / args.lang / "script.md"),
                                  "the script (under --media)"))
    registry = segments_of(args.registry)
    known = {s.id: n for n, s in enumerate(registry, 1)}
    unknown = [s for s in args.segments if s not in known]
    if unknown:
        raise InputError(f"unknown segment {unknown[0]!r}")
    chosen = [s for s in registry if (not args.segments or s.id in args.segments)]
    for key in args.accept:
        segment, _, beat = key.partition("/")
        if not beat or segment not in {s.id for s in chosen}:
            raise InputError(f"--accept {key!r}: give segment/beat of a chosen segment, e.g. "
                             f"s04_conectividad/title")
    return Plan(chosen, known, root, out, args.init and not root.is_dir())


def main(argv=None) -> int:
    parser = OneLineParser(prog=PROG, description="Write the recording script of a language and "
                           "report missing, stale and unusable takes. Every option falls back "
                           "on its environment variable, checked the same way.")
    parser.add_argument("segments", nargs="*", help="segment ids (default: all)")
    parser.add_argument("--out", default=None,
                        help="the script (default: media/recording/<lang>/script.md)")
    parser.add_argument("--check", action="store_true",
                        help="only report; write nothing; exit 1 when a take is missing, stale "
                             "or unusable")
    parser.add_argument("--accept", nargs="+", default=[], metavar="SEGMENT/BEAT",
                        help="the takes of these beats were recorded from today's text")
    parser.add_argument("--init", action="store_true",
                        help="create the recordings folder if it does not exist yet (first use; "
                             "without it a folder that does not exist is refused)")
    add_common_options(parser, "media folder: the script's default place and the dry runs' "
                               "cache (default: $LECTURE_MEDIA, else media/)")
    try:
        args = parser.parse_args(argv)
        plan = _resolve(args)
    except InputError as exc:
        return fail(PROG, str(exc))
    known = plan.numbers
    for s in plan.segments:
        if not module_path(s).exists():
            print(f"{PROG}: {s.id} skipped, its scene is not written yet")
    chosen = [s for s in plan.segments if module_path(s).exists()]

    from scenes.narration.segment_text import load_segment_text

    from .render import RenderError, capture_spoken

    beats: dict[str, list[dict]] = {}
    with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        futures = {pool.submit(capture_spoken, s, known[s.id], args.lang, args.media): s for s in chosen}
        for fut in as_completed(futures):
            try:
                beats[futures[fut].id] = fut.result()
            except RenderError as exc:
                return fail(PROG, str(exc), 1)

    root = plan.root
    manifest = Manifest.load(root, args.lang)
    texts = {beat_key(s.id, b["id"]): b["text"] for s in chosen for b in beats[s.id]}
    for key in args.accept:
        if key not in texts:
            return fail(PROG, f"--accept {key}: no such beat (segment/beat, e.g. "
                              f"s04_conectividad/title)")
    if not args.check:
        # First note takes recorded since the last script against the text that script gave,
        # then vouch for the ones named, then issue today's texts.
        registered = register_new_takes(manifest, root, args.lang,
                                        [(s.id, b["id"]) for s in chosen for b in beats[s.id]])
        for key in args.accept:
            seg, beat = key.split("/", 1)
            files = take_files(root, args.lang, seg, beat)
            if len(files) != 1:
                return fail(PROG, f"--accept {key}: expected one take, found {len(files)}")
            tid = Manifest.take_id(key, file_sha(files[0]))
            manifest.takes.pop(tid, None)
            manifest.register(key, file_sha(files[0]), files[0].relative_to(root / args.lang).as_posix(),
                              text_sha(texts[key]))
        for key, text in texts.items():
            manifest.issue(key, text)
        if plan.create_root:
            root.mkdir(parents=True)
            print(f"{PROG}: created the recordings folder {root}")
        manifest.save()
        if registered:
            print(f"{PROG}: noted {len(registered)} new take(s) in {manifest.path}")

    from .recorded_voice import audited   # decodes every take about to be used

    def status_of(s: Segment, b: dict) -> TakeStatus:
        st = take_status(root, args.lang, s.id, b["id"], b["text"], manifest)
        return audited(st, b["text"], args.lang)

    with ThreadPoolExecutor(max_workers=args.jobs) as pool:
        found = list(pool.map(status_of, [s for s in chosen for _ in beats[s.id]],
                              [b for s in chosen for b in beats[s.id]]))
    statuses = {st.key: st for st in found}
    sections = [(known[s.id], s, load_segment_text(s.id, args.lang).title, beats[s.id])
                for s in chosen]
    problems = [st for st in statuses.values() if not st.ok]
    if plan.out is not None:
        write_text_atomic(plan.out, script_markdown(args.lang, sections,
                                                    {k: v.state for k, v in statuses.items()}, root))
        print(f"{PROG}: {plan.out} ({len(statuses)} beats)")
    ok = len(statuses) - len(problems)
    print(f"takes ({root}/{args.lang}): {ok} of {len(statuses)} recorded")
    for st in problems:
        print(f"  {st.message(root, args.lang)}")
    return 1 if (args.check and problems) else 0


if __name__ == "__main__":
    sys.exit(main())
