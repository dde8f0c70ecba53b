"""The events and claims tables written chunk by chunk, with the claim ids
joined and each claim's example sentence, so that neither is held whole."""
from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pandas as pd

from ultimatum.claims.codes import ClaimEvents
from ultimatum.claims.grouping import Grouping
from ultimatum.claims.summary import ClaimSummary, key_fields, summary_frame
from ultimatum.runtime.spill import EventSpill, TextStore
from ultimatum.schema import CLAIM_COLUMNS

#: Rows per chunk when writing events.csv and claims.csv.
CHUNK_ROWS = 4_000


def event_chunks(spill: EventSpill, grouping: Grouping, first_rows: np.ndarray,
                  examples: TextStore) -> Iterator[pd.DataFrame]:
    """events.csv in chunks, with the claim ids joined; the sentences of the
    claims' first mentions go to ``examples``, in row order."""
    ids = np.array(grouping.ids + [""], dtype=object)
    is_first = np.zeros(len(grouping.claim), dtype=bool)
    is_first[first_rows] = True
    offset = 0
    for chunk in spill.chunks(CHUNK_ROWS):
        end = offset + len(chunk)
        chunk["claim_id"] = ids[grouping.claim[offset:end]]
        for row in np.flatnonzero(is_first[offset:end]).tolist():
            examples.append(chunk["sentence"].iat[row])
        offset = end
        yield chunk


def claim_chunks(compact: ClaimEvents, grouping: Grouping, summary: ClaimSummary,
                  examples: TextStore) -> Iterator[pd.DataFrame]:
    """claims.csv in chunks (``examples``: first-mention sentences in row order)."""
    if not len(summary.claim):
        yield pd.DataFrame(columns=CLAIM_COLUMNS)
        return
    stored = np.searchsorted(np.sort(summary.first_row), summary.first_row)
    for start in range(0, len(summary.claim), CHUNK_ROWS):
        rows = slice(start, start + CHUNK_ROWS)
        fields = key_fields(compact, summary.first_row[rows])
        fields["example_sentence"] = [examples[k] for k in stored[rows].tolist()]
        yield summary_frame(summary, grouping.ids, fields, rows)
