"""The engine's executor: long-lived threads with a large stack that run every call to the engine.

The engine (Oxigraph) reads, plans and evaluates a query by recursion, so a query from a user
runs on a thread with a stack of `WORKER_STACK` bytes (the main thread's may be too small),
and some of its objects (query solutions, query triples) may only be used and dropped by the
thread that made them: pyoxigraph aborts the process when one is iterated on another thread,
and raises when one is dropped there. So a call is handed to a worker as a callable that
builds plain Python objects (rows of terms, bytes, dictionaries) from the engine's objects;
those cross back to the caller as they are, and the engine's objects stay and die in the
worker.

One executor per process (`executor()`), with one worker started lazily; `widen(n)` lets up to
`n` run at once (the server widens it to its own number of workers, so that a long query does
not hold up the others). Calls wait in one queue, first come first served. A call made from
a worker runs there and then (a worker that waited for itself would wait for ever).

>>> call(lambda: 6 * 7)
42
"""

from __future__ import annotations

import functools
import gc
import os
import queue
import threading
from collections.abc import Callable
from typing import Any, Generic, ParamSpec, TypeVar

T = TypeVar("T")
P = ParamSpec("P")

WORKER_STACK = 64 * 1024 * 1024
"""The stack, in bytes, of a thread that hands a query or update to the engine: eight times
the usual, so that a query within the limits of `hilos.sparql.lexer.too_complex` never exhausts
it (measured: 10,000 terms of the deepest-recursing kind use less than a quarter of it)."""

_STACK_LOCK = threading.Lock()


def start_with_large_stack(thread: threading.Thread) -> None:
    """Start `thread` with a stack of `WORKER_STACK` bytes (the setting is process-wide, so it
    is changed for this start only)."""
    with _STACK_LOCK:
        previous = threading.stack_size(WORKER_STACK)
        try:
            thread.start()
        finally:
            threading.stack_size(previous)


class Task(Generic[T]):
    """A call handed to the executor: wait for it, then take its result (or its exception)."""

    def __init__(self, function: Callable[[], T]) -> None:
        self._function: Callable[[], T] | None = function
        self._done = threading.Event()
        self._value: T | None = None
        self._error: BaseException | None = None

    def wait(self, timeout: float | None = None) -> bool:
        """Whether the call has ended, after waiting at most `timeout` seconds for it."""
        return self._done.wait(timeout)

    def result(self) -> T:
        """The call's value once it has ended, or its exception raised again here (the same
        exception, with its type and message, without the worker's frames)."""
        self._done.wait()
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[return-value]

    def execute(self) -> None:
        """Run the call, keeping its value or its exception; the caller is not told yet."""
        function, self._function = self._function, None
        if function is None:  # pragma: no cover - a task runs once
            return
        try:
            self._value = function()
        except BaseException as exc:  # raised again in the caller's thread
            # Without its frames: they may hold engine objects that only this thread may drop.
            exc.__context__ = exc.__cause__ = None
            self._error = exc.with_traceback(None)

    def finish(self) -> None:
        """Tell the caller that the call has ended."""
        self._done.set()


class _Garbage:
    """Cyclic garbage made by a call is collected by its worker, before the caller hears that
    the call has ended, and nothing older is (the caller's engine objects are its own to drop).

    While calls run, everything that existed before the first of them began is frozen
    (`gc.freeze`: not examined, at no cost); each call ends with a collection of what is newer,
    and the last one to end unfreezes the rest. With one worker (the command line, a notebook)
    that is exactly the garbage of the call. With several running at once (the server), a
    worker may also collect what another running call has just dropped in a reference cycle:
    pyoxigraph then warns and leaks that object — never a wrong answer, and rarer than before,
    when the server's threads did not collect at all."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running = 0

    def begin(self) -> None:
        with self._lock:
            if self._running == 0:
                gc.freeze()
            self._running += 1

    def end(self) -> None:
        with self._lock:
            gc.collect()
            self._running -= 1
            if self._running == 0:
                gc.unfreeze()


class Executor:
    """Workers that run calls in their order of arrival, started as they are needed (a call
    that finds every worker busy starts another), up to `limit` at once."""

    def __init__(self, limit: int = 1, name: str = "hilos-engine") -> None:
        if limit < 1:
            raise ValueError("an executor needs at least one worker")
        self._limit = limit
        self._name = name
        self._tasks: queue.SimpleQueue[Task[Any]] = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._workers = 0
        self._idle = threading.Semaphore(0)  # one count per worker waiting for a task
        self._garbage = _Garbage()

    @property
    def limit(self) -> int:
        """How many calls may run at once."""
        return self._limit

    @property
    def workers(self) -> int:
        """How many worker threads have been started."""
        return self._workers

    def widen(self, limit: int) -> None:
        """Let at least `limit` calls run at once (never fewer than before)."""
        with self._lock:
            self._limit = max(self._limit, limit)

    def submit(self, function: Callable[[], T]) -> Task[T]:
        """Hand `function` to a worker; from a worker, it runs at once, in that worker."""
        task = Task(function)
        if in_worker():
            task.execute()
            task.finish()
            return task
        self._tasks.put(task)
        if self._idle.acquire(blocking=False):
            return task  # a waiting worker takes it
        with self._lock:
            if self._workers >= self._limit:
                return task  # it waits for the first worker that is free
            self._workers += 1
            number = self._workers
        self._start_worker(number)
        return task

    def call(self, function: Callable[[], T]) -> T:
        """`function()`, run by a worker; its value, or its exception raised here."""
        return self.submit(function).result()

    def _start_worker(self, number: int) -> None:
        thread = threading.Thread(target=self._serve, name=f"{self._name}-{number}", daemon=True)
        try:
            start_with_large_stack(thread)
        except BaseException:
            with self._lock:
                self._workers -= 1
            raise

    def _serve(self) -> None:
        _worker.active = True
        while True:
            task = self._tasks.get()
            self._garbage.begin()
            try:
                task.execute()
            finally:
                self._garbage.end()
                task.finish()
                del task  # not kept alive by this frame until the next one arrives
            self._idle.release()


_worker = threading.local()


def in_worker() -> bool:
    """Whether this thread is one of the executor's workers."""
    return bool(getattr(_worker, "active", False))


_EXECUTOR: Executor | None = None
_EXECUTOR_LOCK = threading.Lock()


def executor() -> Executor:
    """The process's executor, made on first use."""
    global _EXECUTOR
    with _EXECUTOR_LOCK:
        if _EXECUTOR is None:
            _EXECUTOR = Executor()
        return _EXECUTOR


def call(function: Callable[[], T]) -> T:
    """`function()`, run by the process's executor (see the module's documentation)."""
    return executor().call(function)


def engine_api(function: Callable[P, T]) -> Callable[P, T]:
    """`function` as the public API offers it: each call runs in the process's executor (a
    notebook's or a script's thread never runs the engine itself, and no thread is made per
    call); from a worker it runs there and then. Its value must be plain Python objects.

    >>> engine_api(lambda: threading.current_thread().name)().startswith("hilos-engine")
    True
    """

    @functools.wraps(function)
    def on_the_engine(*args: P.args, **kwargs: P.kwargs) -> T:
        return call(lambda: function(*args, **kwargs))

    return on_the_engine


def _forget_after_fork() -> None:
    """A child process has none of its parent's threads: it starts its own executor (and a
    child forked from a worker is not one)."""
    global _EXECUTOR
    _EXECUTOR = None
    _worker.active = False


os.register_at_fork(after_in_child=_forget_after_fork)
