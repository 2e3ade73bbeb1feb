"""scaffold analyze: golden documents per fixture app, JSON equal to the Markdown facts, evidence lines that
point at what they claim, determinism, bad input, dry run, and add-incremental's refresh of the documents."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from connector_scaffold.cli import main
from tests.analysis_golden import APPS, FIXTURE_APPS, GOLDEN, outputs
from tests.conftest import tree_bytes
from tests.incremental_helpers import add_incremental, copy_app, snapshot

DOCUMENTS = ("reconnaissance", "feasibility", "change-detection", "test-plan", "marketplace", "final-report")


@pytest.fixture(scope="module")
def analysed() -> dict[str, dict[str, bytes]]:
    return {app: outputs(app) for app in FIXTURE_APPS}


def _invoke(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["analyze", *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.mark.parametrize("app", FIXTURE_APPS)
def test_golden_documents(analysed: dict[str, dict[str, bytes]], app: str) -> None:
    recorded = {p.name: p.read_bytes() for p in sorted((GOLDEN / app).iterdir())}
    assert sorted(recorded) == sorted([*(f"{d}.md" for d in DOCUMENTS), "analysis.json"])
    for name, data in analysed[app].items():
        assert data == recorded[name], f"{app}/{name} changed; re-record with python -m tests.analysis_golden --write"


@pytest.mark.parametrize("app", FIXTURE_APPS)
def test_json_holds_the_facts_of_the_markdown(analysed: dict[str, dict[str, bytes]], app: str) -> None:
    data = json.loads(analysed[app]["analysis.json"])
    recon = analysed[app]["reconnaissance.md"].decode()
    feasibility = analysed[app]["feasibility.md"].decode()
    detection = analysed[app]["change-detection.md"].decode()
    summary = data["summary"]
    assert f"**{summary['PASS']} PASS, {summary['FAIL']} FAIL, {summary['UNKNOWN']} UNKNOWN.**" in feasibility
    assert sum(summary.values()) == len(data["rules"])
    rows = [line for line in feasibility.splitlines() if re.match(r"^\| [PRG]\d ", line)]
    assert len(rows) == len(data["rules"])
    for rule, row in zip(data["rules"], rows, strict=True):
        assert row.startswith(f"| {rule['rule']} {rule['title']} | {rule['entity'] or '(app)'} | {rule['verdict']} |")
        assert all(e in row for e in rule["evidence"])
    for entity in data["entities"]:
        assert f"| {entity['name']} | {', '.join(entity['steps'])} | {entity['cost']} | {entity['plan']} |" in recon
    for step in data["steps"]:
        assert f"{step['order']}. `{step['name']}` [{step['role']}]" in recon
    for stamp in data["timestamps"]:
        assert stamp["where"] in recon and stamp["field"] in recon
    for call in data["calls"]:
        assert f"| {call['step']} | {call['where']} |" in recon
    for query in data["queries"]:
        assert f"| {query['file']} |" in recon
    for chosen in data["detection"]:
        assert f"| {chosen['entity']} | {chosen['field'] or 'UNKNOWN'} |" in detection
    assert list(data) == sorted(data)


@pytest.mark.parametrize("app", FIXTURE_APPS)
def test_evidence_lines_show_what_they_claim(analysed: dict[str, dict[str, bytes]], app: str) -> None:
    data = json.loads(analysed[app]["analysis.json"])

    def line(where: str) -> str:
        path, _, number = where.rpartition(":")
        lines = (APPS / app / path).read_text(encoding="utf-8").splitlines()
        assert 1 <= int(number) <= len(lines), where
        return lines[int(number) - 1]

    for stamp in data["timestamps"]:
        assert stamp["field"] in line(stamp["where"]), stamp
    for call in data["calls"]:
        assert call["function"].rsplit(".", 1)[-1] and "(" in line(call["where"]), call
        if call["per_item_loop"]:
            assert re.search(r"\bfor\b", line(call["per_item_loop"])), call
        if call["paged_by"]:
            assert "while" in line(call["paged_by"]), call
    for step in data["steps"]:
        if step["called_at"]:
            assert step["name"] in line(step["called_at"]), step
        if step["defined_at"]:
            assert f"def {step['name']}" in line(step["defined_at"]), step
    for query in data["queries"]:
        text = (APPS / app / query["file"]).read_text(encoding="utf-8").splitlines()
        for source in query["sources"]:
            name, _, number = source.rpartition("@")
            assert name in text[int(number) - 1], source
    for link in data["links"]:
        assert link["parent"] in line(link["where"]).lower() or link["parent"] + "s" in line(link["where"]), link
    for rule in data["rules"]:
        for where in rule["evidence"]:
            assert re.fullmatch(r"[\w./-]+:\d+", where), where
            line(where)


def test_fixture_facts() -> None:
    """What a reviewer checks first on each fixture: the incremental entity, its field, and the verdict shape."""
    found = {app: json.loads(outputs(app)["analysis.json"]) for app in FIXTURE_APPS}
    tableau = found["v2_tableau"]
    assert {e["name"]: e["plan"] for e in tableau["entities"]} == {
        "dashboard": "with workbook",
        "project": "full",
        "sheet": "with workbook",
        "site": "full",
        "workbook": "incremental",
    }
    assert [d["field"] for d in tableau["detection"]] == ["updatedAt"]
    assert [c["per_item_of"] for c in tableau["calls"] if c["per_item_loop"]] == ["workbook"]
    superset = found["v3_rest"]
    assert superset["app"]["shape"] == "v3"
    assert [(d["entity"], d["field"]) for d in superset["detection"]] == [("dashboard", "changed_on_utc")]
    mysql = found["v2_mysql"]
    assert (mysql["app"]["kind"], mysql["app"]["dialect"]) == ("SQL", "MySQL")
    verdicts = {(r["rule"], r["entity"]): r["verdict"] for r in mysql["rules"]}
    # The checklist's own table: MySQL UPDATE_TIME includes DML and covers DDL partially.
    assert verdicts[("R1", "table")] == verdicts[("R3", "table")] == "FAIL"
    assert [s["entrypoint"] for s in mysql["steps"]] == ["inherited"] * len(mysql["steps"])
    assert all(r["verdict"] == "UNKNOWN" for r in tableau["rules"] if r["rule"] in ("R1", "R3", "R4", "R5"))


def test_cli_writes_the_documents_deterministically(tmp_path: Path) -> None:
    app = tmp_path / "app"
    shutil.copytree(APPS / "v2_tableau", app, ignore=shutil.ignore_patterns("__pycache__"))
    code, out, _ = _invoke("--path", str(app), "--dry-run")
    assert code == 0 and "would write 6 file(s)" in out and not (app / "incremental-analysis").exists()
    code, out, _ = _invoke("--path", str(app))
    assert code == 0 and "created   incremental-analysis/feasibility.md" in out
    first = tree_bytes(app / "incremental-analysis")
    assert {Path(p).name for p in first} == {f"{d}.md" for d in DOCUMENTS}
    assert first[("feasibility.md")] == (GOLDEN / "v2_tableau" / "feasibility.md").read_bytes()
    code, out, _ = _invoke("--path", str(app))
    assert code == 0 and "nothing to do" in out
    assert tree_bytes(app / "incremental-analysis") == first
    code, out, _ = _invoke("--path", str(app), "--format", "json")
    assert code == 0 and json.loads(out) == json.loads((GOLDEN / "v2_tableau" / "analysis.json").read_text())


@pytest.mark.parametrize(
    ("setup", "message"),
    [
        ("missing", "no such folder"),
        ("empty", "no pyproject.toml; this is not an Atlan app"),
        ("no_sdk", "does not declare atlan-application-sdk"),
        ("no_app", "no Python modules under app/"),
        ("bad_python", "app/broken.py:1: does not parse"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(tmp_path: Path, setup: str, message: str) -> None:
    root = tmp_path / "app"
    if setup != "missing":
        root.mkdir()
    if setup in ("no_sdk", "no_app", "bad_python"):
        sdk = '"atlan-application-sdk==2.5.0"' if setup != "no_sdk" else '"httpx"'
        (root / "pyproject.toml").write_text(f'[project]\nname = "x"\ndependencies = [{sdk}]\n')
    if setup == "bad_python":
        (root / "app").mkdir()
        (root / "app" / "broken.py").write_text("def broken(:\n")
    for fmt in ("markdown", "json"):
        code, out, err = _invoke("--path", str(root), "--format", fmt)
        assert code == 2 and out == ""
        assert err.count("\n") == 1 and err.startswith("error: ") and message in err, err
    assert not (root / "incremental-analysis").exists()


def test_add_incremental_refreshes_the_documents(tmp_path: Path) -> None:
    app = copy_app("v2_tableau", tmp_path / "app")
    result = add_incremental(app, "--entity", "workbook", "--children", "sheet,dashboard")
    assert result.exit_code == 0, result.output
    report = (app / "incremental-analysis" / "final-report.md").read_text()
    assert "- patched app/workflows.py" in report and "- generated app/extracts/incremental.py" in report
    feasibility = (app / "incremental-analysis" / "feasibility.md").read_text()
    assert "persist_incremental_state runs after upload_to_atlan" in feasibility
    assert re.search(r"\| G1 .* \| PASS \| app/models\.py:\d+ \|", feasibility)
    recon = (app / "incremental-analysis" / "reconnaissance.md").read_text()
    assert "`detect_updated_workbook` [incremental]" in recon
    before = snapshot(app)
    # analyze after add-incremental keeps its record of what changed: nothing to rewrite.
    code, out, _ = _invoke("--path", str(app))
    assert code == 0 and "nothing to do" in out and snapshot(app) == before
