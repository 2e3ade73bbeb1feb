"""Timestamp fields the app's code, SQL and fixtures spell (`updatedAt`, `changed_on_utc`, `LAST_ALTERED`),
where each is seen, and which entity the evidence ties it to: in app code the entity of the steps that reach
the function, in tests the entity named by the enclosing function, class or variable, in data fixtures the
entity named by the file's path. Evidence that names no single entity stays unattributed ("")."""

from __future__ import annotations

import re

import libcst as cst

from connector_scaffold.codemods.cst_helpers import string_value
from connector_scaffold.targets.atlan.analysis.code_index import CodeIndex
from connector_scaffold.targets.atlan.analysis.entities import singular
from connector_scaffold.targets.atlan.analysis.model import Timestamp
from connector_scaffold.targets.atlan.analysis.sources import Sources

IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_]{2,40}$")
ROLES = (
    ("delete", ("deleted", "archived", "trashed")),
    ("create", ("created", "createtime", "published", "creationtime")),
    ("update", ("updated", "modified", "changed", "altered", "lastddl", "updatetime", "refreshed")),
)
# A bare word is a status value or prose ("CREATED", "updated"), never a field.
BARE = {
    "updated",
    "modified",
    "changed",
    "altered",
    "created",
    "published",
    "deleted",
    "archived",
    "trashed",
    "refreshed",
}
DATA_KEY = re.compile(r"""["']?([A-Za-z][A-Za-z0-9_]{2,40})["']?\s*:""")


def field_role(name: str) -> str:
    # sourceUpdatedAt & co. are Atlan's asset attributes (the app's output), not fields of the source.
    if not IDENT.match(name) or re.match(r"^source[A-Z]", name):
        return ""
    flat = name.lower().replace("_", "")
    if flat in BARE:
        return ""  # a bare "created" / "UPDATED" is a status value or a word, not a field
    for role, stems in ROLES:
        if any(s in flat for s in stems):
            return role
    return ""


def _tokens(name: str) -> set[str]:
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()
    return {singular(t) for t in re.split(r"[^a-z0-9]+", spaced) if t}


def entity_of(names: list[str], entities: set[str]) -> str:
    hits = {e for n in names for e in entities if e in _tokens(n) or e.replace("_", "") in _tokens(n)}
    return next(iter(hits)) if len(hits) == 1 else ""


class _StampVisitor(cst.CSTVisitor):
    """Timestamp-like string literals of one module, with the names around them (function, class, variable)."""

    def __init__(
        self,
        sources: Sources,
        path: str,
        entities: set[str],
        function_entities: dict[int, set[str]],
        detail_functions: set[int],
    ) -> None:
        self.sources, self.path, self.entities = sources, path, entities
        self.function_entities, self.detail_functions = function_entities, detail_functions
        self.origin = "app" if path.startswith("app/") else "fixture"
        self.context: list[tuple[str, int]] = []
        self.found: list[Timestamp] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.context.append((node.name.value, id(node)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.context.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.context.append((node.name.value, 0))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.context.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        names = [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
        self.context.append((names[0] if names else "", 0))

    def leave_Assign(self, original_node: cst.Assign) -> None:
        self.context.pop()

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = string_value(node)
        role = field_role(value or "")
        if not value or not role:
            return
        owners = [k for _, k in self.context if k]
        context = "detail response" if owners and owners[-1] in self.detail_functions else ""
        entity = ""
        if self.origin == "app" and owners:
            reach = self.function_entities.get(owners[-1], set())
            entity = next(iter(reach)) if len(reach) == 1 else ""
        if not entity:
            entity = entity_of([n for n, _ in self.context], self.entities)
        where = self.sources.where(self.path, node)
        self.found.append(Timestamp(value, role, entity, where, self.origin, context))


LITERAL = re.compile(r"""["']([A-Za-z][A-Za-z0-9_]{2,40})["']""")
OPENER = re.compile(r"^(\s*)(?:async\s+)?(?:def|class)\s+(\w+)|^(\s*)(\w+)\s*(?::[^=]+)?=(?!=)")


def _has_candidate(text: str) -> bool:
    return any(field_role(m.group(1)) for m in LITERAL.finditer(text))


def _test_stamps(path: str, text: str, entities: set[str]) -> list[Timestamp]:
    found: list[Timestamp] = []
    stack: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        indent = len(line) - len(line.lstrip())
        opener = OPENER.match(line)
        if opener or not stack or indent <= stack[-1][0]:
            while stack and stack[-1][0] >= indent:
                stack.pop()
        if opener:
            stack.append((indent, opener.group(2) or opener.group(4)))
        for match in LITERAL.finditer(line):
            role = field_role(match.group(1))
            if role:
                entity = entity_of([name for _, name in stack], entities)
                found.append(Timestamp(match.group(1), role, entity, f"{path}:{number}", "fixture"))
    return found


def code_timestamps(
    index: CodeIndex,
    entities: set[str],
    function_entities: dict[int, set[str]],
    generated: tuple[str, ...],
    detail_functions: set[int],
) -> list[Timestamp]:
    found: list[Timestamp] = []
    sources = index.sources
    for path in [p for p in sources.modules if not p.startswith(generated) and _has_candidate(sources.texts[p])]:
        visitor = _StampVisitor(sources, path, entities, function_entities, detail_functions)
        sources.modules[path].visit(visitor)
        found += visitor.found
    for path, text in sources.texts.items():
        # Tests are read as text (parsing large test modules costs seconds): the names around a literal are
        # the defs, classes and assignments that enclose it by indentation.
        if path.startswith("tests/") and path.endswith(".py") and _has_candidate(text):
            found += _test_stamps(path, text, entities)
    for path, text in sources.texts.items():
        # transformed/ fixtures hold the app's Atlan output, not the source's records.
        if path.startswith("tests/") and path.endswith((".json", ".yaml", ".yml")) and "/transformed/" not in path:
            entity = entity_of(path.split("/"), entities)
            for number, line in enumerate(text.splitlines(), 1):
                for match in DATA_KEY.finditer(line):
                    role = field_role(match.group(1))
                    if role:
                        found.append(Timestamp(match.group(1), role, entity, f"{path}:{number}", "fixture"))
    return found
