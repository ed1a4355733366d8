# The two commands of this project. Each one sets up whatever is missing first.
#   make lecture                       render the lecture (Spanish, espeak voice, 1080p60)
#   make lecture LECTURE_LANG=en       ... in English
#   make test                          the test suite
LECTURE_LANG ?= es
LECTURE_VOICE ?= espeak
LECTURE_QUALITY ?= high
export LECTURE_LANG LECTURE_VOICE LECTURE_QUALITY

PYTHON := .venv/bin/python

.PHONY: setup lecture test clean

setup:
	@bash tools/setup.sh

# make lecture [LECTURE_LANG=en] [LECTURE_VOICE=recorded] [SEGMENTS="s04_conectividad ..."]:
# renders what changed, then the YouTube bundle in media/youtube/$(LECTURE_LANG)/.
lecture: setup
	@.venv/bin/lecture $(SEGMENTS)

# make post [LECTURE_LANG=en] [LECTURE_VIDEO_URL=https://...]: the blog post in media/post/$(LECTURE_LANG)/
.PHONY: post
post: setup
	@.venv/bin/lecture post $(if $(LECTURE_VIDEO_URL),--video-url "$(LECTURE_VIDEO_URL)")

test: setup
	@$(PYTHON) -m pytest -n 2 -q

clean:
	rm -rf media/videos media/images media/texts media/Tex media/voiceovers media/lecture media/youtube
