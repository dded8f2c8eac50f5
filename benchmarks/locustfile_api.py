"""Locust users of the public API (used by benchmarks/api_load.py, never by the tests).

``API_LOAD_MODE=estimates``: filtered estimates queries (the real workload);
``API_LOAD_MODE=reference``: the API root, which reads no database (the reference run).
``API_LOAD_WAIT=think|none``: clients pause between queries, or not (stress).
"""

from __future__ import annotations

import os
import random

from locust import FastHttpUser, between, constant, task

INDICATORS = os.environ.get("API_LOAD_INDICATORS", "ai_deployed").split(",")
BREAKDOWNS = ["ensemble", "strate", "type", "region", "groupe"]
MODE = os.environ.get("API_LOAD_MODE", "estimates")
#: "think": each client pauses 0.5–1.5 s between queries (a dashboard or a script reading pages);
#: "none": back-to-back queries (stress: the throughput ceiling).
WAIT = os.environ.get("API_LOAD_WAIT", "think")


class ApiUser(FastHttpUser):
    wait_time = between(0.5, 1.5) if WAIT == "think" else constant(0)

    @task
    def query(self) -> None:
        if MODE == "reference":
            self.client.get("/api/v1/", name="root")
            return
        params = {"edition": "2025", "indicator": random.choice(INDICATORS)}
        if random.random() < 0.7:
            params["breakdown"] = random.choice(BREAKDOWNS)
        self.client.get("/api/v1/estimates", params=params, name="estimates")
