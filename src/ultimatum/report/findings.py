"""Key findings and chart titles, written from computed numbers, never typed.

A finding is a list of parts: plain text and :class:`Value` objects. Rendered
to HTML, every value becomes ``<span class="num" data-key="...">``, so a test
can read each number back and compare it with the tables."""
from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias

import pandas as pd

from ultimatum.schema import RESPONSE_TYPES, SIGNAL_TYPES

if TYPE_CHECKING:
    from ultimatum.report.data import ReportData


@dataclass(frozen=True)
class Value:
    """A number (or a name/date) computed from the tables, with its key."""
    key: str
    value: int | float | str

    def text(self) -> str:
        if isinstance(self.value, float):
            return f"{self.value:g}"
        return str(self.value)


Finding: TypeAlias = "list[str | Value]"  # plain text and values


def plural(n: int, word: str, words: str | None = None) -> str:
    """``word`` or its plural for ``n``."""
    return word if n == 1 else (words or word + "s")


def long_date(day: dt.date | pd.Timestamp | None) -> str:
    """``17 December 2021``; empty for no date."""
    if day is None or pd.isna(day):
        return ""
    return f"{day.day} {day:%B %Y}"


def date_range_text(lo: dt.date | pd.Timestamp | None, hi: dt.date | pd.Timestamp | None) -> str:
    """``11 December 2021 – 2 February 2022`` (or one date)."""
    if lo is None or pd.isna(lo):
        return "no date found"
    if hi is None or pd.isna(hi) or pd.Timestamp(lo) == pd.Timestamp(hi):
        return long_date(lo)
    return f"{long_date(lo)} – {long_date(hi)}"


def to_html(finding: Finding) -> str:
    """A finding as HTML; values are marked up for tests and readers."""
    out = []
    for part in finding:
        if isinstance(part, Value):
            cls = "num" if isinstance(part.value, (int, float)) else "term"
            out.append(f'<span class="{cls}" data-key="{html.escape(part.key)}">'
                       f'{html.escape(part.text())}</span>')
        else:
            out.append(html.escape(part))
    return "".join(out)


def to_text(finding: Finding) -> str:
    """A finding as plain text."""
    return "".join(p.text() if isinstance(p, Value) else p for p in finding)


def values(findings: list[Finding]) -> dict[str, int | float | str]:
    """Every keyed value of the findings."""
    return {p.key: p.value for f in findings for p in f if isinstance(p, Value)}


def _lower_first(text: str) -> str:
    """Lower-case the first letter unless the first word is an acronym."""
    word = text.split(" ", 1)[0]
    return text if word.isupper() else text[:1].lower() + text[1:]


def _tops(series: pd.Series) -> tuple[list[Any], int] | None:
    """Every entry sharing the largest count (in table order), and that count;
    None when no count is above zero. Entries are index labels: party, topic
    or type codes, or (actor, target) pairs of a stacked matrix."""
    series = series[series > 0]
    if series.empty:
        return None
    n = int(series.max())
    return [k for k, v in series.items() if v == n], n


def joined(items: list[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def key_findings(d: ReportData, label: Callable[[str], str], topic_label: Callable[[str], str]) -> list[Finding]:
    """Sentences stating the report's main numbers; ``d`` is a ReportData.
    Ties are named together ("Russia and NATO made ... each")."""
    V = Value
    out: list[Finding] = []
    n_events, n_claims = len(d.events), d.events["claim_id"].nunique() if len(d.events) else 0
    out.append(["The corpus holds ", V("corpus.articles", len(d.articles)), f" {plural(len(d.articles), 'article')} from ",
                V("corpus.outlets", d.n_outlets), f" named {plural(d.n_outlets, 'outlet')}; they report ",
                V("corpus.mentions", n_events), f" event {plural(n_events, 'mention')} that make ",
                V("corpus.claims", n_claims), f" distinct {plural(n_claims, 'claim')}."])
    if d.outside_study and d.study is not None:
        out.append(_outside_study(d))
    if n_events == 0:
        out.append(["No demands, responses or escalation signals were found in the selected articles and dates."])
        return out

    dem = d.demands["mentions"] if not d.demands.empty else pd.Series(dtype=int)
    total_dem = int(dem.sum())
    top = _tops(dem)
    if top:
        parties, n = top
        each = " each" if len(parties) > 1 else ""
        share = round(100 * n / total_dem)
        out.append([V("demands.top_party", joined([label(p) for p in parties])), " made ", V("demands.top_n", n),
                    f"{each} of the ", V("demands.total", total_dem), f" demand {plural(total_dem, 'mention')} (",
                    V("demands.top_share", share), f" %{each})."])
        party = parties[0]
        targets = d.demand_targets.loc[party] if party in d.demand_targets.index else pd.Series(dtype=int)
        ttop = _tops(targets.drop(labels=[""], errors="ignore"))
        if ttop:
            out.append([f"{label(party)}’s demands were most often addressed to ",
                        V("demands.top_target", joined([label(t) for t in ttop[0]])), " (",
                        V("demands.top_target_n", ttop[1]),
                        f" {plural(ttop[1], 'mention')}{' each' if len(ttop[0]) > 1 else ''})."])
        tp = _tops(d.demand_topics.drop(columns=[""], errors="ignore").sum(axis=0))
        if tp:
            many = len(tp[0]) > 1
            out.append([f"The most frequent demand {'topics were' if many else 'topic was'} ",
                        V("demands.top_topic", joined([topic_label(t) for t in tp[0]])),
                        " (", V("demands.top_topic_n", tp[1]), f" {plural(tp[1], 'mention')}{' each' if many else ''})."])
    else:
        out.append(["No demands were found (", V("demands.total", 0), ")."])

    resp = d.responses
    totals = resp.sum(axis=0) if not resp.empty else pd.Series(0, index=RESPONSE_TYPES)
    n_resp = int(totals.sum())
    if n_resp:
        out.append(["Of ", V("responses.total", n_resp), f" {plural(n_resp, 'response')}, ",
                    V("responses.REJECT", int(totals["REJECT"])), f" {plural(int(totals['REJECT']), 'was a rejection', 'were rejections')}, ",
                    V("responses.OFFER", int(totals["OFFER"])), f" {plural(int(totals['OFFER']), 'an offer', 'offers')} and ",
                    V("responses.ACCEPT", int(totals["ACCEPT"])), f" {plural(int(totals['ACCEPT']), 'an acceptance', 'acceptances')}."])
        rtop = _tops(resp.sum(axis=1))
        if rtop:
            parties, n = rtop
            if len(parties) == 1:
                out.append([V("responses.top_party", label(parties[0])), " responded most often (",
                            V("responses.top_n", n), f" {plural(n, 'response')}, of which ",
                            V("responses.top_reject", int(resp.loc[parties[0], 'REJECT'])), " rejections)."])
            else:
                out.append([V("responses.top_party", joined([label(p) for p in parties])),
                            " responded most often (", V("responses.top_n", n), f" {plural(n, 'response')} each)."])
        if top:
            main = top[0][0]
            to_top = d.responses_by_target[d.responses_by_target["target"] == main]
            n_to = int(to_top["total"].sum()) if not to_top.empty else 0
            n_rej = int(to_top["REJECT"].sum()) if not to_top.empty else 0
            out.append([V("responses.to_top_demander", n_to), f" {plural(n_to, 'response was', 'responses were')} addressed to ",
                        label(main), ", the main demander; ", V("responses.to_top_demander_reject", n_rej),
                        f" of them {plural(n_rej, 'was a rejection', 'were rejections')}."])
    else:
        out.append(["No responses (rejections, offers or acceptances) were found (", V("responses.total", 0), ")."])

    sig = d.type_totals.reindex(SIGNAL_TYPES, fill_value=0)
    n_sig = int(sig.sum())
    out.append(["Escalation signals: ", V("signals.THREATEN", int(sig["THREATEN"])), f" {plural(int(sig['THREATEN']), 'threat')}, ",
                V("signals.ACCUSE", int(sig["ACCUSE"])), f" {plural(int(sig['ACCUSE']), 'accusation')} and ",
                V("signals.MOBILIZE", int(sig["MOBILIZE"])), f" {plural(int(sig['MOBILIZE']), 'report')} of mobilisation (",
                V("signals.total", n_sig), " in all)."])
    esc = d.escalation
    if not esc.empty and esc["index"].abs().sum() > 0:
        peak = esc["index"].idxmax()
        out.append(["The escalation index first reached its peak of ", V("escalation.peak", float(esc.loc[peak, "index"])),
                    " on ", V("escalation.peak_date", long_date(peak)), "."])
    if len(d.repeated):
        first = d.repeated.iloc[0]
        out.append(["The most repeated claim (", label(first["actor"]), ", ", first["event_type"].lower(),
                    ") was reported ", V("claims.max_mentions", int(first["mentions"])),
                    f" {plural(int(first['mentions']), 'time')} in ", V("claims.max_articles", int(first["articles"])),
                    f" {plural(int(first['articles']), 'article')}."])
    explicit = int(d.events["event_date_source"].isin(["explicit", "relative"]).sum())
    out.append([V("quality.dated_in_text", explicit), " of ", V("quality.mentions", n_events),
                f" event {plural(n_events, 'mention')} carry a date stated in the sentence; the others take "
                "their article’s publication date."])
    return out


def _outside_study(d: ReportData) -> Finding:
    """Which articles lie outside the study window, and what that does to the counts."""
    V = Value
    n_out, n_all = len(d.outside_study), len(d.articles)
    window = V("study.window", date_range_text(*(d.study or (None, None))))
    if n_out == n_all:
        return [("All " if n_out > 1 else "The "), V("study.outside_articles", n_out),
                f" {plural(n_out, 'article was', 'articles were')} published outside the study window (", window,
                "): the findings below are about the dates they report, not the period the project studies."]
    left = int(d.outside["article_id"].isin(d.outside_study).sum()) if len(d.outside) else 0
    return [V("study.outside_articles", n_out), f" of the {n_all} articles {plural(n_out, 'was', 'were')} "
            "published outside the study window (", window, "): ", ", ".join(d.outside_study), "; ",
            f"{plural(n_out, 'its', 'their')} ", V("study.outside_mentions", left),
            f" event {plural(left, 'mention')} dated outside the report’s date window "
            f"{plural(left, 'is', 'are')} not counted in these findings."]


def chart_titles(d: ReportData, label: Callable[[str], str], topic_label: Callable[[str], str]) -> dict[str, str]:
    """One title per chart that states what the chart shows, from the numbers."""
    titles = {}
    dem = d.demands["mentions"] if not d.demands.empty else pd.Series(dtype=int)
    top = _tops(dem)
    total = int(dem.sum())
    if top is None:
        titles["demands"] = "No demands were found"
    elif len(top[0]) > 1:
        titles["demands"] = (f"{joined([label(p) for p in top[0]])} made the most demands "
                             f"({top[1]} each of {total})")
    elif top[1] * 2 > total:
        titles["demands"] = f"{label(top[0][0])} made most of the demands ({top[1]} of {total})"
    else:
        titles["demands"] = f"{label(top[0][0])} made more demands than any other party ({top[1]} of {total})"
    tt = _tops(d.demand_topics.drop(columns=[""], errors="ignore").sum(axis=0)) if not d.demand_topics.empty else None
    if tt is None:
        titles["demand_topics"] = "No demand named a topic"
    else:
        names = joined([_lower_first(topic_label(t)) for t in tt[0]])
        titles["demand_topics"] = (f"Demands were most often about {names} "
                                   f"({tt[1]}{' each' if len(tt[0]) > 1 else ''})")
    # counts are never negative: a table with a count above zero has a top entry
    totals = d.responses.sum(axis=0) if not d.responses.empty else pd.Series(0, index=RESPONSE_TYPES)
    ktop, rtop = _tops(totals), _tops(d.responses.sum(axis=1))
    if ktop is None or rtop is None:
        titles["responses"] = "No responses were found"
    else:
        word = {"REJECT": "rejections", "OFFER": "offers", "ACCEPT": "acceptances"}
        kinds, n = ktop
        verb = "was" if len(rtop[0]) == 1 else "were"
        head = joined([word[k] for k in kinds])
        titles["responses"] = (f"{head[0].upper() + head[1:]} were the most common "
                               f"{'response' if len(kinds) == 1 else 'responses'} ({n} of {int(totals.sum())}); "
                               f"{joined([label(p) for p in rtop[0]])} {verb} the most active responder")
    m = d.matrix.drop(columns=[""], errors="ignore")
    mtop = _tops(m.stack()) if not m.empty else None
    if mtop is None:
        titles["matrix"] = "No event named its target"
    else:
        pairs, n = mtop
        names = joined([f"{label(a)} → {label(t)}" for a, t in pairs])
        titles["matrix"] = (f"{names} {'is the busiest pair' if len(pairs) == 1 else 'are the busiest pairs'} "
                            f"({n} {plural(n, 'event')}{' each' if len(pairs) > 1 else ''})")
    esc = d.escalation
    if esc.empty or esc["index"].abs().sum() == 0:
        titles["timeline"] = "No dated events in the window"
    else:
        titles["timeline"] = f"Escalation peaked on {long_date(esc['index'].idxmax())}"
    n_m, n_c = len(d.events), d.events["claim_id"].nunique() if len(d.events) else 0
    titles["claims"] = (f"{n_m} {plural(n_m, 'mention')} report {n_c} distinct {plural(n_c, 'act')}"
                        if n_m else "No events, no claims")
    dr = d.demand_response
    answered = dr[(dr["total"] > 0) & (dr["topic"] != "")]
    atop = _tops(answered.groupby("topic", sort=False)["total"].sum()) if not answered.empty else None
    if atop is None:
        titles["demand_response"] = "No response named a demand topic"
    else:
        topics, n = atop
        names = joined([topic_label(t) for t in topics])
        titles["demand_response"] = (f"{names} drew the most responses "
                                     f"({n}{' each' if len(topics) > 1 else ''})")
    return titles
