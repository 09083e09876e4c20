"""One summary line per schemathesis run (caller), from what each operation's test recorded.

The counts travel in the test reports' ``user_properties``, so the line is right with
pytest-xdist too (the workers run the operations, the controller prints).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest


def pytest_terminal_summary(terminalreporter: Any) -> None:
    runs: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for reports in terminalreporter.stats.values():
        for report in reports:
            if not isinstance(report, pytest.TestReport) or report.when != "teardown":
                continue
            for name, value in report.user_properties:
                if name == "fuzz" and isinstance(value, dict):
                    runs[value["run"]].append(value)
    for run, operations in sorted(runs.items()):
        examples = [op["examples"] for op in operations]
        terminalreporter.write_line(
            f"schemathesis {run}: {len(operations)} operations, {sum(examples)} examples "
            f"(fewest {min(examples)} per operation), "
            f"{sum(op['2xx'] for op in operations)} answered 2xx, "
            f"{sum(op['4xx'] for op in operations)} 4xx, "
            f"server errors = {sum(op['server_errors'] for op in operations)}"
        )
