"""Check requests as arq jobs: one job id per request, JSON on the wire, enqueued at most once.

The job id is the request's identity (platform, workspace or server, channel, asking message or
interaction, target), so whatever delivers the same request twice (a Slack retry, the
``app_mention`` twin of a ``message`` event, a second front process) enqueues nothing the second
time: arq checks the id in a Redis transaction and keeps it while the job is queued, running, or
its result is kept (an hour). Jobs are JSON, not arq's default pickle: a worker never unpickles what
it reads from Redis.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from arq.connections import ArqRedis

from adapters.session.request import CheckRequest

JOB_FUNCTION = "check"
RESULT_KEEP_S = 3600  # the job id stays taken this long after the job: beyond any Slack retry


def job_id(request: CheckRequest, *, namespace: str) -> str:
    identity = "|".join((request.platform, request.scope, request.channel, request.source, request.target_key))
    digest = hashlib.sha256(identity.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{namespace}:{request.platform}:{digest}"


def dumps(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":")).encode()


def loads(raw: bytes) -> Any:
    return json.loads(raw)


class Enqueuer:
    """The front's side of the queue."""

    def __init__(self, redis: ArqRedis, *, namespace: str, queue_name: str) -> None:
        self.redis = redis
        self.namespace = namespace
        self.queue_name = queue_name
        redis.job_serializer = dumps
        redis.job_deserializer = loads

    async def submit(self, request: CheckRequest) -> bool:
        """Queue ``request``: True when queued now, False when the same request is queued or done already.

        Raises redis' errors when Redis cannot be reached (after the client's own retries)."""
        job = job_id(request, namespace=self.namespace)
        payload = request.model_copy(update={"job": job}).model_dump_json()
        queued = await self.redis.enqueue_job(JOB_FUNCTION, payload, _job_id=job, _queue_name=self.queue_name)
        return queued is not None
