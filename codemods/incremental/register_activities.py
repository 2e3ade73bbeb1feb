"""v2: a new activity must also be in the workflow's `get_activities()` list, or no worker runs it."""

from __future__ import annotations

import libcst as cst

from ._cst import append_entries, dotted, find_all, find_class, methods


def register_activities(module: cst.Module, workflow_class: str, names: list[str]) -> cst.Module:
    target = find_class(module, workflow_class)
    getter = next((f for f in methods(target) if f.name.value == "get_activities"), None) if target else None
    if getter is None:
        raise LookupError(f"{workflow_class}.get_activities() is not defined in this module")
    returned = find_all(getter, cst.Return, lambda r: isinstance(r.value, cst.List))
    if len(returned) != 1:
        raise LookupError(f"{workflow_class}.get_activities() does not return one list literal")
    listing = cst.ensure_type(returned[0].value, cst.List)
    present = {dotted(e.value).rsplit(".", 1)[-1] for e in listing.elements}
    missing = [n for n in names if n not in present]
    if not missing:
        return module
    param = getter.params.params[0].name.value if getter.params.params else "activities"
    added = [cst.Element(cst.Attribute(cst.Name(param), cst.Name(name))) for name in missing]
    elements = append_entries(listing.elements, added)
    new_list = listing.with_changes(elements=elements)
    return module.visit(_Swap(listing, new_list))


class _Swap(cst.CSTTransformer):
    def __init__(self, old: cst.List, new: cst.List) -> None:
        self.old, self.new = old, new

    def leave_List(self, original: cst.List, updated: cst.List) -> cst.List:
        return self.new if original is self.old else updated
