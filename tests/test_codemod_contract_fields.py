"""codemods/incremental/contract_fields.py: the incremental flags (or a changed-ids field) join a model."""

from __future__ import annotations

import libcst as cst
import pytest

from connector_scaffold.codemods.incremental import contract_fields as fields
from tests.incremental_helpers import Case, before_after_tests


def apply(case: Case, source: str) -> str:
    module = cst.parse_module(source)
    return fields.add_fields(module, case.args["class_name"], case.snippet_class()).code


def first_class(source: str) -> cst.ClassDef:
    return next(s for s in cst.parse_module(source).body if isinstance(s, cst.ClassDef))


test_before_becomes_after, test_second_run_changes_nothing = before_after_tests("contract_fields", apply)


def test_a_field_the_model_has_keeps_its_own_definition() -> None:
    case = Case("contract_fields", "v3_input_with_validator")
    patched = apply(case, case.before)
    assert patched.count("incremental_enabled:") == 1
    assert "# Added by hand before the command ran" in patched


@pytest.mark.parametrize(
    ("source", "kebab"),
    [
        ('class A:\n    page_size: int = Field(default=1, alias="page-size")\n', True),
        ('class A:\n    page_size: int = Field(default=1, alias="pageSize")\n', False),
        ("class A:\n    page_size: int = 1\n", False),
    ],
)
def test_kebab_aliases_are_detected(source: str, kebab: bool) -> None:
    assert fields.uses_kebab_aliases(first_class(source)) is kebab


def test_required_fields_are_the_ones_without_a_default() -> None:
    source = (
        "class Out(Output):\n"
        "    a: int\n"
        "    b: int = 0\n"
        '    c: str = Field(alias="c")\n'
        "    d: str = Field(...)\n"
        '    e: str = Field("x")\n'
        "    f: list[str] = Field(default_factory=list)\n"
        "    g: ClassVar[int]\n"
        '    """A docstring is not a field."""\n'
    )
    assert fields.required_fields(first_class(source)) == ["a", "c", "d"]


def test_a_missing_class_names_itself() -> None:
    case = Case("contract_fields", "docstring_only")
    with pytest.raises(LookupError, match="class Missing is not defined"):
        fields.add_fields(cst.parse_module(case.before), "Missing", case.snippet_class())
