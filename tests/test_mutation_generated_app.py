"""The hand mutations of benchmarks/mutation_generated_app.py stay applicable to what the template renders."""

from __future__ import annotations

import functools
import importlib.util
import sys
from pathlib import Path
from types import ModuleType

REPO = Path(__file__).resolve().parents[1]
# The twelve mutants that survived the first round (issue 13): they must stay listed.
FIRST_ROUND = {
    "baseline-before-upload",
    "resets-not-retried",
    "retry-after-uncapped",
    "no-jitter",
    "no-pacing-headroom",
    "watermark-dropped",
    "finished-at-start",
    "chunk-limit-50gb",
    "retry-cleanup-removed",
    "cursor-loop-guard-removed",
    "test-auth-no-timeout",
    "probe-no-deadline",
}


@functools.cache
def benchmark() -> ModuleType:
    path = REPO / "benchmarks" / "mutation_generated_app.py"
    spec = importlib.util.spec_from_file_location("mutation_generated_app", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    # Dataclasses look their module up while the class is created.
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_every_mutant_applies_to_a_fresh_render(rendered_apps: dict[str, Path]) -> None:
    bench = benchmark()
    app = rendered_apps["stripe"]
    stale = {mutant.name: reason for mutant in bench.MUTANTS if (reason := bench.stale_reason(app, mutant))}
    assert stale == {}


def test_the_mutants_are_distinct_real_changes() -> None:
    mutants = benchmark().MUTANTS
    names = [mutant.name for mutant in mutants]
    assert len(names) == len(set(names))
    assert set(names) >= FIRST_ROUND
    assert len(mutants) >= 33
    for mutant in mutants:
        assert mutant.old and mutant.old != mutant.new, mutant.name
        assert mutant.guarantee, mutant.name


def test_a_stale_mutant_is_reported_not_skipped(tmp_path: Path) -> None:
    bench = benchmark()
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "x.py").write_text("a = 1\na = 1\n")
    missing = bench.Mutant("m", "app/x.py", "b = 2", "b = 3", "g")
    twice = bench.Mutant("m", "app/x.py", "a = 1", "a = 2", "g")
    gone = bench.Mutant("m", "app/y.py", "a = 1", "a = 2", "g")
    assert bench.stale_reason(tmp_path, missing) == "old text found 0 times in app/x.py"
    assert bench.stale_reason(tmp_path, twice) == "old text found 2 times in app/x.py"
    assert bench.stale_reason(tmp_path, gone) == "app/y.py is not in the render"
    outcome = bench.run_mutant(Path("/nonexistent-venv"), tmp_path, missing, 1.0)
    assert outcome.verdict == "STALE"
    assert "**STALE**" in bench.table([outcome])
