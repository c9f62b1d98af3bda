//! `refld`: the reference linker with wasm-ld's command line.
//! Exit status 0 on success (warnings on stderr), 1 on any error.

use refld::args::{help_text, parse_args, Action};
use refld::driver::link_command_line_then_exit;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| e.to_string());
    match parse_args(&args, &read) {
        Ok(Action::Help) => {
            print!("{}", help_text());
            return;
        }
        Ok(Action::Version) => {
            println!("refld {} (compatible with wasm-ld)", env!("CARGO_PKG_VERSION"));
            return;
        }
        _ => {}
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let out = link_command_line_then_exit(&args, &cwd);
    for d in &out.diagnostics {
        eprintln!("refld: {d}");
    }
    let Some(bytes) = out.bytes else { std::process::exit(1) };
    if let Err(e) = std::fs::write(&out.output_path, bytes) {
        eprintln!("refld: error: cannot write {}: {e}", out.output_path.display());
        std::process::exit(1);
    }
}
