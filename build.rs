//! Compiles in every report language's fixed texts: each `templates/strings/<code>.yaml` becomes an
//! entry of `BUILTIN_STRINGS` (in `$OUT_DIR/strings.rs`, included by `domain::language`), so that a new
//! language is a strings file and an entry of `templates/languages.yaml`, with no code to change.

use std::path::Path;

fn main() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates/strings");
    println!("cargo:rerun-if-changed={}", folder.display());
    let mut files: Vec<(String, String)> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", folder.display()))
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            let code = path
                .file_name()?
                .to_str()?
                .strip_suffix(".yaml")?
                .to_string();
            Some((code, path.to_str()?.to_string()))
        })
        .collect();
    files.sort();
    let mut out = String::from(
        "/// Each shipped language's `templates/strings/<code>.yaml`, by code, in code order.\n\
         pub(crate) const BUILTIN_STRINGS: &[(&str, &str)] = &[\n",
    );
    for (code, path) in &files {
        out.push_str(&format!("    ({code:?}, include_str!({path:?})),\n"));
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("strings.rs");
    std::fs::write(&target, out)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", target.display()));
}
