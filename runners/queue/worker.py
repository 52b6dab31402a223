"""The worker threads: dramatiq consumers that hand each message to a `Processor`
(a submission) or a `RunProcessor` (a run)."""

from __future__ import annotations

import dramatiq

from runners.queue.actors import declare_judge_actor, declare_run_actor
from runners.queue.processor import Processor
from runners.queue.runs import RunProcessor


def start_worker(
    broker: dramatiq.Broker, processor: Processor, threads: int, runs: RunProcessor
) -> dramatiq.Worker:
    """Start `threads` judging threads consuming the queue in this process."""
    declare_judge_actor(broker, processor.process)
    declare_run_actor(broker, runs.process)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=20)
    worker.queue_prefetch = threads  # hoard no more than it can judge: others take the rest
    worker.start()
    return worker
