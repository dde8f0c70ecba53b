"""Who acts: the actor of a cue (subject, agent, owner of a nominal cue,
speaker, alleger) and the owners of demands named as nouns."""
from __future__ import annotations

from functools import lru_cache

from spacy.tokens import Token

from ultimatum.extract.actors import Party
from ultimatum.extract.conditions import _intent_above, _light_owner, _negated, _reported_aggression
from ultimatum.extract.cues import Cue, CueMatch
from ultimatum.extract.nominal import NOUN_REACH, PRONOUN_REACH, PRONOUNS, Nominal, find_nominals, mention_nouns, vocabulary
from ultimatum.extract.sentence import Sentence
from ultimatum.extract.wordclasses import word_class


def _actors(match: CueMatch, sent: Sentence) -> tuple[list[Party], str]:
    tok = sent.tokens[match.head]
    req = match.cue.requires
    if "modal" in req or "said" in req or (tok.lower_ == "necessary") or ("speaker" in req and tok.pos_ == "ADJ") \
            or "stirs_strife" in req:  # "Russia says the West is stoking hysteria": Russia accuses
        return sent.speaker(tok)
    toks: list[Token] = []
    how = ""
    if "alleged" in req:
        return _alleger(tok, sent)
    if (tok.pos_ in ("NOUN", "PROPN", "NUM") and (tok.dep_ != "ROOT" or not any(
            t.pos_ in ("VERB", "AUX") for t in sent.tokens))) or (tok.pos_ == "ADJ" and tok.dep_ == "amod"):
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
            elif lemma in sent.speech and match.cue.event_type == "MOBILIZE" and tok.dep_ == "dobj":
                # "officials noted a buildup of troops": the reporter's words, not its forces
                _, parties = sent.unit.memory.latest(sent.unit.sentence_id, ("MOBILIZE",), 10)
                return (parties, "earlier build-up") if parties else ([], "")
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


def _alleger(tok: Token, sent: Sentence) -> tuple[list[Party], str]:
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


@lru_cache(maxsize=1)
def _proposal_nouns() -> frozenset[str]:
    return frozenset(w for w, (etype, _) in vocabulary()["noun"].items() if etype == "PROPOSAL")


@lru_cache(maxsize=1)
def _mention_nouns() -> frozenset[str]:
    return mention_nouns()


def _proposal_type(sent: Sentence, owner: list[Party], default: str = "OFFER") -> str:
    """DEMAND or OFFER: what the owner's latest demand or offer in the article was."""
    kind, _ = sent.unit.memory.latest(sent.unit.sentence_id, ("DEMAND", "OFFER"), sent.unit.sentence_id + 1,
                                      owner=tuple(owner))
    return kind or default


def _nominal_owner(nom: Nominal, sent: Sentence) -> tuple[list[Party], str, str]:
    """(owner parties, how found, event type) of a demand named as a noun."""
    noun = sent.tokens[nom.noun]
    memory, sid = sent.unit.memory, sent.unit.sentence_id
    if noun.pos_ == "PRON":  # "They included proposals on ..."
        kind, parties = memory.latest(sid, ("DEMAND", "OFFER"), PRONOUN_REACH)
        return parties, "antecedent", kind if nom.event_type == "PROPOSAL" else nom.event_type
    owner, how = sent.noun_owner(noun, False), "owner"
    if not owner and sent.tokens[nom.verb].head.i == noun.i and noun.dep_ == "dobj" \
            and noun.head.lemma_.lower() in vocabulary()["passive"]:  # "Russia sent draft texts requiring ...": the sender's
        owner, how = _light_owner(noun, sent), "light verb"
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


def _nominal_pattern(nom: Nominal, sent: Sentence) -> str:
    """How a nominal cue reads in ``rule``: the noun, or for a pronoun
    ("They included proposals ...") the pronoun, its verb and what it names."""
    if nom.lemma not in PRONOUNS:
        if sent.tokens[nom.verb].head.i == nom.noun:
            return f"{nom.lemma} (named by the clause on it)"
        return f"{nom.lemma} (named as subject)"
    verb = sent.tokens[nom.verb]
    named = [c.lemma_.lower() for c in verb.children if c.dep_ == "dobj"]
    return " ".join([nom.lemma, verb.lemma_.lower(), *named]) + " (named by a pronoun)"


def _nominal_matches(sent: Sentence) -> tuple[list[CueMatch], dict[int, tuple[list[Party], str]]]:
    """Cue matches for demands named as the subject of a content verb, headed
    on that verb, with their owners (see :mod:`ultimatum.extract.nominal`)."""
    matches: list[CueMatch] = []
    owners: dict[int, tuple[list[Party], str]] = {}
    for nom in find_nominals(sent.tokens):
        parties, how, etype = _nominal_owner(nom, sent)
        if not parties or not etype:
            continue
        cue = Cue(_nominal_pattern(nom, sent), etype, "", frozenset({"nominal"}), (nom.lemma,), 0, "")
        matches.append(CueMatch(cue, nom.verb, nom.noun, nom.noun + 1))
        owners[nom.verb] = (parties, f"nominal {how}")
    return matches, owners
