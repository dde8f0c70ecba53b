"""Text normalisation: one canonical form for article text, and a folded
form for comparing texts (duplicates, syndicated copies).

``normalize_text`` keeps the wording exactly as published (quotes, dashes and
case stay: sentences are quoted as evidence) and only removes what encodings
and web pages add: invisible characters, odd spaces and line breaks, control
codes. ``fold`` goes further and is only for comparison, never for display."""
from __future__ import annotations

import re
import unicodedata

#: Characters that carry no text: zero-width spaces and joiners, word joiner,
#: byte-order mark, soft hyphen, directional marks.
_INVISIBLE = re.compile("[\u200b\u200c\u200d\u2060\ufeff\u00ad\u200e\u200f"
                        "\u202a-\u202e\u2066-\u2069]")
#: Every other Unicode space separator, tab and vertical whitespace inside a line.
_SPACES = re.compile(r"[^\S\n]+")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x0b\x0c\x1c\x1d\x1e\x85]")
_BLANK_RUNS = re.compile(r"\n{3,}")
#: Control codes (C0 but tab and newline, DEL, C1), lone surrogates, private-use
#: characters and the non-characters U+FFFE/U+FFFF.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ue000-\uf8ff\ufffe\uffff"
                      "\U000f0000-\U0010ffff]")

_WORD = re.compile(r"\w+")


def normalize_text(text: str) -> str:
    """Canonical article text: NFC, one kind of line break, no invisible or
    control characters, single spaces, stripped lines, at most one blank line
    in a row, no leading or trailing blank lines. Idempotent."""
    text = _LINE_BREAKS.sub("\n", text)
    text = _INVISIBLE.sub("", text)
    text = _CONTROL.sub("", text)
    text = unicodedata.normalize("NFC", text)
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_RUNS.sub("\n\n", "\n".join(lines)).strip("\n")


def fold(text: str) -> str:
    """Comparison form: compatibility-normalised, case-folded, punctuation
    and quotes dropped, words separated by single spaces.
    Two texts that differ only in typography fold to the same string."""
    text = unicodedata.normalize("NFKC", normalize_text(text)).casefold()
    return " ".join(_WORD.findall(unicodedata.normalize("NFKC", text)))


def words(text: str) -> list[str]:
    """The folded words of ``text`` in order (what shingles are made of)."""
    return fold(text).split()


def word_count(text: str) -> int:
    """Number of words (runs of letters, digits or underscore)."""
    return len(_WORD.findall(text))
