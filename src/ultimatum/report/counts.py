"""Counts behind every table, chart and sentence of the report.

All functions take the event table (codebook section 8) and return plain
DataFrames, so the same numbers feed the tables, the chart titles and the
key-findings prose. Multi-valued fields (``target``, ``topics``) are split on
``;``; a row with two targets counts once for each."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ultimatum.cells import restore
from ultimatum.schema import EVENT_COLUMNS, EVENT_TYPES, NONE, RESPONSE_TYPES, event_type_table

ARTICLE_TABLE_COLUMNS = ["article_id", "title", "outlet", "url", "published", "date_source",
                         "n_sentences"]


class TableError(ValueError):
    """A processed table that the report cannot read; the message names the file."""


@dataclass
class Tables:
    """The processed tables a report is built from."""
    articles: pd.DataFrame
    events: pd.DataFrame
    skipped: pd.DataFrame


def _read(path: Path, required: list[str]) -> pd.DataFrame:
    if not path.is_file():
        raise TableError(f"{path}: not found (run `ultimatum extract` first)")
    try:
        table = restore(pd.read_csv(path, dtype=str, keep_default_na=False))
    except pd.errors.EmptyDataError:
        table = pd.DataFrame(columns=required)
    missing = [c for c in required if c not in table.columns]
    if missing:
        raise TableError(f"{path}: missing column(s) {', '.join(missing)}")
    return table


def goldstein_weights() -> dict[str, float]:
    """Goldstein weight per event type, from the lexicon (codebook section 3)."""
    return {etype: float(row["weight"]) for etype, row in event_type_table().items()}


def read_tables(processed_dir: str | Path) -> Tables:
    """articles.csv, events.csv and skipped.csv of a processed folder, with
    dates and weights made usable (``date`` column: the event's own date)."""
    processed_dir = Path(processed_dir)
    articles = _read(processed_dir / "articles.csv", ARTICLE_TABLE_COLUMNS)
    events = _read(processed_dir / "events.csv", EVENT_COLUMNS)
    skipped_path = processed_dir / "skipped.csv"
    skipped = _read(skipped_path, ["file", "reason"]) if skipped_path.exists() \
        else pd.DataFrame(columns=["file", "reason"])
    return Tables(articles, prepare_events(events), skipped)


def prepare_events(events: pd.DataFrame) -> pd.DataFrame:
    """Typed copy of the event table: numeric ``weight`` (lexicon value when
    missing), ``date`` (event_date, else published, else NaT), a row ``eid``."""
    events = events.copy()
    weights = goldstein_weights()
    numeric = pd.to_numeric(events["weight"], errors="coerce") if len(events) else pd.Series(dtype=float)
    events["weight"] = numeric.fillna(events["event_type"].map(weights)).astype(float)
    own = pd.to_datetime(events["event_date"], errors="coerce", format="%Y-%m-%d")
    pub = pd.to_datetime(events["published"], errors="coerce", format="%Y-%m-%d")
    events["date"] = own.fillna(pub)
    events["sentence_id_num"] = pd.to_numeric(events["sentence_id"], errors="coerce")
    events = events.sort_values(["date", "article_id", "sentence_id_num", "actor", "event_type"],
                                kind="stable", na_position="last").reset_index(drop=True)
    events["eid"] = range(1, len(events) + 1)
    no_claim = events["claim_id"].eq("")
    events.loc[no_claim, "claim_id"] = "E" + events.loc[no_claim, "eid"].astype(str)
    return events


def default_window(articles: pd.DataFrame, events: pd.DataFrame,
                   study: tuple[dt.date, dt.date] | None = None) -> tuple[dt.date | None, dt.date | None]:
    """The events' own date range, kept within 60 days before the first
    publication and 14 days after the last (a misread year cannot stretch the
    timeline), and within the ``study`` window when any event falls inside it
    (articles from years before the crisis do not stretch it either)."""
    dates = events["date"].dropna()
    if dates.empty:
        return None, None
    pub = pd.to_datetime(articles["published"], errors="coerce", format="%Y-%m-%d").dropna()
    if not pub.empty:
        plausible = dates[(dates >= pub.min() - pd.Timedelta(days=60))
                          & (dates <= pub.max() + pd.Timedelta(days=14))]
        dates = plausible if not plausible.empty else pub
    if study is not None:
        inside = dates[(dates >= pd.Timestamp(study[0])) & (dates <= pd.Timestamp(study[1]))]
        dates = inside if not inside.empty else dates
    return dates.min().date(), dates.max().date()


def outside_study(articles: pd.DataFrame, study: tuple[dt.date, dt.date]) -> list[str]:
    """Articles published outside the study window (``config/study.yaml``),
    by article id; undated articles are not among them."""
    pub = pd.to_datetime(articles["published"], errors="coerce", format="%Y-%m-%d")
    out = pub.notna() & ((pub < pd.Timestamp(study[0])) | (pub > pd.Timestamp(study[1])))
    return sorted(articles.loc[out, "article_id"].astype(str))


def select(events: pd.DataFrame, date_from: dt.date | None, date_to: dt.date | None,
           keep_undated: bool = False) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events inside the date window, and those outside it. Undated events
    (neither event date nor publication date) are kept when ``keep_undated``:
    they are counted everywhere but cannot be placed on the timeline."""
    dated = events["date"].notna()
    inside = dated.copy()
    if date_from:
        inside &= events["date"] >= pd.Timestamp(date_from)
    if date_to:
        inside &= events["date"] <= pd.Timestamp(date_to)
    if keep_undated:
        inside |= ~dated
    return events[inside].reset_index(drop=True), events[~inside].reset_index(drop=True)


def split_codes(value: str) -> list[str]:
    """``"RUS;NATO"`` -> ``["RUS", "NATO"]``; empty -> ``[""]``."""
    codes = [c.strip() for c in str(value).split(";") if c.strip()]
    return codes or [NONE]


def rows_of(events: pd.DataFrame, types: Iterable[str] | None = None, actor: str | None = None,
            target: str | None = None, topic: str | None = None) -> pd.DataFrame:
    """The events behind one count: of ``types``, by ``actor``, naming ``target``
    or ``topic`` among their codes (``""``: naming none); None: any."""
    keep = pd.Series(True, index=events.index)
    if types is not None:
        keep &= events["event_type"].isin(list(types))
    if actor is not None:
        keep &= events["actor"] == actor
    for column, code in (("target", target), ("topics", topic)):
        if code is not None:
            keep &= pd.Series([code in split_codes(v) for v in events[column]], index=events.index, dtype=bool)
    return events[keep]


def explode(events: pd.DataFrame, column: str) -> pd.DataFrame:
    """One row per code of a multi-valued column."""
    if events.empty:
        return events.copy()
    out = events.copy()
    out[column] = out[column].map(split_codes)
    return out.explode(column).reset_index(drop=True)


def ordered(values: Iterable[str], order: list[str]) -> list[str]:
    """Values sorted by ``order`` first, then alphabetically, empty last."""
    distinct = list(dict.fromkeys(values))
    rank = {v: i for i, v in enumerate(order)}
    return sorted(distinct, key=lambda v: (v == NONE, rank.get(v, len(rank)), v))


def crosstab(events: pd.DataFrame, rows: str, cols: str, row_order: list[str],
             col_order: list[str] | None = None, keep_cols: list[str] | None = None) -> pd.DataFrame:
    """Counts of ``rows`` x ``cols`` (rows/cols ordered; ``keep_cols`` always present)."""
    if events.empty:
        table = pd.DataFrame(dtype=int)
    else:
        table = pd.crosstab(events[rows], events[cols])
    columns = ordered(list(table.columns) + list(keep_cols or []), col_order or [])
    if keep_cols is not None and col_order is None:
        columns = list(keep_cols) + [c for c in columns if c not in keep_cols]
    table = table.reindex(index=ordered(table.index, row_order), columns=columns, fill_value=0)
    table.index.name, table.columns.name = rows, cols
    return table.astype(int)


def demands_by_party(events: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per party: demand mentions and distinct demand claims."""
    demands = events[events["event_type"] == "DEMAND"]
    table = demands.groupby("actor").agg(mentions=("eid", "size"), claims=("claim_id", "nunique"))
    return table.reindex(ordered(table.index, order)).astype(int)


def topics_of(events: pd.DataFrame, event_type: str, order: list[str], topic_order: list[str]) -> pd.DataFrame:
    """Party x topic counts for one event type (a row counts once per topic)."""
    rows = explode(events[events["event_type"] == event_type], "topics")
    return crosstab(rows, "actor", "topics", order, topic_order)


def targets_of(events: pd.DataFrame, types: list[str], order: list[str]) -> pd.DataFrame:
    """Party x target counts for the given event types (one count per target)."""
    rows = explode(events[events["event_type"].isin(types)], "target")
    return crosstab(rows, "actor", "target", order, order)


SEVERAL = "+"  # a row naming more than one target


def targets_grouped(events: pd.DataFrame, types: list[str], order: list[str]) -> pd.DataFrame:
    """Party x target counts where a row naming several targets counts once,
    under ``SEVERAL``: the row totals are the mentions."""
    rows = events[events["event_type"].isin(types)].copy()
    rows["target"] = rows["target"].map(lambda v: SEVERAL if len(split_codes(v)) > 1 else v.strip())
    return crosstab(rows, "actor", "target", order, [*order, SEVERAL])


def responses_by_party(events: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per party: REJECT, OFFER and ACCEPT mentions."""
    rows = events[events["event_type"].isin(RESPONSE_TYPES)]
    return crosstab(rows, "actor", "event_type", order, keep_cols=RESPONSE_TYPES)[RESPONSE_TYPES]


def responses_by_target(events: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per (responding party, party answered): REJECT, OFFER, ACCEPT mentions."""
    return actor_target_types(events[events["event_type"].isin(RESPONSE_TYPES)], order,
                              list(RESPONSE_TYPES))


def actor_target_matrix(events: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Actor x target counts over all event types given."""
    return crosstab(explode(events, "target"), "actor", "target", order, order)


def actor_target_types(events: pd.DataFrame, order: list[str], types: list[str]) -> pd.DataFrame:
    """One row per (actor, target) pair that occurs, one column per event type."""
    rows = explode(events, "target")
    if rows.empty:
        return pd.DataFrame(columns=["actor", "target", *types, "total"])
    table = pd.crosstab([rows["actor"], rows["target"]], rows["event_type"])
    table = table.reindex(columns=types, fill_value=0).reset_index()
    table["total"] = table[types].sum(axis=1)
    rank = {v: i for i, v in enumerate(order)}
    return table.sort_values(["actor", "target"], key=lambda s: s.map(
        lambda v: (v == NONE, rank.get(v, len(rank)), v))).reset_index(drop=True)


def day_range(start: dt.date | None, end: dt.date | None) -> pd.DatetimeIndex:
    """Every day of the window (empty when there is none)."""
    if start is None or end is None:
        return pd.DatetimeIndex([])
    return pd.date_range(pd.Timestamp(start), pd.Timestamp(end), freq="D")


def daily(events: pd.DataFrame, by: str, days: pd.DatetimeIndex, order: list[str]) -> pd.DataFrame:
    """Event mentions per day (rows, every day of ``days``) and ``by`` (columns)."""
    if events.empty:
        return pd.DataFrame(index=days)
    table = pd.crosstab(events["date"], events[by])
    table = table.reindex(index=days, columns=ordered(table.columns, order), fill_value=0)
    table.index.name = "date"
    return table.astype(int)


def escalation_index(events: pd.DataFrame, days: pd.DatetimeIndex, basis: str = "claims",
                     kind: str = "rolling", window_days: int = 7) -> pd.DataFrame:
    """Daily escalation score and index. The score of a day is minus the sum of
    the Goldstein weights of its events (conflict counts up, cooperation down);
    with ``basis='claims'`` each distinct claim counts once, on its first date.
    The index is the score summed over the last ``window_days`` days
    (``kind='rolling'``) or since the start (``kind='cumulative'``)."""
    rows = events
    if basis == "claims" and not events.empty:
        rows = events.sort_values(["date", "eid"]).drop_duplicates("claim_id", keep="first")
    score = (-rows.groupby("date")["weight"].sum()) if not rows.empty else pd.Series(dtype=float)
    score = score.reindex(days, fill_value=0.0).astype(float)
    index = score.cumsum() if kind == "cumulative" else score.rolling(window_days, min_periods=1).sum()
    out = pd.DataFrame({"score": score.round(2), "index": index.round(2)}, index=days)
    out.index.name = "date"
    return out


def claims_vs_mentions(events: pd.DataFrame, order: list[str]) -> pd.DataFrame:
    """Per party and event type: mentions, distinct claims, mentions per claim."""
    if events.empty:
        return pd.DataFrame(columns=["actor", "event_type", "mentions", "claims", "per_claim"])
    table = events.groupby(["actor", "event_type"]).agg(
        mentions=("eid", "size"), claims=("claim_id", "nunique")).reset_index()
    table["per_claim"] = (table["mentions"] / table["claims"]).round(2)
    rank = {v: i for i, v in enumerate(order)}
    trank = {v: i for i, v in enumerate(EVENT_TYPES)}
    table["_a"] = table["actor"].map(lambda v: (rank.get(v, len(rank)), v))
    table["_t"] = table["event_type"].map(lambda v: trank.get(v, len(trank)))
    return table.sort_values(["_a", "_t"]).drop(columns=["_a", "_t"]).reset_index(drop=True)


def most_repeated_claims(events: pd.DataFrame, n: int = 10) -> pd.DataFrame:
    """The claims reported most often: mentions, articles, first date, an example."""
    if events.empty:
        return pd.DataFrame(columns=["claim_id", "actor", "event_type", "target", "topics",
                                     "mentions", "articles", "first_date", "example"])
    first = events.sort_values(["date", "eid"]).drop_duplicates("claim_id")
    agg = events.groupby("claim_id").agg(mentions=("eid", "size"), articles=("article_id", "nunique"))
    table = first.set_index("claim_id")[["actor", "event_type", "target", "topics", "date", "sentence"]]
    table = table.join(agg).reset_index()
    table["first_date"] = table["date"].dt.strftime("%Y-%m-%d")
    table = table.rename(columns={"sentence": "example"}).drop(columns=["date"])
    table = table.sort_values(["mentions", "articles", "first_date", "claim_id"],
                              ascending=[False, False, True, True], kind="stable")
    cols = ["claim_id", "actor", "event_type", "target", "topics", "mentions", "articles",
            "first_date", "example"]
    return table[cols].head(n).reset_index(drop=True)


def demand_response(events: pd.DataFrame, order: list[str], topic_order: list[str]) -> pd.DataFrame:
    """For each demand topic: demand mentions and who made them, then one row per
    party that answered on that topic with its REJECT / OFFER / ACCEPT mentions.
    A response answers a demand topic when it names that topic."""
    cols = ["topic", "demands", "demanded_by", "responder", *RESPONSE_TYPES, "total"]
    demands = explode(events[events["event_type"] == "DEMAND"], "topics")
    responses = explode(events[events["event_type"].isin(RESPONSE_TYPES)], "topics")
    topics = ordered(set(demands["topics"]) | set(responses["topics"]), topic_order) \
        if not (demands.empty and responses.empty) else []
    rows = []
    for topic in topics:
        d = demands[demands["topics"] == topic] if not demands.empty else demands
        by = d["actor"].value_counts() if not d.empty else pd.Series(dtype=int)
        demanded_by = "; ".join(f"{a} {by[a]}" for a in ordered(by.index, order))
        r = responses[responses["topics"] == topic] if not responses.empty else responses
        if r.empty:
            rows.append({"topic": topic, "demands": len(d), "demanded_by": demanded_by,
                         "responder": NONE, **{t: 0 for t in RESPONSE_TYPES}, "total": 0})
            continue
        for actor in ordered(r["actor"].unique(), order):
            ra = r[r["actor"] == actor]["event_type"].value_counts()
            counts = {t: int(ra.get(t, 0)) for t in RESPONSE_TYPES}
            rows.append({"topic": topic, "demands": len(d), "demanded_by": demanded_by,
                         "responder": actor, **counts, "total": sum(counts.values())})
    return pd.DataFrame(rows, columns=cols)


def type_totals(events: pd.DataFrame) -> pd.Series:
    """Mentions per event type, every type present (zero when absent)."""
    return events["event_type"].value_counts().reindex(EVENT_TYPES, fill_value=0).astype(int)


def article_quality(articles: pd.DataFrame, events: pd.DataFrame) -> pd.DataFrame:
    """Per article: date and its source, sentences, events counted, duplicate of."""
    n_events = events["article_id"].value_counts() if not events.empty else pd.Series(dtype=int)
    table = articles[["article_id", "outlet", "published", "date_source", "n_sentences"]].copy()
    table["n_sentences"] = pd.to_numeric(table["n_sentences"], errors="coerce").fillna(0).astype(int)
    table["events"] = table["article_id"].map(n_events).fillna(0).astype(int)
    for col in ("duplicate_of", "problems"):
        table[col] = articles[col].values if col in articles.columns else ""
    return table.sort_values("article_id").reset_index(drop=True)

