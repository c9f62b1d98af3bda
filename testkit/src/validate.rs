//! Validating modules with wasmparser.

use wasmparser::{Validator, WasmFeatures};

/// Validates `bytes` with wasmparser's default features (what a linker
/// writes for inputs that use no proposal beyond them).
pub fn validate(bytes: &[u8]) -> Result<(), String> {
    Validator::new().validate_all(bytes).map(|_| ()).map_err(|e| e.to_string())
}

/// Validates `bytes` with every feature wasmparser knows (outputs whose
/// inputs may use SIMD, tail calls, extended constants, ...).
pub fn validate_all_features(bytes: &[u8]) -> Result<(), String> {
    Validator::new_with_features(WasmFeatures::all()).validate_all(bytes).map(|_| ()).map_err(|e| e.to_string())
}

/// [`validate`], or a panic with wasmparser's message.
pub fn assert_valid(bytes: &[u8]) {
    if let Err(e) = validate(bytes) {
        panic!("module does not validate: {e}");
    }
}
