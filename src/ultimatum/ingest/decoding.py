"""Bytes to text: the encodings users' files come in, and telling binary
data from text.

A byte-order mark decides first (UTF-8, UTF-16, UTF-32); then NUL bytes in
every other byte mean UTF-16 without a mark, and NULs in more than a few bytes
binary data (a stray NUL or two in a text file are removed and reported);
then UTF-8, where a few bytes that are not UTF-8 in a UTF-8 file (a Windows
apostrophe pasted in) take their Windows-1252 meaning, or become U+FFFD, and
are reported; then Windows-1252 when it reads as Western European text
("Genève", "naïve", curly quotes: the legacy encoding of an English corpus);
then the best legacy encoding ``charset_normalizer`` finds, Western European
preferred among equally good ones. Text with more than a few control
characters is binary data whatever decodes it. :func:`decode_with_notes`
says what was repaired, for the article's ``problems`` column."""
from __future__ import annotations

import re

#: Share of control characters above which decoded "text" is taken for binary data.
MAX_CONTROL_SHARE = 0.02
#: Stray bytes a UTF-8 file may hold (each read as Windows-1252) whatever
#: the number of its valid non-ASCII characters, as long as it has one.
FEW_STRAY_BYTES = 8
#: Legacy encodings preferred when the detector finds several equally good
#: ones: Western European first.
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")

_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Cc but tab and line breaks
#: Bytes that are not UTF-8, as ``surrogateescape`` decodes them.
_ESCAPED = re.compile("[\udc80-\udcff]")
#: Three letters in a row outside ASCII: Cyrillic or Greek read as Windows-1252
#: ("Ðîññèÿ"), never Western European text.
_FOREIGN_RUN = re.compile(r"[^\W\d_A-Za-z]{3}")


class NotText(ValueError):
    """Bytes that are not text in any known encoding; the message says why."""


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    return len(_CONTROL_CHARS.findall(text)) / len(text)


def _checked(text: str, what: str) -> str:
    if _control_share(text) > MAX_CONTROL_SHARE:
        raise NotText(f"not text: binary data ({what} with control characters)")
    return text


def _utf16_without_bom(raw: bytes) -> str | None:
    """UTF-16 text without a byte-order mark: NULs in every other byte."""
    if len(raw) < 4 or len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    half = len(raw) // 2
    for share, enc in ((odd / half, "utf-16-le"), (even / half, "utf-16-be")):
        if share > 0.3:
            try:
                text = raw.decode(enc)
            except UnicodeDecodeError:
                return None
            return text if _control_share(text) <= MAX_CONTROL_SHARE else None
    return None


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _utf8_repaired(raw: bytes) -> tuple[str, list[str]] | None:
    """UTF-8 text with a few bytes that are not UTF-8: each takes its
    Windows-1252 meaning (U+FFFD when it has none). None unless some
    character of Western text (Latin letters with accents, punctuation such
    as "’", the euro sign) is valid UTF-8 (a whole legacy file has next to
    none: "’" in UTF-8 reads "â€™" in Windows-1252, while letters and quotes
    of Windows-1252 that happen to pair as UTF-8 make rarer characters) and
    the stray bytes are at most :data:`FEW_STRAY_BYTES` or no more than
    those characters."""
    text = raw.decode("utf-8", "surrogateescape")
    stray = len(_ESCAPED.findall(text))
    valid = sum(1 for ch in text if "\xa0" <= ch <= "\u017f" or "\u2000" <= ch <= "\u206f" or ch == "\u20ac")
    if not valid or stray > max(valid, FEW_STRAY_BYTES):
        return None
    read = replaced = 0

    def meaning(m: re.Match) -> str:
        nonlocal read, replaced
        try:
            ch = bytes([ord(m.group()) - 0xDC00]).decode("cp1252")
        except UnicodeDecodeError:
            replaced += 1
            return "\ufffd"
        read += 1
        return ch
    text = _ESCAPED.sub(meaning, text)
    notes = []
    if read:
        notes.append(f"{_plural(read, 'byte', 'bytes')} not UTF-8, read as Windows-1252")
    if replaced:
        notes.append(f"{_plural(replaced, 'byte', 'bytes')} not UTF-8, replaced by \ufffd")
    return text, notes


def _western(raw: bytes) -> str | None:
    """The bytes as Windows-1252 when they read as Western European text
    (no run of three non-ASCII letters); None otherwise. Short files are
    where a detector guesses worst ("NATO’s" as Cyrillic)."""
    try:
        text = raw.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return None if _FOREIGN_RUN.search(text) else text


def decode(raw: bytes) -> str:
    """Bytes to text (see :func:`decode_with_notes`)."""
    return decode_with_notes(raw)[0]


def decode_with_notes(raw: bytes) -> tuple[str, list[str]]:
    """Bytes to text, and what was repaired on the way: a byte-order mark
    (UTF-8, UTF-16, UTF-32) first, then UTF-8 (with a few stray bytes
    repaired), then Windows-1252, then the best legacy encoding the detector
    finds. Raises :class:`NotText` for binary data (NUL bytes, control
    characters) or bytes no encoding explains."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc), enc.upper()), []
            except UnicodeDecodeError as exc:
                raise NotText(f"not text: starts with a {enc.upper()} byte-order mark "
                              f"but is not valid {enc.upper()} ({exc.reason})") from exc
    notes: list[str] = []
    nul = raw.count(b"\x00")
    if nul:
        text = _utf16_without_bom(raw)
        if text is not None:
            return text, []
        if nul > MAX_CONTROL_SHARE * len(raw):
            raise NotText("not text: binary data (NUL bytes)")
        raw = raw.replace(b"\x00", b"")
        notes.append(f"{_plural(nul, 'NUL byte', 'NUL bytes')} removed")
    try:
        return _checked(raw.decode("utf-8"), "UTF-8"), notes
    except UnicodeDecodeError:
        pass
    repaired = _utf8_repaired(raw)
    if repaired is not None:
        return _checked(repaired[0], "UTF-8"), notes + repaired[1]
    western = _western(raw)
    if western is not None:
        return _checked(western, "Windows-1252"), notes
    from charset_normalizer import from_bytes
    matches = list(from_bytes(raw))
    if not matches:
        raise NotText("not text: binary data (no text encoding fits)")
    best = matches[0]
    ties = [m for m in matches if m.chaos <= best.chaos and m.coherence >= best.coherence]
    for enc in PREFERRED_ENCODINGS:
        for m in ties:
            if m.encoding == enc:
                best = m
                break
        else:
            continue
        break
    return _checked(str(best), best.encoding), notes
