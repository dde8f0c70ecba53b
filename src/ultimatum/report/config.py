"""Settings of the report's tables and charts, read from ``config/report.yaml``.

Everything a reader may want to change without touching code lives there:
parties (order, labels, colours), event types shown, the date window, the
escalation index, milestones on or off, the chart style. Papermill parameters
(or ``ultimatum report -p KEY=VALUE``) override single keys."""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from ultimatum.schema import EVENT_TYPES

CONFIG_DIR = Path(str(resources.files("ultimatum") / "config"))
DEFAULT_CONFIG = CONFIG_DIR / "report.yaml"
MILESTONE_COLUMNS = ["date", "date_end", "label", "article_id", "evidence"]
KEYS = {"title", "subject", "parties", "topics", "event_types", "date_from", "date_to", "escalation",
        "show_milestones", "milestones_file", "style", "png_dpi", "max_sentence_chars",
        "evidence_limit"}
_COLOUR = re.compile(r"^#[0-9A-Fa-f]{6}$")


class ConfigError(ValueError):
    """A report setting that cannot be used; the message names the file and key."""


@dataclass(frozen=True)
class Party:
    """A party as drawn in the report."""
    code: str
    label: str
    colour: str


@dataclass(frozen=True)
class ReportConfig:
    """Validated report settings."""
    title: str
    subject: str
    parties: tuple[Party, ...]
    topics: dict[str, str]
    event_types: dict[str, str]
    date_from: dt.date | None
    date_to: dt.date | None
    escalation_basis: str
    escalation_kind: str
    escalation_window: int
    show_milestones: bool
    milestones: pd.DataFrame = field(repr=False)
    style: Path
    png_dpi: int
    max_sentence_chars: int
    evidence_limit: int | None
    source: Path

    @property
    def party_codes(self) -> list[str]:
        """Party codes in display order."""
        return [p.code for p in self.parties]

    def party_label(self, code: str) -> str:
        """Display label of a party code (the code itself when unknown)."""
        return next((p.label for p in self.parties if p.code == code), code or "(none named)")

    def topic_label(self, code: str) -> str:
        """Display label of a topic code (the code itself when unknown)."""
        return self.topics.get(code, code) if code else "(no topic named)"

    def party_colour(self, code: str) -> str:
        """Colour of a party; unknown codes take OTHER's colour (or grey)."""
        by_code = {p.code: p.colour for p in self.parties}
        return by_code.get(code, by_code.get("OTHER", "#8C8C8C"))


def _fail(source: Path, key: str, problem: str) -> ConfigError:
    return ConfigError(f"{source}: {key}: {problem}")


def _as_list(value: Any) -> list:
    if isinstance(value, str):
        return [v.strip() for v in value.split(",") if v.strip()]
    return list(value)


def _date(source: Path, key: str, value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise _fail(source, key, f"{value!r} is not a date (YYYY-MM-DD)") from None


def _resolve(source: Path, key: str, name: str) -> Path:
    """A file named in the config: absolute, next to the config file, or shipped."""
    path = Path(name)
    for candidate in (path, source.parent / path, CONFIG_DIR / path):
        if candidate.is_file():
            return candidate
    raise _fail(source, key, f"{name} not found (looked next to the config and in the package)")


def read_milestones(path: Path) -> pd.DataFrame:
    """Milestones (date, date_end, label, article_id, evidence), checked."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in MILESTONE_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
    for i, row in table.iterrows():
        for col in ("date", "date_end"):
            if row[col] or col == "date":
                try:
                    dt.date.fromisoformat(row[col])
                except ValueError:
                    raise ConfigError(f"{path}: row {i + 2}: {col} {row[col]!r} is not a date "
                                      "(YYYY-MM-DD)") from None
        if not row["label"].strip():
            raise ConfigError(f"{path}: row {i + 2}: empty label")
    return table[MILESTONE_COLUMNS].sort_values("date", kind="stable").reset_index(drop=True)


def load_config(path: str | Path | None = None, **overrides: Any) -> ReportConfig:
    """Read ``path`` (default: the shipped ``report.yaml``) and apply
    ``overrides``; a ``None`` override keeps the file's value."""
    source = Path(path) if path else DEFAULT_CONFIG
    if not source.is_file():
        raise ConfigError(f"{source}: no such config file")
    try:
        raw = yaml.safe_load(source.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{source}: not valid YAML: {exc}") from None
    if not isinstance(raw, dict):
        raise ConfigError(f"{source}: expected a mapping of settings")
    defaults = yaml.safe_load(DEFAULT_CONFIG.read_text(encoding="utf-8"))
    settings = {**defaults, **raw}
    for key, value in overrides.items():
        if isinstance(value, dict) and isinstance(settings.get(key), dict):
            settings[key] = {**settings[key], **{k: v for k, v in value.items() if v is not None}}
        elif value is not None:
            settings[key] = value
    unknown = sorted(set(settings) - KEYS)
    if unknown:
        raise _fail(source, unknown[0], f"unknown setting (known: {', '.join(sorted(KEYS))})")

    parties = []
    for entry in settings["parties"]:
        if not isinstance(entry, dict) or not {"code", "label", "colour"} <= set(entry):
            raise _fail(source, "parties", f"{entry!r} needs code, label and colour")
        if not _COLOUR.match(str(entry["colour"])):
            raise _fail(source, "parties", f"{entry['code']}: colour {entry['colour']!r} is not #RRGGBB")
        parties.append(Party(str(entry["code"]), str(entry["label"]), str(entry["colour"])))

    colours = defaults["event_types"]
    raw_types = settings["event_types"]
    if isinstance(raw_types, dict):
        colours = {**colours, **raw_types}
        chosen = list(raw_types)
    else:
        chosen = [t.upper() for t in _as_list(raw_types)]
    bad = [t for t in chosen if t not in EVENT_TYPES]
    if bad:
        raise _fail(source, "event_types", f"unknown type(s) {', '.join(bad)} "
                    f"(known: {', '.join(EVENT_TYPES)})")
    for t in chosen:
        if not _COLOUR.match(str(colours[t])):
            raise _fail(source, "event_types", f"{t}: colour {colours[t]!r} is not #RRGGBB")
    event_types = {t: str(colours[t]) for t in EVENT_TYPES if t in chosen}

    esc = {**defaults["escalation"], **(settings.get("escalation") or {})}
    if esc["basis"] not in ("claims", "mentions"):
        raise _fail(source, "escalation.basis", f"{esc['basis']!r}: use claims or mentions")
    if esc["kind"] not in ("rolling", "cumulative"):
        raise _fail(source, "escalation.kind", f"{esc['kind']!r}: use rolling or cumulative")
    try:
        window = int(esc["window_days"])
        if window < 1:
            raise ValueError
    except (TypeError, ValueError):
        raise _fail(source, "escalation.window_days", f"{esc['window_days']!r}: a whole number of days >= 1") from None

    date_from = _date(source, "date_from", settings["date_from"])
    date_to = _date(source, "date_to", settings["date_to"])
    if date_from and date_to and date_from > date_to:
        raise _fail(source, "date_from", f"{date_from} is after date_to {date_to}")

    show = settings["show_milestones"]
    if isinstance(show, str):
        show = show.strip().lower() in ("1", "true", "yes", "on")
    return ReportConfig(
        title=str(settings["title"]), subject=str(settings["subject"]), parties=tuple(parties),
        topics={str(k): str(v) for k, v in (settings["topics"] or {}).items()},
        event_types=event_types, date_from=date_from, date_to=date_to,
        escalation_basis=esc["basis"], escalation_kind=esc["kind"], escalation_window=window,
        show_milestones=bool(show),
        milestones=read_milestones(_resolve(source, "milestones_file", str(settings["milestones_file"]))),
        style=_resolve(source, "style", str(settings["style"])), png_dpi=int(settings["png_dpi"]),
        max_sentence_chars=int(settings["max_sentence_chars"]),
        evidence_limit=None if settings["evidence_limit"] in (None, "", "null", "none")
        else int(settings["evidence_limit"]), source=source)
