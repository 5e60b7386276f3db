//! Descriptive demographics: respondents per category of each attribute, per panel and overall.

use crate::number::Exact;

/// One respondent of one panel, with a category id (or nothing) per attribute, in attribute order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Respondent {
    pub(crate) id: String,
    pub(crate) panel: String,
    pub(crate) values: Vec<Option<String>>,
}

/// An attribute as the analysis needs it: its id and its category ids in report order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttributeSpec {
    pub(crate) id: String,
    pub(crate) categories: Vec<String>,
}

/// How many respondents fall in each category of one attribute.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frequencies {
    pub(crate) attribute: String,
    /// The configured categories in order, then one row for missing values.
    pub(crate) rows: Vec<FrequencyRow>,
    /// Respondents per panel (in panel order), then overall: the denominators of the percentages.
    pub(crate) totals: Vec<u64>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FrequencyRow {
    /// `None` for the row of missing values.
    pub(crate) category: Option<String>,
    /// Respondents per panel (in panel order), then overall.
    pub(crate) counts: Vec<u64>,
}

/// Counts every attribute's categories per panel and overall.
///
/// A respondent who sits on several panels is counted once in each of them and once overall, with the
/// values of their first row (the reader checks that their rows agree).
pub(crate) fn describe(
    panels: &[String],
    attributes: &[AttributeSpec],
    respondents: &[Respondent],
) -> Vec<Frequencies> {
    let mut overall: Vec<&Respondent> = Vec::new();
    for respondent in respondents {
        if !overall.iter().any(|r| r.id == respondent.id) {
            overall.push(respondent);
        }
    }
    let columns = panels.len() + 1;
    attributes
        .iter()
        .enumerate()
        .map(|(index, attribute)| {
            let mut rows: Vec<FrequencyRow> = attribute
                .categories
                .iter()
                .map(|c| FrequencyRow {
                    category: Some(c.clone()),
                    counts: vec![0; columns],
                })
                .chain(std::iter::once(FrequencyRow {
                    category: None,
                    counts: vec![0; columns],
                }))
                .collect();
            let mut totals = vec![0; columns];
            let mut tally = |respondent: &Respondent, column: usize| {
                let value = respondent.values.get(index).cloned().flatten();
                if let Some(row) = rows.iter_mut().find(|r| r.category == value) {
                    row.counts[column] += 1;
                    totals[column] += 1;
                }
            };
            for respondent in respondents {
                if let Some(column) = panels.iter().position(|p| *p == respondent.panel) {
                    tally(respondent, column);
                }
            }
            for respondent in &overall {
                tally(respondent, columns - 1);
            }
            Frequencies {
                attribute: attribute.id.clone(),
                rows,
                totals,
            }
        })
        .collect()
}

/// `count / total` as a percentage, exactly; `None` for an empty panel.
pub(crate) fn percent(count: u64, total: u64) -> Option<Exact> {
    if total == 0 {
        return None;
    }
    Exact::new(i128::from(count) * 100, i128::from(total))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn respondent(id: &str, panel: &str, gender: Option<&str>) -> Respondent {
        Respondent {
            id: id.into(),
            panel: panel.into(),
            values: vec![gender.map(String::from)],
        }
    }

    #[test]
    fn counts_per_panel_and_overall_with_missing_values() {
        // Synthetic panel: interview R1 (f), R2 (m), R3 (missing); delphi R1 (f, same person), R4 (m).
        // By hand: interview f1 m1 missing1 of 3; delphi f1 m1 of 2; overall (R1..R4 once) f1 m2 missing1 of 4.
        let panels = vec!["interview".to_string(), "delphi".to_string()];
        let attributes = vec![AttributeSpec {
            id: "gender".into(),
            categories: vec!["male".into(), "female".into()],
        }];
        let respondents = vec![
            respondent("R1", "interview", Some("female")),
            respondent("R2", "interview", Some("male")),
            respondent("R3", "interview", None),
            respondent("R1", "delphi", Some("female")),
            respondent("R4", "delphi", Some("male")),
        ];
        let tables = describe(&panels, &attributes, &respondents);
        assert_eq!(tables.len(), 1);
        let table = &tables[0];
        assert_eq!(table.rows[0].category.as_deref(), Some("male"));
        assert_eq!(table.rows[0].counts, vec![1, 1, 2]);
        assert_eq!(table.rows[1].counts, vec![1, 1, 1]);
        assert_eq!(table.rows[2].category, None);
        assert_eq!(table.rows[2].counts, vec![1, 0, 1]);
        assert_eq!(table.totals, vec![3, 2, 4]);
    }

    #[test]
    fn percentages_are_exact_and_round_half_away_from_zero() {
        // 1 of 8 = 12.5% exactly, shown as 12.5; 1 of 3 = 33.333...% shown as 33.3; 2 of 3 = 66.7.
        assert_eq!(percent(1, 8).unwrap().round_half_away(1), "12.5");
        assert_eq!(percent(1, 3).unwrap().round_half_away(1), "33.3");
        assert_eq!(percent(2, 3).unwrap().round_half_away(1), "66.7");
        // 1 of 16 = 6.25% is a tie at one decimal: half away from zero gives 6.3.
        assert_eq!(percent(1, 16).unwrap().round_half_away(1), "6.3");
        assert_eq!(percent(0, 0), None);
    }
}
