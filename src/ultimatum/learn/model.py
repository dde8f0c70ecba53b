"""The shipped event classifier: one logistic regression per event type over
hashed features (and, where cross-validation chose them, the parser's token
vectors), with a decision threshold per type and a higher bar for a
candidate's second type, stored as arrays in ``learn/model/weights.npz`` (no
pickle) and read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property, lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from ultimatum.learn.features import N_FEATURES

MODEL_DIR = Path(str(resources.files("ultimatum.learn") / "model"))
WEIGHTS_FILE = "weights.npz"


@dataclass(frozen=True)
class EventModel:
    """Weights (types x features), biases, thresholds and the type order."""
    types: tuple[str, ...]
    weights: np.ndarray
    bias: np.ndarray
    thresholds: np.ndarray
    name: str
    #: ``hybrid``: the model decides every row, the rules' rows among its features;
    #: ``union``: the rules' rows stay and the model adds rows; ``model``: no rule features
    variant: str
    #: what a second event type of the same candidate needs (``decide.chosen_types``)
    second: float = 0.0
    #: weights (types x width) on the parser's token vectors (``features.context_vector``),
    #: read as ``(vector - context_mean) / context_scale``; None: the model reads no vectors
    context_weights: np.ndarray | None = None
    context_mean: np.ndarray | None = None
    context_scale: np.ndarray | None = None

    @property
    def uses_vectors(self) -> bool:
        """Whether the parser's token vectors are among the features."""
        return self.context_weights is not None

    @property
    def uses_rules(self) -> bool:
        """Whether the rules' rows are among the features."""
        return self.variant != "model"

    def probabilities(self, row: dict[int, float], context: np.ndarray | None = None) -> np.ndarray:
        """P(type | candidate) for one hashed, unnormalised feature row and,
        when the model reads them, the candidate's token vectors."""
        z = np.array(self.bias, dtype=np.float64)
        if row:
            cols = np.fromiter(row, dtype=np.int64)
            vals = np.minimum(np.fromiter(row.values(), dtype=np.float64), 1.0)
            vals /= float(np.sqrt((vals ** 2).sum())) or 1.0
            z = self.weights[:, cols] @ vals + z
        if self.context_weights is not None:
            if context is None:
                raise ValueError(f"model {self.name} reads token vectors; none were given")
            scaled, shift = self._scaled_context
            z = z + (scaled @ context - shift)
        return 1.0 / (1.0 + np.exp(-z))

    @cached_property
    def _scaled_context(self) -> tuple[np.ndarray, np.ndarray]:
        """The token-vector weights with the scaling folded in, so that
        ``scaled @ v - shift`` equals ``weights @ ((v - mean) / scale)``."""
        assert self.context_weights is not None and self.context_mean is not None and self.context_scale is not None
        scaled = self.context_weights / self.context_scale
        return scaled, scaled @ self.context_mean

    def save(self, path: Path) -> None:
        """Write the model as sparse arrays (only the non-zero weights)."""
        rows, cols = np.nonzero(self.weights)
        arrays: dict[str, np.ndarray] = {
            "types": np.array(self.types), "rows": rows.astype(np.uint8), "cols": cols.astype(np.uint32),
            "values": self.weights[rows, cols].astype(np.float32), "bias": self.bias.astype(np.float64),
            "thresholds": self.thresholds.astype(np.float64), "name": np.array(self.name),
            "variant": np.array(self.variant), "second": np.array(self.second, dtype=np.float64)}
        if self.context_weights is not None:
            arrays |= {"context_weights": self.context_weights.astype(np.float64),
                       "context_mean": np.asarray(self.context_mean, dtype=np.float64),
                       "context_scale": np.asarray(self.context_scale, dtype=np.float64)}
        np.savez_compressed(path, **arrays)  # type: ignore[arg-type]


def read_model(path: Path) -> EventModel:
    """A model written by :meth:`EventModel.save`."""
    with np.load(path, allow_pickle=False) as data:
        types = tuple(str(t) for t in data["types"])
        weights = np.zeros((len(types), N_FEATURES), dtype=np.float64)
        weights[data["rows"], data["cols"]] = data["values"]
        second = float(data["second"]) if "second" in data.files else 0.0
        keys = ("context_weights", "context_mean", "context_scale")
        present = [k for k in keys if k in data.files]
        if present and len(present) < len(keys):
            raise ValueError(f"{path}: token-vector arrays incomplete (has {', '.join(present)})")
        vectors = {k: data[k] for k in present}
        return EventModel(types, weights, data["bias"], data["thresholds"], str(data["name"]),
                          str(data["variant"]), second, **vectors)


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model committed with the package, or None when there is none."""
    path = MODEL_DIR / WEIGHTS_FILE
    return read_model(path) if path.is_file() else None
