"""The worker threads: dramatiq consumers that hand each message to a `Processor`
(a submission) or a `RunProcessor` (a run)."""

from __future__ import annotations

import dramatiq

from runners.queue.actors import declare_judge_actors, declare_run_actor
from runners.queue.processor import Processor
from runners.queue.runs import RunProcessor


def start_worker(
    broker: dramatiq.Broker, processor: Processor, threads: int, runs: RunProcessor
) -> dramatiq.Worker:
    """Start `threads` judging threads consuming every lane and the runs in this process."""
    declare_judge_actors(broker, processor.process)
    declare_run_actor(broker, runs.process)
    worker = dramatiq.Worker(broker, worker_threads=threads, worker_timeout=20)
    # Per lane, as many as it can judge plus one: hoard little (other workers take
    # the rest), yet see a message of a better lane while every thread is busy.
    worker.queue_prefetch = threads + 1
    worker.start()
    return worker
