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
