"""The dramatiq actors: one per lane, each judging the submission whose id the message carries."""

from __future__ import annotations

from collections.abc import Callable

import dramatiq

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
