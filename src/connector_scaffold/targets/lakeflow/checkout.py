"""Where a lakeflow-community-connectors checkout is, and where a source's files live in it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connector_scaffold.errors import ScaffoldError

PACKAGE = "src/databricks/labs/community_connector"
MARKER = f"{PACKAGE}/interface/lakeflow_connect.py"
MERGE_SCRIPT = "tools/scripts/merge_python_source.py"
ANSWERS_FILE = ".copier-answers.yml"


def find_checkout(dest: Path | None) -> Path:
    """`dest` when it is a checkout; without it, the current folder or the nearest parent that is one."""
    if dest is not None:
        if not (dest / MARKER).is_file():
            raise ScaffoldError(
                f"{dest} is not a lakeflow-community-connectors checkout (no {MARKER}); "
                "pass --dest with the root of one"
            )
        return dest
    here = Path.cwd()
    for folder in (here, *here.parents):
        if (folder / MARKER).is_file():
            return folder
    raise ScaffoldError(
        f"not inside a lakeflow-community-connectors checkout (no {MARKER} here or above); "
        "run it in one or pass --dest ROOT"
    )


@dataclass(frozen=True)
class SourceLayout:
    """The paths of one source, relative to the checkout root (POSIX)."""

    name: str

    @property
    def folder(self) -> str:
        return f"{PACKAGE}/sources/{self.name}"

    @property
    def module(self) -> str:
        return f"{self.folder}/{self.name}.py"

    @property
    def answers(self) -> str:
        return f"{self.folder}/{ANSWERS_FILE}"

    @property
    def merged(self) -> str:
        return f"{self.folder}/_generated_{self.name}_python_source.py"

    @property
    def readme(self) -> str:
        return f"{self.folder}/README.md"

    @property
    def api_doc(self) -> str:
        return f"{self.folder}/{self.name}_api_doc.md"

    @property
    def simulator(self) -> str:
        return f"{PACKAGE}/source_simulator/specs/{self.name}"

    @property
    def endpoints(self) -> str:
        return f"{self.simulator}/endpoints.yaml"

    @property
    def handler(self) -> str:
        """The simulator handler the template writes for cursor and next-token paging."""
        return f"{self.simulator}/handlers/pages.py"

    def corpus(self, table: str) -> str:
        return f"{self.simulator}/corpus/{table}.json"

    @property
    def tests(self) -> str:
        return f"tests/unit/sources/{self.name}"

    @property
    def table_config(self) -> str:
        return f"{self.tests}/configs/dev_table_config.json"


def source_names(root: Path) -> list[str]:
    """Every source of the checkout: a folder under sources/ with its `<s>.py`."""
    folder = root / PACKAGE / "sources"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if (p / f"{p.name}.py").is_file())


def infer_source(root: Path, given: str | None) -> str:
    """`--source`, else the source the current folder is in, else the checkout's only source."""
    names = source_names(root)
    if given is not None:
        if given not in names:
            raise ScaffoldError(f"no source {given!r} in {root} (sources: {', '.join(names) or 'none'})")
        return given
    here = Path.cwd().resolve()
    for name in names:
        layout = SourceLayout(name)
        for folder in (layout.folder, layout.tests, layout.simulator):
            if here == (root / folder).resolve() or (root / folder).resolve() in here.parents:
                return name
    if len(names) == 1:
        return names[0]
    if not names:
        raise ScaffoldError(f"no source in {root}: create one with `scaffold new-connector NAME --target lakeflow`")
    raise ScaffoldError(f"name the source with --source (sources here: {', '.join(names)})")
