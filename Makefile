# The two commands of this project. Each one sets up whatever is missing first.
#   make lecture                       render the lecture (Spanish, espeak voice, 1080p60)
#   make lecture LECTURE_LANG=en       ... in English
#   make slides                        the lecture as slides to teach it live (html, pptx, pdf)
#   make test                          the test suite
LECTURE_LANG ?= es
LECTURE_VOICE ?= espeak
LECTURE_QUALITY ?= high
export LECTURE_LANG LECTURE_VOICE LECTURE_QUALITY

PYTHON := .venv/bin/python

.PHONY: setup lecture slides test clean

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

# make slides [LECTURE_LANG=en] [LECTURE_QUALITY=low] [SEGMENTS="..."] [SLIDES_FORMAT=html]
#             [SLIDES_NARRATED=1]: one slide per beat, in media/slides/$(LECTURE_LANG)/.
SLIDES_FORMAT ?= html,pptx,pdf
slides: setup
	@.venv/bin/lecture slides $(SEGMENTS) --to $(SLIDES_FORMAT) $(if $(SLIDES_NARRATED),--narrated)

test: setup
	@$(PYTHON) -m pytest -n 2 -q

clean:
	rm -rf media/videos media/images media/texts media/Tex media/voiceovers media/lecture media/youtube media/slides
