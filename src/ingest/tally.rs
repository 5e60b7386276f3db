//! The tally of ratings of every shape (long, wide, survey; counts tables add theirs directly): counts
//! per indicator and level, weight sums for weighted studies, and each expert's level per indicator,
//! one rating at a time, so a ratings file of any size is counted in one pass.

use crate::analysis::{CountsRow, CountsTable, ExpertRatings, Indicator, LevelWeights, Round};
use crate::domain::ScaleLevel;
use crate::ingest::weights::UNITS_PER_ONE;
use crate::number::Exact;

/// Each expert's ratings are kept (one byte per indicator) for panels of at most this many experts; a
/// larger panel is still counted, but its respondents are not searched.
pub(crate) const MAX_KEPT_EXPERTS: usize = 1_000;

/// And at most this many expert x indicator cells (16 MiB).
pub(crate) const MAX_EXPERT_CELLS: usize = 16 << 20;

/// Counts (and, for weighted studies, weight sums) per indicator and level, one rating at a time.
/// Both are flat, indicator-major: `indicator * levels + level`. Each expert's level per indicator is
/// kept too (expert-major, `level + 1`, 0 for none), within `MAX_KEPT_EXPERTS` and `MAX_EXPERT_CELLS`.
#[derive(Debug, Clone)]
pub(crate) struct Tally {
    levels: usize,
    indicators: usize,
    counts: Vec<u64>,
    weight_units: Option<Vec<i128>>,
    /// `None` once the ratings outgrow the limits above or the scale has too many levels.
    by_expert: Option<Vec<u8>>,
}

impl Tally {
    pub(crate) fn new(indicators: usize, levels: usize, weighted: bool) -> Tally {
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
    pub(crate) fn add(&mut self, expert: usize, indicator: usize, level: usize, units: i128) {
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
    pub(crate) fn merge(&mut self, other: Tally) {
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
    pub(crate) fn finish(
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
