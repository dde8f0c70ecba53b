"""HTML table helpers of the report: escaping, the generic :func:`html_table`
(numeric cells keyed by ``data-key`` for tests and readers), count matrices
and actor/target tables, and short text helpers."""
from __future__ import annotations

import html
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import pandas as pd

from ultimatum.report.data import ReportData
from ultimatum.report.findings import acts


def escape(value: object) -> str:
    return html.escape("" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value))


def html_table(rows: Sequence[Mapping[Any, Any]], columns: list[tuple[str, str]], *, numeric: Sequence[str] = (),
               key: str | None = None, row_key: str | None = None, cls: str = "",
               foot: Mapping[str, Any] | None = None, raw: Sequence[str] = (), group: str | None = None,
               href: Callable[[str, str], str | None] | None = None) -> str:
    """A table; numeric cells are right-aligned and, with ``key`` and
    ``row_key``, carry ``data-key="KEY.ROW.COLUMN"`` for tests and readers.
    ``href(row, column)`` (row: the ``row_key`` value, ``"total"`` for the
    foot) links a numeric cell to its evidence. Columns named in ``raw`` hold
    trusted HTML. Rows sharing the value of ``group`` form one ``tbody``,
    kept on one page."""
    def cell(v: Any, row: str, c: str) -> str:
        link = href(row, c) if href and row and v not in ("", None, 0, "0") else None  # nothing behind a 0
        return f'<a href="{escape(link)}">{escape(v)}</a>' if link else escape(v)

    head = "".join(f'<th class="{"n" if c in numeric else ""}" scope="col">{escape(h)}</th>' for c, h in columns)
    body: list[str] = []
    for row in rows:
        cells = []
        for c, _ in columns:
            v = row.get(c, "")
            attr = ""
            if c in numeric:
                attr = ' class="n"'
                if key and row_key:
                    attr += f' data-key="{escape(key)}.{escape(row[row_key])}.{escape(c)}"'
            text = v if c in raw else cell(v, str(row.get(row_key, "")) if row_key else "", c) \
                if c in numeric else escape(v)
            cells.append(f"<td{attr}>{text}</td>")
        new_group = group and body and row[group] != rows[len(body) - 1][group]
        body.append(('</tbody><tbody class="group">' if new_group else "")
                    + "<tr>" + "".join(cells) + "</tr>")
    tfoot = ""
    if foot:
        cells = []
        for c, _ in columns:
            attr = ""
            if c in numeric:
                attr = ' class="n"' + (f' data-key="{escape(key)}.total.{escape(c)}"' if key else "")
            text = cell(foot.get(c, ""), "total", c) if c in numeric else escape(foot.get(c, ""))
            cells.append(f"<td{attr}>{text}</td>")
        tfoot = "<tfoot><tr>" + "".join(cells) + "</tr></tfoot>"
    first_body = '<tbody class="group">' if group else "<tbody>"
    return (f'<table class="{cls}"><thead><tr>{head}</tr></thead>'
            f'{first_body}{"".join(body)}</tbody>{tfoot}</table>')


def matrix_table(table: pd.DataFrame, d: ReportData, key: str, row_title: str,
                 col_label: Callable[[str], str], total: bool = True,
                 row_label: Callable[[str], str] | None = None,
                 rows_of: Callable[[str | None, str | None], pd.DataFrame] | None = None,
                 describe: Callable[[str | None, str | None], str] | None = None) -> str:
    """Counts of a table of codes (rows) x codes (columns) with their labels and
    totals; ``rows_of(row, column)`` (None: all) gives the events behind a
    count, which then links to them, and ``describe(row, column)`` says what
    the count counts."""
    if table.empty:
        return '<p class="none">No events in the selected data.</p>'
    cols = list(table.columns)
    names = {c: f"c{i}" for i, c in enumerate(cols)}
    rows = []
    for idx, r in table.iterrows():
        code = str(idx)  # a party or topic code
        row: dict[str, Any] = {"_code": code or "none", "label": (row_label or d.cfg.party_label)(code)}
        row.update({names[c]: int(r[c]) for c in cols})
        row["total"] = int(r.sum())
        rows.append(row)
    columns = [("label", row_title)] + [(names[c], col_label(c)) for c in cols] + ([("total", "Total")] if total else [])
    foot = {"label": "Total", **{names[c]: int(table[c].sum()) for c in cols}, "total": int(table.to_numpy().sum())}
    codes = {n: c for c, n in names.items()}

    def href(row: str, col: str) -> str | None:
        if rows_of is None:
            return None
        r = None if row == "total" else ("" if row == "none" else row)
        c = None if col == "total" else codes[col]
        what = describe(r, c) if describe else f"{row_title} {(row_label or d.cfg.party_label)(r) if r is not None else 'all'}" + \
            (f", {col_label(c)}" if c is not None else "")
        return d.ref(f"{key}.{row}.{c if c is not None else 'total'}", what, rows_of(r, c))
    html_out = html_table(rows, columns, numeric=tuple(names.values()) + ("total",), key=key,
                          row_key="_code", cls="counts", foot=foot, href=href)
    # data-keys name the real column codes, not the positional names
    for c, n in names.items():
        html_out = html_out.replace(f'.{n}"', f'.{escape(c or "none")}"')
    return html_out


def party_pair_table(table: pd.DataFrame, d: ReportData, key: str, types: list[str]) -> str:
    """One row per (actor, target) pair, one column per event type, with
    totals; each count links to its events."""
    if table.empty:
        return '<p class="none">No events in the selected data.</p>'
    rows = [{"_code": f"{r['actor']}>{r['target'] or 'none'}", "actor": d.cfg.party_label(r["actor"]),
             "target": d.cfg.party_label(r["target"]), **{t: int(r[t]) for t in types}, "total": int(r["total"])}
            for _, r in table.iterrows()]
    foot = {"actor": "Total", **{t: int(table[t].sum()) for t in types}, "total": int(table["total"].sum())}
    from ultimatum.report.counts import rows_of

    def href(row: str, col: str) -> str | None:
        actor, _, target = row.partition(">") if row != "total" else (None, "", None)
        kinds = types if col == "total" else [col]
        what = (acts(col) if col != "total" else "Events") + (
            f" by {d.cfg.party_label(actor)} towards {d.cfg.party_label('' if target in ('none', None) else str(target))}"
            if actor is not None else " in this table")
        return d.ref(f"{key}.{row}.{col}", what, rows_of(
            d.events, kinds, actor, None if target is None else ("" if target == "none" else target)))
    return html_table(rows, [("actor", "Actor"), ("target", "Target")] + [(t, t.title()) for t in types]
                      + [("total", "Total")], numeric=(*types, "total"), key=key, row_key="_code",
                      cls="counts", foot=foot, href=href)


def label_counts(codes: str, label: Callable[[str], str]) -> str:
    """``"RUS 7; UKR 1"`` -> ``"Russia 7, Ukraine 1"``."""
    parts = [p.rsplit(" ", 1) for p in codes.split("; ") if p]
    return ", ".join(f"{label(code)} {n}" for code, n in parts)


def shorten(text: str, n: int) -> str:
    """``text`` cut to at most ``n`` characters, with an ellipsis when cut."""
    text = str(text)
    return text if len(text) <= n else text[: n - 1].rstrip() + "…"
