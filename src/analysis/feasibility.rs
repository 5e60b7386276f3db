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
//!
//! Every vector's value of a measure is a numerator over that measure's one denominator, so the searches
//! by printed value do not scan the vectors: each measure's vectors are sorted once by numerator (on
//! first use), and a rounding interval is found among the distinct numerators by binary search. The
//! results are exactly those of a scan (the scans are kept in the tests and compared on random cases).

use std::cmp::Ordering;
use std::sync::OnceLock;

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
    /// Per measure (in `Measure::ALL` order), the vectors ordered by value, built on first use.
    by_value: [OnceLock<ValueIndex>; 4],
}

/// One measure's vectors ordered by value: the distinct numerators ascending, and for each the
/// vectors that have it.
#[derive(Debug, Clone)]
struct ValueIndex {
    /// The distinct numerators, ascending (the denominator is the measure's, the same for all).
    numerators: Vec<i128>,
    /// `vectors[starts[k]..starts[k + 1]]` are the vectors whose numerator is `numerators[k]`,
    /// in index order; `starts` has one more entry than `numerators`.
    starts: Vec<usize>,
    vectors: Vec<u32>,
}

impl ValueIndex {
    /// The index of the vectors whose numerators are `numerators` (by vector index). The numerators
    /// are whole numbers in a short range (a panel's sums over the scale's denominator), so they are
    /// counted into one bucket per value when the range is no longer than the list, and sorted
    /// otherwise; either way the vectors of one value stay in index order.
    fn new(numerators: &[i128]) -> ValueIndex {
        let (Some(&low), Some(&high)) = (numerators.iter().min(), numerators.iter().max()) else {
            return ValueIndex {
                numerators: Vec::new(),
                starts: vec![0],
                vectors: Vec::new(),
            };
        };
        let range = usize::try_from(high - low)
            .ok()
            .filter(|&r| r < numerators.len());
        let Some(range) = range else {
            let mut keyed: Vec<(i128, u32)> = numerators
                .iter()
                .enumerate()
                .map(|(index, &num)| (num, index as u32))
                .collect();
            keyed.sort_unstable();
            let mut values = Vec::new();
            let mut starts = Vec::new();
            for (position, &(num, _)) in keyed.iter().enumerate() {
                if values.last() != Some(&num) {
                    values.push(num);
                    starts.push(position);
                }
            }
            starts.push(keyed.len());
            return ValueIndex {
                numerators: values,
                starts,
                vectors: keyed.into_iter().map(|(_, index)| index).collect(),
            };
        };
        // `low + bucket` is each bucket's value; `high - low < len` so the buckets fit.
        let bucket = |num: i128| (num - low) as usize;
        let mut sizes = vec![0usize; range + 1];
        for &num in numerators {
            sizes[bucket(num)] += 1;
        }
        let (mut values, mut starts, mut next) = (Vec::new(), Vec::new(), vec![0usize; range + 1]);
        let mut position = 0;
        for (offset, &size) in sizes.iter().enumerate() {
            next[offset] = position;
            if size > 0 {
                values.push(low + offset as i128);
                starts.push(position);
                position += size;
            }
        }
        starts.push(position);
        let mut vectors = vec![0u32; numerators.len()];
        for (index, &num) in numerators.iter().enumerate() {
            let at = &mut next[bucket(num)];
            vectors[*at] = index as u32;
            *at += 1;
        }
        ValueIndex {
            numerators: values,
            starts,
            vectors,
        }
    }

    /// Positions in `numerators` of the values inside `interval`, as a range.
    fn inside(&self, den: i128, interval: &RoundingInterval) -> std::ops::Range<usize> {
        let values = &self.numerators;
        let cmp = |num: i128, end: Exact| cmp_ratio(num, den, end.numerator(), end.denominator());
        // Every value strictly between the ends is inside; an end value is inside when that end is closed.
        let mut first = values.partition_point(|&v| cmp(v, interval.low) == Ordering::Less);
        let mut end = values.partition_point(|&v| cmp(v, interval.high) != Ordering::Greater);
        if first < end && !interval.contains_ratio(values[first], den) {
            first += 1;
        }
        if first < end && !interval.contains_ratio(values[end - 1], den) {
            end -= 1;
        }
        first..end.max(first)
    }

    /// The vectors whose values are at the positions `range` of `numerators`.
    fn vectors_at(&self, range: std::ops::Range<usize>) -> &[u32] {
        &self.vectors[self.starts[range.start]..self.starts[range.end]]
    }
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
            by_value: Default::default(),
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
        self.by_value = Default::default();
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

    /// The denominator every value of `measure` shares.
    fn denominator(&self, measure: Measure) -> i128 {
        let den = self.scale_den * i128::from(self.ratings);
        match measure {
            Measure::Crisp => self.crisp_weights.iter().sum::<i128>() * den,
            _ => den,
        }
    }

    /// The vectors of `measure` ordered by value, sorted on first use.
    fn by_value(&self, measure: Measure) -> &ValueIndex {
        let slot = Measure::ALL
            .iter()
            .position(|&m| m == measure)
            .expect("every measure is in Measure::ALL");
        self.by_value[slot].get_or_init(|| {
            let numerators: Vec<i128> = (0..self.len())
                .map(|index| self.ratio(index, measure).0)
                .collect();
            ValueIndex::new(&numerators)
        })
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
        !self
            .by_value(measure)
            .inside(self.denominator(measure), &interval)
            .is_empty()
    }

    /// The producible values of `measure` nearest to `printed` from below and from above, outside
    /// its rounding interval.
    pub(crate) fn nearest_producible(
        &self,
        measure: Measure,
        printed: Printed,
    ) -> (Option<Exact>, Option<Exact>) {
        let interval = printed.interval_any_rule();
        let den = self.denominator(measure);
        let index = self.by_value(measure);
        let values = &index.numerators;
        let inside = index.inside(den, &interval);
        // Below: at or under the interval's low end; above: over it. Both outside the interval, which
        // is one run of positions.
        let over = values.partition_point(|&v| {
            cmp_ratio(v, den, interval.low.numerator(), interval.low.denominator())
                != Ordering::Greater
        });
        let outside = |position: usize| {
            if inside.contains(&position) {
                None
            } else {
                Some(position)
            }
        };
        let below = over
            .checked_sub(1)
            .and_then(|last| outside(last).or_else(|| inside.start.checked_sub(1)));
        let above = outside(over)
            .or(Some(inside.end))
            .filter(|&position| position < values.len());
        let exact = |position: Option<usize>| position.and_then(|p| Exact::new(values[p], den));
        (exact(below), exact(above))
    }

    /// Indices of the vectors that give every printed value of `row` and agree with its printed
    /// status at `threshold`, ascending. Only the vectors that give the printed value with the
    /// fewest candidates are tested.
    pub(crate) fn matching(&self, row: &PrintedMeans, threshold: Exact) -> Vec<usize> {
        let intervals: Vec<(Measure, RoundingInterval)> = Measure::ALL
            .iter()
            .filter_map(|&m| row.get(m).map(|p| (m, p.interval_any_rule())))
            .collect();
        let fewest: Option<&[u32]> = intervals
            .iter()
            .map(|(measure, interval)| {
                let index = self.by_value(*measure);
                index.vectors_at(index.inside(self.denominator(*measure), interval))
            })
            .min_by_key(|candidates| candidates.len());
        let mut candidates: Vec<usize> = match fewest {
            Some(candidates) => candidates.iter().map(|&i| i as usize).collect(),
            None => (0..self.len()).collect(),
        };
        candidates.sort_unstable();
        candidates.retain(|&index| {
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
        });
        candidates
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

    /// The plain searches: every vector tested in turn, as the module searched before it sorted
    /// vectors by value. The fast searches must give exactly what these give.
    mod plain {
        use super::super::*;

        pub(super) fn producible(
            vectors: &CountVectors,
            measure: Measure,
            printed: Printed,
        ) -> bool {
            let interval = printed.interval_any_rule();
            (0..vectors.len()).any(|i| vectors.gives(i, measure, &interval))
        }

        pub(super) fn nearest_producible(
            vectors: &CountVectors,
            measure: Measure,
            printed: Printed,
        ) -> (Option<Exact>, Option<Exact>) {
            let interval = printed.interval_any_rule();
            let mut below: Option<(i128, i128)> = None;
            let mut above: Option<(i128, i128)> = None;
            for index in 0..vectors.len() {
                let (num, den) = vectors.ratio(index, measure);
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

        pub(super) fn matching(
            vectors: &CountVectors,
            row: &PrintedMeans,
            threshold: Exact,
        ) -> Vec<usize> {
            let intervals: Vec<(Measure, RoundingInterval)> = Measure::ALL
                .iter()
                .filter_map(|&m| row.get(m).map(|p| (m, p.interval_any_rule())))
                .collect();
            (0..vectors.len())
                .filter(|&index| {
                    intervals
                        .iter()
                        .all(|(measure, interval)| vectors.gives(index, *measure, interval))
                        && row.status.is_none_or(|status| {
                            let (num, den) = vectors.ratio(index, Measure::Crisp);
                            let reaches =
                                cmp_ratio(num, den, threshold.numerator(), threshold.denominator())
                                    != Ordering::Less;
                            reaches == (status == Status::Accepted)
                        })
                })
                .collect()
        }
    }

    #[test]
    fn vectors_are_ordered_by_value_and_by_index_within_a_value() {
        // A short range (5 - 3 = 2, under 4 values) is counted into buckets: values 3, 4, 5 held by
        // vectors 1; 3; 0 and 2.
        let counted = ValueIndex::new(&[5, 3, 5, 4]);
        assert_eq!(counted.numerators, [3, 4, 5]);
        assert_eq!(counted.starts, [0, 1, 2, 4]);
        assert_eq!(counted.vectors, [1, 3, 0, 2]);
        assert_eq!(counted.vectors_at(2..3), [0, 2]);
        // A long range (107, over 3 values) is sorted: the same order.
        let sorted = ValueIndex::new(&[100, -7, 100]);
        assert_eq!(sorted.numerators, [-7, 100]);
        assert_eq!(sorted.starts, [0, 1, 3]);
        assert_eq!(sorted.vectors, [1, 0, 2]);
        let empty = ValueIndex::new(&[]);
        assert!(empty.numerators.is_empty() && empty.vectors_at(0..0).is_empty());
    }

    #[test]
    fn the_sorted_search_finds_what_the_scan_finds_at_the_scale_s_edges() {
        // Hand-checked on 2 ratings of the quarter scale: l takes every k/8 for k = 0..6 (two ratings
        // of vertices 0, 0, 1, 2, 3 quarters), u every k/8 for k = 1..8.
        let vectors = CountVectors::enumerate(&quarter_scale(), 2).unwrap();
        let l = |text: &str| vectors.nearest_producible(Measure::L, Printed::parse(text).unwrap());
        // 0.9 (0.85 to 0.95) is above every l (the largest is 6/8): only a value below.
        assert_eq!(l("0.9"), (Some(q(6, 8)), None));
        // 0.8 (0.75 to 0.85, closed at 0.75 by rounding half away from zero) holds 6/8 itself.
        assert_eq!(l("0.8"), (Some(q(5, 8)), None));
        // -0.1 (-0.15 to -0.05) is under every l: only a value above, the smallest, 0.
        assert_eq!(l("-0.1"), (None, Some(q(0, 1))));
        // 0.3 (0.25 to 0.35, closed at 0.25 by either tie rule) holds 2/8: the nearest outside are
        // 1/8 and 3/8.
        assert!(vectors.producible(Measure::L, Printed::parse("0.3").unwrap()));
        assert_eq!(l("0.3"), (Some(q(1, 8)), Some(q(3, 8))));
        // 0.2 (0.15 to 0.25, closed at 0.25 by the half-even rule) holds 2/8 at its high end.
        assert!(vectors.producible(Measure::L, Printed::parse("0.2").unwrap()));
        assert_eq!(l("0.2"), (Some(q(1, 8)), Some(q(3, 8))));
        // 0.37 (0.365 to 0.375, open at 0.375 by both rules: 37 is odd) leaves 3/8 just outside.
        assert!(!vectors.producible(Measure::L, Printed::parse("0.37").unwrap()));
        assert_eq!(l("0.37"), (Some(q(2, 8)), Some(q(3, 8))));
        // 0.38 (0.375 to 0.385, closed at both ends by the half-even rule) holds it at its low end.
        assert!(vectors.producible(Measure::L, Printed::parse("0.38").unwrap()));
        assert_eq!(l("0.38"), (Some(q(2, 8)), Some(q(4, 8))));
        // Five ratings: l takes every k/20 for k = 0..15. 0.3 (0.25 to 0.35, open at 0.35) holds 5/20
        // and 6/20; 7/20 = 0.35 lies just outside, the nearest above.
        let five = CountVectors::enumerate(&quarter_scale(), 5).unwrap();
        let printed = Printed::parse("0.3").unwrap();
        assert_eq!(
            five.nearest_producible(Measure::L, printed),
            (Some(q(4, 20)), Some(q(7, 20)))
        );
        assert_eq!(
            five.nearest_producible(Measure::L, printed),
            plain::nearest_producible(&five, Measure::L, printed)
        );
        for text in [
            "0.9", "0.8", "-0.1", "0.3", "0.2", "0.37", "0.38", "0.0", "1", "0.125", "0.06",
        ] {
            let printed = Printed::parse(text).unwrap();
            for measure in Measure::ALL {
                assert_eq!(
                    vectors.nearest_producible(measure, printed),
                    plain::nearest_producible(&vectors, measure, printed),
                    "{measure:?} {text}"
                );
            }
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig {
            cases: 256,
            failure_persistence: None,
            ..proptest::prelude::ProptestConfig::default()
        })]
        /// SYNTHETIC random scales (1 to 5 levels, vertices in thirds to twelfths between -1 and 2),
        /// panels of 1 to 7 ratings and linear defuzzifications: for printed values taken from the
        /// vectors' own values at 0 to 4 decimals, nudged by up to two units or printed at full
        /// precision, the sorted searches give exactly what a scan of every vector gives.
        #[test]
        fn the_sorted_search_gives_exactly_what_the_plain_scan_gives(
            levels in proptest::collection::vec(
                (1i128..=12, proptest::collection::vec(-12i128..=24, 3)), 1..=5),
            ratings in 1u64..=7,
            weights in proptest::collection::vec(1i128..=4, 3),
            picks in proptest::collection::vec(
                (0usize..1000, 0u32..=5, -2i128..=2, 0usize..4, 0usize..3), 1..=12),
            threshold_pick in 0usize..1000,
        ) {
            let scale: Vec<ScaleLevel> = levels
                .iter()
                .enumerate()
                .map(|(i, (den, vertices))| {
                    let mut vertices: Vec<i128> = vertices.iter().map(|v| v * den / 12).collect();
                    vertices.sort_unstable();
                    level(i as i128, [vertices[0], vertices[1], vertices[2]], *den)
                })
                .collect();
            let vectors = CountVectors::enumerate(&scale, ratings)
                .unwrap()
                .with_crisp_weights([weights[0], weights[1], weights[2]]);
            let len = vectors.len();
            let threshold = if threshold_pick % 3 == 0 {
                q(1, 2)
            } else {
                vectors.value(threshold_pick % len, Measure::Crisp)
            };
            // Printed values: a vector's value at `decimals` (5 means full precision), nudged.
            let prints: Vec<(Measure, Printed)> = picks
                .iter()
                .map(|&(index, decimals, nudge, measure, _)| {
                    let measure = Measure::ALL[measure];
                    let value = vectors.value(index % len, measure);
                    let printed = if decimals == 5 {
                        Printed::parse(&format!("{:?}", value.to_f64())).unwrap()
                    } else {
                        let rounded = Printed::parse(&value.round_half_away(decimals)).unwrap();
                        let units = rounded.units() + nudge;
                        Printed::parse(
                            &Exact::new(units, 10i128.pow(decimals))
                                .unwrap()
                                .round_half_away(decimals),
                        )
                        .unwrap()
                    };
                    (measure, printed)
                })
                .collect();
            for &(measure, printed) in &prints {
                for other in Measure::ALL {
                    proptest::prop_assert_eq!(
                        vectors.producible(other, printed),
                        plain::producible(&vectors, other, printed)
                    );
                    proptest::prop_assert_eq!(
                        vectors.nearest_producible(other, printed),
                        plain::nearest_producible(&vectors, other, printed),
                        "{:?} printed {:?} (from {:?})", other, printed, measure
                    );
                }
            }
            // Rows: the prints in turn fill a row's measures; a status from the pick, or none.
            let mut row = PrintedMeans::default();
            let mut rows = vec![row];
            for (&(measure, printed), &(_, _, _, _, status)) in prints.iter().zip(&picks) {
                match measure {
                    Measure::L => row.l = Some(printed),
                    Measure::M => row.m = Some(printed),
                    Measure::U => row.u = Some(printed),
                    Measure::Crisp => row.crisp = Some(printed),
                }
                row.status = [None, Some(Status::Accepted), Some(Status::Rejected)][status];
                rows.push(row);
            }
            for row in &rows {
                proptest::prop_assert_eq!(
                    vectors.matching(row, threshold),
                    plain::matching(&vectors, row, threshold),
                    "row {:?}", row
                );
            }
        }
    }
}
