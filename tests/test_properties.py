"""Property tests (hypothesis): date parsing and resolution, text
normalisation, decoding, near-copy hashing, alias matching and quote spans
hold for generated inputs, not only for the examples we thought of."""
from __future__ import annotations

import datetime as dt
import string

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ultimatum.extract import event_dates
from ultimatum.ingest import pubdates as dates
from ultimatum.ingest.decoding import decode
from ultimatum.ingest.dedupe import find_copies, jaccard, shingles
from ultimatum.ingest.reader import clean_lines, parse_text
from ultimatum.ingest.textnorm import fold, normalize_text, word_count

#: For every test here (not a global profile: other test files keep their own).
relaxed = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

crisis_dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2035, 12, 31))
any_text = st.text(alphabet=st.characters(blacklist_categories=()), max_size=300)
plain_text = st.text(alphabet=string.ascii_letters + string.digits + " \t\n.,;:!?'\"()-",
                     max_size=300)
printable = st.text(alphabet=st.characters(whitelist_categories=("L", "N", "P", "Zs")),
                    min_size=1, max_size=200)
weekdays = st.sampled_from(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                            "Saturday", "Sunday"])


def _formats(d: dt.date) -> list[str]:
    month, short = d.strftime("%B"), d.strftime("%b")
    return [f"{month} {d.day}, {d.year}", f"{d.day} {month} {d.year}", f"{short}. {d.day}, {d.year}",
            f"{d.strftime('%A')}, {month} {d.day}, {d.year}", f"{d.day} {short} {d.year}",
            f"{month} {d.day}th, {d.year}" if d.day in (4, 5, 6, 7, 8, 9, 10, 11, 12, 13) else
            f"{month} {d.day}, {d.year}",
            d.isoformat(), d.strftime("%Y%m%d")]


# --- dates ------------------------------------------------------------------

@relaxed
@given(crisis_dates, st.integers(0, 7))
def test_parse_date_round_trips(d: dt.date, which: int) -> None:
    text = _formats(d)[which]
    assert dates.parse_date(text) == d, text
    assert dates.is_date_line(text), text


@relaxed
@given(crisis_dates, st.integers(0, 6), st.sampled_from(["", "Posted ", "Updated: "]),
       st.sampled_from(["", " by staff", " | 3 min read"]))
def test_find_dates_finds_a_date_in_its_line(d: dt.date, which: int, before: str, after: str) -> None:
    text = f"{before}{_formats(d)[which]}{after}"
    assert d in [found for _, found in dates.find_dates(text)], text


@relaxed
@given(crisis_dates, st.sampled_from(["/", "-"]),
       st.text(alphabet=string.ascii_lowercase + "-", min_size=1, max_size=30))
def test_date_from_url(d: dt.date, sep: str, slug: str) -> None:
    url = f"https://www.example.com/world/{d.year}{sep}{d.month:02d}{sep}{d.day:02d}/{slug}/"
    assert dates.date_from_url(url) == d
    assert dates.date_from_url(f"https://www.example.com/world/{slug}/") is None


@relaxed
@given(st.integers(1900, 2100), st.integers(1, 12), st.integers(1, 31))
def test_manifest_dates_exist_or_are_refused(year: int, month: int, day: int) -> None:
    try:
        expected = dt.date(year, month, day)
    except ValueError:
        expected = None
    assert dates.parse_manifest_date(f"{year:04d}-{month:02d}-{day:02d}") == expected


@relaxed
@given(any_text)
def test_date_functions_never_raise(text: str) -> None:
    dates.parse_date(text)
    dates.parse_manifest_date(text)
    dates.find_dates(text)
    dates.date_from_url(text)
    dates.date_from_dateline(text)
    dates.is_date_line(text)


@relaxed
@given(crisis_dates, crisis_dates, st.sampled_from(["Reuters", "AP", ""]))
def test_scrape_date_above_the_title_is_not_the_publication_date(
        scraped: dt.date, published: dt.date, outlet: str) -> None:
    header = [scraped.strftime("%A, %B %d, %Y"), "Russia urges NATO to break promise",
              f"{published.strftime('%B %d, %Y')} {outlet}".strip()]
    found = dates.publication_date(header, 1, ["Russia demanded guarantees, officials said."], "")
    assert found == (published, "header")


@relaxed
@given(crisis_dates, crisis_dates)
def test_dateline_and_url_dates(in_dateline: dt.date, in_url: dt.date) -> None:
    text = (f"Russia demands guarantees\n\nMOSCOW, {in_dateline.strftime('%b')} {in_dateline.day}, "
            f"{in_dateline.year} (Reuters) - Russia demanded guarantees that NATO will not expand.\n")
    row = parse_text("x", text)
    assert (row["published"], row["date_source"]) == (in_dateline.isoformat(), "dateline")
    url = f"https://example.org/{in_url.year}/{in_url.month:02d}/{in_url.day:02d}/story"
    row = parse_text("x", f"Russia demands guarantees\n{url}\nRussia demanded guarantees again.\n")
    assert (row["published"], row["date_source"]) == (in_url.isoformat(), "url")


# --- relative event dates (codebook section 6) --------------------------------

@relaxed
@given(weekdays, crisis_dates, st.booleans())
def test_weekday_resolves_to_the_right_day_in_the_last_week(day: str, published: dt.date,
                                                           strictly: bool) -> None:
    resolved = event_dates.weekday_before(day, published, strictly=strictly)
    assert resolved.strftime("%A") == day
    assert resolved <= published
    assert (published - resolved).days <= 7
    if strictly:
        assert resolved < published


@relaxed
@given(weekdays, crisis_dates)
def test_on_weekday_in_a_sentence(day: str, published: dt.date) -> None:
    mentions = event_dates.event_date_mentions(f"NATO rejected the demands on {day}, officials said.",
                                         published)
    relative = [m for m in mentions if m.source == "relative"]
    assert len(relative) == 1
    assert relative[0].date.strftime("%A") == day
    assert 0 <= (published - relative[0].date).days < 7


@relaxed
@given(st.integers(1, 12), st.integers(1, 31), crisis_dates)
def test_day_and_month_get_the_year_before_publication(month: int, day: int,
                                                       published: dt.date) -> None:
    resolved = event_dates.infer_year(month, day, published)
    if resolved is None:  # no such day within the year up to publication
        for year in (published.year, published.year - 1):
            try:
                candidate = dt.date(year, month, day)
            except ValueError:
                continue
            assert candidate > published + dt.timedelta(days=3) or (published - candidate).days >= 366 + 3
        return
    assert (resolved.month, resolved.day) == (month, day)
    assert resolved <= published + dt.timedelta(days=3)
    assert (published - resolved).days < 366 + 3


@relaxed
@given(crisis_dates, st.sampled_from([("earlier this week", 0), ("last week", 1)]))
def test_week_phrases_resolve_into_the_right_week(published: dt.date, phrase: tuple[str, int]) -> None:
    words, weeks_back = phrase
    mentions = event_dates.event_date_mentions(f"Russia said {words} that it would not back down.",
                                         published)
    relative = [m for m in mentions if m.source == "relative"]
    assert len(relative) == 1 and relative[0].date is not None
    resolved = relative[0].date
    assert resolved <= published
    expected_week = (published - dt.timedelta(weeks=weeks_back)).isocalendar()[:2]
    assert resolved.isocalendar()[:2] == expected_week


@relaxed
@given(any_text, st.one_of(st.none(), crisis_dates))
def test_event_date_mentions_never_raise(text: str, published: dt.date | None) -> None:
    for m in event_dates.event_date_mentions(text, published):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start:m.end] == m.text


# --- text normalisation -------------------------------------------------------

@relaxed
@given(any_text)
def test_normalize_is_idempotent_and_never_raises(text: str) -> None:
    once = normalize_text(text)
    assert normalize_text(once) == once
    assert "\r" not in once and "\u200b" not in once and "\x00" not in once
    assert "\n\n\n" not in once and once == once.strip("\n")


@relaxed
@given(any_text)
def test_fold_is_idempotent_and_ignores_normalisation(text: str) -> None:
    folded = fold(text)
    assert fold(folded) == folded
    assert fold(normalize_text(text)) == folded
    assert "  " not in folded and folded == folded.strip()


@relaxed
@given(plain_text)
def test_plain_text_keeps_its_words(text: str) -> None:
    assert word_count(normalize_text(text)) == word_count(text)
    assert normalize_text(text).split() == text.split()
    assert fold(text).split() == [w.lower() for w in
                                  "".join(c if c.isalnum() else " " for c in text).split()]


@relaxed
@given(plain_text)
def test_typography_does_not_change_the_folded_text(text: str) -> None:
    retyped = (text.replace("'", "\u2019").replace('"', "\u201c").replace(" ", "\u00a0 ")
               .replace("\n", "\r\n").upper())
    assert fold(retyped) == fold(text)


@relaxed
@given(any_text)
def test_clean_lines_never_raises(text: str) -> None:
    for line in clean_lines(text):
        assert line and line == line.strip() and "\n" not in line


# --- decoding -----------------------------------------------------------------

@relaxed
@given(printable, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-32"]))
def test_unicode_encodings_round_trip(text: str, encoding: str) -> None:
    assert decode(text.encode(encoding)) == text


@relaxed
@given(st.binary(max_size=2000))
def test_decode_returns_text_or_says_not_text(raw: bytes) -> None:
    try:
        text = decode(raw)
    except ValueError as exc:
        assert str(exc).startswith("not text")
    else:
        assert isinstance(text, str)


# --- near copies --------------------------------------------------------------

words_st = st.lists(st.sampled_from("russia nato demands talks guarantees ukraine troops "
                                    "rejected offered moscow washington brussels".split()),
                    min_size=1, max_size=80)


@relaxed
@given(words_st)
def test_a_text_is_its_own_exact_copy(words: list[str]) -> None:
    text = " ".join(words)
    assert jaccard(shingles(text), shingles(text.upper() + " ")) == 1.0


@pytest.mark.slow
@relaxed
@given(st.lists(words_st, min_size=2, max_size=6), st.randoms(use_true_random=False))
def test_copies_do_not_depend_on_file_order(bodies: list[list[str]], rng) -> None:
    import pandas as pd
    rows = [(f"a{i}", "", " ".join(b)) for i, b in enumerate(bodies)]
    shuffled = list(rows)
    rng.shuffle(shuffled)
    table = lambda r: pd.DataFrame(r, columns=["article_id", "published", "body"])
    assert find_copies(table(rows)) == find_copies(table(shuffled))
    repeated = len({" ".join(b) for b in bodies}) < len(bodies)
    assert repeated == any(c.kind == "exact" for c in find_copies(table(rows)))


# --- party aliases and quotes -----------------------------------------------

def _aliases_at_every_position(tokens: list[str], extra: dict) -> list[tuple]:
    """The definition match_aliases keeps, tried at every token: the longest
    alias starting here (or a learned surname), left to right, no overlaps;
    a name of no party ("Washington Post") is matched but not returned."""
    from ultimatum.extract.actors import _lookup, _norm, alias_table
    table, longest = alias_table()
    norm = [_norm(t) for t in tokens]
    out, i = [], 0
    while i < len(norm):
        found = next(((i, i + size, hit) for size in range(min(longest, len(norm) - i), 0, -1)
                      if (hit := _lookup(tuple(norm[i:i + size]), table)) is not None), None)
        if found is None and norm[i] in extra:
            found = (i, i + 1, extra[norm[i]])
        elif found and found[2].kind == "person" and norm[found[1] - 1] in extra:
            found = (found[0], found[1], extra[norm[found[1] - 1]])
        if found and found[2].parties:  # a name of no party hides its words
            out.append(found)
        i = found[1] if found else i + 1
    return out


alias_words = st.sampled_from(
    "Russia Russias Russia's NATO NATOs the The alliance alliances United States Kremlin "
    "Vladimir Putin Putins Joe Biden Moscow Washington Ukraine European Union EU Petrov "
    "Stoltenberg Jens said demanded troops , . of 's Foreign Ministry US State Department "
    "Post Minsk agreements Belarus".split())


@relaxed
@given(st.lists(alias_words, max_size=40), st.sets(st.sampled_from(["Petrov", "Putin", "troops", "the"])))
def test_alias_matching_equals_trying_every_position(tokens: list[str], learned: set[str]) -> None:
    from ultimatum.extract.actors import alias_table, match_aliases
    table, _ = alias_table()
    some = sorted(table.values(), key=lambda a: a.text)
    extra = {w: some[k % len(some)] for k, w in enumerate(sorted(learned))}
    assert match_aliases(tokens, extra) == _aliases_at_every_position(tokens, extra)
    assert match_aliases(tokens) == _aliases_at_every_position(tokens, {})


def _quote_spans_char_by_char(text: str, open_at_start: bool) -> tuple[list, bool]:
    spans, inside, start = [], open_at_start, 0
    for i, ch in enumerate(text):
        if ch == '"':
            if inside:
                spans.append((start, i + 1))
            else:
                start = i
            inside = not inside
        elif ch in "\u201c\u00ab\u201e" and not inside:
            inside, start = True, i
        elif ch in "\u201d\u00bb" and inside:
            spans.append((start, i + 1))
            inside = False
    if inside:
        spans.append((start, len(text)))
    return spans, inside


@relaxed
@given(st.text(alphabet="ab .,\"\u201c\u201d\u00ab\u00bb\u201e'", max_size=60), st.booleans())
def test_quote_spans_equal_reading_every_character(text: str, open_at_start: bool) -> None:
    from ultimatum.extract.attribution import _quote_spans
    assert _quote_spans(text, open_at_start) == _quote_spans_char_by_char(text, open_at_start)


def test_29_february_falls_in_the_leap_year_before_publication() -> None:
    assert event_dates.infer_year(2, 29, dt.date(2001, 1, 1)) == dt.date(2000, 2, 29)
    assert event_dates.infer_year(2, 30, dt.date(2001, 1, 1)) is None
    assert event_dates.infer_year(2, 29, dt.date(2001, 3, 4)) is None  # over a year before: no news
