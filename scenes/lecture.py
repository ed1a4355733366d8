"""Render the lecture: every registered segment, for one language, voice and quality.

Driven by ``make lecture``; settings come from the environment:
LECTURE_LANG (es|en), LECTURE_VOICE (estimate|espeak|<manim-voiceover service>),
LECTURE_QUALITY (low|medium|high|production|4k).
"""

from __future__ import annotations

import sys


def main(argv=None) -> int:
    from scenes.segments import SEGMENTS

    if not SEGMENTS:
        print("lecture: no segments are defined yet; nothing to render")
        return 0
    raise NotImplementedError


if __name__ == "__main__":
    sys.exit(main())
