"""What the scale-out mode reads from the environment: where Redis is, and how workers take jobs."""

from __future__ import annotations

from pydantic import Field, SecretStr

from adapters.settings import AdapterSettings


class QueueSettings(AdapterSettings):
    redis_url: SecretStr | None = Field(
        None,
        alias="REDIS_URL",
        description="Redis (redis://, rediss://): fronts enqueue, 'factcheck worker' checks (unset: one process)",
    )
    namespace: str = Field(
        "factcheck",
        min_length=1,
        pattern=r"^[A-Za-z0-9_.-]+$",
        alias="FACTCHECK_REDIS_NAMESPACE",
        description="prefix of every key and of the queue, so two bots can share one Redis",
    )
    redis_wait_s: float = Field(
        10.0, ge=0, alias="FACTCHECK_REDIS_WAIT_S", description="how long a process waits for Redis at start"
    )
    worker_jobs: int = Field(
        25, ge=1, alias="FACTCHECK_WORKER_JOBS", description="checks one worker process runs at once"
    )
    job_timeout_s: float | None = Field(
        None,
        gt=0,
        alias="FACTCHECK_JOB_TIMEOUT_S",
        description="hard bound of one job; a dead worker's jobs rerun this + 10 s later (default: deadline + 30 s)",
    )
    job_tries: int = Field(3, ge=1, alias="FACTCHECK_JOB_TRIES", description="runs of a job before it is given up")

    @property
    def enabled(self) -> bool:
        return self.redis_url is not None

    @property
    def queue_name(self) -> str:
        return f"{self.namespace}:queue"

    def key(self, *parts: str) -> str:
        """A key in this bot's namespace."""
        return ":".join((self.namespace, *parts))
