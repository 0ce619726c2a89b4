//! Stopping an async generator early: its cleanup still runs, awaits included, in a new task.
use looplab::prelude::*;

fn pages(n: u32) -> Stream<u32> {
    stream(move |y| async move {
        let result = async {
            for i in 0..n {
                sleep(0.5).await?;
                log(format!("fetched page {i}"));
                y.yield_(i).await?;
            }
            Ok(())
        }
        .await;
        // finally:
        log("closing the connection");
        sleep(0.25).await?;
        log("connection closed");
        result
    })
}

pub async fn main() -> Result<(), Error> {
    {
        let mut pages = pages(5);
        while let Some(page) = pages.next().await {
            let page = page?;
            log(format!("consumer got page {page}"));
            if page == 2 {
                break;
            }
        }
    }
    log("consumer stopped early");
    sleep(1.0).await?;
    let mut gen = pages(3);
    let first = gen.next().await.transpose()?.unwrap_or_default();
    log(format!("explicit: got {first}"));
    gen.aclose().await?;
    log("explicit aclose done");
    let mut all = pages(2);
    while let Some(page) = all.next().await {
        log(format!("to the end: {}", page?));
    }
    log("exhausted");
    Ok(())
}
