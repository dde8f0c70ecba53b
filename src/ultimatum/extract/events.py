"""Event extraction (codebook sections 1-6 and 8): every event mention of an
article as one row per (sentence, actor, event type).

How a row comes about, for one sentence:

1. a cue from ``lexicon/cues.csv`` is found on a lemma (``reject``), a verb
   with its particle (``rule out``) or a phrase (``severe consequences``), and
   its requirements are checked on the parse (``deny`` needs a claim as object,
   ``mass`` needs troops ...);
2. the cue is dropped when it is negated ("did not reject"), hypothetical
   ("if they refuse", "hoped Russia would accept", "could"), the content of
   another act ("urged NATO to reject", "denies planning"), or pre-crisis
   background ("in 2008 NATO promised"); a negated concession becomes a
   rejection ("cannot accept");
3. the actor is read from the parse: subject, ``by``-agent of a passive,
   conjoined subjects, the owner of a nominal cue ("Moscow's insistence"), the
   subject of the verb governing it ("responded with a rebuke"), or else the
   speaker: the subject of a verb of saying governing the cue, or the speaker
   of the quotation the cue stands in (see :mod:`ultimatum.extract.attribution`);
4. the target is the party asked, refused, offered to or threatened (object,
   ``on``/``to``/``of``/``with``/``against`` phrases, subject of a ``that``
   clause, owner of a rejected demand, subject of "face consequences");
5. topics come from ``lexicon/topics.csv``; the event date from the date
   expression nearest the cue in the parse, else the publication date.

**Contract for parallel or filtered runs.** An article is split into
:class:`~ultimatum.extract.attribution.SentenceUnit` s by :func:`article_units` (text
only, cheap). The events of a sentence depend only on the sentence's own parse
(``nlp(unit.text)`` with :data:`REQUIRED_PIPES`) and on its unit's fields:
:func:`extract_doc` ``(doc, unit)`` gives them. One field, ``unit.memory``, is
shared by an article's units and filled by :func:`extract_doc` itself: the
demands, offers and build-ups of the article's earlier sentences, which an
anaphoric demand ("The demands would also preclude ...", see
:mod:`ultimatum.extract.nominal`) takes its owner from, and their subjects,
which a sentence-initial "it" stands for. So an article's sentences must
go through :func:`extract_doc` in article order (articles may be spread over
processes). A sentence for which :func:`candidate_sentence` is False, or
:func:`usable_sentence` for its text and token count, yields no events and
leaves nothing in the memory, so it need not be parsed: ``nlp.pipe``
over the candidate sentences of many articles, keeping each article's order,
followed by :func:`extract_doc`, gives exactly the rows of :func:`extract_article`."""
from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import lru_cache
from typing import TYPE_CHECKING

from spacy.language import DisabledPipes, Language
from spacy.tokens import Doc

from ultimatum.extract.actor_roles import _actors, _mention_nouns, _nominal_matches, _proposal_nouns, _proposal_type
from ultimatum.extract.attribution import MAX_SENTENCE_CHARS, SentenceUnit, sentence_units
from ultimatum.extract.conditions import (
    _aggression_condition,
    _embedded_in,
    _hypothetical,
    _light_owner,
    _negated,
    _negated_frame,
    _precrisis,
    _unperformed,
)
from ultimatum.extract.context_targets import context_target
from ultimatum.extract.cues import CueMatch
from ultimatum.extract.event_dates import _event_date
from ultimatum.extract.nominal import content_nouns
from ultimatum.extract.prefilter import candidate_sentence, reads_sentence
from ultimatum.extract.requirements import requirements_met
from ultimatum.extract.sentence import _SUBJ, Sentence, first_person
from ultimatum.extract.targets import OWN_SIDE, find_target
from ultimatum.extract.wordclasses import word_class
from ultimatum.learn.apply import apply_model
from ultimatum.learn.model import EventModel, shipped_model
from ultimatum.nlp.model import load_model
from ultimatum.schema import EVENT_COLUMNS, TOPIC_TYPES, event_type_table

if TYPE_CHECKING:
    import pandas as pd  # a worker extracting events never loads pandas

__all__ = [
    "DISABLED_PIPES",
    "EVENT_COLUMNS",
    "REQUIRED_PIPES",
    "article_units",
    "candidate_sentence",
    "extract_article",
    "extract_doc",
    "extract_events",
    "parser_model",
    "usable_sentence",
]


#: Pipeline components the extractor reads (POS, lemmas, dependency parse).
REQUIRED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
#: Components of en_core_web_sm it does not use; disabling them saves time.
DISABLED_PIPES = ("ner",)
#: Sentences longer than this are not prose a parser can be trusted on (run-on
#: text, tables, text without sentence ends): no events are read from them.
MAX_SENTENCE_TOKENS = 120
#: Acts dated before this day are background, not part of the crisis (codebook section 3).


def parser_model() -> Language:
    """en_core_web_sm with only :data:`REQUIRED_PIPES` running."""
    return load_model(disable=DISABLED_PIPES)


def article_units(article: Mapping) -> list[SentenceUnit]:
    """The article's sentences with their context (text only, no parse)."""
    return sentence_units(article)


def usable_sentence(text: str, n_tokens: int | None = None) -> bool:
    """Prose the extractor reads at all: not over-long, not shouting (all
    capitals), mostly Latin letters (English wire text)."""
    if n_tokens is not None and n_tokens > MAX_SENTENCE_TOKENS:
        return False
    return _prose(text)


@lru_cache(maxsize=4096)  # the fast path asks before parsing, extract_doc again after
def _prose(text: str) -> bool:
    letters = "".join(filter(str.isalpha, text))
    if len(letters) < 8:
        return False
    if sum(map(str.isupper, letters)) > 0.6 * len(letters):
        return False
    return sum(map(str.isascii, letters)) >= 0.9 * len(letters)


# --- reading the parse --------------------------------------------------------------------------


# --- polarity and embedding ----------------------------------------------------------------------


# --- requirements -------------------------------------------------------------------------------


# --- one cue to rows ----------------------------------------------------------------------------


def extract_doc(doc: Doc, unit: SentenceUnit, model: EventModel | str | None = "shipped") -> list[dict]:
    """Event rows of one sentence, from its own parse ``doc`` (``nlp(unit.text)``)
    and the context in ``unit``: the rules' rows, then the event classifier's
    decision over the sentence's candidate parties (``model``: the one shipped
    with the package, another, or None for the rules alone). Deterministic;
    see the module docstring."""
    sent, rows = rule_rows(doc, unit)
    chosen = shipped_model() if model == "shipped" else model
    if sent is None or not isinstance(chosen, EventModel):
        return rows
    return apply_model(sent, rows, chosen)


def rule_rows(doc: Doc, unit: SentenceUnit) -> tuple[Sentence | None, list[dict]]:
    """The parsed sentence and the rows the rules give it (None and no rows
    for a sentence the extractor does not read). Fills the article's memory."""
    if len(unit.text) > MAX_SENTENCE_CHARS or not usable_sentence(unit.text, len(doc)):
        return None, []
    sent = Sentence(doc, unit)
    # only a sentence the pre-parse filter keeps records a subject, whatever else is parsed
    unit.memory.record_subject(unit.sentence_id, sent.main_subject() if unit.candidate else ())
    if not reads_sentence(sent.tokens, sent.cues):
        return None, []
    types = event_type_table()
    published = unit.published
    matches = [m for m in sent.cues if requirements_met(m, sent)]
    nominal, nominal_actors = _nominal_matches(sent)
    if nominal:
        verbs = {m.head for m in nominal}
        matches = nominal + [m for m in matches if m.head not in verbs]
    chosen: dict[tuple[int, str], CueMatch] = {}
    for m in matches:
        chosen.setdefault((m.head, m.cue.event_type), m)
    heads: dict[int, str] = {}
    for (head, etype) in chosen:
        heads.setdefault(head, etype)
    for tok in sent.tokens:  # what a demand, ban or pledge governs is its content, not an act
        if tok.pos_ == "NOUN" and tok.lemma_.lower() in content_nouns():
            heads.setdefault(tok.i, "CONTENT")
    rows: dict[tuple[str, str, str], dict] = {}
    for (head, _), m in sorted(chosen.items()):
        tok = sent.tokens[head]
        etype = m.cue.event_type
        why_not = _embedded_in(tok, heads, etype, sent)
        if why_not:
            continue
        note = ""
        modal = "modal" in m.cue.requires
        det_no = "no" not in m.cue.words
        negated = (not modal and _negated(tok, det_no)) or (
            m.end - m.start > 1 and any(_negated(sent.tokens[i], det_no) for i in range(m.start, m.end)))
        if not negated and det_no:
            negated = _negated_frame(tok)
        if not negated and tok.pos_ in ("NOUN", "ADJ"):
            verb = sent.governing_verb(tok)
            negated = verb is not None and _negated(verb, det_no) and verb.lemma_.lower() not in word_class("patient")
        if not negated and _unperformed(tok, etype):
            negated = True  # "declined to take up the offer" as "did not take up"
        if "negated_only" in m.cue.requires and not negated:
            continue
        if negated:
            if not m.cue.negated_type:
                sent.refused.add(etype)
                continue
            if any(other.head != m.head and other.cue.event_type == m.cue.negated_type
                   and _negated(sent.tokens[other.head]) for other in chosen.values()):
                sent.refused.update((etype, m.cue.negated_type))
                continue  # "did not accept the offer but did not reject it either": neither act
            etype, note = m.cue.negated_type, " negated"
        why_hyp = _hypothetical(tok, sent)
        if etype in ("MOBILIZE", "OFFER") and not negated and _aggression_condition(tok, sent):
            etype, why_hyp, note = "THREATEN", "", " conditioned on aggression"
        if etype == "OFFER" and not negated and any(
                c.dep_ in ("xcomp", "acl") and c.lemma_.lower() in word_class("punitive_verb") for c in tok.children):
            etype, note = "THREATEN", " readiness to punish"  # "ready to impose sanctions"
        if "alleged" in m.cue.requires and (why_hyp == "hedged" or (why_hyp.startswith("under ") and
                                            why_hyp[6:] in word_class("intend") | word_class("alleged_frame"))):
            why_hyp = ""  # the alleged intent or possibility is the accusation's content
        if "leads_to" in m.cue.requires and why_hyp in ("hedged", "infinitival subject"):
            why_hyp = ""  # "could lead to war", "not to agree would mean confrontation": a warning
        if {"said", "speaker"} & m.cue.requires and why_hyp.startswith("under ") and why_hyp[6:] in word_class("attempt"):
            why_hyp = ""  # "an attempt to re-impose a sphere of influence": what is condemned
        if why_hyp and (not (negated and m.cue.negated_type)
                        or why_hyp in ("conditional", "question", "infinitival subject")):
            continue  # not the type barred: the classifier judges the sentence (its vetoes, what annotators code)
        if _precrisis(tok, sent.date_roots, sent.background_before):
            continue
        actors, actor_how = nominal_actors.get(head) or _actors(m, sent)
        if not actors:
            continue
        if tok.pos_ == "NOUN" and actor_how == "owner" and etype in ("DEMAND", "OFFER") and any(
                sent.resolve(s)[1] == "none" for s in sent._speech_subject(tok)):
            continue  # "analysts said ..., with Russia's core demand ...": background in a commentator's words
        if etype == "OFFER" and not negated and m.cue.words[0] in _proposal_nouns():
            # "the Russian proposals": a demand when its owner's proposals are demands
            if _proposal_type(sent, actors) == "DEMAND":
                etype = "DEMAND"
        if {"speaker", "said"} & m.cue.requires and not actor_how.startswith(("speaker", "quote", "according", "subject", "agent", "we=")):
            continue
        targets, target_how = find_target(m, sent, actors, etype)
        asked = [p for o in tok.children if o.dep_ == "dobj" and o.i in sent.alias_at
                 and getattr(sent.alias_at[o.i][2], "kind", "") in ("demonym", "person")  # its public, its leader
                 for p in sent.resolve(o)[0]] if tok.pos_ == "VERB" else []
        if etype == "DEMAND" and not targets and asked and {(p.code, p.name) for p in asked} == {
                (p.code, p.name) for p in actors}:
            continue  # "Kyiv urged Ukrainians not to panic", "the Duma asked Putin to ...": one's own side
        if "modal" in m.cue.requires and not targets and tok.lower_ in ("should", "must"):
            subj = [c for c in tok.head.children if c.dep_ in _SUBJ]
            if subj and first_person(subj[0].text):
                continue
        event_date, date_source, date_text = _event_date(tok, sent.date_roots, published)
        info = types[etype]
        # a nominal cue says its pattern ("demand (named as subject)"), a lexicon cue its words
        cue_text = m.cue.text if "nominal" in m.cue.requires else \
            " ".join(m.cue.words) + (f" {m.cue.particle}" if m.cue.particle else "")
        rule = (f"cue '{cue_text}'{note} -> {etype}; actor: {actor_how or 'subject'}; "
                f"target: {target_how or 'none'}; date: {date_text or 'published'}")
        target = ";".join(sorted({p.code for p in targets}))
        for party in actors:
            key = (party.code, party.name, etype)
            if key in rows:
                continue
            own_target, own_rule = target, rule
            if not targets and target_how != OWN_SIDE:
                own_target, how = context_target(party, etype, unit.memory, unit.sentence_id)
                if own_target:
                    own_rule = rule.replace("; target: none;", f"; target: {how};")
            rows[key] = {
                "article_id": unit.article_id, "sentence_id": unit.sentence_id, "sentence": unit.text,
                "actor": party.code, "actor_name": party.name, "group_alias": party.group_alias,
                "event_type": etype, "role": info["role"], "target": own_target,
                "topics": sent.topics if etype in TOPIC_TYPES else "",
                "event_date": event_date, "event_date_source": date_source, "published": published,
                "weight": float(info["weight"]), "rule": own_rule, "claim_id": "",
            }
    out = list(rows.values())
    mentions = [p for tok in sent.tokens if tok.pos_ == "NOUN" and tok.lemma_.lower() in _mention_nouns()
                for p in sent.noun_owner(tok, False)
                or _light_owner(tok.head if tok.dep_ == "compound" else tok, sent)]  # "Russia handed over draft treaties"
    unit.memory.record(unit.sentence_id, out, mentions)
    return sent, out


# --- demands named as nouns ---------------------------------------------------------------------


def extract_units(units: Sequence[SentenceUnit], nlp: Language | None = None, batch_size: int = 64) -> list[dict]:
    """Event rows of many sentence units: only candidate sentences are parsed."""
    nlp = nlp or parser_model()
    todo = [u for u in units if u.candidate]
    rows: list[dict] = []
    with _disabled(nlp):
        for unit, doc in zip(todo, nlp.pipe((u.text for u in todo), batch_size=batch_size)):
            rows.extend(extract_doc(doc, unit))
    return rows


class _disabled:
    """Run a full model with the unused components switched off."""

    def __init__(self, nlp: Language):
        self.nlp = nlp
        self.names = [n for n in DISABLED_PIPES if n in nlp.pipe_names]
        self.ctx: DisabledPipes | None = None

    def __enter__(self) -> Language:
        if self.names:
            self.ctx = self.nlp.select_pipes(disable=self.names)
        return self.nlp

    def __exit__(self, *exc: object) -> None:
        if self.ctx is not None:
            self.ctx.restore()


def extract_article(article: Mapping, nlp: Language | None = None) -> list[dict]:
    """Event rows of one article row (``article_id``, ``body``, ``published``)."""
    return extract_units(article_units(article), nlp)


def extract_events(articles: pd.DataFrame, nlp: Language | None = None) -> pd.DataFrame:
    """Event table for every article, in article and sentence order."""
    import pandas as pd
    units: list[SentenceUnit] = []
    for article in articles.to_dict("records"):
        units.extend(article_units(article))
    rows = extract_units(units, nlp)
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)
