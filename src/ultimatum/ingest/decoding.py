"""Bytes to text: the encodings users' files come in, and telling binary
data from text.

A byte-order mark decides first (UTF-8, UTF-16, UTF-32); then NUL bytes mean
UTF-16 without a mark or binary data; then strict UTF-8; then the best legacy
encoding ``charset_normalizer`` finds, Western European preferred among equally
good ones (an English corpus with accented names: "Genève", "naïve"). Text
with more than a few control characters is binary data whatever decodes it."""
from __future__ import annotations

import re

#: Share of control characters above which decoded "text" is taken for binary data.
MAX_CONTROL_SHARE = 0.02
#: Legacy encodings preferred when the detector finds several equally good
#: ones: Western European first.
PREFERRED_ENCODINGS = ("cp1252", "latin_1", "iso8859_15")

_CONTROL_CHARS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # Cc but tab and line breaks


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


def decode(raw: bytes) -> str:
    """Bytes to text: a byte-order mark (UTF-8, UTF-16, UTF-32) first, then
    UTF-8, then the best legacy encoding the detector finds. Raises
    :class:`NotText` for binary data (NUL bytes, control characters) or
    bytes no encoding explains."""
    for bom, enc in ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe\x00\x00", "utf-32"),
                     (b"\x00\x00\xfe\xff", "utf-32"), (b"\xff\xfe", "utf-16"), (b"\xfe\xff", "utf-16")):
        if raw.startswith(bom):
            try:
                return _checked(raw.decode(enc), enc.upper())
            except UnicodeDecodeError as exc:
                raise NotText(f"not text: starts with a {enc.upper()} byte-order mark "
                              f"but is not valid {enc.upper()} ({exc.reason})") from exc
    if b"\x00" in raw:
        text = _utf16_without_bom(raw)
        if text is None:
            raise NotText("not text: binary data (NUL bytes)")
        return text
    try:
        return _checked(raw.decode("utf-8"), "UTF-8")
    except UnicodeDecodeError:
        pass
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
    return _checked(str(best), best.encoding)
