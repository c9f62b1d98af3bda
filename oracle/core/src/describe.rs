//! What a linked module offers and needs, read with wasmparser alone.
//!
//! This never uses refld's reading code (a shared bug would hide itself).

use crate::dylink::{read_dylink, Dylink};
use serde::Serialize;
use wasmparser::{
    CompositeInnerType, ExternalKind, FuncType, Parser, Payload, RefType, TableType, TypeRef, ValType, Validator,
};

/// Imports and exports of a module, in section order.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ModuleSummary {
    pub imports: Vec<Import>,
    pub exports: Vec<Export>,
    /// `None` when wasmparser's validator (default features) accepts the
    /// module, else its message.
    pub invalid: Option<String>,
    /// The `dylink.0` section of a position-independent module.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dylink: Option<Dylink>,
}

/// One entry of the import section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Import {
    /// Import module name (`env`, `wasi_snapshot_preview1`).
    pub module: String,
    /// Import field name.
    pub name: String,
    /// The type rendered by [`render_type_ref`]: `func (i32, i32) -> i32`,
    /// `memory min 1`, `table funcref min 0`, `global mut i32`, `tag (i32)`.
    pub ty: String,
}

/// One entry of the export section.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Export {
    pub name: String,
    /// `func`, `table`, `memory`, `global` or `tag`.
    pub kind: String,
    /// The part of the type that does not depend on layout: the signature of
    /// a function (`func (i32) -> i32`), the type of a global
    /// (`global mut i32`), `table funcref`; for a memory just `memory`.
    pub ty: String,
}

/// Why a module could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DescribeError(pub String);

impl std::fmt::Display for DescribeError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "unreadable module: {}", self.0)
    }
}

impl std::error::Error for DescribeError {}

/// Reads imports and exports of a core module, and validates it.
///
/// Errors when the bytes cannot be parsed (not a module, truncated
/// sections); a module that parses but fails validation is described with
/// [`ModuleSummary::invalid`] set.
pub fn describe(bytes: &[u8]) -> Result<ModuleSummary, DescribeError> {
    let err = |e: wasmparser::BinaryReaderError| DescribeError(e.to_string());
    let mut summary = ModuleSummary::default();
    // Per type index: the function type, if it is one.
    let mut types: Vec<Option<FuncType>> = Vec::new();
    // Per function index: its type index.
    let mut funcs: Vec<u32> = Vec::new();
    let mut globals: Vec<String> = Vec::new();
    let mut tables: Vec<TableType> = Vec::new();
    let mut tags: Vec<u32> = Vec::new();
    let mut raw_exports: Vec<(String, ExternalKind, u32)> = Vec::new();

    for payload in Parser::new(0).parse_all(bytes) {
        match payload.map_err(err)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(err)?.into_types() {
                        types.push(match sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(err)?;
                    match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => funcs.push(t),
                        TypeRef::Global(g) => globals.push(render_global(g.content_type, g.mutable)),
                        TypeRef::Table(t) => tables.push(t),
                        TypeRef::Tag(t) => tags.push(t.func_type_idx),
                        TypeRef::Memory(_) => {}
                    }
                    summary.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        ty: render_type_ref(&import.ty, &types),
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for t in reader {
                    funcs.push(t.map_err(err)?);
                }
            }
            Payload::TableSection(reader) => {
                for t in reader {
                    tables.push(t.map_err(err)?.ty);
                }
            }
            Payload::GlobalSection(reader) => {
                for g in reader {
                    let g = g.map_err(err)?.ty;
                    globals.push(render_global(g.content_type, g.mutable));
                }
            }
            Payload::TagSection(reader) => {
                for t in reader {
                    tags.push(t.map_err(err)?.func_type_idx);
                }
            }
            Payload::ExportSection(reader) => {
                for e in reader {
                    let e = e.map_err(err)?;
                    raw_exports.push((e.name.to_string(), e.kind, e.index));
                }
            }
            _ => {}
        }
    }

    for (name, kind, index) in raw_exports {
        let i = index as usize;
        let (kind, ty) = match kind {
            ExternalKind::Func | ExternalKind::FuncExact => {
                ("func", funcs.get(i).map_or_else(|| "func ?".into(), |&t| render_func_index(t, &types)))
            }
            ExternalKind::Table => ("table", tables.get(i).map_or_else(|| "table ?".into(), |t| format!("table {}", render_ref(t.element_type)))),
            ExternalKind::Memory => ("memory", "memory".to_string()),
            ExternalKind::Global => ("global", globals.get(i).cloned().unwrap_or_else(|| "global ?".into())),
            ExternalKind::Tag => ("tag", tags.get(i).map_or_else(|| "tag ?".into(), |&t| render_tag(t, &types))),
        };
        summary.exports.push(Export { name, kind: kind.into(), ty });
    }

    summary.invalid = Validator::new().validate_all(bytes).err().map(|e| e.to_string());
    summary.dylink = read_dylink(bytes).map_err(DescribeError)?;
    Ok(summary)
}

/// Renders an import's type; `types` are the module's types so far.
pub fn render_type_ref(ty: &TypeRef, types: &[Option<FuncType>]) -> String {
    match ty {
        TypeRef::Func(t) | TypeRef::FuncExact(t) => render_func_index(*t, types),
        TypeRef::Table(t) => {
            let mut s = format!("table {}{} min {}", if t.table64 { "i64 " } else { "" }, render_ref(t.element_type), t.initial);
            if let Some(max) = t.maximum {
                s += &format!(" max {max}");
            }
            s
        }
        TypeRef::Memory(m) => {
            let mut s = format!("memory {}min {}", if m.memory64 { "i64 " } else { "" }, m.initial);
            if let Some(max) = m.maximum {
                s += &format!(" max {max}");
            }
            if m.shared {
                s += " shared";
            }
            if let Some(log2) = m.page_size_log2 {
                s += &format!(" pagesize 2^{log2}");
            }
            s
        }
        TypeRef::Global(g) => render_global(g.content_type, g.mutable),
        TypeRef::Tag(t) => render_tag(t.func_type_idx, types),
    }
}

/// `func (i32, i32) -> i32`, `func ()`, `func (f64) -> (i32, i32)`.
pub fn render_func(f: &FuncType) -> String {
    let list = |v: &[ValType]| v.iter().map(|t| render_val(*t)).collect::<Vec<_>>().join(", ");
    match f.results() {
        [] => format!("func ({})", list(f.params())),
        [one] => format!("func ({}) -> {}", list(f.params()), render_val(*one)),
        many => format!("func ({}) -> ({})", list(f.params()), list(many)),
    }
}

fn render_func_index(t: u32, types: &[Option<FuncType>]) -> String {
    match types.get(t as usize) {
        Some(Some(f)) => render_func(f),
        _ => format!("func type#{t}"),
    }
}

fn render_tag(t: u32, types: &[Option<FuncType>]) -> String {
    match types.get(t as usize) {
        Some(Some(f)) => format!("tag ({})", f.params().iter().map(|v| render_val(*v)).collect::<Vec<_>>().join(", ")),
        _ => format!("tag type#{t}"),
    }
}

fn render_global(t: ValType, mutable: bool) -> String {
    format!("global {}{}", if mutable { "mut " } else { "" }, render_val(t))
}

fn render_val(t: ValType) -> String {
    match t {
        ValType::Ref(r) => render_ref(r),
        other => other.to_string(),
    }
}

fn render_ref(r: RefType) -> String {
    if r == RefType::FUNCREF {
        "funcref".into()
    } else if r == RefType::EXTERNREF {
        "externref".into()
    } else {
        format!("{r:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_encoder::{
        CodeSection, EntityType, ExportKind, ExportSection, Function, FunctionSection, ImportSection, MemoryType,
        Module, TypeSection, ValType as V,
    };

    #[test]
    fn imports_and_exports() {
        let mut m = Module::new();
        let mut t = TypeSection::new();
        t.ty().function([V::I32, V::I32], [V::I32]);
        t.ty().function([], []);
        m.section(&t);
        let mut i = ImportSection::new();
        i.import("env", "add", EntityType::Function(0));
        i.import(
            "env",
            "memory",
            EntityType::Memory(MemoryType { minimum: 2, maximum: None, memory64: false, shared: false, page_size_log2: None }),
        );
        m.section(&i);
        let mut f = FunctionSection::new();
        f.function(1);
        m.section(&f);
        let mut e = ExportSection::new();
        e.export("_start", ExportKind::Func, 1);
        e.export("memory", ExportKind::Memory, 0);
        m.section(&e);
        let mut c = CodeSection::new();
        let mut body = Function::new([]);
        body.instructions().end();
        c.function(&body);
        m.section(&c);
        let s = describe(&m.finish()).unwrap();
        assert_eq!(s.invalid, None);
        assert_eq!(s.imports[0].ty, "func (i32, i32) -> i32");
        assert_eq!(s.imports[1].ty, "memory min 2");
        assert_eq!((s.exports[0].name.as_str(), s.exports[0].kind.as_str(), s.exports[0].ty.as_str()), ("_start", "func", "func ()"));
        assert_eq!(s.exports[1].ty, "memory");
    }

    #[test]
    fn garbage_is_an_error() {
        assert!(describe(b"\0asm\x01\0\0\0\x01\x05").is_err());
    }
}
