"""Words in a text, accent- and case-insensitive: the pieces the search (reporting/search.py)
shares with any page that looks words up.

- `fold(text)`: lower case, accents removed (« Côte » → « cote »), the same in Python and, on
  SQLite, in SQL (the `pic_fold` function registered on every SQLite connection, so the
  embedded default matches accents without PostgreSQL's unaccent).
- `words_of(query)`: the words a person typed (letters and digits only), folded, at most
  MAX_WORDS: nothing else of the query ever reaches SQL.
- `highlight(text, words)`: an excerpt of the text around the first match, every word that
  starts like a typed one inside <mark>; built with format_html, so the text is escaped.
"""

import re
import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func, TextField
from django.utils.html import format_html, format_html_join

MAX_WORDS = 8
MIN_WORD = 2
EXCERPT = 160  # characters of context shown around the first match
_WORD_RE = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def words_of(query: str) -> list[str]:
    words = []
    for word in _WORD_RE.findall(fold(query or "")):
        if len(word) >= MIN_WORD and word not in words:
            words.append(word)
    return words[:MAX_WORDS]


class Fold(Func):
    """`pic_fold(column)` on SQLite: the column as `fold` gives it."""

    function = "pic_fold"
    output_field = TextField()


def _register_fold(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_function("pic_fold", 1, fold, deterministic=True)


connection_created.connect(_register_fold, dispatch_uid="pic.textsearch.fold")


def _folded_with_positions(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the original one."""
    folded, positions = [], []
    for index, char in enumerate(text):
        for piece in fold(char):
            folded.append(piece)
            positions.append(index)
    return "".join(folded), positions


def matches(text: str, words: list[str]) -> list[tuple[int, int]]:
    """(start, end) in `text` of every word that starts with one of `words`."""
    if not text or not words:
        return []
    folded, positions = _folded_with_positions(text)
    pattern = re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in words)
                         + r")[^\W_]*")
    spans = []
    for found in pattern.finditer(folded):
        start = positions[found.start()]
        end = positions[found.end() - 1] + 1
        spans.append((start, end))
    return spans


def highlight(text: str, words: list[str], *, length: int = EXCERPT):
    """The excerpt of `text` around its first match (all of it when short), escaped, with the
    matched words in <mark>."""
    text = " ".join((text or "").split())
    spans = matches(text, words)
    begin = 0
    if len(text) > length:
        first = spans[0][0] if spans else 0
        begin = max(0, first - length // 3)
    end = min(len(text), begin + length)
    spans = [(max(a, begin), min(b, end)) for a, b in spans if b > begin and a < end]
    pieces, cursor = [], begin
    for start, stop in spans:
        pieces.append((text[cursor:start], text[start:stop]))
        cursor = stop
    marked = format_html_join("", "{}<mark>{}</mark>", pieces)
    return format_html("{}{}{}{}", "…" if begin else "", marked, text[cursor:end],
                       "…" if end < len(text) else "")
