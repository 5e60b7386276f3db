//! Method identification: which scale, aggregation, defuzzification and reading of the printed counts'
//! columns reproduce the most printed screening rows, for papers that do not print their method.
//!
//! Every candidate scale (the presets and the study's own) is tried with every aggregation and every
//! defuzzification and, when the publication prints its counts table, every assignment of that table's
//! columns to the scale's levels (k! for k levels, up to [`MAX_PERMUTED_LEVELS`]). A printed row is
//! reproduced when every number it prints holds the candidate's value at its printed precision (either
//! tie rule, or within a few ulps for full-precision prints) and its printed status, if any, agrees
//! with the threshold. The aggregate does not depend on the defuzzification, so it is computed once per
//! scale, aggregation and distinct count vector a reading makes of the row, and a row whose l, m or u
//! fails is failed for every defuzzification.

use crate::analysis::feasibility::{Measure, PrintedMeans};
use crate::analysis::fuzzy::{aggregate, defuzzify, Tfn};
use crate::analysis::Status;
use crate::domain::{Aggregation, Defuzzification, ScaleLevel};
use crate::number::{Exact, Num, RoundingInterval};
use std::collections::HashMap;

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

impl Identification {
    /// The entry of one combination.
    pub fn find(
        &self,
        scale: usize,
        aggregation: Aggregation,
        defuzzification: Defuzzification,
        reading: &[usize],
    ) -> Option<&Ranked> {
        self.ranked.iter().find(|r| {
            r.scale == scale
                && r.aggregation == aggregation
                && r.defuzzification == defuzzification
                && r.reading == reading
        })
    }

    /// How many combinations share rank 1 (0 when nothing was tried).
    pub fn tied_at_top(&self) -> usize {
        self.ranked.iter().take_while(|r| r.rank == 1).count()
    }

    /// Groups of candidate scales (by index, at least two each) that were tried and hold the same
    /// triangular numbers: they tie on every combination by construction.
    pub fn identical_scales(&self) -> Vec<Vec<usize>> {
        let tried: Vec<usize> = (0..self.scales.len())
            .filter(|&s| self.ranked.iter().any(|r| r.scale == s))
            .collect();
        let numbers =
            |s: usize| -> Vec<[Exact; 3]> { self.scales[s].levels.iter().map(|l| l.tfn).collect() };
        let mut groups: Vec<Vec<usize>> = Vec::new();
        for &scale in &tried {
            match groups.iter_mut().find(|g| numbers(g[0]) == numbers(scale)) {
                Some(group) => group.push(scale),
                None => groups.push(vec![scale]),
            }
        }
        groups.retain(|g| g.len() > 1);
        groups
    }
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

/// A printed row as the values each printed number stands for (either tie rule, or within a few ulps
/// for a full-precision print), worked out once rather than for every combination.
struct PrintedIntervals {
    vertices: [(Measure, Option<RoundingInterval>); 3],
    crisp: Option<RoundingInterval>,
    status: Option<Status>,
}

impl PrintedIntervals {
    fn of(means: &PrintedMeans) -> PrintedIntervals {
        let interval = |measure| means.get(measure).map(|p| p.interval_any_rule());
        PrintedIntervals {
            vertices: [Measure::L, Measure::M, Measure::U].map(|m| (m, interval(m))),
            crisp: interval(Measure::Crisp),
            status: means.status,
        }
    }
}

fn holds(interval: &Option<RoundingInterval>, value: Num) -> bool {
    interval.as_ref().is_none_or(|i| i.contains_num(value))
}

/// A count vector by level that some readings make of a printed row, and those readings (by index).
struct Placement {
    counts: Vec<u64>,
    readings: Vec<usize>,
}

/// A printed row ready to be tried: its intervals and the distinct placements of its counts.
struct PreparedRow {
    printed: PrintedIntervals,
    placements: Vec<Placement>,
}

/// The distinct count vectors (by level) that the readings make of one printed row, each with the
/// readings that make it: a row with repeated counts (two empty columns, say) gives the same vector
/// under several readings, and each vector is aggregated once.
fn placements(counts: &[u64], readings: &[Vec<usize>]) -> Vec<Placement> {
    let mut distinct: Vec<Placement> = Vec::new();
    let mut index: HashMap<Vec<u64>, usize> = HashMap::new();
    for (reading_index, reading) in readings.iter().enumerate() {
        let mut by_level = vec![0u64; reading.len()];
        for (column, &level) in reading.iter().enumerate() {
            by_level[level] = counts[column];
        }
        match index.get(&by_level) {
            Some(&at) => distinct[at].readings.push(reading_index),
            None => {
                index.insert(by_level.clone(), distinct.len());
                distinct.push(Placement {
                    counts: by_level,
                    readings: vec![reading_index],
                });
            }
        }
    }
    distinct
}

/// A cheap first test of a count vector: the candidate's l against the printed l, computed without the
/// reduced fractions of the full aggregate. Most combinations fail here, so most count vectors are
/// never aggregated; the comparison is exact, the one the full aggregate's l would make.
enum LowerVertex {
    /// The arithmetic mean: `l = Σ cₖ·aₖ / (d·n)` with the levels' l written over one denominator `d`.
    Sum {
        numerators: Vec<i128>,
        denominator: i128,
    },
    /// Min / geometric mean / max: `l` is the least l of the levels chosen.
    Least(Vec<Exact>),
    /// The geometric mean: no shortcut, the full aggregate decides.
    Unchecked,
}

impl LowerVertex {
    fn of(aggregation: Aggregation, levels: &[ScaleLevel]) -> LowerVertex {
        let lows: Vec<Exact> = levels.iter().map(|l| l.tfn[0]).collect();
        match aggregation {
            Aggregation::ArithmeticMean => {
                let common = lows.iter().try_fold(1i128, |d, l| {
                    let den = l.denominator();
                    d.checked_mul(den / gcd(d, den))
                });
                let sum = common.and_then(|denominator| {
                    let numerators = lows
                        .iter()
                        .map(|l| l.numerator().checked_mul(denominator / l.denominator()))
                        .collect::<Option<Vec<i128>>>()?;
                    Some(LowerVertex::Sum {
                        numerators,
                        denominator,
                    })
                });
                sum.unwrap_or(LowerVertex::Unchecked)
            }
            Aggregation::MinGeometricMax => LowerVertex::Least(lows),
            Aggregation::GeometricMean => LowerVertex::Unchecked,
        }
    }

    /// Whether the candidate's l can hold the printed l (always, when not checked here).
    fn holds(&self, interval: &RoundingInterval, counts: &[u64]) -> bool {
        match self {
            LowerVertex::Sum {
                numerators,
                denominator,
            } => {
                let mut sum = 0i128;
                let mut responses = 0i128;
                for (&count, &numerator) in counts.iter().zip(numerators) {
                    let count = i128::from(count);
                    let Some(next) = count
                        .checked_mul(numerator)
                        .and_then(|term| sum.checked_add(term))
                    else {
                        return true;
                    };
                    sum = next;
                    responses += count;
                }
                match denominator.checked_mul(responses) {
                    Some(den) if den > 0 => interval.contains_ratio(sum, den),
                    _ => true,
                }
            }
            LowerVertex::Least(lows) => counts
                .iter()
                .zip(lows)
                .filter(|(&count, _)| count > 0)
                .map(|(_, &low)| low)
                .min()
                .is_none_or(|low| interval.contains(low)),
            LowerVertex::Unchecked => true,
        }
    }
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs().max(1)
}

/// For one scale and aggregation: per reading, the rows each defuzzification reproduces.
fn reproduced_per_reading(
    levels: &[ScaleLevel],
    aggregation: Aggregation,
    rows: &[PreparedRow],
    threshold: Exact,
    readings: usize,
) -> Vec<[usize; DEFUZZIFICATIONS.len()]> {
    let mut per_reading = vec![[0usize; DEFUZZIFICATIONS.len()]; readings];
    let lower = LowerVertex::of(aggregation, levels);
    for PreparedRow {
        printed,
        placements,
    } in rows
    {
        for Placement { counts, readings } in placements {
            if let (_, Some(interval)) = &printed.vertices[0] {
                if !lower.holds(interval, counts) {
                    continue;
                }
            }
            let Some(tfn) = aggregate(aggregation, levels, counts, None) else {
                continue;
            };
            if !printed
                .vertices
                .iter()
                .all(|(m, interval)| holds(interval, fuzzy_value(&tfn, *m)))
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
                if holds(&printed.crisp, crisp) && printed.status.is_none_or(|s| s == status) {
                    for &reading in readings {
                        per_reading[reading][index] += 1;
                    }
                }
            }
        }
    }
    per_reading
}

/// Ranks every combination by the printed rows it reproduces; `permute` tries every reading of the
/// counts' columns (for a printed counts table), else only the printed order.
///
/// Work is shared where results cannot differ: each printed row's intervals are worked out once, a
/// row's distinct count vectors are aggregated once whatever readings give them, and a scale whose
/// triangular numbers equal an earlier candidate's (the study's own table and the preset it copies)
/// takes that candidate's counts.
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
    let prepared: Vec<PreparedRow> = rows
        .iter()
        .map(|row| PreparedRow {
            printed: PrintedIntervals::of(&row.means),
            placements: placements(&row.counts, &readings),
        })
        .collect();
    // Per scale tried: its triangular numbers and, per aggregation, the rows reproduced per reading.
    type PerAggregation = Vec<Vec<[usize; DEFUZZIFICATIONS.len()]>>;
    let mut computed: Vec<(Vec<[Exact; 3]>, PerAggregation)> = Vec::new();
    let mut ranked = Vec::new();
    for (scale_index, scale) in scales.iter().enumerate() {
        if scale.levels.len() != levels {
            continue;
        }
        let numbers: Vec<[Exact; 3]> = scale.levels.iter().map(|l| l.tfn).collect();
        let found = match computed.iter().position(|(n, _)| *n == numbers) {
            Some(at) => at,
            None => {
                let per_aggregation = AGGREGATIONS
                    .iter()
                    .map(|&aggregation| {
                        reproduced_per_reading(
                            &scale.levels,
                            aggregation,
                            &prepared,
                            threshold,
                            readings.len(),
                        )
                    })
                    .collect();
                computed.push((numbers, per_aggregation));
                computed.len() - 1
            }
        };
        for (aggregation, per_reading) in AGGREGATIONS.into_iter().zip(&computed[found].1) {
            for (index, defuzzification) in DEFUZZIFICATIONS.into_iter().enumerate() {
                for (reading, found) in readings.iter().zip(per_reading) {
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
    // Competition ranks from the sorted counts: one pass, not a count per entry.
    let mut start = 0;
    while start < ranked.len() {
        let reproduced = ranked[start].reproduced;
        let end = start
            + ranked[start..]
                .iter()
                .take_while(|r| r.reproduced == reproduced)
                .count();
        for entry in &mut ranked[start..end] {
            entry.rank = start + 1;
            entry.tied = end - start > 1;
        }
        start = end;
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

    /// Every combination counted the plain way, with nothing shared: row by row and reading by
    /// reading, each printed number's interval worked out where it is used.
    fn reproduced_plainly(
        scales: &[CandidateScale],
        rows: &[PrintedRow],
        threshold: Exact,
    ) -> Vec<(usize, Aggregation, Defuzzification, Vec<usize>, usize)> {
        let mut out = Vec::new();
        for (s, scale) in scales.iter().enumerate() {
            if scale.levels.len() != 5 {
                continue;
            }
            for aggregation in AGGREGATIONS {
                for defuzzification in DEFUZZIFICATIONS {
                    for reading in permutations(5) {
                        let reproduced = rows
                            .iter()
                            .filter(|row| {
                                let mut counts = vec![0u64; 5];
                                for (column, &level) in reading.iter().enumerate() {
                                    counts[level] = row.counts[column];
                                }
                                let Some(tfn) =
                                    aggregate(aggregation, &scale.levels, &counts, None)
                                else {
                                    return false;
                                };
                                let Some(crisp) = defuzzify(defuzzification, &tfn) else {
                                    return false;
                                };
                                let holds = |m: Measure, v: Num| {
                                    row.means
                                        .get(m)
                                        .is_none_or(|p| p.interval_any_rule().contains_num(v))
                                };
                                let accepted = !crisp.cmp_exact(threshold).is_lt();
                                holds(Measure::L, tfn.l)
                                    && holds(Measure::M, tfn.m)
                                    && holds(Measure::U, tfn.u)
                                    && holds(Measure::Crisp, crisp)
                                    && row
                                        .means
                                        .status
                                        .is_none_or(|s| (s == Status::Accepted) == accepted)
                            })
                            .count();
                        out.push((s, aggregation, defuzzification, reading, reproduced));
                    }
                }
            }
        }
        out
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
        assert_eq!(found.tied_at_top(), 1);
        // The study's quarter table is the five-point-quarters preset (index 2): they tie throughout.
        assert_eq!(found.identical_scales(), vec![vec![0, 2]]);
        let study = found
            .find(
                0,
                Aggregation::ArithmeticMean,
                Defuzzification::Centroid,
                &[0, 1, 2, 3, 4],
            )
            .unwrap();
        let preset = found
            .find(
                2,
                Aggregation::ArithmeticMean,
                Defuzzification::Centroid,
                &[0, 1, 2, 3, 4],
            )
            .unwrap();
        assert!(study.rank > 1 && study.tied);
        assert_eq!(
            (study.rank, study.reproduced),
            (preset.rank, preset.reproduced)
        );
        // The shared work changes nothing: every combination reproduces what it does counted plainly.
        let plain = reproduced_plainly(&found.scales, &rows, threshold);
        assert_eq!(plain.len(), found.ranked.len());
        for (scale, aggregation, defuzzification, reading, reproduced) in plain {
            let entry = found
                .find(scale, aggregation, defuzzification, &reading)
                .unwrap();
            assert_eq!(entry.reproduced, reproduced, "{entry:?}");
        }
        // Competition ranks: one more than the combinations that reproduce more rows.
        for entry in &found.ranked {
            let better = found
                .ranked
                .iter()
                .filter(|r| r.reproduced > entry.reproduced)
                .count();
            assert_eq!(entry.rank, better + 1);
        }
    }
}
