//! Layout (LAY-*, MEM-*), relocations (REL-*), custom sections (OUT-*).

use crate::support::*;

/// `t_NAME`: `call_indirect` through the table slot of `NAME`.
fn call_through_table(m: &mut ObjectModel, run: &str, target: u32) {
    let table = m.import_table();
    let ty = m.add_type(sig_i32());
    let mut b = Body::new();
    b.i32_const_table(target).call_indirect(ty, Some(table));
    m.define_func(run, sig_i32(), b, 0);
}

#[test]
fn table_slots_for_address_taken_functions() {
    // f1, f2 have their address taken (f1 twice, f2 also from data); f3
    // is only called.
    let mut m = obj();
    let f1 = m.define_func("f1", sig_i32(), ret(11), 0);
    let f2 = m.define_func("f2", sig_i32(), ret(22), 0);
    let f3 = m.define_func("f3", sig_i32(), ret(33), 0);
    call_through_table(&mut m, "t1", f1);
    call_through_table(&mut m, "t1b", f1);
    call_through_table(&mut m, "t2", f2);
    m.define_func("c3", sig_i32(), calls(f3), 0);
    let p = m.define_data("p", ".data.p", &[0; 4], 0);
    m.add_data_reloc(m.segment_of(p).unwrap(), 0, RelocType::TableIndexI32, f2, 0);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(p, 0);
    m.define_func("p2", sig_i32(), b, 0);
    let inputs = [("a.o", encode(&m))];
    let exports = ["--no-entry", "--export=t1", "--export=t1b", "--export=t2", "--export=c3", "--export=p2"];
    for (base, extra) in [(1, None), (5, Some("--table-base=5")), (1, Some("--table-base=0"))] {
        let mut args = exports.to_vec();
        args.extend(extra);
        let out = both_ok(&inputs, &args);
        // REL-TABLE: the calls reach the right functions.
        assert_eq!(run_both(&out, "t1"), Ok(11));
        assert_eq!(run_both(&out, "t1b"), Ok(11));
        assert_eq!(run_both(&out, "t2"), Ok(22));
        assert_eq!(run_both(&out, "c3"), Ok(33));
        for bytes in [&out.0, &out.1] {
            // LAY-TABLE: slots from the base, one per address-taken
            // function; min = max = size.
            let s = summary(bytes);
            let size = base as u64 + 2;
            assert_eq!(s.table, Some((size, Some(size))));
            assert_eq!(s.elements.len(), 1);
            let (offset, funcs) = &s.elements[0];
            assert_eq!(*offset, base);
            let mut names: Vec<&str> = funcs.iter().map(|f| s.func_names[f].as_str()).collect();
            names.sort();
            assert_eq!(names, ["f1", "f2"]);
            let slot_f2 = base + funcs.iter().position(|f| s.func_names[f] == "f2").unwrap() as i32;
            assert_eq!(run_export(bytes, "p2", &[]), Ok(slot_f2));
        }
    }
}

#[test]
fn segments_merge_by_prefix() {
    let mut a = obj();
    a.define_data("da", ".data.a", &[1; 4], 0);
    a.define_data("ra", ".rodata.a", &[2; 4], 0);
    a.define_bss("za", ".bss.a", 4, 0);
    a.define_data("db", ".data.b", &[3; 4], 0);
    a.define_data("ma", "mysec", &[4; 4], 0);
    let mut b = obj();
    b.define_data("dc", ".data.c", &[5; 4], 0);
    b.define_data("rb", ".rodata.b", &[6; 4], 0);
    b.define_func("run", sig_i32(), ret(0), 0);
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    let base = ["--no-entry", "--export=run", "--no-gc-sections", "--no-stack-first"];
    let (r, lld) = both_ok(&inputs, &base);
    for bytes in [&r, &lld] {
        let s = summary(bytes);
        // MEM-NAME, MEM-ORDER: `.rodata`, `.data`, `mysec`; OUT-BSS: the
        // `.bss` after them is not written.
        assert_eq!(s.data_names, [".rodata", ".data", "mysec"]);
        assert_eq!(
            s.data,
            [(1024, [[2; 4], [6; 4]].concat()), (1032, [[1; 4], [3; 4], [5; 4]].concat()), (1044, vec![4; 4])]
        );
    }
    // OUT-BSS: with an imported memory `.bss` is written.
    let mut args = base.to_vec();
    args.push("--import-memory");
    let (r, lld) = both_ok(&inputs, &args);
    for bytes in [&r, &lld] {
        let s = summary(bytes);
        assert_eq!(s.data_names, [".rodata", ".data", "mysec", ".bss"]);
        assert_eq!(s.data[3], (1048, vec![0; 4]));
    }
}

/// An object with 8 bytes of data `d`; `get_d` returns its address,
/// `get_sp` the initial `__stack_pointer`.
fn layout_object() -> Vec<u8> {
    let mut m = obj();
    let d = m.define_data("d", ".data.d", &[7; 8], 0);
    let mut b = Body::new();
    b.i32_const_addr(d, 0);
    m.define_func("get_d", sig_i32(), b, 0);
    let sp = m.import_stack_pointer();
    let mut b = Body::new();
    b.global_get(sp);
    m.define_func("get_sp", sig_i32(), b, 0);
    encode(&m)
}

const LAYOUT_ARGS: [&str; 3] = ["--no-entry", "--export=get_d", "--export=get_sp"];

/// Links the layout object with `extra`; returns (d, sp, memory limits).
fn layout(extra: &[&str]) -> (i32, i32, Option<(u64, Option<u64>)>) {
    let mut args = LAYOUT_ARGS.to_vec();
    args.extend(extra);
    let out = both_ok(&[("a.o", layout_object())], &args);
    let mem = summary(&out.0).memory;
    assert_eq!(mem, summary(&out.1).memory, "{extra:?}");
    (run_both(&out, "get_d").unwrap(), run_both(&out, "get_sp").unwrap(), mem)
}

#[test]
fn memory_layout_defaults() {
    // MEM-LAYOUT with --no-stack-first: data from 1024, a 16-aligned
    // 64 KiB stack after it. MEM-PAGES: ceil(66576 / 64 KiB) = 2.
    assert_eq!(layout(&["--no-stack-first"]), (1024, 1040 + 65536, Some((2, None))));
    assert_eq!(layout(&["--no-stack-first", "--global-base=2048"]), (2048, 2064 + 65536, Some((2, None))));
    assert_eq!(layout(&["--no-stack-first", "-z", "stack-size=4096", "--max-memory=1048576"]), (1024, 1040 + 4096, Some((1, Some(16)))));
    // The default is the stack first (wasm-ld 22, MEM-STACK-FIRST).
    assert_eq!(layout(&[]), layout(&["--stack-first"]));
    assert_eq!(layout(&["--initial-memory=262144"]).2, Some((4, None)));
}

#[test]
fn stack_first() {
    // MEM-STACK-FIRST: the stack from 0, data right after it.
    assert_eq!(layout(&["--stack-first"]), (65536, 65536, Some((2, None))));
    assert_eq!(layout(&["--stack-first", "-z", "stack-size=8192"]), (8192, 8192, Some((1, None))));
    assert_eq!(layout(&["--stack-first", "--global-base=131072"]), (131072, 65536, Some((3, None))));
    let msgs = both_fail(&[("a.o", layout_object())], &["--no-entry", "--stack-first", "--global-base=4096"]);
    assert_eq!(errors(&msgs), ["--global-base cannot be less than stack size when --stack-first is used"]);
}

#[test]
fn initial_memory_too_small() {
    // MEM-PAGES: the layout needs 65544 bytes: the stack, then 8 bytes of
    // data (no 16-aligned heap: nothing asks for `__heap_base`).
    let mut args = LAYOUT_ARGS.to_vec();
    args.push("--initial-memory=65536");
    let msgs = both_fail(&[("a.o", layout_object())], &args);
    assert_eq!(errors(&msgs), ["initial memory too small, 65544 bytes needed"]);
    args.pop();
    args.push("--max-memory=65536");
    let msgs = both_fail(&[("a.o", layout_object())], &args);
    assert_eq!(errors(&msgs), ["maximum memory too small, 131072 bytes needed"]);
}

#[test]
fn relocated_values() {
    // run = g (10, GLOBAL_INDEX_LEB) + f() (20, FUNCTION_INDEX_LEB)
    //     + *d (30, MEMORY_ADDR_LEB) + h() via the table (40, TYPE_INDEX_LEB,
    //     TABLE_NUMBER_LEB, TABLE_INDEX_SLEB).
    let mut m = obj();
    let table = m.import_table();
    let g = m.define_global("g", ValTypeModel::I32, false, 10, 0);
    let f = m.define_func("f", sig_i32(), ret(20), 0);
    let d = m.define_data("d", ".data.d", &[30, 0, 0, 0], 0);
    let h = m.define_func("h", sig_i32(), ret(40), 0);
    let ty = m.add_type(sig_i32());
    let mut b = Body::new();
    b.global_get(g).call(f).i32_add().i32_const(0).i32_load_sym(d, 0).i32_add();
    b.i32_const_table(h).call_indirect(ty, Some(table)).i32_add();
    m.define_func("run", sig_i32(), b, 0);
    // Data holding FUNCTION_INDEX_I32 of f and GLOBAL_INDEX_I32 of g.
    let p = m.define_data("p", ".data.p", &[0; 8], 0);
    let seg = m.segment_of(p).unwrap();
    m.add_data_reloc(seg, 0, RelocType::FunctionIndexI32, f, 0);
    m.add_data_reloc(seg, 4, RelocType::GlobalIndexI32, g, 0);
    for (name, at) in [("fidx", 0), ("gidx", 4)] {
        let mut b = Body::new();
        b.i32_const(0).i32_load_sym(p, at);
        m.define_func(name, sig_i32(), b, 0);
    }
    let out = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=run", "--export=fidx", "--export=gidx"]);
    assert_eq!(run_both(&out, "run"), Ok(100));
    for bytes in [&out.0, &out.1] {
        let s = summary(bytes);
        let gi = s.global_names.iter().find(|(_, n)| *n == "g").map(|(i, _)| *i).expect("global g named");
        assert_eq!(run_export(bytes, "fidx", &[]), Ok(s.func("f").unwrap() as i32));
        assert_eq!(run_export(bytes, "gidx", &[]), Ok(gi as i32));
    }
}

fn le(v: u32) -> [u8; 4] {
    v.to_le_bytes()
}

#[test]
fn debug_sections_relocated() {
    // a.o: live `run_a`, dead `dead_a`. `.debug_info`: [FUNCTION_OFFSET
    // run_a + 0, FUNCTION_OFFSET dead_a, SECTION_OFFSET own section + 2];
    // `.debug_ranges`: [FUNCTION_OFFSET dead_a]; `notes`: "AAA"; `meta`:
    // [FUNCTION_OFFSET dead_a + 5].
    let mut a = obj();
    let run_a = a.define_func("run_a", sig_i32(), ret(1), 0);
    let dead_a = a.define_func("dead_a", sig_i32(), ret(2), 0);
    a.add_custom_section(".debug_info", &[0; 12]);
    a.add_custom_section(".debug_ranges", &[0; 4]);
    a.add_custom_section("notes", b"AAA");
    a.add_custom_section("meta", &[0; 4]);
    let info_a = a.section_symbol(linkcheck_object::section_indices(&a).custom[0], flags::BINDING_LOCAL);
    let rel = |ty, offset, index, addend| RelocModel { ty, offset, index, addend };
    a.custom_sections[0].relocs = vec![
        rel(RelocType::FunctionOffsetI32, 0, run_a, 0),
        rel(RelocType::FunctionOffsetI32, 4, dead_a, 0),
        rel(RelocType::SectionOffsetI32, 8, info_a, 2),
    ];
    a.custom_sections[1].relocs = vec![rel(RelocType::FunctionOffsetI32, 0, dead_a, 0)];
    a.custom_sections[3].relocs = vec![rel(RelocType::FunctionOffsetI32, 0, dead_a, 5)];
    // b.o: live `run_b`; `.debug_info`: [SECTION_OFFSET own section + 1,
    // FUNCTION_OFFSET run_b + 3]; `notes`: "BBB".
    let mut b = obj();
    let run_b = b.define_func("run_b", sig_i32(), ret(3), 0);
    b.add_custom_section(".debug_info", &[0; 8]);
    b.add_custom_section("notes", b"BBB");
    let info_b = b.section_symbol(linkcheck_object::section_indices(&b).custom[0], flags::BINDING_LOCAL);
    b.custom_sections[0].relocs =
        vec![rel(RelocType::SectionOffsetI32, 0, info_b, 1), rel(RelocType::FunctionOffsetI32, 4, run_b, 3)];
    let inputs = [("a.o", encode(&a)), ("b.o", encode(&b))];
    let args = ["--no-entry", "--export=run_a", "--export=run_b"];
    let (r, lld) = both_ok(&inputs, &args);
    for (linker, bytes) in [("rust-lld", &lld), ("refld", &r)] {
        let s = summary(bytes);
        // REL-FOFF: the body's offset in the code section payload.
        let body = |name: &str| s.body_offsets[(s.func(name).unwrap() - s.num_imported_funcs) as usize];
        // OUT-CUSTOM: concatenated in input order; REL-SOFF: b.o's part
        // starts at 12; REL-TOMBSTONE: -1, and -2 in `.debug_ranges`.
        let info = [le(body("run_a")), le(u32::MAX), le(2), le(12 + 1), le(body("run_b") + 3)].concat();
        assert_eq!(s.custom(".debug_info"), Some(&info[..]));
        assert_eq!(s.custom(".debug_ranges"), Some(&le(u32::MAX - 1)[..]));
        assert_eq!(s.custom("notes"), Some(&b"AAABBB"[..]));
        // REL-TOMBSTONE: outside debug sections a dead target leaves the
        // addend (measured).
        assert_eq!(s.custom("meta"), Some(&le(5)[..]), "{linker}");
    }
    // OUT-CUSTOM: --strip-debug drops the debug sections only; --strip-all
    // the name section too.
    for (flag, names) in [("--strip-debug", true), ("--strip-all", false)] {
        let mut with = args.to_vec();
        with.push(flag);
        let (r, lld) = both_ok(&inputs, &with);
        for bytes in [&r, &lld] {
            let s = summary(bytes);
            assert!(s.custom(".debug_info").is_none() && s.custom(".debug_ranges").is_none(), "{flag}");
            assert_eq!(s.custom("notes"), Some(&b"AAABBB"[..]), "{flag}");
            assert_eq!(!s.func_names.is_empty(), names, "{flag}");
        }
    }
}

#[test]
fn tls_offsets() {
    // REL-TLS: `ta` and `tb` (4 bytes each) in `.tdata.*`: offsets 0 and 4
    // from the start of the TLS block.
    let mut m = obj();
    m.features = vec![FeatureModel { prefix: '+', name: "atomics".into() }, FeatureModel { prefix: '+', name: "bulk-memory".into() }];
    let ta = m.define_data("ta", ".tdata.ta", &[1; 4], flags::TLS);
    let tb = m.define_data("tb", ".tdata.tb", &[2; 4], flags::TLS);
    for s in [ta, tb] {
        let seg = m.segment_of(s).unwrap() as usize;
        m.segments[seg].flags |= segment_flags::TLS;
    }
    for (name, sym, addend) in [("off_a", ta, 0), ("off_b", tb, 0), ("off_b2", tb, 2)] {
        let mut b = Body::new();
        b.raw(&[0x41]).site(RelocType::MemoryAddrTlsSleb, sym, addend);
        m.define_func(name, sig_i32(), b, 0);
    }
    let args = ["--no-entry", "--export=off_a", "--export=off_b", "--export=off_b2"];
    let out = both_ok(&[("a.o", encode(&m))], &args);
    assert_eq!(run_both(&out, "off_a"), Ok(0));
    assert_eq!(run_both(&out, "off_b"), Ok(4));
    assert_eq!(run_both(&out, "off_b2"), Ok(6));
    // FEAT-4: TLS needs both features.
    m.features.clear();
    let msgs = both_fail(&[("a.o", encode(&m))], &args);
    assert_eq!(
        errors(&msgs),
        [
            "'atomics' feature must be used in order to use thread-local storage",
            "'bulk-memory' feature must be used in order to use thread-local storage"
        ]
    );
}

#[test]
fn locrel() {
    // REL-LOCREL: `p` holds target + 4 - &p.
    let mut m = obj();
    let target = m.define_data("target", ".data.target", &[9; 8], 0);
    let p = m.define_data("p", ".data.p", &[0; 4], 0);
    m.add_data_reloc(m.segment_of(p).unwrap(), 0, RelocType::MemoryAddrLocrelI32, target, 4);
    let mut b = Body::new();
    b.i32_const(0).i32_load_sym(p, 0);
    m.define_func("value", sig_i32(), b, 0);
    for (name, sym) in [("addr_p", p), ("addr_t", target)] {
        let mut b = Body::new();
        b.i32_const_addr(sym, 0);
        m.define_func(name, sig_i32(), b, 0);
    }
    let out = both_ok(&[("a.o", encode(&m))], &["--no-entry", "--export=value", "--export=addr_p", "--export=addr_t"]);
    let (v, ap, at) = (run_both(&out, "value"), run_both(&out, "addr_p"), run_both(&out, "addr_t"));
    assert_eq!(v.unwrap(), at.unwrap() + 4 - ap.unwrap());
}

/// REL-TYPE: a TYPE_INDEX_LEB relocation's index is a type index, not a
/// symbol index, even where it is at or beyond the object's symbol count
/// (found by the split_relink fuzz target: refld indexed its symbol table
/// with it and panicked). Both linkers link it, and the relocated type is
/// the object's fourth type.
#[test]
fn type_index_beyond_the_symbol_count_is_a_type() {
    let mut m = obj();
    let table = m.import_table();
    m.add_type(sig_void());
    m.add_type(FuncSig::new(&[ValTypeModel::I64], &[]));
    m.add_type(FuncSig::new(&[ValTypeModel::F32], &[]));
    let ty = m.add_type(sig_i32());
    assert!(ty >= 3, "the type index must reach past the two symbols");
    let mut b = Body::new();
    b.i32_const(0).call_indirect(ty, Some(table));
    m.define_func("run", sig_i32(), b, 0);
    let (r, lld) = both_ok(&[("p0.o", linkcheck_object::encode(&m))], &["--no-entry", "--export=run"]);
    assert_eq!(summary(&r).exports, summary(&lld).exports);
}

/// LAY-TABLE: with `--import-table` the table is imported with its size as
/// minimum and no maximum (the host may grow it), as wasm-ld writes it.
#[test]
fn imported_table_has_no_maximum() {
    let mut m = obj();
    let f1 = m.define_func("f1", sig_i32(), ret(11), 0);
    call_through_table(&mut m, "t1", f1);
    let inputs = [("a.o", encode(&m))];
    let out = both_ok(&inputs, &["--no-entry", "--export=t1", "--import-table"]);
    for bytes in [&out.0, &out.1] {
        let table = wasmparser::Parser::new(0)
            .parse_all(bytes)
            .filter_map(|p| match p.unwrap() {
                wasmparser::Payload::ImportSection(r) => r.into_imports().map(|i| i.unwrap()).find_map(|i| match i.ty {
                    wasmparser::TypeRef::Table(t) => Some((i.name.to_string(), t.initial, t.maximum)),
                    _ => None,
                }),
                _ => None,
            })
            .next();
        assert_eq!(table, Some(("__indirect_function_table".to_string(), 2, None)));
    }
}

/// The module name of a linked module's name section.
fn module_name(bytes: &[u8]) -> Option<String> {
    for payload in wasmparser::Parser::new(0).parse_all(bytes) {
        if let Ok(wasmparser::Payload::CustomSection(c)) = payload {
            if let wasmparser::KnownCustom::Name(reader) = c.as_known() {
                for name in reader.flatten() {
                    if let wasmparser::Name::Module { name, .. } = name {
                        return Some(name.to_string());
                    }
                }
            }
        }
    }
    None
}

/// OUT-NAMES: the name section names the module by the last component of
/// `-o` (rust-lld, given `-o out.wasm`, writes `out.wasm`).
#[test]
fn the_module_is_named_by_the_output_file() {
    let o = linkcheck_object::encode(&returns("_start", 0, 0));
    let inputs = [("a.o", o)];
    let lld = rust_lld(&inputs, &["--no-entry", "--export=_start"]);
    assert_eq!(module_name(&lld.bytes.expect("rust-lld links")).as_deref(), Some("out.wasm"));
    let refld = link_ok(&inputs, &["--no-entry", "--export=_start", "-o", "sub/dir/out.wasm"]);
    assert_eq!(module_name(&refld.bytes).as_deref(), Some("out.wasm"));
    let stdout = link_ok(&inputs, &["--no-entry", "--export=_start", "-o", "-"]);
    assert_eq!(module_name(&stdout.bytes).as_deref(), Some("-"));
}

/// OUT-EMPTY: no type, function, export or code section when it would be
/// empty (data alone, the memory imported and not exported); byte for byte
/// rust-lld's module.
#[test]
fn empty_sections_are_not_written() {
    let mut m = obj();
    m.define_data("d", ".data.d", &[1, 2, 3, 4], flags::NO_STRIP);
    let inputs = [("a.o", encode(&m))];
    let (ours, lld) = both_ok(&inputs, &["--no-entry", "--import-memory", "-o", "out.wasm"]);
    let ids: Vec<u8> = wasmparser::Parser::new(0)
        .parse_all(&lld)
        .filter_map(|p| p.expect("a readable module").as_section().map(|(id, _)| id))
        .collect();
    for (id, name) in [(1, "type"), (3, "function"), (7, "export"), (10, "code")] {
        assert!(!ids.contains(&id), "rust-lld wrote an empty {name} section: {ids:?}");
    }
    assert!(ids.contains(&11), "the data section stays: {ids:?}");
    assert!(ours == lld, "the modules differ");
}
