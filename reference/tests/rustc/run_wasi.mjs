// Runs a WASI preview 1 command under node's WASI (no wasmtime in refld's
// dependencies): `node run_wasi.mjs MODULE [DIR]`. With DIR, DIR is
// preopened as /work and the program gets /work as its argument. The
// program's exit code becomes node's; its stdout and stderr are node's.
// Used by tests/rustc_linker.rs to run what rustc linked with refld and
// with wasm-ld 22.
import { readFile } from 'node:fs/promises';
import { WASI } from 'node:wasi';

const [file, dir] = process.argv.slice(2);
const wasi = new WASI({
  version: 'preview1',
  args: dir ? ['main.wasm', '/work'] : ['main.wasm'],
  env: {},
  preopens: dir ? { '/work': dir } : {},
  returnOnExit: true,
});
const module = await WebAssembly.compile(await readFile(file));
const instance = await WebAssembly.instantiate(module, wasi.getImportObject());
process.exitCode = wasi.start(instance);
