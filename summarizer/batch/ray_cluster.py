"""Batch runs on a Ray cluster (``summarizer batch INPUT --out OUT --ray local|auto|ADDRESS``).

Ray (https://docs.ray.io) runs the articles; this module only decides where and keeps the
guarantees of a local batch. Why Ray rather than Dask: the work is stateful inference - a
loaded model per machine that articles stream to - which is what Ray's actors are (a
long-lived process holding the model, restarted by Ray when it dies); Dask's unit is a
stateless task over partitioned data.

* **One worker per node** (:class:`ArticleWorker`, a Ray actor placed on that node): for the
  in-process model it reserves every CPU of its node and runs the model with as many threads
  (one model per node, loaded once); for an endpoint it takes one CPU and keeps the provider's
  requests in flight.
* **The driver stays the only writer**: it reads the input, skips what the results file
  already holds (resume) and repeated ids, answers from its result cache, sends the rest to
  the workers and appends each record as it comes back - the same file, resume, cache and
  error records as a local batch (:class:`~summarizer.batch.runner.BatchRunner`, which this
  extends).
* **A worker that dies mid-article** (its process killed, its node gone): Ray restarts the
  actor on its node (:data:`RESTARTS` times) and the article is sent again to whichever worker
  is free first; after :data:`ATTEMPTS` deaths on one article it becomes an error record
  (:class:`WorkerLostError`), and with no worker left the run stops (exit 1) with the
  unfinished articles left for the rerun. Nothing is lost or written twice: only the driver
  writes, once per article.
* Errors that would fail every article (rejected credentials, bad settings) stop the run as
  they do locally; an article's own error is its error record.
"""

from __future__ import annotations

import asyncio
import logging
import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from summarizer.batch.items import BatchItem
from summarizer.batch.results import ResultsFile
from summarizer.batch.runner import BatchRunner, BatchTotals
from summarizer.datamodel.errors import ConfigurationError, SummarizerError, UnreachableError
from summarizer.datamodel.schemas import BatchRecord
from summarizer.datamodel.settings import Settings
from summarizer.datamodel.types import Language
from summarizer.providers import policy_for

if TYPE_CHECKING:
    from summarizer.datamodel.request import ArticleRequest

log = logging.getLogger(__name__)

#: How to get Ray when it is missing.
RAY_HINT = "batch --ray needs Ray: pip install 'summarizer[ray]'"
#: Times one article is sent to a worker before a worker death makes it an error record.
ATTEMPTS = 3
#: Restarts Ray gives one worker (model reloaded each time) before it is given up.
RESTARTS = 3
#: A worker that died is asked this many times, this far apart, whether it is back.
REVIVE_TRIES, REVIVE_WAIT_S = 30, 2.0


class WorkerLostError(SummarizerError):
    """The Ray workers running an article died every time it was sent (a record's error)."""


def connect(target: str) -> None:
    """Join (``auto``, an address) or start (``local``) a Ray cluster, unless this process is
    connected already."""
    try:
        import ray
    except ImportError:
        raise ConfigurationError(RAY_HINT) from None
    if ray.is_initialized():
        return
    options: dict[str, Any] = {
        "include_dashboard": False,
        "logging_level": logging.WARNING,
        "log_to_driver": False,  # the workers' logs stay in Ray's session folder
    }
    try:
        ray.init(address=None if target == "local" else target, **options)
    except (ConnectionError, RuntimeError, ValueError) as exc:
        raise UnreachableError(
            f"could not join the Ray cluster at {target!r}: {str(exc).splitlines()[0][:200]} "
            "(--ray local starts one on this machine; auto joins the one `ray start` runs here)"
        ) from None


def disconnect() -> None:
    """Leave the cluster (one that ``--ray local`` started stops with it)."""
    import ray

    ray.shutdown()


class ArticleWorker:
    """The records of articles, made on one node (the body of the Ray actor)."""

    def __init__(self, settings: Settings, output_language: Language | None) -> None:
        self._runner = BatchRunner(settings, output_language=output_language, use_cache=False)

    def where(self) -> tuple[str, int]:
        """This worker's node id and process id."""
        import ray

        return ray.get_runtime_context().get_node_id(), os.getpid()

    async def record(self, item: BatchItem) -> str:
        """The record of ``item`` as JSON (a fatal error raised, as in a local batch)."""
        record = await self._runner.process(item)
        return record.model_dump_json()


class _Pool:
    """The workers and their free slots; an article's worker death sends it elsewhere."""

    def __init__(
        self,
        settings: Settings,
        output_language: Language | None,
        in_process: bool,
        on_resend: Callable[[], None],
    ) -> None:
        import ray
        from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

        slots = 1 if in_process else policy_for(settings).concurrency
        remote = ray.remote(ArticleWorker)
        self.actors: list[Any] = []
        for node in ray.nodes():
            cpus = int(node.get("Resources", {}).get("CPU", 0))
            if not node.get("Alive") or cpus < 1:
                continue
            # The in-process model runs with its node's cores; an endpoint needs one.
            node_settings = (
                settings.model_copy(update={"threads": cpus}) if in_process else settings
            )
            options = {
                "num_cpus": cpus if in_process else 1,
                "max_concurrency": slots,
                "max_restarts": RESTARTS,
                "max_task_retries": 0,  # a lost article is sent again by the driver
                "scheduling_strategy": NodeAffinitySchedulingStrategy(node["NodeID"], soft=False),
            }
            self.actors.append(remote.options(**options).remote(node_settings, output_language))
        if not self.actors:
            raise ConfigurationError("the Ray cluster has no node with a CPU to run articles on")
        self.slots = slots * len(self.actors)
        self._free: asyncio.Queue[Any] = asyncio.Queue()
        for actor in self.actors:
            for _ in range(slots):
                self._free.put_nowait(actor)
        self._alive = self.slots
        self._on_resend = on_resend

    async def record(self, item: BatchItem) -> BatchRecord:
        """``item``'s record from a worker; sent again when its worker dies."""
        import ray.exceptions

        for attempt in range(1, ATTEMPTS + 1):
            actor = await self._free.get()
            if actor is None:
                self._free.put_nowait(None)  # wake the next waiter too
                raise UnreachableError(
                    "no Ray worker is left (all died); rerun to finish the remaining articles"
                )
            try:
                line = await actor.record.remote(item)
            except ray.exceptions.RayTaskError as exc:  # our code raised on the worker
                self._free.put_nowait(actor)
                cause = getattr(exc, "cause", None)
                if isinstance(cause, SummarizerError):
                    raise cause from None  # as a local batch raises it (a fatal error)
                raise
            except ray.exceptions.RayActorError:
                log.warning(
                    "a Ray worker died on %s (attempt %d); sending it again", item.id, attempt
                )
                asyncio.get_running_loop().create_task(self._revive(actor))
                self._on_resend()
                continue
            self._free.put_nowait(actor)
            return BatchRecord.model_validate_json(line)
        raise WorkerLostError(f"the Ray worker running this article died {ATTEMPTS} times")

    async def _revive(self, actor: Any) -> None:
        """Give the slot back once Ray has restarted the worker; drop it when Ray gave it up
        (restarts spent, node gone). A worker briefly unreachable is asked again."""
        import ray.exceptions

        for _ in range(REVIVE_TRIES):
            try:
                await actor.where.remote()
            except ray.exceptions.ActorDiedError:
                break
            except ray.exceptions.RayActorError:  # unavailable for now (restarting, network)
                await asyncio.sleep(REVIVE_WAIT_S)
                continue
            self._free.put_nowait(actor)
            return
        self._alive -= 1
        if self._alive == 0:
            self._free.put_nowait(None)


class RayBatchRunner(BatchRunner):
    """A :class:`BatchRunner` whose uncached articles run on the Ray cluster's workers."""

    def __init__(
        self,
        settings: Settings,
        *,
        output_language: Language | None = None,
        use_cache: bool = True,
    ) -> None:
        super().__init__(settings, output_language=output_language, use_cache=use_cache)
        backend = self.summarizer.backend
        self._pool = _Pool(settings, output_language, not backend.concurrent, self._count_resend)
        self.workers = self._pool.slots
        self._totals: BatchTotals | None = None

    def _count_resend(self) -> None:
        if self._totals is not None:
            self._totals.resent += 1

    async def run(
        self,
        items: Iterable[BatchItem],
        results: ResultsFile,
        totals: BatchTotals,
        on_record: Callable[[BatchRecord], None] | None = None,
    ) -> BatchTotals:
        self._totals = totals  # counts the articles sent again
        return await super().run(items, results, totals, on_record)

    async def summarized(
        self,
        item: BatchItem,
        request: ArticleRequest,
        base: dict[str, str | None],
        started: float,
    ) -> BatchRecord:
        try:
            return await self._pool.record(item)
        except WorkerLostError as exc:
            return self._error_record(base, exc, started)
