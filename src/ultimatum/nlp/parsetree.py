"""Small helpers over a spaCy dependency tree, shared by the extraction steps."""
from __future__ import annotations

from spacy.tokens import Token


def path_to_root(tok: Token, limit: int = 40) -> list[Token]:
    """``tok`` and its heads up to the sentence root (at most ``limit`` tokens)."""
    out = [tok]
    while out[-1].head != out[-1] and len(out) < limit:
        out.append(out[-1].head)
    return out


def tree_distance(a: Token, b: Token) -> int:
    """Number of dependency arcs between two tokens (99 when not connected)."""
    pa = {t.i: k for k, t in enumerate(path_to_root(a))}
    for k, t in enumerate(path_to_root(b)):
        if t.i in pa:
            return pa[t.i] + k
    return 99


#: Relative pronouns ("the alliance, which would not ...").
RELATIVE_PRONOUNS = frozenset({"which", "who", "that", "whom"})


def misattached_conjunct(verb: Token) -> Token | None:
    """The verb a finite verb is really coordinated with when the parser hung
    it on a bare verb it cannot be coordinated with: an infinitive ("called on
    Moscow to return to talks and offered to host them": "offered" goes with
    "called", not with "return"), or a verb under a modal in a clause below
    ("rejected claims it would invade but insisted on guarantees": "would"
    cannot govern "insisted", which goes with "rejected", the nearest finite
    verb above the clause; not when a relative pronoun is the clause's
    subject, which its conjuncts share)."""
    head = verb.head
    if verb.dep_ != "conj" or verb.tag_ not in ("VBD", "VBZ") or head.tag_ != "VB" \
            or any(c.dep_ in ("nsubj", "nsubjpass") for c in verb.children):
        return None
    if head.dep_ == "xcomp" and any(c.dep_ == "aux" and c.lower_ == "to" for c in head.children):
        return head.head if head.head.pos_ in ("VERB", "AUX") else None
    if head.dep_ not in ("relcl", "ccomp", "acl") or not any(
            c.dep_ == "aux" and c.tag_ == "MD" for c in head.children):
        return None
    if head.dep_ == "relcl" and any(c.dep_ in ("nsubj", "nsubjpass") and c.lower_ in RELATIVE_PRONOUNS for c in head.children):
        return None  # "Washington, which would not compromise and insisted on ...": one subject for both
    node = head.head
    for _ in range(3):
        if node.pos_ in ("VERB", "AUX") and node.tag_ in ("VBD", "VBZ", "VBP"):
            return node
        if node.head == node:
            return None
        node = node.head
    return None
