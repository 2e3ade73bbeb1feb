"""codemods/incremental/switch_base.py: a class moves to the SDK's incremental SQL base class."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.errors import NotFound
from connector_scaffold.codemods.incremental import switch_base
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    a = case.args
    return switch_base.switch_base(cst.parse_module(source), a["class_name"], a["old"], a["new"], a["module"]).code


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("switch_base", apply)


@pytest.mark.parametrize(
    ("source", "message"),
    [("class A(Other):\n    pass\n", "does not subclass Base"), ("x = 1\n", "class A is not defined")],
)
def test_a_class_without_the_old_base_is_not_found(source: str, message: str) -> None:
    with pytest.raises(NotFound, match=message):
        switch_base.switch_base(cst.parse_module(source), "A", "Base", "New", "pkg.mod")


def test_an_old_base_still_used_elsewhere_keeps_its_import() -> None:
    source = "from pkg.sql import Base\n\n\nclass A(Base):\n    pass\n\n\nisinstance(1, Base)\n"
    out = switch_base.switch_base(cst.parse_module(source), "A", "Base", "New", "pkg.inc").code
    assert "from pkg.sql import Base\n" in out and "class A(New):" in out and "from pkg.inc import New" in out
