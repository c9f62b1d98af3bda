//! The linker's own symbols (wasm-ld `createSyntheticSymbols`,
//! `createOptionalSymbols`): reserved ones an input may not define (SYN-1)
//! and optional ones that take the place of undefined references (SYN-2).

use super::symtab::Def;
use super::Resolver;
use crate::object::SymbolKind;

/// SYN-1: synthetic symbols wasm-ld defines before reading the inputs; an
/// input defining one is a duplicate. The other synthetic symbols are
/// optional: an input's definition wins (SYN-2).
pub(crate) const RESERVED: &[&str] = &["__stack_pointer", "__wasm_call_ctors"];

/// LAY-INIT-TLS: the symbols wasm-ld makes, after `__wasm_call_ctors` and
/// `__stack_pointer`, before reading the inputs when memory is shared
/// (`createSyntheticSymbols`, measured by their export order).
pub(crate) const SHARED_MEMORY_TLS: &[&str] = &["__tls_base", "__tls_size", "__tls_align", "__wasm_init_tls"];

/// SYN-2: the optional linker-defined data symbols.
pub(crate) const OPTIONAL_DATA: &[&str] = &[
    "__dso_handle",
    "__data_end",
    "__stack_low",
    "__stack_high",
    "__global_base",
    "__heap_base",
    "__heap_end",
    "__memory_base",
    "__table_base",
    "__wasm_first_page_end",
];

/// Symbols the linker defines itself (wasm-ld's synthetic symbols).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Synthetic {
    /// Global: the stack pointer, mutable i32.
    StackPointer,
    /// Function: runs the init functions in priority order.
    CallCtors,
    /// Table: the indirect function table.
    IndirectFunctionTable,
    /// Data: end of static data, bytes.
    DataEnd,
    /// Data: start of the heap, bytes.
    HeapBase,
    /// Data: end of the initial memory, bytes.
    HeapEnd,
    /// Data: the module's `__dso_handle` (address 0... wasm-ld's value).
    DsoHandle,
    /// Data: `--global-base`.
    GlobalBase,
    /// Data: lowest stack address.
    StackLow,
    /// Data: highest stack address (initial stack pointer).
    StackHigh,
    /// Data: 0 outside PIC (`__memory_base`).
    MemoryBase,
    /// Data: `--table-base` (`__table_base`).
    TableBase,
    /// Data: the end of the first page, 65536 (`__wasm_first_page_end`).
    FirstPageEnd,
    /// Global: start of the TLS block, mutable i32.
    TlsBase,
    /// Global: size of the TLS block, bytes.
    TlsSize,
    /// Global: alignment of the TLS block, bytes.
    TlsAlign,
    /// Function `(i32) -> void`: sets `__tls_base`.
    InitTls,
}

impl Synthetic {
    /// The synthetic symbol named `name`, with its kind. DYN-IMPORTS: in
    /// position-independent output (`pic`) `__memory_base` and
    /// `__table_base` are imported globals, not data.
    pub fn by_name(name: &str, pic: bool) -> Option<(Synthetic, SymbolKind)> {
        use Synthetic::*;
        use SymbolKind as K;
        Some(match name {
            "__memory_base" if pic => (MemoryBase, K::Global),
            "__table_base" if pic => (TableBase, K::Global),
            "__stack_pointer" => (StackPointer, K::Global),
            "__wasm_call_ctors" => (CallCtors, K::Function),
            "__indirect_function_table" => (IndirectFunctionTable, K::Table),
            "__data_end" => (DataEnd, K::Data),
            "__heap_base" => (HeapBase, K::Data),
            "__heap_end" => (HeapEnd, K::Data),
            "__dso_handle" => (DsoHandle, K::Data),
            "__global_base" => (GlobalBase, K::Data),
            "__stack_low" => (StackLow, K::Data),
            "__stack_high" => (StackHigh, K::Data),
            "__memory_base" => (MemoryBase, K::Data),
            "__table_base" => (TableBase, K::Data),
            "__wasm_first_page_end" => (FirstPageEnd, K::Data),
            "__tls_base" => (TlsBase, K::Global),
            "__tls_size" => (TlsSize, K::Global),
            "__tls_align" => (TlsAlign, K::Global),
            "__wasm_init_tls" => (InitTls, K::Function),
            _ => return None,
        })
    }
}

/// DYN-SYN (measured, wasm-ld 22): PIC output has no heap, stack or
/// global base of its own: `__heap_base`, `__heap_end`, `__global_base`,
/// `__stack_low`, `__stack_high` stay undefined, and `__data_end` in a side
/// module; `__dso_handle`, `__wasm_first_page_end` and a main module's
/// `__data_end` are defined (relative to `__memory_base`). DYN-TLS:
/// `__tls_size`, `__tls_align` and `__wasm_init_tls` stay undefined too.
fn defined_in_pic(s: Synthetic, shared: bool) -> bool {
    use Synthetic::*;
    match s {
        HeapBase | HeapEnd | GlobalBase | StackLow | StackHigh => false,
        // DYN-TLS (measured, without --shared-memory): only `__tls_base`.
        TlsSize | TlsAlign | InitTls => false,
        DataEnd => !shared,
        _ => true,
    }
}

impl Resolver<'_> {
    /// SYN-2: names the linker defines resolve to its synthetic symbols
    /// when no input defined them.
    pub(super) fn synthesize(&mut self) {
        // REL-OUT-SYN (wasm-ld `createSyntheticSymbols`,
        // `createOptionalSymbols`): relocatable output defines none; the
        // names stay undefined (imports, REL-OUT-IMPORT).
        if self.config.relocatable {
            return;
        }
        let pic = self.config.is_pic();
        for name in ["__stack_pointer", "__wasm_call_ctors", "__indirect_function_table"] {
            let (_, kind) = Synthetic::by_name(name, pic).expect("known name");
            self.res.table.insert(name, kind);
        }
        // LAY-INIT-TLS (measured, wasm-ld 22 and 19): with shared memory
        // the TLS symbols are made whether referenced or not; garbage
        // collection removes them unless something keeps them
        // (`--no-gc-sections`, `--export-all`).
        if self.config.shared_memory && !pic {
            for name in SHARED_MEMORY_TLS {
                let (_, kind) = Synthetic::by_name(name, pic).expect("known name");
                self.res.table.insert(name, kind);
            }
        }
        // DYN-IMPORTS: PIC output always imports both bases.
        if pic {
            for name in ["__memory_base", "__table_base"] {
                self.res.table.insert(name, SymbolKind::Global);
            }
        }
        // SYN-2 (measured): `--export-all` and `--export`/`--export-if-defined`
        // of a name make the optional data symbols too.
        for name in OPTIONAL_DATA.iter().filter(|n| !(pic && ["__memory_base", "__table_base"].contains(*n))) {
            let exported = self.config.exports.iter().chain(&self.config.exports_if_defined).any(|e| e == name);
            if self.config.export_all || exported {
                self.res.table.insert(name, SymbolKind::Data);
            }
        }
        for sym in &mut self.res.table.symbols {
            if !sym.is_undefined() {
                continue;
            }
            if let Some((syn, kind)) = Synthetic::by_name(&sym.name, pic) {
                if pic && !defined_in_pic(syn, self.config.shared) {
                    continue;
                }
                // LAY-TLS-BASE (measured, wasm-ld 22 and 19): without
                // shared memory only `__tls_base` is defined.
                if !pic && !self.config.shared_memory && matches!(syn, Synthetic::TlsSize | Synthetic::TlsAlign | Synthetic::InitTls) {
                    continue;
                }
                // DYN-STATIC (measured): outside PIC output, PIC code's
                // global references of the bases reach the data symbols,
                // through a GOT entry holding their value.
                let pic_code_base = !pic && sym.kind == SymbolKind::Global && matches!(syn, Synthetic::MemoryBase | Synthetic::TableBase);
                if kind == sym.kind || pic_code_base {
                    sym.def = Def::Synthetic(syn);
                }
            }
        }
    }
}
