"""Every table the report shows, computed once from the processed tables:
:func:`assemble` returns a :class:`ReportData` that the report notebook's
cells turn into prose, tables and charts."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd

from ultimatum.ingest.pubdates import study_window
from ultimatum.report import counts
from ultimatum.report.accuracy import ACCURACY_FILE
from ultimatum.report.config import ReportConfig, load_config
from ultimatum.report.data import ReportData
from ultimatum.schema import EVENT_TYPES


def assemble(processed_dir: str | Path, config: ReportConfig | None = None,
             accuracy: pd.DataFrame | None = None, accuracy_note: str | None = None) -> ReportData:
    """Read the processed tables and compute every table, finding and title.
    Without ``accuracy``, ``processed_dir/accuracy.csv`` is used if present."""
    cfg = config or load_config()
    processed_dir = Path(processed_dir)
    t = counts.read_tables(processed_dir)
    if accuracy is None and accuracy_note is None and (processed_dir / ACCURACY_FILE).is_file():
        accuracy = pd.read_csv(processed_dir / ACCURACY_FILE)
    if accuracy is None and not accuracy_note:
        accuracy_note = "Accuracy was not measured for this build."
    study = study_window()
    lo, hi = counts.default_window(t.articles, t.events, study)
    window = (cfg.date_from or lo, cfg.date_to or hi)
    typed = t.events[t.events["event_type"].isin(cfg.event_types)]
    events, outside = counts.select(typed, *window,
                                    keep_undated=cfg.date_from is None and cfg.date_to is None)
    d = ReportData(cfg, t.articles, t.skipped, t.events, events, outside, window,
                   accuracy, accuracy_note or "", study=study,
                   outside_study=counts.outside_study(t.articles, study))
    d.n_outlets = int(t.articles["outlet"].str.strip().replace("", pd.NA).dropna().nunique())
    order, topics = cfg.party_codes, list(cfg.topics)
    days = counts.day_range(*window) if len(events) else counts.day_range(None, None)
    d.tables.update(
        demands=counts.demands_by_party(events, order),
        demand_targets=counts.targets_of(events, ["DEMAND"], order),
        demand_topics=counts.topics_of(events, "DEMAND", order, topics),
        responses=counts.responses_by_party(events, order),
        responses_by_target=counts.responses_by_target(events, order),
        matrix=counts.actor_target_matrix(events, order),
        matrix_types=counts.actor_target_types(events, order, list(cfg.event_types)),
        daily_party=counts.daily(events, "actor", days, order),
        daily_type=counts.daily(events, "event_type", days, EVENT_TYPES),
        escalation=counts.escalation_index(events, days, cfg.escalation_basis, cfg.escalation_kind,
                                           cfg.escalation_window),
        claims=counts.claims_vs_mentions(events, order),
        repeated=counts.most_repeated_claims(events, 10),
        demand_response=counts.demand_response(events, order, topics),
        type_totals=counts.type_totals(events),
        quality=counts.article_quality(t.articles, events),
        milestones=_milestones(cfg, window, t.articles, events),
    )
    return d


def _milestones(cfg: ReportConfig, window: tuple[dt.date | None, dt.date | None], articles: pd.DataFrame,
                events: pd.DataFrame) -> pd.DataFrame:
    """Milestones inside the date window that the corpus covers: its supporting
    article is in the corpus (``article_in_corpus``), or an event counted is
    dated on its day(s).
    ``milestones_beyond_corpus: true`` keeps the others too (``in_corpus``
    says which); ``show_milestones: false`` keeps none."""
    m = cfg.milestones.copy()
    start = pd.to_datetime(m["date"])
    end = pd.to_datetime(m["date_end"].replace("", pd.NA)).fillna(start)
    days = set(events["date"].dropna()) if len(events) else set()
    on_days = pd.Series([any(day in days for day in pd.date_range(a, b)) for a, b in zip(start, end)],
                        index=m.index, dtype=bool)
    m["article_in_corpus"] = m["article_id"].isin(set(articles["article_id"]))
    m["in_corpus"] = m["article_in_corpus"] | on_days
    lo, hi = window
    if lo is None or hi is None or not cfg.show_milestones:
        return m.iloc[0:0]
    keep = (end >= pd.Timestamp(lo)) & (start <= pd.Timestamp(hi))
    if not cfg.milestones_beyond_corpus:
        keep &= m["in_corpus"]
    return m[keep].reset_index(drop=True)
