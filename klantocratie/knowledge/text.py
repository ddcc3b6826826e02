"""Dutch text analysis for search: tokens, stems, compound splitting and typo repair.

The same analysis runs on documents and on queries, so "parkeervergunning" in an answer
and "vergunning voor parkeren" in a question meet on the stems ``parker`` and ``vergun``.
"""

import difflib
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

import Stemmer

_WORD = re.compile(r"[a-z0-9]+")
_DOUBLE_VOWEL = re.compile(r"([aeou])\1")
# Shortest parts a compound is split into; shorter pieces match too many unrelated words.
_MIN_HEAD = 4
_MIN_TAIL = 4
# Linking sounds Dutch puts between the parts of a compound (bestemming-s-plan).
_LINKERS = ("s", "en", "e")

_STOPWORD_TEXT = """
    aan af al alle alles als altijd ander andere ben bij bijvoorbeeld binnen dan dat de deze
    die dit doe doen door dus een eens en er ga gaan gaat had heb hebben heeft hem het hier
    hij hoe hoeveel hun ik in is ja je jij jou jouw kan kom komen kunnen kun krijg krijgen
    krijgt maar me meer men met mij mijn moet moeten mag mogen na naar nee niet niets nog nu
    of om omdat ons onze ook op over te tegen toch tot u uit uw van veel voor waar waarom
    wanneer want was wat we wel welk welke wie wij wil willen word worden wordt zal ze zelf
    zich zij zijn zo zonder zou zouden graag even iets iemand snel moet hoelang lang
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(text: str) -> str:
    """Lower case without diacritics, so "geëmigreerd" and "geemigreerd" are one word."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))


_stemmer = Stemmer.Stemmer("dutch")


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Snowball stem, evened out where Snowball leaves inflections apart.

    Snowball gives "parkeer" and "parker" for one verb and keeps the -d/-t of past tenses
    ("verhuisd"); undoubling vowels and dropping a final d/t joins them on both sides.
    """
    stemmed = _DOUBLE_VOWEL.sub(r"\1", _stemmer.stemWord(word))
    if len(stemmed) > 4 and stemmed[-1] in "dt":
        stemmed = stemmed[:-1]
    return stemmed


@dataclass
class Vocabulary:
    """The words of the indexed corpus: what compounds are split into and typos mended to."""

    words: frozenset[str] = frozenset()
    stems: frozenset[str] = frozenset()
    _by_initial: dict[str, list[str]] = field(default_factory=dict, repr=False)

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> "Vocabulary":
        found = {w for text in texts for w in words(text) if len(w) >= 3 and w not in STOPWORDS}
        by_initial: dict[str, list[str]] = {}
        for word in sorted(found):
            by_initial.setdefault(word[0], []).append(word)
        return cls(frozenset(found), frozenset(stem(w) for w in found), by_initial)

    def knows(self, word: str) -> bool:
        return word in self.words or stem(word) in self.stems

    def split(self, word: str) -> list[str]:
        """The parts of a compound the corpus knows, longest head first; [] if none."""
        return list(_split(self, word))

    def mend(self, word: str) -> str:
        """A corpus word close to an unknown ``word`` (a typo), else the word itself."""
        if self.knows(word) or len(word) < 5 or self.split(word):
            return word
        close = difflib.get_close_matches(word, self._by_initial.get(word[0], []), n=1, cutoff=0.8)
        return close[0] if close else word

    def __hash__(self) -> int:
        return id(self)


@lru_cache(maxsize=100_000)
def _split(vocabulary: Vocabulary, word: str) -> tuple[str, ...]:
    if len(word) < _MIN_HEAD + _MIN_TAIL:
        return ()
    for cut in range(len(word) - _MIN_TAIL, _MIN_HEAD - 1, -1):
        head, tail = word[:cut], word[cut:]
        if not vocabulary.knows(head):
            continue
        for rest in (tail, *(tail[len(link) :] for link in _LINKERS if tail.startswith(link))):
            if len(rest) < _MIN_TAIL:
                continue
            if vocabulary.knows(rest):
                return (head, rest)
            deeper = _split(vocabulary, rest)
            if deeper:
                return (head, *deeper)
    return ()


def index_terms(text: str, vocabulary: Vocabulary) -> list[str]:
    """Stems of a document's words and of their compound parts, stop words left out."""
    terms: list[str] = []
    for word in words(text):
        if word in STOPWORDS:
            continue
        terms.append(stem(word))
        terms.extend(stem(part) for part in vocabulary.split(word))
    return terms


def query_words(query: str, vocabulary: Vocabulary) -> list[str]:
    """A question's content words with typos mended and compounds split, in order."""
    found: list[str] = []
    for word in words(query):
        if word in STOPWORDS or len(word) < 2:
            continue
        mended = vocabulary.mend(word)
        for candidate in (mended, *vocabulary.split(mended)):
            if candidate not in found:
                found.append(candidate)
    return found


def query_terms(query: str, vocabulary: Vocabulary) -> list[str]:
    """Distinct stems of a question, for the FTS5 index."""
    return list(dict.fromkeys(stem(word) for word in query_words(query, vocabulary)))
