//! What changed in `manifest.json`: the tool version, parameters, inputs and templates. The outputs'
//! digests follow from the other files, which the diff reports themselves, so they are left out unless
//! they disagree with those files.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

/// One JSON value that differs, by its dotted path (`study_yaml.method.threshold`); `None` where a
/// side lacks it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ValueChange {
    pub(crate) path: String,
    pub(crate) old: Option<Value>,
    pub(crate) new: Option<Value>,
}

/// An input or template file whose digest (or row count) differs, or that one side lacks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct EntryChange {
    pub(crate) path: String,
    /// The input's roles (several when one file serves as ratings and printed counts); empty for
    /// templates.
    pub(crate) roles: Vec<String>,
    /// `changed`, `added` (only the rebuilt manifest lists it) or `removed`.
    pub(crate) change: &'static str,
}

/// The manifest's changes, old = committed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct ManifestDiff {
    /// `(old, new)` tool version when it changed.
    pub(crate) tool_version: Option<(String, String)>,
    /// Under `parameters`.
    pub(crate) parameters: Vec<ValueChange>,
    pub(crate) inputs: Vec<EntryChange>,
    pub(crate) templates: Vec<EntryChange>,
    /// Any other top-level key (`study`, `build`, `manifest_version`, ...).
    pub(crate) other: Vec<ValueChange>,
    /// Outputs whose recorded digest changed although the file itself did not: the committed manifest
    /// disagrees with the committed files.
    pub(crate) outputs_unexplained: Vec<String>,
    /// Why the manifests could not be compared, when one is not JSON.
    pub(crate) unreadable: Option<String>,
}

impl ManifestDiff {
    pub(crate) fn is_empty(&self) -> bool {
        self.tool_version.is_none() && self.is_only_version()
    }

    /// Nothing changed except, perhaps, the tool version.
    pub(crate) fn is_only_version(&self) -> bool {
        self.parameters.is_empty()
            && self.inputs.is_empty()
            && self.templates.is_empty()
            && self.other.is_empty()
            && self.outputs_unexplained.is_empty()
            && self.unreadable.is_none()
    }
}

/// Compares the committed manifest with the rebuilt one. `changed_files` are the report files the
/// diff already reports; their output digests are expected to differ. A manifest that one side lacks
/// is reported as a missing or unexpected file, not here.
pub(crate) fn diff_manifests(
    old: Option<&[u8]>,
    new: Option<&[u8]>,
    changed_files: &BTreeSet<&str>,
) -> ManifestDiff {
    let (Some(old), Some(new)) = (old, new) else {
        return ManifestDiff::default();
    };
    if old == new {
        return ManifestDiff::default();
    }
    let parse = |bytes: &[u8], which: &str| {
        serde_json::from_slice::<Value>(bytes)
            .map_err(|e| format!("the {which} manifest.json is not JSON: {e}"))
    };
    let (old, new) = match (parse(old, "committed"), parse(new, "rebuilt")) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(error), _) | (_, Err(error)) => {
            return ManifestDiff {
                unreadable: Some(error),
                ..ManifestDiff::default()
            }
        }
    };
    let mut diff = ManifestDiff::default();
    let version = |v: &Value| {
        v.pointer("/tool/version")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let (old_version, new_version) = (version(&old), version(&new));
    if old_version != new_version {
        diff.tool_version = Some((old_version, new_version));
    }
    let mut tool = (old.get("tool").cloned(), new.get("tool").cloned());
    for side in [&mut tool.0, &mut tool.1] {
        if let Some(Value::Object(map)) = side {
            map.remove("version");
        }
    }
    if tool.0 != tool.1 {
        value_changes("tool", tool.0.as_ref(), tool.1.as_ref(), &mut diff.other);
    }
    value_changes(
        "",
        old.get("parameters"),
        new.get("parameters"),
        &mut diff.parameters,
    );
    diff.inputs = entry_changes(old.get("inputs"), new.get("inputs"), true);
    diff.templates = entry_changes(old.get("templates"), new.get("templates"), false);
    let outputs = entry_changes(old.get("outputs"), new.get("outputs"), false);
    diff.outputs_unexplained = outputs
        .into_iter()
        .filter(|entry| !changed_files.contains(entry.path.as_str()))
        .map(|entry| entry.path)
        .collect();
    let keys: BTreeSet<&String> = object_keys(&old).chain(object_keys(&new)).collect();
    for key in keys {
        if matches!(
            key.as_str(),
            "tool" | "parameters" | "inputs" | "templates" | "outputs"
        ) {
            continue;
        }
        value_changes(key, old.get(key), new.get(key), &mut diff.other);
    }
    diff
}

fn object_keys(value: &Value) -> impl Iterator<Item = &String> {
    value.as_object().into_iter().flat_map(|map| map.keys())
}

fn join(prefix: &str, key: &str) -> String {
    if prefix.is_empty() {
        key.to_string()
    } else {
        format!("{prefix}.{key}")
    }
}

/// Every leaf that differs between `old` and `new`, objects walked key by key and arrays of equal
/// length item by item (`levels[2].tfn`).
fn value_changes(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<ValueChange>) {
    if old == new {
        return;
    }
    match (old, new) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for key in keys {
                value_changes(&join(path, key), a.get(key), b.get(key), out);
            }
        }
        (Some(Value::Array(a)), Some(Value::Array(b))) if a.len() == b.len() => {
            for (index, (x, y)) in a.iter().zip(b).enumerate() {
                value_changes(&format!("{path}[{index}]"), Some(x), Some(y), out);
            }
        }
        _ => out.push(ValueChange {
            path: path.to_string(),
            old: old.cloned(),
            new: new.cloned(),
        }),
    }
}

/// Input, template or output entries (`path`, `sha256`, maybe `role`, `rows`, `bytes`) grouped by
/// path, compared by everything but their role.
fn entry_changes(old: Option<&Value>, new: Option<&Value>, with_roles: bool) -> Vec<EntryChange> {
    type Entries = BTreeMap<String, (Vec<String>, Vec<Value>)>;
    let group = |list: Option<&Value>| {
        let mut by_path = Entries::new();
        for entry in list.and_then(Value::as_array).into_iter().flatten() {
            let path = entry
                .get("path")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string();
            let slot = by_path.entry(path).or_default();
            if let Some(role) = entry.get("role").and_then(Value::as_str) {
                slot.0.push(role.to_string());
            }
            let mut content = entry.clone();
            if let Value::Object(map) = &mut content {
                map.remove("role");
            }
            slot.1.push(content);
        }
        by_path
    };
    let (old, new) = (group(old), group(new));
    let paths: BTreeSet<&String> = old.keys().chain(new.keys()).collect();
    let mut changes = Vec::new();
    for path in paths {
        let (change, roles) = match (old.get(path), new.get(path)) {
            (Some(a), Some(b)) if a == b => continue,
            (Some(_), Some(b)) => ("changed", &b.0),
            (None, Some(b)) => ("added", &b.0),
            (Some(a), None) => ("removed", &a.0),
            (None, None) => continue,
        };
        changes.push(EntryChange {
            path: path.clone(),
            roles: if with_roles {
                roles.clone()
            } else {
                Vec::new()
            },
            change,
        });
    }
    changes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(version: &str, threshold: f64, ratings_sha: &str, output_sha: &str) -> Vec<u8> {
        serde_json::to_vec(&serde_json::json!({
            "manifest_version": 1,
            "tool": {"name": "delphi-report", "version": version},
            "study": "s",
            "build": {},
            "parameters": {"study_yaml": {"method": {"threshold": threshold}}, "display_decimals": 3},
            "inputs": [
                {"role": "ratings", "path": "r.csv", "rows": 2, "sha256": ratings_sha},
                {"role": "published counts", "path": "r.csv", "rows": 2, "sha256": ratings_sha},
                {"role": "indicators", "path": "i.csv", "rows": 2, "sha256": "i"},
            ],
            "templates": [{"path": "templates/a.j2", "sha256": "t"}],
            "outputs": [{"path": "report.en.md", "bytes": 1, "sha256": output_sha}],
        }))
        .unwrap()
    }

    #[test]
    fn parameters_inputs_and_version_are_named_and_output_digests_left_out() {
        let old = manifest("0.1.0", 0.5, "a", "x");
        let new = manifest("0.1.1", 0.6, "b", "y");
        let changed = BTreeSet::from(["report.en.md"]);
        let diff = diff_manifests(Some(&old), Some(&new), &changed);
        assert_eq!(diff.tool_version, Some(("0.1.0".into(), "0.1.1".into())));
        assert_eq!(
            diff.parameters,
            vec![ValueChange {
                path: "study_yaml.method.threshold".into(),
                old: Some(serde_json::json!(0.5)),
                new: Some(serde_json::json!(0.6)),
            }]
        );
        assert_eq!(
            diff.inputs,
            vec![EntryChange {
                path: "r.csv".into(),
                roles: vec!["ratings".into(), "published counts".into()],
                change: "changed",
            }]
        );
        assert!(diff.templates.is_empty() && diff.other.is_empty());
        assert!(diff.outputs_unexplained.is_empty());
        assert!(!diff.is_only_version());

        // An output digest that changed while its file did not is named.
        let diff = diff_manifests(
            Some(&manifest("0.1.0", 0.5, "a", "x")),
            Some(&manifest("0.1.0", 0.5, "a", "y")),
            &BTreeSet::new(),
        );
        assert_eq!(diff.outputs_unexplained, vec!["report.en.md"]);

        let only_version = diff_manifests(
            Some(&manifest("0.1.0", 0.5, "a", "x")),
            Some(&manifest("0.2.0", 0.5, "a", "y")),
            &changed,
        );
        assert!(only_version.is_only_version() && !only_version.is_empty());
    }

    #[test]
    fn a_manifest_that_is_not_json_is_said_so() {
        let diff = diff_manifests(Some(b"{"), Some(b"{}"), &BTreeSet::new());
        assert!(diff
            .unreadable
            .unwrap()
            .starts_with("the committed manifest.json is not JSON"));
    }
}
