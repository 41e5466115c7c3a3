"""Time the main pages at growing data sizes; print medians and ratios against a baseline.

The baseline is /healthz measured in the same run, so the figures compare across machines:
a page that costs "12x healthz" at 10 members should cost about the same at 1000.

    .venv/bin/python bench/pages.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402


def median_ms(client: Client, url: str, repeat: int) -> float:
    client.get(url)  # warm up
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0)
    try:
        from ecosystem.models import Role
        from tests.factories import make_network, make_person

        network = make_network("Bench", "bench")
        coordinator = make_person(network, Role.COORDINATOR)
        client = Client()
        assert coordinator.user is not None
        client.force_login(coordinator.user)
        pages = {"home": "/", "network": "/n/bench/", "members": "/n/bench/members/"}

        print(f"{'members':>8} {'page':>8} {'median ms':>10} {'x healthz':>10}")
        have = 1
        for size in (10, 100, 1000):
            for _ in range(size - have):
                make_person(network, Role.BROAD_PARTNER, login=False)
            have = size
            baseline = median_ms(client, "/healthz", args.repeat)
            for name, url in pages.items():
                ms = median_ms(client, url, args.repeat)
                print(f"{size:>8} {name:>8} {ms:>10.2f} {ms / baseline:>10.1f}")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
