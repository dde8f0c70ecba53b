"""Where targets are found: the parse lookups the per-type target rules of
:mod:`ultimatum.extract.targets` share (parties named, owners of nouns,
objects, addressees, subjects of clauses, things rejected)."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Protocol

from spacy.tokens import Doc, Token

from ultimatum.extract.actors import Party, party_names
from ultimatum.extract.cues import CueMatch
from ultimatum.extract.wordclasses import word_class
from ultimatum.lexicon import read_rows
from ultimatum.nlp.parsetree import RELATIVE_PRONOUNS
from ultimatum.nlp.parsetree import path_to_root as _path
from ultimatum.nlp.parsetree import tree_distance as _tree_distance

_SUBJ = ("nsubj", "nsubjpass", "csubj")
_OWNER_DEPS = ("poss", "compound", "amod", "nmod")
_PRONOUNS = {"we", "us", "i", "me", "our", "ours", "my", "he", "she", "him", "her", "his", "it", "its",
             "they", "them", "their", "you", "your"}


class SentenceView(Protocol):
    """What the target finder reads of a parsed sentence (implemented by the
    extractor's sentence class)."""
    doc: Doc
    tokens: list[Token]
    alias_at: dict

    @property
    def cues(self) -> list[CueMatch]: ...

    def region(self, tok: Token, preps: set[str] = ...) -> list[Token]: ...
    def parties_in(self, tokens: Iterable[Token]) -> list[Party]: ...
    def noun_owner(self, noun: Token, mobilize: bool) -> list[Party]: ...
    def governing_verb(self, tok: Token) -> Token | None: ...
    def clause_actor(self, verb: Token, depth: int = 0) -> tuple[list[Token], str]: ...


@lru_cache(maxsize=1)
def _classes() -> tuple[dict[str, frozenset[str]], dict[str, str]]:
    words: dict[str, set[str]] = defaultdict(set)
    aggressors: dict[str, str] = {}
    for row in read_rows("targets.csv"):
        if row["class"] == "aggressor":
            aggressors[row["word"]] = row["value"]
        else:
            words[row["class"]].add(row["word"].lower())
    return {k: frozenset(v) for k, v in words.items()}, aggressors


def target_words(name: str) -> frozenset[str]:
    """Lemmas of one word class of ``lexicon/targets.csv`` (empty when unknown)."""
    return _classes()[0].get(name, frozenset())


def aggressor_of(victim: str) -> str:
    """The party an act of aggression against ``victim`` is attributed to ('' if none)."""
    return _classes()[1].get(victim, "")


def _lemma(tok: Token) -> str:
    return tok.lemma_.lower()


def _conjuncts(tok: Token) -> list[Token]:
    out: list[Token] = []
    stack = [tok]
    while stack and len(out) < 8:
        t = stack.pop()
        out.append(t)
        stack.extend(c for c in t.children if c.dep_ == "conj")
    return out




def _pobjs(prep: Token) -> list[Token]:
    """Objects of a preposition, with their conjuncts ("against Ukraine and Georgia");
    "close to X" and "next to X" are read through."""
    out: list[Token] = []
    for p in prep.children:
        if p.dep_ == "pobj":
            out.extend(_conjuncts(p))
        elif p.dep_ == "prep":
            out.extend(_pobjs(p))
    return out


class TargetLookups:
    """Target candidates of one cue, in order of preference."""

    def __init__(self, match: CueMatch, sent: SentenceView, actors: list[Party], event_type: str):
        self.sent = sent
        self.doc = sent.doc
        self.tokens = sent.tokens
        # the cue word itself; a match may point its head at the verb a nominal cue is
        # the subject of ("The demand that NATO not expand is ..."), outside its words
        inside = match.start <= match.head < match.end
        self.tok = sent.tokens[match.head if inside else match.start]
        self.match = match
        self.etype = event_type
        self.actor_keys = {(a.code, a.name) for a in actors}

    # --- parties named by words -----------------------------------------------------------------
    def named(self, tok: Token) -> list[Party]:
        """Parties a token names itself, with its conjuncts ("Ukraine and the
        United States"); a relative pronoun stands for the noun it modifies."""
        if tok.lower_ in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
            return self.party_or_owner(tok.head.head)
        toks = [t for t in _conjuncts(tok) if t.i in self.sent.alias_at]
        return self.sent.parties_in(toks)

    def owner(self, noun: Token) -> list[Party]:
        """Parties owning a noun: possessor, adjective or compound ("Russia's
        demands", "the Russian proposals", "Moscow demands"), or a by/from
        phrase ("that demand from Moscow", "flights by U.S. bombers")."""
        toks: list[Token] = []
        for c in noun.children:
            if c.dep_ in _OWNER_DEPS:
                toks += self.sent.region(c)
            elif c.dep_ in ("prep", "agent") and c.lower_ in ("by", "from"):
                toks += _pobjs(c)
        return self.sent.parties_in(toks)

    def party_or_owner(self, tok: Token) -> list[Party]:
        """The party a word names, else the owner of the noun it heads; a gerund
        names the party it acts on ("expanding the alliance")."""
        if tok.lower_ in _PRONOUNS:
            return []
        parties = self.named(tok)
        if parties:
            return parties
        out: list[Party] = []
        for t in _conjuncts(tok):
            if t.pos_ in ("NOUN", "PROPN", "NUM", "ADJ"):
                out += self.owner(t)
            elif t.pos_ == "VERB" and t.tag_ == "VBG":
                out += [p for o in t.children if o.dep_ == "dobj" for p in self.named(o)]
        return out

    def content_owner(self, noun: Token, depth: int = 0) -> list[Party]:
        """The owner of a thing or of what it is about, one or two phrases down
        ("the demand for an effective Russian veto", "no evidence of a Russian
        pullback", "the deployment of U.S. and NATO warships")."""
        out: list[Party] = []
        for t in _conjuncts(noun):
            if t.lower_ in _PRONOUNS:
                continue
            # below the first phrase only owners count ("the demand for a Russian veto"),
            # not places ("talks on the conflict in eastern Ukraine")
            found = (self.named(t) if depth == 0 else []) or self.owner(t)
            if not found and depth < 2:
                preps = target_words("content_prep")
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in preps:
                        for p in _pobjs(c):
                            found += self.content_owner(p, depth + 1)
            out += found
        return out

    # --- structure around the cue ---------------------------------------------------------------
    def clause(self) -> Token:
        """The verb the cue belongs to (itself when it is a verb)."""
        if self.tok.pos_ in ("VERB", "AUX"):
            return self.tok
        verb = self.sent.governing_verb(self.tok)
        if verb is not None:
            return verb
        node = self.tok
        for _ in range(4):
            if node.pos_ in ("VERB", "AUX") or node.head == node:
                return node
            node = node.head
        return node

    def heads(self) -> list[Token]:
        """The cue and the verb it is the object of (light verbs: "made
        demands of NATO"; "carry a price")."""
        out = [self.tok]
        verb = self.sent.governing_verb(self.tok) if self.tok.pos_ in ("NOUN", "PROPN", "ADJ") else None
        if verb is not None:
            out.append(verb)
        return out

    def ask_preps(self, node: Token, preps: frozenset[str] | None = None) -> Iterator[tuple[Token, Token]]:
        preps = preps if preps is not None else target_words("ask_prep")
        for c in node.children:
            if c.dep_ == "prep" and c.lower_ in preps:
                for p in _pobjs(c):
                    yield c, p

    def objects(self, node: Token) -> list[Party]:
        """Parties named as the direct or indirect object of a verb."""
        out: list[Party] = []
        for c in node.children:
            if c.dep_ in ("dobj", "dative"):
                out += self.named(c) if c.dep_ == "dobj" else self.party_or_owner(c)
            elif c.dep_ == "prep" and c.lower_ == "to" and self.etype in ("OFFER", "DEMAND") \
                    and _lemma(node) in target_words("deliver") | {"offer", "propose"}:
                out += [p for o in _pobjs(c) for p in self.named(o)]
        return out

    def clause_subject(self, verb: Token, owners: bool = True, passive: bool = True) -> list[Party]:
        out: list[Party] = []
        for s in verb.children:
            if s.dep_ in _SUBJ and (passive or s.dep_ != "nsubjpass"):
                out += self.party_or_owner(s) if owners else self.named(s)
        return out

    def complement_subjects(self, node: Token) -> list[Party]:
        """Subjects of the clause a verb governs ("demanded that NATO rescind",
        "wants the U.S. to start", "say Russia has moved")."""
        out: list[Party] = []
        for c in node.children:
            if c.dep_ in ("ccomp", "xcomp", "acl") and c.pos_ in ("VERB", "AUX"):
                # a passive subject is not the party asked ("that Ukraine never be allowed to join")
                out += self.clause_subject(c, passive=self.etype != "DEMAND")
        return out

    def condition_subjects(self) -> list[Party]:
        """Subjects of the condition nearest the cue in the parse ("if Moscow
        attacked", "should Russia take steps", "once Russia de-escalates")."""
        conds = target_words("condition")
        best: tuple[int, list[Party]] | None = None
        for c in self.tokens:
            if c.pos_ not in ("VERB", "AUX") or c.dep_ not in ("advcl", "ccomp", "conj", "relcl", "ROOT"):
                continue
            if any((m.dep_ == "mark" and m.lower_ in conds)
                   or (m.dep_ == "aux" and m.lower_ == "should" and any(s.dep_ in _SUBJ and s.i > m.i for s in c.children))
                   for m in c.children):
                subj = self.clause_subject(c)
                dist = _tree_distance(self.tok, c)
                if subj and (best is None or dist < best[0]):
                    best = (dist, subj)
        return best[1] if best else []

    def addressee(self) -> list[Party]:
        """The party told, warned or met when the act is said ("told Blinken
        that ...", "warned him that ...", "in a call with Biden")."""
        speech = word_class("speech") | {"warn", "tell"}
        encounter = target_words("encounter")
        out: list[Party] = []
        node = self.tok
        for _ in range(8):
            if _lemma(node) in speech | {"raise", "propose", "suggest", "offer"} or node == self.tok:
                for c in node.children:
                    if c.dep_ in ("dative", "dobj") and _lemma(node) in speech:
                        out += self.named(c)
                    elif c.dep_ == "prep" and c.lower_ in ("in", "during", "at"):
                        for p in _pobjs(c):
                            if _lemma(p) in encounter or any(_lemma(x) in encounter for x in p.children if x.dep_ == "compound"):
                                for c2 in p.children:
                                    if c2.dep_ == "prep" and c2.lower_ in ("with", "to"):
                                        out += [q for o in _pobjs(c2) for q in self.named(o)]
            if node.head == node:
                break
            node = node.head
        return out

    def subtree_preps(self, root: Token, preps: frozenset[str], depth: int = 4,
                      through: tuple[str, ...] = ("xcomp", "ccomp", "dobj", "prep", "pobj", "pcomp", "acl", "conj",
                                                   "advcl", "compound", "amod")) -> list[Party]:
        """Parties named as objects of ``preps`` inside the content of ``root``
        ("ready to begin talks with the United States")."""
        out: list[Party] = []
        stack = [(root, 0)]
        while stack:
            node, d = stack.pop(0)
            for c in node.children:
                if c.dep_ == "prep" and c.lower_ in preps:
                    for p in _pobjs(c):
                        out += self.named(p)
                if d < depth and c.dep_ in through:
                    stack.append((c, d + 1))
        return out

    def aggression_victims(self, root: Token) -> list[Party]:
        """The aggressor of an act of aggression named below ``root``
        ("any further aggression against Ukraine" -> RUS), or its owner
        ("further Russian reinforcement")."""
        acts = target_words("aggression")
        out: list[Party] = []
        for t in root.subtree:
            if _lemma(t) in acts and abs(t.i - root.i) < 40:
                owner = self.owner(t)
                if owner:
                    out += owner
                    continue
                objects = [c for c in t.children if c.dep_ == "dobj"] if t.pos_ == "VERB" else []  # "to invade Ukraine"
                for c in t.children:
                    if c.dep_ == "prep" and c.lower_ in ("against", "on", "of", "into"):
                        objects += _pobjs(c)
                for p in objects:
                    for victim in self.named(p):
                        code = aggressor_of(victim.code)
                        if code:
                            out.append(Party(code, party_names().get(code, code)))
        return out

    def content_parties(self) -> list[Party]:
        """Owners of the things a demand or proposal is about ("a ban on the
        deployment of U.S. warships", "guarantees precluding NATO expansion",
        "commitments by both Russia and the United States")."""
        roots = [self.tok]
        clause = self.clause()
        if clause != self.tok and any(s == self.tok for s in clause.children if s.dep_ in _SUBJ):
            roots.append(clause)  # "The proposal calls for ...", "The draft proposals contain ..."
        out: list[Party] = []
        stack = [(c, 1) for r in roots for c in r.children
                 if c.dep_ in ("dobj", "xcomp", "acl") or (c.dep_ == "prep" and c.lower_ in ("for", "on", "to"))]
        while stack:
            node, d = stack.pop(0)
            if node.pos_ in ("NOUN", "PROPN"):
                out += self.owner(node)
            if d < 4:
                stack += [(c, d + 1) for c in node.children
                          if c.dep_ in ("dobj", "pobj", "acl", "xcomp") or (c.dep_ == "prep" and c.lower_ in ("for", "on", "of", "by"))]
        return out

    def delivered_to(self) -> list[Party]:
        """The party a demand or proposal was handed to ("the proposals, which
        were submitted to the U.S. and its allies", "drafts handed to a US envoy")."""
        deliver = target_words("deliver")
        roots = [self.tok] + [s for s in self.clause().children if s.dep_ in _SUBJ]
        out: list[Party] = []
        for root in roots:
            for t in root.subtree:
                if t.dep_ in ("prep", "dative") and t.lower_ == "to" and _lemma(t.head) in deliver:
                    out += [p for o in _pobjs(t) for p in self.party_or_owner(o)]
        return out

    def obtained_from(self) -> list[Party]:
        """The party something is to be got from, anywhere in the sentence
        ("guarantees that Putin wants to obtain from the United States")."""
        obtain = target_words("obtain")
        out: list[Party] = []
        for t in self.tokens:
            if t.dep_ == "prep" and t.lower_ == "from" and _lemma(t.head) in obtain:
                out += [p for o in _pobjs(t) for p in self.named(o)]
        return out

    def counterpart(self) -> list[Party]:
        """The party talks are held with, anywhere in the sentence ("a dialogue
        with Russia", "willing to discuss arms control with Moscow")."""
        encounter = target_words("encounter")
        out: list[Party] = []
        for t in self.tokens:
            if t.dep_ == "prep" and t.lower_ == "with" and any(_lemma(h) in encounter for h in _path(t.head)[:3]):
                out += [p for o in _pobjs(t) for p in self.named(o)]
        return out

    def demanders(self, exclude: Token | None = None) -> list[Party]:
        """Parties making demands or proposals elsewhere in the sentence
        ("Moscow insisted on the demands", "Lithuania and Poland pressed for
        ..."): the owners of a claim noun or the actors of a DEMAND cue."""
        out: list[Party] = []
        for m in self.sent.cues:
            if m.cue.event_type not in ("DEMAND",) or m.head == self.tok.i:
                continue
            head = self.tokens[m.head]
            if head.pos_ in ("VERB", "AUX"):
                toks, _ = self.sent.clause_actor(head)
                for t in toks:
                    out += self.party_or_owner(t)
            else:
                out += self.owner(head)
                verb = self.sent.governing_verb(head)
                if verb is not None:
                    out += self.clause_subject(verb)
        claims = target_words("claim")
        for t in self.tokens:
            if _lemma(t) in claims and t.pos_ == "NOUN" and (exclude is None or t.i not in {x.i for x in exclude.subtree}):
                out += self.owner(t)
                verb = self.sent.governing_verb(t)
                if verb is not None and t.dep_ == "dobj" and _lemma(verb) in word_class("light"):
                    out += self.clause_subject(verb)
        return out

    def outside(self, thing: Token) -> list[Party]:
        """Parties named in the sentence outside the words of ``thing``."""
        inside = {t.i for t in thing.subtree}
        for t in self.tokens:
            if t.i in self.sent.alias_at and t.i not in inside:
                parties = self.sent.parties_in([t])
                if not any((p.code, p.name) in self.actor_keys for p in parties):
                    return parties
        return []

    # --- by event type --------------------------------------------------------------------------
    def rejected_things(self) -> list[Token]:
        """The words naming what is rejected or accepted."""
        tok = self.tok
        out: list[Token] = []
        for node in self.heads():
            for c in node.children:
                if c.dep_ in ("dobj", "nsubjpass", "attr") and c != tok:
                    out.append(c)
                elif c.dep_ == "prep" and c.lower_ in ("on", "to", "with", "in", "of", "about", "over", "from", "against"):
                    out += _pobjs(c)
                    out += [o for pc in c.children if pc.dep_ == "pcomp" for o in pc.children
                            if o.dep_ in ("dobj", "nsubjpass")]  # "compromise on what they called ..."
                elif c.dep_ == "xcomp":
                    # what the actor will not do: only an owned thing names a party
                    # ("refused to consider Moscow's plan", not "refused to discuss Ukraine")
                    out += [o for o in c.children if o.dep_ == "dobj" and o.i not in self.sent.alias_at]
        if tok.dep_ == "relcl":
            out.append(tok.head)
        elif tok.pos_ in ("NOUN", "PROPN"):
            if tok.dep_ == "nsubj" and tok.head.pos_ == "AUX":  # "Moscow's request is an attempt ..."
                pass
        return out
