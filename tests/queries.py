"""Query budgets: a page's query count must not grow with the data it shows."""

from __future__ import annotations

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def assert_constant_queries(
    fetch: Callable[[], object],
    grow: Callable[[int], None],
    sizes: tuple[int, ...] = (1, 10, 100),
    *,
    budget: int,
) -> int:
    """Call ``grow(k)`` to reach each size in ``sizes`` rows, ``fetch()`` the page, compare query counts,
    and hold the page to an absolute ``budget`` as well (constant but wasteful is a failure too).

    On failure the message shows the SQL, so the N+1 or the waste is visible. Returns the count.
    """
    if len(set(sizes)) != len(sizes) or list(sizes) != sorted(sizes):
        raise ValueError(f"sizes must grow, or nothing is compared: {sizes}")
    runs: dict[int, list[str]] = {}
    have = 0
    for size in sizes:
        grow(size - have)
        have = size
        with CaptureQueriesContext(connection) as captured:
            response = fetch()
        status = getattr(response, "status_code", 200)
        assert status == 200, f"the page answered {status} at {size} rows"
        runs[size] = [q["sql"] for q in captured.captured_queries]
    counts = {size: len(sql) for size, sql in runs.items()}
    if len(set(counts.values())) != 1:
        small, large = runs[sizes[0]], runs[sizes[-1]]
        raise AssertionError(
            f"query count grows with the data: {counts}\n--- at {sizes[0]} rows:\n"
            + "\n".join(small)
            + f"\n--- at {sizes[-1]} rows:\n"
            + "\n".join(large)
        )
    count = counts[sizes[0]]
    if count > budget:
        raise AssertionError(f"{count} queries, over the budget of {budget}:\n" + "\n".join(runs[sizes[0]]))
    return count
