"""Party aliases (codebook section 2): finding the parties a run of tokens names.

Aliases live in ``lexicon/parties.csv``; ``lexicon/not_parties.csv`` lists names
that hold an alias but name no party ("Washington Post", "Minsk agreements"),
matched the same way so that their words name none. Matching works on token texts (a parsed
Doc or a tokenizer-only Doc give the same tokens), longest alias first,
case-sensitive except for leading function words, and accepts possessives
written without an apostrophe ("Russias", "NATOs", "the alliances")."""
from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import spacy
from spacy.tokenizer import Tokenizer

from ultimatum.extract.wordclasses import word_class
from ultimatum.lexicon import read_rows

#: Alias kinds that name a state or a body (not a person, a demonym or a group of parties).
BODY_KINDS = ("state", "capital", "institution")
#: Alias kinds read with a possessive "s" and no apostrophe ("Russias", "NATOs").
_POSSESSIVE_KINDS = BODY_KINDS + ("person", "group")
_FUNCTION_WORDS = {"the", "its", "their", "our", "his", "her"}
_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'"})


@dataclass(frozen=True)
class Party:
    """One actor or target: a party code, the name kept in ``actor_name``, and
    the group phrase it was expanded from (empty for a plain alias)."""
    code: str
    name: str
    group_alias: str = ""


@dataclass(frozen=True)
class Alias:
    """An alias entry: the parties it names and what kind of word it is."""
    parties: tuple[Party, ...]
    kind: str
    text: str


def _norm(token: str) -> str:
    token = token.translate(_APOSTROPHES)
    return token.lower() if token.lower() in _FUNCTION_WORDS else token


#: ``_norm`` remembered: the same few thousand words recur in every article.
_norm_cached = lru_cache(maxsize=500_000)(_norm)


@lru_cache(maxsize=1)
def _tokenizer() -> Tokenizer:
    return spacy.blank("en").tokenizer


def alias_key(text: str) -> tuple[str, ...]:
    """The normalised tokens an alias (or a name to look up) is matched by."""
    return tuple(_norm(t.text) for t in _tokenizer()(text))


@lru_cache(maxsize=1)
def alias_table() -> tuple[dict[tuple[str, ...], Alias], int]:
    """(normalised token tuple -> Alias, longest alias length), loaded once."""
    rows = read_rows("parties.csv")
    names = {r["code"]: r["name"] for r in rows if ";" not in r["code"] and r["code"] != "OTHER"}
    table: dict[tuple[str, ...], Alias] = {}
    for r in rows:
        codes = r["code"].split(";")
        if len(codes) > 1:
            parties = tuple(Party(c, names.get(c, c), r["alias"]) for c in codes)
        else:
            parties = (Party(codes[0], r["name"]),)
        table.setdefault(alias_key(r["alias"]), Alias(parties, r["kind"], r["alias"]))
    for r in read_rows("not_parties.csv"):  # names of no party, matched like aliases
        table.setdefault(alias_key(r["alias"]), Alias((), r["kind"], r["alias"]))
    return table, max(len(k) for k in table)


@lru_cache(maxsize=1)
def _longest_from() -> dict[str, int]:
    """First word of an alias -> length of the longest alias starting with it.
    A word starting no alias (nor, plus "s", a one-word alias: "Russias")
    starts no match, so most words are passed over at once."""
    table, _ = alias_table()
    longest: dict[str, int] = {}
    for key in table:
        longest[key[0]] = max(longest.get(key[0], 0), len(key))
    return longest


def party_names() -> dict[str, str]:
    """Default ``actor_name`` of each main party code."""
    table, _ = alias_table()
    return {a.parties[0].code: a.parties[0].name for a in table.values()
            if len(a.parties) == 1 and a.parties[0].code != "OTHER"}


def _lookup(key: tuple[str, ...], table: dict) -> Alias | None:
    hit = table.get(key)
    if hit is not None:
        return hit
    last = key[-1]
    # possessive without apostrophe: "Russias", "NATOs", "the alliances"
    if len(last) >= 4 and last.endswith("s") and not last.endswith("ss"):
        hit = table.get(key[:-1] + (last[:-1],))
        if hit is not None and hit.kind in _POSSESSIVE_KINDS:
            return hit
    return None


def match_aliases(tokens: Sequence[str], extra: dict[str, Alias] | None = None
                  ) -> list[tuple[int, int, Alias]]:
    """Alias spans (start, end, alias) in a token sequence, longest match first,
    left to right, non-overlapping. ``extra`` maps single surnames learned from
    the article (see :func:`learn_names`) to aliases."""
    table, _ = alias_table()
    starts = _longest_from()
    norm = list(map(_norm_cached, tokens))
    extra = extra or {}
    # only a word starting an alias (or its possessive) or a learned surname starts a match
    begins = [i for i, word in enumerate(norm)
              if word in starts or word in extra or (word[-1:] == "s" and word[:-1] in starts)]
    out: list[tuple[int, int, Alias]] = []
    n = len(norm)
    taken = 0  # end of the last span matched, a party's or a name of none
    for i in begins:
        if i < taken:
            continue
        found = None
        word = norm[i]
        longest = starts.get(word, 0)
        if not longest and word[-1:] == "s" and word[:-1] in starts:
            longest = 1  # only a one-word alias can end in the possessive here
        for size in range(min(longest, n - i), 0, -1):
            hit = _lookup(tuple(norm[i:i + size]), table)
            if hit is not None:
                found = (i, i + size, hit)
                break
        if found is None and word in extra:
            found = (i, i + 1, extra[word])
        elif found and found[2].kind == "person" and norm[found[1] - 1] in extra:
            found = (found[0], found[1], extra[norm[found[1] - 1]])  # a known person speaking as chair of a body
        if found:
            taken = found[1]
            if found[2].parties:  # a name of no party ("Washington Post") only hides its words
                out.append(found)
    return out


def parties_of(aliases: Iterable[Alias]) -> list[Party]:
    """Distinct parties named by aliases, in order of first mention."""
    seen: dict[tuple[str, str], Party] = {}
    for alias in aliases:
        for party in alias.parties:
            seen.setdefault((party.code, party.name), party)
    return list(seen.values())


_NAME = re.compile(r"^[A-Z][a-z]+(?:-[A-Z][a-z]+)?$")
_INITIAL = re.compile(r"^[A-Z]\.$")


def _office_held(tokens: Sequence[str], j: int, spans: list[tuple[int, int, Alias]]) -> Alias | None:
    """The body a person introduced at ``j`` speaks for by office ("Poland's
    foreign minister Jan Nowak, who chairs the OSCE this year", "..., the
    current OSCE chairman"): an institution named right after a word of
    chairing, within the same clause."""
    chair = word_class("chair")
    for k in range(j, min(len(tokens), j + 6)):
        if tokens[k] in (".", ";") or (k > j and tokens[k] == ","):
            return None
        if tokens[k].lower() in chair:
            for start, _end, alias in spans:
                if k - 3 <= start <= k + 6 and start != k and alias.kind == "institution" \
                        and len(alias.parties) == 1 and alias.parties[0].code == "OTHER":
                    return alias
    return None


def learn_names(tokens: Sequence[str], titles: frozenset[str],
                known: dict[str, Alias]) -> dict[str, Alias]:
    """Surnames this sentence ties to a party ("Russian negotiator Ivan Petrov",
    "Kremlin spokesman Dmitry S. Peskov", "Petrov, the Russian envoy"): the
    party alias, one or more words of office, then a capitalised name.
    Returns the surnames added (surname -> alias of the party)."""
    table, _ = alias_table()
    learned: dict[str, Alias] = {}
    spans = match_aliases(tokens, known)
    for _start, end, alias in spans:
        if len(alias.parties) != 1:
            continue
        j = end
        if j < len(tokens) and tokens[j].translate(_APOSTROPHES) == "'s":
            j += 1
        saw_title = False
        while j < len(tokens) and j - end < 6 and (tokens[j].lower() in titles or tokens[j] in ("-", "of", "State")):
            saw_title = saw_title or tokens[j].lower() in titles
            j += 1
        names: list[str] = []
        while j < len(tokens) and len(names) < 4 and (_NAME.match(tokens[j]) or _INITIAL.match(tokens[j])):
            names.append(tokens[j])
            j += 1
        if saw_title and names and _NAME.match(names[-1]):
            surname = names[-1]
            if (surname,) not in table and surname not in known:
                learned[surname] = _office_held(tokens, j, spans) or alias
    for _start, end, alias in spans:  # a known person introduced as chair of a body speaks for it
        office = _office_held(tokens, end, spans) if alias.kind == "person" else None
        if office is not None:
            learned[_norm(tokens[end - 1])] = office
    # appositive after the name: "Dmitry Petrov, the Russian envoy, said"
    for i in range(1, len(tokens) - 3):
        if tokens[i] == "," and _NAME.match(tokens[i - 1]) and tokens[i + 1].lower() == "the":
            for start, end, alias in spans:
                if start in (i + 2, i + 3) and len(alias.parties) == 1 and end < len(tokens) \
                        and tokens[end].lower() in titles:
                    surname = tokens[i - 1]
                    if (surname,) not in table and surname not in known:
                        learned[surname] = alias
    return learned
