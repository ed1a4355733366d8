"""The frames of a rendered segment at its marks, beside the words they belong to.

    python tools/mark_stills.py media/lecture/es s04_conectividad [--out DIR] [--after 0.8]

For every mark of ``<segment>.beats.json`` (written by ``lecture``), the frame shown ``--after``
seconds after the picture change started, with the anchored word and the words around it,
laid out as contact sheets of six (``<segment>_marks_NN.png``) — to check that what is said is
what is on screen. Also prints each mark's spoken and shown times.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import av
from PIL import Image, ImageDraw, ImageFont


PER_SHEET = 6
THUMB_WIDTH = 640


def frames_at(video: Path, times: list[float]) -> list[Image.Image]:
    """The decoded frames at (just after) each time, in order."""
    wanted = sorted(set(times))
    found: dict[float, Image.Image] = {}
    with av.open(str(video)) as container:
        stream = container.streams.video[0]
        i = 0
        for frame in container.decode(stream):
            while i < len(wanted) and frame.time >= wanted[i] - 1e-6:
                found[wanted[i]] = frame.to_image()
                i += 1
            if i == len(wanted):
                break
        last = frame.to_image()
    return [found.get(t, last) for t in times]


def words_around(spoken: str, at: int, width: int = 70) -> str:
    """The words around character ``at`` of the spoken text, the anchored word after ▶."""
    return (spoken[max(0, at - width // 2):at] + "▶" + spoken[at:at + width // 2]).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="a rendered lecture folder, e.g. media/lecture/es")
    parser.add_argument("segment")
    parser.add_argument("--out", type=Path, default=None, help="default: <folder>/marks/")
    parser.add_argument("--after", type=float, default=0.8,
                        help="seconds after the change starts (default 0.8: the motion is done)")
    args = parser.parse_args()
    beats_file = args.folder / f"{args.segment}.beats.json"
    video = args.folder / f"{args.segment}.mp4"
    if not beats_file.exists() or not video.exists():
        print(f"mark_stills: no rendered {args.segment} in {args.folder}", file=sys.stderr)
        return 2
    data = json.loads(beats_file.read_text(encoding="utf-8"))
    rows = []
    for beat in data["beats"]:
        for m in beat.get("marks", []):
            rows.append((beat, m))
    if not rows:
        print(f"mark_stills: {args.segment} has no marks", file=sys.stderr)
        return 1
    images = frames_at(video, [m["shown"] + args.after for _, m in rows])
    out = args.out or args.folder / "marks"
    out.mkdir(parents=True, exist_ok=True)
    font = ImageFont.truetype("DejaVuSans.ttf", 15)
    for sheet in range(0, len(rows), PER_SHEET):
        part = list(zip(rows[sheet:sheet + PER_SHEET], images[sheet:sheet + PER_SHEET]))
        thumb_h = int(THUMB_WIDTH * 9 / 16)
        cell_h = thumb_h + 44
        canvas = Image.new("RGB", (2 * THUMB_WIDTH, cell_h * ((len(part) + 1) // 2)), "white")
        draw = ImageDraw.Draw(canvas)
        for n, ((beat, m), image) in enumerate(part):
            x, y = (n % 2) * THUMB_WIDTH, (n // 2) * cell_h
            canvas.paste(image.convert("RGB").resize((THUMB_WIDTH, thumb_h)), (x, y))
            said = words_around(beat["text"], m["at"]) if "at" in m else ""
            draw.text((x + 6, y + thumb_h + 2),
                      f"{beat['id']}/{m['name']}  spoken {m['spoken']:.2f}  shown {m['shown']:.2f}",
                      fill="black", font=font)
            draw.text((x + 6, y + thumb_h + 22), said[:80], fill="black", font=font)
        path = out / f"{args.segment}_marks_{sheet // PER_SHEET + 1:02d}.png"
        canvas.save(path)
        print(path)
    for beat, m in rows:
        print(f"{beat['id']:>16}/{m['name']:<14} spoken {m['spoken']:7.2f}  shown {m['shown']:7.2f}  "
              f"Δ {m['shown'] - m['spoken']:+.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
