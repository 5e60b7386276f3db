//! Expert weights (`expert,weight`) and the tally that turns ratings into counts and weight sums per
//! indicator and level.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use crate::analysis::{CountsRow, CountsTable, ExpertRatings, Indicator, LevelWeights, Round};
use crate::domain::ScaleLevel;
use crate::domain::{InputFile, InputRole};
use crate::error::InputError;
use crate::ingest::table::{ascii_digits, CsvTable};
use crate::number::{Exact, MAX_DECIMALS};

/// Weights are held as whole units of 10^-6 (they have at most `MAX_DECIMALS` decimals), so sums are
/// integer additions however many ratings there are.
const UNITS_PER_ONE: i128 = 10i128.pow(MAX_DECIMALS);

/// One positive weight per expert, read from the study's weights file.
#[derive(Debug, Clone)]
pub struct ExpertWeights {
    /// The weights file, for error messages.
    pub path: PathBuf,
    units: HashMap<String, i128>,
}

impl ExpertWeights {
    /// The expert's weight in units of 10^-6.
    pub fn units_of(&self, expert: &str) -> Option<i128> {
        self.units.get(expert.trim()).copied()
    }

    /// The error for a rating by an expert the weights file does not list.
    pub fn missing(&self, file: &Path, row: usize, column: &str, expert: &str) -> InputError {
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
pub fn read_weights(
    folder: &Path,
    relative: &Path,
) -> Result<(ExpertWeights, InputFile), InputError> {
    let table = CsvTable::read(folder, relative, InputRole::Weights)?;
    table.require_exact_columns(&["expert", "weight"])?;
    let experts = table.required_texts("expert", "an expert id")?;
    let weights = table.required_texts("weight", "a weight greater than 0")?;
    let mut units = HashMap::new();
    for (index, (expert, text)) in experts.iter().zip(&weights).enumerate() {
        let row = index + 1;
        let weight = Exact::parse_decimal(&ascii_digits(text))
            .ok()
            .filter(|w| *w > Exact::ZERO)
            .ok_or_else(|| {
                table.at(row,
                    "weight",
                    format!("expected a number greater than 0 with at most {MAX_DECIMALS} decimals, found '{text}'"),
                )
            })?;
        let scaled = weight
            .checked_mul_int(UNITS_PER_ONE)
            .filter(|s| s.denominator() == 1)
            .map(|s| s.numerator())
            .ok_or_else(|| table.at(row, "weight", "weight too large"))?;
        if units.insert(expert.clone(), scaled).is_some() {
            return Err(table.at(row, "expert", format!("expert '{expert}' has two weights")));
        }
    }
    Ok((
        ExpertWeights {
            path: table.path.clone(),
            units,
        },
        table.input,
    ))
}

/// Each expert's ratings are kept (one byte per indicator) for panels of at most this many experts; a
/// larger panel is still counted, but its respondents are not searched.
pub const MAX_KEPT_EXPERTS: usize = 1_000;

/// And at most this many expert x indicator cells (16 MiB).
pub const MAX_EXPERT_CELLS: usize = 16 << 20;

/// Counts (and, for weighted studies, weight sums) per indicator and level, one rating at a time.
/// Both are flat, indicator-major: `indicator * levels + level`. Each expert's level per indicator is
/// kept too (expert-major, `level + 1`, 0 for none), within `MAX_KEPT_EXPERTS` and `MAX_EXPERT_CELLS`.
#[derive(Debug, Clone)]
pub struct Tally {
    levels: usize,
    indicators: usize,
    counts: Vec<u64>,
    weight_units: Option<Vec<i128>>,
    /// `None` once the ratings outgrow the limits above or the scale has too many levels.
    by_expert: Option<Vec<u8>>,
}

impl Tally {
    pub fn new(indicators: usize, levels: usize, weighted: bool) -> Tally {
        Tally {
            levels,
            indicators,
            counts: vec![0; indicators * levels],
            weight_units: weighted.then(|| vec![0; indicators * levels]),
            by_expert: (levels <= ExpertRatings::MAX_LEVELS).then(Vec::new),
        }
    }

    /// One rating of `indicator` at `level` by expert number `expert` (in order of first sight), of
    /// weight `units` (ignored when unweighted).
    pub fn add(&mut self, expert: usize, indicator: usize, level: usize, units: i128) {
        let cell = indicator * self.levels + level;
        self.counts[cell] += 1;
        if let Some(weights) = &mut self.weight_units {
            weights[cell] += units;
        }
        if let Some(cells) = &mut self.by_expert {
            let at = expert * self.indicators + indicator;
            if expert >= MAX_KEPT_EXPERTS || at >= MAX_EXPERT_CELLS {
                self.by_expert = None;
            } else {
                if at >= cells.len() {
                    cells.resize((expert + 1) * self.indicators, 0);
                }
                cells[at] = level as u8 + 1;
            }
        }
    }

    /// Adds another tally of the same indicators and levels (counted from other rows) to this one.
    pub fn merge(&mut self, other: Tally) {
        for (count, more) in self.counts.iter_mut().zip(other.counts) {
            *count += more;
        }
        if let (Some(mine), Some(theirs)) = (&mut self.weight_units, other.weight_units) {
            for (units, more) in mine.iter_mut().zip(theirs) {
                *units += more;
            }
        }
        self.by_expert = match (self.by_expert.take(), other.by_expert) {
            (Some(mut mine), Some(theirs)) => {
                if mine.len() < theirs.len() {
                    mine.resize(theirs.len(), 0);
                }
                // Each (expert, indicator) pair is rated once (the readers check it), so at most one
                // side holds a level.
                for (cell, more) in mine.iter_mut().zip(theirs) {
                    *cell = (*cell).max(more);
                }
                Some(mine)
            }
            _ => None,
        };
    }

    /// The counts, the weight sums and, when `experts` names them (by number), each expert's ratings.
    pub fn finish(
        self,
        scale: &[ScaleLevel],
        indicators: &[Indicator],
        experts: Option<Vec<String>>,
    ) -> Round {
        // `chunks` needs a positive size; a scale has at least one level, so this only guards.
        let levels = self.levels.max(1);
        let counts = CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: indicators
                .iter()
                .zip(self.counts.chunks(levels))
                .map(|(indicator, counts)| CountsRow {
                    indicator: indicator.id.clone(),
                    counts: counts.to_vec(),
                })
                .collect(),
        };
        let weights = self.weight_units.map(|units| LevelWeights {
            rows: units
                .chunks(levels)
                .map(|row| {
                    row.iter()
                        .map(|&units| Exact::new(units, UNITS_PER_ONE).unwrap_or(Exact::ZERO))
                        .collect()
                })
                .collect(),
        });
        let experts = match (experts, self.by_expert) {
            (Some(names), Some(mut cells)) => {
                cells.resize(names.len() * self.indicators, 0);
                ExpertRatings::new(names, self.indicators, cells)
            }
            _ => None,
        };
        Round {
            counts,
            weights,
            experts,
        }
    }
}
