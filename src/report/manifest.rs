//! Provenance: `manifest.json` records the tool version, every parameter, the SHA-256 of every input,
//! template and output, and, only when asked, a build stamp (git commit, `SOURCE_DATE_EPOCH`).
//!
//! The stamp is the one part of a build that the inputs do not determine. `check` therefore rebuilds
//! with the stamp the committed manifest records and compares everything else byte for byte.

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value};

use crate::config::{Override, STUDY_FILE};
use crate::digest::sha256_hex;
use crate::domain::InputRole;
use crate::report::document::IncludedFile;
use crate::report::model::{ReportInput, DISPLAY_DECIMALS};
use crate::report::notebook::to_json;
use crate::report::render::UsedTemplate;
use crate::report::ReportFiles;

/// The manifest's own path in the report folder.
pub const MANIFEST_FILE: &str = "manifest.json";

/// What a build records about itself beyond its inputs. Empty by default: a build reads neither the
/// clock nor the repository unless its caller passes these in.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Stamp {
    /// Seconds since 1970-01-01 UTC, from `SOURCE_DATE_EPOCH`: the only timestamp a build may carry.
    pub source_date_epoch: Option<u64>,
    /// The commit the build came from, recorded only on request.
    pub git_commit: Option<String>,
}

impl Stamp {
    /// Checks a git commit id: 7 to 64 lowercase hex digits (SHA-1 or SHA-256, possibly abbreviated).
    pub fn check_commit(commit: &str) -> Result<()> {
        if !(7..=64).contains(&commit.len())
            || !commit
                .chars()
                .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c))
        {
            bail!("'{commit}' is not a git commit id (7 to 64 lowercase hex digits)");
        }
        Ok(())
    }

    /// The stamp a committed manifest records (empty when it records none).
    pub fn from_manifest(text: &str) -> Result<Stamp> {
        let manifest: Value = serde_json::from_str(text).context("manifest.json is not JSON")?;
        let build = manifest.get("build").cloned().unwrap_or(Value::Null);
        let source_date_epoch = match build.get("source_date_epoch") {
            None | Some(Value::Null) => None,
            Some(value) => Some(
                value
                    .as_u64()
                    .context("manifest.json: build.source_date_epoch is not a whole number")?,
            ),
        };
        let git_commit = match build.get("git_commit") {
            None | Some(Value::Null) => None,
            Some(value) => {
                let commit = value
                    .as_str()
                    .context("manifest.json: build.git_commit is not text")?;
                Stamp::check_commit(commit)?;
                Some(commit.to_string())
            }
        };
        Ok(Stamp {
            source_date_epoch,
            git_commit,
        })
    }
}

/// The settings a committed manifest says `--set` overrode (none for a plain build), to rebuild the
/// report as it was built.
pub fn recorded_overrides(text: &str) -> Result<Vec<Override>> {
    let manifest: Value = serde_json::from_str(text).context("manifest.json is not JSON")?;
    let Some(set) = manifest.pointer("/parameters/set") else {
        return Ok(Vec::new());
    };
    set.as_array()
        .context("manifest.json: parameters.set is not a list")?
        .iter()
        .map(|item| {
            let text = item
                .as_str()
                .context("manifest.json: parameters.set holds something else than text")?;
            Override::parse(text).map_err(|e| anyhow::anyhow!("manifest.json: parameters.set: {e}"))
        })
        .collect()
}

/// `seconds` since 1970-01-01 as `YYYY-MM-DDTHH:MM:SSZ` (proleptic Gregorian calendar, UTC).
pub(crate) fn utc_timestamp(seconds: u64) -> String {
    let days = (seconds / 86_400) as i64;
    let rest = seconds % 86_400;
    // Howard Hinnant's days-to-civil algorithm, for days counted from 1970-01-01.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3_600,
        rest % 3_600 / 60,
        rest % 60
    )
}

/// Every input of the build (`study.yaml` first, then the data files), as the manifest and the
/// notebooks' metadata record it: role, path, rows (lines for the configuration), SHA-256.
pub(crate) fn input_records(input: &ReportInput) -> Vec<Value> {
    let study = input.study;
    let mut inputs = vec![json!({
        "role": InputRole::Configuration,
        "path": STUDY_FILE,
        "lines": study.source().lines,
        "sha256": study.source().sha256,
    })];
    for input in &input.data.inputs {
        inputs.push(json!({
            "role": input.role,
            "path": input.path,
            "rows": input.rows,
            "sha256": input.sha256,
        }));
    }
    inputs
}

/// The manifest of a build whose other files are `files`.
pub(crate) fn manifest(
    input: &ReportInput,
    templates: &[UsedTemplate],
    included: &[IncludedFile],
    stamp: &Stamp,
    files: &ReportFiles,
) -> Result<String> {
    let study = input.study;
    let inputs = input_records(input);
    // A study's own page template is marked so (its path is in the study folder).
    let templates: Vec<Value> = templates
        .iter()
        .map(|t| {
            let mut record = json!({"path": t.path, "sha256": sha256_hex(t.text.as_bytes())});
            if t.from_study {
                record["from"] = json!("study");
            }
            record
        })
        .collect();
    let outputs: Vec<Value> = files
        .iter()
        .filter(|(path, _)| path.as_str() != MANIFEST_FILE)
        .map(|(path, bytes)| json!({"path": path, "bytes": bytes.len(), "sha256": sha256_hex(bytes)}))
        .collect();
    let mut build = Map::new();
    if let Some(commit) = &stamp.git_commit {
        build.insert("git_commit".into(), json!(commit));
    }
    if let Some(epoch) = stamp.source_date_epoch {
        build.insert("source_date_epoch".into(), json!(epoch));
        build.insert("time_utc".into(), json!(utc_timestamp(epoch)));
    }
    let mut parameters = json!({
        "study_yaml": serde_json::to_value(study.as_written())?,
        "threshold_exact": study.threshold().to_string(),
        "display_decimals": DISPLAY_DECIMALS,
        "display_rounding": "half away from zero",
        "languages": study.languages(),
    });
    // What `--set` overrode, as given (study_yaml above holds the values in effect): `check` rebuilds
    // with them. Not written for a plain build.
    if !study.overrides().is_empty() {
        let set: Vec<String> = study.overrides().iter().map(|o| o.to_string()).collect();
        parameters["set"] = json!(set);
    }
    let mut manifest = json!({
        "manifest_version": 1,
        "tool": {"name": env!("CARGO_PKG_NAME"), "version": env!("CARGO_PKG_VERSION")},
        "study": study.id(),
        "build": build,
        "parameters": parameters,
        "inputs": inputs,
        "templates": templates,
        "outputs": outputs,
    });
    // The files the study's documents included, by their path in the study folder (none, and no key,
    // for a document without includes).
    if !included.is_empty() {
        manifest["included"] = serde_json::to_value(included)?;
    }
    to_json(&manifest)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_utc_calendar_dates() {
        assert_eq!(utc_timestamp(0), "1970-01-01T00:00:00Z");
        // 951782400 = 11016 days * 86400: 2000-02-29, a leap day (30 years, 7 leap days, 31 + 28 days).
        assert_eq!(utc_timestamp(951_782_400), "2000-02-29T00:00:00Z");
        // 1700000000 = 19675 days + 80000 s (22 h 13 min 20 s); day 19675 is 2023-11-14.
        assert_eq!(utc_timestamp(1_700_000_000), "2023-11-14T22:13:20Z");
        assert_eq!(utc_timestamp(86_399), "1970-01-01T23:59:59Z");
    }

    #[test]
    fn the_stamp_is_read_back_from_a_manifest() {
        let text =
            r#"{"build": {"git_commit": "0123abc", "source_date_epoch": 5, "time_utc": "x"}}"#;
        assert_eq!(
            Stamp::from_manifest(text).unwrap(),
            Stamp {
                source_date_epoch: Some(5),
                git_commit: Some("0123abc".into())
            }
        );
        assert_eq!(
            Stamp::from_manifest(r#"{"build": {}}"#).unwrap(),
            Stamp::default()
        );
        assert!(Stamp::from_manifest(r#"{"build": {"git_commit": "HEAD"}}"#).is_err());
        assert!(Stamp::check_commit("0123ABC").is_err());
    }
}
