"""The playbook's documents, rendered from one Analysis (Markdown, no timestamps, no absolute paths): the same
facts as `scaffold analyze --format json`, for a reviewer."""

from __future__ import annotations

from collections import Counter

from connector_scaffold.targets.atlan.analysis.model import Analysis, Rule

FOLDER = "incremental-analysis"
CHANGED = "## What was changed (by add-incremental)"
HEADER = "<!-- Written by `scaffold analyze` from static analysis of this app; re-run it to refresh. -->\n"


def documents(a: Analysis) -> dict[str, str]:
    return {
        f"{FOLDER}/reconnaissance.md": reconnaissance(a),
        f"{FOLDER}/feasibility.md": feasibility(a),
        f"{FOLDER}/change-detection.md": change_detection(a),
        f"{FOLDER}/test-plan.md": test_plan(a),
        f"{FOLDER}/marketplace.md": marketplace(a),
        f"{FOLDER}/final-report.md": final_report(a),
    }


def _cell(text: str) -> str:
    return (text or "-").replace("|", "\\|").replace("\n", " ")


def _table(head: list[str], rows: list[list[str]]) -> list[str]:
    if not rows:
        return ["(none found)"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return lines


def _title(a: Analysis, what: str) -> list[str]:
    app = a.app
    sdk = f"{app.sdk_requirement}"
    return [
        HEADER.rstrip("\n"),
        f"# {what}: {app.name}",
        "",
        f"Connector type **{app.kind}**, SDK shape **{app.shape}** (`{sdk}`)"
        + (f", dialect **{app.dialect}** ({app.dialect_evidence})" if app.dialect else "")
        + ".",
        "",
    ]


def _places(where: list[str], most: int = 4) -> str:
    shown = ", ".join(where[:most])
    return shown + (f" (+{len(where) - most} more)" if len(where) > most else "")


def _chains(a: Analysis) -> list[str]:
    children: dict[str, list[str]] = {}
    for link in a.links:
        children.setdefault(link.parent, []).append(link.child)
    roots = sorted({k.parent for k in a.links} - {k.child for k in a.links})
    chains: list[str] = []

    def walk(node: str, path: list[str]) -> None:
        if node not in children or node in path:
            chains.append(" -> ".join([*path, node]))
            return
        for child in sorted(children[node]):
            walk(child, [*path, node])

    for root in roots:
        walk(root, [])
    return chains


def reconnaissance(a: Analysis) -> str:
    lines = _title(a, "Reconnaissance")
    lines += ["## 1. Entity type inventory", ""]
    lines += _table(
        ["entity", "extracted by", "cost", "plan", "seen at"],
        [[e.name, ", ".join(e.steps), e.cost, e.plan, _places(list(e.evidence), 3)] for e in a.entities],
    )
    lines += ["", "Parent -> child links (each from the code that ties them):", ""]
    lines += [f"- {c}" for c in _chains(a)] or ["- none found: every entity is extracted on its own"]
    lines += [f"- `{k.parent}` -> `{k.child}`: {k.how} ({k.where})" for k in a.links]
    lines += ["", "## 2. API / query map", ""]
    if a.app.kind == "SQL":
        lines += _table(
            ["file", "step", "entity", "reads", "columns", "placeholders"],
            [
                [q.file, q.step, q.entity, ", ".join(q.sources), ", ".join(q.columns), ", ".join(q.placeholders)]
                for q in a.queries
            ],
        )
    else:
        lines += _table(
            ["step", "where", "function", "request", "parameters", "paged by", "per item (N+1) loop"],
            [
                [
                    c.step,
                    c.where,
                    c.function,
                    f"{c.method} {c.target}",
                    ", ".join(c.params),
                    c.paged_by,
                    c.per_item_loop,
                ]
                for c in a.calls
            ],
        )
    lines += ["", "## 3. Timestamp fields", ""]
    grouped: dict[tuple[str, str, str, str], list[str]] = {}
    for t in a.timestamps:
        origin = f"{t.origin} ({t.context})" if t.context else t.origin
        grouped.setdefault((t.entity or "(unattributed)", t.field, t.role, origin), []).append(t.where)
    lines += _table(
        ["entity", "field", "role", "seen at", "in"],
        [[e, f, r, _places(w), o] for (e, f, r, o), w in grouped.items()],
    )
    missing = [e.name for e in a.entities if not any(t.entity == e.name for t in a.timestamps)]
    if missing:
        lines += [
            "",
            f"No timestamp field is tied to: {', '.join(missing)} (UNKNOWN, not absent: the code and "
            "fixtures do not spell one for them).",
        ]
    lines += ["", "## 4. Cost structure", ""]
    if a.app.kind == "SQL":
        lines += ["One query per entity type and run (no per-row requests); the column query returns the most rows."]
        lines += [f"- `{q.step}` runs `{q.file}` once" for q in a.queries if q.step]
    else:
        for step in (s for s in a.steps if s.role in ("list", "detail")):
            mine = [c for c in a.calls if step.name == c.step]
            lines.append(f"- `{step.name}` ({step.role}): {len(mine)} request site(s)")
            for c in mine:
                shape = f"once per record, loop at {c.per_item_loop} (N+1)" if c.per_item_loop else "once per run"
                paged = f", paged by {c.paged_by}" if c.paged_by else ""
                lines.append(f"  - {c.method} at {c.where}: {shape}{paged}")
    lines += ["", "## 5. Current workflow sequence", ""]
    for s in a.steps:
        flags = [
            f
            for f, on in (
                (f"awaited together: group {s.parallel_group}", s.parallel_group),
                ("conditional", s.conditional),
                ("repeated in a loop", s.repeated),
            )
            if on
        ]
        where = s.called_at or "the SDK base class's run()"
        lines.append(f"{s.order}. `{s.name}` [{s.role}] at {where}" + (f" ({'; '.join(flags)})" if flags else ""))
    if not a.steps:
        lines.append("UNKNOWN: no orchestrating method found.")
    lines += [f"- note: {n}" for n in a.notes]
    if a.app.orchestrators:
        lines += ["", "Orchestrated by: " + ", ".join(f"`{o}`" for o in a.app.orchestrators)]
    return "\n".join(lines) + "\n"


def counts(rules: tuple[Rule, ...]) -> dict[str, int]:
    found = Counter(r.verdict for r in rules)
    return {v: found.get(v, 0) for v in ("PASS", "FAIL", "UNKNOWN")}


def feasibility(a: Analysis) -> str:
    lines = _title(a, "Feasibility")
    total = counts(a.rules)
    lines += [
        f"**{total['PASS']} PASS, {total['FAIL']} FAIL, {total['UNKNOWN']} UNKNOWN.** UNKNOWN means static "
        "analysis cannot decide it; the reason says what would.",
        "",
    ]
    lines += ["## Rules", ""]
    lines += _table(
        ["rule", "entity", "verdict", "evidence", "why"],
        [[f"{r.rule} {r.title}", r.entity or "(app)", r.verdict, ", ".join(r.evidence), r.reason] for r in a.rules],
    )
    incremental = [e.name for e in a.entities if e.plan == "incremental"]
    riding = [f"{e.name} ({e.plan})" for e in a.entities if e.plan.startswith("with ")]
    full = [e.name for e in a.entities if e.plan == "full"]
    lines += ["", "## Strategy", ""]
    if a.app.kind == "SQL":
        lines.append("Server-side filtering: the SDK's incremental SQL (a marker in the table query's WHERE).")
    else:
        lines.append("Client-side diffing: the list calls stay full; the detail calls run for changed records only.")
    lines += [
        f"- make incremental: {', '.join(incremental) or 'none (no per-record detail step found)'}",
        f"- re-extracted with their parent: {', '.join(riding) or 'none'}",
        f"- keep full extraction (cheap, rules not evaluated): {', '.join(full) or 'none'}",
        "",
        "## State artifacts",
        "",
        "Marker + previous entity list"
        + (" + backfill of unchanged details" if incremental and a.app.kind == "REST" else "")
        + (
            " (persisted after the upload step only)."
            if any(st.role == "upload" for st in a.steps)
            else " (written by the SDK's incremental SQL workflow after upload_to_atlan: G2)."
            if a.app.kind == "SQL"
            else " (no upload step in the orchestration: persisted after the step G2 names, see the rules)."
        ),
        "",
        "## Marker strategy",
        "",
        f"SDK marker (`fetch_marker_from_storage`), preponed by `marker_offset_hours` = {a.app.marker_offset_hours:g}.",
        "",
        "## Risk register",
        "",
        "Likelihood x impact is not scored here: both depend on the source's change rate and tenant size, which "
        "static analysis does not see. Each risk below comes from a fact and points at its test in test-plan.md.",
        "",
    ]
    lines += [f"- {r}" for r in risks(a)] or ["- none derived from the code"]
    return "\n".join(lines) + "\n"


def risks(a: Analysis) -> list[str]:
    full = {e.name for e in a.entities if e.plan == "full"}
    found = [
        f"cascade `{k.parent}` -> `{k.child}` ({k.where}): test_risk_cascade_{k.parent}_to_{k.child}"
        for k in a.links
        if not {k.parent, k.child} <= full  # both extracted in full every run: nothing to cascade
    ]
    for c in a.calls:
        if c.paged_by and not c.per_item_loop:
            found.append(
                f"pagination boundary of {c.method} at {c.where} (paged by {c.paged_by}): test_risk_pagination_{c.step}"
            )
        if c.per_item_loop:
            found.append(f"rate limits under per-record calls at {c.where}: test_risk_rate_limit_{c.step}")
    for d in a.detection:
        if "false positives" in d.reason:
            found.append(f"false positives on {d.entity} ({d.field}): test_risk_false_positive_{d.entity}")
        if "detail response only" in d.reason:
            found.append(
                f"{d.field} of {d.entity} is read from the per-record detail response: a list without it cannot "
                f"skip the detail call: test_risk_timestamp_in_list_{d.entity}"
            )
    found += [
        f"eventual consistency of {d.field} for {d.entity}: test_risk_prepone_buffer_{d.entity}"
        for d in a.detection
        if d.field
    ]
    return sorted(dict.fromkeys(found))


def change_detection(a: Analysis) -> str:
    lines = _title(a, "Change detection")
    lines += ["## Chosen field per entity", ""]
    lines += _table(
        ["entity", "field", "evidence", "strategy", "why"],
        [[d.entity, d.field or "UNKNOWN", ", ".join(d.field_evidence), d.strategy, d.reason] for d in a.detection],
    )
    lines += [
        "",
        "## Offset",
        "",
        f"marker_offset_hours = {a.app.marker_offset_hours:g}: the marker is moved back by "
        "this much before comparing, to cover the source's eventual consistency (checklist: Tableau >= 1, "
        "Snowflake >= 2.5, Salesforce >= 0.5). The source's own delay is not in the code: confirm it.",
    ]
    lines += ["", "## Cascades", ""]
    plans = {e.name: e.plan for e in a.entities}
    for k in a.links:
        if plans.get(k.child) == f"with {k.parent}":
            lines.append(
                f"- `{k.parent}` -> `{k.child}` ({k.how}, {k.where}): a changed {k.parent} re-extracts "
                f"its {k.child} records with it. Whether a {k.child}-only change moves the {k.parent}'s "
                "timestamp is UNKNOWN (source behaviour): verify it, or cascade child -> parent."
            )
        else:
            lines.append(
                f"- `{k.parent}` -> `{k.child}` ({k.how}, {k.where}): {k.child} records depend on the "
                f"{k.parent} records (scope or lookup). A {k.parent} change (deleted, moved, re-scoped) "
                f"may change {k.child} output without moving the {k.child}'s timestamp: UNKNOWN; verify, "
                f"or treat the {k.child} records of a changed {k.parent} as changed "
                f"(cascade_{k.parent}_to_{k.child})."
            )
    if not a.links:
        lines.append("- none: no entity is extracted per parent record.")
    lines += ["", "## Deletions", ""]
    deletes = [t for t in a.timestamps if t.role == "delete"]
    if a.app.kind == "SQL":
        lines.append(
            "The table query lists every table each run; a table missing from it is gone (the SDK's "
            "incremental SQL keeps NO CHANGE tables from the previous state and drops the missing)."
        )
    else:
        lines.append(
            "Hard deletes: ids in the previous run's list minus ids in this run's list (the list steps "
            "run in full every time)."
        )
    soft: dict[tuple[str, str], list[str]] = {}
    for t in deletes:
        soft.setdefault((t.field, t.entity or "unattributed"), []).append(t.where)
    lines += [
        f"- soft-delete field `{f}` ({e}) at {_places(w)}: a record carrying it is deleted; the app must "
        "treat it like a missing id"
        for (f, e), w in soft.items()
    ]
    lines += ["", "## False positives", ""]
    flagged = [d for d in a.detection if "false positives" in d.reason]
    lines += [f"- {d.entity}: {d.reason}" for d in flagged]
    refresh = [t for t in a.timestamps if "refresh" in t.field.lower()]
    lines += [
        f"- `{t.field}` at {t.where}: a data refresh time; compare it with the change field to skip refreshes"
        for t in refresh
    ]
    if not flagged and not refresh:
        lines.append(
            "UNKNOWN: no refresh-time field or known DML-driven timestamp is in the code; whether the chosen "
            "field moves without a metadata change needs a live check. Filters go in "
            "`is_false_positive_<entity>()` (app/extracts/incremental_hooks.py)."
        )
    return "\n".join(lines) + "\n"


def test_plan(a: Analysis) -> str:
    lines = _title(a, "Test plan")
    targets = [e.name for e in a.entities if e.plan == "incremental"]
    lines += ["## Baseline", ""]
    lines += [f"- existing test file: {t}" for t in a.tests] or ["- no test files under tests/"]
    lines += ["- command: `uv run pytest tests/unit/ -x -q` (record the count before changing anything)", ""]
    lines += ["## 1. Lifecycle (always)", ""]
    categories = (
        ("full_baseline", "incremental_enabled=false: no marker read or written, output as before"),
        ("first_incremental", "no marker yet: falls back to full extraction, state persisted after upload"),
        ("normal_incremental", "one record changed after the marker: fresh details for it, backfill for the rest"),
        ("zero_changes", "nothing changed: detail step skipped, output complete from backfill"),
        ("force_full", "force_full_extraction=true with a marker: full run, state overwritten"),
    )
    for entity in targets:
        lines += [f"- `test_{name}_{entity}`: {what}" for name, what in categories]
    lines += ["", "## 2. From the risk register", ""]
    lines += [f"- {r}" for r in risks(a)] or ["- none"]
    lines += ["", "## 3. State management (always)", ""]
    lines += [
        "- entity deleted: in the previous list, not in this one -> not backfilled, not in the output",
        "- corrupted state (truncated JSON, invalid bytes) -> full extraction, no crash",
        "- missing state -> same as the first incremental run",
        "- state after publish: marker, lists and backfill index exist after a successful run",
        "- state not after failure: upload fails -> marker unchanged, next run re-extracts the same delta",
        "- backward compatibility: state written by the previous version reads with defaults",
    ]
    lines += ["", "## 4. Filter scope", ""]
    if a.filters:
        lines.append("Scope filters found: " + ", ".join(f"`{f}`" for f in a.filters))
        lines += [
            "- scope added between runs -> new scope extracted in full",
            "- scope removed -> its entities leave the backfill and the output",
            "- first run with filters -> only in-scope entities",
            "- filters and zero changes -> all from backfill",
        ]
    else:
        lines.append("Skipped: the app reads no include/exclude filter.")
    if a.app.kind == "SQL":
        lines += ["", "## 5. Incremental SQL", ""]
        lines += [
            "- build_incremental_column_sql: several tables (UNION ALL), one table (no UNION ALL), "
            "placeholders replaced, ValueError on an empty list, quotes in names escaped",
            "- against a real database: a table changed after the marker is CREATED/UPDATED, an unchanged one "
            "NO CHANGE",
        ]
    return "\n".join(lines) + "\n"


def marketplace(a: Analysis) -> str:
    name = a.app.name.replace("_", "-")
    lines = _title(a, "Marketplace changes")
    lines += [
        f"Apply by hand in marketplace-packages: `packages/atlan/{name}/templates/atlan-{name}.yaml` "
        "(one branch from master, three PRs: preprod, master, main).",
        "",
        "## 1. Workflow step",
        "",
        "```yaml",
        '"interim-extract-and-transform",',
        "```",
        "",
        "## 2. Parameters",
        "",
        "```yaml",
        "# Incremental extraction parameters",
        "- name: incremental-extraction",
        "  valueFrom:",
        "    configMapKeyRef:",
        "      name: atlan-tenant-package-runtime-config",
        f"      key: atlan-{name}.main.params.incremental-extraction",
        "      optional: true",
        '    default: "false"',
    ]
    if a.app.kind == "SQL":
        schema = {"Oracle": "SYS", "PostgreSQL": "information_schema"}.get(a.app.dialect)
        lines += ["- name: column-batch-size", '  value: "25000"', "- name: column-chunk-size", '  value: "100000"']
        if schema:
            lines += ["- name: system-schema-name", f'  value: "{schema}"']
        else:
            lines += [
                f"# system-schema-name: UNKNOWN for {a.app.dialect or 'this dialect'} (the SDK reference "
                "lists Oracle SYS and PostgreSQL information_schema only): set it by hand"
            ]
    lines += [
        "# Debug parameters (uncomment for debugging)",
        "# - name: marker-timestamp",
        '#   value: ""',
        "```",
        "",
        "## 3. workflow-arguments as a literal block",
        "",
        "```yaml",
        "- name: workflow-arguments",
        "  value: |",
        "    {",
        '      "workflow_id": "{{workflow.labels.workflows.argoproj.io/workflow-template}}"',
        "    }",
        "```",
        "",
        "## 4. Publish path (temporary workaround)",
        "",
        "```yaml",
        "# TEMPORARY: publish reads the persistent current-state (all assets) instead of transformed/,",
        "# because publish breaks its circuit breaker on incremental diffs.",
        "# TODO: remove once publish supports incremental diff publishing",
        "- name: transformed-input-path",
        '  value: "persistent-artifacts/apps/{{inputs.parameters.application-name}}/connection/'
        '{{=sprig.last(sprig.splitList(\\"/\\", jsonpath(inputs.parameters.connection, '
        "'$.attributes.qualifiedName')))}}/current-state\"",
        "```",
        "",
    ]
    lines += [
        "Check before the PRs: `python -c \"import yaml; yaml.safe_load(open('...yaml'))\"`, no trailing "
        "whitespace, a final newline."
    ]
    return "\n".join(lines) + "\n"


def final_report(a: Analysis) -> str:
    lines = _title(a, "Final report")
    total = counts(a.rules)
    lines += [CHANGED, ""]
    if a.changes:
        lines += [f"- {c}" for c in a.changes]
    else:
        lines.append(
            "- nothing yet: add-incremental has not patched this app (`scaffold analyze` writes only "
            "incremental-analysis/)"
        )
    if a.app.incremental_entities:
        lines.append(
            f"- entities made incremental (.copier-answers.incremental.yml): {', '.join(a.app.incremental_entities)}"
        )
    lines += ["", "## What was verified, and how", ""]
    lines += [
        f"- `scaffold analyze`: {total['PASS']} PASS, {total['FAIL']} FAIL, {total['UNKNOWN']} UNKNOWN (feasibility.md)"
    ]
    for r in a.rules:
        if r.rule in ("G1", "G2"):
            lines.append(f"- {r.rule} {r.title}: {r.verdict} ({', '.join(r.evidence) or 'no evidence'})")
    if a.changes:
        lines.append(
            "- every written Python file compiled and every JSON/YAML file parsed before the atomic write "
            "(add-incremental's ChangeSet)"
        )
    lines += ["", "## Left to do by hand", ""]
    lines += ["- run the app's tests: `uv run pytest tests/unit/ -x -q` (not run by scaffold)"]
    lines += [
        f"- decide {r.rule} {r.title}" + (f" for {r.entity}" if r.entity else "") + f": {r.reason}"
        for r in a.rules
        if r.verdict == "UNKNOWN"
    ]
    lines += [
        f"- fix {r.rule} {r.title}" + (f" for {r.entity}" if r.entity else "") + f": {r.reason}"
        for r in a.rules
        if r.verdict == "FAIL"
    ]
    lines += [
        "- apply marketplace.md in marketplace-packages",
        "- a staging run with incremental_enabled=true, then a second: only changed entities re-extracted",
        "- ring release: internal -> beta -> GA",
    ]
    return "\n".join(lines) + "\n"
