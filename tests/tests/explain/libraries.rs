//! Definitions in archives that are not on the command line: in a `-L`
//! folder without its `-l`, or beside the inputs; the fix names the file
//! and member, is checked with both linkers, and says what the member then
//! needs. An archive defining the name as another kind is no fix.

use super::rust::{rustc, LANG_ITEMS};
use super::*;
use linkcheck::explain::Language;

const HELPER: &str = "_ZN4util6helper17h0123456789abcdefE";

/// An object rustc might have written (its `producers` section says
/// `processed-by rustc`): `run` calls the legacy-mangled `util::helper`
/// and the plain `other_fn`.
fn main_object() -> Vec<u8> {
    let mut m = obj();
    m.producers.push(ProducerField { name: "processed-by".into(), values: vec![("rustc".into(), "1.95.0".into())] });
    let helper = m.undefined_func(HELPER, "env", HELPER, sig_i32(), 0);
    let other = m.undefined_func("other_fn", "env", "other_fn", sig_i32(), 0);
    let mut body = Body::default();
    body.call(helper).call(other).i32_add();
    m.define_func("run", sig_i32(), body, 0);
    encode(&m)
}

#[test]
fn archives_not_on_the_line_are_named_and_checked() {
    let dir = tempfile::tempdir().unwrap();
    let libs = dir.path().join("libs");
    std::fs::create_dir(&libs).unwrap();
    std::fs::write(dir.path().join("main.o"), main_object()).unwrap();
    // libs/libutil.a(util.o) defines util::helper, which calls util_dep.
    let util = encode(&caller(HELPER, "util_dep", 0));
    std::fs::write(libs.join("libutil.a"), archive(&[("util.o", util.as_slice())])).unwrap();
    // extras.a, beside the inputs, defines other_fn.
    let extra = encode(&returns("other_fn", 3, 0));
    std::fs::write(dir.path().join("extras.a"), archive(&[("other.o", extra.as_slice())])).unwrap();
    // libs/libdecoy.a defines other_fn as data: linking it would not do.
    let mut decoy = obj();
    decoy.define_data("other_fn", ".data.other_fn", &[1, 2, 3, 4], 0);
    std::fs::write(libs.join("libdecoy.a"), archive(&[("decoy.o", encode(&decoy).as_slice())])).unwrap();

    let args = ["--no-entry", "--export=run", "-Llibs", "main.o"];
    let r = report_in(dir.path(), &args);
    assert_eq!(names(&r, Group::Failing), [HELPER, "other_fn"]);
    let (s, _) = r.symbol(HELPER).unwrap();
    assert_eq!(s.demangled.as_deref(), Some("util::helper"));
    assert_eq!(s.language, Language::Rust);
    let libs_dir = libs.display().to_string();
    assert_eq!(s.fixes.len(), 1, "a Rust function gets no import fix: {:?}", s.fixes);
    let f = &s.fixes[0];
    assert_eq!((f.kind, f.checked), (FixKind::Library, true));
    assert_eq!(f.effect, format!("{libs_dir}/libutil.a(util.o) defines it"));
    assert_eq!(f.rust, format!("-L native={libs_dir} -l static=util"));
    assert_eq!(f.linker.as_deref(), Some(format!("-L{libs_dir} -lutil").as_str()));
    assert_eq!(f.then, ["undefined symbol: util_dep"]);

    let (s, _) = r.symbol("other_fn").unwrap();
    let extras = dir.path().join("extras.a").display().to_string();
    assert_eq!((s.fixes[0].kind, s.fixes[0].linker.as_deref()), (FixKind::Library, Some(extras.as_str())));
    assert_eq!(s.fixes[0].rust, format!("-C link-arg={extras}"));
    assert!(s.fixes.iter().all(|f| !f.effect.contains("decoy")), "{:?}", s.fixes);

    let text = render_text(&r, false);
    assert!(text.contains(&format!("undefined function util::helper ({HELPER}): fails the link")), "{text}");
    assert!(text.contains(&format!("fix: -L native={libs_dir} -l static=util — {libs_dir}/libutil.a(util.o) defines it  [wasm-ld: -L{libs_dir} -lutil]; then: undefined symbol: util_dep")), "{text}");
    let json: serde_json::Value = serde_json::from_str(&render_json(&r)).unwrap();
    let first = &json["undefined"][0];
    assert_eq!((first["name"].as_str(), first["demangled"].as_str(), first["language"].as_str()), (Some(HELPER), Some("util::helper"), Some("rust")));
    assert_eq!(first["fixes"][0]["kind"], "library");
    assert_eq!(first["fixes"][0]["then"][0], "undefined symbol: util_dep");
    assert!(json["searched"].as_array().unwrap().iter().any(|p| p.as_str() == Some(libs_dir.as_str())));

    // Library, import attribute and --import-undefined for other_fn; the
    // library alone for util::helper; each holds with both linkers.
    assert_eq!(fixes_hold(dir.path(), &args, &r), 4);
}

/// The Rust spelling of a library fix (`-L native=DIR -l static=NAME`) is
/// what rustc passes on: a cdylib built with it defines the function,
/// where without it rustc 1.95 (which passes `--allow-undefined`) imports it.
#[test]
fn rustc_links_the_library_the_fix_names() {
    let dir = tempfile::tempdir().unwrap();
    let libs = dir.path().join("libs");
    std::fs::create_dir(&libs).unwrap();
    std::fs::write(libs.join("libinit.a"), archive(&[("init.o", encode(&returns("util_init", 42, 0)).as_slice())])).unwrap();
    let source = format!("{LANG_ITEMS}\nextern \"C\" {{ fn util_init() -> i32; }}\n#[no_mangle] pub extern \"C\" fn answer() -> i32 {{ unsafe {{ util_init() }} }}\n");
    rustc(dir.path(), "a.rs", &source, &["--crate-type", "lib", "--emit=obj", "-o", "a.o"]);
    let r = report_in(dir.path(), &["--no-entry", "--export=answer", "-Llibs", "a.o"]);
    let fix = &r.symbol("util_init").unwrap().0.fixes[0];
    assert_eq!(fix.kind, FixKind::Library);
    let lib_args: Vec<&str> = fix.rust.split_whitespace().collect();
    assert_eq!(lib_args.len(), 4, "{}", fix.rust);
    let imports_of = |extra: &[&str]| {
        let mut all = vec!["--crate-type", "cdylib", "-o", "a.wasm"];
        all.extend_from_slice(extra);
        rustc(dir.path(), "a.rs", &source, &all);
        summary(&std::fs::read(dir.path().join("a.wasm")).unwrap()).imports.into_iter().map(|(m, f, _)| format!("{m}.{f}")).collect::<Vec<_>>()
    };
    assert_eq!(imports_of(&[]), ["env.util_init"], "rustc 1.95 passes --allow-undefined");
    assert_eq!(imports_of(&lib_args), Vec::<String>::new(), "the library defines it");
    let out = testkit::run_export(&std::fs::read(dir.path().join("a.wasm")).unwrap(), "answer", &[]);
    assert_eq!(out, Ok(42));
}
