"""Event streams end when the API stops.

A scoreboard's stream never ends by itself, nor does a submission's while it
waits in the queue: a browser left on a contest page would hold up every
restart of the API. The API's server ends them all as soon as it is asked
to stop (`Streams.end`, from its signal handler); the streams' clients
reconnect, as browsers do with server-sent events.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncGenerator, AsyncIterator
from typing import TypeVar

T = TypeVar("T")


class Streams:
    """The API's open event streams, which `end` closes."""

    def __init__(self) -> None:
        self._ended = asyncio.Event()
        self._loop: asyncio.AbstractEventLoop | None = None

    def bind(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop

    def end(self) -> None:
        """End every stream, now and to come; safe from a signal handler or another thread."""
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._ended.set)

    async def follow(self, events: AsyncGenerator[T, None]) -> AsyncIterator[T]:
        """What `events` yields, until it ends or the streams are ended."""
        ended = asyncio.ensure_future(self._ended.wait())
        following: asyncio.Future[T] | None = None
        try:
            while True:
                following = asyncio.ensure_future(anext(events))
                await asyncio.wait((following, ended), return_when=asyncio.FIRST_COMPLETED)
                if not following.done():
                    return
                try:
                    item = following.result()
                except StopAsyncIteration:
                    return
                yield item
        finally:
            ended.cancel()
            if following is not None and not following.done():
                following.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await following
            await events.aclose()
