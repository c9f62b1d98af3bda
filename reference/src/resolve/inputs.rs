//! Reading the command line's inputs (OBJ-*, CLI-4, AR-4) and adding each
//! object's symbols to the table (wasm-ld `SymbolTable::addFile`), COMDAT
//! groups first (COMDAT-1).

use crate::ids::SymbolIndex;
use super::{kinds, Discarded, Resolver};
use crate::archive::{self, LazyEntry, Member};
use crate::config::InputSpec;
use crate::error::InputError;
use crate::input::InputProvider;
use crate::object::shared::{self, SharedLibrary, StubLibrary};
use crate::object::machine::check_machine;
use crate::object::{parse_object, ObjectFile, SymbolKind};
use crate::resolve::{FileId, Reference};
use rustc_hash::FxHashSet as HashSet;

/// One input read from the command line, ready to be added to the symbol
/// table. (An object is large beside the other variants; they live only
/// until resolution adds them, one per file, so it is not boxed.)
#[allow(clippy::large_enum_variant)]
pub(super) enum ReadInput {
    /// An object on the command line, or a member of a `--whole-archive`
    /// archive (`from_archive`).
    Object { obj: ObjectFile, from_archive: bool },
    /// An archive member or a `--start-lib` object, with its defined
    /// symbols (AR-1).
    Lazy { member: Member, entries: Vec<LazyEntry> },
    /// DYN-SHLIB: a shared library (a module with `dylink.0`).
    Shared(SharedLibrary),
    /// DYN-STUB: a stub library (`#STUB` text).
    Stub(StubLibrary),
}

impl Resolver<'_> {
    /// Reads one input of the command line: the file, an archive's members
    /// (AR-4's warnings), a `.imports` file beside it, and each object
    /// (OBJ-*). DIAG-1: wasm-ld reads every input before it adds a symbol,
    /// so a file it cannot read stops the link before any symbol error
    /// (measured on wasm-ld 19 and 22).
    pub(super) fn read_input(&mut self, spec: &InputSpec, provider: &dyn InputProvider) -> Result<Vec<ReadInput>, InputError> {
        let (path, whole, lazy) = match spec {
            InputSpec::File { path, whole_archive, lazy } => (path.clone(), *whole_archive, *lazy),
            InputSpec::Library { name, whole_archive, dynamic } => (self.find_library(name, dynamic.unwrap_or(self.config.is_pic()), provider)?, *whole_archive, false),
        };
        let bytes = provider.read(&path).map_err(|e| InputError::file(&path, format!("cannot open: {e}")))?;
        let machine = self.config.machine;
        let lazy_member = |member: Member| -> Result<ReadInput, InputError> {
            let entries = archive::scan_defined_symbols(&member.name, &member.bytes)?;
            check_machine(&member.name, &member.bytes, machine)?;
            Ok(ReadInput::Lazy { member, entries })
        };
        if shared::is_stub_library(&bytes) {
            return Ok(vec![ReadInput::Stub(shared::parse_stub_library(&path, &bytes)?)]);
        }
        if shared::is_shared_library(&bytes) {
            // DYN-SHLIB (measured): wasm-ld 22 refuses a shared library
            // outside -pie/-shared output (wasm-ld 19 links it).
            if !self.config.is_pic() {
                self.diags.error(format!("attempted static link of dynamic object {path}"));
                return Ok(Vec::new());
            }
            return Ok(vec![ReadInput::Shared(shared::parse_shared_library(&path, &bytes)?)]);
        }
        if !archive::is_archive(&bytes) {
            return Ok(vec![if lazy {
                lazy_member(Member { name: path, bytes })?
            } else {
                ReadInput::Object { obj: object_of(&path, bytes, machine)?, from_archive: false }
            }]);
        }
        if let Some(stem) = path.strip_suffix(".a") {
            let imports = format!("{stem}.imports");
            if provider.exists(&imports) {
                let text = provider.read(&imports).map_err(|e| InputError::file(&imports, format!("cannot open: {e}")))?;
                self.res.allowed_undefined.extend(crate::args::symbol_list(&String::from_utf8_lossy(&text)));
            }
        }
        let (members, skipped) = archive::read_archive(&path, &bytes)?;
        for s in skipped {
            // AR-4: non-wasm members are skipped with wasm-ld's warning.
            self.diags.warning(format!("{path}: archive member '{s}' is neither Wasm object file nor LLVM bitcode"));
        }
        members
            .into_iter()
            .map(|m| if whole { Ok(ReadInput::Object { obj: object_of(&m.name, m.bytes, machine)?, from_archive: true }) } else { lazy_member(m) })
            .collect()
    }

    /// Adds a read input's symbols (wasm-ld `SymbolTable::addFile`).
    pub(super) fn add_input(&mut self, input: ReadInput) -> Result<(), InputError> {
        match input {
            ReadInput::Object { obj, from_archive } => {
                if from_archive {
                    self.res.lazy_files.insert(FileId::from(self.res.files.len()));
                }
                self.add_object(obj)
            }
            ReadInput::Lazy { member, entries } => self.add_lazy(member, entries),
            ReadInput::Shared(lib) => {
                self.shared_at.push(self.res.files.len());
                self.res.shared_libs.push(lib);
                // DYN-SHLIB: its symbols join the table here, in input order.
                self.claim_library(self.res.shared_libs.len() - 1);
                Ok(())
            }
            ReadInput::Stub(stub) => {
                self.stubs.push(stub);
                Ok(())
            }
        }
    }

    /// CLI-4: `-lNAME` is the first `libNAME.a` in the `-L` paths;
    /// DYN-SHLIB: in -pie/-shared links a `libNAME.so` of a folder comes
    /// before its `libNAME.a` (measured).
    /// `-lNAME` in the `-L` paths, in order: `libNAME.so` first in each
    /// when `dynamic` (OPT-BDYNAMIC), then `libNAME.a`.
    fn find_library(&self, name: &str, dynamic: bool, provider: &dyn InputProvider) -> Result<String, InputError> {
        for dir in &self.config.search_paths {
            let so = format!("{}/lib{name}.so", dir.trim_end_matches('/'));
            if dynamic && provider.exists(&so) {
                // Outside PIC output wasm-ld links the library (measured:
                // an import and NEEDED in a static module); refld does not.
                if !self.config.is_pic() {
                    return Err(InputError::file(&so, "-Bdynamic outside -pie/-shared output: a shared library in a static link is not supported yet"));
                }
                return Ok(so);
            }
            let p = format!("{}/lib{name}.a", dir.trim_end_matches('/'));
            if provider.exists(&p) {
                return Ok(p);
            }
        }
        Err(InputError::file(&format!("-l{name}"), format!("unable to find library -l{name}")))
    }

    pub(super) fn add_object(&mut self, obj: ObjectFile) -> Result<(), InputError> {
        let fid = FileId::from(self.res.files.len());
        let mut discarded = Discarded::default();
        let nif = obj.num_imported_funcs();
        let nig = obj.num_imported_globals();
        for c in &obj.comdats {
            // COMDAT-1: the first object to declare a COMDAT keeps it;
            // QUIRK-WILD-COMDAT: Wild 0.10 keeps every copy, its symbols
            // weak definitions like any other (measured:
            // found/wild_comdat_copy_kept).
            if self.comdats.insert(c.name.clone()) || self.config.quirks.has(crate::quirks::Quirk::ComdatCopiesKept) {
                continue;
            }
            discarded.functions.extend(c.functions.iter().map(|f| f - nif));
            discarded.segments.extend(c.segments.iter().copied());
            discarded.globals.extend(c.globals.iter().map(|g| g - nig));
            discarded.sections.extend(c.sections.iter().copied());
        }
        let syms: Vec<_> = obj
            .symbols
            .iter()
            .map(|s| {
                let in_discarded = s.is_defined()
                    && match s.kind {
                        SymbolKind::Function => discarded.functions.contains(&(s.index - nif)),
                        SymbolKind::Data => s.data.is_some_and(|d| discarded.segments.contains(&d.segment)),
                        SymbolKind::Global => discarded.globals.contains(&(s.index - nig)),
                        _ => false,
                    };
                (s.name.clone(), s.kind, s.is_local() || s.kind == SymbolKind::Section, s.is_defined() && !in_discarded, s.is_weak(), s.is_no_strip())
            })
            .collect();
        let called: HashSet<u32> = obj.code_relocs.iter().filter(|r| r.ty == wasmparser::RelocationType::FunctionIndexLeb).map(|r| r.index).collect();
        let name = obj.name.clone();
        // TRACE-1 (measured): each file as it is loaded, an extracted
        // member as `lib.a(m.o)`.
        if self.config.trace {
            self.res.trace.push(name.clone());
        }
        self.res.files.push(obj);
        self.res.discarded.push(discarded);
        self.res.file_syms.push(vec![None; syms.len()]);
        for (i, (sname, kind, local, defined, weak, no_strip)) in syms.into_iter().enumerate() {
            if local {
                continue;
            }
            // TRACE-2 (measured): every file's definition or reference of
            // a traced name, before it takes effect.
            if self.config.trace_symbols.contains(&sname) {
                let what = if defined { "definition of" } else { "reference to" };
                self.res.trace.push(format!("{name}: {what} {sname}"));
            }
            let (sid, created) = self.res.table.insert(&sname, kind);
            self.res.file_syms[fid][i] = Some(sid);
            if self.res.table.symbols[sid].kind != kind {
                if no_strip {
                    self.res.table.symbols[sid].no_strip = true;
                }
                self.meet_other_kind(sid, kinds::Incoming { file: fid, sym: SymbolIndex::from(i), kind, defined, weak })?;
                continue;
            }
            let target = if defined {
                self.add_defined(sid, fid, SymbolIndex(i as u32), weak, &name)
            } else {
                if kind == SymbolKind::Tag && !created {
                    self.check_tag_signature(sid, fid, SymbolIndex(i as u32), &name, false);
                }
                let called_directly = called.contains(&(i as u32));
                self.add_undefined(sid, created, Reference { file: fid, sym: SymbolIndex::from(i), weak, called_directly })?
            };
            self.res.file_syms[fid][i] = Some(target);
            if no_strip {
                self.res.table.symbols[target].no_strip = true;
            }
        }
        // LAY-TABLE (measured: wasm-ld `addLegacyIndirectFunctionTableIfNeeded`):
        // an object importing the table without a table symbol (MVP
        // objects, wasi-libc's `crt1-command.o`) makes the table's symbol
        // after its own, which orders it among the symbols (EMIT-RELOCS).
        if self.res.files[fid].legacy_table_import() && !self.config.relocatable {
            self.res.table.insert("__indirect_function_table", SymbolKind::Table);
        }
        self.loaded.push(fid);
        Ok(())
    }
}

/// Reads an object and checks its machine against `-m` (SIXTYFOUR-MACHINE): a
/// malformed file is reported as such first, as wasm-ld checks the machine
/// of a file it could read.
fn object_of(name: &str, bytes: Vec<u8>, machine: Option<bool>) -> Result<ObjectFile, InputError> {
    let obj = parse_object(name, bytes)?;
    check_machine(name, &obj.bytes, machine)?;
    Ok(obj)
}
