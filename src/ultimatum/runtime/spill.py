"""Event rows kept on disk while a run extracts, so that memory does not grow
with the corpus: rows are appended to a hidden temporary JSON-lines file as
batches come back (one line per article) and read back in chunks to write
``events.csv``.

Each chunk gets the column types the whole table would have (an integer
column that holds a number elsewhere prints ``3.0``, not ``3``), so the CSV
written chunk by chunk is byte for byte the CSV of the whole table: the spill
notes, per column, one value of each Python type it has seen, and pandas
infers the types from those as it would from every row. ``read_typed_csv``
reads such a CSV back with those types."""
from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TypeVar

import numpy as np
import pandas as pd

from ultimatum.cells import restore

_T = TypeVar("_T", bound="_TempFile")


class _TempFile:
    """A hidden ``.tmp`` file in ``folder``, removed by :meth:`remove`."""

    def __init__(self, folder: str | os.PathLike, prefix: str, binary: bool = False) -> None:
        fd, self.path = tempfile.mkstemp(prefix=prefix, suffix=".tmp", dir=folder)
        # text (str) or, with ``binary``, bytes: each subclass writes one kind
        self._out: IO[Any] = os.fdopen(fd, "wb") if binary else os.fdopen(fd, "w", encoding="utf-8", newline="\n")

    def close(self) -> None:
        """Finish writing (the file stays until :meth:`remove`)."""
        if not self._out.closed:
            self._out.close()

    def remove(self) -> None:
        """Close and delete the file."""
        self.close()
        try:
            os.unlink(self.path)
        except FileNotFoundError:
            pass

    def __enter__(self: _T) -> _T:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


class EventSpill(_TempFile):
    """Event rows of a run, one JSON line per article, in ``folder``."""

    def __init__(self, folder: str | os.PathLike, columns: Sequence[str]) -> None:
        super().__init__(folder, ".events.spill.")
        self.columns = list(columns)
        self.rows = 0
        self._kinds: dict[str, dict[type, Any]] = {c: {} for c in self.columns}

    def append(self, rows: list[dict]) -> None:
        """Add one article's rows (plain JSON values)."""
        self._out.write(json.dumps(rows, ensure_ascii=False))
        self._out.write("\n")
        self.rows += len(rows)
        for column, kinds in self._kinds.items():
            values = [row.get(column) for row in rows]
            for kind in set(map(type, values)) - kinds.keys():
                kinds[kind] = next(v for v in values if type(v) is kind)

    def dtypes(self) -> dict[str, Any]:
        """Column types of the table of every row appended (as pandas infers them)."""
        examples = {c: list(kinds.values()) for c, kinds in self._kinds.items() if kinds}
        longest = max((len(v) for v in examples.values()), default=0)
        if not longest:
            return {}
        records = [{c: v[k % len(v)] for c, v in examples.items()} for k in range(longest)]
        return pd.DataFrame(records, columns=self.columns).dtypes.to_dict()

    def chunks(self, size: int) -> Iterator[pd.DataFrame]:
        """The rows as tables of about ``size`` rows (whole articles), each with
        the whole table's column types; one empty table when there are none."""
        self.close()
        dtypes = self.dtypes()
        buffer: list[dict] = []
        sent = False
        with open(self.path, encoding="utf-8") as fh:
            for line in fh:
                buffer.extend(json.loads(line))
                if len(buffer) >= size:
                    yield self._frame(buffer, dtypes)
                    buffer, sent = [], True
        if buffer or not sent:
            yield self._frame(buffer, dtypes)

    def _frame(self, rows: list[dict], dtypes: Mapping[str, Any]) -> pd.DataFrame:
        if not dtypes:
            return pd.DataFrame(rows, columns=self.columns)
        # values as they are, then each column given the whole table's type
        frame = pd.DataFrame(rows, columns=self.columns, dtype=object)
        return frame.astype({c: t for c, t in dtypes.items() if np.dtype(t).kind != "O"})


@dataclass(frozen=True)
class StoredText:
    """Stands for a text kept in a :class:`TextStore`: its number there and its length."""
    number: int
    length: int

    def __len__(self) -> int:
        return self.length


class TextStore(_TempFile):
    """Texts appended one by one to a temporary file, read back by number
    (every append comes before the first read)."""

    def __init__(self, folder: str | os.PathLike) -> None:
        super().__init__(folder, ".texts.", binary=True)  # bytes written are the offsets counted
        self._offsets: list[int] = []
        self._size = 0
        self._in: IO[bytes] | None = None

    def __len__(self) -> int:
        return len(self._offsets)

    def append(self, text: str) -> None:
        line = (json.dumps(text, ensure_ascii=False) + "\n").encode("utf-8")
        self._offsets.append(self._size)
        self._out.write(line)
        self._size += len(line)

    def keep(self, text: str) -> StoredText:
        """Append ``text``; what stands for it until it is read back (:meth:`text`)."""
        self.append(text)
        return StoredText(len(self._offsets) - 1, len(text))

    def text(self, value: Any) -> Any:
        """The text a :class:`StoredText` stands for; any other value as it is."""
        return self[value.number] if isinstance(value, StoredText) else value

    def __getitem__(self, number: int) -> str:
        if self._in is None:
            self.close()
            self._in = open(self.path, "rb")
        self._in.seek(self._offsets[number])
        return json.loads(self._in.readline())

    def remove(self) -> None:
        if self._in is not None:
            self._in.close()
        super().remove()


def read_typed_csv(path: str | os.PathLike, dtypes: Mapping[str, Any]) -> pd.DataFrame:
    """A CSV written from a table of text, whole-number and number columns,
    read back as that table: every column as text, then ``dtypes`` applied
    (an empty field of a number column is NaN). Text is read back as written
    when it holds no carriage return or NUL (ingest removes both), without the
    quote that keeps a spreadsheet from running it (``cells.restore``)."""
    table = restore(pd.read_csv(Path(path), dtype=str, keep_default_na=False))
    if table.empty:
        return table
    for column, dtype in dtypes.items():
        dtype = np.dtype(dtype)
        if column not in table.columns or dtype.kind == "O":
            continue
        if dtype.kind == "f":
            table[column] = np.array([float(v) if v != "" else np.nan for v in table[column]],
                                     dtype=dtype)
        elif dtype.kind == "b":
            table[column] = table[column] == "True"
        else:
            table[column] = table[column].astype(dtype)
    return table
