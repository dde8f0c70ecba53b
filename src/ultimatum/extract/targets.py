"""Event targets (codebook section 4): the party an act is aimed at.

The target is read from the sentence's own dependency parse, by event type:

* DEMAND: the party asked: object of "urge"/"press"/"ask", "called on X",
  the subject of the demanded clause ("demanded that NATO rescind", "wants the
  U.S. to start"), "demands of NATO", "guarantees from Washington", the party
  a demand would bind ("the demands would oblige Washington"), the subject of
  "X must ...", the party told or met ("told Blinken that ...", "in a call
  with Biden");
* REJECT and ACCEPT: the owner of the rejected or accepted thing ("Russia's
  demands", "the Russian proposals", "the demand for a Russian veto", "a US
  proposal"), also as the subject of a passive or the head of a relative
  clause; a rejected party itself ("rebuffed Moscow"); when the thing has no
  owner in its own words, the party making demands in the sentence;
* OFFER: the party offered to or talked with ("offered Russia", "talks with
  Moscow"), the party whose step an offer depends on ("should Russia take
  steps"), the owner of the concerns it answers ("Russia's security
  requirements");
* THREATEN: the party warned, the subject of the condition ("if Moscow
  attacked"), the party that would face or pay, the target of sanctions, the
  aggressor of a named aggression ("aggression against Ukraine");
* ACCUSE: the accused: object of "accuse", the subject of the claim ("say
  Russia has moved troops"), the owner of what is complained about;
* MOBILIZE: the party forces are massed against or near ("near Ukraine",
  "on its border with Ukraine").

The actor is never its own target; group aliases expand ("the West" -> NATO
and USA). When no construction names a party the target stays empty (section
9: "leave it empty rather than guess"). Word classes are data, in
``lexicon/targets.csv``."""
from __future__ import annotations

from collections.abc import Iterator

from ultimatum.extract.actors import Party
from ultimatum.extract.cues import CueMatch
from ultimatum.extract.target_lookups import (
    _PRONOUNS,
    _SUBJ,
    SentenceView,
    TargetLookups,
    _conjuncts,
    _lemma,
    _pobjs,
    aggressor_of,
    target_words,
)
from ultimatum.extract.wordclasses import word_class

__all__ = ["OWN_SIDE", "aggressor_of", "find_target", "target_words"]

#: How a target search ends that found only the actor's own side.
OWN_SIDE = "own side"


class _Finder(TargetLookups):
    """The target rules, one method per event type."""

    def reject(self) -> Iterator[tuple[list[Party], str]]:
        verb = self.sent.governing_verb(self.tok) if self.tok.pos_ in ("NOUN", "PROPN") else None
        if verb is not None and self.tok.dep_ in ("dobj", "attr") and any(c.dep_ == "neg" for c in verb.children):
            # "Russia could not have a veto": the party refused the thing
            yield self.clause_subject(verb, owners=False), "refused party"
        things = self.rejected_things()
        for t in things:
            yield self.content_owner(t), "owner of rejected"
        for t in things:
            if t.dep_ == "attr" or _lemma(t) in target_words("placeholder"):
                # "The demand ... is something that Washington ruled out"
                cop = t.head
                for s in cop.children:
                    if s.dep_ in ("nsubj", "nsubjpass") and s != t:
                        yield self.content_owner(s), "owner of rejected (copula)"
                if t.head.dep_ in ("relcl", "acl") or t.dep_ == "appos":
                    yield self.content_owner(t.head.head), "owner of rejected (relative)"
        if self.tok.pos_ in ("NOUN", "PROPN") and self.tok.dep_ in ("nsubj", "attr"):
            # "Moscow's request is an attempt ...": the cue word says what is rejected
            for s in self.tok.head.children:
                if s.dep_ == "nsubj" and s != self.tok:
                    yield self.content_owner(s), "owner of rejected subject"
        yield self.complement_subjects(self.tok), "that-clause subject"
        for node in self.heads():
            for c in node.children:
                if c.dep_ == "ccomp" and c.pos_ in ("AUX", "VERB"):
                    # "Ukraine is not a threat to Russia": the party whose claim is rebutted
                    yield [p for _, o in self.ask_preps(c, frozenset({"to"})) for p in self.named(o)], "rebutted claim"
        unowned = [t for t in things if (_lemma(t) in target_words("claim") | target_words("placeholder"))]
        if unowned or self.tok.dep_ == "relcl":
            yield self.demanders(unowned[0] if unowned else None), "demander in sentence"
            if unowned:
                yield self.outside(unowned[0]), "party outside the rejected demand"
            else:
                yield self.outside(self.tok.head), "party outside the rejected demand"
        yield self.subtree_preps(self.tok, frozenset({"with"}), depth=3), "talks with"
        yield self.counterpart(), "talks with (sentence)"

    def accept(self) -> Iterator[tuple[list[Party], str]]:
        for t in self.rejected_things():
            yield self.content_owner(t), "owner of accepted"
        for node in self.heads():
            yield self.objects(node), "object"
        yield self.complement_subjects(self.tok), "that-clause subject"

    def demand(self) -> Iterator[tuple[list[Party], str]]:
        tok = self.tok
        ask = target_words("ask_prep") - {"against", "at", "between"}
        for node in self.heads():
            yield self.objects(node), "object"
            yield [p for _, o in self.ask_preps(node, ask) for p in self.named(o)], "asked (prep)"
        if tok.pos_ in ("VERB", "AUX"):
            yield self.complement_subjects(tok), "that-clause subject"
        else:
            for c in tok.children:
                if c.dep_ in ("acl", "ccomp", "relcl") and c.pos_ in ("VERB", "AUX"):
                    yield self.clause_subject(c, passive=False), "demanded clause subject"
        if "modal" in self.match.cue.requires or tok.lower_ in ("must", "should", "necessary"):
            verb = tok.head if tok.dep_ == "aux" else tok
            passive = any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children)
            if not passive:
                for s in verb.children:
                    if s.dep_ == "nsubj":
                        yield self.named(s) or self.sent.parties_in(self.sent.region(s, {"with", "of", "to"})), \
                            "subject of must"
        if tok.dep_ in ("nsubj",) and tok.pos_ in ("NOUN", "PROPN"):
            # "The demands would oblige Washington ...", "would bar the alliance from ..."
            for c in tok.head.children:
                if c.dep_ in ("dobj", "dative"):
                    yield self.named(c), "bound by the demand"
            if tok.head.pos_ in ("VERB", "AUX"):  # "The drafts demand that the United States refrain ..."
                yield self.complement_subjects(tok.head), "that-clause subject"
        yield self.delivered_to(), "delivered to"
        # objects of what is demanded: "guarantees from the United States", "to the US"
        for node in self.heads():
            for c in node.children:
                if c.dep_ in ("dobj", "xcomp", "ccomp"):
                    yield [p for _, o in self.ask_preps(c, frozenset({"from", "of", "to"})) for p in self.named(o)], \
                        "asked (prep of demanded)"
        for node in self.heads():  # "demanded guarantees that NATO would not expand": who is to be bound
            for c in node.children:
                if c.dep_ == "dobj":
                    for cc in c.children:
                        if cc.dep_ in ("acl", "ccomp", "relcl") and cc.pos_ in ("VERB", "AUX") and any(
                                m.dep_ == "mark" and m.lower_ == "that" for m in cc.children):
                            yield self.clause_subject(cc, passive=False), "subject of the demanded content"
        yield self.addressee(), "addressee"
        yield self.subtree_preps(tok, frozenset({"with", "from"})), "talks with"
        if tok.dep_ in ("conj",):
            yield [p for _, o in self.ask_preps(tok.head, frozenset({"with"})) for p in self.named(o)], "conjoined verb"
        yield self.obtained_from(), "obtained from"
        yield self.counterpart(), "talks with (sentence)"
        yield self.content_parties(), "owner of what is demanded"

    def offer(self) -> Iterator[tuple[list[Party], str]]:
        tok = self.tok
        for node in self.heads():
            yield self.objects(node), "object"
            yield [p for _, o in self.ask_preps(node, frozenset({"to", "with", "toward", "towards"}))
                   for p in self.named(o)], "offered to"
        yield self.subtree_preps(tok, frozenset({"with", "to", "between"})), "talks with"
        yield self.condition_subjects(), "condition subject"
        for node in self.heads():
            for o in node.children:
                if o.dep_ == "dobj":
                    # "a mechanism by which Russia could verify ..."
                    yield [p for r in o.children if r.dep_ in ("relcl", "acl") for p in self.clause_subject(r, owners=False)], \
                        "party the offer lets act"
        concern = target_words("concern")
        clause = self.clause()
        content = [tok] + [c for c in clause.children if c.dep_ in ("dobj", "prep", "xcomp", "dative", "nsubjpass")]
        for t in [t for root in content for t in root.subtree]:
            if _lemma(t) in concern and t.pos_ == "NOUN":
                yield self.owner(t), "owner of concern"
        verb = self.sent.governing_verb(tok) if tok.pos_ in ("NOUN", "PROPN") else None
        if verb is not None and tok.dep_ == "dobj" and _lemma(verb) not in word_class("light"):
            # "hoped Russia would accept more modest offers"
            yield self.clause_subject(verb, owners=False), "party to accept the offer"
        yield self.addressee(), "addressee"
        yield self.counterpart(), "talks with (sentence)"
        yield self.content_parties(), "owner of what is offered"
        if tok.dep_ == "conj" or self.clause().dep_ == "conj":
            head = (tok if tok.dep_ == "conj" else self.clause()).head
            yield [p for _, o in self.ask_preps(head, frozenset({"with", "to"})) for p in self.named(o)], \
                "conjoined verb"
        clause = self.clause()
        if clause.head != clause:
            for c in clause.head.children:
                if c != clause and c.dep_ in ("dobj", "prep"):
                    for t in c.subtree:
                        if _lemma(t) in concern and t.pos_ == "NOUN":
                            yield self.owner(t), "owner of concern answered"

    def threaten(self) -> Iterator[tuple[list[Party], str]]:
        tok = self.tok
        patient = word_class("patient")
        for node in self.heads():
            if _lemma(node) in patient:
                yield self.clause_subject(node), "faces"
            yield self.objects(node), "object"
        for node in self.heads():
            for v in [node] + [c for c in node.children if c.dep_ == "conj"]:
                if _lemma(v) in patient:
                    yield self.clause_subject(v), "faces"
                yield [p for c in v.children if c.dep_ in ("dative", "dobj") for p in self.named(c)], "cost"
        clause = self.clause()
        for v in _conjuncts(clause):
            if _lemma(v) in patient:
                yield self.clause_subject(v), "faces"
            yield [p for c in v.children if c.dep_ == "dative" for p in self.named(c)], "cost"
        yield self.complement_subjects(tok), "that-clause subject"
        yield self.condition_subjects(), "condition subject"
        yield [p for node in self.heads() for _, o in self.ask_preps(node, frozenset({"against", "on", "at", "between", "to"}))
               for p in (self.named(o) or self.sent.parties_in(o.subtree))], "against"
        yield self.subtree_preps(tok, frozenset({"against", "between"})), "against"
        for node in self.heads() + ([tok.head] if tok.dep_ == "compound" else []):
            for acl in node.children:
                if acl.dep_ == "acl":
                    for c in acl.children:
                        if c.dep_ == "prep" and c.lower_ in ("at", "against", "on"):
                            yield [p for o in _pobjs(c) for p in self.sent.parties_in(o.subtree)], "aimed at"
        yield self.aggression_victims(clause), "aggressor"
        for s in clause.children:
            if s.dep_ in _SUBJ:
                yield self.owner(s), "owner of the act warned against"
        yield self.addressee(), "addressee"

    def accuse(self) -> Iterator[tuple[list[Party], str]]:
        tok = self.tok
        acts = target_words("aggression")
        if _lemma(tok) in acts:  # "warned of a potential invasion of Ukraine": the victim is not accused
            yield self.aggression_victims(tok), "aggressor"
        for node in self.heads():
            yield [p for c in node.children if c.dep_ in ("dobj", "dative") for p in self.named(c)], "accused"
        for node in self.heads():
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in ("about", "of", "against", "over", "on", "at", "with", "by", "for"):
                    for p in _pobjs(c):
                        if _lemma(p) in acts:
                            yield self.aggression_victims(p), "aggressor"
                        else:
                            yield self.content_owner(p), "complained about"
        for node in self.heads():
            yield self.complement_subjects(node), "that-clause subject"
        clause = self.clause()
        if clause != tok:
            yield self.complement_subjects(clause), "that-clause subject"
        subjects, _ = self.sent.clause_actor(clause)  # also the shared subject of conjoined verbs
        for s in subjects:
            if s.lower_ not in _PRONOUNS:
                yield self.content_owner(s), "subject accused"
        for node in self.heads():
            for c in node.children:
                if c.dep_ in ("dobj",):
                    yield self.content_owner(c), "owner of object"
        if any(c.dep_ == "nsubj" and c.lower_ in ("that", "which", "who") for c in tok.children):
            if tok.dep_ == "relcl":
                yield self.content_owner(tok.head), "antecedent accused"
            elif tok.dep_ == "ccomp" and _lemma(tok.head) == "be":  # "it is the West that is threatening ..."
                yield [p for c in tok.head.children if c.dep_ == "attr" for p in self.content_owner(c)], "cleft accused"
        if tok.dep_ == "amod":  # "Russia's own aggressive plans": whose conduct is condemned
            yield self.content_owner(tok.head), "owner of the condemned conduct"
        yield self.aggression_victims(tok), "aggressor"

    def mobilize(self) -> Iterator[tuple[list[Party], str]]:
        near = target_words("near")
        place = target_words("place_prep")
        border = target_words("border")
        roots = self.heads()
        roots += [c for node in list(roots) for c in node.children if c.dep_ in ("dobj", "pobj", "nsubjpass")]
        # "a buildup of Russian troops near Ukraine": the forces named in an of-phrase
        roots += [p for node in list(roots) for c in node.children
                  if c.dep_ == "prep" and c.lower_ == "of" for p in _pobjs(c)]
        if self.tok.dep_ in ("pobj",) and self.tok.head.head.pos_ == "VERB":
            roots.append(self.tok.head.head)
        for node in roots:
            for c in node.children:
                if c.dep_ in ("advmod", "amod") and c.lower_ in near:  # "close to Ukraine's border"
                    yield [p for prep in c.children if prep.dep_ == "prep" for o in _pobjs(prep)
                           for p in self.sent.parties_in(self.sent.region(o, {"of", "with"}))], f"forces {c.lower_}"
                if c.dep_ != "prep":
                    continue
                for p in _pobjs(c):
                    if c.lower_ in near:
                        yield self.sent.parties_in(self.sent.region(p, {"of", "with"})), f"forces {c.lower_}"
                    elif c.lower_ in place and (_lemma(p) in border or any(
                            _lemma(x) in border for x in p.subtree)):
                        yield self.sent.parties_in(self.sent.region(p, {"of", "with", "from"})), f"forces {c.lower_} border"


def find_target(match: CueMatch, sent: SentenceView, actors: list[Party],
                event_type: str | None = None) -> tuple[list[Party], str]:
    """The parties an event cue's act is aimed at, and how they were found.

    ``match`` is the cue, ``sent`` the parsed sentence, ``actors`` the parties
    performing the act (never returned as their own target), ``event_type`` the
    type of the row when it differs from the cue's ("cannot accept" is a
    REJECT). Returns ``([], "")`` when the sentence names no target, and
    ``([], OWN_SIDE)`` when the only party it names in a target role, and in
    the whole sentence, is the actor's own side ("NATO urged its allies"):
    then the article's context gives no target either (codebook section 4)."""
    finder = _Finder(match, sent, actors, event_type or match.cue.event_type)
    rules = {"REJECT": finder.reject, "ACCEPT": finder.accept, "DEMAND": finder.demand, "OFFER": finder.offer,
             "THREATEN": finder.threaten, "ACCUSE": finder.accuse, "MOBILIZE": finder.mobilize}.get(finder.etype)
    if rules is None:
        return [], ""
    own_side = False
    for parties, how in rules():
        kept: dict[tuple[str, str], Party] = {}
        for p in parties:
            if (p.code, p.name) not in finder.actor_keys:
                kept.setdefault((p.code, p.name), p)
        if kept:
            return list(kept.values()), how
        own_side = own_side or bool(parties)
    named = {(p.code, p.name) for _, _, alias in sent.alias_at.values() for p in alias.parties}
    return [], OWN_SIDE if own_side and named <= finder.actor_keys else ""
