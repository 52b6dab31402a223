"""`judge serve`, `judge api` and `judge worker`: the service, whole or in parts."""

from __future__ import annotations

import argparse
import dataclasses
import logging
import os
import signal
import sys
import threading
from types import FrameType

import uvicorn
from sqlalchemy.exc import SQLAlchemyError

from judge_api.app import create_app
from judge_api.cli.database import cannot_use
from judge_api.service import Service
from runners.settings import Settings, settings

log = logging.getLogger("judge")
# Seconds a stopping API gives its requests to finish before it cancels them (its
# event streams end at once: judge_api/streams.py).
SHUTDOWN_GRACE = 5


def _open(config: Settings, *, embedded: bool) -> Service | None:
    try:
        return Service.open(config, embedded=embedded)
    except SQLAlchemyError as error:
        cannot_use(config, error)
        return None


def _needs_redis(config: Settings, command: str) -> bool:
    if config.redis_url:
        return True
    print(
        f"judge {command}: JUDGE_REDIS_URL is not set;"
        " `judge serve` runs everything in one process",
        file=sys.stderr,
    )
    return False


class _Server(uvicorn.Server):
    """Uvicorn, which ends the service's event streams as soon as it is asked to stop."""

    def __init__(self, config: uvicorn.Config, service: Service) -> None:
        super().__init__(config)
        self.service = service

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.service.streams.end()
        super().handle_exit(sig, frame)


def _serve(service: Service, args: argparse.Namespace) -> int:
    # One log line per request costs more than a judged test: off unless asked for.
    access_log = os.environ.get("JUDGE_ACCESS_LOG", "") not in ("", "0")
    config = uvicorn.Config(
        create_app(service),
        host=args.host,
        port=args.port,
        log_level="info",
        access_log=access_log,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    _Server(config, service).run()
    return 0


def _log_to_stderr() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")


def serve(args: argparse.Namespace) -> int:
    _log_to_stderr()
    service = _open(settings(), embedded=True)
    return 1 if service is None else _serve(service, args)


def api(args: argparse.Namespace) -> int:
    _log_to_stderr()
    config = settings()
    if not _needs_redis(config, "api"):
        return 2
    service = _open(config, embedded=False)
    return 1 if service is None else _serve(service, args)


def worker(args: argparse.Namespace) -> int:
    _log_to_stderr()
    config = settings()
    if not _needs_redis(config, "worker"):
        return 2
    if args.threads is not None:
        if args.threads < 1:
            print("judge worker: --threads must be at least 1", file=sys.stderr)
            return 2
        config = dataclasses.replace(config, workers=args.threads)
    service = _open(config, embedded=False)
    if service is None:
        return 1
    stopped = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stopped.set())
    service.start_workers()
    log.info("worker: %d judging threads", config.workers)
    stopped.wait()
    log.info("worker: stopping after the running judgings")
    service.stop()
    return 0
