"""Sections that show where the numbers come from: data quality (articles,
skipped files, event dates and coverage), the extractor's accuracy on the gold
sets, what is counted, and the evidence appendix (every event with its sentence)."""
from __future__ import annotations

import pandas as pd

from ultimatum.evaluate.texts import REBUILT
from ultimatum.report import counts, findings
from ultimatum.report.accuracy import LEAD_COLUMNS
from ultimatum.report.data import ReportData
from ultimatum.report.html_tables import escape, html_table, shorten
from ultimatum.schema import PROBLEM_SEP


def quality_section(d: ReportData) -> str:
    q = d.quality
    rows = [{"_code": r["article_id"], "article": r["article_id"], "outlet": r["outlet"] or "—",
             "published": r["published"] or "—", "source": r["date_source"] or "—",
             "n_sentences": int(r["n_sentences"]), "events": int(r["events"]),
             "dup": r["duplicate_of"] or ""} for _, r in q.iterrows()]
    cols = [("article", "Article"), ("outlet", "Outlet"), ("published", "Published"),
            ("source", "Date from"), ("n_sentences", "Sentences"), ("events", "Events")]
    if q["duplicate_of"].astype(str).str.strip().any():
        cols.append(("dup", "Duplicate of"))
    if q["problems"].astype(str).str.strip().any():
        cols.append(("problems", "Problems"))
    for row, (_, r) in zip(rows, q.iterrows()):
        row["problems"] = r["problems"]
    parts = ["<h3>Articles</h3>", html_table(rows, cols, numeric=("n_sentences", "events"), key="quality",
                                             row_key="_code", cls="counts quality",
                                             foot={"article": "Total", "n_sentences": int(q["n_sentences"].sum()),
                                                   "events": int(q["events"].sum())})]
    parts.append('<p class="note">“Date from” says where the publication date was found: the '
                 "dateline, the URL, the page header or the folder’s manifest.csv. "
                 "“Events” counts the mentions inside the selected event types and date window.</p>")
    if d.outside_study and d.study is not None:
        n = len(d.outside_study)
        parts.append(f'<p class="note">{n} {findings.plural(n, "article was", "articles were")} published '
                     f"outside the study window ({escape(findings.date_range_text(*d.study))}, "
                     "<code>config/study.yaml</code>): "
                     f"{escape(', '.join(d.outside_study))}. Their events are extracted like any other "
                     "(an act and the answer to it alike) and counted only inside the report’s date window.</p>")
    parts.append("<h3>Skipped files</h3>")
    if len(d.skipped):
        parts.append(html_table(d.skipped[["file", "reason"]].to_dict("records"),
                                [("file", "File"), ("reason", "Why it was skipped")], cls="skipped"))
    else:
        parts.append('<p class="none">No file was skipped.</p>')
    problems = [{"file": r.get("file") or r["article_id"], "problem": p}
                for r in d.articles.to_dict("records")
                for p in str(r.get("problems") or "").split(PROBLEM_SEP) if p]
    if problems:  # read, but with something to fix (no date, a bad manifest row)
        parts.append("<h3>Problems in files that were read</h3>")
        parts.append(html_table(problems, [("file", "File"), ("problem", "Problem")], cls="skipped"))
    ev = d.all_events
    src = ev["event_date_source"].replace("", "none (undated article)").value_counts()
    rows = [{"_code": k, "what": f"event date from: {k}", "n": int(v)} for k, v in src.items()]
    rows += [
        {"_code": "outside_window", "what": "outside the date window, or undated with a window set (left out)",
         "n": len(d.outside)},
        {"_code": "undated", "what": "selected events without any date (counted, not on the timeline)",
         "n": int(d.events["date"].isna().sum())},
        {"_code": "type_not_selected", "what": "of an event type not selected (left out)",
         "n": int((~ev["event_type"].isin(d.cfg.event_types)).sum())},
        {"_code": "no_target", "what": "selected events naming no target",
         "n": int(d.events["target"].eq("").sum())},
        {"_code": "no_topic", "what": "selected demands and responses naming no topic",
         "n": int((d.events["role"].isin(["demand", "response"]) & d.events["topics"].eq("")).sum())},
    ]
    parts.append("<h3>Event dates and coverage</h3>" + html_table(
        rows, [("what", f"Of {len(ev)} event mentions extracted"), ("n", "Mentions")], numeric=("n",),
        key="coverage", row_key="_code", cls="counts"))
    return "".join(parts)


def accuracy_section(d: ReportData) -> str:
    if d.accuracy is None:
        return f'<p class="none">{escape(d.accuracy_note)}</p>'
    lead = honest_estimate(d.accuracy)
    a = d.accuracy[[c for c in d.accuracy.columns if c not in LEAD_COLUMNS]]
    first = "gold_set" if "gold_set" in a.columns else a.columns[0]
    num = [c for c in a.columns if c != first and pd.api.types.is_numeric_dtype(a[c])]
    rows = []
    for _, r in a.iterrows():
        row = {"_code": str(r[first])}
        for c in a.columns:
            v = r[c]
            if c in num and pd.api.types.is_float_dtype(a[c]) and not pd.isna(v):
                row[c] = f"{v:.2f}"
            elif c in num and not pd.isna(v):
                row[c] = f"{v:g}"
            else:
                row[c] = "" if pd.isna(v) else str(v)
        rows.append(row)
    return (lead + html_table(rows, [(c, c.replace("_", " ")) for c in a.columns], numeric=tuple(num),
                              key="accuracy", row_key="_code", cls="counts accuracy")
            + '<p class="note">Precision: share of extracted events that are in the gold set; recall: share '
              "of gold events that were extracted; F1: their harmonic mean. An event matches when "
              "sentence, actor and event type agree; target, topics and date are scored on the matches. "
              "The gold sets are hand-made annotations of the codebook, kept in tests/gold (listed in "
              "tests/gold/sets.csv); <code>ultimatum evaluate</code> scores them and keeps the figures in "
              "tests/gold/results.csv, which this report reads (<em>measured</em>: the day a set was scored). "
              "Source <em>real</em>: published articles; <em>written</em>: articles written for the project. "
              "Role <em>development</em>: rules, lexicon and the event classifier were developed or trained "
              "while looking at this set, so its scores overstate accuracy on new articles; <em>test</em>: "
              "nothing was tuned on it, the honest estimate for your own articles. Texts <em>full</em>: the "
              "articles as annotated; <em>rebuilt</em>: rebuilt from the annotated sentences alone "
              "(<code>ultimatum gold-texts --from-gold</code>).</p>")


def honest_estimate(a: pd.DataFrame) -> str:
    """The lead paragraph: the real test part's scores in words (the project's
    estimate for new articles), or a note that no real test part was scored."""
    real_test = a[(a.get("source", "") == "real") & (a.get("role", "") == "test")] if "source" in a else a.iloc[0:0]
    if real_test.empty:
        return ('<p class="lead-accuracy">No real test set was scored: the figures below come from sets '
                "the extractor was developed on and overstate its accuracy on new articles.</p>")
    r = real_test.iloc[0]
    return (f'<p class="lead-accuracy">On <strong>{int(r["n_articles"])} real published articles</strong> '
            f"that no rule, lexicon entry or model was tuned on ({int(r['gold_mentions'])} hand-coded event "
            f"mentions; measured {escape(str(r['measured']))}), the extractor found "
            f"<strong>{r['recall']:.0%}</strong> of the events (recall{_interval(r, 'recall')}), "
            f"<strong>{r['precision']:.0%}</strong> of the events it reported were right "
            f"(precision{_interval(r, 'precision')}; F1 {r['f1']:.2f}{_interval(r, 'f1', '.2f')}), and it gave "
            f"the codebook's target for {r['target_exact']:.0%} of those it found. Read per-party counts with "
            "that error in mind; the sets below it were used to develop the extractor and score higher."
            + (" The 95% intervals come from resampling the articles (a bootstrap): they show how far the scores "
               "would move on another set of articles like these." if _has_interval(r) else "")
            + (" These texts were rebuilt from the annotated sentences (texts <em>rebuilt</em>), as the published "
               "ones were not at hand; the sentences annotators passed over, about a tenth of the words, are "
               "missing." if r.get("texts") == REBUILT else "") + "</p>")


def _has_interval(r: pd.Series) -> bool:
    return all(pd.notna(r.get(c)) for c in LEAD_COLUMNS)


def _interval(r: pd.Series, metric: str, form: str = ".0%") -> str:
    """"; 95% interval 57–67%" for a metric of the results row, or nothing
    when the row has no interval (measured before intervals were kept)."""
    if not _has_interval(r):
        return ""
    low, high = format(r[f"{metric}_low"], form), format(r[f"{metric}_high"], form)
    return f"; 95% interval {low.rstrip('%')}–{high}"


def method_section(d: ReportData) -> str:
    """The event types: role, PLOVER and CAMEO codes, Goldstein weight, whether shown."""
    from ultimatum.lexicon import read_rows
    rows = [{"type": r["event_type"].title(), "role": r["role"], "plover": r["plover"],
             "cameo": r["cameo"], "weight": f"{float(r['weight']):+.1f}",
             "shown": "yes" if r["event_type"] in d.cfg.event_types else "no"}
            for r in read_rows("event_types.csv")]
    return (html_table(rows, [("type", "Event type"), ("role", "Role"), ("plover", "PLOVER"),
                               ("cameo", "CAMEO"), ("weight", "Goldstein weight"), ("shown", "In this report")],
                       numeric=("weight",), cls="counts")
            + f'<p class="note">Settings: {escape(d.cfg.source.name)}; event types shown: '
              f'{escape(", ".join(d.cfg.event_types))}; date window {escape(findings.date_range_text(*d.window))}.</p>')


def evidence_section(d: ReportData) -> str:
    """Every event counted, grouped by article (headline, outlet, date, URL),
    each with its sentence, its number (``#ev-N``, where the numbers link to)
    and its claim (a link to the claim's mentions)."""
    from ultimatum.report.tables import claim_link
    if d.events.empty:
        return '<p class="none">No events in the selected data.</p>'
    label, n, limit = d.cfg.party_label, d.cfg.max_sentence_chars, d.cfg.evidence_limit
    shown = d.events if limit is None else d.events.head(limit)
    articles = d.articles.set_index("article_id")
    order = shown.groupby("article_id", sort=False)["eid"].min().sort_values().index
    parts = []
    for article_id in order:
        a = articles.loc[article_id] if article_id in articles.index else pd.Series(dtype=str)
        url = str(a.get("url", "") or "")
        link = f' · <a href="{escape(url)}">{escape(url)}</a>' if url.startswith(("http://", "https://")) else ""
        meta = " · ".join(escape(x) for x in (a.get("outlet", "") or "outlet not named",
                                              a.get("published", "") or "no publication date", article_id))
        rows = []
        for _, sentence in shown[shown["article_id"] == article_id].groupby("sentence_id_num", sort=False):
            events = []
            for _, e in sentence.iterrows():
                src = {"explicit": "", "relative": " (rel.)", "published": " (pub.)"}.get(e["event_date_source"], "")
                topics = ", ".join(d.cfg.topic_label(t) for t in counts.split_codes(e["topics"]) if t)
                actor = label(e["actor"]) + (f" ({e['actor_name']})" if e["actor"] == "OTHER" and e["actor_name"] else "")
                targets = " / ".join(label(t) for t in counts.split_codes(e["target"]))
                date = (f"{e['date']:%Y-%m-%d}" if not pd.isna(e["date"]) else "—") + src
                events.append(
                    f'<div class="ev" id="ev-{int(e["eid"])}"><span class="eno">#{int(e["eid"])}</span> '
                    f'{escape(date)} · <b>{escape(actor)}</b> <span class="etype">{escape(e["event_type"])}</span> '
                    f"→ {escape(targets)}" + (f' · <span class="topics">{escape(topics)}</span>' if topics else "")
                    + f' · claim {claim_link(d, e["claim_id"], int(e["eid"]))}'
                    f'<div class="src">rule {escape(e["rule"])}</div></div>')
            first = sentence.iloc[0]
            rows.append(f'<div class="sent"><div class="text">sentence {escape(first["sentence_id"])}: '
                        f'{escape(shorten(first["sentence"], n))}</div>{"".join(events)}</div>')
        parts.append(f'<div class="article" id="art-{escape(article_id)}"><h4>{escape(a.get("title", "") or article_id)}</h4>'
                     f'<p class="art-meta">{meta}{link}</p>{"".join(rows)}</div>')
    cut = len(d.events) - len(shown)
    scope = ("Every event counted in this report" if not cut else
             f"The first {len(shown)} of the {len(d.events)} events counted in this report (setting "
             f"<code>evidence_limit</code>; all of them are in events.csv)")
    return (f'<p class="note">{scope}, grouped by article, in date order. Date: the event’s own '
            "date; (rel.) resolved from a relative phrase, (pub.) the article’s publication date. "
            "Each sentence (numbered in its article) is followed by the events read from it: their number, "
            "date, actor, type, target and topics, their distinct claim (a link to all its mentions) and the "
            "rule that found them.</p>" + "".join(parts))


def behind_numbers(d: ReportData) -> str:
    """For every linked number of the report, the events behind it, each a link to its row."""
    from ultimatum.report.data import ref_id
    shown = set(d.events["eid"]) if d.cfg.evidence_limit is None else set(d.events["eid"].head(d.cfg.evidence_limit))
    same: dict[tuple[int, ...], list[str]] = {}  # numbers counting the same events share one entry
    for key, (_, eids) in d.refs.items():
        same.setdefault(tuple(eids), []).append(key)
    items = []
    for numbers, keys in same.items():
        anchors = "".join(f'<span id="{escape(ref_id(k))}"></span>' for k in keys[1:])
        what = d.refs[keys[0]][0] + (f" (and {len(keys) - 1} other {'number' if len(keys) == 2 else 'numbers'} "
                                      "counting the same events)" if len(keys) > 1 else "")
        links = ", ".join(f'<a href="#ev-{e}">#{e}</a>' if e in shown else f"#{e}" for e in numbers) or "none"
        items.append(f'<p class="why" id="{escape(ref_id(keys[0]))}">{anchors}<b>{escape(what)}</b> '
                     f"({len(numbers)}): {links}</p>")
    return "".join(items)
