//! Every committed report folder, found through the catalog the way `check --all` finds them, is
//! rebuilt in memory from its study and compared byte for byte; a failure names the drifted files.
//! Every study found has a report folder.

use std::path::Path;

use delphi_report::catalog::{find_reports, find_studies, STUDY_ROOTS};
use delphi_report::output::read_tree;
use delphi_report::report::manifest::MANIFEST_FILE;
use delphi_report::Stamp;

#[test]
fn every_committed_report_folder_is_what_its_study_builds() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let roots: Vec<_> = STUDY_ROOTS.iter().map(|r| root.join(r)).collect();
    let studies = find_studies(&roots).unwrap();
    let reports = find_reports(&root.join("reports")).unwrap();
    let mut checked = Vec::new();
    let mut drifted = Vec::new();
    for report in &reports {
        let study = studies
            .iter()
            .find(|s| s.id == report.study)
            .unwrap_or_else(|| panic!("{} has no study folder", report.folder.display()));
        let committed = read_tree(&report.folder).unwrap();
        // The stamp is the one input a study folder does not hold: reuse the committed one, as `check` does.
        let manifest = committed
            .get(MANIFEST_FILE)
            .and_then(|bytes| std::str::from_utf8(bytes).ok());
        let stamp = manifest
            .and_then(|text| Stamp::from_manifest(text).ok())
            .unwrap_or_default();
        // A report built with `--set` is rebuilt with the settings its manifest records.
        let overrides = manifest
            .map(|text| delphi_report::report::manifest::recorded_overrides(text).unwrap())
            .unwrap_or_default();
        let fresh = delphi_report::build_report_with(&study.folder, &overrides, &stamp, None)
            .unwrap()
            .files;
        let names: std::collections::BTreeSet<&String> =
            committed.keys().chain(fresh.keys()).collect();
        for name in names {
            let state = match (committed.get(name), fresh.get(name)) {
                (Some(old), Some(new)) if old == new => continue,
                (Some(_), Some(_)) => "differs",
                (None, _) => "not committed",
                (_, None) => "no longer built",
            };
            drifted.push(format!("reports/{}/{name}: {state}", report.study));
        }
        checked.push(report.study.clone());
    }
    // Every study has its committed report folder, as `check --all` requires.
    for study in &studies {
        assert!(
            reports.iter().any(|r| r.study == study.id),
            "{} has no report folder under reports/",
            study.folder.display()
        );
    }
    // Both committed reports are covered: the reference study and the worked example.
    for id in ["htsme-2024", "synthetic-three-rounds"] {
        assert!(
            checked.iter().any(|c| c == id),
            "{id} not checked: {checked:?}"
        );
    }
    assert!(
        drifted.is_empty(),
        "{} file(s) drifted; run `cargo run -- build-report --all`:\n{}",
        drifted.len(),
        drifted.join("\n")
    );
}
