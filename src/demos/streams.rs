//! streams: reading chunked data by line and by size.
//!
//! A simulated network feeds an `asyncio.StreamReader` chunk by chunk. With a slow producer,
//! `readline()` waits until a whole line has arrived; with a fast producer and a slow consumer,
//! fixed-size reads find the data already waiting, and the last one comes up short at the end.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::{py_bool, py_bytes_repr};

parameters! {
    /// The two producers' pauses, and the fixed read size.
    pub struct Params {
        slow: seconds[0.0..=10.0] = 0.5, "the slow network's pause";
        fast: seconds[0.0..=10.0] = 0.05, "the fast network's pause";
        size: count[1..=64] = 6, "bytes per fixed-size read";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "streams",
    title: "Streams",
    concept: "A StreamReader is read by line or by size, waiting for data only when too little has arrived.",
    section: Advanced,
    alternate: Params { slow: 0.1, fast: 0.01, size: 4 },
};

async fn network(reader: StreamReader, chunks: Vec<&'static [u8]>, pause: f64) -> Result<(), Error> {
    for chunk in chunks {
        sleep(pause).await?;
        log(format!("network delivers {}", py_bytes_repr(chunk)));
        reader.feed_data(chunk);
    }
    reader.feed_eof();
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    log("slow producer, fast consumer: readline waits for each line to complete");
    let reader = StreamReader::new();
    let chunks: Vec<&[u8]> = vec![b"GET / HT", b"TP/1.1\r\nHost: ex", b"ample.org\r\n\r\n"];
    spawn(network(reader.clone(), chunks, p.slow));
    loop {
        let line = reader.readline().await?;
        if line.is_empty() {
            break;
        }
        log(format!("line {}", py_bytes_repr(&line)));
    }
    log("fast producer, slow consumer: fixed-size reads find the data waiting");
    let reader = StreamReader::new();
    let chunks: Vec<&[u8]> = vec![b"0123456789", b"abcdefghij", b"XYZ"];
    spawn(network(reader.clone(), chunks, p.fast));
    loop {
        match reader.readexactly(p.size as usize).await {
            Ok(block) => log(format!("block {}", py_bytes_repr(&block))),
            Err(e) if e.is(ExceptionClass::IncompleteReadError) => {
                log(format!("end of stream: {e}; at_eof() = {}", py_bool(reader.at_eof())));
                break;
            }
            Err(e) => return Err(e),
        }
        sleep(0.5).await?;
    }
    Ok(())
}
