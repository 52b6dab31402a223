"""The dramatiq actors: judge the submission, or do the run, whose id the message carries."""

from __future__ import annotations

from collections.abc import Callable

import dramatiq

from runners.queue.broker import ACTOR, QUEUE, RUN_ACTOR, RUN_PRIORITY, RUN_QUEUE


def declare_judge_actor(
    broker: dramatiq.Broker, process: Callable[[int], None]
) -> dramatiq.Actor[[int], None]:
    """Bind the judging function to the queue on this broker (worker side only)."""
    return dramatiq.Actor(
        process, broker=broker, actor_name=ACTOR, queue_name=QUEUE, priority=0, options={}
    )


def declare_run_actor(
    broker: dramatiq.Broker, process: Callable[[int], None]
) -> dramatiq.Actor[[int], None]:
    """Bind the run function to the queue on this broker (worker side only)."""
    return dramatiq.Actor(
        process,
        broker=broker,
        actor_name=RUN_ACTOR,
        queue_name=RUN_QUEUE,
        priority=RUN_PRIORITY,
        options={},
    )
