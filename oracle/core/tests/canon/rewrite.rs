//! Rewriting linked modules with wasm-encoder's reencoder: re-layouts that
//! keep the program (functions permuted, LEBs padded or shortened, data
//! moved) and defects that change it.

use std::collections::HashMap;
use wasm_encoder::reencode::{Error, Reencode, RoundtripReencoder};
use wasm_encoder::{CodeSection, ConstExpr, DataSection, ExportSection, FunctionSection, GlobalSection, ImportSection};
use wasm_encoder::{Function, Instruction, MemArg, Module};
use wasmparser::{DataKind, FunctionBody, Operator, Parser, Payload};

type OpHook = Box<dyn FnMut(u32, usize, &Operator<'_>) -> Option<Instruction<'static>>>;
type ImportHook = Box<dyn FnMut(&str, &str) -> (String, String)>;
/// Active data segments: `(address, bytes)`.
pub type Segments = Vec<(u32, Vec<u8>)>;
type DataHook = Box<dyn FnMut(Segments) -> Segments>;

/// What to change; everything `None`/empty is copied as it is.
#[derive(Default)]
pub struct Edit {
    /// The new order of the defined functions: `order[new] = old` (positions
    /// among defined functions). Every function index is remapped.
    pub order: Option<Vec<u32>>,
    /// Replaces an operator: `(old function index, operator number, operator)`.
    pub op: Option<OpHook>,
    /// Replaces bodies (old function index -> locals and code bytes).
    pub bodies: HashMap<u32, Vec<u8>>,
    /// Rewrites `(module, field)` of each import.
    pub import: Option<ImportHook>,
    /// Exports to drop, by name.
    pub drop_exports: Vec<String>,
    /// Replaces the active data segments `(address, bytes)`.
    pub data: Option<DataHook>,
    /// Rewrites `i32.const` initializers of globals: `(value, mutable)`.
    pub global_i32: Option<Box<dyn FnMut(i32, bool) -> i32>>,
}

struct Rewriter {
    edit: Edit,
    /// Old function index -> new.
    map: Vec<u32>,
    imported: u32,
    current: u32,
    op_index: usize,
    /// The replacement data segments, computed up front (the data count
    /// section comes first).
    data: Option<Vec<(u32, Vec<u8>)>>,
}

/// Applies `edit` to module `bytes`.
pub fn rewrite(bytes: &[u8], mut edit: Edit) -> Vec<u8> {
    let (imported, defined) = counts(bytes);
    let mut map: Vec<u32> = (0..imported + defined).collect();
    if let Some(order) = &edit.order {
        assert_eq!(order.len() as u32, defined, "order names every defined function");
        for (new, &old) in order.iter().enumerate() {
            map[(imported + old) as usize] = imported + new as u32;
        }
    }
    let data = edit.data.as_mut().map(|hook| hook(active_data(bytes)));
    let mut r = Rewriter { edit, map, imported, current: 0, op_index: 0, data };
    let mut module = Module::new();
    r.parse_core_module(&mut module, Parser::new(0), bytes).expect("reencode");
    let out = module.finish();
    testkit::validate(&out).expect("the rewritten module validates");
    out
}

/// Re-encodes with minimal LEBs everywhere (wasm-encoder's own encoding).
pub fn shorten_lebs(bytes: &[u8]) -> Vec<u8> {
    let mut module = Module::new();
    RoundtripReencoder.parse_core_module(&mut module, Parser::new(0), bytes).expect("reencode");
    module.finish()
}

/// Pads the immediates of `i32.const`, `call`, `global.get`/`set` and
/// `local.get`/`set` in every body to 5-byte LEBs.
pub fn pad_lebs(bytes: &[u8]) -> Vec<u8> {
    let (imported, _) = counts(bytes);
    let mut edit = Edit::default();
    for (d, body) in bodies(bytes).into_iter().enumerate() {
        edit.bodies.insert(imported + d as u32, padded_body(bytes, &body));
    }
    rewrite(bytes, edit)
}

fn padded_body(bytes: &[u8], body: &FunctionBody<'_>) -> Vec<u8> {
    let range = body.range().start as usize..body.range().end as usize;
    let mut ops = body.get_operators_reader().unwrap();
    let code_start = ops.original_position() as usize;
    let mut out = bytes[range.start..code_start].to_vec();
    let mut spans = Vec::new();
    while !ops.eof() {
        let (op, at) = ops.read_with_offset().unwrap();
        spans.push((op, at as usize));
    }
    for (i, (op, at)) in spans.iter().enumerate() {
        let end = spans.get(i + 1).map_or(range.end, |s| s.1);
        let uleb = |out: &mut Vec<u8>, opcode: u8, v: u32| {
            out.push(opcode);
            out.extend((0..5).map(|k| ((v >> (7 * k)) & 0x7f) as u8 | if k < 4 { 0x80 } else { 0 }));
        };
        match op {
            Operator::I32Const { value } => {
                out.push(0x41);
                let v = *value as i64;
                out.extend((0..5).map(|k| ((v >> (7 * k)) & 0x7f) as u8 | if k < 4 { 0x80 } else { 0 }));
            }
            Operator::Call { function_index } => uleb(&mut out, 0x10, *function_index),
            Operator::LocalGet { local_index } => uleb(&mut out, 0x20, *local_index),
            Operator::LocalSet { local_index } => uleb(&mut out, 0x21, *local_index),
            Operator::GlobalGet { global_index } => uleb(&mut out, 0x23, *global_index),
            Operator::GlobalSet { global_index } => uleb(&mut out, 0x24, *global_index),
            _ => out.extend_from_slice(&bytes[*at..end]),
        }
    }
    out
}

/// (imported functions, defined functions).
pub fn counts(bytes: &[u8]) -> (u32, u32) {
    let (mut imported, mut defined) = (0, 0);
    for p in Parser::new(0).parse_all(bytes) {
        match p.unwrap() {
            Payload::ImportSection(r) => {
                for i in r.into_imports() {
                    if matches!(i.unwrap().ty, wasmparser::TypeRef::Func(_)) {
                        imported += 1;
                    }
                }
            }
            Payload::FunctionSection(r) => defined = r.count(),
            _ => {}
        }
    }
    (imported, defined)
}

fn bodies(bytes: &[u8]) -> Vec<FunctionBody<'_>> {
    Parser::new(0)
        .parse_all(bytes)
        .filter_map(|p| match p.unwrap() {
            Payload::CodeSectionEntry(b) => Some(b),
            _ => None,
        })
        .collect()
}

/// The active data segments: `(address, bytes)`.
pub fn active_data(bytes: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let mut out = Vec::new();
    for p in Parser::new(0).parse_all(bytes) {
        if let Payload::DataSection(r) = p.unwrap() {
            for d in r {
                let d = d.unwrap();
                if let DataKind::Active { offset_expr, .. } = d.kind {
                    let mut ops = offset_expr.get_operators_reader();
                    if let Operator::I32Const { value } = ops.read().unwrap() {
                        out.push((value as u32, d.data.to_vec()));
                    }
                }
            }
        }
    }
    out
}

/// The index of the output function named `name` (name section).
pub fn func_index(bytes: &[u8], name: &str) -> u32 {
    for p in Parser::new(0).parse_all(bytes) {
        if let Payload::CustomSection(c) = p.unwrap() {
            if let wasmparser::KnownCustom::Name(r) = c.as_known() {
                for sub in r {
                    if let wasmparser::Name::Function(map) = sub.unwrap() {
                        for n in map {
                            let n = n.unwrap();
                            if n.name == name {
                                return n.index;
                            }
                        }
                    }
                }
            }
        }
    }
    panic!("no function {name}")
}

/// The operators of function `f`.
pub fn operators(bytes: &[u8], f: u32) -> Vec<Operator<'_>> {
    let (imported, _) = counts(bytes);
    let body = bodies(bytes).swap_remove((f - imported) as usize);
    let mut r = body.get_operators_reader().unwrap();
    let mut ops = Vec::new();
    while !r.eof() {
        ops.push(r.read().unwrap());
    }
    ops
}

/// `i32.load` / `i32.store` with a new offset (the tests' programs use no
/// other memory access).
pub fn with_offset(op: &Operator<'_>, offset: u64) -> Option<Instruction<'static>> {
    match op {
        Operator::I32Load { memarg } => Some(Instruction::I32Load(mem_arg(memarg, offset))),
        Operator::I32Store { memarg } => Some(Instruction::I32Store(mem_arg(memarg, offset))),
        _ => None,
    }
}

fn mem_arg(m: &wasmparser::MemArg, offset: u64) -> MemArg {
    RoundtripReencoder.mem_arg(wasmparser::MemArg { offset, ..*m }).unwrap()
}

impl Reencode for Rewriter {
    type Error = std::convert::Infallible;

    fn function_index(&mut self, f: u32) -> Result<u32, Error<Self::Error>> {
        Ok(self.map.get(f as usize).copied().unwrap_or(f))
    }

    fn parse_function_section(
        &mut self,
        functions: &mut FunctionSection,
        section: wasmparser::FunctionSectionReader<'_>,
    ) -> Result<(), Error<Self::Error>> {
        let types: Vec<u32> = section.into_iter().collect::<Result<_, _>>()?;
        for old in self.order(types.len()) {
            functions.function(types[old as usize]);
        }
        Ok(())
    }

    fn parse_code_section(
        &mut self,
        code: &mut CodeSection,
        section: wasmparser::CodeSectionReader<'_>,
    ) -> Result<(), Error<Self::Error>> {
        enum Body {
            Encoded(Function),
            Raw(Vec<u8>),
        }
        let mut encoded: Vec<Body> = Vec::new();
        for (d, body) in section.into_iter().enumerate() {
            let body = body?;
            self.current = self.imported + d as u32;
            self.op_index = 0;
            if let Some(raw) = self.edit.bodies.get(&self.current) {
                encoded.push(Body::Raw(raw.clone()));
                continue;
            }
            let mut f: Function = self.new_function_with_parsed_locals(&body)?;
            let mut reader = body.get_operators_reader()?;
            while !reader.eof() {
                let ins = self.parse_instruction(&mut reader)?;
                f.instruction(&ins);
            }
            encoded.push(Body::Encoded(f));
        }
        for old in self.order(encoded.len()) {
            match &encoded[old as usize] {
                Body::Encoded(f) => code.function(f),
                Body::Raw(raw) => code.raw(raw),
            };
        }
        Ok(())
    }

    fn parse_instruction<'a>(
        &mut self,
        reader: &mut wasmparser::OperatorsReader<'a>,
    ) -> Result<Instruction<'a>, Error<Self::Error>> {
        let op = reader.read()?;
        let i = self.op_index;
        self.op_index += 1;
        if let Some(hook) = &mut self.edit.op {
            if let Some(ins) = hook(self.current, i, &op) {
                return Ok(ins);
            }
        }
        self.instruction(op)
    }

    fn parse_import_section(
        &mut self,
        imports: &mut ImportSection,
        section: wasmparser::ImportSectionReader<'_>,
    ) -> Result<(), Error<Self::Error>> {
        for import in section.into_imports() {
            let import = import?;
            let (m, f) = match &mut self.edit.import {
                Some(hook) => hook(import.module, import.name),
                None => (import.module.to_string(), import.name.to_string()),
            };
            let ty = self.entity_type(import.ty)?;
            imports.import(&m, &f, ty);
        }
        Ok(())
    }

    fn parse_export(&mut self, exports: &mut ExportSection, export: wasmparser::Export<'_>) -> Result<(), Error<Self::Error>> {
        if self.edit.drop_exports.iter().any(|n| n == export.name) {
            return Ok(());
        }
        let kind = self.export_kind(export.kind)?;
        let index = self.external_index(export.kind, export.index)?;
        exports.export(export.name, kind, index);
        Ok(())
    }

    fn parse_global(&mut self, globals: &mut GlobalSection, global: wasmparser::Global<'_>) -> Result<(), Error<Self::Error>> {
        let ty = self.global_type(global.ty)?;
        let value = match global.init_expr.get_operators_reader().read()? {
            Operator::I32Const { value } => Some(value),
            _ => None,
        };
        match (value, &mut self.edit.global_i32) {
            (Some(v), Some(hook)) => {
                globals.global(ty, &ConstExpr::i32_const(hook(v, global.ty.mutable)));
            }
            _ => {
                let init = self.const_expr(global.init_expr)?;
                globals.global(ty, &init);
            }
        }
        Ok(())
    }

    fn parse_custom_name_subsection(
        &mut self,
        names: &mut wasm_encoder::NameSection,
        section: wasmparser::Name<'_>,
    ) -> Result<(), Error<Self::Error>> {
        match section {
            // Remapped names are sorted again (the format requires it).
            wasmparser::Name::Function(map) => {
                let mut list: Vec<(u32, String)> = Vec::new();
                for n in map {
                    let n = n?;
                    list.push((self.function_index(n.index)?, n.name.to_string()));
                }
                list.sort();
                let mut out = wasm_encoder::NameMap::new();
                for (i, name) in &list {
                    out.append(*i, name);
                }
                names.functions(&out);
                Ok(())
            }
            other => wasm_encoder::reencode::utils::parse_custom_name_subsection(self, names, other),
        }
    }

    fn data_count(&mut self, count: u32) -> Result<u32, Error<Self::Error>> {
        Ok(self.data.as_ref().map_or(count, |d| d.len() as u32))
    }

    fn parse_data_section(&mut self, data: &mut DataSection, section: wasmparser::DataSectionReader<'_>) -> Result<(), Error<Self::Error>> {
        match &self.data {
            Some(segments) => {
                for (address, bytes) in segments {
                    data.active(0, &ConstExpr::i32_const(*address as i32), bytes.iter().copied());
                }
            }
            None => {
                for d in section {
                    self.parse_data(data, d?)?;
                }
            }
        }
        Ok(())
    }
}

impl Rewriter {
    /// Old positions in new order.
    fn order(&self, n: usize) -> Vec<u32> {
        self.edit.order.clone().unwrap_or_else(|| (0..n as u32).collect())
    }
}
