"""codemods/lakeflow/add_table.py: a table joins every per-table dict and list of a table-driven source, once, with
the values of the module rendered for that table alone; a source it cannot extend is refused whole.

Each case is a folder under fixtures/codemods/lakeflow_add_table/: before.py (the connector module, its header
comment saying what it imitates), rendered.py (the template rendered for the new table) and, unless it is refused,
after.py (what the codemod returns, before add-table formats it). What each case adds or expects is below."""

from __future__ import annotations

import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from connector_scaffold.codemods.lakeflow import add_table
from tests.lakeflow_helpers import CHECKOUT, HANDWRITTEN, PACKAGE, STRIPE_FIRST_FOUR, scaffold

CASES_DIR = Path(__file__).resolve().parents[1] / "fixtures" / "codemods" / "lakeflow_add_table"


@dataclass(frozen=True)
class Added:
    """The codemod adds `table` to the module at `path` (checkout-relative, as add-table passes it)."""

    path: str
    table: str


@dataclass(frozen=True)
class Refused:
    """The codemod refuses to add `table`: it raises `error` with a message matching `message`."""

    path: str
    table: str
    error: type[ValueError]
    message: str


CASES: dict[str, Added | Refused] = {
    "generated_stripe": Added(f"{PACKAGE}/sources/stripe/stripe.py", "subscriptions"),
    "zoo_table_driven": Added(f"{PACKAGE}/sources/zoo/zoo.py", "feedings"),
    "zoo_branching_refused": Refused(
        f"{PACKAGE}/sources/zoo/zoo.py",
        "feedings",
        add_table.NotTableDriven,
        r"zoo\.py:11: ZooLakeflowConnect is not table-driven: no module-level dict of StructType schemas",
    ),
    "zoo_cannot_extend_refused": Refused(
        f"{PACKAGE}/sources/zoo/zoo.py",
        "feedings",
        add_table.CannotExtend,
        r"zoo\.py:27: TABLE_OWNERS holds a per-table value that add-table cannot derive for 'feedings'",
    ),
}


def _read(name: str, file: str) -> str:
    return (CASES_DIR / name / file).read_text(encoding="utf-8")


def _run(name: str, source: str) -> str:
    """The connector module after the case's add-table (unchanged when the codemod has nothing to change)."""
    case = CASES[name]
    changed = add_table.add_table({case.path: source}, case.path, _read(name, "rendered.py"), case.table)
    assert set(changed) <= {case.path}
    return changed.get(case.path, source)


def _without_header(text: str) -> str:
    """A fixture's text without its leading header comment (what it imitates)."""
    return re.sub(r"\A(#[^\n]*\n)+", "", text)


def test_every_case_folder_has_a_case_and_every_case_a_folder() -> None:
    assert sorted(CASES) == sorted(p.name for p in CASES_DIR.iterdir() if p.is_dir())


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_fixture_says_what_it_imitates(name: str) -> None:
    for file in ("before.py", "rendered.py"):
        assert _read(name, file) != _without_header(_read(name, file)), f"{name}/{file} has no header comment"


ADDED = sorted(name for name, case in CASES.items() if isinstance(case, Added))
REFUSED = sorted(name for name, case in CASES.items() if isinstance(case, Refused))


@pytest.mark.parametrize("name", ADDED)
def test_before_becomes_after(name: str) -> None:
    after = _read(name, "after.py")
    assert _run(name, _read(name, "before.py")) == after
    compile(after, f"{name}/after.py", "exec")


@pytest.mark.parametrize("name", ADDED)
def test_second_run_changes_nothing(name: str) -> None:
    case = CASES[name]
    after = _read(name, "after.py")
    assert add_table.add_table({case.path: after}, case.path, _read(name, "rendered.py"), case.table) == {}


@pytest.mark.parametrize("name", REFUSED)
def test_a_source_it_cannot_extend_is_refused_the_same_way_every_time(name: str) -> None:
    case = CASES[name]
    assert isinstance(case, Refused)
    assert not (CASES_DIR / name / "after.py").exists(), "a refused case has no after.py"
    before = _read(name, "before.py")
    for _ in range(2):
        with pytest.raises(case.error, match=case.message):
            add_table.add_table({case.path: before}, case.path, _read(name, "rendered.py"), case.table)


def test_the_table_driven_zoo_case_is_the_hand_written_fixture_source() -> None:
    assert _without_header(_read("zoo_table_driven", "before.py")) == (HANDWRITTEN / "zoo_table_driven.py").read_text()
    assert (
        _without_header(_read("zoo_branching_refused", "before.py")) == (HANDWRITTEN / "zoo_branching.py").read_text()
    )


def test_the_generated_case_is_what_the_template_renders_today(tmp_path: Path) -> None:
    """Keeps generated_stripe honest: its before.py and rendered.py are today's renders, not a stale copy."""
    stripe = f"{PACKAGE}/sources/stripe/stripe.py"
    for name, tables in (("before.py", STRIPE_FIRST_FOUR), ("rendered.py", ("--table", "subscriptions"))):
        root = shutil.copytree(CHECKOUT, tmp_path / name, ignore=shutil.ignore_patterns("__pycache__"))
        done = scaffold("new-connector", "stripe", "--target", "lakeflow", *tables, "--dest", str(root))
        assert done.exit_code == 0, done.output
        assert _without_header(_read("generated_stripe", name)) == (root / stripe).read_text(), name


# github's shape at upstream f9c88869: named StructType constants in `<s>_schemas.py`, a dispatch dict in read_table.
GITHUB_LIKE_SCHEMAS = """from pyspark.sql.types import LongType, StringType, StructField, StructType

ISSUES_SCHEMA = StructType([StructField("id", LongType(), False)])
USERS_SCHEMA = StructType([StructField("login", StringType(), True)])

TABLE_SCHEMAS: dict[str, StructType] = {
    "issues": ISSUES_SCHEMA,
    "users": USERS_SCHEMA,
}
TABLE_METADATA: dict[str, dict] = {
    "issues": {"primary_keys": ["id"], "ingestion_type": "snapshot"},
    "users": {"primary_keys": ["login"], "ingestion_type": "snapshot"},
}
"""
GITHUB_LIKE = """from databricks.labs.community_connector.interface import LakeflowConnect
from databricks.labs.community_connector.sources.hub.hub_schemas import TABLE_METADATA, TABLE_SCHEMAS


class HubLakeflowConnect(LakeflowConnect):
    def list_tables(self):
        return list(TABLE_SCHEMAS)

    def read_table(self, table_name, start_offset, table_options):
        reader_map = {
            "issues": self._read_issues,
            "users": self._read_users,
        }
        return reader_map[table_name](start_offset, table_options)
"""
RENDERED_FEEDINGS = (CASES_DIR / "zoo_table_driven" / "rendered.py").read_text(encoding="utf-8")


def test_named_schema_constants_are_recognised_and_a_dispatch_dict_refuses_the_half_add() -> None:
    sources = {"hub/hub.py": GITHUB_LIKE, "hub/hub_schemas.py": GITHUB_LIKE_SCHEMAS}
    with pytest.raises(add_table.CannotExtend, match=r"hub/hub\.py:10: a dict keyed by every table"):
        add_table.add_table(sources, "hub/hub.py", RENDERED_FEEDINGS, "feedings")


def test_named_schema_constants_without_per_table_code_take_the_new_table() -> None:
    without_dispatch = GITHUB_LIKE.split("    def read_table", 1)[0]
    sources = {"hub/hub.py": without_dispatch, "hub/hub_schemas.py": GITHUB_LIKE_SCHEMAS}
    changed = add_table.add_table(sources, "hub/hub.py", RENDERED_FEEDINGS, "feedings")
    assert set(changed) == {"hub/hub_schemas.py"}
    added = changed["hub/hub_schemas.py"]
    assert '    "feedings": StructType(' in added and '"users": USERS_SCHEMA,\n' in added
    # Only added lines: every line of the module before is still there, in order.
    assert [line for line in added.splitlines() if line in GITHUB_LIKE_SCHEMAS.splitlines()] == [
        line for line in GITHUB_LIKE_SCHEMAS.splitlines() if line in added.splitlines()
    ]


def test_a_config_entry_missing_keys_every_other_table_has_is_refused() -> None:
    config = (
        "\nOBJECT_CONFIG = {\n"
        '    "animals": {"endpoint": "/a", "per_page": 50},\n'
        '    "keepers": {"endpoint": "/k", "per_page": 50},\n'
        "}\n"
    )
    before = _read("zoo_table_driven", "before.py") + config.replace("OBJECT_CONFIG", "ENDPOINT_CONFIG")
    with pytest.raises(add_table.CannotExtend):
        add_table.add_table({"zoo.py": before}, "zoo.py", RENDERED_FEEDINGS, "feedings")


def test_an_if_chain_over_every_table_refuses_the_half_add() -> None:
    """collibra's shape at upstream f9c88869: `if table_name == "assets": ...` for each table in read_table."""
    chain = GITHUB_LIKE.split("        reader_map", 1)[0] + (
        '        if table_name == "issues":\n'
        "            return self._read_issues(start_offset)\n"
        '        if table_name == "users":\n'
        "            return self._read_users(start_offset)\n"
        '        raise ValueError(f"Unsupported table: {table_name!r}")\n'
    )
    sources = {"hub/hub.py": chain, "hub/hub_schemas.py": GITHUB_LIKE_SCHEMAS}
    with pytest.raises(add_table.CannotExtend, match=r"hub/hub\.py:9: this function decides per table"):
        add_table.add_table(sources, "hub/hub.py", RENDERED_FEEDINGS, "feedings")
