"""One row per distinct claim (``claims.csv``): the first mention, first and
last dates, mentions and articles of each claim, from grouped compact events
(:func:`summarise`, as the pipeline writes it chunk by chunk) or from an event
table with ``claim_id`` (:func:`claims_table`)."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ultimatum.claims.codes import KEY_COLUMNS, ClaimEvents, Codes, as_numpy
from ultimatum.claims.grouping import Grouping
from ultimatum.schema import CLAIM_COLUMNS


@dataclass
class ClaimSummary:
    """Per claim, in ``claims.csv`` order: its number, its first mention (the
    event row that gives its fields and example sentence), first and last
    dates, mentions, and the range of its articles in ``pair_article``
    (positions in the sorted ``article_ids``)."""
    claim: np.ndarray
    first_row: np.ndarray
    first_date: np.ndarray      # positions in ``dates`` (-1: none)
    last_date: np.ndarray
    n_mentions: np.ndarray
    pair_start: np.ndarray
    pair_end: np.ndarray
    pair_article: np.ndarray
    dates: list
    article_ids: list

    @property
    def n_articles(self) -> np.ndarray:
        return self.pair_end - self.pair_start

    def date_values(self, ranks: np.ndarray) -> list:
        return [self.dates[r] if r >= 0 else np.nan for r in ranks.tolist()]

    def articles(self, rows: slice) -> list[str]:
        """The ``articles`` cell (ids joined with ``;``) of the claims ``rows``."""
        ids = self.article_ids
        return [";".join(ids[a] for a in self.pair_article[start:end].tolist())
                for start, end in zip(self.pair_start[rows].tolist(), self.pair_end[rows].tolist())]


def summarise_claims(claim: np.ndarray, ids: Sequence[str], date_rank: np.ndarray,
                     dates: Sequence, article_rank: np.ndarray, article_ids: Sequence[str],
                     sentence_rank: np.ndarray) -> ClaimSummary:
    """Per-claim aggregates of events given as ranks (positions in sorted
    order of their distinct values; a missing date is -1 and sorts last).
    ``dates`` and ``article_ids`` are those distinct values, sorted."""
    rows = np.flatnonzero(claim >= 0)
    missing = np.iinfo(np.int64).max
    when = np.where(date_rank < 0, missing, date_rank)
    order = rows[np.lexsort((sentence_rank[rows], article_rank[rows], when[rows], claim[rows]))]
    del when
    number = claim[order]
    starts = np.flatnonzero(np.r_[True, number[1:] != number[:-1]]) if len(order) else order
    n_mentions = np.diff(np.r_[starts, len(order)])
    first_row = order[starts]
    numbers = number[starts]
    dated = date_rank[order]
    last = np.maximum.reduceat(dated, starts) if len(order) else dated
    del order, number, dated
    # distinct (claim, article) pairs, in article order within each claim
    pairs = np.unique(claim[rows] * len(article_ids) + article_rank[rows])
    pair_claim, pair_article = np.divmod(pairs, max(len(article_ids), 1))
    pair_start = np.searchsorted(pair_claim, numbers)
    pair_end = np.r_[pair_start[1:], len(pairs)].astype(pair_start.dtype)
    first_rank = date_rank[first_row]
    id_rank = Codes()
    for c in numbers.tolist():
        id_rank.code(ids[c])
    output = np.lexsort((id_rank.ranks(), np.where(first_rank < 0, missing, first_rank)))
    return ClaimSummary(claim=numbers[output], first_row=first_row[output],
                        first_date=first_rank[output], last_date=last[output],
                        n_mentions=n_mentions[output], pair_start=pair_start[output],
                        pair_end=pair_end[output], pair_article=pair_article,
                        dates=list(dates), article_ids=list(article_ids))


def summarise(events: ClaimEvents, grouping: Grouping) -> ClaimSummary:
    """Per-claim aggregates of grouped events (see :func:`summarise_claims`)."""
    date_rank, dates = events.dates.sorted_codes()
    article_rank, article_ids = events.articles.sorted_codes()
    sentence_rank, _ = events.sentence_ids.sorted_codes()
    return summarise_claims(grouping.claim, grouping.ids, date_rank[as_numpy(events.date)], dates,
                            article_rank[as_numpy(events.article)], article_ids,
                            sentence_rank[as_numpy(events.sentence)])


def key_fields(events: ClaimEvents, rows: np.ndarray) -> dict[str, list]:
    """Actor, actor name, event type, target and topics of the events ``rows``."""
    keys = [events.keys.values[k] for k in as_numpy(events.key)[rows].tolist()]
    return {c: [k[j] for k in keys] for j, c in enumerate(KEY_COLUMNS)}


def summary_frame(summary: ClaimSummary, ids: Sequence[str], fields: Mapping[str, Sequence],
                  rows: slice = slice(None)) -> pd.DataFrame:
    """``claims.csv`` rows of ``summary`` (a slice of them): ``fields`` gives
    actor, actor_name, event_type, target, topics and example_sentence of each
    claim, in the summary's order."""
    claim = summary.claim[rows].tolist()
    data = {"claim_id": [ids[c] for c in claim]}
    data.update({c: list(fields[c]) for c in KEY_COLUMNS})
    data.update(first_date=summary.date_values(summary.first_date[rows]),
                last_date=summary.date_values(summary.last_date[rows]),
                n_mentions=summary.n_mentions[rows].tolist(),
                n_articles=summary.n_articles[rows].tolist(),
                articles=summary.articles(rows), example_sentence=list(fields["example_sentence"]))
    return pd.DataFrame(data, columns=CLAIM_COLUMNS)


def _factor(values: pd.Series) -> tuple[np.ndarray, list]:
    codes, uniques = pd.factorize(values, sort=True)
    return codes.astype(np.int64), list(uniques)


def claims_table(events: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct claim with its first date, mentions and articles."""
    if events.empty:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    ids = events["claim_id"].astype(str)
    claim, names = _factor(ids.where(ids != "", None))
    if not names:
        return pd.DataFrame(columns=CLAIM_COLUMNS)
    date_rank, dates = _factor(events["event_date"])
    article_rank, article_ids = _factor(events["article_id"].astype(str))
    sentence_rank, _ = _factor(events["sentence_id"])
    summary = summarise_claims(claim, names, date_rank, dates, article_rank, article_ids,
                               sentence_rank)
    first = events.iloc[summary.first_row]
    fields = {c: first[c].tolist() for c in KEY_COLUMNS}
    fields["example_sentence"] = first["sentence"].tolist()
    return summary_frame(summary, names, fields)
