"""Cue requirements for acts as reporters phrase them, beyond the textbook
verbs: forces placed or growing, a worry over another party's forces, a cost
or response qualified as harsh, strife another party is said to stir up, a
claimed concession not seen, NATO's door kept open, a door left open to talks,
points worth discussing, a mistake that would follow. Registered like those of
:mod:`ultimatum.extract.requirements`."""
from __future__ import annotations

from spacy.tokens import Token

from ultimatum.extract.actors import Party
from ultimatum.extract.conditions import _has_force
from ultimatum.extract.registry import requirement
from ultimatum.extract.requirements import CueContext
from ultimatum.extract.sentence import _SUBJ
from ultimatum.extract.wordclasses import word_class


@requirement("worried_about_forces")
def _worried_about_forces(cx: CueContext) -> bool:
    """ "the U.S. was concerned about Russian military movements", "Lithuania is
    alarmed by Russian troop movements": a worry, as a predicate, over another
    party's forces, build-up, aggression or expansion (codebook section 9: a
    concern voiced about another party's forces is an accusation)."""
    tok = cx.tok
    if tok.tag_ not in ("JJ", "VBN") or tok.dep_ in ("amod", "compound"):
        return False
    own = cx.subj_parties() | {(p.code, p.name) for p in cx.sent.speaker(tok)[0]}
    alarming = word_class("aggression") | word_class("buildup") | word_class("expansion")
    for prep in tok.children:
        if prep.dep_ in ("prep", "agent") and prep.lower_ in ("about", "over", "by", "at", "with"):
            region = list(prep.subtree)
            if _has_force(region) or any(t.lemma_.lower() in alarming for t in region):
                if {(p.code, p.name) for p in cx.sent.parties_in(region)} - own:
                    return True
    return False


@requirement("harsh")
def _harsh(cx: CueContext) -> bool:
    """ "swift and severe costs", "a united, swift and severe response", "respond
    decisively": a penalty or answer qualified as harsh is a warning of it."""
    harsh = word_class("harsh")
    return any((c.dep_ in ("amod", "advmod", "conj") and c.lemma_.lower() in harsh)
               or (c.dep_ == "amod" and any(g.dep_ == "conj" and g.lemma_.lower() in harsh for g in c.children))
               for c in cx.tok.children)


@requirement("positioned")
def _positioned(cx: CueContext) -> bool:
    """ "Russian troops stationed near the border", "the Russian military presence
    is growing": a party's forces placed somewhere, or growing in number. Not
    forces leaving ("Russian troops withdrew from the border")."""
    tok = cx.tok
    if not cx.sent.noun_owner(tok, True):
        return False
    noun = tok.head.head if tok.dep_ == "pobj" and tok.head.lower_ == "of" else tok  # "the number of forces"
    verb = noun.head if noun.dep_ in ("nsubj", "nsubjpass") else None
    if verb is not None and verb.lemma_.lower() in word_class("withdraw"):
        return False
    placed = [tok] + [c for c in tok.children if c.dep_ in ("acl", "relcl")]
    if any(c.dep_ == "prep" and c.lower_ in word_class("near") for t in placed for c in t.children):
        return True
    return verb is not None and verb.lemma_.lower() in word_class("grow")


@requirement("unseen")
def _unseen(cx: CueContext) -> bool:
    """ "We haven't seen any de-escalation", "no withdrawals of troops": a claimed
    concession another party says it does not see (the noun itself is one of
    word class concession; "no" only in someone's words)."""
    tok = cx.tok
    if tok.lemma_.lower() not in word_class("concession") and not any(
            t.lemma_.lower() in word_class("concession") for t in tok.subtree):
        return False
    verb = tok.head
    if tok.dep_ in ("dobj", "attr") and verb.lemma_.lower() in word_class("perceive") | {"be"} and any(
            c.dep_ == "neg" for c in verb.children):
        return True
    return any(c.dep_ == "det" and c.lower_ == "no" for c in tok.children) and bool(cx.sent.speaker(tok)[0])


@requirement("stirs_strife")
def _stirs_strife(cx: CueContext) -> bool:
    """ "the United States is whipping up tensions", "the West is stoking
    hysteria": another party said to stir up strife (not the speaker itself)."""
    if not any(o.lemma_.lower() in word_class("strife") for o in cx.objs):
        return False
    subj = cx.subj_parties()
    speaker = {(p.code, p.name) for p in cx.sent.speaker(cx.tok)[0]}
    return bool(subj) and bool(speaker) and not subj & speaker


@requirement("obj=door")
def _obj_door(cx: CueContext) -> bool:
    """ "Russia left the door open to more talks": the door kept open as the verb's object."""
    tok = cx.tok
    return tok.dep_ in ("oprd", "acomp", "xcomp", "ccomp") and any(
        o.dep_ in ("dobj", "nsubj") and o.lemma_.lower() in word_class("door") and any(
            t.lemma_.lower() in word_class("talks") for t in list(o.subtree) + list(tok.subtree))
        for o in list(tok.head.children) + list(tok.children))


@requirement("worth_talks")
def _worth_talks(cx: CueContext) -> bool:
    """ "some aspects of Moscow's demands were worth considering": judged worth talking over."""
    return any(c.tag_ == "VBG" and c.lemma_.lower() in word_class("weigh") for c in cx.tok.children)


@requirement("alliance_door")
def _alliance_door(cx: CueContext) -> bool:
    """ "NATO's door is open", "the alliance's open-door policy": membership kept
    open, the answer to the demand that it close (not a door to talks)."""
    tok = cx.tok
    subj = [c for c in (tok.head.children if tok.dep_ == "acomp" else tok.children) if c.dep_ in _SUBJ]
    if tok.lemma_.lower() == "door":
        subj = [tok]
    sent = cx.sent

    def owners(door: Token) -> list[Party]:
        whole = door.head if door.dep_ == "compound" else door  # "NATO's open-door policy"
        return (sent.noun_owner(door, False) or sent.noun_owner(whole, False) or sent.parties_in(list(whole.subtree))
                or [p for v in [sent.governing_verb(whole)] if v is not None
                    for t in sent.clause_actor(v)[0] for p in sent.resolve(t)[0]])

    return any(s.lemma_.lower() == "door" and not any(t.lemma_.lower() in word_class("talks") for t in s.head.subtree)
               and any(p.code == "NATO" for p in owners(s)) for s in subj)


@requirement("would_be")
def _would_be(cx: CueContext) -> bool:
    """ "an invasion would be a catastrophic mistake": a judgement of what would
    follow (its verb under a modal, the tagger's MD), a warning; "the expansion
    was a fatal mistake" judges the past."""
    verb = cx.sent.governing_verb(cx.tok)
    return verb is not None and any(c.dep_ == "aux" and c.tag_ == "MD" for c in verb.children)
