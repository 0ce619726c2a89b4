//! streams: reading chunked data by line and by size.
//!
//! A simulated network feeds an `asyncio.StreamReader` chunk by chunk. With a slow producer,
//! `readline()` waits until a whole line has arrived; with a fast producer and a slow consumer,
//! fixed-size reads find the data already waiting, and the last one comes up short at the end.

use super::{Kind, ParamSpec, Params};
use crate::prelude::*;
use crate::pyfmt::{py_bool, py_bytes_repr};

/// The two producers' pauses, and the fixed read size.
pub static PARAMS: &[ParamSpec] = &[
    ParamSpec {
        name: "slow",
        help: "the slow network's pause",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.5",
    },
    ParamSpec {
        name: "fast",
        help: "the fast network's pause",
        kind: Kind::Seconds { min: 0.0, max: 10.0 },
        default: "0.05",
    },
    ParamSpec {
        name: "size",
        help: "bytes per fixed-size read",
        kind: Kind::Count { min: 1, max: 64 },
        default: "6",
    },
];

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
    spawn(network(reader.clone(), chunks, p.seconds("slow")));
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
    spawn(network(reader.clone(), chunks, p.seconds("fast")));
    loop {
        match reader.readexactly(p.count("size") as usize).await {
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
