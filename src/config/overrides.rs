//! `--set KEY=VALUE`: a setting of study.yaml overridden for one build, as papermill and Quarto take
//! parameters. Each is applied to the parsed YAML tree before the typed reading and validation, so a
//! key that does not exist and a value of the wrong type are caught by the same code as in the file,
//! and the error names the key.

use std::fmt;

use serde_yaml::{Mapping, Value};

/// One overridden setting: a dotted key of study.yaml (`method.threshold`) and its value, written as
/// YAML (`0.6`, `threshold-and-consensus`, `[0.5, 0.6]`, `null`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Override {
    /// The key, as a path of names from the root joined by `.`.
    pub key: String,
    /// The value as written after `=`.
    pub value: String,
}

impl Override {
    /// Reads `KEY=VALUE`: a key of names (letters, digits, `_`, `-`) joined by `.`, and any value.
    pub fn parse(text: &str) -> Result<Override, String> {
        let Some((key, value)) = text.split_once('=') else {
            return Err(format!(
                "'{text}' is not KEY=VALUE (a dotted study.yaml key such as method.threshold=0.6)"
            ));
        };
        let key = key.trim();
        let names_ok = !key.is_empty()
            && key.split('.').all(|name| {
                !name.is_empty()
                    && name
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            });
        if !names_ok {
            return Err(format!(
                "'{key}' is not a study.yaml key: names of letters, digits, '_' and '-' joined by '.', such as method.threshold"
            ));
        }
        Ok(Override {
            key: key.to_string(),
            value: value.trim().to_string(),
        })
    }

    /// The value as a YAML node.
    fn node(&self) -> Result<Value, String> {
        serde_yaml::from_str(&self.value)
            .map_err(|e| format!("the value '{}' is not YAML: {e}", self.value))
    }

    /// Sets the value in `tree`, making the sections on the way when the file does not have them.
    pub(super) fn apply(&self, tree: &mut Value) -> Result<(), String> {
        let node = self.node()?;
        let names: Vec<&str> = self.key.split('.').collect();
        let mut here = tree;
        for (depth, name) in names.iter().enumerate() {
            if here.is_null() {
                *here = Value::Mapping(Mapping::new());
            }
            let Value::Mapping(map) = here else {
                return Err(format!(
                    "'{}' is a value, not a section with keys",
                    names[..depth].join(".")
                ));
            };
            let key = Value::String(name.to_string());
            if depth + 1 == names.len() {
                map.insert(key, node);
                return Ok(());
            }
            here = map.entry(key).or_insert(Value::Null);
        }
        Ok(())
    }
}

impl fmt::Display for Override {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}={}", self.key, self.value)
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::MINIMAL;
    use super::super::Study;
    use super::*;
    use crate::number::Exact;

    fn load(overrides: &[&str]) -> Result<Study, crate::error::InputError> {
        let overrides: Vec<Override> = overrides
            .iter()
            .map(|o| Override::parse(o).unwrap())
            .collect();
        Study::from_yaml_with(
            std::path::Path::new("s"),
            std::path::Path::new("s/study.yaml"),
            MINIMAL,
            &overrides,
        )
    }

    #[test]
    fn a_setting_is_replaced_or_added_before_the_study_is_read() {
        let study = load(&["method.threshold=0.25"]).unwrap();
        assert_eq!(study.threshold(), Exact::new(1, 4).unwrap());
        // A key the file leaves to its default.
        let study = load(&["method.decision=threshold-and-consensus"]).unwrap();
        assert_eq!(
            study.method().decision,
            crate::domain::DecisionRule::ThresholdAndConsensus
        );
        // A section the file does not have.
        let study = load(&["panels.interviewees=4", "method.consensus.max_distance=0.3"]).unwrap();
        assert_eq!(study.panels().interviewees, Some(4));
        assert_eq!(study.method().max_distance, Exact::new(3, 10).unwrap());
        assert_eq!(study.overrides().len(), 2);
        assert_eq!(study.overrides()[0].to_string(), "panels.interviewees=4");
        // The file as read is what the inputs record, whatever is set.
        assert_eq!(study.source(), load(&[]).unwrap().source());
    }

    #[test]
    fn an_unknown_key_or_a_wrong_value_is_an_error_naming_the_key() {
        let error = load(&["method.threshold=0.25", "method.thresold=0.6"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.thresold"));
        assert!(
            error
                .message
                .starts_with("--set method.thresold=0.6: unknown field `thresold`"),
            "{error}"
        );
        let error = load(&["method.threshold=high"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.threshold"));
        assert!(
            error.message.contains("invalid type: string \"high\""),
            "{error}"
        );
        let error = load(&["method.decision=maybe"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.decision"));
        assert!(error.message.contains("unknown variant `maybe`"), "{error}");
        let error = load(&["colour=red"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("colour"));
        let error = load(&["id.sub=x"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("id.sub"));
        assert!(
            error.message.contains("'id' is a value, not a section"),
            "{error}"
        );
        // The typed checks run on what was set, and say so.
        let error = load(&["method.threshold=7"]).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.threshold"));
        assert!(
            error.message.ends_with("(set by --set method.threshold=7)"),
            "{error}"
        );
    }

    #[test]
    fn keys_and_values_are_read_as_written() {
        let parsed = Override::parse(" method.threshold = 0.6 ").unwrap();
        assert_eq!(
            (parsed.key.as_str(), parsed.value.as_str()),
            ("method.threshold", "0.6")
        );
        assert!(Override::parse("method.threshold").is_err());
        assert!(Override::parse("method..threshold=1").is_err());
        assert!(Override::parse("=1").is_err());
        assert!(Override::parse("scale levels=1").is_err());
    }
}
