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
:mod:`ultimatum.extract.nominal`) takes its owner from. So an article's sentences must
go through :func:`extract_doc` in article order (articles may be spread over
processes). A sentence for which :func:`candidate_sentence` is False, or
:func:`usable_sentence` for its text and token count, yields no events and
leaves nothing in the memory, so it need not be parsed: ``nlp.pipe``
over the candidate sentences of many articles, keeping each article's order,
followed by :func:`extract_doc`, gives exactly the rows of :func:`extract_article`."""
from __future__ import annotations

import datetime as dt
import re
from functools import cached_property, lru_cache
from typing import Iterable, Mapping, Sequence

import pandas as pd
from spacy.language import Language
from spacy.tokens import Doc, Token

from ultimatum.nlp.parsetree import path_to_root as _path, tree_distance as _tree_distance
from ultimatum.extract.actors import Party, match_aliases, parties_of
from ultimatum.extract.attribution import SentenceUnit, sentence_units
from ultimatum.extract.cues import Cue, CueMatch, candidate_sentence, cue_index, event_types, find_cues, word_class
from ultimatum.extract.event_dates import DateMention, event_date_mentions
from ultimatum.nlp.model import load_model
from ultimatum.extract.nominal import NOUN_REACH, PRONOUN_REACH, Nominal, content_nouns, find_nominals, vocabulary
from ultimatum.extract.targets import find_target
from ultimatum.extract.topics import find_topics

__all__ = ["EVENT_COLUMNS", "REQUIRED_PIPES", "DISABLED_PIPES", "article_units", "candidate_sentence",
           "extract_doc", "extract_article", "extract_events", "parser_model", "usable_sentence"]

EVENT_COLUMNS = ["article_id", "sentence_id", "sentence", "actor", "actor_name", "group_alias",
                 "event_type", "role", "target", "topics", "event_date", "event_date_source",
                 "published", "weight", "rule", "claim_id"]

#: Pipeline components the extractor reads (POS, lemmas, dependency parse).
REQUIRED_PIPES = ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer")
#: Components of en_core_web_sm it does not use; disabling them saves time.
DISABLED_PIPES = ("ner",)
#: Sentences longer than this are not prose a parser can be trusted on (run-on
#: text, tables, text without sentence ends): no events are read from them.
MAX_SENTENCE_TOKENS = 120
#: Acts dated before this day are background, not part of the crisis (codebook section 3).
CRISIS_START = dt.date(2021, 10, 1)

_SUBJ = ("nsubj", "csubj")
_PASSIVE_MARKS = ("auxpass", "nsubjpass")
#: Dependencies through which a word is the content of the word above it.
_EMBEDDING = {"ccomp", "xcomp", "pcomp", "dobj", "prep", "acl", "attr", "oprd", "dative", "pobj", "advcl"}
_REGION_SKIP = {"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "det", "prep", "mark", "aux"}
_REGION_PREPS = {"of", "in", "from", "at"}
_FIRST_PERSON = {"we", "us", "i", "me", "our", "ours", "my"}
_THIRD_PERSON = {"he", "she", "him", "her", "his"}
_IT = {"it", "its"}
_RELATIVE = {"which", "who", "that", "whom"}
#: Prepositions of circumstance: what they govern is not the content of the verb above.
_ADVERBIAL_PREPS = {"despite", "amid", "after", "before", "during", "while", "following", "since"}
_TOPIC_TYPES = {"DEMAND", "REJECT", "OFFER", "ACCEPT"}
_CONTROL_SKIP = {"accuse", "blame", "condemn", "criticize", "criticise"}
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d")  # also "the 1990s"


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

class _Sentence:
    """A parsed sentence with its unit and alias spans, and helpers that read
    roles off the dependency tree."""

    def __init__(self, doc: Doc, unit: SentenceUnit):
        self.doc = doc
        self.tokens: list[Token] = list(doc)  # made once: iterating a Doc makes new Tokens
        self.unit = unit
        self.alias_at: dict[int, tuple[int, int, object]] = {}
        for start, end, alias in match_aliases([t.text for t in self.tokens], unit.names):
            for i in range(start, end):
                self.alias_at[i] = (start, end, alias)
        self.non_actor = word_class("non_actor")
        self.speech = word_class("speech")

    # read only for cues that survive the earlier checks
    @cached_property
    def date_roots(self) -> list[tuple[DateMention, Token]]:
        """The sentence's date mentions, each with the token it hangs on."""
        return _mention_roots(self.tokens, event_date_mentions(self.unit.text, _published_date(self.unit.published)))

    @cached_property
    def question_end(self) -> int | None:
        """Where the sentence's closing question mark ends, quote marks and
        spaces after it aside; None when it does not end as a question."""
        text = self.unit.text.rstrip().rstrip("\"\u201d\u00bb ")
        return len(text) if text.endswith("?") else None

    @cached_property
    def topics(self) -> str:
        """The sentence's topic codes, ';'-joined."""
        return ";".join(find_topics(self.unit.text))

    # parties named by a token and its noun phrase
    def region(self, tok: Token, preps: set[str] = _REGION_PREPS) -> list[Token]:
        """The noun phrase of ``tok`` without clauses, and with only
        ``preps`` prepositional phrases."""
        out, stack = [], [tok]
        while stack:
            t = stack.pop()
            out.append(t)
            for c in t.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    stack.extend(c.children)
                elif c.dep_ not in _REGION_SKIP:
                    stack.append(c)
        return out

    def parties_in(self, tokens: Iterable[Token]) -> list[Party]:
        spans = {}
        for t in tokens:
            hit = self.alias_at.get(t.i)
            if hit:
                spans[hit[0]] = hit
        return parties_of(spans[k][2] for k in sorted(spans))

    def resolve(self, tok: Token, cue: Token | None = None) -> tuple[list[Party], str]:
        """Parties a subject or object token stands for, with how they were found
        ('' when the token is not a party; 'none' when it must not be one)."""
        low = tok.lower_
        if tok.i in self.alias_at:
            pass
        elif tok.pos_ == "PRON" or low in _FIRST_PERSON | _THIRD_PERSON | _IT:
            parties: list[Party] = []
            if low in _FIRST_PERSON:
                parties = self.speaker(cue or tok)[0]
                route = "we=speaker"
            elif low in _RELATIVE and tok.head.dep_ == "relcl":
                return self.resolve(tok.head.head, cue)
            elif low in _THIRD_PERSON | _IT:
                governing = self._speech_subject(tok)
                if governing and governing[0].i != tok.i and (
                        not self.unit.in_quote(tok.idx) or tok.head.head.lemma_.lower() in self.speech):
                    parties = self.resolve(governing[0])[0]
                if not parties and tok.dep_ in _SUBJ and tok.head.dep_ == "conj":
                    # "The US has offered ..., but it rejected ...": the first conjunct's subject
                    first = [c for c in tok.head.head.children if c.dep_ in _SUBJ and c.i < tok.i]
                    if first and first[0].lower_ not in _FIRST_PERSON | _THIRD_PERSON | _IT:
                        parties = self.resolve(first[0])[0]
                if not parties and low in _IT and self._in_modifier_clause(tok):
                    parties = self._nearest_party_before(tok)  # "urged Moscow to pull back the troops it massed"
                if not parties and not self.unit.in_quote(tok.idx):  # in a quote, "it" is no earlier speaker
                    parties = list(self.unit.he if low in _THIRD_PERSON else self.unit.it)
                route = f"{low}=previous speaker"
            else:
                return [], ""
            for c in tok.children:
                if c.dep_ == "conj":
                    parties += [p for p in self.resolve(c, cue)[0] if p not in parties]
            return parties, route if parties else ""
        region = self.region(tok)
        parties = self.parties_in(region)
        if not parties:
            if tok.lemma_.lower() in self.non_actor:
                return [], "none"
            return [], ""
        if tok.i not in self.alias_at and tok.lemma_.lower() in self.non_actor:
            return [], "none"
        return parties, "alias"

    @staticmethod
    def _in_modifier_clause(tok: Token) -> bool:
        """Is the token inside a relative or participial clause on a noun?"""
        return any(t.dep_ in ("relcl", "acl") for t in _path(tok)[:8])

    def _nearest_party_before(self, tok: Token) -> list[Party]:
        """The single party named last before ``tok`` in the sentence: the
        antecedent of "it" in a clause modifying a noun."""
        for i in range(tok.i - 1, -1, -1):
            hit = self.alias_at.get(i)
            if hit:
                parties = parties_of([hit[2]])
                return parties if len(parties) == 1 else []
        return []

    # speakers
    def _speech_subject(self, tok: Token) -> list[Token]:
        """Subject tokens of the nearest verb of saying above ``tok``."""
        child, node = tok, tok.head
        while node != child:
            if (node.lemma_.lower() in self.speech or node.lemma_.lower() == "make" and any(
                    c.lower_ == "clear" for c in node.children) or node.lemma_.lower() in word_class("characterise")
                    and any(c.dep_ in ("oprd", "xcomp") for c in node.children)
                    and not any(c.dep_ == "prep" and c.lower_ in ("on", "upon", "for") for c in node.children)) and (child.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "dobj", "conj", "oprd")
                                                       or child.dep_ == "prep" and child.lower_ == "by") \
                    and node.pos_ in ("VERB", "AUX"):
                subj = [c for c in node.children if c.dep_ in _SUBJ]
                if not subj and node.dep_ == "conj":  # "echoed this sentiment and stressed that ..."
                    subj = [c for c in node.head.children if c.dep_ in _SUBJ]
                if not subj and node.dep_ == "advcl" and node.tag_ == "VBG":  # "rejected X, calling it Y"
                    subj = [c for c in node.head.children if c.dep_ in _SUBJ]
                if subj:
                    return subj
            child, node = node, node.head
        return []

    def speaker(self, tok: Token) -> tuple[list[Party], str]:
        """Who says the words ``tok`` stands in: the subject of a verb of saying
        above it, an "according to" phrase, else the quotation's speaker."""
        node = tok
        for _ in range(12):
            for c in node.children:
                if c.lower_ == "according" and c.dep_ == "prep":
                    for to in c.children:
                        for pobj in to.children:
                            parties, _ = self.resolve(pobj)
                            if parties:
                                return parties, "according to"
            if node.head == node:
                break
            node = node.head
        for subj in self._speech_subject(tok):  # several when a dateline is misparsed as one
            if subj.i != tok.i and subj.lower_ not in _FIRST_PERSON:
                parties, how = self.resolve(subj)
                if parties:
                    return parties, "speaker"
        if self.unit.in_quote(tok.idx) and self.unit.quote_speaker:
            return list(self.unit.quote_speaker), "quote"
        return [], ""

    # actors
    def clause_actor(self, verb: Token, depth: int = 0) -> tuple[list[Token], str]:
        """Tokens naming who performs ``verb`` (subject, agent, controller)."""
        if depth > 4:
            return [], ""
        passive = any(c.dep_ in _PASSIVE_MARKS for c in verb.children)
        if passive:
            agents = [p for c in verb.children if c.dep_ == "agent" for p in c.children if p.dep_ == "pobj"]
            if not agents and verb.lemma_.lower() in word_class("raising"):
                subj = [c for c in verb.children if c.dep_ == "nsubjpass"]
                return subj, "subject"  # "the US is set to discuss"
            return (agents, "agent") if agents else ([], "passive")
        subj = [c for c in verb.children if c.dep_ in _SUBJ]
        if subj:
            return subj, "subject"
        head = verb.head
        if head == verb:
            return [], ""
        main = self.main_act(verb) or _misattached_conjunct(verb)
        if main is not None:  # "said X was unacceptable and accused ...": the sayer accuses
            return self.clause_actor(main, depth + 1)
        if verb.dep_ in ("acomp", "attr", "oprd", "conj", "xcomp") or (verb.dep_ == "advcl" and verb.tag_ == "VBG"):
            if verb.dep_ == "xcomp":
                objs = [c for c in head.children if c.dep_ == "dobj"]
                if objs and head.lemma_.lower() not in _CONTROL_SKIP:
                    return objs, "object control"
            toks, how = self.clause_actor(head, depth + 1)
            return toks, how
        if verb.dep_ == "pcomp" and head.dep_ == "prep":
            gov = head.head
            objs = [c for c in gov.children if c.dep_ == "dobj" and (c.i in self.alias_at or c.pos_ == "PRON")]
            if objs and head.lower_ in ("of", "for"):  # "accuses Russia of massing troops"
                return objs, "object of " + gov.lemma_
            return self.clause_actor(gov, depth + 1)
        if verb.dep_ == "acl" and head.pos_ in ("PROPN", "NOUN"):
            return [head], "modified noun"
        return [], ""

    def main_act(self, verb: Token) -> Token | None:
        """The main act a subjectless act verb is coordinated with when the
        parser hung it on a reported clause ("Putin said X was unacceptable and
        accused ...", "demanded that the West act, accusing ..."): acts of
        speaking coordinate with acts of speaking, not with what is said."""
        if verb.pos_ != "VERB" or not _is_act_verb(verb, self.speech):
            return None
        participle = verb.dep_ in ("advcl", "acl")
        if participle:  # "..., accusing the United States of ...": an aside on the main act
            if verb.tag_ != "VBG" or verb.left_edge.i == 0 or self.tokens[verb.left_edge.i - 1].text != "," or any(
                    c.dep_ == "mark" for c in verb.children):
                return None
        elif verb.dep_ != "conj":
            return None
        node, crossed = verb.head, participle
        for _ in range(6):
            if node.pos_ in ("VERB", "AUX") and _is_act_verb(node, self.speech):
                if crossed and node.dep_ == "advcl" and node.tag_ == "VBG" and _is_act_verb(node.head, self.speech):
                    return node.head  # "rejected X, saying Y was ..., and accused Z"
                return node if crossed else None
            if node.dep_ in ("ccomp", "acl", "advcl", "relcl"):
                crossed = True
            elif node.dep_ not in ("conj", "xcomp", "pcomp", "prep", "dobj", "pobj", "attr", "acomp"):
                return None
            if node.head == node:
                return None
            node = node.head
        return None

    def noun_owner(self, noun: Token, mobilize: bool) -> list[Party]:
        """Parties owning a nominal cue ("Moscow's demands", "US proposal",
        "a buildup of Russian troops")."""
        toks: list[Token] = []
        origin: list[Token] = []
        for c in noun.children:  # places ("at the Ukrainian border") do not own
            if c.dep_ in ("poss", "compound", "amod", "nmod", "nummod"):
                toks += self.region(c, {"of"})
            elif c.dep_ == "prep" and (c.lower_ == "by" or (mobilize and c.lower_ == "of")):
                for p in c.children:
                    toks += self.region(p, {"of"})
            elif c.dep_ == "prep" and mobilize and c.lower_ == "from":
                for p in c.children:
                    origin += self.region(p)
        owners = self.parties_in(toks) or self.parties_in(origin)
        if not owners and mobilize:  # "its military build-up": whose forces "its" stands for
            for c in noun.children:
                if c.dep_ == "poss" and c.pos_ == "PRON" and c.lower_ not in _FIRST_PERSON:
                    owners = self.resolve(c, noun)[0]
        return owners

    def governing_verb(self, tok: Token) -> Token | None:
        """The verb a nominal word is the object of ("made demands",
        "responded with a rebuke", "warned of consequences")."""
        node = tok
        for _ in range(3):
            if node.dep_ in ("dobj", "attr", "oprd", "nsubjpass", "appos", "conj", "npadvmod"):
                node = node.head
            elif node.dep_ == "pobj" and node.head.dep_ in ("prep", "agent"):
                node = node.head.head
            elif node.dep_ == "compound":
                node = node.head
                continue
            else:
                return None
            if node.pos_ in ("VERB", "AUX"):
                return node
        return None


# --- polarity and embedding ----------------------------------------------------------------------

def _negated(tok: Token, det_no: bool = True) -> bool:
    for c in tok.children:
        if c.dep_ == "neg" or (det_no and c.dep_ == "det" and c.lower_ in ("no", "neither")):
            return True
        if det_no and c.dep_ == "dobj" and tok.pos_ == "VERB" and any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children):
            return True  # "placed no troops on alert"
        if c.dep_ == "advmod" and c.lower_ in ("never", "not"):
            return True
    return False


def _negated_frame(tok: Token) -> bool:
    """Is an infinitive act the purpose of a decision or plan said not to
    exist ("no decision had been taken to deploy", "has no plans to send")?"""
    if tok.pos_ != "VERB" or tok.dep_ not in ("acl", "advcl", "xcomp") or not any(
            c.dep_ == "aux" and c.lower_ == "to" for c in tok.children):
        return False
    head = tok.head
    frames = [head] if head.pos_ == "NOUN" else [
        c for c in head.children if c.dep_ in ("nsubjpass", "dobj") and c.pos_ == "NOUN"]
    return any(d.dep_ == "det" and d.lower_ == "no" for f in frames for d in f.children)


def _clause_verb(tok: Token) -> Token:
    node = tok
    for _ in range(4):
        if node.pos_ in ("VERB", "AUX") or node.head == node:
            return node
        if node.dep_ in ("acomp", "attr", "dobj", "pobj", "prep", "amod", "compound", "nsubj", "nsubjpass", "xcomp"):
            node = node.head
        else:
            return node
    return node


def _word_in(tok: Token, words: frozenset[str]) -> bool:
    """Is the token one of ``words``, by lemma or by a plain inflection of its
    form (the lemmatizer sometimes errs: "hoped" -> "hop")."""
    low = tok.lower_
    return (tok.lemma_.lower() in words or low in words or low[:-1] in words or low[:-2] in words
            or (low.endswith("ing") and low[:-3] + "e" in words))



def _hypothetical(tok: Token, sent: _Sentence) -> str:
    """Why the act at ``tok`` is not asserted as performed ('' when it is)."""
    conditions = word_class("condition")
    hedges = word_class("hedge")
    path = _path(tok)
    clause = _clause_verb(tok)
    if any(t.dep_ == "csubj" for t in path):
        return "infinitival subject"  # "Not to agree would mean ...", "To say X is ..."
    subject_noun = tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass")
    for node in [clause] + ([tok] if tok != clause else []):
        if subject_noun and node is clause:
            continue  # "the build-up could be a tactic": the hedge is on what is said of it
        if any(c.dep_ == "aux" and c.lower_ in hedges for c in node.children):
            return "hedged"
    for node in path[:8]:
        if any(c.dep_ == "mark" and c.lower_ in conditions for c in node.children):
            return "conditional"
        if node.dep_ in ("ccomp", "relcl", "parataxis") or node.lemma_.lower() in sent.speech:
            break
    hyp = word_class("hypothetical") | word_class("denial")
    for child, node in zip(path, path[1:]):
        if child.dep_ == "prep" and child.lower_ in _ADVERBIAL_PREPS:
            break
        if child.dep_ == "prep" and node.pos_ in ("NOUN", "ADJ") and any(
                g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") for g in child.children):
            continue  # "concern about a buildup", "fears over the rally of troops": the thing is real
        if child.dep_ == "csubj":
            return "infinitival subject"  # "Not to agree would mean ..."
        if _word_in(node, hyp) and child.dep_ in _EMBEDDING:
            return "under " + node.lemma_.lower()
        if node.lemma_.lower() in sent.speech:
            break
    end = sent.question_end
    if end is not None and (not sent.unit.in_quote(tok.idx) or any(
            a <= tok.idx < b and b >= end for a, b in sent.unit.quote_spans)):
        return "question"  # also a quoted question ending the sentence: "Are we deploying missiles ...?"
    return ""


def _embedded_in(tok: Token, heads: dict[int, str], etype: str, sent: _Sentence) -> str:
    """The cue word above ``tok`` whose content it is ('' if none). Forces on
    the move stay events when reported inside an accusation or warning."""
    head = tok.head
    if tok.pos_ == "VERB" and tok.tag_ == "VB" and tok.dep_ == "conj" and head.i in heads \
            and head.tag_ in ("VBD", "VBZ", "VBP") and not any(c.dep_ in _SUBJ + ("aux",) for c in tok.children):
        return head.lemma_.lower()  # "called on Russia to de-escalate and withdraw its forces": what is asked
    main = sent.main_act(tok) or _misattached_conjunct(tok) if tok.pos_ == "VERB" else None
    path = _path(main) if main is not None else _path(tok)  # a sibling of the main act
    relative = False
    for child, node in zip(path, path[1:]):
        if child.dep_ == "prep" and child.lower_ in _ADVERBIAL_PREPS:
            return ""
        if relative and not (node.i in heads and node.lemma_.lower() in content_nouns()):
            continue  # above a relative clause, only a demand's content embeds it
        if _circumstantial(child):
            return ""  # "..., with Peskov accusing the EU", "rejecting X while offering talks"
        if node.lemma_.lower() in word_class("characterise") and node.dep_ == "advcl" and node.tag_ == "VBG" \
                and child.dep_ in ("oprd", "xcomp"):
            return ""  # "rejected the claims, calling them an attempt to ...": a characterisation of its own
        if etype == "MOBILIZE" and child != tok and child.dep_ == "acl" and child.tag_ == "VBN" and any(
                c.dep_ == "agent" for c in child.children):
            return ""  # "tensions caused by its build-up": the build-up is reported as a fact
        if child.dep_ in ("relcl", "acl") and (any(
                c.lower_ in _RELATIVE and c.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") for c in child.children)
                or node.lemma_.lower() not in content_nouns() and any(c.dep_ in _SUBJ + ("nsubjpass",) for c in child.children)):
            if node.i in heads and node.lemma_.lower() in content_nouns() and node.lemma_.lower() in vocabulary()["noun"]:
                return node.lemma_.lower()  # "Russia's request that would require ...": its content
            relative = True  # "guarantees that Moscow is seeking": a relative clause asserts
            continue
        if child.dep_ == "relcl" and node.i in heads and not any(c.dep_ in _SUBJ for c in child.children) and any(
                c.dep_ == "aux" and c.lower_ == "to" for c in child.children):
            return node.lemma_.lower()  # "no reason to sit down": an infinitive is the noun's content
        if child.dep_ == "relcl":
            if node.i in heads and node.lemma_.lower() in content_nouns():
                return node.lemma_.lower()  # "demands that NATO deny membership": the content
            return ""
        if node.lemma_.lower() in sent.speech and child.dep_ == "ccomp" and _same_speaker(child, node, sent):
            return ""  # "Grushko insisted that Russia could not agree": one's own stance
        if etype == "MOBILIZE" and node.lemma_.lower() in sent.speech and node.dep_ == "advcl" and node.tag_ == "VBG" \
                and child.dep_ == "ccomp":
            return ""  # "brushed aside the warnings, saying the movement of troops was ...": a fact stated in an aside
        if node.i in heads and child.dep_ in _EMBEDDING | {"nsubj", "nsubjpass", "amod", "compound", "appos"}:
            if child.dep_ in ("nsubj", "nsubjpass") and child != tok:
                continue
            upper = heads[node.i]
            if etype == "MOBILIZE" and upper in ("ACCUSE", "THREATEN"):
                if tok.pos_ == "VERB" or tok.lemma_.lower() in word_class("buildup") or (
                        tok.i >= 2 and sent.tokens[tok.i - 2].lemma_.lower() in word_class("buildup")):  # build-up
                    return ""  # "accuses Russia of massing troops"
                return node.lemma_.lower()  # "complained about the deployment of warships": habitual
            return node.lemma_.lower()
        if node.dep_ in ("relcl",) and node != tok:
            pass
    return ""


@lru_cache(maxsize=1)
def _act_verbs() -> frozenset[str]:
    """Lemmas of verb cues for acts of speaking (demand, reject, accuse, warn
    ...). Left out: physical acts (build-ups, pullbacks: cues on forces) and
    cues that count only as someone's words ("ignored", "expect")."""
    singles, _ = cue_index()

    def physical(c: Cue) -> bool:  # "mass troops", "pull back", "withdraw forces"
        return c.event_type == "MOBILIZE" or c.event_type == "ACCEPT" and bool(c.particle) or any(
            "force" in r for r in c.requires)

    def speaking(c: Cue) -> bool:
        return not any(r in ("noun", "said", "speaker") for r in c.requires)
    return frozenset(lemma for lemma, cues in singles.items()
                     if any(speaking(c) for c in cues) and not any(physical(c) for c in cues))


def _misattached_conjunct(verb: Token) -> Token | None:
    """The verb a finite verb is really coordinated with when the parser hung
    it on an infinitive ("called on Moscow to return to talks and offered to
    host them": "offered" goes with "called", not with "return")."""
    head = verb.head
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBZ") or head.tag_ != "VB" or head.dep_ != "xcomp" \
            or not any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return None
    return head.head if head.head.pos_ in ("VERB", "AUX") else None


def _is_act_verb(tok: Token, speech: frozenset[str]) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in speech or lemma in _act_verbs()


def _same_speaker(clause: Token, verb: Token, sent: _Sentence) -> bool:
    """Is the subject of a reported clause the speaker itself?"""
    inner = [c for c in clause.children if c.dep_ in _SUBJ]
    outer = [c for c in verb.children if c.dep_ in _SUBJ]
    if not inner or not outer:
        return False
    a = {(p.code, p.name) for p in sent.resolve(inner[0])[0]}
    b = {(p.code, p.name) for p in sent.resolve(outer[0])[0]}
    return bool(a) and a == b


def _circumstantial(tok: Token) -> bool:
    """A participial or absolute clause beside its head, not the head's content:
    "..., with Peskov accusing the EU", "rejecting a veto while offering talks"."""
    if tok.dep_ == "prep" and tok.lower_ == "with":
        return any(g.tag_ == "VBG" or any(h.tag_ == "VBG" and h.dep_ == "acl" for h in g.children)
                   for g in tok.children)
    if tok.dep_ == "advcl":
        return any(m.dep_ == "mark" and m.lower_ in ("while", "as", "whereas", "although", "though")
                   for m in tok.children)
    return False


def _aggression_condition(tok: Token, sent: _Sentence) -> bool:
    """Is the act conditioned on another party's hostile act ("London would
    send troops if Russia invaded", "ready to cut Russia off if it attacked")?
    Such an act is a warning (gold decision 8)."""
    node = tok
    for _ in range(6):
        for c in node.children:
            if c.dep_ == "advcl" and any(m.dep_ == "mark" and m.lower_ in ("if", "should", "unless")
                                         for m in c.children) and _hostile(c):
                return True
        if node.head == node or node.dep_ in ("ccomp", "parataxis") or node.lemma_.lower() in sent.speech:
            break
        node = node.head
    return False


def _hostile(verb: Token) -> bool:
    """Does the clause of ``verb`` report a hostile act: an aggression verb
    ("invaded"), a move against someone ("moved against Ukraine"), or the
    launch of an aggression ("launched an offensive")?"""
    if verb.lemma_.lower() in word_class("aggression_verb"):
        return True
    for c in verb.children:
        if c.dep_ == "prep" and c.lower_ == "against" and verb.pos_ == "VERB":
            return True
        if c.dep_ == "dobj" and c.lemma_.lower() in word_class("aggression"):
            return True
    return False


def _precrisis(tok: Token, mentions: list[tuple[DateMention, Token]]) -> bool:
    """True when a date before the crisis is attached to the cue's clause
    ("in 2008 NATO promised", "objected ... in the 1990s")."""
    clause = _clause_verb(tok)
    clauses = [clause, tok]
    node = clause
    while node.dep_ == "conj" and len(clauses) < 8:  # "In 2014, Russia annexed Crimea and backed ..."
        node = node.head
        clauses.append(node)
    for mention, root in mentions:
        if mention.date is None or mention.date >= CRISIS_START:
            continue
        if mention.source == "explicit" and not _YEAR.search(mention.text):
            continue  # "in early January" said in December: the year is only a guess
        if _clause_verb(root) in clauses:
            return True
    return False


# --- requirements -------------------------------------------------------------------------------

def _has_force(tokens: Iterable[Token]) -> bool:
    force = word_class("force")
    return any(t.lemma_.lower() in force for t in tokens)


def _factual_warning(tok: Token, sent: _Sentence) -> bool:
    """Does a warning state another party's act as a fact ("warned that Moscow
    was preparing a pretext to invade", "warned that Russia had moved troops")?
    Such a warning alleges; a threat speaks of what will or would follow."""
    prospective = word_class("prospective")
    conditions = word_class("condition")
    warner = {(p.code, p.name) for s in sent.clause_actor(tok)[0] for p in sent.resolve(s, tok)[0]}
    for c in tok.children:
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        if any(t.dep_ == "aux" and t.lower_ in prospective or t.dep_ == "mark" and t.lower_ in conditions
               for t in c.subtree):
            continue
        if any(t.lemma_.lower() in _threat_words() for t in c.subtree):
            continue
        subj = {(p.code, p.name) for s in c.children if s.dep_ == "nsubj" and s.pos_ in ("NOUN", "PROPN", "PRON")
                for p in sent.resolve(s, c)[0]}
        if subj and subj - warner:
            return True
    return False


@lru_cache(maxsize=1)
def _threat_words() -> frozenset[str]:
    """Head lemmas of THREATEN cues (consequences, sanctions ...)."""
    singles, phrases = cue_index()
    cues = [c for group in list(singles.values()) + list(phrases.values()) for c in group]
    return frozenset(c.words[c.head] for c in cues if c.event_type == "THREATEN" and "leads_to" not in c.requires
                     and c.words[c.head] != "warn")


def _engaging(tok: Token) -> bool:
    """A word of talks or of a concession (talks, negotiate, sit, accept, agree)."""
    lemma = tok.lemma_.lower()
    if _word_in(tok, word_class("talks") | word_class("talk_verb")):
        return True
    singles, _ = cue_index()
    return any(c.event_type in ("OFFER", "ACCEPT") and not c.requires - {"verb"} for c in singles.get(lemma, ()))


def _reciprocal_subject(tok: Token, sent: _Sentence) -> bool:
    """Is the subject both sides at once ("the sides", "both leaders", "the two
    countries")?"""
    subj, _ = sent.clause_actor(tok)
    reciprocal = word_class("reciprocal")
    return any(s.lemma_.lower() in reciprocal or any(c.lower_ in reciprocal and c.dep_ in ("det", "nummod", "predet")
                                                     for c in s.children) for s in subj)


def _requirements_met(match: CueMatch, sent: _Sentence) -> bool:
    tok = sent.tokens[match.head]
    req = match.cue.requires
    pos = tok.pos_
    if "verb" in req and pos not in ("VERB", "AUX"):
        return False
    if "verb" in req and match.cue.event_type == "MOBILIZE" and tok.dep_ == "amod":
        return False  # "reinforced forward battalions": a participle describes, it reports no act
    if "noun" in req and pos not in ("NOUN", "PROPN"):
        return False
    deps = {c.dep_ for c in tok.children}
    objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
    if not objs and tok.dep_ == "relcl" and tok.pos_ == "VERB" and tok.head.pos_ == "NOUN" and any(
            c.dep_ in _SUBJ for c in tok.children):
        objs = [tok.head]  # "the troops it has massed": the noun is the relative clause's object
    with_objs = [p for c in tok.children if c.dep_ == "prep" and c.lower_ in ("with", "of") for p in c.children]
    if "obj=force" in req:  # "military potential" names no forces: adjectives do not count
        if not any(_has_force(t for t in sent.region(o, {"of"}) if t.dep_ != "amod") for o in objs + with_objs):
            return False
    if "obj=claim" in req:
        claims = word_class("claim")
        if not any(o.lemma_.lower() in claims for o in objs):
            return False
    if "obj=endangered" in req and not any(o.lemma_.lower() in word_class("endangered") for o in objs):
        return False
    if "not_obj=endangered" in req and any(o.lemma_.lower() in word_class("endangered") for o in objs):
        return False  # "is threatening Russia's security": an accusation, not a threat of consequences
    if "not_contingency" in req and any(
            c.dep_ == "prep" and c.lower_ == "for" and any(p.lemma_.lower() in word_class("contingency") for p in c.children)
            for c in tok.children):
        return False  # "the army is ready for any scenario": preparedness, not an offer
    if "not_imposed" in req:
        verb = sent.governing_verb(tok)
        if verb is not None and verb.lemma_.lower() in word_class("impose") and verb.tag_ in ("VBD", "VBN") and not any(
                c.dep_ == "aux" and c.lower_ in word_class("prospective") for c in verb.children):
            return False  # "announced sanctions on two banks": a penalty imposed, not threatened
    if "of_concession" in req and not any(
            c.dep_ == "prep" and c.lower_ == "of" and any(t.lemma_.lower() in word_class("concession") for t in c.subtree)
            for c in tok.children):
        return False  # "no signs of de-escalation" (not "no sign of progress")
    if "obj=any" in req and not objs:
        return False
    if "comp" in req and not (deps & {"xcomp", "ccomp"} or (tok.pos_ == "NOUN" and "acl" in deps) or any(c.dep_ == "prep" and c.lower_ in ("to", "for") for c in tok.children)
                              or len(match.cue.words) > 1):
        return False
    if "comp_xcomp" in req and "xcomp" not in deps and "ccomp" not in deps:
        return False
    if "obj_or_comp" in req and not (objs or deps & {"xcomp", "ccomp"}):
        return False
    if "pred" in req and tok.dep_ not in ("ROOT", "acomp", "attr", "oprd", "ccomp", "xcomp", "conj", "advcl", "relcl"):
        return False
    if "pred_or_obj" in req and tok.dep_ not in ("ROOT", "acomp", "attr", "oprd", "dobj", "pobj", "conj"):
        return False
    mobilize = match.cue.event_type == "MOBILIZE"
    if "mod=party_or_light" in req and not sent.noun_owner(tok, mobilize) and not _light_owner(tok, sent):
        return False  # "Moscow's demands", "Putin reiterated the ultimatum", "the ultimatum he made"
    if "not_subj" in req and tok.dep_ in ("nsubj", "nsubjpass"):
        return False  # a demand as the subject of another verb: see ultimatum.extract.nominal
    if "stance" in req:
        verb = tok.head if tok.dep_ in ("acomp", "oprd") else tok
        if not any(c.dep_ in _SUBJ and c.lemma_.lower() in word_class("stance") for c in verb.children):
            return False  # "the alliance's position remained unchanged"
    if "not_back" in req and any(c.lower_ in ("back", "home") and c.dep_ in ("prt", "advmod") for c in tok.children):
        return False  # "ordered troops back to base" is a pullback, not a deployment
    if "obj=stance" in req and not any(o.lemma_.lower() in word_class("stance") for o in objs):
        return False  # "will not abandon its open-door policy"
    if "obj=content" in req and not any(o.lemma_.lower() in content_nouns() for o in objs):
        return False  # "it needs security guarantees"
    if "obj_xcomp" in req and not (objs and "xcomp" in deps):
        return False  # "warned Western countries not to dismiss ..."
    if "mod=party" in req and not sent.noun_owner(tok, mobilize):
        return False
    if "mod=force" in req or "mod=force_or_party" in req:
        mods = [t for c in tok.children if c.dep_ in ("compound", "amod", "nmod", "poss", "prep") for t in c.subtree]
        ok = _has_force(mods) or ("mod=force_or_party" in req and sent.noun_owner(tok, mobilize))
        if not ok:
            return False
    if "held" in req:
        held = (tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in word_class("hold")) or \
            (tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ == "VERB")
        if not held and not sent.noun_owner(tok, True):
            return False
    if "modal" in req:
        if tok.lower_ in ("must", "should") and tok.dep_ != "aux":
            return False
        if any(c.dep_ in _SUBJ and c.i > tok.i for c in tok.head.children) and tok.i < tok.head.i:
            return False  # "should Russia take steps": an inverted condition
        if tok.lemma_.lower() in ("need", "have") and not any(
                c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in tok.children):
            return False
    if "subj=force" in req:
        subj, _ = sent.clause_actor(tok)
        if not any(_has_force(sent.region(s)) for s in subj):
            return False
    if match.cue.event_type == "DEMAND" and any(
            c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)
            for c in tok.children):
        return False  # "asked whether ..." is a question
    if "subj=party" in req:
        subj, _ = sent.clause_actor(tok)
        if not any(sent.resolve(s)[0] for s in subj):
            return False
    if "subj=aggression" in req:
        subj = [c for c in tok.children if c.dep_ in ("nsubj", "nsubjpass")]
        if not any(t.lemma_.lower() in word_class("aggression") | {"aggression"} for t in subj):
            return False  # "any incursion would be met with a response"
    if "if_aggression" in req and not _aggression_condition(tok, sent):
        return False
    if "leads_to" in req:
        node = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ in ("to", "towards", "toward", "into") else \
            tok.head if tok.dep_ in ("dobj", "attr") else None
        if node is not None and node.pos_ in ("ADV", "ADJ"):
            node = node.head  # "move closer towards a confrontation"
        if node is None or node.lemma_.lower() not in word_class("lead"):
            return False  # "would lead to war", "would mean a big confrontation"
    if "alleged" in req and _intent_above(tok) is None and not _reported_aggression(tok, sent):
        return False  # "preparing for a possible invasion", "warned of an invasion"
    if "voiced" in req:
        verb = sent.governing_verb(tok)
        if verb is None or verb.lemma_.lower() not in word_class("voice"):
            return False  # "voiced concern about the buildup"
    if "not_of_aggression" in req and any(
            c.dep_ == "prep" and c.lower_ == "of" and any(p.lemma_.lower() in word_class("aggression") for p in c.children)
            for c in tok.children):
        return False  # "warned of a potential invasion" alleges, it does not threaten
    if "factual_warning" in req and not _factual_warning(tok, sent):
        return False
    if "not_factual_warning" in req and _factual_warning(tok, sent):
        return False  # "warned that Moscow was preparing a pretext to invade": an allegation
    if "to_engage" in req and not any(
            c.dep_ in ("acl", "xcomp", "relcl") and any(_engaging(t) for t in c.subtree) for c in tok.children):
        return False  # "no reason to sit down for new talks" (not "no reason to believe ...")
    if "not_reciprocal" in req and _reciprocal_subject(tok, sent):
        return False  # "the sides still disagreed on ...": no party refuses another
    if "suggestion" in req:
        for c in tok.children:
            if c.dep_ == "ccomp" and not (c.tag_ == "VB" and not any(a.dep_ == "aux" for a in c.children)) \
                    and not any(a.lower_ in ("should", "could") for a in c.children):
                return False  # "suggested this remains an open question": a statement
    if "mandative" in req:
        for c in tok.children:
            if c.dep_ == "ccomp" and any(a.dep_ == "aux" and a.lower_ in ("will", "would", "'ll") for a in c.children):
                return False  # "insists that X will harm its security": a claim, not a demand
    if "no_det" in req and match.end - match.start > 1 and sent.tokens[match.end - 1].dep_ == "det":
        return False  # "said no decision had been taken"
    if "numbered" in req:
        if not any(c.dep_ == "nummod" or c.dep_ == "prep" and c.lower_ == "of" and c.head.i > c.i for c in tok.children) \
                and not any(c.dep_ == "pobj" and c.head.lower_ == "of" and c.head.head.pos_ == "NUM" for c in [tok]):
            return False
        if not sent.noun_owner(tok, True):
            return False
        if not any(c.dep_ == "prep" and c.lower_ in word_class("near") for c in tok.children):
            return False  # "100,000 Russian troops near the border"
    if "assessment" in req:
        own = {(p.code, p.name) for s in sent.clause_actor(tok)[0] for p in sent.resolve(s)[0]}
        if not own or not any(
                c.dep_ == "ccomp" and _has_force(c.subtree) | any(t.lemma_.lower() in word_class("aggression") for t in c.subtree)
                and any(s.dep_ in _SUBJ and {(p.code, p.name) for p in sent.resolve(s)[0]} - own for s in c.children)
                for c in tok.children):
            return False  # "intelligence estimated that Russia had moved 70,000 troops"
    if "self_determination" in req and not any(
            t.lemma_.lower() in word_class("self_determination") for t in tok.subtree):
        return False  # "the right to choose its own path"
    if "without" in req and not any(t.lower_ == "without" for t in sent.tokens[tok.i + 1:]):
        return False  # "no talks ... without our allies"
    if "obj=talks" in req and not any(o.lemma_.lower() in word_class("talks") for o in objs):
        return False  # "is considering a dialogue"
    if "talk_comp" in req:
        comps = [c for c in tok.children if c.dep_ in ("xcomp", "ccomp")]
        if not any(c.lemma_.lower() in word_class("talk_verb") and (
                c.lemma_.lower() not in ("hold", "enter", "resume", "continue", "begin", "start")
                or any(o.lemma_.lower() in word_class("talks") for o in c.children if o.dep_ == "dobj"))
                for c in comps):
            return False  # "set to enter talks", "set to discuss"
    if "subj=door" in req:
        subj = [c for c in (tok.head.children if tok.dep_ == "acomp" else tok.children) if c.dep_ in _SUBJ]
        if not any(s.lemma_.lower() in word_class("door") and any(
                t.lemma_.lower() in word_class("talks") for t in s.subtree) for s in subj):
            return False  # "the door to a diplomatic solution remains open"
    return True


# --- one cue to rows ----------------------------------------------------------------------------

def _actors(match: CueMatch, sent: _Sentence) -> tuple[list[Party], str]:
    tok = sent.tokens[match.head]
    req = match.cue.requires
    if "modal" in req or "said" in req or (tok.lower_ == "necessary") or "speaker" in req and tok.pos_ == "ADJ":
        return sent.speaker(tok)
    toks: list[Token] = []
    how = ""
    if "alleged" in req:
        return _alleger(tok, sent)
    if tok.pos_ in ("NOUN", "PROPN", "NUM") and (tok.dep_ != "ROOT" or not any(
            t.pos_ in ("VERB", "AUX") for t in sent.tokens)) or (tok.pos_ == "ADJ" and tok.dep_ == "amod"):
        owner = sent.noun_owner(tok, match.cue.event_type == "MOBILIZE")
        if owner and "speaker" not in req:
            return owner, "owner"
        if "mod=party_or_light" in req:
            owner = _light_owner(tok, sent)
            if owner:
                return owner, "light verb subject"
        if match.cue.event_type == "MOBILIZE" and tok.pos_ == "NOUN" and tok.dep_ in ("nsubj", "nsubjpass", "ROOT") \
                and any(c.dep_ == "det" and c.lower_ in ("this", "the", "that") for c in tok.children):
            # "This build-up ...": the build-up the article reported last
            _, parties = sent.unit.memory.latest(sent.unit.sentence_id, ("MOBILIZE",), 10)
            return (parties, "earlier build-up") if parties else ([], "")
        verb = sent.governing_verb(tok)
        if verb is not None:
            lemma = verb.lemma_.lower()
            if lemma in word_class("patient"):
                how = "patient"
            elif lemma in word_class("light") | word_class("hold") or lemma in sent.speech or tok.dep_ == "pobj":
                toks, how = sent.clause_actor(verb)
            elif lemma == "be":
                pass  # "there will be no talks without ...": the speaker's statement
            else:
                return [], ""  # "consider the offer": someone else's act, named as an object
    else:
        toks, how = sent.clause_actor(tok)
    blocked = False
    for t in toks:
        parties, why = sent.resolve(t, tok)
        if parties:
            return parties, f"{how}:{why}" if why != "alias" else how
        blocked = blocked or why == "none"
    if blocked:
        return [], ""
    if toks and how in ("subject", "agent") and all(t.pos_ in ("NOUN", "PROPN") for t in toks) \
            and match.cue.event_type in ("MOBILIZE",):
        speakers = sent._speech_subject(tok)  # "Russia's defence ministry said 8,000 troops had completed drills"
        if any(t.lemma_.lower() in word_class("military_body") for s in speakers for t in sent.region(s)):
            parties, _ = sent.speaker(tok)
            if parties:
                return parties, "speaker (its own forces)"
        return [], ""
    parties, how = sent.speaker(tok)
    if not parties and match.cue.event_type in ("THREATEN", "REJECT") and sent.unit.reported_by \
            and not any(t.lemma_.lower() in sent.speech for t in sent.tokens):
        return list(sent.unit.reported_by), "speaker of the sentence before"  # continued reported speech
    return parties, how


def _mention_roots(doc: Sequence[Token], mentions: list[DateMention]) -> list[tuple[DateMention, Token]]:
    out = []
    for m in mentions:
        toks = [t for t in doc if m.start <= t.idx < m.end]
        if not toks:
            continue
        inside = {t.i for t in toks}
        root = next((t for t in toks if t.head.i not in inside or t.head == t), toks[0])
        out.append((m, root))
    return out



def _event_date(tok: Token, roots: list[tuple[DateMention, Token]], published: str) -> tuple[str, str, str]:
    best = None
    for mention, root in roots:
        if mention.date is None or mention.year_only or mention.date < CRISIS_START:
            continue
        dist = _tree_distance(tok, root)
        key = (dist, abs(root.i - tok.i))
        if dist <= 6 and (best is None or key < best[0]):
            best = (key, mention)
    if best is None:
        return published, "published", ""
    mention = best[1]
    return mention.date.isoformat(), mention.source, mention.text


def _published_date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def extract_doc(doc: Doc, unit: SentenceUnit) -> list[dict]:
    """Event rows of one sentence, from its own parse ``doc`` (``nlp(unit.text)``)
    and the context in ``unit``. Deterministic; see the module docstring."""
    if not unit.candidate or not usable_sentence(unit.text, len(doc)):
        return []
    sent = _Sentence(doc, unit)
    types = event_types()
    published = unit.published
    matches = [m for m in find_cues(sent.tokens) if _requirements_met(m, sent)]
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
        negated = not modal and _negated(tok, det_no) or (
            m.end - m.start > 1 and any(_negated(sent.tokens[i], det_no) for i in range(m.start, m.end)))
        if not negated and det_no:
            negated = _negated_frame(tok)
        if not negated and tok.pos_ in ("NOUN", "ADJ"):
            verb = sent.governing_verb(tok)
            negated = verb is not None and _negated(verb, det_no) and verb.lemma_.lower() not in word_class("patient")
        if "negated_only" in m.cue.requires and not negated:
            continue
        if negated:
            if not m.cue.negated_type:
                continue
            etype, note = m.cue.negated_type, " negated"
        why_hyp = _hypothetical(tok, sent)
        if etype in ("MOBILIZE", "OFFER") and not negated and _aggression_condition(tok, sent):
            etype, why_hyp, note = "THREATEN", "", " conditioned on aggression"
        if etype == "OFFER" and not negated and any(
                c.dep_ in ("xcomp", "acl") and c.lemma_.lower() in word_class("punitive_verb") for c in tok.children):
            etype, note = "THREATEN", " readiness to punish"  # "ready to impose sanctions"
        if "alleged" in m.cue.requires and (why_hyp == "hedged" or why_hyp.startswith("under ") and
                                            why_hyp[6:] in word_class("intend") | word_class("alleged_frame")):
            why_hyp = ""  # the alleged intent or possibility is the accusation's content
        if "leads_to" in m.cue.requires and why_hyp in ("hedged", "infinitival subject"):
            why_hyp = ""  # "could lead to war", "not to agree would mean confrontation": a warning
        if {"said", "speaker"} & m.cue.requires and why_hyp.startswith("under ") and why_hyp[6:] in word_class("attempt"):
            why_hyp = ""  # "an attempt to re-impose a sphere of influence": what is condemned
        if why_hyp and (not (negated and m.cue.negated_type)
                        or why_hyp in ("conditional", "question", "infinitival subject")):
            continue
        if _precrisis(tok, sent.date_roots):
            continue
        actors, actor_how = nominal_actors.get(head) or _actors(m, sent)
        if not actors:
            continue
        if tok.pos_ == "NOUN" and actor_how == "owner" and etype in ("DEMAND", "OFFER") and any(
                sent.resolve(s)[1] == "none" for s in sent._speech_subject(tok)):
            continue  # "analysts said ..., with Russia's core demand ...": background in a commentator's words and m.cue.words[0] in _proposal_nouns():
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
            if subj and subj[0].lower_ in _FIRST_PERSON:
                continue
        event_date, date_source, date_text = _event_date(tok, sent.date_roots, published)
        info = types[etype]
        cue_text = " ".join(w for w in m.cue.words) + (f" {m.cue.particle}" if m.cue.particle else "")
        rule = (f"cue '{cue_text}'{note} -> {etype}; actor: {actor_how or 'subject'}; "
                f"target: {target_how or 'none'}; date: {date_text or 'published'}")
        target = ";".join(sorted({p.code for p in targets}))
        for party in actors:
            key = (party.code, party.name, etype)
            if key in rows:
                continue
            rows[key] = {
                "article_id": unit.article_id, "sentence_id": unit.sentence_id, "sentence": unit.text,
                "actor": party.code, "actor_name": party.name, "group_alias": party.group_alias,
                "event_type": etype, "role": info["role"], "target": target,
                "topics": sent.topics if etype in _TOPIC_TYPES else "",
                "event_date": event_date, "event_date_source": date_source, "published": published,
                "weight": float(info["weight"]), "rule": rule, "claim_id": "",
            }
    out = list(rows.values())
    mentions = [p for tok in sent.tokens if tok.pos_ == "NOUN" and tok.lemma_.lower() in _mention_nouns()
                for p in sent.noun_owner(tok, False)]
    unit.memory.record(unit.sentence_id, out, mentions)
    return out


def _light_owner(noun: Token, sent: _Sentence) -> list[Party]:
    """Parties performing a nominal act through a light verb: the subject of
    the verb it is the object of ("Putin reiterated the ultimatum", "Russia
    has published a wish list") or of a relative clause on it ("the
    ultimatum he made")."""
    verbs = [c for c in noun.children if c.dep_ == "relcl" and c.lemma_.lower() in word_class("light")]
    if noun.dep_ == "ROOT":  # a misparsed clause: "Russia on Friday published draft demands ..."
        verbs.append(noun)
    if noun.dep_ in ("dobj",) and noun.head.lemma_.lower() in word_class("light"):
        verbs.append(noun.head)
    for verb in verbs:
        for s in verb.children:
            if s.dep_ in _SUBJ and s.lower_ not in _FIRST_PERSON:
                parties = sent.resolve(s, noun)[0]
                if parties:
                    return parties
    return []


def _intent_above(tok: Token) -> Token | None:
    """The verb or noun of intent an act hangs on ("preparing for a possible
    invasion", "plans to attack", "warned of an invasion"), if any."""
    node = tok
    for _ in range(4):
        if node.dep_ not in ("dobj", "pobj", "prep", "xcomp", "pcomp", "advcl", "acl", "compound") or node.head == node:
            return None
        node = node.head
        lemma = node.lemma_.lower()
        if lemma in word_class("intend") or (lemma == "warn" and tok.dep_ == "pobj"):
            return node
    return None


def _reported_aggression(tok: Token, sent: _Sentence) -> bool:
    """A hostile act of a party reported as possible by someone else ("Russia
    could invade at any time, officials said", "Moscow may launch an attack")."""
    verb = tok if tok.pos_ == "VERB" else tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in (
        "launch", "mount", "stage", "carry", "begin", "start") else None
    if verb is None or _negated(verb) or not any(c.dep_ == "nsubj" and sent.resolve(c)[0] for c in verb.children):
        return False
    return bool(sent._speech_subject(verb)) or sent.unit.in_quote(tok.idx)


def _alleger(tok: Token, sent: _Sentence) -> tuple[list[Party], str]:
    """Who alleges another party's hostile intent: the subject of "warn of",
    else the speaker of the clause; never the party said to intend it."""
    intent = _intent_above(tok)
    if intent is None and _reported_aggression(tok, sent):
        intent = tok if tok.pos_ == "VERB" else tok.head
    if intent is None or _negated(intent):
        return [], ""
    if intent.lemma_.lower() == "warn":
        toks, how = sent.clause_actor(intent)
        for t in toks:
            parties, why = sent.resolve(t, intent)
            if parties:
                return parties, f"{how}:{why}" if why != "alias" else how
        return [], ""
    parties, how = sent.speaker(tok)
    subj, _ = sent.clause_actor(intent)
    accused = {(p.code, p.name) for t in subj for p in sent.resolve(t)[0]}
    parties = [p for p in parties if (p.code, p.name) not in accused]
    return parties, how


# --- demands named as nouns ---------------------------------------------------------------------

@lru_cache(maxsize=1)
def _proposal_nouns() -> frozenset[str]:
    return frozenset(w for w, t in vocabulary()["noun"].items() if t == "PROPOSAL")


@lru_cache(maxsize=1)
def _mention_nouns() -> frozenset[str]:
    return frozenset(vocabulary()["noun"]) | {"document"}


def _proposal_type(sent: _Sentence, owner: list[Party], default: str = "OFFER") -> str:
    """DEMAND or OFFER: what the owner's latest demand or offer in the article was."""
    kind, _ = sent.unit.memory.latest(sent.unit.sentence_id, ("DEMAND", "OFFER"), sent.unit.sentence_id + 1,
                                      owner=tuple(owner))
    return kind or default


def _nominal_owner(nom: Nominal, sent: _Sentence) -> tuple[list[Party], str, str]:
    """(owner parties, how found, event type) of a demand named as a noun."""
    noun = sent.tokens[nom.noun]
    memory, sid = sent.unit.memory, sent.unit.sentence_id
    if noun.pos_ == "PRON":  # "They included proposals on ..."
        kind, parties = memory.latest(sid, ("DEMAND", "OFFER"), PRONOUN_REACH)
        return parties, "antecedent", kind if nom.event_type == "PROPOSAL" else nom.event_type
    owner, how = sent.noun_owner(noun, False), "owner"
    if not owner and nom.default == "DEMAND" and sent.tokens[nom.verb].lemma_ == "be":
        # "The demand that ... is one of Russia's long-standing ones"
        for c in sent.tokens[nom.verb].children:
            if c.dep_ == "attr":
                owner = sent.noun_owner(c, False) or sent.parties_in(sent.region(c, {"of"}))
    if not owner:  # "The demands", "The draft proposals": the nearest earlier owner
        kinds = ("NOUN", "DEMAND", "OFFER") if nom.event_type == "PROPOSAL" else ("NOUN", "DEMAND")
        kind, owner = memory.latest(sid, kinds, NOUN_REACH)
        how = "antecedent"
        if kind in ("DEMAND", "OFFER") and nom.event_type == "PROPOSAL":
            return owner, how, kind
    etype = nom.event_type
    if etype == "PROPOSAL" and owner:
        etype = _proposal_type(sent, owner, nom.default)
    return owner, how, etype


def _nominal_matches(sent: _Sentence) -> tuple[list[CueMatch], dict[int, tuple[list[Party], str]]]:
    """Cue matches for demands named as the subject of a content verb, headed
    on that verb, with their owners (see :mod:`ultimatum.extract.nominal`)."""
    matches: list[CueMatch] = []
    owners: dict[int, tuple[list[Party], str]] = {}
    for nom in find_nominals(sent.tokens):
        parties, how, etype = _nominal_owner(nom, sent)
        if not parties or not etype:
            continue
        cue = Cue(f"{nom.lemma} (named as subject)", etype, "", frozenset({"nominal"}), (nom.lemma,), 0, "")
        matches.append(CueMatch(cue, nom.verb, nom.noun, nom.noun + 1))
        owners[nom.verb] = (parties, f"nominal {how}")
    return matches, owners


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
        self.ctx = None

    def __enter__(self):
        if self.names:
            self.ctx = self.nlp.select_pipes(disable=self.names)
        return self.nlp

    def __exit__(self, *exc):
        if self.ctx is not None:
            self.ctx.restore()


def extract_article(article: Mapping, nlp: Language | None = None) -> list[dict]:
    """Event rows of one article row (``article_id``, ``body``, ``published``)."""
    return extract_units(article_units(article), nlp)


def extract_events(articles: pd.DataFrame, nlp: Language | None = None) -> pd.DataFrame:
    """Event table for every article, in article and sentence order."""
    units: list[SentenceUnit] = []
    for article in articles.to_dict("records"):
        units.extend(article_units(article))
    rows = extract_units(units, nlp)
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)
