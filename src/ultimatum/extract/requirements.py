"""Cue requirements: the named checks a cue of ``lexicon/cues.csv`` asks of
the parse before it counts. One small function per name, registered in
:mod:`ultimatum.extract.registry`; a cue counts when every check it names
passes (and, for demands, when it is not a question)."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from spacy.tokens import Token

from ultimatum.extract.conditions import (
    _aggression_condition,
    _engaging,
    _factual_warning,
    _has_force,
    _intent_above,
    _light_owner,
    _reciprocal_subject,
    _reported_aggression,
)
from ultimatum.extract.nominal import content_nouns
from ultimatum.extract.registry import CHECKS, marker, requirement
from ultimatum.extract.sentence import _SUBJ, Sentence
from ultimatum.extract.wordclasses import word_class

if TYPE_CHECKING:
    from ultimatum.extract.cues import CueMatch

marker("speaker", "counts only when said by a party: the actor is the speaker (quote or reported speech)")
marker("said", "like speaker, for verbs: the actor must be a speaker, subject or agent")
marker("negated_only", "only the negated cue is an event ('would not budge')")
marker("speaker_or_party", "the actor is the party subject, else the speaker (the default reading, stated)")


@dataclass
class CueContext:
    """A cue found in a parsed sentence, with the parse facts its checks share."""
    match: CueMatch
    sent: Sentence

    @cached_property
    def tok(self) -> Token:
        return self.sent.tokens[self.match.head]

    @property
    def req(self) -> frozenset[str]:
        return self.match.cue.requires

    @property
    def mobilize(self) -> bool:
        return self.match.cue.event_type == "MOBILIZE"

    @cached_property
    def deps(self) -> set[str]:
        return {c.dep_ for c in self.tok.children}

    @cached_property
    def objs(self) -> list[Token]:
        tok = self.tok
        objs = [c for c in tok.children if c.dep_ in ("dobj", "dative")]
        if not objs and tok.dep_ == "relcl" and tok.pos_ == "VERB" and tok.head.pos_ == "NOUN" and any(
                c.dep_ in _SUBJ for c in tok.children):
            objs = [tok.head]  # "the troops it has massed": the noun is the relative clause's object
        return objs

    @cached_property
    def with_objs(self) -> list[Token]:
        return [p for c in self.tok.children if c.dep_ == "prep" and c.lower_ in ("with", "of") for p in c.children]

    def obj_in(self, name: str) -> bool:
        """Some object's lemma is in the word class ``name``."""
        return any(o.lemma_.lower() in word_class(name) for o in self.objs)

    def prep_object_in(self, prep: str, name: str) -> bool:
        """The cue has a ``prep`` phrase whose object's lemma is in the word
        class ``name`` ("ready for any scenario", "warned of an invasion")."""
        return any(c.dep_ == "prep" and c.lower_ == prep and any(
            p.lemma_.lower() in word_class(name) for p in c.children) for c in self.tok.children)

    def subj_parties(self) -> set[tuple[str, str]]:
        return {(p.code, p.name) for s in self.sent.clause_actor(self.tok)[0] for p in self.sent.resolve(s)[0]}


def requirements_met(match: CueMatch, sent: Sentence) -> bool:
    """Whether every requirement the cue names holds on the parse."""
    cx = CueContext(match, sent)
    if not _not_a_question(cx):
        return False
    return all(CHECKS[name](cx) for name in sorted(match.cue.requires) if name in CHECKS)


def _not_a_question(cx: CueContext) -> bool:
    """Every demand: "asked whether ..." is a question, not a demand."""
    return not (cx.match.cue.event_type == "DEMAND" and any(
        c.dep_ == "ccomp" and any(m.dep_ == "mark" and m.lower_ in ("whether", "if") for m in c.children)
        for c in cx.tok.children))


@requirement("verb")
def _verb(cx: CueContext) -> bool:
    """The head is a verb; a MOBILIZE participle that only describes ("reinforced
    forward battalions") reports no act."""
    return cx.tok.pos_ in ("VERB", "AUX") and not (cx.mobilize and cx.tok.dep_ == "amod")


@requirement("noun")
def _noun(cx: CueContext) -> bool:
    return cx.tok.pos_ in ("NOUN", "PROPN")


@requirement("obj=force")
def _obj_force(cx: CueContext) -> bool:
    """An object names forces ("military potential" does not: adjectives do not count)."""
    return any(_has_force(t for t in cx.sent.region(o, {"of"}) if t.dep_ != "amod") for o in cx.objs + cx.with_objs)


@requirement("obj=claim")
def _obj_claim(cx: CueContext) -> bool:
    return cx.obj_in("claim")


@requirement("obj=endangered")
def _obj_endangered(cx: CueContext) -> bool:
    return cx.obj_in("endangered")


@requirement("not_obj=endangered")
def _not_obj_endangered(cx: CueContext) -> bool:
    """ "is threatening Russia's security": an accusation, not a threat of consequences."""
    return not cx.obj_in("endangered")


@requirement("not_contingency")
def _not_contingency(cx: CueContext) -> bool:
    """ "the army is ready for any scenario": preparedness, not an offer."""
    return not cx.prep_object_in("for", "contingency")


@requirement("not_imposed")
def _not_imposed(cx: CueContext) -> bool:
    """ "announced sanctions on two banks": a penalty imposed, not threatened."""
    verb = cx.sent.governing_verb(cx.tok)
    return not (verb is not None and verb.lemma_.lower() in word_class("impose") and verb.tag_ in ("VBD", "VBN")
                and not any(c.dep_ == "aux" and c.lower_ in word_class("prospective") for c in verb.children))


@requirement("of_concession")
def _of_concession(cx: CueContext) -> bool:
    """ "no signs of de-escalation" (not "no sign of progress")."""
    return any(c.dep_ == "prep" and c.lower_ == "of" and any(
        t.lemma_.lower() in word_class("concession") for t in c.subtree) for c in cx.tok.children)


@requirement("obj=any")
def _obj_any(cx: CueContext) -> bool:
    return bool(cx.objs)


@requirement("comp")
def _comp(cx: CueContext) -> bool:
    """A complement: ready TO talk, open TO talks (phrase cues carry their own)."""
    tok = cx.tok
    return bool(cx.deps & {"xcomp", "ccomp"} or (tok.pos_ == "NOUN" and "acl" in cx.deps)
                or any(c.dep_ == "prep" and c.lower_ in ("to", "for") for c in tok.children)
                or len(cx.match.cue.words) > 1)


@requirement("comp_xcomp")
def _comp_xcomp(cx: CueContext) -> bool:
    return "xcomp" in cx.deps or "ccomp" in cx.deps


@requirement("obj_or_comp")
def _obj_or_comp(cx: CueContext) -> bool:
    return bool(cx.objs or cx.deps & {"xcomp", "ccomp"})


@requirement("pred")
def _pred(cx: CueContext) -> bool:
    """A predicate, not a modifier ("X is unacceptable")."""
    return cx.tok.dep_ in ("ROOT", "acomp", "attr", "oprd", "ccomp", "xcomp", "conj", "advcl", "relcl")


@requirement("pred_or_obj")
def _pred_or_obj(cx: CueContext) -> bool:
    return cx.tok.dep_ in ("ROOT", "acomp", "attr", "oprd", "dobj", "pobj", "conj")


@requirement("mod=party_or_light")
def _mod_party_or_light(cx: CueContext) -> bool:
    """ "Moscow's demands", "Putin reiterated the ultimatum", "the ultimatum he made"."""
    return bool(cx.sent.noun_owner(cx.tok, cx.mobilize) or _light_owner(cx.tok, cx.sent))


@requirement("not_subj")
def _not_subj(cx: CueContext) -> bool:
    """A demand as the subject of another verb: see :mod:`ultimatum.extract.nominal`."""
    return cx.tok.dep_ not in ("nsubj", "nsubjpass")


@requirement("stance")
def _stance(cx: CueContext) -> bool:
    """ "the alliance's position remained unchanged"."""
    tok = cx.tok
    verb = tok.head if tok.dep_ in ("acomp", "oprd") else tok
    return any(c.dep_ in _SUBJ and c.lemma_.lower() in word_class("stance") for c in verb.children)


@requirement("not_back")
def _not_back(cx: CueContext) -> bool:
    """ "ordered troops back to base" is a pullback, not a deployment."""
    return not any(c.lower_ in ("back", "home") and c.dep_ in ("prt", "advmod") for c in cx.tok.children)


@requirement("obj=stance")
def _obj_stance(cx: CueContext) -> bool:
    """ "will not abandon its open-door policy"."""
    return cx.obj_in("stance")


@requirement("obj=content")
def _obj_content(cx: CueContext) -> bool:
    """ "it needs security guarantees"."""
    return any(o.lemma_.lower() in content_nouns() for o in cx.objs)


@requirement("obj_xcomp")
def _obj_xcomp(cx: CueContext) -> bool:
    """ "warned Western countries not to dismiss ..."."""
    return bool(cx.objs and "xcomp" in cx.deps)


@requirement("mod=party")
def _mod_party(cx: CueContext) -> bool:
    return bool(cx.sent.noun_owner(cx.tok, cx.mobilize))


@requirement("mod=force", "mod=force_or_party")
def _mod_force(cx: CueContext) -> bool:
    """The noun's modifiers name forces ("troop buildup"), or, for
    ``mod=force_or_party``, a party owns it."""
    mods = [t for c in cx.tok.children if c.dep_ in ("compound", "amod", "nmod", "poss", "prep") for t in c.subtree]
    return _has_force(mods) or bool("mod=force_or_party" in cx.req and cx.sent.noun_owner(cx.tok, cx.mobilize))


@requirement("held")
def _held(cx: CueContext) -> bool:
    """A drill held, answered with, or owned by a party."""
    tok = cx.tok
    held = (tok.dep_ in ("dobj", "nsubjpass") and tok.head.lemma_.lower() in word_class("hold")) or \
        (tok.dep_ == "pobj" and tok.head.lower_ == "with" and tok.head.head.pos_ == "VERB")
    return held or bool(cx.sent.noun_owner(tok, True))


@requirement("modal")
def _modal(cx: CueContext) -> bool:
    """An auxiliary must/should with its subject before it ("should Russia take
    steps" is an inverted condition); need/have only with ``to``."""
    tok = cx.tok
    if tok.lower_ in ("must", "should") and tok.dep_ != "aux":
        return False
    if any(c.dep_ in _SUBJ and c.i > tok.i for c in tok.head.children) and tok.i < tok.head.i:
        return False
    return not (tok.lemma_.lower() in ("need", "have") and not any(
        c.dep_ == "xcomp" and any(a.lower_ == "to" for a in c.children) for c in tok.children))


@requirement("subj=force")
def _subj_force(cx: CueContext) -> bool:
    subj, _ = cx.sent.clause_actor(cx.tok)
    return any(_has_force(cx.sent.region(s)) for s in subj)


@requirement("subj=party")
def _subj_party(cx: CueContext) -> bool:
    subj, _ = cx.sent.clause_actor(cx.tok)
    return any(cx.sent.resolve(s)[0] for s in subj)


@requirement("subj=aggression")
def _subj_aggression(cx: CueContext) -> bool:
    """ "any incursion would be met with a response"."""
    subj = [c for c in cx.tok.children if c.dep_ in ("nsubj", "nsubjpass")]
    return any(t.lemma_.lower() in word_class("aggression") | {"aggression"} for t in subj)


@requirement("if_aggression")
def _if_aggression(cx: CueContext) -> bool:
    return _aggression_condition(cx.tok, cx.sent)


@requirement("leads_to")
def _leads_to(cx: CueContext) -> bool:
    """ "would lead to war", "would mean a big confrontation"."""
    tok = cx.tok
    node = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ in ("to", "towards", "toward", "into") else \
        tok.head if tok.dep_ in ("dobj", "attr") else None
    if node is not None and node.pos_ in ("ADV", "ADJ"):
        node = node.head  # "move closer towards a confrontation"
    return node is not None and node.lemma_.lower() in word_class("lead")


@requirement("alleged")
def _alleged(cx: CueContext) -> bool:
    """An intent or act alleged ("preparing for a possible invasion" and
    "warned of an invasion" are not)."""
    return _intent_above(cx.tok) is not None or _reported_aggression(cx.tok, cx.sent)


@requirement("voiced")
def _voiced(cx: CueContext) -> bool:
    """ "voiced concern about the buildup"."""
    verb = cx.sent.governing_verb(cx.tok)
    return verb is not None and verb.lemma_.lower() in word_class("voice")


@requirement("not_of_aggression")
def _not_of_aggression(cx: CueContext) -> bool:
    """ "warned of a potential invasion" alleges, it does not threaten."""
    return not cx.prep_object_in("of", "aggression")


@requirement("factual_warning")
def _factual(cx: CueContext) -> bool:
    return _factual_warning(cx.tok, cx.sent)


@requirement("not_factual_warning")
def _not_factual(cx: CueContext) -> bool:
    """ "warned that Moscow was preparing a pretext to invade": an allegation."""
    return not _factual_warning(cx.tok, cx.sent)


@requirement("to_engage")
def _to_engage(cx: CueContext) -> bool:
    """ "no reason to sit down for new talks" (not "no reason to believe ...")."""
    return any(c.dep_ in ("acl", "xcomp", "relcl") and any(_engaging(t) for t in c.subtree) for c in cx.tok.children)


@requirement("not_reciprocal")
def _not_reciprocal(cx: CueContext) -> bool:
    """ "the sides still disagreed on ...": no party refuses another."""
    return not _reciprocal_subject(cx.tok, cx.sent)


@requirement("suggestion")
def _suggestion(cx: CueContext) -> bool:
    """ "suggested this remains an open question" is a statement."""
    return not any(c.dep_ == "ccomp" and not (c.tag_ == "VB" and not any(a.dep_ == "aux" for a in c.children))
                   and not any(a.lower_ in ("should", "could") for a in c.children) for c in cx.tok.children)


#: Tags of a finite verb in the indicative: a complement so marked states a fact.
_INDICATIVE = {"VBZ", "VBD", "VBP"}


@requirement("mandative")
def _mandative(cx: CueContext) -> bool:
    """A that-clause after "insist" makes a demand only in the mandative
    mood: "insisted that the alliance withdraw", "... should withdraw".
    An indicative or predicting clause makes a claim: "insists that X will
    harm its security", "insists it has no plans to attack", "insisted the
    drills were defensive"."""
    for c in cx.tok.children:
        if c.dep_ != "ccomp":
            continue
        aux = [a for a in c.children if a.dep_ in ("aux", "auxpass")]
        if any(a.lower_ in word_class("stating") for a in aux) or (not aux and c.tag_ in _INDICATIVE):
            return False
    return True


@requirement("no_det")
def _no_det(cx: CueContext) -> bool:
    """ "said no decision had been taken"."""
    m = cx.match
    return not (m.end - m.start > 1 and cx.sent.tokens[m.end - 1].dep_ == "det")


@requirement("numbered")
def _numbered(cx: CueContext) -> bool:
    """ "100,000 Russian troops near the border": counted forces of a party, near somewhere."""
    tok = cx.tok
    if not any(c.dep_ == "nummod" or (c.dep_ == "prep" and c.lower_ == "of" and c.head.i > c.i) for c in tok.children) \
            and not (tok.dep_ == "pobj" and tok.head.lower_ == "of" and tok.head.head.pos_ == "NUM"):
        return False
    if not cx.sent.noun_owner(tok, True):
        return False
    return any(c.dep_ == "prep" and c.lower_ in word_class("near") for c in tok.children)


@requirement("assessment")
def _assessment(cx: CueContext) -> bool:
    """ "intelligence estimated that Russia had moved 70,000 troops": another party's forces or aggression."""
    own = cx.subj_parties()
    sent = cx.sent
    return bool(own) and any(
        c.dep_ == "ccomp" and _has_force(c.subtree) | any(t.lemma_.lower() in word_class("aggression") for t in c.subtree)
        and any(s.dep_ in _SUBJ and {(p.code, p.name) for p in sent.resolve(s)[0]} - own for s in c.children)
        for c in cx.tok.children)


@requirement("self_determination")
def _self_determination(cx: CueContext) -> bool:
    """ "the right to choose its own path"."""
    return any(t.lemma_.lower() in word_class("self_determination") for t in cx.tok.subtree)


@requirement("without")
def _without(cx: CueContext) -> bool:
    """ "no talks ... without our allies"."""
    return any(t.lower_ == "without" for t in cx.sent.tokens[cx.tok.i + 1:])


@requirement("obj=talks")
def _obj_talks(cx: CueContext) -> bool:
    """ "is considering a dialogue"."""
    return cx.obj_in("talks")


@requirement("to_talks")
def _to_talks(cx: CueContext) -> bool:
    """ "committed to diplomacy" (not "committed to a severe response")."""
    return cx.prep_object_in("to", "talks")


@requirement("talk_comp")
def _talk_comp(cx: CueContext) -> bool:
    """ "set to enter talks", "set to discuss"."""
    comps = [c for c in cx.tok.children if c.dep_ in ("xcomp", "ccomp")]
    return any(c.lemma_.lower() in word_class("talk_verb") and (
        c.lemma_.lower() not in ("hold", "enter", "resume", "continue", "begin", "start")
        or any(o.lemma_.lower() in word_class("talks") for o in c.children if o.dep_ == "dobj"))
        for c in comps)


@requirement("subj=door")
def _subj_door(cx: CueContext) -> bool:
    """ "the door to a diplomatic solution remains open"."""
    tok = cx.tok
    subj = [c for c in (tok.head.children if tok.dep_ == "acomp" else tok.children) if c.dep_ in _SUBJ]
    return any(s.lemma_.lower() in word_class("door") and any(
        t.lemma_.lower() in word_class("talks") for t in s.subtree) for s in subj)
