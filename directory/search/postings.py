"""Word postings: which documents hold which words, and what a misspelt query word may mean.

A query word finds the directory words it could mean: itself, words it begins (``manch``), the word
it makes with the next one (``food bank`` -> ``foodbank``), the two words it splits into (``foodbank``
-> ``food bank``) and, with rapidfuzz, words within a typo or two (``alchohol`` -> ``alcohol``). A
document matches when every query word finds something in it; its score sums, per query word, the
best ``similarity x field weight x rarity`` in the document.

Postings are compressed (CSR): one int32 array of documents and one float32 array of field weights,
sorted by word, with an offsets array, so 100,000 services cost about 20 MB.
"""

from __future__ import annotations

import bisect
from array import array
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz, process

from directory.search.text import words

# Field weights: a word in a service's name counts most, then its organisation or place (towns, local
# authorities, postcode districts: so "lewisham" favours services there), need labels, description.
FIELD_CODES = {"description": 1, "need": 2, "place": 3, "organisation": 3, "name": 4}  # in weight order
CODE_WEIGHTS = np.array([0.0, 1.0, 1.5, 2.0, 3.0], dtype=np.float32)
EXACT, PREFIX, FUZZY = 1.0, 0.85, 0.9  # what a match of each kind is worth (fuzzy: times its ratio)
FUZZY_CUTOFF = 80  # rapidfuzz ratio; one typo in a word of five letters or more passes
FUZZY_MARGIN = 0.08  # fuzzy matches further than this below the nearest one are dropped


@dataclass(frozen=True)
class WordMatch:
    """A directory word a query word may mean, and how close it is (0-1)."""

    word: str
    similarity: float


class PostingsBuilder:
    """Collects (document, field, text) in flat arrays; ``build`` turns them into ``Postings``.

    Each distinct short text (names, places, labels repeat a lot) is tokenised once; every text's
    word ids go into one flat array, so a hundred thousand services make no per-row Python objects.
    """

    CACHE_BELOW = 120  # characters: longer texts (descriptions) are rarely repeated
    CHUNK = 50_000  # rows expanded at a time when building, to keep the peak memory low

    def __init__(self) -> None:
        self.vocabulary: dict[str, int] = {}
        self._texts: dict[str, int] = {}
        self._tokens = array("i")  # every text's word ids, one text after another
        self._ends = array("q")  # where each text's word ids end in ``_tokens``
        self._docs, self._fields, self._text_of = array("i"), array("b"), array("i")

    def _text(self, text: str, repeated: bool = False) -> int:
        number = self._texts.get(text)
        if number is None:
            vocabulary = self.vocabulary
            self._tokens.extend({vocabulary.setdefault(w, len(vocabulary)) for w in words(text)})
            number = len(self._ends)
            self._ends.append(len(self._tokens))
            if repeated or len(text) < self.CACHE_BELOW:
                self._texts[text] = number
        return number

    def add(self, doc: int, field: str, text: str, repeated: bool = False) -> None:
        """Index ``text`` as ``field`` of document ``doc``; a long text that many documents share
        (``repeated``: a need's words) is still tokenised only once."""
        if text:
            self._docs.append(doc)
            self._fields.append(FIELD_CODES[field])
            self._text_of.append(self._text(text, repeated))

    def build(self, documents: int) -> Postings:
        """Postings for ``documents`` documents; a word in several fields keeps its best weight."""
        self._texts.clear()
        tokens = np.frombuffer(self._tokens, dtype=np.int32) if len(self._tokens) else np.zeros(0, np.int32)
        ends = np.frombuffer(self._ends, dtype=np.int64) if len(self._ends) else np.zeros(0, np.int64)
        starts = np.concatenate(([0], ends[:-1])) if len(ends) else ends
        text_of = (
            np.frombuffer(self._text_of, dtype=np.int32) if len(self._text_of) else np.zeros(0, np.int32)
        )
        docs = np.frombuffer(self._docs, dtype=np.int32) if len(self._docs) else np.zeros(0, np.int32)
        fields = np.frombuffer(self._fields, dtype=np.int8) if len(self._fields) else np.zeros(0, np.int8)
        chunks = []
        for first in range(0, len(text_of), self.CHUNK):
            rows = slice(first, first + self.CHUNK)
            texts = text_of[rows]
            lengths = ends[texts] - starts[texts]
            # The positions in ``tokens`` of each row's words: its text's start, counting up.
            positions = np.repeat(starts[texts] - (np.cumsum(lengths) - lengths), lengths)
            positions += np.arange(len(positions), dtype=np.int64)
            key = tokens[positions].astype(np.int64) << 32
            key |= np.repeat((docs[rows].astype(np.int64) << 4) | fields[rows], lengths)
            chunks.append(key)
        keys = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)
        del chunks
        keys.sort()
        pair = keys >> 4
        last = np.ones(len(keys), dtype=bool)
        last[:-1] = pair[1:] != pair[:-1]  # sorted by (word, doc, field): the last of a pair is its best
        keys = keys[last]
        del pair, last
        counts = np.bincount((keys >> 32).astype(np.int64), minlength=len(self.vocabulary))
        postings = Postings(
            self.vocabulary,
            ((keys >> 4) & 0x0FFFFFFF).astype(np.int32),
            CODE_WEIGHTS[(keys & 0xF).astype(np.int64)],
            counts,
            documents,
        )
        self._tokens, self._ends = array("i"), array("q")
        self._docs, self._fields, self._text_of = array("i"), array("b"), array("i")
        return postings


class Postings:
    """Every word's documents and weights, and the lookups a typo-tolerant query needs."""

    def __init__(
        self, vocabulary: dict[str, int], docs: np.ndarray, weights: np.ndarray, counts: np.ndarray, size: int
    ) -> None:
        self.vocabulary = vocabulary
        self.size = size
        self.docs = docs
        self.weights = weights
        self.offsets = np.concatenate(([0], np.cumsum(counts))).astype(np.int64)
        self.idf = np.log1p(max(size, 1) / np.maximum(counts, 1)).astype(np.float32)
        self.sorted_words = sorted(vocabulary)
        self.words_by_length: dict[int, list[str]] = {}
        for word in vocabulary:
            self.words_by_length.setdefault(len(word), []).append(word)

    def word_matches(self, word: str, next_word: str | None = None) -> list[WordMatch]:
        """Directory words that ``word`` may mean (and ``word + next_word``, for split compounds)."""
        found: dict[str, float] = {}
        if word in self.vocabulary:
            found[word] = EXACT
        if next_word and word + next_word in self.vocabulary:
            found[word + next_word] = EXACT
        if len(word) >= 3:
            start = bisect.bisect_left(self.sorted_words, word)
            for candidate in self.sorted_words[start : start + 50]:
                if not candidate.startswith(word):
                    break
                found.setdefault(candidate, PREFIX)
        if len(word) >= 4:
            fuzzy: dict[str, float] = {}
            for length in range(len(word) - 2, len(word) + 3):
                choices = self.words_by_length.get(length)
                if not choices:
                    continue
                for candidate, ratio, _ in process.extract(
                    word, choices, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=10
                ):
                    fuzzy[candidate] = FUZZY * ratio / 100
            # Only the nearest spellings: "helth" means "health", not also "heath".
            nearest = max(fuzzy.values(), default=0.0) - FUZZY_MARGIN
            for candidate, similarity in fuzzy.items():
                if similarity >= nearest and found.get(candidate, 0.0) < similarity:
                    found[candidate] = similarity
        return [WordMatch(w, s) for w, s in found.items()]

    def _scores(self, matches: Sequence[WordMatch]) -> np.ndarray:
        """Per document, the best score any of ``matches`` earns in it (0 where none occurs)."""
        scores = np.zeros(self.size, dtype=np.float32)
        for match in matches:
            word_id = self.vocabulary[match.word]
            start, end = self.offsets[word_id], self.offsets[word_id + 1]
            docs = self.docs[start:end]
            value = self.weights[start:end] * (match.similarity * self.idf[word_id])
            scores[docs] = np.maximum(scores[docs], value)
        return scores

    def _split_scores(self, word: str) -> np.ndarray:
        """Scores for a query word the directory writes as two (``foodbank`` -> ``food bank``):
        documents holding both halves, scored as the halves' mean."""
        best = np.zeros(self.size, dtype=np.float32)
        for cut in range(3, len(word) - 2):
            head, tail = word[:cut], word[cut:]
            if head in self.vocabulary and tail in self.vocabulary:
                first = self._scores([WordMatch(head, EXACT)])
                second = self._scores([WordMatch(tail, EXACT)])
                both = np.where((first > 0) & (second > 0), (first + second) / 2, np.float32(0))
                best = np.maximum(best, both)
        return best

    def match(self, query_words: Sequence[str], allowed: np.ndarray, require_all: bool = True) -> np.ndarray:
        """Scores for every document (0 = no match): every query word must match when ``require_all``,
        any one otherwise. Only ``allowed`` documents score."""
        total = np.zeros(self.size, dtype=np.float32)
        if not query_words:
            return total
        every = allowed.copy()
        anything = np.zeros(self.size, dtype=bool)
        for n, word in enumerate(query_words):
            following = query_words[n + 1] if n + 1 < len(query_words) else None
            previous = query_words[n - 1] if n > 0 else None
            matches = self.word_matches(word, following)
            if previous and previous + word in self.vocabulary:
                matches.append(WordMatch(previous + word, EXACT))
            scores = np.maximum(self._scores(matches), self._split_scores(word))
            hit = scores > 0
            every &= hit
            anything |= hit
            total += scores
        keep = every if require_all else (anything & allowed)
        return np.where(keep, total, np.float32(0))
