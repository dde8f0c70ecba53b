"""Bytes that are almost text: UTF-8 with a stray Windows-1252 byte, a short
Windows-1252 file, a NUL byte in a text file. Each is read as the text it is,
without mojibake, and what was repaired is said in the ``problems`` column."""
from __future__ import annotations

from pathlib import Path

import pytest

from ultimatum.ingest.decoding import NotText, decode, decode_with_notes
from ultimatum.ingest.reader import ingest

STORY = ("Russia presses NATO at Genève talks\n\n"
         "GENEVA, Jan 10, 2022 (Reuters) - Russia demanded “legally binding guarantees” that the "
         "alliance will not expand, Deputy Foreign Minister Sergei Ryabkov said in Genève.\n\n"
         "NATO rejected the demand as a non-starter, the alliance’s spokesperson said.\n")


def _one_article(tmp_path: Path, raw: bytes) -> dict:
    folder = tmp_path / "raw"
    folder.mkdir()
    (folder / "story.txt").write_bytes(raw)
    result = ingest(folder)
    assert result.skipped.empty, result.skipped.to_dict("records")
    assert len(result.articles) == 1
    return result.articles.iloc[0].to_dict()


def test_utf8_with_one_stray_windows_1252_byte_is_repaired_and_reported(tmp_path: Path) -> None:
    raw = STORY.encode("utf-8").replace("alliance’s".encode(), b"alliance\x92s")
    assert raw.count(b"\x92") == 1
    row = _one_article(tmp_path, raw)
    text = row["title"] + "\n" + row["body"]
    assert "Genève" in text and "“legally binding guarantees”" in text and "alliance’s" in text
    assert "√" not in text and "‚Äú" not in text  # not read as Mac Roman
    assert "1 byte not UTF-8, read as Windows-1252" in row["problems"]


def test_stray_bytes_outnumbering_the_utf8_characters_are_repaired_too() -> None:
    """Two pasted Windows apostrophes beside one UTF-8 one: the file is UTF-8
    with two stray bytes, not a Windows-1252 file ("Russiaâ€™s")."""
    raw = ("Russia’s demand was clear. NATO won't move, Ukraine's envoy said.\n"
           .encode().replace(b"won't", b"won\x92t").replace(b"Ukraine's", b"Ukraine\x92s"))
    text, notes = decode_with_notes(raw)
    assert text == "Russia’s demand was clear. NATO won’t move, Ukraine’s envoy said.\n"
    assert notes == ["2 bytes not UTF-8, read as Windows-1252"]


def test_a_windows_1252_file_whose_letters_happen_to_pair_as_utf8_stays_windows_1252() -> None:
    """"ß“" is DF 93 in Windows-1252, which UTF-8 reads as one N'Ko letter:
    no character of Western text, so the file is not taken for UTF-8."""
    text = "Sie sagten „Großstraß“ und ‚nein‘ – NATO’s answer, Moscow’s reply.\n"
    assert decode_with_notes(text.encode("cp1252")) == (text, [])


def test_stray_byte_without_a_windows_1252_meaning_is_replaced_and_reported() -> None:
    raw = STORY.encode("utf-8").replace("alliance’s".encode(), b"alliance\x81s")
    text, notes = decode_with_notes(raw)
    assert "Genève" in text and "alliance\ufffds" in text
    assert notes == ["1 byte not UTF-8, replaced by \ufffd"]


@pytest.mark.parametrize("text", ["NATO’s answer", "Russia’s demands were rejected.",
                                  "Genève talks – “no progress”", "NATO's answer"])
def test_a_short_windows_1252_file_decodes_as_windows_1252(text: str) -> None:
    assert decode(text.encode("cp1252")) == text


def test_short_windows_1252_article(tmp_path: Path) -> None:
    raw = ("Russia’s demands\n\nMOSCOW, Dec 17, 2021 (Reuters) - Russia’s foreign ministry "
           "demanded guarantees.\n").encode("cp1252")
    row = _one_article(tmp_path, raw)
    assert row["title"] == "Russia’s demands" and "Russia’s foreign ministry" in row["body"]
    assert row["problems"] == ""  # a whole file in one legacy encoding is no problem


def test_one_nul_byte_does_not_make_an_article_binary_data(tmp_path: Path) -> None:
    raw = STORY.encode("utf-8").replace(b"NATO rejected", b"NATO\x00 rejected")
    row = _one_article(tmp_path, raw)
    assert "NATO rejected the demand" in row["body"]
    assert "1 NUL byte" in row["problems"]


def test_binary_data_is_still_not_text() -> None:
    for raw in (bytes(range(256)) * 8, b"\x00" * 100, b"%PDF-1.7\n\x00\x01\x02binary",
                b"\x89PNG\r\n\x1a\n" + bytes(range(32)) * 20, b"\x00\x01\x02\x03" * 50):
        with pytest.raises(NotText):
            decode(raw)
