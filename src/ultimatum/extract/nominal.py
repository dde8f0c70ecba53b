"""Demands and proposals named as nouns (codebook section 9): a sentence whose
subject is a demand or proposal and whose verb states its content ("The draft
proposals contain a ban on ...", "The demands would preclude ...", "The demand
that NATO not expand is one of Russia's long-standing ones"), or a demand
noun that a content verb's participle or relative clause is about ("Russia
sent draft texts requiring NATO to ..."), is an event of the demand's owner
(for a sent or published document, whoever sent or published it). The
vocabulary is ``lexicon/nominal.csv``.

The owner is read from the noun's possessor or modifiers ("Moscow's demands",
"the US proposal"); an anaphoric noun ("The demands") or pronoun ("They
included ...") takes the owner of the nearest earlier demand or offer of the
article, kept in an :class:`ArticleMemory` that extraction fills in article
order."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from spacy.tokens import Doc, Token

from ultimatum.extract.actors import Party
from ultimatum.lexicon import read_rows
from ultimatum.nlp.parsetree import RELATIVE_PRONOUNS

#: How many sentences back an anaphoric demand or pronoun may find its owner.
NOUN_REACH = 10
PRONOUN_REACH = 3
#: Pronouns that open a sentence naming demands or proposals ("They included proposals ...").
PRONOUNS = {"they", "these", "those", "it", "this"}


@dataclass(frozen=True)
class Nominal:
    """A nominal event found in a sentence: the content verb (cue head), the
    subject naming the demand, its event type (DEMAND, OFFER or PROPOSAL), and
    the type a PROPOSAL has when its owner's earlier acts do not say."""
    verb: int
    noun: int
    event_type: str
    lemma: str
    default: str = "OFFER"


@lru_cache(maxsize=1)
def vocabulary() -> dict[str, dict[str, tuple[str, str]]]:
    """kind -> {word: (event_type, particle)}."""
    out: dict[str, dict[str, tuple[str, str]]] = {"noun": {}, "content_noun": {}, "content": {}, "passive": {}}
    for row in read_rows("nominal.csv"):
        kind = row["kind"].strip()
        if kind not in out:
            raise ValueError(f"nominal.csv: word {row['word']!r} has unknown kind {kind!r}")
        out[kind][row["word"].strip().lower()] = (row.get("event_type", "").strip(), row.get("particle", "").strip())
    return out


#: Nouns an article's later sentences may refer back to besides the demand
#: nouns ("Russia handed over draft treaties ... The document ...").
_MENTION_EXTRA = frozenset({"document"})


@lru_cache(maxsize=1)
def mention_nouns() -> frozenset[str]:
    """Nouns whose owner extraction remembers for the article's later sentences."""
    return frozenset(vocabulary()["noun"]) | _MENTION_EXTRA


@lru_cache(maxsize=1)
def words() -> frozenset[str]:
    """Every noun and content verb of the vocabulary (for the text prefilter)."""
    v = vocabulary()
    return frozenset(v["noun"]) | frozenset(v["content"])


@lru_cache(maxsize=1)
def content_nouns() -> frozenset[str]:
    """Nouns whose dependents are the content of a demand, not acts."""
    v = vocabulary()
    return frozenset(v["noun"]) | frozenset(v["content_noun"])


def _content_clause(noun: Token) -> bool:
    """Does the noun carry a clause stating its content ("demand that NATO not
    expand", "demand to roll back ...")?"""
    for c in noun.children:
        if c.dep_ in ("acl", "relcl") and c.pos_ in ("VERB", "AUX") and any(
                (m.dep_ == "mark" and m.lower_ == "that") or (m.dep_ == "aux" and m.lower_ == "to")
                for m in c.children):
            return True
    return False


def _default_type(verb: Token, demanding: bool) -> str:
    """DEMAND when the verb demands or the content is a ban, pledge or limit."""
    if demanding:
        return "DEMAND"
    v = vocabulary()
    if any(t.lemma_.lower() in v["content_noun"] for t in verb.subtree):
        return "DEMAND"
    return "OFFER"


def _named(tok: Token, nouns: dict[str, tuple[str, str]]) -> str:
    """The vocabulary noun a noun phrase's head names: its own lemma or form,
    or a modifier's ("draft texts", "draft treaties"); '' for none."""
    lemma, low = tok.lemma_.lower(), tok.lower_
    if lemma in nouns or low in nouns:
        return lemma if lemma in nouns else low
    return next((c.lemma_.lower() for c in tok.children
                 if c.dep_ == "compound" and c.lemma_.lower() in nouns), "")


def _reduced_relative(verb: Token) -> bool:
    """A clause on a noun whose subject is that noun: a participle ("draft
    texts requiring NATO to ...") or a relative clause whose subject is the
    relative pronoun ("proposals which call for ...")."""
    if verb.dep_ == "acl":
        return verb.tag_ == "VBG"
    return verb.dep_ == "relcl" and any(c.dep_ == "nsubj" and c.lower_ in RELATIVE_PRONOUNS for c in verb.children)


def find_nominals(doc: Doc | Sequence[Token]) -> list[Nominal]:
    """Nominal events of a parsed sentence, a Doc or its tokens (before the
    owner is known): a demand or proposal noun as the subject of a content
    verb, or as the noun a content verb's reduced or relative clause is about."""
    v = vocabulary()
    out: list[Nominal] = []
    for tok in doc:
        if tok.dep_ in ("acl", "relcl") and _reduced_relative(tok) and tok.lemma_.lower() in v["content"]:
            named = _named(tok.head, v["noun"])
            demanding, particle = v["content"][tok.lemma_.lower()]
            if named and tok.head.pos_ == "NOUN" and (not particle or any(c.lower_ == particle for c in tok.children)):
                out.append(Nominal(tok.i, tok.head.i, v["noun"][named][0], named, _default_type(tok, bool(demanding))))
            continue
        if tok.dep_ not in ("nsubj", "nsubjpass"):
            continue
        low = tok.lower_
        verb = tok.head
        vlemma = verb.lemma_.lower()
        lemma = _named(tok, v["noun"])
        if lemma:
            etype = v["noun"][lemma][0]
            if vlemma in v["content"] and tok.dep_ == "nsubj":
                demanding, particle = v["content"][vlemma]
                if particle and not any(c.lower_ == particle for c in verb.children):
                    continue
                out.append(Nominal(verb.i, tok.i, etype, lemma, _default_type(verb, bool(demanding))))
            elif vlemma in v["passive"] and tok.dep_ == "nsubjpass":
                out.append(Nominal(verb.i, tok.i, etype, lemma, _default_type(verb, False)))
            elif vlemma == "be" and _content_clause(tok):
                out.append(Nominal(verb.i, tok.i, etype, lemma, "DEMAND"))
        elif low in PRONOUNS and tok.i == 0 and vlemma in ("include", "contain"):
            objs = [o.lemma_.lower() for o in verb.children if o.dep_ == "dobj"]
            named = next((v["noun"][o][0] for o in objs if o in v["noun"]), "")
            out.append(Nominal(verb.i, tok.i, "OFFER" if named == "PROPOSAL" else named or "PROPOSAL", low))
    return out


def _keep(store: dict, sentence_id: int, value: Any) -> None:
    """Store a sentence's entry, or forget any earlier one when it has none
    (a sentence read again leaves no stale entry)."""
    if value:
        store[sentence_id] = value
    else:
        store.pop(sentence_id, None)


@dataclass
class ArticleMemory:
    """Demands, offers and build-ups extracted so far in one article, by sentence,
    the owned demand or proposal nouns mentioned ("the Russian documents") and
    the state or body each sentence has as subject: the small context that
    anaphoric nominal events and a sentence-initial "it" read. Filled by
    extraction in article order; a sentence reads only sentences before it."""
    acts: dict[int, list[tuple[str, Party]]] = field(default_factory=dict)
    #: sentence -> (event type, actor code and name, target codes) of rows whose target the sentence named
    targets: dict[int, list[tuple[str, tuple[str, str], tuple[str, ...]]]] = field(default_factory=dict)
    #: sentence -> the state or body its main clause has as subject ("Russia denies ..."):
    #: what a sentence-initial "it" in the next sentence stands for
    subjects: dict[int, tuple[Party, ...]] = field(default_factory=dict)

    def record(self, sentence_id: int, rows: list[dict], mentions: list[Party]) -> None:
        """Remember a sentence's owned demand nouns (kind NOUN) and its demand
        and offer rows."""
        acts = [("NOUN", p) for p in mentions]
        acts += [(r["event_type"], Party(r["actor"], r["actor_name"], r["group_alias"])) for r in rows
                 if r["event_type"] in ("DEMAND", "OFFER", "MOBILIZE")]
        _keep(self.acts, sentence_id, acts)
        named = [(r["event_type"], (r["actor"], r["actor_name"]), tuple(r["target"].split(";")))
                 for r in rows if r["target"] and "target: article" not in r["rule"]]
        _keep(self.targets, sentence_id, named)

    def record_subject(self, sentence_id: int, subject: tuple[Party, ...]) -> None:
        """Remember the state or body a sentence has as main subject."""
        _keep(self.subjects, sentence_id, subject)

    def latest_target(self, sentence_id: int, party: Party, event_type: str) -> tuple[str, ...]:
        """Target codes of the nearest earlier row in the article by the same
        actor and of the same type whose own sentence named its target."""
        for k in range(sentence_id - 1, -1, -1):
            for etype, actor, codes in self.targets.get(k, ()):
                if etype == event_type and actor == (party.code, party.name):
                    return codes
        return ()

    def latest(self, sentence_id: int, kinds: tuple[str, ...], reach: int,
               owner: tuple[Party, ...] = ()) -> tuple[str, list[Party]]:
        """(kind, parties) of the nearest earlier sentence within ``reach``
        that has an entry of ``kinds`` (by ``owner`` when given); within a
        sentence the first kind in ``kinds`` found wins."""
        codes = {(p.code, p.name) for p in owner}
        for k in range(sentence_id - 1, max(-1, sentence_id - 1 - reach), -1):
            acts = [(t, p) for t, p in self.acts.get(k, ()) if t in kinds
                    and (not codes or (p.code, p.name) in codes)]
            if acts:
                kind = min((t for t, _ in acts), key=kinds.index)
                parties: list[Party] = []
                for t, p in acts:
                    if t == kind and p not in parties:
                        parties.append(p)
                return kind, parties
        return "", []
