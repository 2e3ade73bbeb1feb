"""The `scaffold` command line: a thin click layer. Heavy modules are imported inside each command."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn

import click

# errors.py, spec_choices.py (the spec's vocabularies, which spec.py reads too) and the targets registry import
# nothing heavy, so `--help` stays fast.
from connector_scaffold.errors import ScaffoldError, describe
from connector_scaffold.spec_choices import AUTH_TYPES, PAGINATION_STYLES
from connector_scaffold.targets import DEFAULT_TARGET, TARGETS

Echo = Callable[[str], None]


def _execute(command: Callable[[Echo, Echo], int], around: tuple[Path, ...] = ()) -> NoReturn:
    """Run a command's pipeline with stdout/stderr writers. A ScaffoldError, or an error bad input causes (an
    unreadable or invalid file, a missing program, input nested too deeply), is one line on stderr and exit 2
    (1 for conflicts); `scaffold --debug` shows the traceback. First, an apply that was interrupted here (at the
    current folder, `around`, their parents or subfolders) is finished or rolled back."""
    from connector_scaffold.subprocesses import exit_on_sigterm

    exit_on_sigterm()
    try:
        from connector_scaffold.transaction import recover_around

        recover_around((Path.cwd(), *around))
        code = command(click.echo, lambda line: click.echo(line, err=True))
    except ScaffoldError as error:
        _debug_traceback()
        click.echo(f"error: {_single_line(str(error))}", err=True)
        sys.exit(error.exit_code)
    except (Exception, RecursionError) as error:
        message = describe(error)
        if message is None:
            raise
        _debug_traceback()
        click.echo(f"error: {_single_line(message)}", err=True)
        sys.exit(2)
    sys.exit(code)


def _debug_traceback() -> None:
    context = click.get_current_context(silent=True)
    if context is not None and context.find_root().params.get("debug"):
        import traceback

        traceback.print_exc()


def _single_line(message: str) -> str:
    """Messages that quote user input (a name with a newline) must stay one line."""
    return " ".join(message.splitlines()) if "\n" in message or "\r" in message else message


def _target_options(command: Any) -> Any:
    """Every target's own `new-connector` options, as `TARGET: help`; only the chosen target may be given its own."""
    for target in reversed(list(TARGETS.values())):
        for option in reversed(target.options):
            command = click.option(
                option.flag, option.dest, multiple=True, metavar=option.metavar, help=f"{target.name}: {option.help}"
            )(command)
    return command


class _OneLineUsageErrors(click.Group):
    """Bad options are bad input like any other: one `error:` line and exit 2, not click's usage block."""

    def main(self, *args: Any, **kwargs: Any) -> Any:
        kwargs["standalone_mode"] = False
        try:
            return super().main(*args, **kwargs)
        except click.UsageError as error:
            click.echo(f"error: {_single_line(error.format_message())}", err=True)
            sys.exit(error.exit_code)
        except click.ClickException as error:
            error.show()
            sys.exit(error.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)


@click.group(
    cls=_OneLineUsageErrors,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 110},
    epilog="Example: scaffold new-connector stripe",
)
# package_name, not version=: the metadata lookup then happens only when --version is asked for.
@click.version_option(package_name="connector-scaffold", prog_name="scaffold", message="%(prog)s %(version)s")
@click.option("--debug", is_flag=True, help="On an error, show the traceback too.")
def main(debug: bool) -> None:
    """Generate and upgrade data connectors deterministically."""


@main.command(
    "new-connector",
    epilog="""\b
Examples:
  scaffold new-connector stripe
  scaffold new-connector github --dest ./connectors/github --dry-run
  scaffold new-connector acme --data-file answers.yml
  scaffold new-connector acme --entity widget:/v2/widgets --auth api_key_header --base-url https://api.acme.io
  scaffold new-connector stripe --target lakeflow --defaults      # inside a lakeflow-community-connectors checkout""",
)
@click.argument("name")
@click.option(
    "--target",
    type=click.Choice(list(TARGETS)),
    default=DEFAULT_TARGET,
    show_default=True,
    help="What to generate: an Atlan app, or a source in a lakeflow-community-connectors checkout.",
)
@click.option(
    "--dest",
    type=click.Path(path_type=Path),
    help="Output folder [default: ./atlan-NAME-app]; lakeflow: the checkout root [default: the one around .].",
)
@click.option("--data-file", type=click.Path(path_type=Path), help="Answers file (YAML) with spec fields.")
@click.option(
    "--openapi",
    type=click.Path(path_type=Path, dir_okay=False),
    help="OpenAPI 3.x / Swagger 2.0 document (JSON or YAML) to import the spec from; --entity then selects.",
)
@click.option("--defaults", is_flag=True, help="Never prompt; use catalog values and defaults.")
@click.option("--dry-run", is_flag=True, help="List every file that would be written; write nothing.")
@click.option("--force", is_flag=True, help="Allow a non-empty destination; only files the template owns are replaced.")
@click.option("--strict", is_flag=True, help="Fail when NAME is not in the built-in catalog.")
@click.option("--entity", "entities", multiple=True, metavar="NAME[:PATH]", help="An entity to extract (repeatable).")
@click.option("--auth", type=click.Choice(AUTH_TYPES), help="How requests authenticate.")
@click.option("--base-url", help="https:// base URL of the source API.")
@click.option("--pagination", type=click.Choice(PAGINATION_STYLES), help="How list endpoints page.")
@click.option("--page-size", type=click.IntRange(1, 10_000), help="Records per page.")
@click.option("--display-name", help="Human name of the source.")
@click.option("--rps", "requests_per_second", type=click.FloatRange(min=0, min_open=True), help="Requests per second.")
@click.option("--max-concurrency", type=click.IntRange(1, 256), help="Concurrent requests at most.")
@_target_options
def new_connector(name: str, **kw: Any) -> None:
    """Create a complete, tested Atlan SDK v3 app (or, with --target lakeflow, a Lakeflow source) for NAME."""
    from connector_scaffold.commands.new_connector import run
    from connector_scaffold.spec_sources import SpecOptions
    from connector_scaffold.targets.base import NewConnectorRequest

    option_keys = ("auth", "base_url", "pagination", "page_size", "display_name", "requests_per_second")
    options: dict[str, Any] = {key: kw[key] for key in option_keys}
    options["max_concurrency"] = kw["max_concurrency"]
    options["entities"] = tuple(kw["entities"])
    options["openapi"] = kw["openapi"]
    interactive = not kw["defaults"] and kw["data_file"] is None and sys.stdin.isatty() and not kw["dry_run"]
    interactive = interactive and kw["openapi"] is None

    def command(out: Echo, err: Echo) -> int:
        target_options = _own_target_options(kw["target"], kw)
        answered = _prompt(name, options) if interactive else options
        request = NewConnectorRequest(
            name=name,
            target=kw["target"],
            dest=kw["dest"],
            answers_file=kw["data_file"],
            options=SpecOptions(**answered),
            strict=kw["strict"],
            force=kw["force"],
            dry_run=kw["dry_run"],
            target_options=target_options,
        )
        return run(request, out, err)

    _execute(command, around=(kw["dest"],) if kw["dest"] is not None else ())


@main.command(
    "list",
    epilog="""\b
Examples:
  scaffold list
  scaffold list --format json | jq -r '.[] | select(.auth == "basic") | .name'""",
)
@click.option(
    "--format",
    "output_format",
    default="text",
    show_default=True,
    metavar="[text|json]",
    help="text: a table (name, auth, pagination, entities, targets); json: the same and more, as data.",
)
def list_catalog(output_format: str) -> None:
    """List the built-in catalog: the sources `new-connector NAME` knows, sorted by name."""
    from connector_scaffold.commands.list_catalog import run

    _execute(lambda out, err: run(output_format, out, err))


@main.command(
    "add-table",
    epilog="""\b
Example:
  scaffold add-table subscriptions
  scaffold add-table refunds --source stripe --list-path /v1/refunds --records-key data \\
      --field id:string --field amount:integer --field created:integer --cursor created --dry-run""",
)
@click.argument("table")
@click.option("--source", help="The source under sources/ [default: the one here, or the checkout's only one].")
@click.option("--dest", type=click.Path(path_type=Path, file_okay=False), help="Checkout root [default: around .].")
@click.option("--ingestion-type", type=click.Choice(["snapshot", "cdc", "append"]), help="[default: from the cursor]")
@click.option("--list-path", help="API path of a table the source's spec does not know, e.g. /v1/refunds.")
@click.option("--field", "fields", multiple=True, metavar="NAME:TYPE", help="A field of that table (repeatable).")
@click.option("--cursor", help="Its cursor field (integer epoch or datetime).")
@click.option("--primary-key", default="id", show_default=True, help="Its primary key field.")
@click.option("--records-key", default="", help="Where its list response holds the records ('' = a bare array).")
@click.option("--dry-run", is_flag=True, help="Print the unified diff and the files; write nothing.")
def add_table(table: str, fields: tuple[str, ...], **kw: Any) -> None:
    """Add TABLE to a table-driven Lakeflow source (generated or hand-written), in place; re-running changes nothing."""
    from connector_scaffold.commands.add_table import run
    from connector_scaffold.targets.lakeflow.add_table import AddTableRequest

    _execute(lambda out, err: run(AddTableRequest(table=table, fields=fields, **kw), out, err))


@main.group("spec", epilog="Example: scaffold spec from-openapi openapi.yaml --out spec.yml")
def spec_group() -> None:
    """Write ConnectorSpec files to edit and feed to `new-connector --data-file`."""


@spec_group.command(
    "from-openapi",
    epilog="""\b
Examples:
  scaffold spec from-openapi openapi.yaml                       # the spec on stdout, the inferences on stderr
  scaffold spec from-openapi spec3.json --name stripe --entity customer --entity invoice --out stripe.yml
  scaffold new-connector stripe --data-file stripe.yml          # after editing it""",
)
@click.argument("document", type=click.Path(path_type=Path, dir_okay=False))
@click.option("--name", help="Source name [default: from the document's title].")
@click.option("--entity", "entities", multiple=True, metavar="NAME|PATH", help="Keep only this entity (repeatable).")
@click.option("--out", type=click.Path(path_type=Path, dir_okay=False), help="Write the spec here, not to stdout.")
@click.option("--dry-run", is_flag=True, help="With --out: say what would be written; write nothing.")
@click.option("--quiet", is_flag=True, help="Do not print the inferences.")
def spec_from_openapi(document: Path, entities: tuple[str, ...], **kw: Any) -> None:
    """Import an OpenAPI 3.0/3.1 or Swagger 2.0 DOCUMENT (JSON or YAML) as a spec; print each inference with its
    evidence and confidence."""
    from connector_scaffold.commands.spec_from_openapi import SpecFromOpenAPIRequest, run

    _execute(lambda out, err: run(SpecFromOpenAPIRequest(document=document, entities=entities, **kw), out, err))


def _own_target_options(chosen: str, given: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    """The chosen target's options; another target's option given is bad usage."""
    for target in TARGETS.values():
        flags = [option.flag for option in target.options]
        if target.name != chosen and any(given[option.dest] for option in target.options):
            raise ScaffoldError(f"{' and '.join(flags)} apply to --target {target.name} only")
    return {option.dest: tuple(given[option.dest]) for option in TARGETS[chosen].options}


def _prompt(name: str, options: dict[str, Any]) -> dict[str, Any]:
    """Ask for the main spec values on a terminal, offering the catalog's (or the skeleton's) as defaults."""
    from connector_scaffold.catalog import catalog_entry, generic_entry
    from connector_scaffold.spec import check_identifier

    try:
        base = catalog_entry(check_identifier(name, "source name")) or generic_entry(name.lower())
    except ValueError:
        return options  # the request fails validation with its own one-line message
    answered = dict(options)
    answered["display_name"] = options["display_name"] or click.prompt(
        "Display name", default=base.get("display_name") or name.title()
    )
    answered["base_url"] = options["base_url"] or click.prompt("Base URL (https://)", default=base["base_url"])
    answered["auth"] = options["auth"] or click.prompt(
        "Auth", type=click.Choice(AUTH_TYPES), default=base["auth"]["type"]
    )
    if not options["entities"]:
        default = ",".join(e["name"] for e in base["entities"])
        given = click.prompt("Entities (comma separated)", default=default)
        if given != default:
            answered["entities"] = tuple(part.strip() for part in given.split(",") if part.strip())
    return answered


@main.command(
    "add-incremental",
    epilog="""\b
Examples:
  scaffold add-incremental --entity workbook --children sheet,dashboard
  scaffold add-incremental --entity dashboard --timestamp-field changed_on_utc --dry-run
  scaffold add-incremental --entity app --children page --path ../atlan-acme-app
  scaffold add-incremental --path ../atlan-mysql-app          # a SQL app: no --entity
  scaffold add-incremental --dialect postgresql               # a SQL app whose client names no URL""",
)
@click.option("--entity", default="", help="REST apps: the entity whose detail extraction becomes incremental.")
@click.option(
    "--dialect",
    type=click.Choice(["mysql", "postgresql", "snowflake"]),
    help="SQL apps: the catalog SQL to date tables with [default: from the app's SQLAlchemy URL].",
)
@click.option("--children", default="", metavar="C1,C2", help="Child types the detail step extracts.")
@click.option("--parent", help="Parent type whose changes cascade to the entity.")
@click.option("--timestamp-field", help="Change timestamp field [default: first found of updatedAt, ...].")
@click.option("--id-field", help="Id field of the entity [default: id].")
@click.option("--parent-field", help="Field of a detail record holding its entity's id [default: found in the code].")
@click.option("--records-path", metavar="DIR", help="Folder (under the output path) the list step writes to.")
@click.option("--records-format", type=click.Choice(["json", "parquet"]), help="Format of those files.")
@click.option("--list-step", metavar="NAME", help="The step that lists the entity in full.")
@click.option("--persist-after", metavar="STEP", help="Persist the state after this step (apps with no upload step).")
@click.option("--entrypoint", metavar="NAME", help="The @entrypoint (or run method) that orchestrates the entity.")
@click.option("--detail-step", "detail_steps", multiple=True, metavar="NAME", help="An expensive detail step.")
@click.option(
    "--marker-offset-hours",
    type=float,  # range and finiteness are the plan's to check, with the answers file's value
    help="Look back this many hours before the marker [default: 2, or what the app has].",
)
@click.option("--path", "path", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help="App root.")
@click.option("--dry-run", is_flag=True, help="Print the unified diff; write nothing.")
@click.option("--allow-dirty", is_flag=True, help="Run on a git tree with uncommitted changes.")
def add_incremental(entity: str, children: str, detail_steps: tuple[str, ...], **kw: Any) -> None:
    """Add incremental extraction to an existing Atlan app (REST: SDK v2 or v3; SQL: SDK v2), in place."""
    from connector_scaffold.commands.add_incremental import run
    from connector_scaffold.targets.atlan.incremental.plan import IncrementalRequest

    children_list = tuple(c.strip() for c in children.split(",") if c.strip())
    _execute(
        lambda out, err: run(
            IncrementalRequest(entity=entity, children=children_list, detail_steps=detail_steps, **kw), out, err
        )
    )


@main.command(
    "analyze",
    epilog="""\b
Examples:
  scaffold analyze                         # in the app: writes incremental-analysis/*.md
  scaffold analyze --path ../atlan-acme-app --dry-run
  scaffold analyze --format json           # the same facts on stdout, nothing written""",
)
@click.option("--path", "path", type=click.Path(path_type=Path), default=Path("."), help="App root.")
@click.option(
    "--format",
    "format_",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="markdown: write the documents; json: print the facts and write nothing.",
)
@click.option("--dry-run", is_flag=True, help="Print the documents as a diff; write nothing.")
def analyze(path: Path, format_: str, dry_run: bool) -> None:
    """The incremental playbook's analysis of an Atlan app (static: nothing is run), in incremental-analysis/."""
    from connector_scaffold.commands.analyze import AnalyzeRequest, run

    _execute(lambda out, err: run(AnalyzeRequest(path=path, format=format_, dry_run=dry_run), out, err))


@main.command(
    "update",
    epilog="""\b
Examples:
  scaffold update                          # in the app (or the Lakeflow source folder)
  scaffold update --dry-run                # the full diff and the conflicts; nothing written
  scaffold update --path ../atlan-acme-app --conflict rej
  scaffold update --data-file auth.yml     # change answers too, e.g. auth: {type: bearer}
  scaffold update --check                  # drift report for CI and pre-commit; exit 1 when behind""",
)
@click.option("--path", "path", type=click.Path(path_type=Path, file_okay=False), default=Path("."), help="App root.")
@click.option("--to", metavar="VERSION", help="Update to this release's template [default: the installed one].")
@click.option("--dry-run", is_flag=True, help="Print the unified diff and the conflicts; write nothing.")
@click.option(
    "--conflict",
    type=click.Choice(["inline", "rej"]),
    default="inline",
    show_default=True,
    help="Conflicts as markers in the file, or the user's file kept and the template's change in FILE.rej.",
)
@click.option("--allow-dirty", is_flag=True, help="Run on a tree with uncommitted changes (or outside git).")
@click.option("--check", is_flag=True, help="Exit 1 with a short report when behind the template or hand-edited.")
@click.option("--data-file", type=click.Path(path_type=Path), help="Spec fields that replace the stored ones.")
def update(**kw: Any) -> None:
    """Merge a newer template into an app or source this tool generated, keeping every edit of yours.

    \b
    A three-way merge of the old template, the new one (both with your answers and recorded
    add-incremental / add-table replayed) and your tree. Exit 0 done, 1 conflicts (listed,
    never resolved for you), 2 bad usage.
    """
    from connector_scaffold.commands.update import UpdateRequest, run

    _execute(lambda out, err: run(UpdateRequest(**kw), out, err))


def _check_options(command: Any) -> Any:
    """The argument and options `check` and `fix` share."""
    shared = (
        click.argument("paths", nargs=-1, type=click.Path(path_type=Path)),
        click.option("--select", multiple=True, metavar="CODES", help="Only these rule codes or prefixes."),
        click.option("--ignore", multiple=True, metavar="CODES", help="Skip these rule codes or prefixes."),
        click.option("--no-cache", is_flag=True, help="Lint every file; neither read nor write .scaffold_cache/."),
        click.option(
            "--include-tests",
            is_flag=True,
            help="Also report the production-only rules (timeouts, http://, secrets, ...) in test files.",
        ),
    )
    for decorator in reversed(shared):
        command = decorator(command)
    return command


@main.command(
    "check",
    epilog="""\b
Examples:
  scaffold check
  scaffold check app/ tests/test_connector.py --select SCF001,SCF002
  scaffold check --format json --ignore SCF012
  scaffold check --diff            # show what `scaffold fix` would change; exit 1 if anything""",
)
@_check_options
@click.option(
    "--output-format",
    "--format",
    "output_format",
    type=click.Choice(["text", "json"]),
    default="text",
    show_default=True,
    help="json with --diff: one {path, diff} object per fixed file.",
)
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff; write nothing.")
def check(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...], no_cache: bool, **kw: Any) -> None:
    """Lint PATHS (default .) against the incremental-extraction and reliability guardrails.

    \b
    Exit 0 when clean, 1 with findings, 2 on bad usage.
    [*] marks a finding `scaffold fix` repairs.
    Silence a finding with `# scaffold: ignore[CODE]` on its line.
    Configure under [tool.scaffold] in the nearest pyproject.toml.
    """
    from connector_scaffold.commands.check import run

    _execute(lambda out, err: run(paths, out, err, select=select, ignore=ignore, use_cache=not no_cache, **kw))


@main.command(
    "fix",
    epilog="""\b
Examples:
  scaffold fix
  scaffold fix app/models.py --select SCF001
  scaffold check --diff            # the same fixes, shown and not written""",
)
@_check_options
def fix(paths: tuple[Path, ...], select: tuple[str, ...], ignore: tuple[str, ...], no_cache: bool, **kw: Any) -> None:
    """Apply every fix `scaffold check` offers to PATHS (default .), then print what is left.

    Exits 0 even when findings remain (as pre-commit expects from a fixer); re-running changes nothing.
    """
    from connector_scaffold.commands.fix import run

    _execute(lambda out, err: run(paths, out, err, select=select, ignore=ignore, use_cache=not no_cache, **kw))


if __name__ == "__main__":
    main()
