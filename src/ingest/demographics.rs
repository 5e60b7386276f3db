//! Respondents and their attributes: the per-respondent CSV, and the cases of a REFI-QDA project.

use std::path::Path;

use crate::analysis::demographics::Respondent;
use crate::config::{fold_label, CategoryConfig, DemographicsConfig};
use crate::error::{InputError, Problems};
use crate::ingest::table::CsvTable;

/// The category id a data value names (by id, English or Persian label), `None` for an empty value.
pub(crate) fn match_category<'a>(
    categories: &'a [CategoryConfig],
    value: &str,
) -> Result<Option<&'a str>, String> {
    let folded = fold_label(value);
    if folded.is_empty() {
        return Ok(None);
    }
    categories
        .iter()
        .find(|c| {
            std::iter::once(c.id.as_str())
                .chain(c.label.iter().map(|(_, text)| text))
                .any(|n| fold_label(n) == folded)
        })
        .map(|c| Some(c.id.as_str()))
        .ok_or_else(|| {
            let known: Vec<String> = categories
                .iter()
                .map(|c| {
                    let labels: Vec<&str> = c.label.iter().map(|(_, text)| text).collect();
                    format!("{} ({})", c.id, labels.join(" / "))
                })
                .collect();
            format!(
                "'{}' is not a configured category; expected one of: {}",
                value.trim(),
                known.join(", ")
            )
        })
}

/// Reads `respondent,panel,<attribute ids>`: every configured attribute is a column, and no other.
pub(crate) fn read_respondents(
    table: &CsvTable,
    config: &DemographicsConfig,
) -> Result<Vec<Respondent>, InputError> {
    let mut columns = vec!["respondent", "panel"];
    columns.extend(config.attributes.iter().map(|a| a.id.as_str()));
    table.require_exact_columns(&columns)?;
    // Every problem of the file, in one error, row by row.
    let mut problems = Problems::new();
    let ids = table.texts("respondent", "a respondent id", &mut problems)?;
    let panels = table.texts("panel", "a panel id", &mut problems)?;
    let mut values_by_attribute = Vec::new();
    for attribute in &config.attributes {
        values_by_attribute.push(table.optional_texts(&attribute.id)?);
    }
    let mut respondents: Vec<Respondent> = Vec::with_capacity(ids.len());
    for row in 0..ids.len() {
        let mut complete = !ids[row].is_empty() && !panels[row].is_empty();
        let panel = match match_category(&config.panels, &panels[row]) {
            Ok(panel) => panel.unwrap_or_default().to_string(),
            Err(e) => {
                problems.push(table.at(row + 1, "panel", e));
                complete = false;
                String::new()
            }
        };
        let mut values = Vec::with_capacity(config.attributes.len());
        for (attribute, column) in config.attributes.iter().zip(&values_by_attribute) {
            match match_category(&attribute.categories, &column[row]) {
                Ok(category) => values.push(category.map(String::from)),
                Err(e) => {
                    problems.push(table.at(row + 1, &attribute.id, e));
                    complete = false;
                }
            }
        }
        if !complete {
            continue;
        }
        let respondent = Respondent {
            id: ids[row].clone(),
            panel,
            values,
        };
        match check_consistent(&respondents, &respondent) {
            Ok(()) => respondents.push(respondent),
            Err(e) => problems.push(table.at(row + 1, "respondent", e)),
        }
    }
    problems.into_result()?;
    Ok(respondents)
}

/// A respondent appears once per panel, with the same attributes on every panel.
pub(crate) fn check_consistent(known: &[Respondent], new: &Respondent) -> Result<(), String> {
    for other in known.iter().filter(|r| r.id == new.id) {
        if other.panel == new.panel {
            return Err(format!(
                "respondent '{}' appears twice in panel '{}'",
                new.id, new.panel
            ));
        }
        if other.values != new.values {
            return Err(format!(
                "respondent '{}' has other attribute values in panel '{}'; one person has one set of values",
                new.id, other.panel
            ));
        }
    }
    Ok(())
}

/// A case of a QDA project with its variables (name, value as written).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct QdaCase {
    pub(crate) name: String,
    pub(crate) variables: Vec<(String, String)>,
    /// The line of the case in the project file, for error messages.
    pub(crate) line: usize,
}

/// Cases become respondents of `panel`: variables named like an attribute (id or label) give its value;
/// other variables are not demographic and are left out.
pub(crate) fn respondents_from_cases(
    file: &Path,
    cases: &[QdaCase],
    config: &DemographicsConfig,
    panel: &str,
    known: &[Respondent],
) -> Result<Vec<Respondent>, InputError> {
    let mut respondents = Vec::new();
    for case in cases {
        let mut values = vec![None; config.attributes.len()];
        for (variable, value) in &case.variables {
            let folded = fold_label(variable);
            let Some(index) = config.attributes.iter().position(|a| {
                std::iter::once(a.id.as_str())
                    .chain(a.label.iter().map(|(_, text)| text))
                    .any(|n| fold_label(n) == folded)
            }) else {
                continue;
            };
            let category =
                match_category(&config.attributes[index].categories, value).map_err(|e| {
                    InputError::at_line(
                        file,
                        case.line,
                        format!("case '{}', variable '{variable}': {e}", case.name),
                    )
                })?;
            values[index] = category.map(String::from);
        }
        let respondent = Respondent {
            id: case.name.clone(),
            panel: panel.to_string(),
            values,
        };
        let all: Vec<Respondent> = known.iter().chain(&respondents).cloned().collect();
        check_consistent(&all, &respondent).map_err(|e| {
            InputError::at_line(file, case.line, format!("case '{}': {e}", case.name))
        })?;
        respondents.push(respondent);
    }
    Ok(respondents)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::{Lang, Names};

    fn category(id: &str, en: &str, fa: &str) -> CategoryConfig {
        CategoryConfig {
            id: id.into(),
            label: Names::of(&[(Lang::EN, en), (Lang::FA, fa)]),
        }
    }

    #[test]
    fn values_match_ids_and_labels_in_either_language() {
        let categories = vec![
            category("female", "Female", "زن"),
            category("male", "Male", "مرد"),
        ];
        assert_eq!(match_category(&categories, " FEMALE "), Ok(Some("female")));
        assert_eq!(match_category(&categories, "مرد"), Ok(Some("male")));
        assert_eq!(match_category(&categories, ""), Ok(None));
        let error = match_category(&categories, "other").unwrap_err();
        assert!(
            error.contains("'other' is not a configured category"),
            "{error}"
        );
    }
}
