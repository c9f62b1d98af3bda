//! Encoded objects validate and read back through wasmparser (and wabt's
//! wasm-objdump) exactly as the model says.

use linkcheck_object::{
    dump, encode, flags, section_indices, segment_flags, Body, ComdatKind, ComdatMember, ComdatModel, FeatureModel,
    FuncSig, ObjectModel, ProducerField, RelocType, ValTypeModel,
};
use wasmparser::RelocationType as R;

use super::programs::{lib_object, main_object, reloc, v_i};
use super::tools::{read_back, site_value};
use testkit::{assert_valid, wasm_objdump};

#[test]
fn main_object_sections_symbols_and_code_relocations() {
    let model = main_object();
    let bytes = encode(&model);
    assert_valid(&bytes);
    let rb = read_back(&bytes);

    let names: Vec<String> =
        rb.sections.iter().map(|(id, n, _)| if *id == 0 { n.clone() } else { id.to_string() }).collect();
    assert_eq!(names, ["1", "2", "3", "10", "my_meta", "linking", "reloc.CODE", "reloc.my_meta"]);
    assert_eq!(rb.linking_version, Some(2));
    assert_eq!(rb.subsections, [8]);

    // Every symbol as the model has it; names only where the format has them.
    assert_eq!(rb.symbols.len(), model.symbols.len());
    for (i, (got, want)) in rb.symbols.iter().zip(&model.symbols).enumerate() {
        assert_eq!((got.kind, got.flags), (want.kind.code(), want.flags), "symbol {i}");
        assert_eq!(got.name.as_deref(), model.symbol_name(i as u32).as_deref().filter(|_| got.name.is_some()));
    }
    let helper = model.symbol_index("helper").unwrap() as usize;
    assert_eq!(rb.symbols[helper].flags, flags::UNDEFINED | flags::EXPLICIT_NAME);
    assert_eq!(rb.symbols[helper].name.as_deref(), Some("helper"));
    let table = model.symbol_index("__indirect_function_table").unwrap() as usize;
    assert_eq!((rb.symbols[table].kind, rb.symbols[table].name.clone()), (5, None));
    let callee = model.symbol_index("callee").unwrap() as usize;
    assert_eq!((rb.symbols[callee].name.clone(), rb.symbols[callee].index), (None, 1));
    let main = model.symbol_index("main").unwrap() as usize;
    assert_eq!((rb.symbols[main].name.as_deref(), rb.symbols[main].index), (Some("main"), 2));

    // reloc.CODE targets the code section; each site holds the provisional
    // value right after the opcode that owns it.
    let code = rb.position(10, "").unwrap();
    assert_eq!(section_indices(&model).code, Some(code));
    let (name, target, entries) = &rb.relocs[0];
    assert_eq!((name.as_str(), *target), ("reloc.CODE", code));
    let types: Vec<R> = entries.iter().map(|e| e.ty).collect();
    use R::*;
    #[rustfmt::skip]
    let want = [FunctionIndexLeb, MemoryAddrSleb, MemoryAddrSleb, TableIndexSleb, TypeIndexLeb, TableNumberLeb,
        MemoryAddrSleb, MemoryAddrSleb, TypeIndexLeb, TableNumberLeb, GlobalIndexLeb, MemoryAddrLeb];
    assert_eq!(types, want);
    let payload = rb.payload(&bytes, code);
    let sp = model.symbol_index("__stack_pointer").unwrap();
    for e in entries {
        let before = payload[e.offset as usize - 1];
        let (opcode, value) = match e.ty {
            FunctionIndexLeb => (0x10, model.symbols[e.index as usize].index as i64),
            MemoryAddrSleb | TableIndexSleb => (0x41, e.addend),
            TypeIndexLeb => (0x11, e.index as i64),
            TableNumberLeb => (before, 0),
            GlobalIndexLeb => (0x23, 0),
            MemoryAddrLeb => (0x02, e.addend),
            other => panic!("unexpected {other:?}"),
        };
        assert_eq!(before, opcode, "{e:?}");
        assert_eq!(site_value(payload, e), value, "{e:?}");
        if e.ty == TableNumberLeb {
            assert_eq!(payload[e.offset as usize - 5 - 1], 0x11, "table number follows the type index");
        }
    }
    assert_eq!(entries[10].index, sp);
    assert_eq!(entries[7].addend, 4);
    assert_eq!(entries[11].addend, 4);

    // reloc.my_meta: offsets from the first byte after the name.
    let meta = rb.position(0, "my_meta").unwrap();
    assert_eq!(section_indices(&model).custom, [meta]);
    let meta_relocs = rb.relocs_of("my_meta");
    let got: Vec<_> = meta_relocs.iter().map(|e| (e.ty, e.offset, e.addend)).collect();
    assert_eq!(got, [(MemoryAddrI32, 0, 4), (FunctionIndexI32, 4, 0)]);
    let meta_payload = rb.payload(&bytes, meta);
    assert_eq!(meta_payload.len(), 8);
    assert_eq!(site_value(meta_payload, &meta_relocs[0]), 4);
    assert_eq!(site_value(meta_payload, &meta_relocs[1]), 2);
}

#[test]
fn lib_object_segments_and_data_relocations() {
    let model = lib_object();
    let bytes = encode(&model);
    assert_valid(&bytes);
    let rb = read_back(&bytes);
    assert_eq!(rb.subsections, [8, 5]);
    let segs: Vec<(&str, u32)> = rb.segments.iter().map(|(n, a, _)| (n.as_str(), *a)).collect();
    assert_eq!(segs, [(".data.value", 2), (".rodata.arr", 3), (".data.ptrs", 3)]);
    let data_syms: Vec<_> = rb.symbols.iter().filter(|s| s.kind == 1).map(|s| s.data.unwrap()).collect();
    assert_eq!(data_syms, [(0, 0, 4), (1, 0, 8), (2, 0, 8)]);

    // Active segments at their aligned running offsets: 0, 8, 16.
    let mut segment_data = Vec::new();
    for p in wasmparser::Parser::new(0).parse_all(&bytes) {
        if let wasmparser::Payload::DataSection(reader) = p.unwrap() {
            for d in reader {
                let d = d.unwrap();
                let wasmparser::DataKind::Active { offset_expr, .. } = d.kind else { panic!("passive") };
                let op = offset_expr.get_operators_reader().read().unwrap();
                let wasmparser::Operator::I32Const { value } = op else { panic!("{op:?}") };
                segment_data.push((value, d.range.end as usize - d.data.len()));
            }
        }
    }
    assert_eq!(segment_data.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 8, 16]);

    let data = rb.position(11, "").unwrap();
    assert_eq!(section_indices(&model).data, Some(data));
    let (name, target, entries) = &rb.relocs[0];
    assert_eq!((name.as_str(), *target), ("reloc.DATA", data));
    let payload_start = rb.sections[data as usize].2.start;
    let ptrs_start = (segment_data[2].1 - payload_start) as u32;
    let got: Vec<_> = entries.iter().map(|e| (e.ty, e.offset - ptrs_start, e.addend)).collect();
    assert_eq!(got, [(R::MemoryAddrI32, 0, 4), (R::TableIndexI32, 4, 0)]);
    let payload = rb.payload(&bytes, data);
    assert_eq!(site_value(payload, &entries[0]), 8 + 4, "provisional: arr's offset in the object + 4");
    assert_eq!(site_value(payload, &entries[1]), 0);
    let callee2 = rb.symbols.iter().position(|s| s.name.as_deref() == Some("callee2")).unwrap();
    assert_eq!(entries[1].index as usize, callee2);
    assert_eq!(rb.symbols[callee2].flags, flags::VISIBILITY_HIDDEN);
}

/// Every other part of the model: globals, tags, locals, passive and
/// zero-filled segments, INIT_FUNCS, COMDAT_INFO, section symbols,
/// producers, target_features, JSON round trip and the dump.
#[test]
fn all_parts_read_back() {
    let mut m = ObjectModel::new();
    m.import_memory();
    let ext_tag_ty = m.add_type(FuncSig::new(&[ValTypeModel::I32], &[]));
    m.add_import("env", "ext_tag", linkcheck_object::ImportKind::Tag { type_index: ext_tag_ty });
    m.tags.push(ext_tag_ty);
    let g = m.define_global("counter", ValTypeModel::I64, true, -7, flags::BINDING_LOCAL);
    let ext = m.undefined_global("ext_g", "host", "g", ValTypeModel::F64, false, flags::BINDING_WEAK);
    let mut body = Body::new();
    body.local_get(0).local_get(1).i32_add().local_set(2).local_get(2);
    let f = m.define_func("ctor", FuncSig::new(&[ValTypeModel::I32; 2], &[ValTypeModel::I32]), body, 0);
    m.functions[0].locals = vec![ValTypeModel::I32, ValTypeModel::I32, ValTypeModel::F32];
    let mut ctor2 = Body::new();
    ctor2.nop();
    let f2 = m.define_func("ctor2", FuncSig::default(), ctor2, flags::NO_STRIP);
    let bss = m.define_bss("zeroes", ".bss.zeroes", 4096, 0);
    m.segments[0].flags = segment_flags::RETAIN;
    let tls = m.define_data("tls_v", ".tdata.v", b"abc\0", flags::TLS);
    m.segments[1].flags = segment_flags::TLS | segment_flags::STRINGS;
    m.segments[1].passive = true;
    m.add_init_func(65535, f);
    m.add_init_func(101, f2);
    m.comdats.push(ComdatModel {
        name: "group".into(),
        members: vec![
            ComdatMember { kind: ComdatKind::Function, index: 0 },
            ComdatMember { kind: ComdatKind::Data, index: 1 },
        ],
    });
    let dbg = m.add_custom_section(".debug_info", &[0; 12]);
    let dbg_section = section_indices(&m).custom[dbg];
    let sec = m.section_symbol(dbg_section, flags::BINDING_LOCAL);
    m.custom_sections[dbg].relocs.push(reloc(RelocType::SectionOffsetI32, 0, sec, 3));
    m.custom_sections[dbg].relocs.push(reloc(RelocType::FunctionOffsetI32, 4, f, 1));
    m.custom_sections[dbg].relocs.push(reloc(RelocType::GlobalIndexI32, 8, g, 0));
    m.producers.push(ProducerField { name: "processed-by".into(), values: vec![("objgen".into(), "1".into())] });
    m.features.push(FeatureModel { prefix: '+', name: "mutable-globals".into() });
    m.features.push(FeatureModel { prefix: '-', name: "atomics".into() });

    let bytes = encode(&m);
    assert_valid(&bytes);
    let rb = read_back(&bytes);
    assert_eq!(rb.subsections, [8, 5, 6, 7]);
    assert_eq!(rb.init_funcs, [(65535, f), (101, f2)]);
    assert_eq!(rb.comdats, [("group".to_string(), vec![(1, 0), (0, 1)])]);
    assert_eq!(rb.segments[0], (".bss.zeroes".into(), 3, segment_flags::RETAIN));
    assert_eq!(rb.segments[1].2, segment_flags::TLS | segment_flags::STRINGS);
    assert_eq!(rb.symbols[bss as usize].data, Some((0, 0, 4096)));
    assert_eq!(rb.symbols[tls as usize].flags, flags::TLS);
    assert_eq!((rb.symbols[sec as usize].kind, rb.symbols[sec as usize].index), (3, dbg_section));
    assert_eq!(rb.position(0, ".debug_info"), Some(dbg_section));
    assert_eq!(rb.symbols[g as usize].index, 1, "defined global after the import");
    assert_eq!((rb.symbols[ext as usize].index, rb.symbols[ext as usize].name.as_deref()), (0, Some("ext_g")));
    assert_eq!(rb.symbols[ext as usize].flags, flags::UNDEFINED | flags::EXPLICIT_NAME | flags::BINDING_WEAK);
    let dbg_relocs = rb.relocs_of(".debug_info");
    let got: Vec<_> = dbg_relocs.iter().map(|e| (e.ty, e.offset, e.index, e.addend)).collect();
    assert_eq!(got, [(R::SectionOffsetI32, 0, sec, 3), (R::FunctionOffsetI32, 4, f, 1), (R::GlobalIndexI32, 8, g, 0)]);
    assert_eq!(site_value(rb.payload(&bytes, dbg_section), &dbg_relocs[2]), 1);

    let mut producers = None;
    let mut features = None;
    for p in wasmparser::Parser::new(0).parse_all(&bytes) {
        if let wasmparser::Payload::CustomSection(c) = p.unwrap() {
            match c.name() {
                "producers" => {
                    let r =
                        wasmparser::ProducersSectionReader::new(wasmparser::BinaryReader::new(c.data(), 0)).unwrap();
                    let f = r.into_iter().next().unwrap().unwrap();
                    let v = f.values.into_iter().next().unwrap().unwrap();
                    producers = Some((f.name.to_string(), v.name.to_string(), v.version.to_string()));
                }
                "target_features" => features = Some(c.data().to_vec()),
                _ => {}
            }
        }
    }
    assert_eq!(producers, Some(("processed-by".into(), "objgen".into(), "1".into())));
    assert_eq!(features.unwrap(), b"\x02+\x0fmutable-globals-\x07atomics");
    let names: Vec<&str> = rb.sections.iter().filter(|s| s.0 == 0).map(|s| s.1.as_str()).collect();
    assert_eq!(names, [".debug_info", "linking", "reloc..debug_info", "producers", "target_features"]);

    let json = serde_json::to_string(&m).unwrap();
    let back: ObjectModel = serde_json::from_str(&json).unwrap();
    assert_eq!(back, m);
    assert_eq!(encode(&back), bytes);
    let minimal: ObjectModel = serde_json::from_str("{}").unwrap();
    assert_eq!(minimal, ObjectModel::new());
    assert_eq!(minimal.linking_version, 2);

    let text = dump(&m);
    for needle in [
        "symbol 0 global \"counter\" index 1 [LOCAL]",
        "symbol 1 global \"ext_g\" index 0 [WEAK|UNDEFINED|EXPLICIT_NAME]",
        "segment 0 \".bss.zeroes\": align 2^3 flags 0x4 size 4096:  +4096 zeros",
        "init priority 101 sym 3 (ctor2)",
        "[SECTION_OFFSET_I32 sym 6 (.debug_info)+3]",
        "symbol 6 section \".debug_info\" index 8 [LOCAL]",
        "func 0: type 1 locals [i32, i32, f32]: 20 00 20 01 6a 21 02 20 02 (+end)",
    ] {
        assert!(text.contains(needle), "{needle:?} not in dump:\n{text}");
    }
}

#[test]
fn dump_marks_code_relocation_sites() {
    let text = dump(&main_object());
    let func = text.lines().find(|l| l.starts_with("func 2:")).unwrap();
    assert!(
        func.starts_with("func 2: type 0 locals []: 10 [FUNCTION_INDEX_LEB sym 2 (helper)] 41 [MEMORY_ADDR_SLEB sym 4 (value)] 28 02 00 6a"),
        "{func}"
    );
    assert!(func.contains("41 [MEMORY_ADDR_SLEB sym 6 (ptrs)+4] 28 02 00 11 [TYPE_INDEX_LEB type 0] [TABLE_NUMBER_LEB sym 0 (__indirect_function_table)]"), "{func}");
    assert!(func.ends_with("28 02 [MEMORY_ADDR_LEB sym 5 (arr)+4] 6a 0b"), "{func}");
    assert!(text.contains("symbol 2 function \"helper\" index 0 [UNDEFINED|EXPLICIT_NAME]"), "{text}");
    assert!(text.contains("import 0 env.ext_helper: func type 0"), "{text}");
}

/// wabt reads the same symbols, segments and relocations, at the offsets
/// wasmparser reads.
#[test]
fn wasm_objdump_reads_objects() {
    let (a, b) = (encode(&main_object()), encode(&lib_object()));
    let dir = super::tools::folder(&[("a.o", &a), ("b.o", &b)]);
    let objdump = |file: &str| {
        let out =
            std::process::Command::new(wasm_objdump()).current_dir(dir.path()).args(["-x", file]).output().unwrap();
        assert!(out.status.success(), "wasm-objdump {file}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let check = |text: &str, bytes: &[u8], section: &str, needles: &[&str]| {
        for e in read_back(bytes).relocs_of(section) {
            let line = format!("R_WASM_{} offset=0x{:06x}", wabt_name(e.ty), e.offset);
            assert!(text.contains(&line), "{line:?} not in wasm-objdump -x:\n{text}");
        }
        for needle in needles {
            assert!(text.contains(needle), "{needle:?} not in wasm-objdump -x:\n{text}");
        }
    };
    check(
        &objdump("a.o"),
        &a,
        "CODE",
        &[
            "- 0: T <env.__indirect_function_table> table=0 [ undefined no_strip binding=global",
            "- 1: G <env.__stack_pointer> global=0 [ undefined binding=global",
            "- 2: F <helper> func=0 [ undefined explicit_name binding=global",
            "- 7: F <main> func=2 [ binding=global",
            "func[0] sig=0 <helper> <- env.ext_helper",
            "R_WASM_MEMORY_ADDR_SLEB offset=0x00003d(file=0x0000c3) symbol=6 <ptrs>+0x4",
            "R_WASM_MEMORY_ADDR_I32 offset=00000000(file=0x000174) symbol=5 <arr>+0x4",
        ],
    );
    check(
        &objdump("b.o"),
        &b,
        "DATA",
        &[
            "segment[1] <.rodata.arr> memory=0 size=8 - init i32=8",
            "3: F <callee2> func=2 [ binding=global vis=hidden ]",
        ],
    );
    let _ = v_i();
}

/// wabt's spelling of a relocation type (LLVM's name without `R_WASM_`).
fn wabt_name(ty: R) -> String {
    let ours = RelocType::from_code(ty as u8).name();
    ours.trim_start_matches("R_WASM_").to_string()
}

#[test]
fn exports_and_raw_global_initializers_read_back() {
    // What a split of a module needs: an export section entry, a v128
    // global and a global whose initializer is written as it is.
    let mut m = ObjectModel::default();
    let mut body = Body::new();
    body.i32_const(1);
    let f = m.define_func("f", v_i(), body, 0);
    let function = m.symbols[f as usize].index;
    m.exports.push(linkcheck_object::ExportModel { name: "exported_f".into(), index: function });
    m.define_global("wide", ValTypeModel::V128, false, 7, 0);
    m.define_global("sum", ValTypeModel::I32, false, 0, 0);
    // i32.const 40; i32.const 2; i32.add (extended constants).
    m.globals[1].init_expr = Some(vec![0x41, 40, 0x41, 2, 0x6a]);
    let bytes = encode(&m);
    testkit::validate_all_features(&bytes).expect("the object validates");
    let rb = read_back(&bytes);
    let ids: Vec<u8> = rb.sections.iter().map(|(id, _, _)| *id).collect();
    assert_eq!(&ids[..5], [1, 3, 6, 7, 10], "type, function, global, export, code");
    assert_eq!(section_indices(&m).code, rb.position(10, ""));
    let mut exports = Vec::new();
    let mut inits = Vec::new();
    for payload in wasmparser::Parser::new(0).parse_all(&bytes) {
        match payload.expect("payload") {
            wasmparser::Payload::ExportSection(r) => {
                exports.extend(r.into_iter().map(|e| e.map(|e| (e.name.to_string(), e.index)).expect("export")))
            }
            wasmparser::Payload::GlobalSection(r) => {
                for g in r {
                    let g = g.expect("global");
                    let range = g.init_expr.get_binary_reader().range();
                    inits.push(bytes[range.start as usize..range.end as usize].to_vec());
                }
            }
            _ => {}
        }
    }
    assert_eq!(exports, [("exported_f".to_string(), function)]);
    let lanes = 7u128 | 7u128 << 64;
    let mut v128 = vec![0xfd, 0x0c];
    v128.extend_from_slice(&lanes.to_le_bytes());
    v128.push(0x0b);
    assert_eq!(inits, [v128, vec![0x41, 40, 0x41, 2, 0x6a, 0x0b]]);
    assert!(dump(&m).contains("export \"exported_f\": func 0"), "{}", dump(&m));
}
