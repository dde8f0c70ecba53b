"""Report settings: ``report.yaml`` and the ``-p`` parameters are checked up
front, and a bad value is refused with one line naming where it came from (the
file and key, or the parameter) before any notebook runs."""
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from ultimatum.report.config import PARAMETERS, ConfigError, check_parameters, load_config
from ultimatum.schema import PARTY_CODES

RUSSIA = '{code: RUS, label: Russia, colour: "#C0392B"}'


def _refused(run_cli, raw_dir: Path, out: Path, *params: str) -> str:
    """Run ``ultimatum report`` with PARAMS; it must fail at once with one line."""
    args = [a for p in params for a in ("-p", p)]
    proc = run_cli("report", "--raw", str(raw_dir), "--out", str(out), *args)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, proc.stderr
    assert not (out / "notebooks").exists(), "a notebook ran before the settings were checked"
    return lines[0]


def _config_error(path: Path | None = None, **overrides) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, **overrides)
    message = str(caught.value)
    assert "\n" not in message
    return message


# ---- the four faults a user found --------------------------------------------------


def test_unknown_party_code_is_refused(run_cli, raw_dir: Path, tmp_path: Path) -> None:
    mine = tmp_path / "report.yaml"
    mine.write_text("parties:\n  - {code: RUSS, label: Russia, colour: '#C0392B'}\n")
    expected = f"parties[0].code: unknown party 'RUSS' (known: {', '.join(PARTY_CODES)})"
    assert _config_error(mine) == f"{mine}: {expected}"
    line = _refused(run_cli, raw_dir, tmp_path / "out", f"config_path={mine}")
    assert line.endswith(f"{mine}: {expected}")


def test_show_milestones_maybe_is_refused(run_cli, raw_dir: Path, tmp_path: Path) -> None:
    line = _refused(run_cli, raw_dir, tmp_path / "out", "show_milestones=maybe")
    assert line.endswith("-p show_milestones: 'maybe' is not true or false "
                         "(use true/false, yes/no, on/off or 1/0)")
    assert _config_error(show_milestones="maybe").startswith("-p show_milestones: 'maybe'")


def test_non_numeric_png_dpi_names_the_file_and_key(tmp_path: Path) -> None:
    mine = tmp_path / "report.yaml"
    mine.write_text("png_dpi: abc\n")
    assert _config_error(mine) == f"{mine}: png_dpi: 'abc' is not a whole number"


def test_bad_date_parameter_blames_the_parameter(run_cli, raw_dir: Path, tmp_path: Path) -> None:
    line = _refused(run_cli, raw_dir, tmp_path / "out", "date_from=2022-13-01")
    assert line.endswith("-p date_from: '2022-13-01' is not a date (YYYY-MM-DD): "
                         "month value is outside expected range of 1-12")
    assert "report.yaml" not in line


# ---- good settings -------------------------------------------------------------------


def test_good_config_file_loads(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(f"parties:\n  - {RUSSIA}\n  - {{code: NATO, label: NATO, colour: '#2166AC'}}\n"
                    "event_types: [DEMAND, reject]\ndate_from: 2021-12-01\nescalation: {kind: cumulative}\n"
                    "evidence_limit: 50\n")
    cfg = load_config(mine)
    assert cfg.source == mine and cfg.party_codes == ["RUS", "NATO"]
    assert cfg.party_colour("USA") == "#8C8C8C"  # not listed, no OTHER: grey
    assert cfg.event_types == {"DEMAND": "#6A3D9A", "REJECT": "#C0392B"}  # colours of the shipped file
    assert cfg.date_from == dt.date(2021, 12, 1) and cfg.date_to is None
    # keys left out keep the shipped values, within escalation too
    assert (cfg.escalation_basis, cfg.escalation_kind, cfg.escalation_window) == ("claims", "cumulative", 7)
    assert cfg.show_milestones is True and cfg.png_dpi == 180 and cfg.evidence_limit == 50
    assert cfg.style.is_file() and len(cfg.milestones) >= 4


def test_good_parameters_override_the_file(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("event_types: {DEMAND: '#123456', REJECT: '#654321'}\ndate_to: 2022-03-01\n")
    # as the CLI hands them on: every value a string
    cfg = check_parameters({"config_path": str(mine), "raw_dir": "ignored", "date_from": "2022-01-01",
                            "show_milestones": "false", "event_types": "DEMAND", "title": "Mine",
                            "escalation_kind": "cumulative", "escalation_window": "14",
                            "escalation_basis": "mentions"})
    assert cfg.date_from == dt.date(2022, 1, 1) and cfg.date_to == dt.date(2022, 3, 1)
    assert cfg.show_milestones is False and cfg.title == "Mine"
    assert cfg.event_types == {"DEMAND": "#123456"}  # the colour of the file in use
    assert (cfg.escalation_basis, cfg.escalation_kind, cfg.escalation_window) == ("mentions", "cumulative", 14)
    # an empty value clears the file's date; None (papermill's default) keeps it
    assert check_parameters({"config_path": str(mine), "date_to": ""}).date_to is None
    assert load_config(mine, date_to=None).date_to == dt.date(2022, 3, 1)


@pytest.mark.slow
def test_good_parameters_reach_the_report(run_cli, raw_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    proc = run_cli("report", "--raw", str(raw_dir), "--out", str(out), "-p", "show_milestones=off",
                   "-p", "event_types=DEMAND,REJECT")
    assert proc.returncode == 0, proc.stderr
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Milestones are switched off" in html and "event types shown: DEMAND, REJECT" in html


# ---- where a bad value came from -----------------------------------------------------


@pytest.mark.parametrize(("text", "expected"), [
    ("date_form: 2022-01-01\n", "date_form: unknown setting (known: title, subject, parties,"),
    ("parties:\n  - {code: RUS, label: Russia, color: '#C0392B'}\n",
     "parties[0].color: unknown setting (known: code, label, colour)"),
    (f"parties:\n  - {RUSSIA}\n  - {RUSSIA}\n", "parties: party RUS listed twice"),
    ("event_types: [DEMAND, PRAISE]\n", "event_types: unknown type(s) PRAISE (known: DEMAND,"),
    ("event_types: {DEMAND: purple}\n", "event_types.DEMAND: 'purple' is not a colour (#RRGGBB)"),
    ("escalation: {kind: monthly}\n", "escalation.kind: 'monthly': use 'rolling' or 'cumulative'"),
    ("escalation: {window_days: 0}\n", "escalation.window_days: 0: must be at least 1"),
    ("date_from: 2022-02-01\ndate_to: 2022-01-01\n", "date_from: date_from 2022-02-01 is after date_to 2022-01-01"),
    ("style: nowhere.mplstyle\n", "style: nowhere.mplstyle not found"),
    ("title: [a, b]\n", "title: ['a', 'b'] is not text"),
    ("date_from: 2022-02-30\n", "date_from: '2022-02-30' is not a date (YYYY-MM-DD)"),
    ("date_to: 2022-13-01\n", "date_to: '2022-13-01' is not a date (YYYY-MM-DD)"),
])
def test_file_errors_name_file_and_key(tmp_path: Path, text: str, expected: str) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text(text)
    assert _config_error(mine).startswith(f"{mine}: {expected}")


@pytest.mark.parametrize(("params", "expected"), [
    ({"escalation_window": "abc"}, "-p escalation_window: 'abc' is not a whole number"),
    ({"escalation_kind": "weekly"}, "-p escalation_kind: 'weekly': use 'rolling' or 'cumulative'"),
    ({"event_types": "DEMAND,PRAISE"}, "-p event_types: unknown type(s) PRAISE"),
    ({"config_path": "nowhere.yaml"}, "-p config_path: nowhere.yaml: no such config file"),
    ({"title": " "}, "-p title: empty"),
])
def test_parameter_errors_name_the_parameter(params: dict, expected: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_parameters(params)
    assert str(caught.value).startswith(expected)


def test_a_folder_as_config_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        check_parameters({"config_path": str(tmp_path)})
    assert str(caught.value) == f"-p config_path: {tmp_path}: is a folder, not a config file"


def test_clashing_dates_blame_the_parameter(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("date_to: 2022-01-01\n")
    assert _config_error(mine, date_from="2022-02-01") == \
        "-p date_from: date_from 2022-02-01 is after date_to 2022-01-01"


def test_bad_yaml_is_one_line(tmp_path: Path) -> None:
    mine = tmp_path / "mine.yaml"
    mine.write_text("parties: [\n")
    assert _config_error(mine).startswith(f"{mine}: not valid YAML:")


def test_settings_parameters_are_the_notebooks(root: Path) -> None:
    """Every settings parameter of the report notebook is checked by the CLI, and
    the notebook hands every one of them to load_config."""
    nb = json.loads((root / "notebooks" / "03_report.ipynb").read_text(encoding="utf-8"))
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    cell = next(c for c in code if "parameters" in c["metadata"].get("tags", []))
    declared = {line.split("=")[0].strip() for line in "".join(cell["source"]).splitlines()
                if "=" in line and not line.lstrip().startswith("#")}
    assert declared - {"raw_dir", "out_dir", "report_dir", "config_path", "gold_root"} == set(PARAMETERS)
    call = next("".join(c["source"]) for c in code if "cfg = load_config(" in "".join(c["source"]))
    assert "load_config(config_path," in call
    for name in PARAMETERS:
        assert f"{name}={name}" in call, f"03_report.ipynb does not pass {name} to load_config"
