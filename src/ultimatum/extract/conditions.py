"""Conditions on a cue read off the parse: negation, hypothetical and
embedded acts, pre-crisis background, and the word tests the requirement
checks of :mod:`ultimatum.extract.requirements` share."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from spacy.tokens import Token

from ultimatum.extract.actors import Party
from ultimatum.extract.cues import cue_index
from ultimatum.extract.event_dates import DateMention
from ultimatum.extract.nominal import content_nouns, vocabulary
from ultimatum.extract.sentence import _SUBJ, Sentence, first_person
from ultimatum.extract.wordclasses import word_class
from ultimatum.nlp.parsetree import RELATIVE_PRONOUNS, misattached_conjunct
from ultimatum.nlp.parsetree import path_to_root as _path
from ultimatum.schema import CRISIS_START

#: Dependencies through which a word is the content of the word above it.
_EMBEDDING = {"ccomp", "xcomp", "pcomp", "dobj", "prep", "acl", "attr", "oprd", "dative", "pobj", "advcl"}


#: Prepositions of circumstance: what they govern is not the content of the verb above.
_ADVERBIAL_PREPS = {"despite", "amid", "after", "before", "during", "while", "following", "since"}


_YEAR = re.compile(r"\b(?:1[89]|20)\d\d")  # also "the 1990s"


def _negated(tok: Token, det_no: bool = True) -> bool:
    """Is the word denied: "not", "never", "no" on it; for a verb also
    "neither ... nor" around it ("neither accepted nor rejected", "nor did it
    accept", "Nor has Russia accepted"), "neither" on its subject ("Neither
    Paris nor Berlin accepted"), or "without" before it ("ended without Russia
    accepting", not "no de-escalation without NATO accepting")?"""
    verb = tok.pos_ in ("VERB", "AUX")
    if verb and _denied_by_coordination(tok):
        return True
    if verb and tok.dep_ == "pcomp" and tok.head.lower_ == "without" and not _negative_frame(tok.head.head):
        return True
    for c in tok.children:
        if c.dep_ == "neg" or (det_no and c.dep_ == "det" and c.lower_ in ("no", "neither")):
            return True
        if verb and c.dep_ in ("nsubj", "nsubjpass") and any(
                d.dep_ in ("det", "preconj") and d.lower_ == "neither" for d in c.children):
            return True
        if det_no and c.dep_ == "dobj" and tok.pos_ == "VERB" and any(
                d.dep_ == "det" and d.lower_ == "no" for d in c.children):
            return True  # "placed no troops on alert"
        if c.dep_ == "advmod" and c.lower_ in ("never", "not"):
            return True
    return False


def _denied_by_coordination(verb: Token) -> bool:
    """"neither" before the verb, "nor" before it in its own conjunct, or a
    clause opening with "Nor"."""
    for c in verb.children:
        if c.dep_ == "preconj" and c.lower_ == "neither":
            return True
        if c.dep_ == "cc" and c.lower_ == "nor" and all(t.is_punct for t in c.doc[:c.i]):
            return True
    return verb.dep_ == "conj" and any(
        c.dep_ == "cc" and c.lower_ == "nor" and c.i < verb.i for c in verb.head.children)


def _negative_frame(tok: Token) -> bool:
    """Is the word that "without" hangs on denied ("will not happen without
    ...", "there will be no de-escalation without ...")? Then "without" states
    a condition, not an act left undone."""
    return _negated(tok) or any(c.dep_ == "attr" and _negated(c) for c in tok.children)


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


def _hypothetical(tok: Token, sent: Sentence) -> str:
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
    for child, node in pairwise(path):
        if child.dep_ == "prep" and child.lower_ in _ADVERBIAL_PREPS:
            break
        if child.dep_ == "prep" and (node.pos_ in ("NOUN", "ADJ") or node.tag_ == "VBN") and any(
                g.dep_ == "pobj" and g.pos_ in ("NOUN", "PROPN") for g in child.children):
            continue  # "concern about a buildup", "was alarmed by the rally of troops": the thing is real
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


#: Responses that a verb of the "unperformed" word class negates as "not" would
#: ("declined to reject the proposal": no rejection; "declined to take up the offer": a
#: rejection). Demands, warnings and accusations are left as they are.
UNPERFORMED_TYPES = frozenset({"REJECT", "ACCEPT", "OFFER"})


def _unperformed(tok: Token, etype: str) -> bool:
    """Is the response ``tok`` (of type ``etype``) the complement of a verb
    saying its subject did not do it? "declined to reject", "refrained from
    rejecting", "avoided accepting" deny the act as "not" would; "did not
    decline to accept" denies nothing."""
    if etype not in UNPERFORMED_TYPES or tok.pos_ != "VERB":
        return False
    node = tok.head
    if tok.dep_ == "pcomp" and node.dep_ == "prep" and node.lower_ in ("from", "of"):
        node = node.head  # "refrained from rejecting"
    elif tok.dep_ != "xcomp":  # "declined to reject", "avoided rejecting"
        return False
    return node.pos_ == "VERB" and _word_in(node, word_class("unperformed")) and not _negated(node)


def _embedded_in(tok: Token, heads: dict[int, str], etype: str, sent: Sentence) -> str:
    """The cue word above ``tok`` whose content it is ('' if none). Forces on
    the move stay events when reported inside an accusation or warning."""
    head = tok.head
    if tok.pos_ == "VERB" and tok.tag_ == "VB" and tok.dep_ == "conj" and head.i in heads \
            and head.tag_ in ("VBD", "VBZ", "VBP") and not any(c.dep_ in _SUBJ + ("aux",) for c in tok.children):
        return head.lemma_.lower()  # "called on Russia to de-escalate and withdraw its forces": what is asked
    main = sent.main_act(tok) or misattached_conjunct(tok) if tok.pos_ == "VERB" else None
    path = _path(main) if main is not None else _path(tok)  # a sibling of the main act
    relative = False
    for child, node in pairwise(path):
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
                c.lower_ in RELATIVE_PRONOUNS and c.dep_ in ("dobj", "nsubj", "nsubjpass", "pobj") for c in child.children)
                or (node.lemma_.lower() not in content_nouns() and any(c.dep_ in _SUBJ + ("nsubjpass",) for c in child.children))):
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
                        tok.i >= 2 and sent.tokens[tok.i - 2].lemma_.lower() in word_class("buildup")) or (
                        tok.pos_ == "NOUN" and sent.noun_owner(tok, True) and not _habitual(node)):
                    return ""  # "accuses Russia of massing troops", "concern about NATO drills"
                return node.lemma_.lower()  # "complained about the deployment of warships": habitual
            return node.lemma_.lower()
        if node.dep_ in ("relcl",) and node != tok:
            pass
    return ""


def _habitual(node: Token) -> bool:
    """ "Russia has long complained about ...": a standing grievance, not news."""
    verb = node if node.pos_ in ("VERB", "AUX") else node.head
    return any(c.dep_ == "advmod" and c.lower_ in ("long", "repeatedly", "often", "always", "frequently")
               for c in verb.children)


def _same_speaker(clause: Token, verb: Token, sent: Sentence) -> bool:
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


def _aggression_condition(tok: Token, sent: Sentence) -> bool:
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


def _precrisis(tok: Token, mentions: list[tuple[DateMention, Token]], before: dt.date = CRISIS_START) -> bool:
    """True when a date before the crisis (before ``before``: see
    ``event_dates.background_before``) is attached to the cue's clause
    ("in 2008 NATO promised", "objected ... in the 1990s")."""
    clause = _clause_verb(tok)
    clauses = [clause, tok]
    node = clause
    while node.dep_ == "conj" and len(clauses) < 8:  # "In 2014, Russia annexed Crimea and backed ..."
        node = node.head
        clauses.append(node)
    for mention, root in mentions:
        if mention.date is None or mention.date >= before:
            continue
        if mention.source == "explicit" and not _YEAR.search(mention.text):
            continue  # "in early January" said in December: the year is only a guess
        if _clause_verb(root) in clauses:
            return True
    return False


def _has_force(tokens: Iterable[Token]) -> bool:
    force = word_class("force")
    return any(t.lemma_.lower() in force for t in tokens)


def _factual_warning(tok: Token, sent: Sentence) -> bool:
    """Does a warning state another party's act as a fact ("warned that Moscow
    was preparing a pretext to invade", "warned that Russia had moved troops")?
    Such a warning alleges; a threat speaks of what will or would follow."""
    prospective = word_class("prospective")
    conditions = word_class("condition")
    warner = {(p.code, p.name) for s in sent.clause_actor(tok)[0] for p in sent.resolve(s, tok)[0]}
    for c in tok.children:
        if c.dep_ != "ccomp" or c.pos_ not in ("VERB", "AUX"):
            continue
        if any((t.dep_ == "aux" and t.lower_ in prospective) or (t.dep_ == "mark" and t.lower_ in conditions)
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


def _reciprocal_subject(tok: Token, sent: Sentence) -> bool:
    """Is the subject both sides at once ("the sides", "both leaders", "the two
    countries")?"""
    subj, _ = sent.clause_actor(tok)
    reciprocal = word_class("reciprocal")
    return any(s.lemma_.lower() in reciprocal or any(c.lower_ in reciprocal and c.dep_ in ("det", "nummod", "predet")
                                                     for c in s.children) for s in subj)


def _light_owner(noun: Token, sent: Sentence) -> list[Party]:
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
            if s.dep_ in _SUBJ and not first_person(s.text):
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


def _reported_aggression(tok: Token, sent: Sentence) -> bool:
    """A hostile act of a party reported as possible by someone else ("Russia
    could invade at any time, officials said", "Moscow may launch an attack")."""
    verb = tok if tok.pos_ == "VERB" else tok.head if tok.dep_ == "dobj" and tok.head.lemma_.lower() in (
        "launch", "mount", "stage", "carry", "begin", "start") else None
    if verb is None or _negated(verb) or not any(c.dep_ == "nsubj" and sent.resolve(c)[0] for c in verb.children):
        return False
    return bool(sent._speech_subject(verb)) or sent.unit.in_quote(tok.idx)
