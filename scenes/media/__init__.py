"""Sound and video files without drawing: decoding, AAC encoding, MP4 writing, loudness.

Shared by the narrated scenes (each segment's soundtrack is levelled and encoded once, as it
is written) and the production commands (the lecture and its clips copy those packets)."""
