"""Candidate actors of a parsed sentence and the features the event
classifier reads about each: where the party stands in the parse (subject,
owner, object, speaker), the words that govern it, the sentence's cues and
the rows the rules gave. Features are strings hashed into a fixed-size
vector (:func:`hashed`), so the model is a plain weight matrix."""
from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import numpy as np
from spacy.tokens import Token

from ultimatum.extract.actors import Party, parties_of
from ultimatum.extract.sentence import Sentence

#: Size of the hashed feature space.
N_FEATURES = 1 << 18
_CONTENT_POS = {"VERB", "NOUN", "ADJ", "ADV", "AUX", "ADP", "PART"}
_SUBJECTS = {"nsubj", "nsubjpass", "csubj", "agent"}


@dataclass
class Candidate:
    """A party that may act in the sentence, with the tokens that name it and
    how it was found."""
    party: Party
    tokens: list[Token] = field(default_factory=list)
    routes: set[str] = field(default_factory=set)

    @property
    def key(self) -> tuple[str, str]:
        return (self.party.code, self.party.name)


def candidates(sent: Sentence) -> list[Candidate]:
    """Every party the sentence names (alias spans, pronouns resolved to a
    party) or whose words it quotes, in order of first mention; and, when no
    party is the subject of a verb here, the parties the sentence before
    names ("They also called on Kiev to show restraint" after a sentence
    naming two ministers), then the person or body that spoke last in the
    article and the speaker this sentence continues ("Any incursion would be
    met with severe sanctions" a few sentences after the minister spoke).
    Cross-validated on the real development set, the sentence before raised
    F1 by 0.003-0.007 and recall by about 0.015; the speakers 0.002 more."""
    found: dict[tuple[str, str], Candidate] = {}

    def add(parties: list[Party], tok: Token | None, route: str) -> None:
        for p in parties:
            c = found.setdefault((p.code, p.name), Candidate(p))
            if tok is not None and tok not in c.tokens:
                c.tokens.append(tok)
            c.routes.add(route)

    seen_spans: set[int] = set()
    for _i, (start, end, alias) in sorted(sent.alias_at.items()):
        if start in seen_spans:
            continue
        seen_spans.add(start)
        span = sent.tokens[start:end]
        head = next((t for t in span if not (start <= t.head.i < end) or t.head.i == t.i), span[-1])
        add(parties_of([alias]), head, "alias")
    for tok in sent.tokens:
        if tok.pos_ == "PRON" and tok.dep_ in _SUBJECTS | {"poss"} and tok.i not in sent.alias_at:
            parties, _ = sent.resolve(tok)
            add(parties, tok, "pronoun")
    add(list(sent.unit.quote_speaker), None, "quote speaker")
    if not any(t.dep_ in _SUBJECTS for c in found.values() for t in c.tokens):
        unit = sent.unit
        for context, route in ((unit.before, "sentence before"), (unit.reported_by, "reported by"),
                               (unit.he, "he"), (unit.it, "it")):
            add([p for p in context if (p.code, p.name) not in found], None, route)
    return list(found.values())


def _up(tok: Token, hops: int = 3) -> list[Token]:
    out, node = [], tok
    for _ in range(hops):
        if node.head.i == node.i:
            break
        node = node.head
        out.append(node)
    return out


def content_lemmas(sent: Sentence) -> list[str]:
    """The sentence's content words (and negations) as lower-case lemmas, in order."""
    return [t.lemma_.lower() for t in sent.tokens if (t.pos_ in _CONTENT_POS and not t.is_stop) or t.dep_ == "neg"]


def sentence_features(sent: Sentence, lemmas: list[str] | None = None) -> list[str]:
    """What the sentence says, whoever acts: lemmas, lemma pairs, cues, negation
    and mood (``lemmas``: :func:`content_lemmas`, when the caller has them)."""
    feats = []
    lemmas = content_lemmas(sent) if lemmas is None else lemmas
    feats += [f"w={w}" for w in lemmas]
    feats += [f"b={a}_{b}" for a, b in pairwise(lemmas)]
    for m in sent.cues:
        feats.append(f"cue={m.cue.event_type}")
        feats.append(f"cue={m.cue.event_type}|{' '.join(m.cue.words)}")
    for t in sent.tokens:
        if t.dep_ == "neg":
            feats.append(f"neg|{t.head.lemma_.lower()}")
        elif t.dep_ == "mark" and t.lower_ in ("if", "unless", "whether"):
            feats.append(f"mark={t.lower_}")
        elif t.dep_ == "aux" and t.tag_ == "MD":  # a modal, as the tagger reads it
            feats.append(f"aux={t.lemma_.lower()}|{t.head.lemma_.lower()}")
    if sent.question_end is not None:
        feats.append("question")
    if sent.unit.quote_spans:
        feats.append("has_quote")
    return feats


def party_features(sent: Sentence, cand: Candidate, lemmas: list[str] | None = None) -> list[str]:
    """The party's roles and governors in the sentence, and the sentence seen
    from it (:func:`role_features`); no rule features."""
    code = cand.party.code
    feats = [f"p={code}"] + [f"route={r}" for r in sorted(cand.routes)]
    if cand.party.group_alias:
        feats.append("group")
    cue_heads = {m.head: m.cue.event_type for m in sent.cues}
    for tok in cand.tokens[:4]:
        dep, head = tok.dep_, tok.head
        feats += [f"dep={dep}", f"dep={dep}|h={head.lemma_.lower()}", f"h={head.lemma_.lower()}",
                  f"dep={dep}|hdep={head.dep_}", f"p={code}|dep={dep}|h={head.lemma_.lower()}"]
        if sent.unit.in_quote(tok.idx):
            feats.append("in_quote")
        for node in _up(tok):
            feats.append(f"up={node.lemma_.lower()}")
            if node.i in cue_heads:
                feats += [f"gov_cue={cue_heads[node.i]}", f"gov_cue={cue_heads[node.i]}|{dep}",
                          f"p={code}|gov_cue={cue_heads[node.i]}"]
        for c in tok.children:
            if c.dep_ in ("prep", "amod", "compound"):
                feats.append(f"mod={c.lemma_.lower()}")
        if dep in _SUBJECTS and head.pos_ in ("VERB", "AUX"):
            feats.append(f"subj_of={head.lemma_.lower()}")
            feats.append(f"p={code}|subj_of={head.lemma_.lower()}")
            for c in head.children:
                if c.dep_ in ("dobj", "xcomp", "ccomp", "prep", "attr", "acomp"):
                    feats.append(f"subj_of={head.lemma_.lower()}|{c.dep_}={c.lemma_.lower()}")
        if dep in ("dobj", "pobj", "dative"):
            feats.append(f"obj_of={head.lemma_.lower()}")
            if dep == "pobj":
                feats.append(f"pobj={head.lower_}|{head.head.lemma_.lower()}")
        if dep == "poss":
            feats.append(f"owner_of={head.lemma_.lower()}")
    if not cand.tokens:
        feats.append("no_token")
    return feats + role_features(sent, cand, lemmas)


def role(cand: Candidate) -> str:
    """How the sentence names the party: as a subject (active or passive) or
    an owner, as an object (of a verb or a preposition), in another role, or
    not at all (a party from context)."""
    deps = {t.dep_ for t in cand.tokens}
    if not cand.tokens:
        return "none"
    if deps & (_SUBJECTS | {"poss"}):
        return "subj"
    return "obj" if deps & {"dobj", "pobj", "dative"} else "other"


def role_features(sent: Sentence, cand: Candidate, lemmas: list[str] | None = None) -> list[str]:
    """The sentence's words and cues seen from this party: each content lemma
    and cue type joined with the party's :func:`role`, each cue type with the
    party, the words within three tokens of its mentions, and each pair of
    neighbouring content lemmas joined with its role. A linear model over the
    sentence's words alone scores every party of a sentence alike; these let
    "warned" count for the subject and not for the object. Cross-validated on
    the real development set (six folds, two fold splits), the first four
    raised F1 by about 0.006, the pairs by about 0.005 more. ``lemmas``:
    :func:`content_lemmas`, read once per sentence by :func:`hashed_pairs`."""
    where = role(cand)
    lemmas = content_lemmas(sent) if lemmas is None else lemmas
    feats = [f"r={where}|w={w}" for w in lemmas]
    feats += [f"r={where}|cue={m.cue.event_type}" for m in sent.cues]
    feats += [f"p={cand.party.code}|cue={m.cue.event_type}" for m in sent.cues]
    tokens = sent.tokens  # the parse of this sentence alone: a token's ``i`` is its place here
    near = sorted({i for t in cand.tokens for i in range(max(t.i - 3, 0), min(t.i + 4, len(tokens))) if i != t.i})
    feats += [f"near={tokens[i].lemma_.lower()}" for i in near if not tokens[i].is_punct]
    feats += [f"r={where}|b={a}_{b}" for a, b in pairwise(lemmas)]
    return feats


def sentence_vectors(sent: Sentence) -> np.ndarray:
    """The sentence's part of :func:`context_vector`: its token vectors averaged
    and max-pooled (the same for every candidate, so computed once)."""
    whole = sent.doc.tensor
    if whole.size == 0:
        raise ValueError("the parsed sentence has no token vectors: the pipeline needs its tok2vec")
    return np.concatenate([whole.mean(axis=0), whole.max(axis=0)])


def context_vector(sent: Sentence, cand: Candidate, sentence_part: np.ndarray | None = None) -> np.ndarray:
    """The parser's own token vectors (spaCy's ``tok2vec`` output, ``doc.tensor``)
    read four ways: averaged and max-pooled over the sentence
    (:func:`sentence_vectors`, or ``sentence_part`` when the caller has it),
    averaged over the tokens naming the party and over the words governing
    them (zeros for a party named by no token). They carry what the hashed
    words cannot: words the training sentences never used but the parser
    places alike ("stoking", "fuelling"). A sentence's vectors are its own:
    spaCy's shipped pipeline gives the same numbers in any batch, and the bulk
    pipeline (numpy's BLAS) gives them to within about 1e-6, as it does the
    parser's own scores, so only a probability within about 1e-7 of a
    threshold could go the other way."""
    sentence_part = sentence_vectors(sent) if sentence_part is None else sentence_part
    whole = sent.doc.tensor
    if cand.tokens:
        idx = [t.i for t in cand.tokens]
        heads = [t.head.i for t in cand.tokens]
        own, governing = whole[idx].mean(axis=0), whole[heads].mean(axis=0)
    else:
        own = governing = np.zeros(whole.shape[1], dtype=whole.dtype)
    return np.concatenate([sentence_part, own, governing]).astype(np.float32)


def rule_features(code: str, rule_types: set[str], any_rule_types: set[str]) -> list[str]:
    """The rules' rows: the types they gave this party and the types they gave others."""
    return ([f"rule={t}" for t in sorted(rule_types)] + [f"p={code}|rule={t}" for t in sorted(rule_types)]
            + [f"rule_other={t}" for t in sorted(any_rule_types - rule_types)])


def hashed(features: list[str], start: dict[int, float] | None = None) -> dict[int, float]:
    """Feature strings -> column index -> count (CRC-32, the same on every machine).
    With ``start`` (what :func:`hashed` gave for some features before these),
    the same dict, in the same order, as hashing those features and these together."""
    out: dict[int, float] = dict(start) if start else {}
    for f in features:
        j = zlib.crc32(f.encode("utf-8")) % N_FEATURES
        out[j] = out.get(j, 0.0) + 1.0
    return out


def to_matrix(rows: list[dict[int, float]]) -> np.ndarray | object:
    """Hashed rows as a scipy CSR matrix (binary-capped, L2-normalised)."""
    from scipy.sparse import csr_matrix
    indptr, indices, data = [0], [], []
    for row in rows:
        cols = sorted(row)
        vals = np.minimum(np.array([row[c] for c in cols], dtype=np.float64), 1.0)
        norm = float(np.sqrt((vals ** 2).sum())) or 1.0
        indices += cols
        data += list(vals / norm)
        indptr.append(len(indices))
    return csr_matrix((data, indices, indptr), shape=(len(rows), N_FEATURES))


def hashed_examples(sent: Sentence, rule_rows: list[dict[str, Any]],
                    with_rules: bool) -> list[tuple[Candidate, dict[int, float]]]:
    """(candidate, hashed features) for every candidate of a sentence, the
    one row both training and extraction read: :func:`hashed` of the
    sentence's features followed by the candidate's, with the rules' rows
    (``with_rules``, the hybrid) or without (the model alone)."""
    return [(cand, with_rows if with_rules else without) for cand, with_rows, without in hashed_pairs(sent, rule_rows)]


def hashed_pairs(sent: Sentence, rule_rows: list[dict[str, Any]]
                 ) -> list[tuple[Candidate, dict[int, float], dict[int, float]]]:
    """(candidate, row with the rules' rows, row without) for every candidate.
    The sentence's own features are hashed once for all its candidates, each
    candidate's once for both rows (training reads both)."""
    lemmas = content_lemmas(sent)
    base = hashed(sentence_features(sent, lemmas))
    any_types = {r["event_type"] for r in rule_rows}
    out = []
    for cand in candidates(sent):
        without = hashed(party_features(sent, cand, lemmas), base)
        own = {r["event_type"] for r in rule_rows if (r["actor"], r["actor_name"]) == cand.key}
        out.append((cand, hashed(rule_features(cand.party.code, own, any_types), without), without))
    return out
