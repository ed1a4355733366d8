"""The lecture's segments, in order: (segment id, module, scene class)."""

SEGMENTS: list[tuple[str, str, str]] = []
