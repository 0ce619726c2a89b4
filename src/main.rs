//! The `looplab` command; see [`looplab::cli`].

fn main() {
    let args = std::env::args_os().skip(1).collect();
    let status = looplab::cli::main(args, &mut std::io::stdout().lock(), &mut std::io::stderr().lock());
    std::process::exit(status);
}
