//! Running a linker as a process: [`run_process`], with a time limit and
//! its whole process group killed after it; every way it ends is an
//! [`Outcome`].

use crate::diagnostics::{parse_stderr, Severity};
use crate::outcome::Outcome;
use std::io::Read;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

/// Runs `program args...` in `cwd` and reads its outcome: the file at
/// `output` when it exits 0, its diagnostics (stderr, [`parse_stderr`])
/// when it exits 1, a crash otherwise; killed (with its process group)
/// after `timeout`.
pub fn run_process(program: &Path, args: &[String], cwd: &Path, timeout: Duration, output: &Path) -> Outcome {
    let harness_failure = |what: &str, e: std::io::Error| Outcome::Crashed {
        status: format!("could not start: {what}: {e}"),
        stderr: String::new(),
    };
    let mut command = Command::new(program);
    command
        .args(args)
        .current_dir(cwd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        // A group of its own, so a timeout kills helpers it spawned too.
        .process_group(0);
    let mut child = match command.spawn() {
        Ok(c) => c,
        Err(e) => return harness_failure(&program.display().to_string(), e),
    };
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let pid = child.id() as libc::pid_t;
    let kill_group = || unsafe {
        // SAFETY: kill(2) with a negative pid signals that process group;
        // the group was created for this child alone.
        libc::kill(-pid, libc::SIGKILL);
    };

    // The exit is waited for on a thread: polling would add its own
    // latency to every link.
    let (exited, waited) = mpsc::channel();
    std::thread::spawn(move || {
        let _ = exited.send(child.wait());
    });
    let status = match waited.recv_timeout(timeout) {
        Ok(Ok(status)) => status,
        Ok(Err(e)) => {
            kill_group();
            return Outcome::Crashed { status: format!("wait failed: {e}"), stderr: String::new() };
        }
        Err(_) => {
            kill_group();
            let _ = waited.recv_timeout(Duration::from_secs(2));
            return Outcome::TimedOut;
        }
    };
    // Helpers left running would hold the pipes open.
    kill_group();
    let _ = stdout.recv_timeout(Duration::from_secs(2));
    let stderr = String::from_utf8_lossy(&stderr.recv_timeout(Duration::from_secs(2)).unwrap_or_default()).into_owned();

    if let Some(signal) = status.signal() {
        return Outcome::Crashed { status: format!("signal {signal}{}", signal_name(signal)), stderr };
    }
    let diagnostics = parse_stderr(&stderr);
    match status.code() {
        Some(0) => match std::fs::read(output) {
            Ok(bytes) => Outcome::Linked {
                bytes,
                warnings: diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(|d| d.render()).collect(),
            },
            Err(_) => Outcome::Crashed { status: "exit status 0 without an output file".into(), stderr },
        },
        Some(1) => Outcome::Rejected { diagnostics: diagnostics.iter().map(|d| d.render()).collect() },
        Some(code) => Outcome::Crashed { status: format!("exit status {code}"), stderr },
        None => Outcome::Crashed { status: format!("{status}"), stderr },
    }
}

/// Reads a pipe to its end on a thread; the bytes arrive on the channel.
fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = pipe.read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
    }
    rx
}

fn signal_name(signal: i32) -> &'static str {
    match signal {
        libc::SIGSEGV => " (SIGSEGV)",
        libc::SIGABRT => " (SIGABRT)",
        libc::SIGBUS => " (SIGBUS)",
        libc::SIGILL => " (SIGILL)",
        libc::SIGFPE => " (SIGFPE)",
        libc::SIGKILL => " (SIGKILL)",
        libc::SIGTERM => " (SIGTERM)",
        _ => "",
    }
}
