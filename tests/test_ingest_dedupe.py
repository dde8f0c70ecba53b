"""Duplicates and syndicated copies: flagged in articles.csv, and never
double-counted as distinct claims."""
from __future__ import annotations

import random
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ultimatum.ingest.dedupe import (
    NEAR_THRESHOLD,
    NUM_PERM,
    articles_to_extract,
    candidate_pairs,
    find_copies,
    flag_copies,
    jaccard,
    shingles,
)
from ultimatum.ingest.reader import ingest


def _table(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["article_id", "published", "body"])


def _change_words(text: str, n: int, seed: int = 0) -> str:
    words = text.split(" ")
    rng = random.Random(seed)
    for i in rng.sample(range(len(words)), n):
        words[i] = f"other{i}"
    return " ".join(words)


def test_typography_only_differences_are_exact_duplicates(seed_003_text: str) -> None:
    retyped = (seed_003_text.replace("’", "'").replace("“", '"').replace("”", '"')
               .replace(" ", "  ").replace("\n\n", "\n \n\n").upper())
    copies = find_copies(_table([("a", "2022-01-12", seed_003_text), ("b", "2022-01-12", retyped)]))
    assert [(c.article_id, c.duplicate_of, c.kind) for c in copies] == [("b", "a", "exact")]


def test_near_copies_are_told_from_other_stories(seed_003_text: str, raw_dir: Path) -> None:
    other = (raw_dir / "004_ed864e143e290726.txt").read_text(encoding="utf-8")
    few = _change_words(seed_003_text, 12)
    many = _change_words(seed_003_text, 150)
    assert jaccard(shingles(seed_003_text), shingles(few)) >= NEAR_THRESHOLD
    assert jaccard(shingles(seed_003_text), shingles(many)) < NEAR_THRESHOLD
    table = _table([("a_orig", "2022-01-12", seed_003_text), ("b_few", "2022-01-12", few),
                    ("c_many", "2022-01-12", many), ("d_other", "2022-01-12", other)])
    copies = {c.article_id: c for c in find_copies(table)}
    assert set(copies) == {"b_few"}
    assert copies["b_few"].duplicate_of == "a_orig" and copies["b_few"].kind == "near"
    assert NEAR_THRESHOLD <= copies["b_few"].similarity < 1


def test_original_is_the_earliest_published_and_never_a_copy(seed_003_text: str, syndicated_copy) -> None:
    near = syndicated_copy(seed_003_text)
    table = _table([("a_reprint", "2022-01-14", seed_003_text),     # sorts first, published last
                    ("b_syndicated", "2022-01-13", near),
                    ("c_original", "2022-01-12", seed_003_text),
                    ("d_undated", "", near),
                    ("e_unrelated", "2022-01-12", "NATO and Russia met in Brussels.")])
    flagged = flag_copies(table).set_index("article_id")
    assert flagged.loc["c_original", "duplicate_of"] == ""
    assert flagged.loc["a_reprint", ["duplicate_of", "duplicate_kind"]].tolist() == ["c_original", "exact"]
    assert flagged.loc["b_syndicated", ["duplicate_of", "duplicate_kind"]].tolist() == ["c_original", "near"]
    # d is word for word b: an exact copy, pointed at the group's original (no chains)
    assert flagged.loc["d_undated", ["duplicate_of", "duplicate_kind"]].tolist() == ["c_original", "exact"]
    assert flagged.loc["e_unrelated", "duplicate_of"] == ""
    originals = set(flagged.index[flagged["duplicate_of"] == ""])
    assert set(flagged["duplicate_of"]) - {""} <= originals
    assert list(articles_to_extract(flagged.reset_index())["article_id"]) == [
        "b_syndicated", "c_original", "e_unrelated"]


def test_copies_do_not_depend_on_row_order(seed_003_text: str, syndicated_copy) -> None:
    rows = [("x", "2022-01-12", seed_003_text), ("y", "2022-01-13", syndicated_copy(seed_003_text)),
            ("z", "2022-01-12", seed_003_text), ("w", "", _change_words(seed_003_text, 5, seed=3))]
    first = find_copies(_table(rows))
    assert find_copies(_table(rows[::-1])) == first
    assert len(first) == 3


@pytest.fixture(scope="module")
def with_and_without_copy(tmp_path_factory, raw_dir: Path, seeds_with_copies):
    """The seed corpus alone, and with a syndicated copy and an exact duplicate added."""
    from ultimatum.pipeline import extract_from_articles
    plain = tmp_path_factory.mktemp("plain")
    shutil.copytree(raw_dir, plain, dirs_exist_ok=True)
    copied = seeds_with_copies(tmp_path_factory.mktemp("copied"))
    return extract_from_articles(ingest(plain)), extract_from_articles(ingest(copied))


@pytest.mark.slow
def test_copies_add_mentions_not_claims(with_and_without_copy, seed_003: str) -> None:
    plain, copied = with_and_without_copy
    events = copied.events
    copy_events = events[events["article_id"] == "syndicated"]
    original_events = events[events["article_id"] == seed_003]
    assert len(copy_events) > 0, "the syndicated copy's events are kept as mentions"
    assert "reprint" not in set(events["article_id"]), "an exact duplicate's events were counted"
    assert len(events) == len(plain.events) + len(copy_events)
    assert len(copied.claims) == len(plain.claims)
    assert set(copy_events["claim_id"]) <= set(original_events["claim_id"])
    assert sorted(copied.claims["claim_id"]) == sorted(plain.claims["claim_id"])


# --- the vectorised search against its plain definitions ---------------------

def _bucket_pairs(signatures: list[np.ndarray], bands: int) -> set[tuple[int, int]]:
    """Pairs agreeing on all rows of a band, by one dictionary of buckets per band."""
    rows = NUM_PERM // bands
    pairs: set[tuple[int, int]] = set()
    for band in range(bands):
        buckets: dict[bytes, list[int]] = {}
        for i, sig in enumerate(signatures):
            buckets.setdefault(sig[band * rows:(band + 1) * rows].tobytes(), []).append(i)
        for members in buckets.values():
            pairs.update((x, y) for k, x in enumerate(members) for y in members[k + 1:])
    return pairs


@given(st.integers(0, 60), st.integers(1, 4), st.sampled_from([8, 32, 64]), st.integers(0, 2**32 - 1))
@settings(max_examples=80, deadline=None)
def test_candidate_pairs_are_the_bucket_pairs(n: int, values: int, bands: int, seed: int) -> None:
    # few distinct values per position, so that many bands agree
    rng = np.random.default_rng(seed)
    signatures = list(rng.integers(0, values + 1, (n, NUM_PERM)).astype(np.uint32))
    expected = _bucket_pairs(signatures, bands)
    array = candidate_pairs(signatures, bands)
    assert set(map(tuple, array.tolist())) == expected
    assert array.tolist() == [list(p) for p in sorted(expected)]


@given(st.sets(st.integers(0, 40)), st.sets(st.integers(0, 40)))
def test_jaccard_is_the_set_ratio(a: set[int], b: set[int]) -> None:
    as_array = [np.array(sorted(x), dtype=np.uint32) for x in (a, b)]
    expected = len(a & b) / len(a | b) if a and b else 0.0
    assert jaccard(*as_array) == expected == jaccard(*as_array[::-1])
