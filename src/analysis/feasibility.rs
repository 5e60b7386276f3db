//! GRIM-style feasibility: which counts of n ratings on a fuzzy scale give the printed means and crisp value.
//!
//! The search models one family of methods: the unweighted arithmetic mean with a linear
//! defuzzification `(a l + b m + c u) / (a + b + c)` (the centroid by default). Other methods are not
//! searched, and the audit says so rather than claim anything about them.
//!
//! With n experts and a scale of k levels there are C(n + k - 1, k - 1) ways the ratings can fall on the
//! levels (3876 for n = 15, k = 5). Each gives exact means `l, m, u` and a crisp value; a printed row is
//! producible when some count vector gives every printed value at its printed precision (under either
//! tie rule) and the printed status agrees with the centroid and the threshold. Everything is integer
//! arithmetic on numerators over one common denominator.

use std::cmp::Ordering;

use crate::analysis::Status;
use crate::domain::ScaleLevel;
use crate::number::{cmp_ratio, Exact, Printed, RoundingInterval};

/// The most count vectors the search enumerates; larger panels or scales are reported as not searched.
pub(crate) const MAX_COUNT_VECTORS: u128 = 1_000_000;

/// A printed quantity of a screening row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Measure {
    L,
    M,
    U,
    Crisp,
}

impl Measure {
    pub(crate) const ALL: [Measure; 4] = [Measure::L, Measure::M, Measure::U, Measure::Crisp];

    /// The column name used in tables and CSV files.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Measure::L => "l",
            Measure::M => "m",
            Measure::U => "u",
            Measure::Crisp => "crisp",
        }
    }
}

/// The printed values of one screening row; `None` where nothing was printed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PrintedMeans {
    /// The printed l.
    pub l: Option<Printed>,
    /// The printed m.
    pub m: Option<Printed>,
    /// The printed u.
    pub u: Option<Printed>,
    /// The printed crisp value.
    pub crisp: Option<Printed>,
    /// The printed decision.
    pub status: Option<Status>,
}

impl PrintedMeans {
    pub(crate) fn get(&self, measure: Measure) -> Option<Printed> {
        match measure {
            Measure::L => self.l,
            Measure::M => self.m,
            Measure::U => self.u,
            Measure::Crisp => self.crisp,
        }
    }

    #[cfg(test)]
    /// The same row with one measure left out.
    pub(crate) fn without(&self, measure: Measure) -> PrintedMeans {
        let mut row = *self;
        match measure {
            Measure::L => row.l = None,
            Measure::M => row.m = None,
            Measure::U => row.u = None,
            Measure::Crisp => row.crisp = None,
        }
        row
    }

    pub(crate) fn has_numbers(&self) -> bool {
        Measure::ALL.iter().any(|&m| self.get(m).is_some())
    }
}

/// Why a search was not run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SearchLimit {
    /// More count vectors than `MAX_COUNT_VECTORS`; the number is given when it fits in u128.
    TooManyVectors {
        /// How many vectors, when the number fits in a u128.
        vectors: Option<u128>,
    },
    /// A panel of zero ratings has no means.
    NoRatings,
    /// The study's method (geometric means, the geometric defuzzification or expert weights) is not the
    /// one the search models.
    MethodNotModelled,
}

/// A count vector that reproduces a printed row, with its L1 distance to a reference row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub(crate) counts: Vec<u64>,
    /// Sum over levels of |count - reference count|.
    pub(crate) distance: u64,
}

/// Every way `ratings` ratings can fall on the levels of a scale, with the sums their means need.
#[derive(Debug, Clone)]
pub(crate) struct CountVectors {
    levels: usize,
    ratings: u64,
    /// Common denominator of the scale's vertices.
    scale_den: i128,
    /// Count vectors, `levels` numbers each, in lexicographic order.
    counts: Vec<u32>,
    /// Per vector, `sum_i count_i * vertex_i` for l, m and u, as numerators over `scale_den`.
    sums: Vec<[i128; 3]>,
    /// Weights `(a, b, c)` of the linear defuzzification; `(1, 1, 1)` is the centroid.
    crisp_weights: [i128; 3],
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a.abs()
}

/// C(n + k - 1, k - 1), or `None` when it does not fit in u128.
pub(crate) fn count_vector_total(ratings: u64, levels: usize) -> Option<u128> {
    let mut total: u128 = 1;
    // C(n + j, j) = C(n + j - 1, j - 1) * (n + j) / j, exact at every step.
    for j in 1..levels as u128 {
        total = total.checked_mul(u128::from(ratings) + j)? / j;
    }
    Some(total)
}

impl CountVectors {
    /// Enumerates every count vector of `ratings` ratings over the scale's levels.
    pub(crate) fn enumerate(
        scale: &[ScaleLevel],
        ratings: u64,
    ) -> Result<CountVectors, SearchLimit> {
        if ratings == 0 || scale.is_empty() {
            return Err(SearchLimit::NoRatings);
        }
        let total = count_vector_total(ratings, scale.len());
        match total {
            Some(total) if total <= MAX_COUNT_VECTORS => {}
            _ => return Err(SearchLimit::TooManyVectors { vectors: total }),
        }
        let scale_den = scale
            .iter()
            .flat_map(|level| level.tfn)
            .fold(1i128, |lcm, v| {
                lcm / gcd(lcm, v.denominator()) * v.denominator()
            });
        let vertices: Vec<[i128; 3]> = scale
            .iter()
            .map(|level| {
                level
                    .tfn
                    .map(|v| v.numerator() * (scale_den / v.denominator()))
            })
            .collect();
        let mut vectors = CountVectors {
            levels: scale.len(),
            ratings,
            scale_den,
            counts: Vec::new(),
            sums: Vec::new(),
            crisp_weights: [1, 1, 1],
        };
        let mut current = vec![0u32; scale.len()];
        vectors.fill(&vertices, 0, ratings as u32, &mut current);
        Ok(vectors)
    }

    fn fill(&mut self, vertices: &[[i128; 3]], level: usize, left: u32, current: &mut [u32]) {
        if level + 1 == self.levels {
            current[level] = left;
            let mut sums = [0i128; 3];
            for (count, vertex) in current.iter().zip(vertices) {
                for (sum, v) in sums.iter_mut().zip(vertex) {
                    *sum += i128::from(*count) * v;
                }
            }
            self.counts.extend_from_slice(current);
            self.sums.push(sums);
            return;
        }
        for count in 0..=left {
            current[level] = count;
            self.fill(vertices, level + 1, left - count, current);
        }
    }

    /// The same vectors with crisp values by the linear defuzzification `(a l + b m + c u) / (a + b + c)`.
    pub(crate) fn with_crisp_weights(mut self, weights: [i128; 3]) -> CountVectors {
        self.crisp_weights = weights;
        self
    }

    pub(crate) fn len(&self) -> usize {
        self.sums.len()
    }

    /// The counts per level of vector `index`.
    pub(crate) fn counts(&self, index: usize) -> Vec<u64> {
        self.counts[index * self.levels..(index + 1) * self.levels]
            .iter()
            .map(|&c| u64::from(c))
            .collect()
    }

    /// The exact value of `measure` for vector `index`, as numerator and positive denominator.
    fn ratio(&self, index: usize, measure: Measure) -> (i128, i128) {
        let [l, m, u] = self.sums[index];
        let den = self.scale_den * i128::from(self.ratings);
        match measure {
            Measure::L => (l, den),
            Measure::M => (m, den),
            Measure::U => (u, den),
            Measure::Crisp => {
                let [a, b, c] = self.crisp_weights;
                (a * l + b * m + c * u, (a + b + c) * den)
            }
        }
    }

    #[cfg(test)]
    pub(crate) fn value(&self, index: usize, measure: Measure) -> Exact {
        let (num, den) = self.ratio(index, measure);
        Exact::new(num, den).unwrap_or(Exact::ZERO)
    }

    fn gives(&self, index: usize, measure: Measure, interval: &RoundingInterval) -> bool {
        let (num, den) = self.ratio(index, measure);
        interval.contains_ratio(num, den)
    }

    /// Whether any vector gives `printed` for `measure` at its precision (either tie rule).
    pub(crate) fn producible(&self, measure: Measure, printed: Printed) -> bool {
        let interval = printed.interval_any_rule();
        (0..self.len()).any(|i| self.gives(i, measure, &interval))
    }

    /// The producible values of `measure` nearest to `printed` from below and from above, outside
    /// its rounding interval.
    pub(crate) fn nearest_producible(
        &self,
        measure: Measure,
        printed: Printed,
    ) -> (Option<Exact>, Option<Exact>) {
        let interval = printed.interval_any_rule();
        let mut below: Option<(i128, i128)> = None;
        let mut above: Option<(i128, i128)> = None;
        for index in 0..self.len() {
            let (num, den) = self.ratio(index, measure);
            if interval.contains_ratio(num, den) {
                continue;
            }
            if cmp_ratio(
                num,
                den,
                interval.low.numerator(),
                interval.low.denominator(),
            ) != Ordering::Greater
            {
                if below.is_none_or(|(b, d)| cmp_ratio(num, den, b, d) == Ordering::Greater) {
                    below = Some((num, den));
                }
            } else if above.is_none_or(|(a, d)| cmp_ratio(num, den, a, d) == Ordering::Less) {
                above = Some((num, den));
            }
        }
        let exact = |r: Option<(i128, i128)>| r.and_then(|(n, d)| Exact::new(n, d));
        (exact(below), exact(above))
    }

    /// Indices of the vectors that give every printed value of `row` and agree with its printed
    /// status at `threshold`.
    pub(crate) fn matching(&self, row: &PrintedMeans, threshold: Exact) -> Vec<usize> {
        let intervals: Vec<(Measure, RoundingInterval)> = Measure::ALL
            .iter()
            .filter_map(|&m| row.get(m).map(|p| (m, p.interval_any_rule())))
            .collect();
        (0..self.len())
            .filter(|&index| {
                intervals
                    .iter()
                    .all(|(measure, interval)| self.gives(index, *measure, interval))
                    && row.status.is_none_or(|status| {
                        let (num, den) = self.ratio(index, Measure::Crisp);
                        let reaches =
                            cmp_ratio(num, den, threshold.numerator(), threshold.denominator())
                                != Ordering::Less;
                        reaches == (status == Status::Accepted)
                    })
            })
            .collect()
    }

    /// The vectors at `indices`, nearest to `reference` first (L1 distance on counts; ties in
    /// lexicographic order of the counts).
    pub(crate) fn nearest_first(&self, indices: &[usize], reference: &[u64]) -> Vec<Candidate> {
        let mut candidates: Vec<Candidate> = indices
            .iter()
            .map(|&index| {
                let counts = self.counts(index);
                let distance = counts
                    .iter()
                    .zip(reference)
                    .map(|(a, b)| a.abs_diff(*b))
                    .sum();
                Candidate { counts, distance }
            })
            .collect();
        candidates.sort_by(|a, b| {
            a.distance
                .cmp(&b.distance)
                .then_with(|| a.counts.cmp(&b.counts))
        });
        candidates
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::{arithmetic_mean, tests::quarter_scale};
    use crate::domain::{Lang, Names};
    use crate::number::q;
    use crate::number::RoundingRule;
    use std::collections::BTreeSet;

    fn printed(text: &str) -> Option<Printed> {
        Some(Printed::parse(text).unwrap())
    }

    #[test]
    fn the_number_of_count_vectors_is_the_binomial_coefficient() {
        // C(15 + 4, 4) = 19 * 18 * 17 * 16 / 24 = 3876.
        assert_eq!(count_vector_total(15, 5), Some(3876));
        let vectors = CountVectors::enumerate(&quarter_scale(), 15).unwrap();
        assert_eq!(vectors.len(), 3876);
        assert_eq!(vectors.counts(0), [0, 0, 0, 0, 15]);
        assert_eq!(vectors.counts(3875), [15, 0, 0, 0, 0]);
        // C(2 + 4, 4) = 15.
        assert_eq!(
            CountVectors::enumerate(&quarter_scale(), 2).unwrap().len(),
            15
        );
        assert_eq!(
            CountVectors::enumerate(&quarter_scale(), 0).unwrap_err(),
            SearchLimit::NoRatings
        );
        // C(100 + 6, 6) = 1,705,904,746 vectors for 100 ratings on 7 levels: not searched.
        let seven_levels: Vec<ScaleLevel> = (0..7).map(|i| level(i, [0, i, 6], 6)).collect();
        assert_eq!(
            CountVectors::enumerate(&seven_levels, 100).unwrap_err(),
            SearchLimit::TooManyVectors {
                vectors: Some(1_705_904_746)
            }
        );
    }

    #[test]
    fn values_off_the_lattice_of_fifteen_ratings_are_not_producible() {
        // With 15 ratings on the quarter scale every l, m, u is k/60 and every crisp k/180.
        let vectors = CountVectors::enumerate(&quarter_scale(), 15).unwrap();
        // 0.673 would need k/180 in [0.6725, 0.6735], k in [121.05, 121.23]: no whole k.
        let crisp = Printed::parse("0.673").unwrap();
        assert!(!vectors.producible(Measure::Crisp, crisp));
        assert_eq!(
            vectors.nearest_producible(Measure::Crisp, crisp),
            (Some(q(121, 180)), Some(q(122, 180)))
        );
        // 0.523 would need k/60 in [0.5225, 0.5235], k in [31.35, 31.41]: no whole k.
        let l = Printed::parse("0.523").unwrap();
        assert!(!vectors.producible(Measure::L, l));
        assert_eq!(
            vectors.nearest_producible(Measure::L, l),
            (Some(q(31, 60)), Some(q(32, 60)))
        );
        assert!(vectors.producible(Measure::L, Printed::parse("0.533").unwrap()));
        assert!(vectors.producible(Measure::Crisp, Printed::parse("0.672").unwrap()));
    }

    #[test]
    fn a_printed_row_is_solved_by_the_count_vectors_found_by_hand() {
        // Printed l 0.350, m 0.583, u 0.800, crisp 0.578 with n = 15, in quarters over 60:
        // L = 21, M = 35, U = 48, and L + M + U = 104 = 180 * 0.5778.
        // M - L = n - VL (every level but VL has m - l = 1/4), so VL = 15 - 14 = 1;
        // U - M = n - VH, so VH = 15 - 13 = 2; L = M' + 2H + 3VH gives M' + 2H = 15 with
        // L' + M' + H = 12: H = 3..7 gives (1,0,9,3,2), (1,1,7,4,2), (1,2,5,5,2), (1,3,3,6,2), (1,4,1,7,2).
        let vectors = CountVectors::enumerate(&quarter_scale(), 15).unwrap();
        let row = PrintedMeans {
            l: printed("0.350"),
            m: printed("0.583"),
            u: printed("0.800"),
            crisp: printed("0.578"),
            status: Some(Status::Accepted),
        };
        let found = vectors.matching(&row, q(1, 2));
        // Distances to (2, 2, 6, 3, 2): 1+2+3+0+0 = 6, 4, 4, 1+1+3+3+0 = 8, 1+2+5+4+0 = 12.
        let ordered = vectors.nearest_first(&found, &[2, 2, 6, 3, 2]);
        let listed: Vec<(Vec<u64>, u64)> = ordered
            .into_iter()
            .map(|c| (c.counts, c.distance))
            .collect();
        assert_eq!(
            listed,
            vec![
                (vec![1, 1, 7, 4, 2], 4),
                (vec![1, 2, 5, 5, 2], 4),
                (vec![1, 0, 9, 3, 2], 6),
                (vec![1, 3, 3, 6, 2], 8),
                (vec![1, 4, 1, 7, 2], 12),
            ]
        );
        // The same row printed as rejected contradicts its crisp 0.578 >= 0.5: nothing matches.
        let rejected = PrintedMeans {
            status: Some(Status::Rejected),
            ..row
        };
        assert!(vectors.matching(&rejected, q(1, 2)).is_empty());
    }

    fn level(index: i128, vertices: [i128; 3], den: i128) -> ScaleLevel {
        ScaleLevel {
            id: format!("level{index}"),
            label: Names::of(&[
                (Lang::EN, format!("Level {index}")),
                (Lang::FA, format!("سطح {index}")),
            ]),
            tfn: vertices.map(|v| q(v, den)),
        }
    }

    /// One rating sequence's counts and exact values, computed the slow way.
    struct Sequence {
        counts: Vec<u64>,
        l: Exact,
        m: Exact,
        u: Exact,
        crisp: Exact,
    }

    /// Brute force: every sequence of n ratings (k^n of them) reduced to its counts, with means from
    /// `fuzzy::arithmetic_mean` and its centroid, independent of the lattice sums above. Sequences
    /// with the same counts have the same means, so each distinct count vector is kept once.
    fn all_sequences(scale: &[ScaleLevel], n: u32) -> Vec<Sequence> {
        let k = scale.len();
        let distinct: BTreeSet<Vec<u64>> = (0..k.pow(n))
            .map(|code| {
                let mut counts = vec![0u64; k];
                let mut rest = code;
                for _ in 0..n {
                    counts[rest % k] += 1;
                    rest /= k;
                }
                counts
            })
            .collect();
        distinct
            .into_iter()
            .map(|counts| {
                let tfn = arithmetic_mean(scale, &counts).unwrap();
                let exact = |value: crate::number::Num| value.exact().unwrap();
                Sequence {
                    crisp: exact(tfn.centroid().unwrap()),
                    l: exact(tfn.l),
                    m: exact(tfn.m),
                    u: exact(tfn.u),
                    counts,
                }
            })
            .collect()
    }

    /// The distinct count vectors among `sequences` that print as `row` (rounding by `round_with`
    /// under each tie rule), nearest to `reference` first.
    fn brute_force(
        sequences: &[Sequence],
        row: &PrintedMeans,
        threshold: Exact,
        reference: &[u64],
    ) -> Vec<(Vec<u64>, u64)> {
        let rounds = |p: Option<Printed>, x: Exact| {
            p.is_none_or(|p| {
                p.is_rounding_of(x, RoundingRule::HalfAwayFromZero)
                    || p.is_rounding_of(x, RoundingRule::HalfEven)
            })
        };
        let mut found = BTreeSet::new();
        for s in sequences {
            let status_ok = row
                .status
                .is_none_or(|status| (s.crisp >= threshold) == (status == Status::Accepted));
            if rounds(row.l, s.l)
                && rounds(row.m, s.m)
                && rounds(row.u, s.u)
                && rounds(row.crisp, s.crisp)
                && status_ok
            {
                let distance: u64 = s
                    .counts
                    .iter()
                    .zip(reference)
                    .map(|(a, b)| (*a as i64 - *b as i64).unsigned_abs())
                    .sum();
                found.insert((distance, s.counts.clone()));
            }
        }
        found.into_iter().map(|(d, c)| (c, d)).collect()
    }

    #[test]
    fn the_search_agrees_with_brute_force_enumeration_of_every_rating_sequence() {
        // Two scales: the quarter scale (denominator 4) and a SYNTHETIC three-level scale in thirds
        // and halves (common denominator 6), so that rounding ties and mixed denominators occur.
        let thirds = vec![
            level(1, [0, 0, 3], 6),
            level(2, [2, 3, 4], 6),
            level(3, [3, 6, 6], 6),
        ];
        let threshold = q(1, 2);
        let (mut compared, mut unsolvable, mut ambiguous) = (0, 0, 0);
        for (scale, max_n) in [(quarter_scale(), 6u32), (thirds, 7)] {
            for n in 1..=max_n {
                let vectors = CountVectors::enumerate(&scale, u64::from(n)).unwrap();
                let sequences = all_sequences(&scale, n);
                let reference: Vec<u64> = (0..scale.len() as u64).map(|i| i % 3).collect();
                // Targets: every vector's own values printed at 1, 2 and 3 decimals, with some values
                // and the status left out, plus a perturbed crisp that may or may not be producible.
                for index in (0..vectors.len()).step_by(3) {
                    for decimals in [1u32, 2, 3] {
                        let print = |m: Measure| {
                            Printed::parse(&vectors.value(index, m).round_half_away(decimals)).ok()
                        };
                        let full = PrintedMeans {
                            l: print(Measure::L),
                            m: print(Measure::M),
                            u: print(Measure::U),
                            crisp: print(Measure::Crisp),
                            status: Some(if vectors.value(index, Measure::Crisp) >= threshold {
                                Status::Accepted
                            } else {
                                Status::Rejected
                            }),
                        };
                        let nudged_crisp = full.crisp.map(|p| {
                            let units = p.units() + 1;
                            Printed::parse(
                                &Exact::new(units, 10i128.pow(decimals))
                                    .unwrap()
                                    .round_half_away(decimals),
                            )
                            .unwrap()
                        });
                        let targets = [
                            full,
                            full.without(Measure::L),
                            PrintedMeans {
                                status: None,
                                ..full.without(Measure::U)
                            },
                            PrintedMeans {
                                crisp: nudged_crisp,
                                ..full
                            },
                        ];
                        for target in targets {
                            let fast: Vec<(Vec<u64>, u64)> = vectors
                                .nearest_first(&vectors.matching(&target, threshold), &reference)
                                .into_iter()
                                .map(|c| (c.counts, c.distance))
                                .collect();
                            let slow = brute_force(&sequences, &target, threshold, &reference);
                            assert_eq!(fast, slow, "n = {n}, target {target:?}");
                            compared += 1;
                            unsolvable += usize::from(fast.is_empty());
                            ambiguous += usize::from(fast.len() > 1);
                        }
                    }
                }
            }
        }
        // The comparison covers rows with no solution and rows with several, not only unique ones.
        assert!(
            compared > 500 && unsolvable > 50 && ambiguous > 50,
            "{compared} targets, {unsolvable} unsolvable, {ambiguous} with several vectors"
        );
    }

    #[test]
    fn linear_defuzzifications_are_searched_with_their_own_weights() {
        // Two ratings on the quarter scale, counts (0, 0, 1, 1, 0): M and H. l = (.25 + .5) / 2 = 3/8,
        // m = (.5 + .75) / 2 = 5/8, u = (.75 + 1) / 2 = 7/8; (l + 4m + u) / 6 = (3 + 20 + 7) / 48 = 30/48
        // = 0.625, while the centroid is 15/24 = 0.625 too; (l + 2m + u) / 4 = (3 + 10 + 7) / 32 = 20/32.
        // Counts (0, 0, 0, 1, 1), H and VH: l = 5/8, m = 7/8, u = 1; graded (5 + 28 + 8) / 48 = 41/48
        // = 0.854, centroid (5 + 7 + 8) / 24 = 20/24 = 0.833.
        let graded = CountVectors::enumerate(&quarter_scale(), 2)
            .unwrap()
            .with_crisp_weights([1, 4, 1]);
        assert!(graded.producible(Measure::Crisp, Printed::parse("0.854").unwrap()));
        let centroid = CountVectors::enumerate(&quarter_scale(), 2).unwrap();
        assert!(!centroid.producible(Measure::Crisp, Printed::parse("0.854").unwrap()));
        assert!(centroid.producible(Measure::Crisp, Printed::parse("0.833").unwrap()));
        let index = (0..graded.len())
            .find(|&i| graded.counts(i) == [0, 0, 0, 1, 1])
            .unwrap();
        assert_eq!(graded.value(index, Measure::Crisp), q(41, 48));
    }
}
