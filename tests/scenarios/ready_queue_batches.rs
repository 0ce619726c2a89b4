//! A batch is what was ready when the iteration began; callbacks scheduled meanwhile wait.
use looplab::prelude::*;

fn callback(name: String, again: bool) {
    log(format!("callback {name}"));
    if again {
        call_soon(move || callback(format!("{name}'"), false));
    }
}

pub async fn main() -> Result<(), Error> {
    call_soon(|| callback("a".into(), true));
    call_soon(|| callback("b".into(), true));
    call_soon(|| callback("c".into(), false));
    log("main: scheduled a, b, c");
    sleep(0.0).await?;
    log("main: after one yield");
    sleep(0.0).await?;
    log("main: after two yields");
    Ok(())
}
