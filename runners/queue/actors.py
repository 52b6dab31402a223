"""The dramatiq actors: judge the submission, or do the run, whose id the message carries.

One actor per lane (runners/queue/lanes.py), and one for runs.
"""

from __future__ import annotations

from collections.abc import Callable

import dramatiq

from runners.queue.broker import RUN_ACTOR, RUN_PRIORITY, RUN_QUEUE
from runners.queue.lanes import Lane


def declare_judge_actors(
    broker: dramatiq.Broker, process: Callable[[int], None]
) -> list[dramatiq.Actor[[int], None]]:
    """Bind the judging function to every lane on this broker (worker side only)."""
    return [
        dramatiq.Actor(
            process,
            broker=broker,
            actor_name=lane.actor,
            queue_name=lane.queue,
            priority=lane.value,
            options={},
        )
        for lane in Lane
    ]


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
