//! Expert weights (`expert,weight`): one positive weight per expert, held in whole units of 10^-6 so
//! that the tally (`tally.rs`) sums them exactly.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::domain::{InputFile, InputRole};
use crate::error::{InputError, Problems};
use crate::ingest::table::{ascii_digits, CsvTable};
use crate::number::{Exact, MAX_DECIMALS};

/// Weights are held as whole units of 10^-6 (they have at most `MAX_DECIMALS` decimals), so sums are
/// integer additions however many ratings there are.
pub(crate) const UNITS_PER_ONE: i128 = 10i128.pow(MAX_DECIMALS);

/// One positive weight per expert, read from the study's weights file.
#[derive(Debug, Clone)]
pub(crate) struct ExpertWeights {
    /// The weights file, for error messages.
    pub(crate) path: PathBuf,
    units: HashMap<String, i128>,
}

impl ExpertWeights {
    /// The expert's weight in units of 10^-6.
    pub(crate) fn units_of(&self, expert: &str) -> Option<i128> {
        self.units.get(expert.trim()).copied()
    }

    /// The error for a rating by an expert the weights file does not list.
    pub(crate) fn missing(
        &self,
        file: &Path,
        row: usize,
        column: &str,
        expert: &str,
    ) -> InputError {
        InputError::cell(
            file,
            row,
            column,
            format!(
                "expert '{expert}' has no weight in {}; every expert who rates needs one",
                self.path.display()
            ),
        )
    }
}

/// Reads `expert,weight`: unique expert ids, weights greater than 0 with at most 6 decimals. Weights
/// need not sum to one: each indicator's mean divides by the total weight of its respondents.
pub(crate) fn read_weights(
    folder: &Path,
    relative: &Path,
) -> Result<(ExpertWeights, InputFile), InputError> {
    let table = CsvTable::read(folder, relative, InputRole::Weights)?;
    table.require_exact_columns(&["expert", "weight"])?;
    // Every problem of the file, in one error.
    let mut problems = Problems::new();
    let experts = table.texts("expert", "an expert id", &mut problems)?;
    let weights = table.texts("weight", "a weight greater than 0", &mut problems)?;
    let mut units = HashMap::new();
    for (index, (expert, text)) in experts.iter().zip(&weights).enumerate() {
        let row = index + 1;
        if text.is_empty() {
            continue;
        }
        let Some(weight) = Exact::parse_decimal(&ascii_digits(text))
            .ok()
            .filter(|w| *w > Exact::ZERO)
        else {
            problems.push(table.at(
                row,
                "weight",
                format!("expected a number greater than 0 with at most {MAX_DECIMALS} decimals, found '{text}'"),
            ));
            continue;
        };
        let Some(scaled) = weight
            .checked_mul_int(UNITS_PER_ONE)
            .filter(|s| s.denominator() == 1)
            .map(|s| s.numerator())
        else {
            problems.push(table.at(row, "weight", "weight too large"));
            continue;
        };
        if !expert.is_empty() && units.insert(expert.clone(), scaled).is_some() {
            problems.push(table.at(row, "expert", format!("expert '{expert}' has two weights")));
        }
    }
    problems.into_result()?;
    Ok((
        ExpertWeights {
            path: table.path.clone(),
            units,
        },
        table.input,
    ))
}
