"""Add one table to a table-driven Lakeflow source, taking its entries from a module rendered for that table.

A source is table-driven when its modules hold, at module level, a dict of `StructType(...)` schemas keyed by
table name and a dict of metadata dicts (with `ingestion_type`) keyed by the same names: `list_tables`,
`get_table_schema` and `read_table_metadata` then only look tables up. Every module-level dict keyed by exactly
those names gets the new table's entry, and every literal list or tuple of exactly those names gets its name.
Anything that cannot be derived refuses the whole change: nothing is half-added.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TypeVar

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from ..cst_helpers import read_names

E = TypeVar("E", cst.DictElement, cst.Element)


class NotTableDriven(ValueError):
    """The source keeps its tables somewhere a codemod cannot extend (if/elif chains, computed dicts...)."""


class CannotExtend(ValueError):
    """The source is table-driven, but one of its per-table values cannot be derived for the new table."""


@dataclass
class _Table:
    """A module-level dict literal keyed by string literals."""

    file: str
    name: str
    line: int
    node: cst.Dict

    @property
    def keys(self) -> list[str]:
        return [_string(e.key) or "" for e in self.node.elements if isinstance(e, cst.DictElement)]

    def value(self, key: str) -> cst.BaseExpression | None:
        for element in self.node.elements:
            if isinstance(element, cst.DictElement) and _string(element.key) == key:
                return element.value
        return None

    def values(self) -> list[cst.BaseExpression]:
        return [e.value for e in self.node.elements if isinstance(e, cst.DictElement)]


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, cst.SimpleString):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _callee(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Call):
        func = node.func
        return func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else ""
    return ""


def _kind(node: cst.BaseExpression) -> str:
    if isinstance(node, cst.Name) and node.value == "None":
        return "None"
    return f"{type(node).__name__}:{_callee(node)}"


def _is_schema(table: _Table, named: frozenset[str] = frozenset()) -> bool:
    """Every value a `StructType(...)`, or a name bound to one at module level (github's `*_schemas.py` style)."""
    values = table.values()
    return bool(values) and all(
        _callee(v) == "StructType" or (isinstance(v, cst.Name) and v.value in named) for v in values
    )


def _struct_constants(modules: Iterable[cst.Module]) -> frozenset[str]:
    """Names assigned a `StructType(...)` at module level in any of the modules."""
    names: set[str] = set()
    for module in modules:
        for statement in module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.Assign) and len(small.targets) == 1:
                    target, value = small.targets[0].target, small.value
                elif isinstance(small, cst.AnnAssign) and small.value is not None:
                    target, value = small.target, small.value
                else:
                    continue
                if isinstance(target, cst.Name) and _callee(value) == "StructType":
                    names.add(target.value)
    return frozenset(names)


def _keys(node: cst.Dict) -> set[str | None]:
    return {_string(e.key) for e in node.elements if isinstance(e, cst.DictElement)}


def _is_metadata(table: _Table) -> bool:
    values = table.values()
    return bool(values) and all(isinstance(v, cst.Dict) and "ingestion_type" in _keys(v) for v in values)


def _dicts(file: str, wrapper: MetadataWrapper) -> list[_Table]:
    positions = wrapper.resolve(PositionProvider)
    found = []
    for statement in wrapper.module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            target, value = None, None
            if isinstance(small, cst.Assign) and len(small.targets) == 1:
                target, value = small.targets[0].target, small.value
            elif isinstance(small, cst.AnnAssign):
                target, value = small.target, small.value
            if isinstance(target, cst.Name) and isinstance(value, cst.Dict):
                table = _Table(file, target.value, positions[statement].start.line, value)
                if all(isinstance(e, cst.DictElement) and _string(e.key) is not None for e in value.elements):
                    found.append(table)
    return found


def _connector_class(module: cst.Module) -> cst.ClassDef | None:
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and any(
            (b.value.value if isinstance(b.value, cst.Name) else getattr(b.value, "attr", cst.Name("_")).value)
            == "LakeflowConnect"
            for b in statement.bases
        ):
            return statement
    return None


def _imports(module: cst.Module) -> dict[str, str]:
    """Name -> the module it is imported from, for every `from X import name` at module level."""
    names: dict[str, str] = {}
    for statement in module.body:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and small.module is not None and not small.relative:
                    source = cst.Module([]).code_for_node(small.module)
                    if not isinstance(small.names, cst.ImportStar):
                        names.update({(a.evaluated_alias or a.evaluated_name): source for a in small.names})
    return names


def _defined(module: cst.Module) -> set[str]:
    defined = set(_imports(module))
    for statement in module.body:
        if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
            defined.add(statement.name.value)
        elif isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if isinstance(small, cst.Import):
                    defined.update((a.evaluated_alias or a.evaluated_name).split(".")[0] for a in small.names)
                elif isinstance(small, cst.Assign):
                    defined.update(t.target.value for t in small.targets if isinstance(t.target, cst.Name))
                elif isinstance(small, cst.AnnAssign) and isinstance(small.target, cst.Name):
                    defined.add(small.target.value)
    return defined


class _Extend(cst.CSTTransformer):
    """Append the new entry to the chosen dicts and the name to literal lists of the table names."""

    def __init__(self, entries: dict[str, cst.BaseExpression], tables: Sequence[str], table: str) -> None:
        self.entries, self.tables, self.table = entries, set(tables), table

    def leave_Assign(self, original: cst.Assign, updated: cst.Assign) -> cst.Assign:
        target = original.targets[0].target if len(original.targets) == 1 else None
        if isinstance(target, cst.Name) and target.value in self.entries and isinstance(updated.value, cst.Dict):
            return updated.with_changes(value=self._add_entry(updated.value, self.entries[target.value]))
        return updated

    def leave_AnnAssign(self, original: cst.AnnAssign, updated: cst.AnnAssign) -> cst.AnnAssign:
        target = original.target
        if isinstance(target, cst.Name) and target.value in self.entries and isinstance(updated.value, cst.Dict):
            return updated.with_changes(value=self._add_entry(updated.value, self.entries[target.value]))
        return updated

    def _add_entry(self, node: cst.Dict, value: cst.BaseExpression) -> cst.Dict:
        elements = list(node.elements)
        last_key = elements[-1].key if elements and isinstance(elements[-1], cst.DictElement) else None
        key = _quoted_like(last_key, self.table)
        return node.with_changes(elements=_appended(elements, lambda comma: cst.DictElement(key, value, comma=comma)))

    def leave_List(self, original: cst.List, updated: cst.List) -> cst.List:
        return updated.with_changes(elements=self._add_name(updated.elements))

    def leave_Tuple(self, original: cst.Tuple, updated: cst.Tuple) -> cst.Tuple:
        return updated.with_changes(elements=self._add_name(updated.elements))

    def _add_name(self, elements: Sequence[cst.BaseElement]) -> Sequence[cst.BaseElement]:
        names = [_string(e.value) for e in elements if isinstance(e, cst.Element)]
        if len(names) != len(elements) or set(names) != self.tables or len(names) != len(self.tables):
            return elements
        name = _quoted_like(getattr(elements[-1], "value", None), self.table)
        items = [e for e in elements if isinstance(e, cst.Element)]  # all of them: checked above
        return _appended(items, lambda comma: cst.Element(name, comma=comma))


def _quoted_like(sibling: cst.BaseExpression | None, text: str) -> cst.SimpleString:
    """`text` as a string literal in the quotes of its sibling (double quotes without one)."""
    quote = sibling.quote if isinstance(sibling, cst.SimpleString) else '"'
    return cst.SimpleString(f"{quote}{text}{quote}")


def _appended(items: list[E], make: Callable[[cst.Comma | cst.MaybeSentinel], E]) -> list[E]:
    """items + [make(comma)], keeping a trailing comma where the literal had one (ruff then keeps it exploded)."""
    trailing = bool(items) and isinstance(items[-1].comma, cst.Comma)
    if trailing and len(items) > 1 and isinstance(items[-2].comma, cst.Comma):
        # One entry per line: the new one takes the last entry's trailing comma, and the last entry takes the
        # separator (newline and indent) its predecessor has, so no existing line changes.
        last_comma = items[-1].comma
        items[-1] = items[-1].with_changes(comma=items[-2].comma)
        items.append(make(last_comma))
        return items
    if items and not trailing:
        items[-1] = items[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    items.append(make(cst.Comma() if trailing else cst.MaybeSentinel.DEFAULT))
    return items


def add_table(sources: dict[str, str], main: str, rendered: str, table: str) -> dict[str, str]:
    """`sources` ({path: code}, `main` the connector module) with `table` added; only changed files are returned.

    Raises NotTableDriven or CannotExtend (messages name the file and line) without changing anything.
    """
    wrappers = {path: MetadataWrapper(cst.parse_module(code)) for path, code in sources.items()}
    connector = _connector_class(wrappers[main].module)
    if connector is None:
        raise NotTableDriven(f"{main}: no class subclasses LakeflowConnect")
    dicts = [d for path, wrapper in wrappers.items() for d in _dicts(path, wrapper)]
    named = _struct_constants(w.module for w in wrappers.values())
    schemas = next((d for d in dicts if _is_schema(d, named)), None)
    metadata = next((d for d in dicts if _is_metadata(d)), None)
    if schemas is None or metadata is None:
        missing = "StructType schemas" if schemas is None else "metadata dicts (with ingestion_type)"
        line = wrappers[main].resolve(PositionProvider)[connector].start.line
        raise NotTableDriven(
            f"{main}:{line}: {connector.name.value} is not table-driven: no module-level dict of {missing} keyed "
            f"by table name (like TABLE_SCHEMAS / TABLE_METADATA); add {table!r} by hand"
        )
    tables = [k for k in schemas.keys if k != table]
    per_table = [d for d in dicts if set(d.keys) - {table} == set(tables)]
    reference = MetadataWrapper(cst.parse_module(rendered))
    rendered_dicts = {d.name: d for d in _dicts("rendered", reference) if table in d.keys}
    rendered_by_role = {
        "schema": next((d for d in rendered_dicts.values() if _is_schema(d)), None),
        "metadata": next((d for d in rendered_dicts.values() if _is_metadata(d)), None),
    }
    entries: dict[str, dict[str, cst.BaseExpression]] = {}
    for target in per_table:
        if table in target.keys:
            continue
        source = _counterpart(target, schemas, metadata, rendered_dicts, rendered_by_role)
        value = source.value(table) if source is not None else None
        if value is None or not (target is schemas or _compatible(target, value)):
            raise CannotExtend(
                f"{target.file}:{target.line}: {target.name} holds a per-table value that add-table cannot derive "
                f"for {table!r}; add the table to it by hand"
            )
        entries.setdefault(target.file, {})[target.name] = value
    changed: dict[str, str] = {}
    rendered_imports = _imports(reference.module)
    for path, wrapper in wrappers.items():
        module = wrapper.module
        if path in entries:
            module = _with_imports(path, module, entries[path].values(), rendered_imports)
        updated = module.visit(_Extend(entries.get(path, {}), tables, table))
        if updated.code != sources[path]:
            changed[path] = updated.code
    _verify({**sources, **changed}, tables, table)
    return changed


class _PerTableDicts(cst.CSTVisitor):
    """Every dict literal (module level or inside a function) keyed by string literals, with its line."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        self.found: list[tuple[int, cst.Dict]] = []

    def visit_Dict(self, node: cst.Dict) -> None:
        if node.elements and all(isinstance(e, cst.DictElement) and _string(e.key) for e in node.elements):
            self.found.append((self.get_metadata(PositionProvider, node).start.line, node))


class _ComparedNames(cst.CSTVisitor):
    """Per function: the string literals compared with `==` (an if/elif chain deciding per table), with its line."""

    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self) -> None:
        self.found: list[tuple[int, set[str]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names: set[str] = set()

        class Collect(cst.CSTVisitor):
            def visit_Comparison(self, comparison: cst.Comparison) -> None:
                operands = [comparison.left, *(t.comparator for t in comparison.comparisons)]
                if any(isinstance(t.operator, cst.Equal) for t in comparison.comparisons):
                    names.update(v for v in (_string(o) for o in operands) if v)

        node.body.visit(Collect())
        self.found.append((self.get_metadata(PositionProvider, node).start.line, names))


def _verify(sources: dict[str, str], tables: Sequence[str], table: str) -> None:
    """After the change, every dict the source consults per table must know `table`: a dispatch dict inside a
    method keyed by every table, or a config dict whose entries all carry keys the new one lacks, would leave the
    table listed but unreadable (`Unsupported table`, `KeyError`). Refuse instead of half-adding it."""
    known = set(tables)
    for path, code in sorted(sources.items()):
        visitor = _PerTableDicts()
        wrapper = MetadataWrapper(cst.parse_module(code))
        wrapper.visit(visitor)
        compared = _ComparedNames()
        wrapper.visit(compared)
        for line, names in compared.found:
            if len(known) > 1 and known <= names and table not in names:
                raise CannotExtend(
                    f"{path}:{line}: this function decides per table (`== {sorted(known)[0]!r}` ... for every "
                    f"table), and add-table cannot write the branch for {table!r}; add the table by hand"
                )
        for line, node in visitor.found:
            keys = {_string(e.key) for e in node.elements if isinstance(e, cst.DictElement)}
            if len(known) > 1 and keys == known:
                raise CannotExtend(
                    f"{path}:{line}: a dict keyed by every table ({', '.join(sorted(known)[:3])}, ...) has no entry "
                    f"for {table!r}, and add-table cannot write its value (per-table code); add the table by hand"
                )
            if table not in keys or not keys - {table} <= known or len(keys) < 3:
                continue
            values = {_string(e.key): e.value for e in node.elements if isinstance(e, cst.DictElement)}
            siblings = [v for k, v in values.items() if k != table]
            if not all(isinstance(v, cst.Dict) for v in siblings):
                continue
            common = set.intersection(*(_keys(v) for v in siblings if isinstance(v, cst.Dict)))
            new = values[table]
            lacking = sorted(str(k) for k in common - (_keys(new) if isinstance(new, cst.Dict) else set()))
            if lacking:
                raise CannotExtend(
                    f"{path}:{line}: every other table's entry has {', '.join(lacking)}, which add-table cannot "
                    f"derive for {table!r}; add the table by hand"
                )


def _counterpart(
    target: _Table,
    schemas: _Table,
    metadata: _Table,
    rendered: dict[str, _Table],
    by_role: dict[str, _Table | None],
) -> _Table | None:
    if target is schemas:
        return by_role["schema"]
    if target is metadata:
        return by_role["metadata"]
    if target.name in rendered:
        return rendered[target.name]
    # A hand-written source may name its paths dict differently: match it by shape (every value an API path).
    values = target.values()
    if values and all((_string(v) or "").startswith("/") for v in values):
        return next((d for d in rendered.values() if all((_string(v) or "").startswith("/") for v in d.values())), None)
    return None


def _compatible(target: _Table, value: cst.BaseExpression) -> bool:
    kinds = {_kind(v) for v in target.values()}
    return _kind(value) in kinds or _kind(value) == "None" or kinds <= {"None"}


def _with_imports(
    path: str, module: cst.Module, values: Iterable[cst.BaseExpression], known: dict[str, str]
) -> cst.Module:
    """`module` importing every name the new values use that it does not define yet."""
    missing = sorted(read_names(values) - _defined(module) - {"None", "True", "False"})
    for name in missing:
        if name not in known:
            raise CannotExtend(f"{path}: the new table needs {name!r}, which add-table cannot import")
        module = _import(module, known[name], name)
    return module


def _import(module: cst.Module, source: str, name: str) -> cst.Module:
    body = list(module.body)
    last_import = -1
    for index, statement in enumerate(body):
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if isinstance(small, (cst.Import, cst.ImportFrom)):
                last_import = index
            if (
                isinstance(small, cst.ImportFrom)
                and small.module is not None
                and not small.relative
                and cst.Module([]).code_for_node(small.module) == source
                and not isinstance(small.names, cst.ImportStar)
            ):
                aliases = list(small.names)
                if isinstance(aliases[-1].comma, cst.Comma):
                    aliases.append(cst.ImportAlias(cst.Name(name), comma=cst.Comma()))
                else:
                    aliases[-1] = aliases[-1].with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
                    aliases.append(cst.ImportAlias(cst.Name(name)))
                new_small = small.with_changes(names=aliases)
                body[index] = statement.with_changes(body=[new_small if s is small else s for s in statement.body])
                return module.with_changes(body=body)
    statement = cst.parse_statement(f"from {source} import {name}\n")
    body.insert(last_import + 1, statement)
    return module.with_changes(body=body)


def add_to_table_dicts(path: str, code: str, rendered: str, table: str) -> str:
    """`code`, a module with no connector class (the simulator handler of a generated source), with `table`'s entry
    added to each module-level dict that `rendered` (the same module rendered for that table) also has; `code`
    itself when there is nothing to add."""
    wrapper = MetadataWrapper(cst.parse_module(code))
    reference = MetadataWrapper(cst.parse_module(rendered))
    rendered_dicts = {d.name: d for d in _dicts("rendered", reference) if table in d.keys}
    entries: dict[str, cst.BaseExpression] = {}
    tables: list[str] = []
    for target in _dicts(path, wrapper):
        value = rendered_dicts[target.name].value(table) if target.name in rendered_dicts else None
        if value is not None and table not in target.keys:
            entries[target.name] = value
            tables = target.keys
    if not entries:
        return code
    return wrapper.module.visit(_Extend(entries, tables, table)).code
