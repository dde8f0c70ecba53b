"""Settings of the report's tables and charts, read from ``config/report.yaml``.

Everything a reader may want to change without touching code lives there:
parties (order, labels, colours), event types shown, the date window, the
escalation index, milestones on or off, the chart style. Papermill parameters
(or ``ultimatum report -p KEY=VALUE``) override single keys.

The settings are checked by pydantic models (:class:`ReportSettings` and its
parts); a bad value raises :class:`ConfigError` with one line that names where
the value came from: the config file and key (``my.yaml: parties[0].code: ...``)
or the parameter (``-p date_from: ...``)."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal

import pandas as pd
import yaml
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ultimatum.schema import EVENT_TYPES, PARTY_CODES

CONFIG_DIR = Path(str(resources.files("ultimatum") / "config"))
DEFAULT_CONFIG = CONFIG_DIR / "report.yaml"
MILESTONE_COLUMNS = ["date", "date_end", "label", "article_id", "evidence"]
_COLOUR = re.compile(r"#[0-9A-Fa-f]{6}")

#: Notebook parameters (``-p NAME=VALUE``) that override a setting, with the key they set.
#: ``config_path`` names the config file itself; ``raw_dir``, ``out_dir`` and ``report_dir``
#: are the run's folders, not settings.
PARAMETERS: dict[str, tuple[str, ...]] = {
    "title": ("title",), "date_from": ("date_from",), "date_to": ("date_to",),
    "event_types": ("event_types",), "show_milestones": ("show_milestones",),
    "escalation_kind": ("escalation", "kind"), "escalation_window": ("escalation", "window_days"),
    "escalation_basis": ("escalation", "basis"),
    "milestones_beyond_corpus": ("milestones_beyond_corpus",),
}


class ConfigError(ValueError):
    """A report setting that cannot be used; the one-line message names the file and
    key, or the parameter, that gave it."""


# ---- value types -------------------------------------------------------------------

def _blank_is_none(value: Any) -> Any:
    """``""``, ``null`` and ``none`` (as a ``-p`` string) mean "not set"."""
    if isinstance(value, str) and value.strip().lower() in ("", "null", "none"):
        return None
    return value


def _colour(value: str) -> str:
    if not _COLOUR.fullmatch(value):
        raise ValueError(f"{value!r} is not a colour (#RRGGBB)")
    return value


def _party_code(code: str) -> str:
    if code not in PARTY_CODES:
        raise ValueError(f"unknown party {code!r} (known: {', '.join(PARTY_CODES)})")
    return code


def _not_blank(text: str) -> str:
    if not text.strip():
        raise ValueError("empty")
    return text


def _find_file(name: Any, info: ValidationInfo) -> Path:
    """A file named in the config: absolute, next to the config file, or shipped."""
    if not isinstance(name, (str, Path)) or not str(name).strip():
        raise ValueError(f"{name!r} is not a file name")
    path = Path(name)
    base = (info.context or {}).get("base", CONFIG_DIR)
    candidates = [path] if path.is_absolute() else [base / path, CONFIG_DIR / path]
    found = next((c for c in candidates if c.is_file()), None)
    if found is None:
        raise ValueError(f"{name} not found (looked next to the config and in the package)")
    return found


Colour = Annotated[str, AfterValidator(_colour)]
OptionalDate = Annotated[dt.date | None, BeforeValidator(_blank_is_none)]
ConfigFile = Annotated[Path, BeforeValidator(_find_file)]


# ---- models --------------------------------------------------------------------------

class _Settings(BaseModel):
    # unknown keys are refused (a typo is not silently ignored); numbers are taken as text
    model_config = ConfigDict(extra="forbid", coerce_numbers_to_str=True)


class Party(_Settings):
    """A party as drawn in the report: a code of the codebook, its label and colour."""
    model_config = ConfigDict(frozen=True)
    code: Annotated[str, AfterValidator(_party_code)]
    label: str
    colour: Colour


class Escalation(_Settings):
    """The escalation index: what is counted and how it is summed."""
    basis: Literal["claims", "mentions"]
    kind: Literal["rolling", "cumulative"]
    window_days: int = Field(ge=1)


class ReportSettings(_Settings):
    """``report.yaml`` as written (after defaults and overrides are merged in)."""
    title: Annotated[str, AfterValidator(_not_blank)]
    subject: str
    parties: list[Party] = Field(min_length=1)
    topics: dict[str, str]
    event_types: dict[str, Colour]
    date_from: OptionalDate
    date_to: OptionalDate
    escalation: Escalation
    show_milestones: bool
    milestones_beyond_corpus: bool
    milestones_file: ConfigFile
    style: ConfigFile
    png_dpi: int = Field(ge=1)
    max_sentence_chars: int = Field(ge=1)
    evidence_limit: Annotated[Annotated[int, Field(ge=0)] | None, BeforeValidator(_blank_is_none)]

    @field_validator("parties")
    @classmethod
    def _each_party_once(cls, parties: list[Party]) -> list[Party]:
        codes = [p.code for p in parties]
        twice = sorted({c for c in codes if codes.count(c) > 1})
        if twice:
            raise ValueError(f"part{'ies' if len(twice) > 1 else 'y'} {', '.join(twice)} listed twice")
        return parties

    @field_validator("topics", mode="before")
    @classmethod
    def _no_topics(cls, value: Any) -> Any:
        return {} if value is None else value

    @field_validator("event_types", mode="before")
    @classmethod
    def _types_shown(cls, value: Any, info: ValidationInfo) -> Any:
        """A mapping type -> colour, or a list (or ``"A,B"``) of types, which take
        their colours from the config file (or the shipped one)."""
        if isinstance(value, str):
            value = [t.strip() for t in value.split(",") if t.strip()]
        if isinstance(value, (list, tuple)):
            palette = (info.context or {}).get("palette", {})
            value = {str(t).upper(): palette.get(str(t).upper()) for t in value}
        if isinstance(value, dict):
            bad = [str(t) for t in value if t not in EVENT_TYPES]
            if bad:
                raise ValueError(f"unknown type(s) {', '.join(bad)} (known: {', '.join(EVENT_TYPES)})")
            value = {t: value[t] for t in EVENT_TYPES if t in value}
        return value

    @model_validator(mode="after")
    def _window(self) -> ReportSettings:
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise PydanticCustomError("window", "date_from {date_from} is after date_to {date_to}",
                                      {"date_from": str(self.date_from), "date_to": str(self.date_to),
                                       "keys": ("date_from", "date_to")})
        return self


class Milestone(BaseModel):
    """A row of ``milestones.csv``."""
    model_config = ConfigDict(extra="ignore")
    date: dt.date
    date_end: OptionalDate
    label: Annotated[str, AfterValidator(_not_blank)]
    article_id: str
    evidence: str


# the model validating each part of the settings, by its key (list indices left out)
_MODELS: dict[tuple[str, ...], type[BaseModel]] = {(): ReportSettings, ("parties",): Party,
                                                   ("escalation",): Escalation}


# ---- messages ------------------------------------------------------------------------

def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _key_text(loc: tuple) -> str:
    """``("parties", 0, "code")`` -> ``parties[0].code``."""
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _problem(error: Mapping[str, Any]) -> str:
    """What is wrong with a value, in words, from a pydantic error."""
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    model = _MODELS.get(tuple(p for p in error["loc"] if isinstance(p, str)))
    parent = _MODELS.get(tuple(p for p in error["loc"][:-1] if isinstance(p, str)))
    if kind == "value_error":
        return str(ctx["error"])
    if kind == "window":
        return error["msg"]
    if kind == "extra_forbidden" and parent:
        return f"unknown setting (known: {', '.join(parent.model_fields)})"
    if kind == "missing":
        return "missing"
    if kind.startswith("bool_"):
        return f"{_show(value)} is not true or false (use true/false, yes/no, on/off or 1/0)"
    if kind.startswith("int_"):
        return f"{_show(value)} is not a whole number"
    if kind.startswith("date_"):
        reason = ctx.get("error")
        return f"{_show(value)} is not a date (YYYY-MM-DD)" + (f": {reason}" if reason else "")
    if kind == "literal_error":
        return f"{_show(value)}: use {ctx['expected']}"
    if kind in ("greater_than_equal", "too_short"):
        return f"{_show(value)}: must be at least {ctx.get('ge', ctx.get('min_length'))}" + \
            (" item" if kind == "too_short" else "")
    if kind == "string_type":
        return f"{_show(value)} is not text"
    if kind in ("model_type", "model_attributes_type") and model:
        return f"{_show(value)} is not a mapping of {', '.join(model.model_fields)}"
    if kind == "dict_type":
        return f"{_show(value)} is not a mapping"
    if kind == "list_type":
        return f"{_show(value)} is not a list"
    message = error["msg"]
    return f"{message[:1].lower()}{message[1:]} (got {_show(value)})"


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


class _Origins:
    """Where each setting came from: a file, or a parameter; the longest matching key wins."""

    def __init__(self, fallback: Path) -> None:
        self.fallback = fallback
        self.by_key: dict[tuple, tuple[str, str]] = {}

    def file(self, key: tuple, path: Path) -> None:
        self.by_key[key] = ("file", str(path))

    def parameter(self, key: tuple, name: str) -> None:
        self.by_key[key] = ("parameter", name)

    def where(self, loc: tuple) -> str:
        """``my.yaml: parties[0].code`` or ``-p date_from``."""
        for n in range(len(loc), 0, -1):
            if loc[:n] in self.by_key:
                kind, name = self.by_key[loc[:n]]
                if kind == "parameter":
                    rest = _key_text(loc[n:])
                    return f"-p {name}{'.' if rest and not rest.startswith('[') else ''}{rest}"
                return f"{name}: {_key_text(loc)}"
        return f"{self.fallback}: {_key_text(loc)}" if loc else str(self.fallback)

    def blame(self, keys: tuple) -> tuple:
        """Of settings that clash, the one a parameter set (else the first)."""
        if not keys:
            return ()
        return next(((k,) for k in keys if self.by_key.get((k,), ("",))[0] == "parameter"), (keys[0],))


class _TextDates(yaml.SafeLoader):
    """YAML without its own date type: a date stays text for the settings'
    validation, which names the file and key of an impossible one
    (``2022-02-30``) where YAML's constructor would raise."""


_TextDates.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _not_a_config_file(path: Path) -> str:
    """Why ``path`` cannot be read as a config file ('' when it is a file)."""
    if path.is_file():
        return ""
    return "is a folder, not a config file" if path.is_dir() else "no such config file"


def _read_yaml(path: Path) -> dict:
    if problem := _not_a_config_file(path):
        raise ConfigError(f"{path}: {problem}")
    try:
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=_TextDates)
    except yaml.YAMLError as exc:
        raise ConfigError(_one_line(f"{path}: not valid YAML: {exc}")) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(_one_line(f"{path}: cannot be read: {exc}")) from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: expected a mapping of settings")
    return raw


# ---- the settings as used ---------------------------------------------------------------

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
    milestones_beyond_corpus: bool
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
        """Display label of a party code (the code itself when unknown); the
        codes of a multi-valued cell (``"NATO;USA"``) as their labels joined."""
        codes = [c.strip() for c in str(code).split(";") if c.strip()]
        if len(codes) > 1:
            return " and ".join([", ".join(map(self.party_label, codes[:-1])), self.party_label(codes[-1])])
        code = codes[0] if codes else ""
        return next((p.label for p in self.parties if p.code == code), code or "(none named)")

    def topic_label(self, code: str) -> str:
        """Display label of a topic code (the code itself when unknown)."""
        return self.topics.get(code, code) if code else "(no topic named)"

    def party_colour(self, code: str) -> str:
        """Colour of a party; unknown codes take OTHER's colour (or grey)."""
        by_code = {p.code: p.colour for p in self.parties}
        return by_code.get(code, by_code.get("OTHER", "#8C8C8C"))


def read_milestones(path: Path) -> pd.DataFrame:
    """Milestones (date, date_end, label, article_id, evidence), checked."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    missing = [c for c in MILESTONE_COLUMNS if c not in table.columns]
    if missing:
        raise ConfigError(f"{path}: missing column(s) {', '.join(missing)}")
    for i, row in enumerate(table[MILESTONE_COLUMNS].to_dict("records")):
        try:
            Milestone.model_validate(row)
        except ValidationError as exc:
            error = exc.errors()[0]
            raise ConfigError(_one_line(f"{path}: row {i + 2}: {_key_text(error['loc'])}: "
                                        f"{_problem(error)}")) from None
    return table[MILESTONE_COLUMNS].sort_values("date", kind="stable").reset_index(drop=True)


def load_config(path: str | Path | None = None, **overrides: Any) -> ReportConfig:
    """Read ``path`` (default: the shipped ``report.yaml``; keys it leaves out keep
    the shipped values) and apply ``overrides``: setting keys, or the notebook
    parameters of :data:`PARAMETERS` (e.g. ``escalation_kind``); a ``None``
    override keeps the file's value. Raises :class:`ConfigError` on a bad value,
    naming the file and key or, for an override, ``-p NAME``."""
    source = Path(path) if path else DEFAULT_CONFIG
    defaults = _read_yaml(DEFAULT_CONFIG)
    raw = _read_yaml(source)
    origins = _Origins(source)
    settings: dict[str, Any] = {}
    for key in {**defaults, **raw}:
        settings[key] = raw.get(key, defaults.get(key))
        origins.file((key,), source if key in raw else DEFAULT_CONFIG)
    escalation = raw.get("escalation", {})
    if isinstance(escalation, dict) and isinstance(defaults.get("escalation"), dict):
        settings["escalation"] = {**defaults["escalation"], **escalation}
        for sub in settings["escalation"]:
            origins.file(("escalation", sub), source if sub in escalation else DEFAULT_CONFIG)
    # colours of the event types, for a list of types given instead of a mapping
    palette = {t: c for given in (defaults, raw) if isinstance(given.get("event_types"), dict)
               for t, c in given["event_types"].items()}

    by_key = {key: name for name, key in PARAMETERS.items()}
    for name, value in overrides.items():
        if value is None:
            continue
        pairs: list[tuple[tuple[str, ...], str, Any]]
        if isinstance(value, dict) and isinstance(settings.get(name), dict):
            # a mapping updates the file's (escalation={"kind": ...} is escalation_kind=...)
            pairs = [((name, sub), by_key.get((name, sub), f"{name}.{sub}"), v)
                     for sub, v in value.items() if v is not None]
        else:
            pairs = [(PARAMETERS.get(name, (name,)), name, value)]
        for key, label, v in pairs:
            if len(key) == 2 and not isinstance(settings.get(key[0]), dict):
                continue  # the file's own value is wrong, and reported
            target = settings if len(key) == 1 else settings[key[0]]
            target[key[-1]] = v
            origins.parameter(key, label)

    try:
        valid = ReportSettings.model_validate(settings, context={"palette": palette, "base": source.parent})
    except ValidationError as exc:
        errors = exc.errors()
        # a misspelt key ("color") says more than the missing one it stands for
        error = next((e for e in errors if e["type"] == "extra_forbidden"
                      and e["loc"][:-1] == errors[0]["loc"][:-1]), errors[0])
        loc = tuple(error["loc"]) or origins.blame((error.get("ctx") or {}).get("keys", ()))
        raise ConfigError(_one_line(f"{origins.where(loc)}: {_problem(error)}")) from None
    return ReportConfig(
        title=valid.title, subject=valid.subject, parties=tuple(valid.parties), topics=valid.topics,
        event_types=valid.event_types, date_from=valid.date_from, date_to=valid.date_to,
        escalation_basis=valid.escalation.basis, escalation_kind=valid.escalation.kind,
        escalation_window=valid.escalation.window_days, show_milestones=valid.show_milestones,
        milestones_beyond_corpus=valid.milestones_beyond_corpus,
        milestones=read_milestones(valid.milestones_file), style=valid.style, png_dpi=valid.png_dpi,
        max_sentence_chars=valid.max_sentence_chars, evidence_limit=valid.evidence_limit, source=source)


def check_parameters(params: Mapping[str, Any]) -> ReportConfig:
    """The settings a run of the report notebooks will use with ``params`` (the
    ``-p`` parameters, as given): raises :class:`ConfigError` before anything runs.
    Parameters that are not settings (``raw_dir`` ...) are left alone."""
    path = params.get("config_path") or None
    if path and (problem := _not_a_config_file(Path(path))):
        raise ConfigError(f"-p config_path: {path}: {problem}")
    return load_config(path, **{name: value for name, value in params.items() if name in PARAMETERS})
