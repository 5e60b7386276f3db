//! Issue 16, the notebooks in a real JupyterLab: a Jupyter server on localhost and JupyterLab's page
//! in headless Chromium (driven by Playwright, `.ci/jupyterlab_open_and_save.py`) open both
//! committed notebooks as a reader does, measure the Persian paragraphs' alignment, and save them
//! with Ctrl+S; `check` then still finds the report folder up to date. Skipped with a notice without
//! JupyterLab, Playwright or Chromium, unless REQUIRE_JUPYTERLAB=1 (which `.ci/run` sets).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use crate::common::{chromium, reference_study, required, tree};

/// A Python that has JupyterLab and Playwright: $JUPYTERLAB_PYTHON, else $NBFORMAT_PYTHON (the CI
/// venv), else python3.
fn jupyterlab_python() -> Option<String> {
    crate::common::python_with(
        &["JUPYTERLAB_PYTHON", "NBFORMAT_PYTHON"],
        "jupyterlab, playwright",
    )
}

/// The program `name` resolves to on PATH: Playwright takes a path, not a name.
fn on_path_at(name: &str) -> Option<PathBuf> {
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|folder| folder.join(name))
        .find(|path| path.is_file())
}

/// The committed report folder of the reference study.
fn committed() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("reports/htsme-2024")
}

/// The committed report folder of the reference study, copied to `out/htsme-2024`.
fn copy_committed_reports(out: &Path) {
    for (relative, bytes) in tree(&committed()) {
        let path = out.join("htsme-2024").join(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, bytes).unwrap();
    }
}

fn json(bytes: &[u8]) -> serde_json::Value {
    serde_json::from_slice(bytes).unwrap()
}

#[test]
fn jupyterlab_opens_and_saves_both_notebooks_and_check_stays_green() {
    let (Some(python), Some(browser)) = (
        jupyterlab_python(),
        chromium().and_then(|name| on_path_at(&name)),
    ) else {
        assert!(
            !required("REQUIRE_JUPYTERLAB"),
            "REQUIRE_JUPYTERLAB=1 but JupyterLab, Playwright or chromium is missing"
        );
        eprintln!("notice: skipped: JupyterLab and Playwright (pip install jupyterlab playwright; .ci/run installs them) or chromium is missing");
        return;
    };
    let out = tempfile::tempdir().unwrap();
    copy_committed_reports(out.path());
    // A control beside the report folder, in the form the Persian notebook had before issue 16:
    // Markdown inside <div dir="rtl">, which JupyterLab's stylesheet aligns left.
    let control = serde_json::json!({
        "cells": [{"cell_type": "markdown", "id": "control", "metadata": {},
                   "source": ["<div dir=\"rtl\" lang=\"fa\">\n\nمتن فارسی\n</div>\n"]}],
        "metadata": {"kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}},
        "nbformat": 4, "nbformat_minor": 5
    });
    std::fs::write(out.path().join("control.ipynb"), control.to_string()).unwrap();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join(".ci/jupyterlab_open_and_save.py");

    let started = Instant::now();
    let output = Command::new(&python)
        .arg(&script)
        .arg(&browser)
        .arg(out.path())
        .args([
            "htsme-2024/report.fa.ipynb",
            "htsme-2024/report.en.ipynb",
            "control.ipynb",
        ])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let measured = json(&output.stdout);
    let notebooks = &measured["notebooks"];

    // Every rendered Persian paragraph is right-aligned and right to left; the control is not.
    let alignments = |name: &str| -> Vec<(String, String)> {
        serde_json::from_value(notebooks[name]["paragraphs"].clone()).unwrap()
    };
    let persian = alignments("htsme-2024/report.fa.ipynb");
    assert!(persian.len() > 20, "{persian:?}");
    assert!(
        persian
            .iter()
            .all(|(align, dir)| align == "right" && dir == "rtl"),
        "{persian:?}"
    );
    assert_eq!(
        alignments("control.ipynb"),
        [("left".to_string(), "rtl".to_string())]
    );

    // Saved unchanged, each notebook differs from the committed one at most in the kernel's
    // metadata (JupyterLab adds the Python version to language_info), which check sets aside.
    let saved = tree(&out.path().join("htsme-2024"));
    for lang in ["en", "fa"] {
        let name = format!("report.{lang}.ipynb");
        let mut before = json(&std::fs::read(committed().join(&name)).unwrap());
        let mut after = json(&saved[&name]);
        let mut changed = Vec::new();
        for key in ["kernelspec", "language_info"] {
            let old = before["metadata"].as_object_mut().unwrap().remove(key);
            let new = after["metadata"].as_object_mut().unwrap().remove(key);
            let (old, new) = (old.unwrap_or_default(), new.unwrap_or_default());
            let fields = |v: &serde_json::Value| v.as_object().cloned().unwrap_or_default();
            let (old, new) = (fields(&old), fields(&new));
            for field in old.keys().chain(new.keys()) {
                if old.get(field) != new.get(field)
                    && !changed
                        .iter()
                        .any(|c: &String| c.starts_with(&format!("{key}.{field}:")))
                {
                    changed.push(format!(
                        "{key}.{field}: {:?} -> {:?}",
                        old.get(field),
                        new.get(field)
                    ));
                }
            }
        }
        assert!(
            before == after,
            "JupyterLab changed more than the kernel metadata of {name}"
        );
        eprintln!(
            "{name}: saved by JupyterLab {}; modified on open: {}; kernel metadata changed: {changed:?}",
            measured["jupyterlab"], notebooks[format!("htsme-2024/{name}")]["modified_on_open"]
        );
    }
    // JupyterLab also leaves its checkpoints in the report folder; check ignores them.
    let checkpoints: Vec<&String> = saved
        .keys()
        .filter(|path| path.starts_with(".ipynb_checkpoints/"))
        .collect();
    eprintln!("JupyterLab wrote {checkpoints:?}");
    let check = Command::new(env!("CARGO_BIN_EXE_delphi-report"))
        .arg("check")
        .arg("--study")
        .arg(reference_study())
        .arg("--out")
        .arg(out.path())
        .output()
        .unwrap();
    assert_eq!(
        check.status.code(),
        Some(0),
        "{}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    eprintln!(
        "JupyterLab open and save of two notebooks and a control: {:.1} s",
        started.elapsed().as_secs_f64()
    );
}
