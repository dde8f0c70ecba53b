"""The shipped event classifier: one logistic regression per event type over
hashed features, with a decision threshold per type and a higher bar for a
candidate's second type, stored as arrays in ``learn/model/weights.npz`` (no
pickle) and read once."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
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

    @property
    def uses_rules(self) -> bool:
        """Whether the rules' rows are among the features."""
        return self.variant != "model"

    def probabilities(self, row: dict[int, float]) -> np.ndarray:
        """P(type | candidate) for one hashed, unnormalised feature row."""
        if not row:
            return 1.0 / (1.0 + np.exp(-self.bias))
        cols = np.fromiter(row, dtype=np.int64)
        vals = np.minimum(np.fromiter(row.values(), dtype=np.float64), 1.0)
        vals /= float(np.sqrt((vals ** 2).sum())) or 1.0
        z = self.weights[:, cols] @ vals + self.bias
        return 1.0 / (1.0 + np.exp(-z))

    def save(self, path: Path) -> None:
        """Write the model as sparse arrays (only the non-zero weights)."""
        rows, cols = np.nonzero(self.weights)
        np.savez_compressed(path, types=np.array(self.types), rows=rows.astype(np.uint8),
                            cols=cols.astype(np.uint32), values=self.weights[rows, cols].astype(np.float32),
                            bias=self.bias.astype(np.float64), thresholds=self.thresholds.astype(np.float64),
                            name=np.array(self.name), variant=np.array(self.variant),
                            second=np.float64(self.second))


def read_model(path: Path) -> EventModel:
    """A model written by :meth:`EventModel.save`."""
    with np.load(path, allow_pickle=False) as data:
        types = tuple(str(t) for t in data["types"])
        weights = np.zeros((len(types), N_FEATURES), dtype=np.float64)
        weights[data["rows"], data["cols"]] = data["values"]
        second = float(data["second"]) if "second" in data.files else 0.0
        return EventModel(types, weights, data["bias"], data["thresholds"], str(data["name"]),
                          str(data["variant"]), second)


@lru_cache(maxsize=1)
def shipped_model() -> EventModel | None:
    """The model committed with the package, or None when there is none."""
    path = MODEL_DIR / WEIGHTS_FILE
    return read_model(path) if path.is_file() else None
