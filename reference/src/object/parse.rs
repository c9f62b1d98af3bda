//! Reading an object file's bytes into an [`ObjectFile`] (wasmparser does the
//! binary format; this module keeps what linking needs).

use super::*;
use crate::error::InputError;
use wasmparser::{
    CompositeInnerType, DataKind, Encoding, KnownCustom, Linking, Parser, Payload, SymbolInfo,
    TypeRef,
};

/// Reads and checks one object file. `name` is how errors name it
/// (`x.o`, `lib.a(x.o)`).
///
/// Errors: not a wasm module, truncated or malformed sections, a `linking`
/// section missing or of a version other than 2 (rule OBJ-1), any index or
/// range out of bounds (rules OBJ-2..OBJ-6); each names the section and the
/// byte offset.
pub fn parse_object(name: &str, bytes: Vec<u8>) -> Result<ObjectFile, InputError> {
    if bytes.len() < 8 || &bytes[0..4] != b"\0asm" {
        return Err(InputError::file(name, "not a WebAssembly object file (bad magic)"));
    }
    let mut obj = ObjectFile {
        name: name.to_string(),
        bytes: Vec::new(),
        types: Vec::new(),
        imports: Vec::new(),
        func_imports: Vec::new(),
        global_imports: Vec::new(),
        table_imports: Vec::new(),
        tag_imports: Vec::new(),
        functions: Vec::new(),
        globals: Vec::new(),
        tables: Vec::new(),
        tags: Vec::new(),
        segments: Vec::new(),
        customs: Vec::new(),
        symbols: Vec::new(),
        code_relocs: Vec::new(),
        data_relocs: Vec::new(),
        func_relocs: Vec::new(),
        segment_relocs: Vec::new(),
        code_payload: 0,
        init_funcs: Vec::new(),
        comdats: Vec::new(),
        features: Vec::new(),
        producers: Vec::new(),
        section_targets: Vec::new(),
    };
    let mut reader = Reader { obj: &mut obj, file: name, bytes: &bytes, func_decls: Vec::new(), section: 0, saw_linking: false, relocs: Vec::new(), exports: Vec::new() };
    reader.read_all()?;
    let relocs = std::mem::take(&mut reader.relocs);
    let exports = std::mem::take(&mut reader.exports);
    let saw_linking = reader.saw_linking;
    if !saw_linking {
        return Err(InputError::file(name, "no linking section: not a relocatable object file (OBJ-1)"));
    }
    for (target, offset, entries) in relocs {
        match obj.section_target(target) {
            SectionTarget::Code => obj.code_relocs = entries,
            SectionTarget::Data => obj.data_relocs = entries,
            SectionTarget::Custom(i) => obj.customs[i].relocs = entries,
            SectionTarget::Other => {
                return Err(InputError::at(
                    name,
                    "reloc",
                    offset,
                    format!("relocations for section {target}, which is not code, data or a custom section"),
                ))
            }
        }
    }
    for (kind, index, ename) in exports {
        use wasmparser::ExternalKind as E;
        let want = match kind {
            E::Func | E::FuncExact => SymbolKind::Function,
            E::Global => SymbolKind::Global,
            E::Table => SymbolKind::Table,
            E::Tag => SymbolKind::Tag,
            E::Memory => continue,
        };
        for s in obj.symbols.iter_mut().filter(|s| s.kind == want && s.index == index && s.is_defined()) {
            s.export_name = Some(ename.clone());
        }
    }
    obj.bytes = bytes;
    super::check::check_object(&mut obj)?;
    Ok(obj)
}

struct Reader<'o, 'b> {
    obj: &'o mut ObjectFile,
    /// The object's name for messages (a copy of `obj.name`, so that
    /// messages need no clone of it per section).
    file: &'b str,
    bytes: &'b [u8],
    /// Function section: type index per defined function.
    func_decls: Vec<u32>,
    /// Index of the next section (every section counts, custom ones too).
    section: u32,
    saw_linking: bool,
    /// `reloc.*` sections: (target section index, file offset, entries).
    relocs: Vec<(u32, u64, Vec<Relocation>)>,
    /// Export section entries: (kind, index, name).
    exports: Vec<(wasmparser::ExternalKind, u32, String)>,
}

fn perr(file: &str, section: &str, e: wasmparser::BinaryReaderError) -> InputError {
    InputError::at(file, section, e.offset(), e.message().to_string())
}

impl<'b> Reader<'_, 'b> {
    fn name(&self) -> &'b str {
        self.file
    }

    fn read_all(&mut self) -> Result<(), InputError> {
        let bytes = self.bytes;
        let name = self.name();
        for payload in Parser::new(0).parse_all(bytes) {
            // OBJ-2: a malformed or truncated section is named.
            let payload = payload.map_err(|e| perr(name, &section_name_at(bytes, e.offset()), e))?;
            self.payload(payload)?;
        }
        if self.func_decls.len() != self.obj.functions.len() {
            return Err(InputError::file(
                name,
                format!(
                    "function section declares {} functions but the code section has {}",
                    self.func_decls.len(),
                    self.obj.functions.len()
                ),
            ));
        }
        Ok(())
    }

    fn payload(&mut self, payload: Payload<'_>) -> Result<(), InputError> {
        let n = self.name();
        match payload {
            Payload::Version { encoding, .. } => {
                if encoding != Encoding::Module {
                    return Err(InputError::file(n, "a component, not a core module"));
                }
            }
            Payload::TypeSection(r) => {
                self.section += 1;
                for group in r {
                    let group = group.map_err(|e| perr(n, "type", e))?;
                    for sub in group.into_types() {
                        match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => self.obj.types.push(Signature {
                                params: f.params().to_vec(),
                                results: f.results().to_vec(),
                            }),
                            _ => return Err(InputError::file(n, "non-function types are not supported yet")),
                        }
                    }
                }
            }
            Payload::ImportSection(r) => {
                self.section += 1;
                for imp in r.into_imports_with_offsets() {
                    let (off, imp) = imp.map_err(|e| perr(n, "import", e))?;
                    if let TypeRef::Func(t) | TypeRef::FuncExact(t) | TypeRef::Tag(wasmparser::TagType { func_type_idx: t, .. }) = imp.ty {
                        self.check_type_index(n, "import", off, t)?;
                    }
                    let idx = self.obj.imports.len();
                    let kind = match imp.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            self.obj.func_imports.push((idx, t));
                            ImportKind::Func(t)
                        }
                        TypeRef::Global(g) => {
                            self.obj.global_imports.push(idx);
                            ImportKind::Global(g)
                        }
                        TypeRef::Table(t) => {
                            self.obj.table_imports.push(idx);
                            ImportKind::Table(t)
                        }
                        TypeRef::Memory(m) => ImportKind::Memory(m),
                        TypeRef::Tag(t) => {
                            self.obj.tag_imports.push(idx);
                            ImportKind::Tag(t.func_type_idx)
                        }
                    };
                    self.obj.imports.push(Import { module: imp.module.to_string(), field: imp.name.to_string(), kind });
                }
            }
            Payload::FunctionSection(r) => {
                self.section += 1;
                for t in r.into_iter_with_offsets() {
                    let (off, t) = t.map_err(|e| perr(n, "function", e))?;
                    self.check_type_index(n, "function", off, t)?;
                    self.func_decls.push(t);
                }
            }
            Payload::TableSection(r) => {
                self.section += 1;
                for t in r {
                    self.obj.tables.push(t.map_err(|e| perr(n, "table", e))?.ty);
                }
            }
            Payload::MemorySection(_) | Payload::DataCountSection { .. } => self.section += 1,
            Payload::TagSection(r) => {
                self.section += 1;
                for t in r.into_iter_with_offsets() {
                    let (off, t) = t.map_err(|e| perr(n, "tag", e))?;
                    self.check_type_index(n, "tag", off, t.func_type_idx)?;
                    self.obj.tags.push(t.func_type_idx);
                }
            }
            Payload::GlobalSection(r) => {
                self.section += 1;
                for g in r {
                    let g = g.map_err(|e| perr(n, "global", e))?;
                    let range = g.init_expr.get_binary_reader().range();
                    self.obj.globals.push(GlobalDef { ty: g.ty, init: range.start as usize..range.end as usize });
                }
            }
            Payload::ExportSection(r) => {
                // LLVM writes the export names of `export_name` symbols here;
                // the EXPORTED symbol flag is what makes them exports.
                self.section += 1;
                for e in r {
                    let e = e.map_err(|e| perr(n, "export", e))?;
                    self.exports.push((e.kind, e.index, e.name.to_string()));
                }
            }
            Payload::StartSection { range, .. } => {
                return Err(InputError::at(n, "start", range.start, "an object file has no start section"));
            }
            // LLVM lists address-taken functions here; the table slots of
            // the output come from TABLE_INDEX relocations alone (LAY-TABLE).
            Payload::ElementSection(_) => self.section += 1,
            Payload::CodeSectionStart { unchecked_range, .. } => {
                let idx = self.section;
                self.section += 1;
                self.obj.code_payload = unchecked_range.start as usize;
                self.obj.section_targets.push((idx, SectionTarget::Code));
            }
            Payload::CodeSectionEntry(body) => {
                let i = self.obj.functions.len();
                let Some(&type_index) = self.func_decls.get(i) else {
                    return Err(InputError::at(n, "code", body.range().start, "more function bodies than declared functions"));
                };
                let r = body.range();
                self.obj.functions.push(FuncDef { type_index, body: r.start as usize..r.end as usize });
            }
            Payload::DataSection(r) => {
                let idx = self.section;
                self.section += 1;
                let payload = r.range().start as usize;
                self.obj.section_targets.push((idx, SectionTarget::Data));
                for d in r {
                    let d = d.map_err(|e| perr(n, "data", e))?;
                    let start = d.data.as_ptr() as usize - self.bytes.as_ptr() as usize;
                    let i = self.obj.segments.len();
                    self.obj.segments.push(SegmentDef {
                        name: format!(".data.{i}"),
                        alignment: 1,
                        flags: 0,
                        data: start..start + d.data.len(),
                        section_offset: start - payload,
                        passive: matches!(d.kind, DataKind::Passive),
                    });
                }
            }
            Payload::CustomSection(c) => {
                let idx = self.section;
                self.section += 1;
                self.custom(idx, c)?;
            }
            Payload::End(_) => {}
            other => {
                let what = format!("{other:?}");
                let what = what.split(['(', ' ', '{']).next().unwrap_or("section").to_string();
                return Err(InputError::file(n, format!("unsupported section in an object file: {what}")));
            }
        }
        Ok(())
    }

    /// OBJ-2: a function, import or tag names an existing type.
    fn check_type_index(&self, file: &str, section: &str, offset: u64, t: u32) -> Result<(), InputError> {
        if t as usize >= self.obj.types.len() {
            return Err(InputError::at(file, section, offset, format!("type index {t} out of range ({} types)", self.obj.types.len())));
        }
        Ok(())
    }

    fn custom(&mut self, idx: u32, c: wasmparser::CustomSectionReader<'_>) -> Result<(), InputError> {
        let n = self.name();
        let cname = c.name().to_string();
        match c.as_known() {
            KnownCustom::Linking(l) => {
                self.saw_linking = true;
                self.linking(l)
            }
            // wasmparser reads `linking` of another version, or a `reloc.*`
            // section whose header is malformed, as an unknown custom
            // section: read it again for the error (OBJ-1, OBJ-2).
            KnownCustom::Unknown if cname == "linking" => {
                let reader = wasmparser::BinaryReader::new(c.data(), c.data_offset());
                match wasmparser::LinkingSectionReader::new(reader) {
                    Err(e) => Err(perr(n, "linking", e)),
                    Ok(_) => Err(InputError::at(n, "linking", c.data_offset(), "unreadable linking section")),
                }
            }
            KnownCustom::Unknown if cname.starts_with("reloc.") => {
                let reader = wasmparser::BinaryReader::new(c.data(), c.data_offset());
                match wasmparser::RelocSectionReader::new(reader) {
                    Err(e) => Err(perr(n, &cname, e)),
                    Ok(_) => Err(InputError::at(n, &cname, c.data_offset(), "unreadable relocation section")),
                }
            }
            KnownCustom::Reloc(r) => {
                let mut entries = Vec::new();
                for e in r.entries().into_iter_with_offsets() {
                    let (at, e) = e.map_err(|e| perr(n, &cname, e))?;
                    entries.push(Relocation { ty: e.ty, offset: e.offset, index: e.index, addend: e.addend, entry_offset: at });
                }
                self.relocs.push((r.section_index(), c.range().start, entries));
                Ok(())
            }
            KnownCustom::Producers(p) => {
                for field in p {
                    let field = field.map_err(|e| perr(n, "producers", e))?;
                    for v in field.values {
                        let v = v.map_err(|e| perr(n, "producers", e))?;
                        self.obj.producers.push((field.name.to_string(), v.name.to_string(), v.version.to_string()));
                    }
                }
                Ok(())
            }
            _ if cname == "target_features" => {
                self.obj.features = read_features(n, c.data(), c.data_offset())?;
                Ok(())
            }
            // Objects carry no meaningful name section; symbol names come
            // from the symbol table.
            _ if cname == "name" => Ok(()),
            _ => {
                let start = c.data_offset() as usize;
                let i = self.obj.customs.len();
                self.obj.customs.push(CustomSection { name: cname, data: start..start + c.data().len(), relocs: Vec::new() });
                self.obj.section_targets.push((idx, SectionTarget::Custom(i)));
                Ok(())
            }
        }
    }

    fn linking(&mut self, l: wasmparser::LinkingSectionReader<'_>) -> Result<(), InputError> {
        let n = self.name();
        for sub in l {
            let sub = sub.map_err(|e| perr(n, "linking", e))?;
            match sub {
                Linking::SegmentInfo(map) => {
                    for (i, seg) in map.into_iter().enumerate() {
                        let seg = seg.map_err(|e| perr(n, "linking", e))?;
                        let Some(s) = self.obj.segments.get_mut(i) else {
                            return Err(InputError::file(n, format!("SEGMENT_INFO names segment {i} but the data section has {}", i)));
                        };
                        if seg.alignment >= 32 {
                            return Err(InputError::file(n, format!("segment {}: alignment 2^{} is too large", seg.name, seg.alignment)));
                        }
                        s.name = seg.name.to_string();
                        s.alignment = 1u32 << seg.alignment;
                        s.flags = seg.flags.bits();
                    }
                }
                Linking::InitFuncs(map) => {
                    for f in map {
                        let f = f.map_err(|e| perr(n, "linking", e))?;
                        self.obj.init_funcs.push(InitFunc { priority: f.priority, symbol: f.symbol_index });
                    }
                }
                Linking::ComdatInfo(map) => {
                    for c in map {
                        let c = c.map_err(|e| perr(n, "linking", e))?;
                        let mut comdat = Comdat {
                            name: c.name.to_string(),
                            segments: vec![],
                            functions: vec![],
                            globals: vec![],
                            tags: vec![],
                            tables: vec![],
                            sections: vec![],
                        };
                        for m in c.symbols {
                            let m = m.map_err(|e| perr(n, "linking", e))?;
                            use wasmparser::ComdatSymbolKind as K;
                            match m.kind {
                                K::Data => comdat.segments.push(m.index),
                                K::Func => comdat.functions.push(m.index),
                                K::Global => comdat.globals.push(m.index),
                                K::Event => comdat.tags.push(m.index),
                                K::Table => comdat.tables.push(m.index),
                                K::Section => comdat.sections.push(m.index),
                            }
                        }
                        self.obj.comdats.push(comdat);
                    }
                }
                Linking::SymbolTable(map) => {
                    for s in map.into_iter_with_offsets() {
                        let (off, s) = s.map_err(|e| perr(n, "linking", e))?;
                        let sym = self.symbol(s, off)?;
                        self.obj.symbols.push(sym);
                    }
                }
                Linking::TargetArch(_) | Linking::Unknown { .. } => {}
            }
        }
        Ok(())
    }

    /// Turns a symbol-table entry into a [`Symbol`], checking its index
    /// against the object's index spaces (rule OBJ-3).
    fn symbol(&self, s: SymbolInfo<'_>, off: u64) -> Result<Symbol, InputError> {
        let n = self.obj.name.as_str();
        let bad = |what: String| InputError::at(n, "linking", off, what);
        let (kind, flags, index, name) = match s {
            SymbolInfo::Func { flags, index, name } => (SymbolKind::Function, flags.bits(), index, name),
            SymbolInfo::Global { flags, index, name } => (SymbolKind::Global, flags.bits(), index, name),
            SymbolInfo::Event { flags, index, name } => (SymbolKind::Tag, flags.bits(), index, name),
            SymbolInfo::Table { flags, index, name } => (SymbolKind::Table, flags.bits(), index, name),
            SymbolInfo::Section { flags, section } => {
                return Ok(Symbol { kind: SymbolKind::Section, flags: flags.bits(), name: String::new(), index: section, data: None, import_module: None, import_name: None, export_name: None })
            }
            SymbolInfo::Data { flags, name, symbol } => {
                let flags = flags.bits();
                let data = match symbol {
                    Some(d) if flags & flags::UNDEFINED == 0 => {
                        let Some(seg) = self.obj.segments.get(d.index as usize) else {
                            return Err(bad(format!("data symbol {name} refers to segment {} but there are {}", d.index, self.obj.segments.len())));
                        };
                        let len = seg.data.len() as u64;
                        if d.offset as u64 + d.size as u64 > len {
                            return Err(bad(format!("data symbol {name} (offset {}, size {}) lies outside its segment of {len} bytes", d.offset, d.size)));
                        }
                        Some(DataRef { segment: d.index, offset: d.offset, size: d.size })
                    }
                    _ => None,
                };
                return Ok(Symbol { kind: SymbolKind::Data, flags, name: name.to_string(), index: 0, data, import_module: None, import_name: None, export_name: None });
            }
        };
        let (imported, defined) = match kind {
            SymbolKind::Function => (self.obj.func_imports.len(), self.func_decls.len()),
            SymbolKind::Global => (self.obj.global_imports.len(), self.obj.globals.len()),
            SymbolKind::Tag => (self.obj.tag_imports.len(), self.obj.tags.len()),
            _ => (self.obj.table_imports.len(), self.obj.tables.len()),
        };
        let undefined = flags & flags::UNDEFINED != 0;
        if undefined && index as usize >= imported {
            return Err(bad(format!("undefined {kind} symbol refers to index {index}, but there are {imported} imports of that kind")));
        }
        if undefined && kind == SymbolKind::Global && flags & (flags::BINDING_WEAK | flags::BINDING_LOCAL) == flags::BINDING_WEAK {
            // OBJ-3 (measured): wasm-ld's reader rejects weak global references.
            return Err(bad("undefined weak global symbol".to_string()));
        }
        if !undefined && (index as usize) < imported {
            return Err(bad(format!("defined {kind} symbol {} refers to imported index {index}", name.unwrap_or(""))));
        }
        if index as usize >= imported + defined {
            return Err(bad(format!("{kind} symbol refers to index {index} out of range ({} in all)", imported + defined)));
        }
        let (mut sym_name, mut import_module, mut import_name) = (name.map(str::to_string), None, None);
        if undefined {
            let imp = self.obj.import_of(kind, index).expect("checked above");
            import_module = Some(imp.module.clone());
            import_name = Some(imp.field.clone());
            if sym_name.is_none() {
                sym_name = Some(imp.field.clone());
            }
        }
        Ok(Symbol { kind, flags, name: sym_name.unwrap_or_default(), index, data: None, import_module, import_name, export_name: None })
    }
}

/// The name of the section that byte `offset` of `bytes` lies in (its
/// header or its payload): `code`, `data`, a custom section's own name, ...
/// `module` for the header and for offsets past every section.
pub(crate) fn section_name_at(bytes: &[u8], offset: u64) -> String {
    const NAMES: [&str; 14] = [
        "custom", "type", "import", "function", "table", "memory", "global", "export", "start", "element", "code",
        "data", "datacount", "tag",
    ];
    let mut at = 8u64;
    while offset >= at && (at as usize) < bytes.len() {
        let id = bytes[at as usize];
        let mut r = wasmparser::BinaryReader::new(&bytes[at as usize + 1..], at + 1);
        let Ok(size) = r.read_var_u32() else {
            return NAMES.get(id as usize).unwrap_or(&"module").to_string();
        };
        let end = r.original_position() + size as u64;
        if offset < end {
            if id == 0 {
                if let Ok(name) = r.read_string() {
                    return name.to_string();
                }
            }
            return NAMES.get(id as usize).unwrap_or(&"module").to_string();
        }
        at = end;
    }
    "module".to_string()
}

/// Reads a `target_features` section: a count, then `prefix:u8 name:string`.
fn read_features(file: &str, data: &[u8], base: u64) -> Result<Vec<Feature>, InputError> {
    let mut r = wasmparser::BinaryReader::new(data, base as usize as u64 as _);
    let err = |e: wasmparser::BinaryReaderError| perr(file, "target_features", e);
    let count = r.read_var_u32().map_err(err)?;
    let mut out = Vec::new();
    for _ in 0..count {
        let prefix = r.read_u8().map_err(err)?;
        let name = r.read_string().map_err(err)?;
        // FEAT-3 (measured): wasm-ld 22 knows `+` and `-` only; `=` is an error.
        if !matches!(prefix, b'+' | b'-') {
            return Err(InputError::at(file, "target_features", r.original_position(), "unknown feature policy prefix"));
        }
        out.push(Feature { prefix, name: name.to_string() });
    }
    Ok(out)
}
