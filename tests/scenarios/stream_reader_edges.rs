//! asyncio.StreamReader at its edges: a separator split across chunks, a line left without
//! its newline at the end, readuntil reaching the end first, read(n) taking what there is,
//! at_eof before and after the last bytes are read, and an empty separator.
use looplab::prelude::*;
use looplab::pyfmt::py_bytes_repr;

pub async fn main() -> Result<(), Error> {
    let reader = StreamReader::new();
    let chunks: [&'static [u8]; 6] = [b"alpha\r", b"\nbe", b"ta\r\n", b"gam", b"ma\r\nrest", b" of it"];
    for (i, chunk) in chunks.into_iter().enumerate() {
        let feeder = reader.clone();
        call_later(0.1 * (i + 1) as f64, move || feeder.feed_data(chunk));
    }
    let feeder = reader.clone();
    call_later(0.1 * (chunks.len() + 1) as f64, move || feeder.feed_eof());
    log(format!("first: {}", py_bytes_repr(&reader.readuntil(b"\r\n").await?)));
    log(format!("second: {}", py_bytes_repr(&reader.readuntil(b"\r\n").await?)));
    log(format!("third: {}", py_bytes_repr(&reader.readuntil(b"ma\r\n").await?)));
    log(format!("read(3): {}", py_bytes_repr(&reader.read(3).await?)));
    log(format!("at_eof: {}", py_bool(reader.at_eof())));
    match reader.readuntil(b"\r\n").await {
        Err(e) if e.is(ExceptionClass::IncompleteReadError) => log(format!("readuntil at the end: {}", e.message())),
        other => return other.map(|_| ()),
    }
    log(format!("at_eof: {}", py_bool(reader.at_eof())));
    log(format!("read after the end: {}", py_bytes_repr(&reader.read(10).await?)));
    log(format!("readline after the end: {}", py_bytes_repr(&reader.readline().await?)));

    let other = StreamReader::new();
    other.feed_data(b"no newline");
    other.feed_eof();
    log(format!("at_eof with bytes left: {}", py_bool(other.at_eof())));
    log(format!("readline: {}", py_bytes_repr(&other.readline().await?)));
    match other.readuntil(b"").await {
        Err(e) if e.is(ExceptionClass::ValueError) => log(format!("empty separator: {}", e.message())),
        other => return other.map(|_| ()),
    }
    Ok(())
}

fn py_bool(b: bool) -> &'static str {
    if b { "True" } else { "False" }
}
