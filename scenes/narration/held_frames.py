"""A held frame is converted to the video's pixel format once, not once per repeat.

Narrated scenes hold still frames for much of their running time (see :mod:`.pacing`); Manim
hands such a frame to its encoder with a repeat count, and its encoder builds and converts the
same RGBA picture to YUV again for every repeat (about 10 ms of CPU a frame at 1080p). Here the
converted frame is built once and sent ``repeat`` times; the encoded result is the same.
It uses the encoder's internals of Manim 0.22 (pinned in pyproject); a test compares its output
with Manim's own encoder, so an upgrade that changes them fails there first.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import av
from manim.scene.scene_file_writer import SceneFileWriter
from manim.scene.video_segment_encoder import VideoSegmentEncoder


class HeldFrameEncoder(VideoSegmentEncoder):
    def write_frame(self, pixels, *, repeat: int = 1) -> None:
        if repeat == 1:
            super().write_frame(pixels, repeat=1)
            return
        self._validate_frame(pixels, repeat)
        time_base = Fraction(self.spec.frame_rate.denominator, self.spec.frame_rate.numerator)
        try:
            frame = av.VideoFrame.from_ndarray(pixels, format="rgba")
            frame = frame.reformat(format=self.spec.pixel_format)
            for _ in range(repeat):
                frame.pts = self._next_pts
                frame.time_base = time_base
                self._next_pts += 1
                for packet in self._stream.encode(frame):
                    self._container.mux(packet)
        except BaseException as error:
            raise self._operation_error("encode", error) from error


class HeldFrameWriter(SceneFileWriter):
    """Manim's file writer with :class:`HeldFrameEncoder` for its video segments, and an MP4's
    narration levelled and encoded once (:mod:`.soundtrack`) instead of Manim's own encoding."""

    def _create_segment_encoder(self, target: Path) -> VideoSegmentEncoder:
        if self.video_encoder is None:
            raise RuntimeError("Video segment encoding requires resolved settings.")
        return HeldFrameEncoder(target=target, spec=self.video_encoder)

    def combine_to_movie(self) -> None:
        spec = self.output_spec
        if not (self.includes_sound and spec.segment_extension == ".mp4" and not spec.is_gif):
            super().combine_to_movie()
            return
        from .soundtrack import write_soundtrack

        self.includes_sound = False          # Manim writes the video alone ...
        try:
            super().combine_to_movie()
        finally:
            self.includes_sound = True
        if self.movie_file_path.exists():    # ... and the soundtrack goes in once
            write_soundtrack(self.movie_file_path, self.audio_segment)


__all__ = ["HeldFrameEncoder", "HeldFrameWriter"]
