//! toolset-lifecycle: a tool server connection owned by an agent.
//!
//! The agent opens the connection with `async with`, lists the tools, makes two tool calls, and
//! the connection closes by itself when the agent's block ends.

use super::Demo;
use crate::prelude::*;
use crate::pyfmt::{py_repr_str, py_str_list};
use crate::runtime::{async_with, AsyncContextManager, LocalBoxFuture};

parameters! {
    /// How long one tool call takes.
    pub struct Params {
        call: seconds[0.0..=10.0] = 0.5, "one tool call";
    }
}

/// The catalog's entry.
pub const DEMO: Demo = demo! {
    id: "toolset-lifecycle",
    title: "A toolset's lifecycle",
    concept: "An agent owns a tool server connection: connect, list tools, call them, close automatically.",
    section: Core,
    alternate: Params { call: 1.5 },
};

#[derive(Clone, Copy)]
struct ToolServer {
    call: f64,
}

impl ToolServer {
    async fn list_tools(&self) -> Result<Vec<&'static str>, Error> {
        sleep(0.1).await?;
        Ok(vec!["search", "fetch"])
    }

    async fn call(&self, tool: &str, argument: &str) -> Result<String, Error> {
        log(format!("toolset: calling {tool}({})", py_repr_str(argument)));
        sleep(self.call).await?;
        Ok(format!("{tool} result for {}", py_repr_str(argument)))
    }
}

impl AsyncContextManager for ToolServer {
    type Value = ToolServer;

    fn aenter(&mut self) -> LocalBoxFuture<Result<ToolServer, Error>> {
        let server = *self;
        Box::pin(async move {
            log("toolset: connecting to the tool server");
            sleep(0.3).await?;
            log("toolset: connected");
            Ok(server)
        })
    }

    fn aexit(&mut self, _error: Option<Error>) -> LocalBoxFuture<Result<bool, Error>> {
        Box::pin(async {
            log("toolset: closing the connection");
            sleep(0.2).await?;
            log("toolset: closed");
            Ok(false)
        })
    }
}

async fn agent(call: f64) -> Result<(), Error> {
    async_with(ToolServer { call }, |tools| async move {
        log(format!(
            "agent: tools available: {}",
            py_str_list(tools.list_tools().await?)
        ));
        log(format!("agent: got {}", tools.call("search", "asyncio").await?));
        log(format!("agent: got {}", tools.call("fetch", "docs.python.org").await?));
        log("agent: done with the tools");
        Ok(())
    })
    .await?;
    log("agent: finished; the connection closed with it");
    Ok(())
}

/// The demo's main coroutine.
pub async fn main(p: Params) -> Result<(), Error> {
    spawn_named("agent", agent(p.call)).await
}
