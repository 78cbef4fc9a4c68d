"""The scale-out mode (``REDIS_URL`` set): fronts enqueue, ``factcheck worker`` processes run the checks.

Shared state (the session's stores, the report cache, the post journal) lives in Redis; the job
queue is arq's. Without ``REDIS_URL`` none of this is imported: one process, SQLite, as before.
"""
