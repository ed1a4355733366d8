"""Production: the commands, and everything from rendered segments to what is uploaded.

It imports the scenes (to render them); nothing that draws imports it.

- :mod:`.lecture` — the ``lecture`` command: render what changed, then the bundle; its
  subcommands ``clip`` (:mod:`.clips`), ``post`` (:mod:`.post`), ``slides`` (:mod:`.slides`)
  and ``benchmark`` (:mod:`.benchmark`).
- :mod:`.command_line` — the options ``lecture`` and ``lecture-script`` share, checked in one
  line each.
- :mod:`.render` — renders in subprocesses, each moved into place only when complete; the
  dry run that captures the text each beat actually speaks (its ``{fields}`` filled).
- :mod:`.registry` — which segments make the lecture (``scenes.segments`` or a JSON list),
  where their code is, and the fingerprint of everything a render depends on.
- :mod:`.assemble` — segments into one lecture: video and audio packets copied (each
  segment's render levelled and encoded its sound; :mod:`scenes.media`), subtitles merged
  and offset, chapters from the real frame counts.
- :mod:`.bundle` — the YouTube bundle of a language (``media/youtube/<lang>/``), incremental.
- :mod:`.takes` — recorded takes: where they live, the manifest of the text each was recorded
  against, missing and stale takes. Never writes a take.
- :mod:`.recorded_voice` — the ``recorded`` voice (a manim-voiceover SpeechService).
- :mod:`.script` — ``lecture-script``: the recording script a narrator reads from.
- :mod:`.slides` — the lecture as slides (reveal.js, PowerPoint, PDF), one per beat.
- :mod:`.clips` — ``lecture clip``: one silent animation of any convolution, for a blog.
- :mod:`.post` — ``lecture post``: the blog post, its numbers from convmath, its figures clips.
- :mod:`.benchmark` — ``lecture benchmark``: render speed against the video's length.

Only ``recorded_voice`` (and the renders it runs in subprocesses) imports manim.
"""
