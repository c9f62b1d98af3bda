//! `refld`: the reference linker with wasm-ld's command line.
//! Exit status 0 on success (warnings on stderr), 1 on any error.

use refld::args::{help_text, parse_args, Action};
use refld::driver::link_command_line_then_exit;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let read = |p: &str| std::fs::read_to_string(p).map_err(|e| e.to_string());
    match parse_args(&args, &read) {
        // A closed standard output (`refld --help | head -1`) is no panic.
        Ok(Action::Help) => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), help_text().as_bytes());
            return;
        }
        Ok(Action::Version) => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), format!("{}\n", refld::version_line()).as_bytes());
            return;
        }
        // CLI-VERSION: `-v` prints the version and links, if there is
        // anything to link (wasm-ld exits 0 without inputs then).
        Ok(Action::Link(c)) if c.print_version => {
            let _ = std::io::Write::write_all(&mut std::io::stdout(), format!("{}\n", refld::version_line()).as_bytes());
            if c.inputs.is_empty() {
                return;
            }
        }
        _ => {}
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| ".".into());
    let out = link_command_line_then_exit(&args, &cwd);
    for d in &out.diagnostics {
        eprintln!("refld: {d}");
    }
    // WHY-1, MAP-1: the side files, `-` being standard output; one that
    // cannot be written fails the link, as in wasm-ld.
    let mut failed = false;
    for f in &out.reports {
        let written = if f.path == "-" {
            std::io::Write::write_all(&mut std::io::stdout(), f.text.as_bytes())
        } else {
            std::fs::write(cwd.join(&f.path), &f.text)
        };
        if let Err(e) = written {
            // wasm-ld prints the system's message alone, without Rust's
            // "(os error N)".
            let msg = e.to_string();
            let msg = msg.split(" (os error").next().unwrap_or(&msg);
            eprintln!("refld: error: {}", f.open_error(msg));
            failed = true;
        }
    }
    let Some(bytes) = out.bytes.filter(|_| !failed) else { std::process::exit(1) };
    // CLI-STDOUT: `-o -` writes the module to standard output.
    if out.output_path == cwd.join("-") {
        if let Err(e) = std::io::Write::write_all(&mut std::io::stdout(), &bytes) {
            eprintln!("refld: error: cannot write the output to standard output: {e}");
            std::process::exit(1);
        }
        return;
    }
    if let Err(e) = std::fs::write(&out.output_path, bytes) {
        eprintln!("refld: error: cannot write {}: {e}", out.output_path.display());
        std::process::exit(1);
    }
}

