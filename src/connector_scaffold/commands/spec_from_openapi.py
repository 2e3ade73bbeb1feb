"""`scaffold spec from-openapi FILE`: import -> validate as a ConnectorSpec -> stdout, or --out through a ChangeSet."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from connector_scaffold.changeset import ChangeSet
from connector_scaffold.openapi import import_openapi
from connector_scaffold.openapi.spec_file import spec_file_text
from connector_scaffold.pipeline import Echo, show_or_apply
from connector_scaffold.spec import check_identifier, load_spec


@dataclass(frozen=True)
class SpecFromOpenAPIRequest:
    document: Path
    name: str | None = None
    entities: tuple[str, ...] = ()
    out: Path | None = None
    dry_run: bool = False
    quiet: bool = False


def run(request: SpecFromOpenAPIRequest, out: Echo, err: Echo) -> int:
    name = None
    if request.name is not None:
        try:
            name = check_identifier(request.name, "--name")
        except ValueError as error:
            from connector_scaffold.errors import ScaffoldError

            raise ScaffoldError(str(error)) from None
    imported = import_openapi(request.document, name, request.entities)
    spec = load_spec(imported.data)  # the file must load as it is written
    if not request.quiet:
        for inference in imported.inferences:
            err(f"openapi: {inference.line()}")
    text = spec_file_text(imported, request.document.name)
    if request.out is None:
        out(text.rstrip("\n"))
        return 0
    target = request.out.resolve()
    changes = ChangeSet(target.parent)
    changes.put(target.name, text.encode("utf-8"))
    written = show_or_apply(changes, request.dry_run, out, dest=target.parent)
    if written is None:
        return 0
    out(f"wrote {request.out} ({len(spec.entities)} entities); edit it, then:")
    out(f"  scaffold new-connector {spec.source_name} --data-file {request.out}")
    return 0
