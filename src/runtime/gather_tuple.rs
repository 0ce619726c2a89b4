//! [`gather!`](crate::gather!) and [`gather_settled!`](crate::gather_settled!): `asyncio.gather`
//! of children whose results have different types, each result in its place in a tuple.
//!
//! The gathering itself is [`gather`](super::gather())'s, unchanged: it watches a view of each
//! child that forgets the child's result type (done, failed or cancelled is all a gather decides
//! on), with the same done callbacks on the same tasks, so it wakes its awaiter in the same
//! iteration. Once it succeeds, each result is read from its child with its own type.

use std::pin::Pin;
use std::task::{Context, Poll};

use super::completion::SettleRef;
use super::error::Error;
use super::gather::{Gather, GatherSettled};

/// The children of a `gather!`: a tuple of handles, one per argument, of any result types.
#[doc(hidden)]
pub trait Children {
    /// The tuple of results.
    type Output;
    /// The tuple of outcomes (`return_exceptions=True`).
    type Outcomes;
    /// Each child, its result type forgotten, in argument order.
    fn erased(&self) -> Vec<SettleRef<()>>;
    /// The results, once every child has succeeded.
    fn output(&self) -> Result<Self::Output, Error>;
    /// The outcomes, once every child is done.
    fn outcomes(&self) -> Self::Outcomes;
}

/// The outcome of a child that is done.
fn outcome<T: Clone + 'static>(child: &SettleRef<T>) -> Result<T, Error> {
    child.outcome().unwrap_or_else(|| Err(Error::runtime("child not done")))
}

/// The outcome of a child that is done, as `gather(..., return_exceptions=True)` lists it (a
/// cancellation by its message, handing nothing out).
fn settled<T: Clone + 'static>(child: &SettleRef<T>) -> Result<T, Error> {
    if child.cancelled() {
        return Err(child.settled_cancellation());
    }
    outcome(child)
}

macro_rules! children {
    ($(($($child:ident $index:tt),+))+) => {$(
        impl<$($child: Clone + 'static),+> Children for ($(SettleRef<$child>,)+) {
            type Output = ($($child,)+);
            type Outcomes = ($(Result<$child, Error>,)+);

            fn erased(&self) -> Vec<SettleRef<()>> {
                vec![$(SettleRef::erase(self.$index.clone())),+]
            }

            fn output(&self) -> Result<Self::Output, Error> {
                Ok(($(outcome(&self.$index)?,)+))
            }

            fn outcomes(&self) -> Self::Outcomes {
                ($(settled(&self.$index),)+)
            }
        }
    )+};
}

/// Calls `$apply! { (A 0) (A 0, B 1) ... }`: each tuple arity up to 12, as a type parameter and
/// a field index per place (for impls on tuples).
macro_rules! for_tuples {
    ($apply:ident) => {
        $apply! {
            (A 0)
            (A 0, B 1)
            (A 0, B 1, C 2)
            (A 0, B 1, C 2, D 3)
            (A 0, B 1, C 2, D 3, E 4)
            (A 0, B 1, C 2, D 3, E 4, F 5)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10)
            (A 0, B 1, C 2, D 3, E 4, F 5, G 6, H 7, I 8, J 9, K 10, L 11)
        }
    };
}
pub(crate) use for_tuples;

for_tuples!(children);

/// The future of [`gather!`](crate::gather!): the tuple of results in argument order, or the
/// first failure.
pub struct GatherTuple<C: Children> {
    gather: Gather<()>,
    children: C,
}

/// The future of [`gather_settled!`](crate::gather_settled!): the tuple of outcomes in argument
/// order.
pub struct GatherTupleSettled<C: Children> {
    gather: GatherSettled<()>,
    children: C,
}

impl<C: Children> GatherTuple<C> {
    #[doc(hidden)]
    pub fn new(children: C) -> Self {
        GatherTuple {
            gather: Gather::of(children.erased()),
            children,
        }
    }

    /// `cancel()`: cancels every child not yet done; false if none accepted.
    pub fn cancel(&self) -> bool {
        self.gather.cancel()
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.gather.done()
    }
}

impl<C: Children> GatherTupleSettled<C> {
    #[doc(hidden)]
    pub fn new(children: C) -> Self {
        GatherTupleSettled {
            gather: GatherSettled::of(children.erased()),
            children,
        }
    }

    /// `cancel()`: cancels every child not yet done; false if none accepted.
    pub fn cancel(&self) -> bool {
        self.gather.cancel()
    }

    /// `done()`.
    pub fn done(&self) -> bool {
        self.gather.done()
    }
}

impl<C: Children + Unpin> std::future::Future for GatherTuple<C> {
    type Output = Result<C::Output, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        Pin::new(&mut this.gather)
            .poll(cx)
            .map(|done| done.and_then(|_| this.children.output()))
    }
}

impl<C: Children + Unpin> std::future::Future for GatherTupleSettled<C> {
    type Output = Result<C::Outcomes, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.get_mut();
        Pin::new(&mut this.gather)
            .poll(cx)
            .map(|done| done.map(|_| this.children.outcomes()))
    }
}

/// `asyncio.gather(a, b, ...)` of children with different result types: awaiting it gives the
/// tuple of their results, in argument order, or the first failure. Each argument is a
/// [`Task`](crate::Task), a [`Future`](crate::runtime::Future), or a coroutine (any other future
/// whose output is a `Result<_, Error>`), which is spawned as a task, in argument order, as
/// asyncio's `gather` does. Up to 12 children; for any number of children of one type, see
/// [`gather`](crate::runtime::gather()). The rules are `gather`'s: see [`runtime::gather`](crate::runtime::gather()).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// async fn count() -> Result<u32, Error> {
///     sleep(1.0).await?;
///     Ok(3)
/// }
///
/// async fn name() -> Result<String, Error> {
///     sleep(2.0).await?;
///     Ok("two".to_string())
/// }
///
/// // n, s = await asyncio.gather(count(), name())
/// let report = run_report(async {
///     let (n, s) = gather!(count(), name()).await?;
///     log(format!("{n} {s}"));
///     Ok(())
/// });
/// assert_eq!(report.transcript, ["2.000 Task-1 3 two"]);
/// ```
#[macro_export]
macro_rules! gather {
    ($($awaitable:expr),+ $(,)?) => {
        $crate::runtime::gather_tuple::GatherTuple::new(($($crate::runtime::ensure_future($awaitable),)+))
    };
}

/// `asyncio.gather(a, b, ..., return_exceptions=True)` of children with different result types:
/// the tuple of their outcomes (`Result`s), in argument order. Arguments as in
/// [`gather!`](crate::gather!).
///
/// # Examples
///
/// ```
/// use looplab::prelude::*;
///
/// async fn count() -> Result<u32, Error> {
///     Ok(3)
/// }
///
/// async fn fail() -> Result<String, Error> {
///     Err(Error::new("ValueError", "bad"))
/// }
///
/// // n, e = await asyncio.gather(count(), fail(), return_exceptions=True)
/// run(async {
///     let (n, e) = gather_settled!(count(), fail()).await?;
///     assert_eq!(n, Ok(3));
///     assert_eq!(e.unwrap_err().repr(), "ValueError('bad')");
///     Ok(())
/// })
/// .unwrap();
/// ```
#[macro_export]
macro_rules! gather_settled {
    ($($awaitable:expr),+ $(,)?) => {
        $crate::runtime::gather_tuple::GatherTupleSettled::new(($($crate::runtime::ensure_future($awaitable),)+))
    };
}
