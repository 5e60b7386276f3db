//! Method identification: which scale, aggregation, defuzzification and reading of the printed counts'
//! columns reproduce the most printed screening rows, for papers that do not print their method.
//!
//! Every candidate scale (the presets and the study's own) is tried with every aggregation and every
//! defuzzification and, when the publication prints its counts table, every assignment of that table's
//! columns to the scale's levels (k! for k levels, up to [`MAX_PERMUTED_LEVELS`]). A printed row is
//! reproduced when every number it prints holds the candidate's value at its printed precision (either
//! tie rule, or within a few ulps for full-precision prints) and its printed status, if any, agrees
//! with the threshold. The aggregate does not depend on the defuzzification, so it is computed once per
//! scale, reading and aggregation, and a row whose l, m or u fails is failed for every defuzzification.

use crate::analysis::feasibility::{Measure, PrintedMeans};
use crate::analysis::fuzzy::{aggregate, defuzzify, Tfn};
use crate::analysis::Status;
use crate::domain::{Aggregation, Defuzzification, ScaleLevel};
use crate::number::{Exact, Num};

/// Level counts up to which every column order is tried (6! = 720); above, only the printed order.
pub(crate) const MAX_PERMUTED_LEVELS: usize = 6;

pub(crate) const AGGREGATIONS: [Aggregation; 3] = [
    Aggregation::ArithmeticMean,
    Aggregation::GeometricMean,
    Aggregation::MinGeometricMax,
];

pub(crate) const DEFUZZIFICATIONS: [Defuzzification; 4] = [
    Defuzzification::Centroid,
    Defuzzification::AlphaCutMean,
    Defuzzification::GradedMean,
    Defuzzification::Geometric,
];

/// A scale to try, by name.
#[derive(Debug, Clone)]
pub struct CandidateScale {
    pub name: String,
    pub(crate) levels: Vec<ScaleLevel>,
}

/// One printed screening row and the counts it is computed from (in the printed columns' order).
#[derive(Debug, Clone)]
pub(crate) struct PrintedRow {
    pub(crate) counts: Vec<u64>,
    pub(crate) means: PrintedMeans,
}

/// One combination and how many printed rows it reproduces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// Competition rank: 1 + the number of combinations that reproduce more rows.
    pub rank: usize,
    /// Whether another combination reproduces as many rows.
    pub tied: bool,
    /// Index into the candidate scales.
    pub scale: usize,
    pub aggregation: Aggregation,
    pub defuzzification: Defuzzification,
    /// `reading[j]`: the level (0-based) printed column j is read as; the identity is the printed order.
    pub reading: Vec<usize>,
    pub reproduced: usize,
}

impl Ranked {
    pub fn reads_as_printed(&self) -> bool {
        self.reading
            .iter()
            .enumerate()
            .all(|(j, &level)| j == level)
    }
}

/// Every combination tried, best first.
#[derive(Debug, Clone)]
pub struct Identification {
    pub scales: Vec<CandidateScale>,
    /// Printed rows with at least one printed number.
    pub rows: usize,
    /// Column readings tried per scale with the counts' number of levels.
    pub readings: usize,
    /// Every combination, most rows first; ties in the order scales, aggregations, defuzzifications
    /// and readings were tried.
    pub ranked: Vec<Ranked>,
}

/// Every order of `0..k` in lexicographic order (Heap's algorithm would not be ordered).
fn permutations(k: usize) -> Vec<Vec<usize>> {
    let mut out = Vec::new();
    let mut current: Vec<usize> = (0..k).collect();
    loop {
        out.push(current.clone());
        // Next permutation in lexicographic order.
        let Some(i) = (1..k).rev().find(|&i| current[i - 1] < current[i]) else {
            return out;
        };
        let pivot = i - 1;
        let j = (pivot + 1..k)
            .rev()
            .find(|&j| current[j] > current[pivot])
            .unwrap_or(pivot);
        current.swap(pivot, j);
        current[i..].reverse();
    }
}

fn fuzzy_value(tfn: &Tfn, measure: Measure) -> Num {
    match measure {
        Measure::L => tfn.l,
        Measure::M => tfn.m,
        Measure::U => tfn.u,
        Measure::Crisp => Num::ZERO,
    }
}

fn holds(means: &PrintedMeans, measure: Measure, value: Num) -> bool {
    means
        .get(measure)
        .is_none_or(|p| p.interval_any_rule().contains_num(value))
}

/// Ranks every combination by the printed rows it reproduces; `permute` tries every reading of the
/// counts' columns (for a printed counts table), else only the printed order.
pub(crate) fn identify(
    scales: Vec<CandidateScale>,
    rows: &[PrintedRow],
    threshold: Exact,
    permute: bool,
) -> Identification {
    let rows: Vec<&PrintedRow> = rows.iter().filter(|r| r.means.has_numbers()).collect();
    let levels = rows.first().map_or(0, |r| r.counts.len());
    let readings = if permute && levels <= MAX_PERMUTED_LEVELS {
        permutations(levels)
    } else {
        vec![(0..levels).collect()]
    };
    let mut ranked = Vec::new();
    for (scale_index, scale) in scales.iter().enumerate() {
        if scale.levels.len() != levels {
            continue;
        }
        for aggregation in AGGREGATIONS {
            // Per reading, the rows reproduced by each defuzzification.
            let mut per_reading = vec![[0usize; DEFUZZIFICATIONS.len()]; readings.len()];
            let mut counts = vec![0u64; levels];
            for (reading_index, reading) in readings.iter().enumerate() {
                for row in &rows {
                    for (column, &level) in reading.iter().enumerate() {
                        counts[level] = row.counts[column];
                    }
                    let Some(tfn) = aggregate(aggregation, &scale.levels, &counts, None) else {
                        continue;
                    };
                    if ![Measure::L, Measure::M, Measure::U]
                        .iter()
                        .all(|&m| holds(&row.means, m, fuzzy_value(&tfn, m)))
                    {
                        continue;
                    }
                    for (index, defuzzification) in DEFUZZIFICATIONS.into_iter().enumerate() {
                        let Some(crisp) = defuzzify(defuzzification, &tfn) else {
                            continue;
                        };
                        let status = if crisp.cmp_exact(threshold).is_lt() {
                            Status::Rejected
                        } else {
                            Status::Accepted
                        };
                        if holds(&row.means, Measure::Crisp, crisp)
                            && row.means.status.is_none_or(|s| s == status)
                        {
                            per_reading[reading_index][index] += 1;
                        }
                    }
                }
            }
            for (index, defuzzification) in DEFUZZIFICATIONS.into_iter().enumerate() {
                for (reading, found) in readings.iter().zip(&per_reading) {
                    ranked.push(Ranked {
                        rank: 0,
                        tied: false,
                        scale: scale_index,
                        aggregation,
                        defuzzification,
                        reading: reading.clone(),
                        reproduced: found[index],
                    });
                }
            }
        }
    }
    // Stable: ties keep the order they were tried in.
    ranked.sort_by_key(|r| std::cmp::Reverse(r.reproduced));
    let reproduced: Vec<usize> = ranked.iter().map(|r| r.reproduced).collect();
    for entry in &mut ranked {
        entry.rank = 1 + reproduced.iter().filter(|&&r| r > entry.reproduced).count();
        entry.tied = reproduced
            .iter()
            .filter(|&&r| r == entry.reproduced)
            .count()
            > 1;
    }
    Identification {
        scales,
        rows: rows.len(),
        readings: readings.len(),
        ranked,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::tests::quarter_scale;
    use crate::config::presets::ScalePreset;
    use crate::number::Printed;

    #[test]
    fn every_column_order_is_tried_once_in_lexicographic_order() {
        let orders = permutations(3);
        assert_eq!(
            orders,
            [
                [0, 1, 2],
                [0, 2, 1],
                [1, 0, 2],
                [1, 2, 0],
                [2, 0, 1],
                [2, 1, 0]
            ]
        );
        assert_eq!(permutations(5).len(), 120);
    }

    /// SYNTHETIC: rows printed at 3 decimals from the fifths scale, the graded mean (l + 4m + u) / 6
    /// and counts whose fourth and fifth printed columns hold levels 5 and 4.
    #[test]
    fn a_planted_scale_method_and_column_order_is_found() {
        let fifths = ScalePreset::FivePointFifths.levels();
        let true_counts = [
            [0u64, 1, 2, 6, 6],
            [1, 1, 4, 3, 6],
            [0, 0, 6, 5, 4],
            [2, 2, 6, 3, 2],
            [0, 2, 5, 6, 2],
            [3, 2, 5, 3, 2],
        ];
        let threshold = Exact::new(1, 2).unwrap();
        let rows: Vec<PrintedRow> = true_counts
            .iter()
            .map(|c| {
                let tfn = aggregate(Aggregation::ArithmeticMean, &fifths, c, None).unwrap();
                let crisp = defuzzify(Defuzzification::GradedMean, &tfn).unwrap();
                let print = |v: Num| Some(Printed::parse(&v.round_half_away(3)).unwrap());
                PrintedRow {
                    // Printed with high and very high exchanged.
                    counts: vec![c[0], c[1], c[2], c[4], c[3]],
                    means: PrintedMeans {
                        l: print(tfn.l),
                        m: print(tfn.m),
                        u: print(tfn.u),
                        crisp: print(crisp),
                        status: Some(if crisp.cmp_exact(threshold).is_lt() {
                            Status::Rejected
                        } else {
                            Status::Accepted
                        }),
                    },
                }
            })
            .collect();
        let mut scales = vec![CandidateScale {
            name: "study".into(),
            levels: quarter_scale(),
        }];
        scales.extend(ScalePreset::ALL.iter().map(|p| CandidateScale {
            name: p.name().into(),
            levels: p.levels(),
        }));
        let found = identify(scales, &rows, threshold, true);
        assert_eq!((found.rows, found.readings), (6, 120));
        // 3 five-level scales (the study's, quarters, fifths; the 4- and 7-level presets do not fit
        // five columns) x 3 aggregations x 4 defuzzifications x 120 readings.
        assert_eq!(found.ranked.len(), 3 * 3 * 4 * 120);
        let best = &found.ranked[0];
        assert_eq!(found.scales[best.scale].name, "five-point-fifths");
        assert_eq!(
            (best.aggregation, best.defuzzification, best.reading.clone()),
            (
                Aggregation::ArithmeticMean,
                Defuzzification::GradedMean,
                vec![0, 1, 2, 4, 3]
            )
        );
        assert_eq!((best.rank, best.reproduced, best.tied), (1, 6, false));
        assert!(found.ranked[1].reproduced < 6);
        assert!(!best.reads_as_printed());
    }
}
