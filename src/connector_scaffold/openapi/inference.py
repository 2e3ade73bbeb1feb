"""What the importer concluded, why, and how sure it is: every inference is printed, none is silent."""

from __future__ import annotations

from dataclasses import dataclass

HIGH, MEDIUM, LOW = "high", "medium", "low"


@dataclass(frozen=True)
class Inference:
    """One conclusion: `subject` (e.g. `pagination`, `customer.timestamp_field`) is `value` because of `evidence`."""

    subject: str
    value: str
    evidence: str
    confidence: str

    def line(self) -> str:
        return f"{self.confidence:<6}  {self.subject}: {self.value}  ({self.evidence})"
