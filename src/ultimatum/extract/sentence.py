"""A parsed sentence and the roles read off its dependency tree: regions,
parties named, speakers, clause actors, owners of nouns and governing verbs."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from functools import cached_property, lru_cache

from spacy.attrs import POS, TAG
from spacy.parts_of_speech import ADJ
from spacy.strings import get_string_id
from spacy.tokens import Doc, Token

from ultimatum.extract.actors import BODY_KINDS, Alias, Party, match_aliases, parties_of
from ultimatum.extract.attribution import SentenceUnit
from ultimatum.extract.cues import Cue, CueMatch, cue_index, find_cues
from ultimatum.extract.event_dates import (
    DateMention,
    _mention_roots,
    _published_date,
    background_before,
    event_date_mentions,
)
from ultimatum.extract.topics import find_topics
from ultimatum.extract.wordclasses import word_class
from ultimatum.nlp.parsetree import RELATIVE_PRONOUNS, misattached_conjunct
from ultimatum.nlp.parsetree import path_to_root as _path

_SUBJ = ("nsubj", "csubj")


_PASSIVE_MARKS = ("auxpass", "nsubjpass")


_REGION_SKIP = {"relcl", "acl", "advcl", "ccomp", "xcomp", "punct", "cc", "det", "prep", "mark", "aux"}


_REGION_PREPS = {"of", "in", "from", "at"}


_FIRST_PERSON = {"we", "us", "i", "me", "our", "ours", "my"}


def first_person(word: str) -> bool:
    """A first-person pronoun: "us" but not "US", the United States."""
    return word.lower() in _FIRST_PERSON and (word == "I" or not word.isupper())


_THIRD_PERSON = {"he", "she", "him", "her", "his"}


_IT = {"it", "its"}


#: Dependencies only a noun phrase fills.
_NOMINAL_DEPS = {"pobj", "dobj", "nsubj", "nsubjpass", "appos"}
_VBZ = get_string_id("VBZ")


def repair_parse(doc: Doc, tokens: Sequence[Token] | None = None) -> None:
    """Mend two parses the small model gets wrong. The tagger and parser
    disagree on a plural noun: "concern about NATO drills" tags "drills" as a
    verb (VBZ) yet parses it as a preposition's object; a VBZ word in a noun
    phrase's slot, with no subject or auxiliary of its own, is made a plural
    noun. And "considers as unacceptable the requests" parses the adjective as
    the noun's modifier although it stands before the noun's determiner, and
    "left the door open" although it stands after the noun: either way it is
    the verb's object predicate, and the noun its object.

    ``tokens`` is ``list(doc)`` when the caller has it. Each pass looks, in
    order, only at the tokens of the tag (VBZ) or part of speech (ADJ) its
    tests start with, read from an array beforehand: the first pass changes
    only the tag and part of speech of a token it has passed, the second
    none (the second pass's array is read after the first pass)."""
    tokens = list(doc) if tokens is None else tokens
    tags = doc.to_array(TAG).tolist()
    for i, tag in enumerate(tags):
        if tag != _VBZ:
            continue
        tok = tokens[i]
        if tok.dep_ in _NOMINAL_DEPS and not any(
                c.dep_ in ("nsubj", "nsubjpass", "aux", "auxpass", "dobj") for c in tok.children):
            tok.tag_, tok.pos_ = "NNS", "NOUN"
    for i, pos in enumerate(doc.to_array(POS).tolist()):
        if pos != ADJ:
            continue
        tok = tokens[i]  # "labelled as unacceptable a Russian demand": an object predicate moved forward
        noun = tok.head
        prep = noun.head
        if tok.dep_ == "amod" and tok.i == noun.i + 1 and noun.dep_ == "dobj" \
                and noun.pos_ == "NOUN" and prep.pos_ == "VERB":
            tok.head, tok.dep_ = prep, "oprd"  # "left the door open": an adjective after its noun is predicated
        elif tok.dep_ == "amod" and noun.dep_ == "pobj" and prep.lower_ == "as" \
                and prep.head.lemma_.lower() in word_class("characterise") and any(
                    c.dep_ == "det" and c.i > tok.i for c in noun.children):
            verb = prep.head
            tok.head, tok.dep_ = verb, "oprd"
            noun.head, noun.dep_ = verb, "dobj"
        elif tok.dep_ in ("amod", "pobj") and noun.lower_ == "as" and noun.dep_ == "prep" \
                and prep.lemma_.lower() in word_class("characterise"):
            tok.head, tok.dep_ = prep, "oprd"  # "regards the proposal as unacceptable"


class Sentence:
    """A parsed sentence with its unit and alias spans, and helpers that read
    roles off the dependency tree."""

    def __init__(self, doc: Doc, unit: SentenceUnit):
        self.tokens: list[Token] = list(doc)  # made once: iterating a Doc makes new Tokens
        repair_parse(doc, self.tokens)
        self.doc = doc
        self.unit = unit
        self.alias_at: dict[int, tuple[int, int, Alias]] = {}
        for start, end, alias in match_aliases([t.text for t in self.tokens], unit.names):
            for i in range(start, end):
                self.alias_at[i] = (start, end, alias)
        #: event types whose cues the rules found negated here ("did not reject"):
        #: no classifier may add a row of these types to the sentence
        self.refused: set[str] = set()
        self.non_actor = word_class("non_actor")
        self.speech = word_class("speech")

    # read only for cues that survive the earlier checks
    @cached_property
    def date_roots(self) -> list[tuple[DateMention, Token]]:
        """The sentence's date mentions, each with the token it hangs on."""
        return _mention_roots(self.tokens, event_date_mentions(self.unit.text, _published_date(self.unit.published)))

    @cached_property
    def cues(self) -> list[CueMatch]:
        """Every cue found in the sentence (before their requirements are
        checked); found once, read by the rules, the target finder and the
        classifier's features."""
        return find_cues(self.tokens)

    @cached_property
    def background_before(self) -> dt.date:
        """Acts dated before this day are background (``event_dates.background_before``)."""
        return background_before(self.unit.published)

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
            if first_person(tok.text):
                parties = self.speaker(cue or tok)[0]
                route = "we=speaker"
            elif low in RELATIVE_PRONOUNS and tok.head.dep_ == "relcl":
                return self.resolve(tok.head.head, cue)
            elif low == "their":  # "NATO nations were clear in their demands": a plural clause subject
                subj, parties = self._clause_subject(tok, through=True)
                if subj is None or not (len(parties) > 1 or subj.tag_ in ("NNS", "NNPS")):
                    parties = []
                route = "their=subject"
            elif low == "its" and tok.dep_ == "poss" and len(own := self._clause_subject(tok, through=False)[1]) == 1:
                parties, route = own, "its=clause subject"  # "Russia intensified its build-up"
            elif low in _THIRD_PERSON | _IT:
                route = f"{low}=previous speaker"
                governing = self._speech_subject(tok)
                if governing and governing[0].i != tok.i and (
                        not self.unit.in_quote(tok.idx) or tok.head.head.lemma_.lower() in self.speech):
                    if low in _IT and self._names_person(governing[0]):
                        parties = self._nearest_party_before(tok)  # "Blinken said Russia would pay if it attacked"
                        route = "it=party before" if parties else route
                    else:
                        parties = self.resolve(governing[0])[0]
                if not parties and tok.dep_ in _SUBJ and tok.head.dep_ == "conj":
                    # "The US has offered ..., but it rejected ...": the first conjunct's subject
                    first = [c for c in tok.head.head.children if c.dep_ in _SUBJ and c.i < tok.i]
                    if first and not first_person(first[0].text) and first[0].lower_ not in _THIRD_PERSON | _IT:
                        parties = self.resolve(first[0])[0]
                if not parties and low in _IT and self._in_modifier_clause(tok):
                    parties = self._nearest_party_before(tok)  # "urged Moscow to pull back the troops it massed"
                if not parties and low == "it" and tok.i <= 1 and tok.dep_ in _SUBJ and tok.head.dep_ == "ROOT" \
                        and not self.unit.in_quote(tok.idx):  # "Russia denies ... . It wants NATO to ...": the subject before
                    parties = list(self.unit.memory.subjects.get(self.unit.sentence_id - 1, ()))
                    route = "it=subject before" if parties else route
                if not parties and not self.unit.in_quote(tok.idx):  # in a quote, "it" is no earlier speaker
                    parties = list(self.unit.he if low in _THIRD_PERSON else self.unit.it)
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

    def _clause_subject(self, tok: Token, through: bool) -> tuple[Token | None, list[Party]]:
        """The subject of the clause a possessive stands in, with the parties
        it names, when it is a name and not a pronoun: what "its" and
        "their" refer to first ("Russia intensified its build-up"). ``through``:
        past a verb without a subject to the next one up ("urged the allies to
        drop their plans"), else only the nearest verb."""
        node, subj = tok.head, None
        for _ in range(8):  # the nearest verb with a subject ("urged Russia to drop its demands": Russia)
            if node.pos_ in ("VERB", "AUX"):
                subj = next((c for c in node.children if c.dep_ in ("nsubj", "nsubjpass")), None)
                if subj is not None or not through:
                    break
            if node.head == node:
                break
            node = node.head
        if subj is None or subj.pos_ == "PRON" or subj.i == tok.i:
            return None, []
        return subj, self.resolve(subj)[0]

    @staticmethod
    def _in_modifier_clause(tok: Token) -> bool:
        """Is the token inside a relative or participial clause on a noun?"""
        return any(t.dep_ in ("relcl", "acl") for t in _path(tok)[:8])

    def main_subject(self) -> tuple[Party, ...]:
        """The one state or body named as the subject of the main clause
        (outside quotes), if any: the antecedent a sentence-initial "it" of
        the next sentence prefers (the subject continues the topic)."""
        subjects = [c for t in self.tokens if t.dep_ == "ROOT" for c in t.children if c.dep_ in _SUBJ + ("nsubjpass",)]
        if len(subjects) != 1 or self.unit.in_quote(subjects[0].idx):
            return ()
        hit = self.alias_at.get(subjects[0].i)
        if hit is None or hit[2].kind not in BODY_KINDS:
            return ()
        parties = parties_of([hit[2]])
        return tuple(parties) if len(parties) == 1 else ()

    def _names_person(self, tok: Token) -> bool:
        """Whether the phrase headed by ``tok`` names a person ("Blinken", "a
        ministry spokesman", "he"), whom "it" cannot stand for."""
        region = range(tok.left_edge.i, tok.i + 1)
        return any(i in self.alias_at and self.alias_at[i][2].kind == "person" for i in region) or \
            tok.lower_ in _THIRD_PERSON or tok.lemma_.lower() in word_class("person_title")

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
            if (node.lemma_.lower() in self.speech or (node.lemma_.lower() == "make" and any(
                    c.lower_ == "clear" for c in node.children)) or (node.lemma_.lower() in word_class("characterise")
                    and any(c.dep_ in ("oprd", "xcomp") or (c.dep_ == "ccomp" and c.pos_ == "ADJ") for c in node.children)
                    and not (node.lemma_.lower() == "call" and any(  # "called on Russia to ...", "called for"
                        c.dep_ == "prep" and c.lower_ in ("on", "upon", "for") and c.i == node.i + 1
                        for c in node.children)))) \
                    and (child.dep_ in ("ccomp", "parataxis", "xcomp", "advcl", "dobj", "conj", "oprd")
                                                       or (child.dep_ == "prep" and child.lower_ == "by")) \
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
            if subj.i != tok.i and not first_person(subj.text):
                parties, _ = self.resolve(subj)
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
        if passive and verb.lemma_.lower() in word_class("emotive"):
            return [c for c in verb.children if c.dep_ == "nsubjpass"], "subject"  # "we are concerned by ..."
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
        main = self.main_act(verb) or misattached_conjunct(verb)
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
            elif c.dep_ == "prep" and (c.lower_ == "by" or (mobilize and c.lower_ in ("of", "between"))
                                       or (not mobilize and c.lower_ == "from")):  # "calls from the U.S."
                for p in c.children:
                    toks += self.region(p, {"of"})
            elif c.dep_ == "prep" and mobilize and c.lower_ == "from":
                for p in c.children:
                    origin += self.region(p)
        owners = self.parties_in(toks) or self.parties_in(origin)
        if not owners:  # "NATO nations were clear in their demands"
            for c in noun.children:
                if c.dep_ == "poss" and c.lower_ == "their":
                    owners = self.resolve(c, noun)[0]
        if not owners and mobilize:  # "its military build-up": whose forces "its" stands for
            for c in noun.children:
                if c.dep_ == "poss" and c.pos_ == "PRON" and not first_person(c.text):
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


_CONTROL_SKIP = {"accuse", "blame", "condemn", "criticize", "criticise"}


@lru_cache(maxsize=1)
def _act_verbs() -> frozenset[str]:
    """Lemmas of verb cues for acts of speaking (demand, reject, accuse, warn
    ...). Left out: physical acts (build-ups, pullbacks: cues on forces) and
    cues that count only as someone's words ("ignored", "expect")."""
    singles, _ = cue_index()

    def physical(c: Cue) -> bool:  # "mass troops", "pull back", "withdraw forces"
        return c.event_type == "MOBILIZE" or (c.event_type == "ACCEPT" and bool(c.particle)) or any(
            "force" in r for r in c.requires)

    def speaking(c: Cue) -> bool:
        return not any(r in ("noun", "said", "speaker") for r in c.requires)
    return frozenset(lemma for lemma, cues in singles.items()
                     if any(speaking(c) for c in cues) and not any(physical(c) for c in cues))


def _is_act_verb(tok: Token, speech: frozenset[str]) -> bool:
    lemma = tok.lemma_.lower()
    return lemma in speech or lemma in _act_verbs()
