"""Every rule's embedded VALID/INVALID examples, run by one generic test, and the engine's promises."""

from __future__ import annotations

import importlib
import json
import re
from textwrap import dedent

import libcst as cst
import pytest
from click.testing import CliRunner
from libcst.metadata import MetadataWrapper, ParentNodeProvider, PositionProvider

from connector_scaffold.check.selection import known_codes
from connector_scaffold.cli import main
from connector_scaffold.codemods.lint import engine as ENGINE
from connector_scaffold.codemods.lint.positions import spans
from connector_scaffold.codemods.lint.rule import LintRule
from connector_scaffold.codemods.lint.walk import walk
from tests.conftest import REPO

RULES = ENGINE.load_rules()


def _cases() -> list[object]:
    cases = []
    for rule in RULES:
        for number, source in enumerate(rule.VALID):
            cases.append(pytest.param(rule, source, None, False, id=f"{rule.CODE}-valid-{number}"))
        for number, case in enumerate(rule.INVALID):
            cases.append(pytest.param(rule, case.code, case.expected, True, id=f"{rule.CODE}-invalid-{number}"))
    return cases


@pytest.mark.parametrize(("rule", "source", "expected", "invalid"), _cases())
def test_rule_examples(rule, source, expected, invalid):
    code = dedent(source).encode()
    codes = {finding.code for finding in ENGINE.lint(code, [rule])}
    assert codes == ({rule.CODE} if invalid else set())
    if not invalid:
        return
    fixed, remaining = ENGINE.fix(code, [rule], {rule.CODE})
    assert fixed.decode() == (dedent(expected) if expected is not None else code.decode())
    if expected is not None:
        assert not any(finding.code == rule.CODE for finding in remaining)
        assert ENGINE.fix(fixed, [rule], {rule.CODE})[0] == fixed  # idempotent


RULE_FILES = sorted(p for p in (REPO / "codemods" / "rules").glob("*.py") if p.name != "__init__.py")


def test_every_rule_file_defines_one_rule_whose_code_is_its_name():
    """The engine loads and --select knows only files named scfNNN_*.py: a misnamed file would be skipped silently."""
    assert len(RULE_FILES) >= 16
    codes = []
    for path in RULE_FILES:
        assert re.fullmatch(r"scf\d{3}_[a-z0-9_]+\.py", path.name), f"{path.name}: name it scfNNN_what_it_checks.py"
        module = importlib.import_module(f"connector_scaffold.codemods.rules.{path.stem}")
        defined = [
            value
            for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, LintRule) and value.__module__ == module.__name__
        ]
        assert len(defined) == 1, f"{path.name} defines {len(defined)} rules"
        code = defined[0].CODE
        assert code == path.name[:6].upper(), path.name
        codes.append(code)
    assert len(set(codes)) == len(codes)
    assert known_codes() == ("SCF000", *codes)
    assert [rule.CODE for rule in RULES] == codes


def _invalid_examples() -> list[object]:
    return [
        pytest.param(rule.CODE, case.code, id=f"{rule.CODE}-{number}")
        for rule in RULES
        for number, case in enumerate(rule.INVALID)
    ]


@pytest.mark.parametrize(("code", "source"), _invalid_examples())
def test_select_runs_the_rule_alone_on_its_invalid_example(code, source, tmp_path):
    """`scaffold check --select CODE` on a file holding the rule's INVALID example: that rule's finding, no other."""
    (tmp_path / "pyproject.toml").write_text("")
    example = tmp_path / "example.py"
    example.write_text(dedent(source))
    done = CliRunner().invoke(main, ["check", "--no-cache", "--format", "json", "--select", code, str(example)])
    assert done.exit_code == 1, done.output
    found = json.loads(done.stdout)
    assert found and {finding["code"] for finding in found} == {code}


def test_every_rule_is_described():
    readme = (REPO / "README.md").read_text()
    for rule in RULES:
        assert re.fullmatch(r"SCF\d{3}", rule.CODE)
        assert "\n" not in rule.MESSAGE and len(rule.MESSAGE) <= 110, rule.CODE
        assert rule.GUARDRAIL and rule.VALID and rule.INVALID, rule.CODE
        row = next((line for line in readme.splitlines() if line.startswith(f"| `{rule.CODE}`")), "")
        assert rule.GUARDRAIL in row, f"README lists no {rule.CODE} with its guardrail"
    assert len(RULES) >= 16


# What the engine's walk skips on purpose: whitespace, comments, brackets, punctuation and operators.
_UNWALKED = (
    cst.BaseParenthesizableWhitespace,
    cst.TrailingWhitespace,
    cst.EmptyLine,
    cst.Comment,
    cst.Newline,
    cst.LeftParen,
    cst.RightParen,
    cst.LeftSquareBracket,
    cst.RightSquareBracket,
    cst.LeftCurlyBrace,
    cst.RightCurlyBrace,
    cst.Comma,
    cst.Semicolon,
    cst.AssignEqual,
    cst.Colon,
    cst.Dot,
    cst.Asynchronous,
    cst.ParamSlash,
    cst.ImportStar,
    cst.BaseBinaryOp,
    cst.BaseBooleanOp,
    cst.BaseCompOp,
    cst.BaseUnaryOp,
    cst.BaseAugOp,
)


class _Recorder(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.seen: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not isinstance(node, _UNWALKED):
            self.seen.append(node)
        return True


def test_the_walk_sees_what_a_libcst_visitor_sees_in_the_same_order():
    every_type = [c for c in vars(cst).values() if isinstance(c, type) and issubclass(c, cst.CSTNode)]
    sources = sorted(
        [*(REPO / "src").rglob("*.py"), *(REPO / "codemods").rglob("*.py"), *(REPO / "tests").glob("*.py")]
    )
    assert len(sources) > 30
    for path in sources:
        module = cst.parse_module(path.read_bytes())
        expected = _Recorder()
        module.visit(expected)
        walked: list[cst.CSTNode] = []
        walk(module, {node_type: [walked.append] for node_type in every_type}, {})
        seen = [id(node) for node in walked if not isinstance(node, _UNWALKED)]
        assert seen == [id(node) for node in expected.seen], path


def test_spans_match_libcst_positions():
    for path in sorted((REPO / "codemods").rglob("*.py")):
        wrapper = MetadataWrapper(cst.parse_module(path.read_bytes()), unsafe_skip_copy=True)
        positions = wrapper.resolve(PositionProvider)
        nodes = [node for node in positions if isinstance(node, cst.Call | cst.SimpleStatementLine | cst.Name)]
        found = spans(wrapper.module, nodes)
        for node in nodes:
            where = positions[node]
            assert found[id(node)] == (where.start.line, where.start.column, where.end.line), (path, node)


def test_one_parse_and_one_traversal_for_all_rules(monkeypatch):
    calls = {"parse": 0, "walk": 0}
    parse, walk = cst.parse_module, ENGINE.walk

    def counting_parse(*args, **kwargs):
        calls["parse"] += 1
        return parse(*args, **kwargs)

    def counting_walk(*args, **kwargs):
        calls["walk"] += 1
        return walk(*args, **kwargs)

    monkeypatch.setattr(ENGINE.cst, "parse_module", counting_parse)
    monkeypatch.setattr(ENGINE, "walk", counting_walk)
    source = b"class A(Input):\n    incremental_enabled: bool = True\n\nvalue = eval(text)\n"
    findings = ENGINE.lint(source, RULES)
    assert {finding.code for finding in findings} == {"SCF001", "SCF002", "SCF016"}
    assert calls == {"parse": 1, "walk": 1}


class _CallArgumentNames(LintRule):
    """A rule that needs the parent of a node, which only metadata gives."""

    CODE = "SCF900"
    MESSAGE = "name passed to a call"
    GUARDRAIL = "test"
    METADATA_DEPENDENCIES = (ParentNodeProvider,)

    def visit_Name(self, node: cst.Name) -> None:
        if isinstance(self.get_metadata(ParentNodeProvider, node), cst.Arg):
            self.report(node)


def test_keywords_only_skip_files_without_findings(monkeypatch):
    corpus = [dedent(source).encode() for rule in RULES for source in (*rule.VALID, *(c.code for c in rule.INVALID))]
    corpus += [path.read_bytes() for path in sorted((REPO / "src").rglob("*.py"))]
    gated = [ENGINE.lint(source, RULES) for source in corpus]
    for rule in RULES:
        monkeypatch.setattr(rule, "KEYWORDS", ())
    assert [ENGINE.lint(source, RULES) for source in corpus] == gated


def test_metadata_is_resolved_only_when_a_rule_asks(monkeypatch):
    resolved = []
    resolve = ENGINE._resolve
    monkeypatch.setattr(ENGINE, "_resolve", lambda *args: resolved.append(args[1]) or resolve(*args))
    source = b"print(x, y=z)\nw = 1\n"
    assert ENGINE.lint(source, RULES) == []
    assert resolved == []
    findings = ENGINE.lint(source, [*RULES, _CallArgumentNames])
    assert [(f.line, f.column, f.code) for f in findings] == [(1, 7, "SCF900"), (1, 10, "SCF900"), (1, 12, "SCF900")]
    assert resolved == [{ParentNodeProvider}]


def test_positions_are_one_based_like_ruff():
    source = b"import yaml\n\n\ndef load(stream):\n    return  yaml.load(stream)\n"
    (finding,) = ENGINE.lint(source, RULES)
    assert (finding.line, finding.column, finding.code, finding.fixable) == (5, 13, "SCF015", True)


@pytest.mark.parametrize(
    ("comment", "silenced"),
    [
        ("# scaffold: ignore", True),
        ("# scaffold: ignore[SCF016]", True),
        ("# scaffold: ignore[SCF001, SCF016]", True),
        ("# scaffold: ignore[SCF001]", False),
        ("# noqa", False),
    ],
)
def test_inline_ignore(comment, silenced):
    one_line = f"value = eval(text)  {comment}\n".encode()
    last_line = f"value = eval(\n    text\n)  {comment}\n".encode()
    for source in (one_line, last_line):
        assert (ENGINE.lint(source, RULES) == []) is silenced


def test_ignored_findings_are_not_fixed():
    source = b"import yaml\nconfig = yaml.load(stream)  # scaffold: ignore[SCF015]\n"
    assert ENGINE.fix(source, RULES, {"SCF015"}) == (source, [])


def test_a_file_that_does_not_parse_is_a_finding():
    (finding,) = ENGINE.lint(b"x = 1\ndef broken(:\n    pass\n", RULES)
    assert (finding.line, finding.code) in {(2, "SCF000"), (3, "SCF000")}
    assert finding.message.startswith("could not parse: ")
    (finding,) = ENGINE.lint(b"x = '\xff'\n", RULES)
    assert finding.code == "SCF000"


def test_nested_fixes_land_in_one_run():
    source = b"class A(Input):\n    incremental_enabled: bool = True\n"
    fixed, remaining = ENGINE.fix(source, RULES, {"SCF001", "SCF002"})
    assert fixed == b"class A(Input):\n    incremental_enabled: bool = False\n    force_full_extraction: bool = False\n"
    assert remaining == []
