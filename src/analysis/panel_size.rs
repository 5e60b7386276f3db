//! Panel-size inference: for each printed column, which numbers of ratings n from 1 to [`MAX_PANEL`]
//! could give every printed value, and how many of them the stated panel gives.
//!
//! Under the unweighted arithmetic mean with a linear defuzzification, a column's value over n ratings
//! is `S / (d n)`, where `S` adds one whole number per rating (the level's vertex, or its weighted
//! vertex sum for the crisp value, over the scale's common denominator) and `d` is fixed. The sums n
//! ratings can reach are found once per column by a bitset recursion (the sums of n - 1 ratings plus
//! one more level), so each printed value costs one short scan per n: bounded work per value.

use crate::analysis::audit::{AuditedTable, Column};
use crate::analysis::feasibility::{Measure, SearchLimit};
use crate::domain::ScaleLevel;
use crate::number::{Exact, RoundingInterval};

/// The largest panel the inference considers.
pub(crate) const MAX_PANEL: u64 = 200;

/// The most whole-number steps one rating may add to a column's sum (the bitsets then take about
/// 20,100 x 5,000 bits, 12 MiB); finer scales are not searched.
const MAX_STEPS_PER_RATING: i128 = 5_000;

/// Which panel sizes fit one printed column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PanelFit {
    pub(crate) table: AuditedTable,
    pub(crate) column: Column,
    /// Printed values checked.
    pub(crate) values: usize,
    /// Every n from 1 to `MAX_PANEL` for which every printed value of the column is producible.
    pub(crate) fitting: Vec<u64>,
    pub(crate) stated: u64,
    /// Printed values the stated panel can give; `None` when it is larger than `MAX_PANEL` (the
    /// screening columns are not searched that far).
    pub(crate) stated_fits: Option<usize>,
}

impl PanelFit {
    /// Whether the stated panel gives every printed value; `None` when it was not checked.
    pub(crate) fn stated_fits_all(&self) -> Option<bool> {
        self.stated_fits.map(|fits| fits == self.values)
    }
}

/// The sums one column can take over n ratings, for every n up to `MAX_PANEL`.
///
/// A rating at level i adds `a_i = low + step * b_i`; n ratings add `n * low + step * T` with `T` a
/// sum of n of the `b_i`, kept as one bitset per n.
struct SumLattice {
    /// Value = sum / (denominator * n).
    denominator: i128,
    low: i128,
    step: i128,
    /// `reachable[n - 1]`: bit T set when some n ratings give `T`.
    reachable: Vec<Vec<u64>>,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl SumLattice {
    /// `per_level[i] / denominator` is what a rating at level i adds to the column.
    fn new(per_level: &[i128], denominator: i128) -> Result<SumLattice, SearchLimit> {
        let low = *per_level.iter().min().ok_or(SearchLimit::NoRatings)?;
        let step = per_level.iter().fold(0, |g, &a| gcd(g, a - low)).max(1);
        let steps: Vec<usize> = per_level
            .iter()
            .map(|&a| usize::try_from((a - low) / step).unwrap_or(usize::MAX))
            .collect();
        let widest = steps.iter().copied().max().unwrap_or(0);
        if widest as i128 > MAX_STEPS_PER_RATING {
            return Err(SearchLimit::TooManyVectors { vectors: None });
        }
        let mut reachable: Vec<Vec<u64>> = Vec::with_capacity(MAX_PANEL as usize);
        let mut previous = vec![1u64]; // zero ratings reach only T = 0
        for n in 1..=MAX_PANEL as usize {
            let words = (n * widest) / 64 + 1;
            let mut next = vec![0u64; words];
            for &shift in &steps {
                shift_or(&previous, shift, &mut next);
            }
            reachable.push(next.clone());
            previous = next;
        }
        Ok(SumLattice {
            denominator,
            low,
            step,
            reachable,
        })
    }

    /// Whether n ratings can give a value in `interval`; `true` when the arithmetic overflows, so that
    /// nothing is called impossible without proof.
    fn reaches(&self, n: u64, interval: &RoundingInterval) -> bool {
        let n_i = i128::from(n);
        // T = (value * denominator * n - n * low) / step, for the interval's two ends.
        let to_t = |value: Exact| -> Option<Exact> {
            value
                .checked_mul_int(self.denominator.checked_mul(n_i)?)?
                .checked_sub(Exact::from_int(n_i.checked_mul(self.low)?))?
                .checked_div_int(self.step)
        };
        let (Some(low), Some(high)) = (to_t(interval.low), to_t(interval.high)) else {
            return true;
        };
        let floor = |x: Exact| x.numerator().div_euclid(x.denominator());
        let whole = |x: Exact| x.denominator() == 1;
        let mut first = floor(low);
        if !whole(low) || !interval.low_closed {
            first += 1;
        }
        let mut last = floor(high);
        if whole(high) && !interval.high_closed {
            last -= 1;
        }
        let bits = &self.reachable[(n - 1) as usize];
        let top = (bits.len() * 64) as i128 - 1;
        let (first, last) = (first.max(0), last.min(top));
        if first > last {
            return false;
        }
        (first..=last).any(|t| bits[(t / 64) as usize] >> (t % 64) & 1 == 1)
    }
}

/// `target |= source << shift` on bitsets (bit i of word i / 64).
fn shift_or(source: &[u64], shift: usize, target: &mut [u64]) {
    let (words, bits) = (shift / 64, shift % 64);
    for (index, &word) in source.iter().enumerate() {
        if word == 0 {
            continue;
        }
        let at = index + words;
        if at < target.len() {
            target[at] |= word << bits;
        }
        if bits > 0 && at + 1 < target.len() {
            target[at + 1] |= word >> (64 - bits);
        }
    }
}

/// The common denominator of the scale's vertices and each level's vertices over it.
fn integer_vertices(scale: &[ScaleLevel]) -> (i128, Vec<[i128; 3]>) {
    let den = scale
        .iter()
        .flat_map(|level| level.tfn)
        .fold(1i128, |lcm, v| {
            lcm / gcd(lcm, v.denominator()) * v.denominator()
        });
    let vertices = scale
        .iter()
        .map(|level| level.tfn.map(|v| v.numerator() * (den / v.denominator())))
        .collect();
    (den, vertices)
}

/// Panel sizes for each printed column of the screening table, with `crisp_weights` the linear
/// defuzzification `(a l + b m + c u) / (a + b + c)`. `columns` holds each column's printed intervals.
pub(crate) fn screening_fits(
    scale: &[ScaleLevel],
    crisp_weights: [i128; 3],
    columns: &[(Measure, Vec<RoundingInterval>)],
    stated: u64,
) -> Result<Vec<PanelFit>, SearchLimit> {
    let (den, vertices) = integer_vertices(scale);
    let mut fits = Vec::new();
    for (measure, intervals) in columns {
        if intervals.is_empty() {
            continue;
        }
        let (per_level, denominator): (Vec<i128>, i128) = match measure {
            Measure::L | Measure::M | Measure::U => {
                let vertex = match measure {
                    Measure::L => 0,
                    Measure::M => 1,
                    _ => 2,
                };
                (vertices.iter().map(|v| v[vertex]).collect(), den)
            }
            Measure::Crisp => {
                let [a, b, c] = crisp_weights;
                (
                    vertices
                        .iter()
                        .map(|v| a * v[0] + b * v[1] + c * v[2])
                        .collect(),
                    den * (a + b + c),
                )
            }
        };
        let lattice = SumLattice::new(&per_level, denominator)?;
        let producible_at = |n: u64| {
            intervals
                .iter()
                .filter(|interval| lattice.reaches(n, interval))
                .count()
        };
        // A panel fits when it gives every value: stop at the first it cannot give.
        let fitting = (1..=MAX_PANEL)
            .filter(|&n| {
                intervals
                    .iter()
                    .all(|interval| lattice.reaches(n, interval))
            })
            .collect();
        let stated_fits = (1..=MAX_PANEL)
            .contains(&stated)
            .then(|| producible_at(stated));
        fits.push(PanelFit {
            table: AuditedTable::Screening,
            column: Column::Measure(*measure),
            values: intervals.len(),
            fitting,
            stated,
            stated_fits,
        });
    }
    Ok(fits)
}

/// Panel sizes for a printed counts table: a row of counts adding up to s fits only n = s.
pub(crate) fn counts_fit(responses: &[u64], stated: u64) -> Option<PanelFit> {
    let first = *responses.first()?;
    let all_equal = responses.iter().all(|&r| r == first);
    Some(PanelFit {
        table: AuditedTable::Counts,
        column: Column::Responses,
        values: responses.len(),
        fitting: if all_equal && (1..=MAX_PANEL).contains(&first) {
            vec![first]
        } else {
            Vec::new()
        },
        stated,
        stated_fits: Some(responses.iter().filter(|&&r| r == stated).count()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::tests::quarter_scale;
    use crate::number::Printed;

    fn intervals(texts: &[&str]) -> Vec<RoundingInterval> {
        texts
            .iter()
            .map(|t| Printed::parse(t).unwrap().interval_any_rule())
            .collect()
    }

    #[test]
    fn the_sums_of_n_ratings_are_the_hand_counted_ones() {
        // Quarter scale, crisp by the centroid: a rating adds (l + m + u) * 4 = 1, 3, 6, 9, 11 over
        // 12 n. One rating: {1, 3, 6, 9, 11}; two: every pair sum {2, 4, 6, 7, 9, 10, 12, 14, 15, 17,
        // 18, 20, 22}.
        let (den, vertices) = integer_vertices(&quarter_scale());
        assert_eq!(den, 4);
        let per_level: Vec<i128> = vertices.iter().map(|v| v[0] + v[1] + v[2]).collect();
        assert_eq!(per_level, [1, 3, 6, 9, 11]);
        let lattice = SumLattice::new(&per_level, 12).unwrap();
        let sums = |n: u64| -> Vec<i128> {
            (0..=2 * 11)
                .filter(|&s| {
                    let value = Exact::new(s, 12 * i128::from(n)).unwrap();
                    lattice.reaches(
                        n,
                        &RoundingInterval {
                            low: value,
                            high: value,
                            low_closed: true,
                            high_closed: true,
                        },
                    )
                })
                .collect()
        };
        assert_eq!(sums(1), [1, 3, 6, 9, 11]);
        assert_eq!(sums(2), [2, 4, 6, 7, 9, 10, 12, 14, 15, 17, 18, 20, 22]);
    }

    #[test]
    fn printed_columns_fit_the_panels_whose_lattice_holds_every_value() {
        // l on the quarter scale is k / (4 n) for k in 0..=3n. 0.533 = 32/60 fits n = 15; 0.523 needs
        // k/(4n) in [0.5225, 0.5235): n = 15 gives [31.35, 31.41), no whole k. Both together first fit
        // n = 75: 157/300 = 0.52333 and 160/300 = 0.53333 (a Python loop over k gives 75, 76, 98, ...).
        let columns = vec![(Measure::L, intervals(&["0.533", "0.523"]))];
        let fits = screening_fits(&quarter_scale(), [1, 1, 1], &columns, 15).unwrap();
        let fit = &fits[0];
        assert_eq!((fit.values, fit.stated_fits), (2, Some(1)));
        assert!(!fit.fitting.contains(&15));
        assert_eq!(fit.stated_fits_all(), Some(false));
        // A stated panel beyond 200 is not claimed either way.
        let beyond = screening_fits(&quarter_scale(), [1, 1, 1], &columns, 250).unwrap();
        assert_eq!(beyond[0].stated_fits, None);
        // Brute force over k for every n.
        let brute: Vec<u64> = (1..=MAX_PANEL)
            .filter(|&n| {
                ["0.533", "0.523"].iter().all(|t| {
                    let interval = Printed::parse(t).unwrap().interval_any_rule();
                    (0..=3 * i128::from(n))
                        .any(|k| interval.contains(Exact::new(k, 4 * i128::from(n)).unwrap()))
                })
            })
            .collect();
        assert_eq!(fit.fitting, brute);
        assert_eq!(fit.fitting[..4], [75, 76, 98, 99]);
    }

    #[test]
    fn a_counts_table_fits_only_the_panel_its_rows_add_up_to() {
        let fit = counts_fit(&[15, 15, 8], 15).unwrap();
        assert_eq!(
            (fit.fitting.clone(), fit.stated_fits, fit.values),
            (vec![], Some(2), 3)
        );
        let fit = counts_fit(&[14, 14], 15).unwrap();
        assert_eq!((fit.fitting.clone(), fit.stated_fits), (vec![14], Some(0)));
    }
}
