"""v2: a new activity must also be in the workflow's `get_activities()` list, or no worker runs it."""

from __future__ import annotations

import libcst as cst

from ..cst_helpers import called_name, find_all, find_class, method
from ..errors import NotFound
from .splice import append_entries


def register_activities(module: cst.Module, workflow_class: str, names: list[str]) -> cst.Module:
    getter = method(find_class(module, workflow_class), "get_activities")
    if getter is None:
        raise NotFound(f"{workflow_class}.get_activities() is not defined in this module")
    returned = find_all(getter, cst.Return, lambda r: isinstance(r.value, cst.List))
    if len(returned) != 1:
        raise NotFound(f"{workflow_class}.get_activities() does not return one list literal")
    listing = cst.ensure_type(returned[0].value, cst.List)
    present = {called_name(e.value).rsplit(".", 1)[-1] for e in listing.elements}
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
