"""NarratedScene: a Manim scene whose narration, on-screen words and subtitles come from data.

A segment scene declares its ``segment_id`` and speaks its beats in order::

    class OutputSize(NarratedScene):
        segment_id = "output_size"

        def construct(self):
            grid = Square()
            with self.beat("intro") as beat:           # section "intro", voice, subtitles
                self.play(Create(grid), run_time=beat.duration / 2)
                self.play(Write(Text(self.s("input"))))
            # (leaving the block waits for the rest of the voice)
            with self.beat("formula") as beat:
                # text: "o es igual a <bookmark mark='i'/>i menos k ..."
                beat.at("i", Indicate(i_term))          # starts when the voice says "i"

Anchors (``<bookmark mark='name'/>`` before a word of the beat's text) tie a picture change to
the word that names it: ``beat.at(name, ...)`` waits until the voice reaches the word, then
plays. Their times come from the voice itself (see :mod:`.marks`); each beat's marks (when
spoken, when shown) go to the beats file. Inside a beat no play runs past the next anchor
still to come, so a mark is never late because of what came before it.

Language: ``$LECTURE_LANG`` (es, en; default es) or ``NarratedScene(lang=...)``.
Voice: ``$LECTURE_VOICE`` (estimate, espeak, gtts, ...; default estimate) or ``NarratedScene(voice=...)``.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, ClassVar

import numpy as np
from manim import Animation, AnimationGroup, Camera, config, logger
from manim.animation.animation import prepare_animation
from manim.constants import RendererType
from manim.renderer.cairo_renderer import CairoRenderer
from manim_voiceover import VoiceoverScene, VoiceoverTracker

from . import segment_text as _text
from .held_frames import HeldFrameWriter
from .marks import AnchorError, anchor_times, linear_word_times, parse_anchors, strip_anchors
from .pacing import is_still, natural_run_time
from .segment_text import SegmentText, current_lang, load_segment_text
from .subtitles import Cue, make_cues, overrun
from .viewing import ViewingProbe, viewing_requested
from .voices import current_voice, make_speech_service, voice_options as _resolve_voice_options

MIN_STEP_SECONDS = 0.5
# The shortest a play is squeezed to so that it ends before the next anchor (two frames at
# 15 fps); marks closer together than this are shown this late.
MIN_PLAY_BEFORE_ANCHOR = 0.15
# When set to a file name, every beat spoken is written there as JSON (id, text, start,
# duration); the lecture pipeline uses it for the recording script.
SPOKEN_BEATS_ENV = "LECTURE_SPOKEN_BEATS"
# Name prefix of the Manim section that holds what plays between a beat and the next.
AFTER_BEAT_PREFIX = "after_"
# Set to draw composed animations as Manim does (their whole group every frame): for comparing.
WHOLE_GROUPS_MOVE_ENV = "LECTURE_WHOLE_GROUPS_MOVE"


def _write_spoken_beats(scene: "NarratedScene") -> None:
    target = os.environ.get(SPOKEN_BEATS_ENV, "").strip()
    if not target:
        return
    data = {"segment": scene.segment_id, "lang": scene.lang, "voice": scene.voice_name,
            "beats": scene.spoken_beats}
    tmp = f"{target}.part"
    with open(tmp, "w", encoding="utf-8") as f:
        json.dump(data, f, ensure_ascii=False, indent=1)
    os.replace(tmp, target)


def _anchor_seconds(text: str, tracker: VoiceoverTracker) -> dict[str, float]:
    """Seconds from the start of a beat's audio at which each anchor's word is spoken: from
    the voice's own word times (our local voices), else manim-voiceover's bookmark times (a
    service with word boundaries), else spread evenly over the audio."""
    spoken, offsets = parse_anchors(text)
    if not offsets:
        return {}
    data = tracker.data
    duration = float(tracker.duration)
    if data.get("word_times"):
        return anchor_times(offsets, data["word_times"], duration)
    bookmarks = getattr(tracker, "bookmark_times", None)
    if bookmarks and all(name in bookmarks for name in offsets):
        return {name: float(bookmarks[name]) - float(tracker.start_t) for name in offsets}
    return anchor_times(offsets, linear_word_times(spoken, duration), duration)


def _duration_for_frames(frames: int, fps: float) -> float:
    """A wait duration that Manim renders as ``frames`` frames (at least).

    Manim renders a static wait as ``int(duration * fps)`` frames and a wait with updaters as
    ``len(arange(0, duration, 1/fps))`` frames; ``frames / fps`` is right for both up to float
    round-off, which is checked here and nudged up when it would lose a frame.
    """
    dt = 1 / fps
    duration = frames / fps
    for _ in range(8):
        if int(duration / dt) >= frames and len(np.arange(0, duration, dt)) >= frames:
            break
        duration = float(np.nextafter(duration, math.inf))
    return duration


class BeatTiming:
    """What a segment sees of the beat being spoken (``with self.beat(id) as beat``)."""

    def __init__(self, scene: "NarratedScene", beat: _text.Beat, tracker: VoiceoverTracker, cues: list[Cue]) -> None:
        self.scene = scene
        self.id = beat.id
        self.text = beat.text
        self.caption = beat.caption
        self.tracker = tracker
        self.start: float = float(tracker.start_t)
        self.duration: float = float(tracker.duration)
        self.cues = cues  # absolute scene times
        # anchors: name -> scene time at which the voice says the anchored word
        self.marks: dict[str, float] = {}
        self.shown: dict[str, float] = {}
        self.offsets: dict[str, int] = parse_anchors(beat.text)[1]   # in the spoken text
        self.record: dict[str, Any] = {}   # this beat's entry of the beats file

    def at(self, mark: str, *animations: Animation, **play_kwargs: Any) -> None:
        """Wait until the voice reaches the word after ``<bookmark mark='mark'/>``, then play
        ``animations`` (or, when none are given, let the next play or add show it)."""
        if mark not in self.marks:
            raise AnchorError(f"beat {self.id!r} has no anchor {mark!r}; its anchors are "
                              f"{', '.join(self.marks) or 'none'}")
        if mark in self.shown or self.scene._pending_mark is not None:
            raise AnchorError(f"beat {self.id!r}: anchor "
                              f"{mark if mark in self.shown else self.scene._pending_mark!r} "
                              "is shown twice, or another anchor is still waiting for its play")
        self.scene.wait_until_time(self.marks[mark])
        self.scene._pending_mark = (self, mark)
        if animations:
            self.scene.play(*animations, **play_kwargs)

    def next_mark_time(self) -> float | None:
        """Scene time of the next anchor not shown yet (None when there is none)."""
        times = [t for name, t in self.marks.items() if name not in self.shown]
        return min(times) if times else None

    def _show(self, mark: str, when: float) -> None:
        self.shown[mark] = when
        self.record.setdefault("marks", []).append(
            {"name": mark, "spoken": round(self.marks[mark], 3), "shown": round(when, 3),
             "at": self.offsets[mark]})
        late = when - self.marks[mark]
        if late > 0.3:
            logger.warning(f"beat {self.id!r}: anchor {mark!r} shown {late:.2f} s after its word")

    @property
    def end(self) -> float:
        """Scene time at which the voice ends."""
        return self.start + self.duration

    @property
    def elapsed(self) -> float:
        return float(self.scene.time) - self.start

    @property
    def remaining(self) -> float:
        """Seconds of voice still to come (0 once animations have caught up with it)."""
        return max(0.0, self.end - float(self.scene.time))

    def split(self, *weights: float, minimum: float = MIN_STEP_SECONDS, leave: float = 0.0) -> list[float]:
        """Run times for several plays that fill the voice still to come, in proportion to
        ``weights`` (one per play), keeping ``leave`` seconds back. Each is at least ``minimum``
        seconds, so when the voice is already over the plays still happen, briefly."""
        if not weights:
            raise ValueError("split() needs one weight per play")
        if any(w <= 0 for w in weights):
            raise ValueError(f"weights must be positive, got {weights}")
        available = max(0.0, self.remaining - leave)
        total = float(sum(weights))
        return [max(minimum, available * w / total) for w in weights]

    def play_steps(
        self,
        *steps: Animation | Iterable[Animation],
        weights: Sequence[float] | None = None,
        minimum: float = MIN_STEP_SECONDS,
        leave: float = 0.0,
        **play_kwargs: Any,
    ) -> None:
        """Play ``steps`` one after the other over the voice still to come. A step is an
        animation or a list of animations played together; ``weights`` share out the time
        (equal by default)."""
        weights = tuple(weights) if weights is not None else (1.0,) * len(steps)
        if len(weights) != len(steps):
            raise ValueError(f"{len(steps)} steps but {len(weights)} weights")
        for step, run_time in zip(steps, self.split(*weights, minimum=minimum, leave=leave)):
            animations = [step] if isinstance(step, Animation) else list(step)
            self.scene.play(*animations, run_time=run_time, **play_kwargs)

    def wait_until(self, when: float | str) -> None:
        """Wait until a fraction (0..1) of the voice has been spoken, or until a
        ``<bookmark mark='...'/>`` in the beat's text."""
        if isinstance(when, str):
            self.at(when)
            return
        if not 0.0 <= when <= 1.0:
            raise ValueError(f"wait_until takes a fraction between 0 and 1 or a bookmark name, got {when}")
        self.scene.wait_until_time(self.start + when * self.duration)


class NarratedScene(VoiceoverScene):
    """A VoiceoverScene that speaks and subtitles the beats of one segment's text file."""

    segment_id: ClassVar[str]

    def __init__(
        self,
        *args: Any,
        lang: str | None = None,
        voice: str | None = None,
        voice_options: dict[str, Any] | None = None,
        viewing: bool | None = None,
        **kwargs: Any,
    ) -> None:
        if not getattr(type(self), "segment_id", None):
            raise TypeError(f"{type(self).__name__} must set the class attribute segment_id")
        self.lang: str = current_lang(lang)
        self.voice_name: str = current_voice(voice)
        self._voice_options = voice_options
        self.text: SegmentText = load_segment_text(self.segment_id, self.lang)
        self.subtitle_cues: list[Cue] = []
        self.beats_spoken: list[str] = []
        self.spoken_beats: list[dict[str, Any]] = []  # id, text, start, duration of each beat
        # Layout at the end of every beat (overlapping text, mobjects off frame), for tests.
        self.layout_report: dict[str, list[str]] = {}
        self._in_beat = False
        self._beat: BeatTiming | None = None
        self._pending_mark: tuple[BeatTiming, str] | None = None
        self._playing = False
        if kwargs.get("renderer") is None and config.renderer == RendererType.CAIRO:
            kwargs["renderer"] = CairoRenderer(file_writer_class=HeldFrameWriter,
                                               camera_class=kwargs.get("camera_class", Camera),
                                               skip_animations=kwargs.get("skip_animations", False))
        super().__init__(*args, **kwargs)
        # What a viewer would see wrong (empty screen, small or faint text, ...), for checks.
        self.viewing: ViewingProbe | None = None
        if viewing or (viewing is None and viewing_requested()):
            self._watch_frames()

    def _watch_frames(self) -> None:
        self.viewing = probe = ViewingProbe(self)
        renderer = self.renderer
        add_frame = renderer.add_frame

        def watched_add_frame(frame, num_frames: int = 1) -> None:
            t = float(renderer.time)
            add_frame(frame, num_frames)
            probe.on_frame(frame, t, num_frames / float(config.frame_rate))

        renderer.add_frame = watched_add_frame

    # -- on-screen words -------------------------------------------------------------------
    def s(self, key: str, /, **fields: object) -> str:
        """The on-screen string ``key`` in the scene's language, formatted with ``fields``."""
        return self.text.string(key, **fields)

    # -- narration --------------------------------------------------------------------------
    def _ensure_voice(self) -> None:
        if getattr(self, "speech_service", None) is None:
            service = make_speech_service(self.voice_name, self.lang, options=_resolve_voice_options(self._voice_options))
            # Subtitles are ours (cues that follow the rules), not manim-voiceover's.
            self.set_speech_service(service, create_subcaption=False)
            logger.info(f"narration: segment {self.segment_id!r}, language {self.lang}, voice {self.voice_name}")

    @property
    def subtitles_enabled(self) -> bool:
        return not config.save_last_frame

    @contextmanager
    def beat(self, beat_id: str, /, values: dict | None = None,
             **service_kwargs: Any) -> Iterator[BeatTiming]:
        """Speak one beat: starts the Manim section ``beat_id``, adds the voice and its
        subtitles, yields a :class:`BeatTiming`, and at the end waits for the rest of the
        voice (and for the last subtitle, if the text was too fast to read), then starts the
        section ``after_<beat_id>`` for whatever the scene plays before its next beat.

        ``values`` fill the ``{fields}`` of the beat's text (numbers from convmath)."""
        if self._in_beat:
            raise RuntimeError(f"beat {beat_id!r} started inside another beat; beats do not nest")
        spec = self.text.beat(beat_id).format(**(values or {}))
        if beat_id in self.beats_spoken:
            logger.warning(f"beat {beat_id!r} of segment {self.segment_id!r} is spoken twice")
        self._ensure_voice()
        self.next_section(beat_id)
        begin_beat = getattr(self.speech_service, "begin_beat", None)
        if begin_beat is not None:  # the recorded voice finds its take by segment and beat id
            begin_beat(self.segment_id, beat_id)
        tracker = self.add_voiceover_text(spec.text, **service_kwargs)
        start, duration = float(tracker.start_t), float(tracker.duration)
        cues = make_cues(spec.caption, start, duration, lang=self.lang)
        late = overrun(cues, start, duration)
        if late:
            logger.warning(
                f"beat {beat_id!r}: narration too fast to read as subtitles "
                f"(over 17 characters a second); subtitles run {late:.2f} s past the voice"
            )
        if self.subtitles_enabled:
            now = float(self.time)
            for cue in cues:
                self.add_subcaption(cue.text, duration=cue.duration, offset=cue.start - now)
        self.subtitle_cues.extend(cues)
        self.beats_spoken.append(beat_id)
        self.spoken_beats.append({"id": beat_id, "text": strip_anchors(spec.text), "start": round(start, 3),
                                  "duration": round(duration, 3)})
        _write_spoken_beats(self)
        timing = BeatTiming(self, spec, tracker, cues)
        timing.record = self.spoken_beats[-1]
        timing.record["marks"] = []
        timing.marks = {name: start + t for name, t in _anchor_seconds(spec.text, tracker).items()}
        self._beat = timing
        self._in_beat = True
        try:
            yield timing
        finally:
            self._in_beat = False
            self._beat = None
        self.layout_report[beat_id] = self.check_layout()
        if self.viewing is not None:
            self.viewing.on_beat_end(beat_id)
        if self._pending_mark is not None:
            raise AnchorError(f"beat {beat_id!r}: anchor {self._pending_mark[1]!r} waited for its "
                              "word but nothing was shown after it")
        unshown = [m for m in timing.marks if m not in timing.shown]
        if unshown:
            raise AnchorError(f"beat {beat_id!r} of {self.segment_id!r}: anchor(s) "
                              f"{', '.join(unshown)} never shown (beat.at(name, ...))")
        _write_spoken_beats(self)
        # Not reached when the body raised: no point waiting on a failed render.
        # Wait for the rest of the voice (and the last subtitle), in whole frames and never
        # short of it, so the next beat's voice cannot start over this one.
        self.wait_until_time(max(timing.end, cues[-1].end if cues else timing.end))
        # What plays after the beat, before the next one (a card fading out, an outro), is a
        # section of its own: the beat's section ends on the beat's last picture, which the
        # slides hold. Manim drops it when nothing plays there.
        self.next_section(f"{AFTER_BEAT_PREFIX}{beat_id}")

    def get_moving_mobjects(self, *animations: Animation) -> list:
        """What must be drawn again on every frame of these animations; the rest is drawn
        once, as the frame's background.

        Manim counts the whole ``group`` of a composed animation (``AnimationGroup``,
        ``Succession``) as moving; the kit's slides use a stage holding both grids as that
        group, so every cell would be drawn again on every frame. Here only what the innermost
        animations change counts, and, as in Manim, everything drawn after it."""
        if os.environ.get(WHOLE_GROUPS_MOVE_ENV):
            return super().get_moving_mobjects(*animations)
        changed: set = set()
        pending = list(animations)
        while pending:
            anim = pending.pop()
            if isinstance(anim, AnimationGroup):
                pending.extend(anim.animations)
            elif anim.mobject is not None:
                changed.update(anim.mobject.get_family())
        foreground = set(self.foreground_mobjects)
        mobjects = self.get_mobject_family_members()
        for i, mob in enumerate(mobjects):
            if mob in changed or mob.updaters or mob in foreground:
                return mobjects[i:]
        return []

    def check_layout(self) -> list[str]:
        """Overlapping texts and mobjects outside the frame, as readable lines."""
        from scenes.kit.layout import layout_problems

        return layout_problems(self.mobjects)

    def play(self, *args: Any, **kwargs: Any) -> None:
        """Inside a beat, a play asked to last longer than its animations need runs at their
        natural length and holds the last frame for the rest (see :mod:`.pacing`); neither
        the motion nor the hold runs past the beat's next anchor still to come."""
        self._show_pending_mark()
        if not self._in_beat or not args:
            self._play(*args, **kwargs)
            return
        animations = [prepare_animation(a) for a in args]
        asked = kwargs.get("run_time")
        longest = max(a.get_run_time() for a in animations)
        run_time = float(asked) if asked is not None else longest
        if is_still(animations) or run_time <= 0:
            self._play(*animations, **kwargs)
            return
        natural = max(natural_run_time(a, run_time) for a in animations)
        room = self._room_before_next_mark()
        if room is not None:
            natural = min(natural, max(room, MIN_PLAY_BEFORE_ANCHOR))
            run_time = min(run_time, max(room, natural))
        if run_time - natural < 2 / config.frame_rate:
            natural = run_time
        if asked is not None:
            kwargs["run_time"] = natural
        elif natural != longest:
            for a in animations:
                a.run_time = a.get_run_time() * natural / longest
        self._play(*animations, **kwargs)
        if run_time > natural:
            self.wait(run_time - natural)

    def _play(self, *args: Any, **kwargs: Any) -> None:
        if self.viewing is not None and args:
            args = tuple(prepare_animation(a) for a in args)
            run_time = kwargs.get("run_time") or max(a.get_run_time() for a in args)
            self.viewing.on_play(float(self.time), float(run_time),
                                 ", ".join(type(a).__name__ for a in args[:3]))
        self._playing = True
        try:
            super().play(*args, **kwargs)
        finally:
            self._playing = False

    def add(self, *mobjects: Any) -> "NarratedScene":
        """Adding mobjects outside a play shows an anchor that is waiting for its picture."""
        if not self._playing:
            self._show_pending_mark()
        return super().add(*mobjects)

    def _show_pending_mark(self) -> None:
        if self._pending_mark is not None:
            timing, mark = self._pending_mark
            self._pending_mark = None
            timing._show(mark, float(self.time))

    def _room_before_next_mark(self) -> float | None:
        """Seconds until the current beat's next anchor still to come (None: no anchor)."""
        if self._beat is None:
            return None
        nxt = self._beat.next_mark_time()
        return None if nxt is None else nxt - float(self.time)

    def wait_until_time(self, t: float) -> None:
        """Wait until scene time ``t``, rounded up to a whole frame (nothing if already past)."""
        gap = t - float(self.time)
        if gap <= 1e-4:
            return
        fps = float(config.frame_rate)
        frames = math.ceil(gap * fps - 1e-6)
        self.wait(_duration_for_frames(frames, fps))

    def unspoken_beats(self) -> list[str]:
        """Beats of the text file that the scene has not spoken (for checks after render)."""
        return [b for b in self.text.beat_ids if b not in self.beats_spoken]
