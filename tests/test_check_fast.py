"""The ast detection path (codemods/fast) against the libcst engine: the same findings, positions and [*] on every
rule example, every Python fixture and a set of awkward snippets; and the process pool equal to one process."""

from __future__ import annotations

from textwrap import dedent

import pytest

from connector_scaffold.check.lint_pool import POOL_THRESHOLD, lint_many, lint_source
from connector_scaffold.codemods.fast import engine as FAST
from connector_scaffold.codemods.fast.rules import FAST_RULES
from connector_scaffold.codemods.lint import engine as ENGINE
from tests.conftest import REPO

RULES = ENGINE.load_rules()

# Strings split the way libcst splits them (concatenations, f-string parts and specs), columns after non-ASCII
# text, async forms, try*, parameters with defaults, and the suppression / fallback cases.
AWKWARD = (
    'KEY = ("prefix " "ghp_0123456789abcdefghijABCDEFGHIJ012345")\n',
    'x = f"{a:>{width}} ghp_0123456789abcdefghijABCDEFGHIJ012345 {b!r}"\n',
    'é = "ü"; password = "hunter2hunter2"\n',
    'note = "ééé"; key = f"persistent-artifacts/{x}" "persistent-artifacts/y"\n',  # scaffold: ignore[SCF014]
    '"persistent-artifacts/a" "b"\n',  # scaffold: ignore[SCF014]
    'BASE_URL = "http://" "api.example.com"\nHOST_URL = ("http://api.stripe.com"\n    "/v1")\n',
    'url = f"{scheme}http://x.io"\nbase = f"http://{host}"\nSERVER = b"http://10.0.0.1"\n',
    "async def run(self):\n    async with httpx.AsyncClient(timeout=None) as c:\n        await c.get(u)\n",
    "import httpx\nasync def run(self):\n    async with httpx.AsyncClient(timeout=None) as c:\n"
    "        await c.get(u)\n",
    "try:\n    x()\nexcept* ValueError:\n    pass\ntry:\n    y()\nexcept ValueError: ...\n",
    "def f(a, b=1, /, c=2, *d, incremental_enabled=True, e, **f):\n    pass\n",
    "value = eval(text)  # scaffold: ignore[SCF016]\nother = exec(code)\n",
    "from application_sdk.common.incremental import fetch_marker_from_storage\n",
    "class A(B): incremental_enabled = True\n",
    "def broken(:\n",
    "\ufeffvalue = eval(text)\n",
)


def _sources() -> list[object]:
    cases = []
    for rule in RULES:
        for number, source in enumerate(rule.VALID):
            cases.append(pytest.param(dedent(source), id=f"{rule.CODE}-valid-{number}"))
        for number, case in enumerate(rule.INVALID):
            cases.append(pytest.param(dedent(case.code), id=f"{rule.CODE}-invalid-{number}"))
    for path in sorted((REPO / "fixtures").rglob("*.py")):
        cases.append(pytest.param(path.read_text(encoding="utf-8"), id=str(path.relative_to(REPO))))
    cases.extend(pytest.param(source, id=f"awkward-{number}") for number, source in enumerate(AWKWARD))
    return cases


@pytest.mark.parametrize("source", _sources())
def test_the_ast_path_finds_what_the_libcst_engine_finds(source):
    data = source.encode()
    expected = ENGINE.lint(data, RULES)
    fast = FAST.lint(data)
    if fast is not None:
        assert fast == expected
    assert lint_source(data) == expected


def test_the_ast_path_decides_every_example_but_the_libcst_only_rule():
    """Not vacuous: every example is decided without libcst but those naming SCF007's deprecated helpers."""
    (only_cst,) = [rule for rule in FAST_RULES if rule.CST_ONLY]
    for rule in RULES:
        for source in (*rule.VALID, *(case.code for case in rule.INVALID)):
            data = dedent(source).encode()
            assert (FAST.lint(data) is None) == only_cst.applies_to(data), (rule.CODE, source)


def test_every_rule_has_its_ast_form():
    assert [rule.CODE for rule in FAST_RULES] == [rule.CODE for rule in RULES]
    for fast, rule in zip(FAST_RULES, RULES, strict=True):
        assert (fast.MESSAGE, fast.KEYWORDS) == (rule.MESSAGE, rule.KEYWORDS), rule.CODE


def test_the_pool_gives_what_one_process_gives():
    sources = [dedent(case.code).encode() for rule in RULES for case in rule.INVALID]
    contents = (sources * (POOL_THRESHOLD // len(sources) + 1))[: POOL_THRESHOLD + 1]
    assert lint_many(contents, workers=2) == [lint_source(data) for data in contents]
