//! asyncio in looplab, side by side: each Python idiom, then its looplab spelling.
//!
//! Every Rust example here is a whole program, run as a test against the transcript shown
//! (the same lines its Python twin prints on CPython with a virtual clock). All of them start
//! with `use looplab::prelude::*;`.
//!
//! - [Running a program](#running-a-program)
//! - [Coroutines and tasks](#coroutines-and-tasks)
//! - [`try` / `except`](#try--except)
//! - [`gather`](#gather)
//! - [`wait` and `as_completed`](#wait-and-as_completed)
//! - [Timeouts](#timeouts)
//! - [Cancellation](#cancellation)
//! - [Task groups and `except*`](#task-groups-and-except)
//! - [Locks, events, conditions, semaphores](#locks-events-conditions-semaphores)
//! - [Queues](#queues)
//! - [Async generators (streams)](#async-generators-streams)
//! - [Context managers](#context-managers)
//! - [Printing values as Python does](#printing-values-as-python-does)
//! - [Where Rust differs](#where-rust-differs)
//!
//! # Running a program
//!
//! ```python
//! import asyncio
//!
//! async def main():
//!     print("hello")
//!     await asyncio.sleep(1)
//!     print("world")
//!
//! asyncio.run(main())
//! ```
//!
//! A coroutine is an `async fn` (or an `async` block) whose output is `Result<T, Error>`: the
//! error stands for the exception it would raise. `await x` is `x.await?`, and `print` is
//! [`log`](crate::runtime::log), which writes a transcript line stamped with the loop's time
//! and the current task's name. [`run`](crate::runtime::run) is `asyncio.run`: it prints each
//! line as it is written.
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn main_() -> Result<(), Error> {
//!     log("hello");
//!     sleep(1.0).await?;
//!     log("world");
//!     Ok(())
//! }
//!
//! fn main() {
//!     // Prints "0.000 Task-1 hello" and "1.000 Task-1 world", at once: the clock is virtual.
//!     run(main_()).unwrap();
//! }
//! ```
//!
//! [`run_report`](crate::runtime::run_report) runs the same way but returns the transcript
//! instead of printing it (the examples below use it to show their output). For a trace of
//! every scheduling decision, the real clock, or asyncio's debug mode, make a
//! [`Loop`](crate::Loop) with [`LoopOptions`](crate::LoopOptions).
//!
//! # Coroutines and tasks
//!
//! ```python
//! async def work(name, seconds):
//!     await asyncio.sleep(seconds)
//!     print(name, "done")
//!     return name.upper()
//!
//! async def main():
//!     task = asyncio.create_task(work("a", 2))        # runs concurrently
//!     named = asyncio.create_task(work("b", 1), name="bee")
//!     print(await work("c", 0.5))                    # runs inside main, no new task
//!     print(await task, await named)
//! ```
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn work(name: &'static str, seconds: f64) -> Result<String, Error> {
//!     sleep(seconds).await?;
//!     log(format!("{name} done"));
//!     Ok(name.to_uppercase())
//! }
//!
//! let report = run_report(async {
//!     let task = spawn(work("a", 2.0));
//!     let named = spawn_named("bee", work("b", 1.0));
//!     log(work("c", 0.5).await?);
//!     log(format!("{} {}", task.await?, named.await?));
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     [
//!         "0.500 Task-1 c done",
//!         "0.500 Task-1 C",
//!         "1.000 bee b done",
//!         "2.000 Task-2 a done",
//!         "2.000 Task-1 A B",
//!     ]
//! );
//! ```
//!
//! A [`Task`](crate::Task) handle has asyncio's methods: `name`, `cancel`, `done`, `cancelled`,
//! `result`, `exception`, `add_done_callback`. `asyncio.current_task()` and
//! `asyncio.all_tasks()` give [`TaskRef`](crate::runtime::TaskRef)s, handles of any result type.
//!
//! # `try` / `except`
//!
//! ```python
//! try:
//!     value = await fetch()
//!     print("got", value)
//! except ValueError as e:
//!     print("caught", repr(e))
//! ```
//!
//! A failure is a value: match on it. [`Error::is`](crate::Error::is) tests its class;
//! [`attempt`](crate::runtime::attempt) wraps a block of awaits whose `?`s stop at its end (a
//! bare `async { ... }.await` needs its type written out instead, or fails with E0282).
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn fetch() -> Result<u32, Error> {
//!     sleep(1.0).await?;
//!     Err(Error::new("ValueError", "bad"))
//! }
//!
//! let report = run_report(async {
//!     let outcome = attempt(async {
//!         let value = fetch().await?;
//!         log(format!("got {value}"));
//!         Ok(())
//!     })
//!     .await;
//!     match outcome {
//!         Err(e) if e.is("ValueError") => log(format!("caught {}", e.repr())),
//!         other => other?, // anything else goes on, as an unmatched exception would
//!     }
//!     Ok(())
//! });
//! assert_eq!(report.transcript, ["1.000 Task-1 caught ValueError('bad')"]);
//! ```
//!
//! `raise ValueError("bad")` is `return Err(Error::new("ValueError", "bad"))`; `finally` is code
//! that runs on both arms of a `match` on the outcome.
//!
//! # `gather`
//!
//! ```python
//! numbers = await asyncio.gather(fetch(1), fetch(2))           # one type
//! n, s = await asyncio.gather(count(), name())                 # mixed types
//! outcomes = await asyncio.gather(ok(), fail(), return_exceptions=True)
//! ```
//!
//! [`gather`](crate::runtime::gather()) takes any number of children of one result type;
//! [`gather!`](crate::gather!) takes children of different types and gives a tuple. Both take
//! tasks, futures and coroutines (which they spawn as tasks, in argument order, as asyncio
//! does). [`gather_settled`](crate::runtime::gather_settled) and
//! [`gather_settled!`](crate::gather_settled!) are `return_exceptions=True`.
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn fetch(n: u32) -> Result<u32, Error> {
//!     sleep(f64::from(n)).await?;
//!     Ok(n * 10)
//! }
//!
//! async fn name() -> Result<String, Error> {
//!     Ok("looplab".into())
//! }
//!
//! async fn fail() -> Result<(), Error> {
//!     Err(Error::new("KeyError", "k"))
//! }
//!
//! let report = run_report(async {
//!     let numbers = gather(vec![fetch(1), fetch(2)]).await?;
//!     let (n, s) = gather!(fetch(1), name()).await?;
//!     let (ok, failed) = gather_settled!(name(), fail()).await?;
//!     log(format!("{} {n} {s} {} {}", py_repr(&numbers), py_repr(&ok.ok()), py_repr(&failed.err())));
//!     Ok(())
//! });
//! assert_eq!(report.transcript, ["3.000 Task-1 [10, 20] 10 looplab 'looplab' KeyError('k')"]);
//! ```
//!
//! # `wait` and `as_completed`
//!
//! ```python
//! done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
//! for next_done in asyncio.as_completed([fetch(2), fetch(1)]):
//!     print(await next_done)
//! ```
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn fetch(n: u32) -> Result<u32, Error> {
//!     sleep(f64::from(n)).await?;
//!     Ok(n)
//! }
//!
//! let report = run_report(async {
//!     let tasks = vec![spawn(fetch(2)), spawn(fetch(1))];
//!     let (done, pending) = wait(tasks, ReturnWhen::FirstCompleted, None).await?;
//!     log(format!("{} done, {} pending", done.len(), pending.len()));
//!     let mut next_done = as_completed(vec![fetch(2), fetch(1)], None);
//!     while let Some(n) = next_done.next().await {
//!         log(n?.to_string());
//!     }
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     ["1.000 Task-1 1 done, 1 pending", "2.000 Task-1 1", "3.000 Task-1 2"]
//! );
//! ```
//!
//! # Timeouts
//!
//! ```python
//! try:
//!     async with asyncio.timeout(1) as cm:
//!         await asyncio.sleep(0.5)
//!         cm.reschedule(asyncio.get_running_loop().time() + 1)
//!         await asyncio.sleep(5)
//! except TimeoutError:
//!     print("timed out")
//! value = await asyncio.wait_for(fetch(), timeout=2)
//! ```
//!
//! `async with timeout` is [`Timeout::run`](crate::runtime::Timeout::run); the block borrows the
//! timeout to move its deadline.
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn fetch() -> Result<&'static str, Error> {
//!     sleep(1.0).await?;
//!     Ok("data")
//! }
//!
//! let report = run_report(async {
//!     let cm = timeout(Some(1.0));
//!     let outcome = cm
//!         .run(async {
//!             sleep(0.5).await?;
//!             cm.reschedule(Some(now() + 1.0))?;
//!             sleep(5.0).await
//!         })
//!         .await;
//!     if outcome.is_err_and(|e| e.is_timeout()) {
//!         log("timed out");
//!     }
//!     log(wait_for(fetch(), Some(2.0)).await?);
//!     Ok(())
//! });
//! assert_eq!(report.transcript, ["1.500 Task-1 timed out", "2.500 Task-1 data"]);
//! ```
//!
//! # Cancellation
//!
//! ```python
//! async def worker():
//!     try:
//!         await asyncio.sleep(10)
//!     except asyncio.CancelledError:
//!         print("cleaning up")
//!         raise
//!
//! task = asyncio.create_task(worker())
//! await asyncio.sleep(1)
//! task.cancel()
//! ```
//!
//! The cancellation arrives as an `Err` at the await the task is suspended in; passing it on
//! with `?` (or `return Err(e)`) is `raise`. [`shield`](crate::runtime::shield) keeps an inner
//! task from the cancellation.
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn worker() -> Result<(), Error> {
//!     if let Err(e) = sleep(10.0).await {
//!         if e.is_cancelled() {
//!             log("cleaning up");
//!         }
//!         return Err(e);
//!     }
//!     Ok(())
//! }
//!
//! let report = run_report(async {
//!     let task = spawn(worker());
//!     sleep(1.0).await?;
//!     task.cancel();
//!     let outcome = task.clone().await;
//!     log(format!("{} {}", outcome.unwrap_err().repr(), py_repr(&task.cancelled())));
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     ["1.000 Task-2 cleaning up", "1.000 Task-1 CancelledError() True"]
//! );
//! ```
//!
//! # Task groups and `except*`
//!
//! ```python
//! try:
//!     async with asyncio.TaskGroup() as tg:
//!         tg.create_task(parse())      # raises ValueError
//!         tg.create_task(slow())       # cancelled when parse fails
//! except* ValueError as eg:
//!     print("invalid:", eg.exceptions)
//! ```
//!
//! [`task_group`](crate::runtime::task_group()) runs a block with the group, then waits for
//! every task made with it; [`except_star`](crate::runtime::except_star) hands each class of
//! the exception group to its handler and passes on the rest.
//!
//! ```
//! use looplab::prelude::*;
//!
//! async fn parse() -> Result<(), Error> {
//!     sleep(1.0).await?;
//!     Err(Error::new("ValueError", "bad input"))
//! }
//!
//! async fn slow() -> Result<(), Error> {
//!     if let Err(e) = sleep(5.0).await {
//!         log("slow cancelled");
//!         return Err(e);
//!     }
//!     Ok(())
//! }
//!
//! let report = run_report(async {
//!     let outcome = task_group(|tg| async move {
//!         tg.spawn(parse())?;
//!         tg.spawn(slow())?;
//!         Ok(())
//!     })
//!     .await;
//!     except_star(outcome)
//!         .on(ExceptionClass::ValueError, |eg| log(format!("invalid: {}", py_repr(eg.exceptions()))))
//!         .reraise()?;
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     ["1.000 Task-3 slow cancelled", "1.000 Task-1 invalid: [ValueError('bad input')]"]
//! );
//! ```
//!
//! # Locks, events, conditions, semaphores
//!
//! ```python
//! lock = asyncio.Lock()
//! async with lock:
//!     ...
//! ready = asyncio.Event()
//! await ready.wait()          # until someone calls ready.set()
//! sem = asyncio.Semaphore(2)
//! async with sem:
//!     ...
//! ```
//!
//! `async with lock: body` is [`Lock::run`](crate::runtime::Lock::run) (also on
//! [`Semaphore`](crate::runtime::Semaphore) and [`Condition`](crate::runtime::Condition)).
//! Each is a handle: clone it into every task that shares it.
//!
//! ```
//! use looplab::prelude::*;
//!
//! let report = run_report(async {
//!     let lock = Lock::new();
//!     let ready = Event::new();
//!     let waiter = {
//!         let (lock, ready) = (lock.clone(), ready.clone());
//!         spawn(async move {
//!             ready.wait().await?;
//!             lock.run(async {
//!                 log("waiter has the lock");
//!                 Ok(())
//!             })
//!             .await
//!         })
//!     };
//!     lock.run(async {
//!         ready.set();
//!         sleep(1.0).await?;
//!         log("main releases the lock");
//!         Ok(())
//!     })
//!     .await?;
//!     waiter.await
//! });
//! assert_eq!(
//!     report.transcript,
//!     ["1.000 Task-1 main releases the lock", "1.000 Task-2 waiter has the lock"]
//! );
//! ```
//!
//! # Queues
//!
//! ```python
//! q = asyncio.Queue(maxsize=2)
//! await q.put(item); item = await q.get(); q.task_done(); await q.join()
//! ```
//!
//! ```
//! use looplab::prelude::*;
//!
//! let report = run_report(async {
//!     let q: Queue<&str> = Queue::new(2);
//!     let worker: Task<()> = {
//!         let q = q.clone();
//!         spawn(async move {
//!             loop {
//!                 let job = q.get().await?;
//!                 sleep(1.0).await?;
//!                 log(format!("did {job}"));
//!                 q.task_done()?;
//!             }
//!         })
//!     };
//!     for job in ["a", "b"] {
//!         q.put(job).await?;
//!     }
//!     q.join().await?;
//!     worker.cancel();
//!     Ok(())
//! });
//! assert_eq!(report.transcript, ["1.000 Task-2 did a", "2.000 Task-2 did b"]);
//! ```
//!
//! # Async generators (streams)
//!
//! ```python
//! async def numbers(n):
//!     for i in range(n):
//!         await asyncio.sleep(1)
//!         yield i
//!
//! async for i in numbers(3):
//!     print(i)
//! print([i async for i in numbers(2)])
//! ```
//!
//! An async generator is a [`Stream`](crate::runtime::Stream) ("stream" is Rust's word for it;
//! asyncio's own streams are [`StreamReader`](crate::runtime::StreamReader)). Its producer gets a
//! [`Yielder`](crate::runtime::Yielder): `yield item` is `y.yield_(item).await?`.
//!
//! ```
//! use looplab::prelude::*;
//!
//! fn numbers(n: u32) -> Stream<u32> {
//!     stream(move |y| async move {
//!         for i in 0..n {
//!             sleep(1.0).await?;
//!             y.yield_(i).await?;
//!         }
//!         Ok(())
//!     })
//! }
//!
//! let report = run_report(async {
//!     let mut it = numbers(3);
//!     while let Some(i) = it.next().await {
//!         log(i?.to_string());
//!     }
//!     let mut all = Vec::new();
//!     let mut it = numbers(2);
//!     while let Some(i) = it.next().await {
//!         all.push(i?);
//!     }
//!     log(py_repr(&all));
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     ["1.000 Task-1 0", "2.000 Task-1 1", "3.000 Task-1 2", "5.000 Task-1 [0, 1]"]
//! );
//! ```
//!
//! # Context managers
//!
//! ```python
//! @asynccontextmanager
//! async def connection(name):
//!     print("open", name)
//!     try:
//!         yield name
//!     finally:
//!         print("close", name)
//!
//! async with connection("db") as c:
//!     print("using", c)
//!
//! async with AsyncExitStack() as stack:
//!     for name in ("a", "b"):
//!         await stack.enter_async_context(connection(name))
//! ```
//!
//! [`context_manager`](crate::runtime::context_manager) is `@asynccontextmanager`,
//! [`async_with`](crate::runtime::async_with) is `async with`, and
//! [`async_exit_stack`](crate::runtime::async_exit_stack) is `async with AsyncExitStack()`. A
//! type of your own implements [`AsyncContextManager`](crate::runtime::AsyncContextManager).
//!
//! ```
//! use looplab::prelude::*;
//!
//! fn connection(name: &'static str) -> impl AsyncContextManager<Value = &'static str> {
//!     context_manager("connection", move |y| async move {
//!         log(format!("open {name}"));
//!         let body = y.yield_(name).await;
//!         log(format!("close {name}"));
//!         body
//!     })
//! }
//!
//! let report = run_report(async {
//!     async_with(connection("db"), |c| async move {
//!         log(format!("using {c}"));
//!         Ok(())
//!     })
//!     .await?;
//!     async_exit_stack(|stack| async move {
//!         for name in ["a", "b"] {
//!             stack.enter_async_context(connection(name)).await?;
//!         }
//!         Ok(())
//!     })
//!     .await?;
//!     Ok(())
//! });
//! assert_eq!(
//!     report.transcript,
//!     [
//!         "0.000 Task-1 open db",
//!         "0.000 Task-1 using db",
//!         "0.000 Task-1 close db",
//!         "0.000 Task-1 open a",
//!         "0.000 Task-1 open b",
//!         "0.000 Task-1 close b",
//!         "0.000 Task-1 close a",
//!     ]
//! );
//! ```
//!
//! # Printing values as Python does
//!
//! Rust prints `2.0_f64` as `2`, `None` as `None` only for `Option`s, and strings without
//! quotes; [`py_repr`](crate::pyfmt::py_repr) writes what Python's `repr` (and so `print` of a
//! list or tuple) would.
//!
//! ```
//! use looplab::prelude::*;
//!
//! let report = run_report(async {
//!     let task = spawn(async { Ok(()) });
//!     let value = task.clone().await?;
//!     log(format!("{} {} {}", py_repr(&value), py_repr(&task.exception()), py_repr(&(2.0, "s"))));
//!     Ok(())
//! });
//! assert_eq!(report.transcript, ["0.000 Task-1 None None (2.0, 's')"]);
//! ```
//!
//! # Where Rust differs
//!
//! - **Results are shared.** Everyone who awaits a task gets its result, so awaiting one needs
//!   `T: Clone`; a value that cannot be cloned travels in an `Rc`.
//! - **Guards.** `let _ = lock.enter().await?;` releases the lock at once (`_` drops the
//!   guard); bind it to a name, or use [`Lock::run`](crate::runtime::Lock::run).
//! - **One type per list.** `gather(vec![...])`, `wait` and `as_completed` take children of one
//!   type; `gather!` takes mixed types, and tasks of any type are [`TaskRef`](crate::runtime::TaskRef)s.
//! - **Coroutine objects.** Calling an `async fn` builds a future and runs nothing, as calling a
//!   coroutine function does; one that is never awaited is only reported if it is wrapped with
//!   [`coroutine`](crate::runtime::coroutine()).
//! - **`as_completed` of coroutines** spawns them in argument order; CPython spawns them in the
//!   order of a set (by address), so their `Task-N` names there are not predictable.
//! - **Spawning outside a loop** gives a task already failed with `RuntimeError`;
//!   [`try_spawn`](crate::runtime::try_spawn) says so as an error.
