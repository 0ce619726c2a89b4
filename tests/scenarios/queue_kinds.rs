//! Priority and LIFO queues give items in their own order; many getters wake FIFO.
use looplab::prelude::*;

async fn getter(queue: Queue<&'static str>, name: String) -> Result<(), Error> {
    let item = queue.get().await?;
    log(format!("{name} got {item}"));
    Ok(())
}

pub async fn main() -> Result<(), Error> {
    let pq = Queue::priority(0);
    for item in [(3, "low"), (1, "urgent"), (2, "normal"), (1, "also urgent")] {
        pq.put_nowait(item)?;
    }
    let mut got = Vec::new();
    for _ in 0..4 {
        let (p, s) = pq.get_nowait()?;
        got.push(format!("({p}, {})", py_repr_str(s)));
    }
    log(format!("priority: {}", py_list(got)));
    let lifo = Queue::lifo(0);
    for item in ["a", "b", "c"] {
        lifo.put_nowait(item)?;
    }
    let got: Vec<&str> = (0..3).map(|_| lifo.get_nowait()).collect::<Result<_, _>>()?;
    log(format!("lifo: {}", py_str_list(got)));
    let q = Queue::new(0);
    let getters: Vec<_> = (0..3).map(|i| spawn(getter(q.clone(), format!("g{i}")))).collect();
    sleep(0.0).await?;
    for item in ["x", "y", "z"] {
        q.put_nowait(item)?;
    }
    gather(getters).await?;
    Ok(())
}
