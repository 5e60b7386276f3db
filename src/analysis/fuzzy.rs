//! Fuzzy Delphi screening: triangular fuzzy numbers, aggregation, defuzzification, expert agreement and
//! the decision rule.
//!
//! Everything is computed from the number of experts (or the sum of their weights) per scale level: an
//! expert's triangular number depends only on the level they chose, so the group's number, each expert's
//! distance to it and the share of experts who agree all follow from the counts. Rational methods stay
//! exact ([`Num::Exact`]); geometric means, the geometric defuzzification and distances are f64.

use crate::analysis::{CountsRow, CountsTable, LevelWeights, Status};
use crate::domain::{Aggregation, DecisionRule, Defuzzification, Method, ScaleLevel};
use crate::number::{Exact, Num};

/// A triangular fuzzy number `(l, m, u)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Tfn {
    /// The lower vertex.
    pub l: Num,
    /// The peak.
    pub m: Num,
    /// The upper vertex.
    pub u: Num,
}

impl Tfn {
    #[cfg(test)]
    pub(crate) fn from_exact([l, m, u]: [Exact; 3]) -> Tfn {
        Tfn {
            l: l.into(),
            m: m.into(),
            u: u.into(),
        }
    }

    pub(crate) fn vertices(&self) -> [Num; 3] {
        [self.l, self.m, self.u]
    }

    /// Centroid defuzzification: `(l + m + u) / 3`.
    #[cfg(test)]
    pub(crate) fn centroid(&self) -> Option<Num> {
        defuzzify(Defuzzification::Centroid, self)
    }
}

/// The crisp value of `tfn` by the given defuzzification; `None` only on exact overflow.
///
/// - centroid `(l + m + u) / 3`: the centre of gravity of the triangle;
/// - alpha-cut mean `(l + 2m + u) / 4`: the mean over alpha in [0, 1] of the midpoints of the
///   alpha-cuts, (1/2) * integral of (l + alpha(m - l) + u - alpha(u - m)) d alpha (Yager's index;
///   Kaufmann & Gupta's removal number);
/// - graded mean `(l + 4m + u) / 6`: Chen & Hsieh's graded mean integration representation;
/// - geometric `(l * m * u)^(1/3)`: the geometric mean of the three vertices (the cube root of their
///   product), always f64. Fuzzy Delphi applications use it under this name; we know of no canonical
///   source, so this is the definition implemented, stated in the report and README.
pub fn defuzzify(method: Defuzzification, tfn: &Tfn) -> Option<Num> {
    match method.linear_weights() {
        Some([a, b, c]) => tfn
            .l
            .checked_mul_int(a)?
            .checked_add(tfn.m.checked_mul_int(b)?)?
            .checked_add(tfn.u.checked_mul_int(c)?)?
            .checked_div_int(a + b + c),
        None => {
            if tfn.l == tfn.m && tfn.m == tfn.u {
                return Some(tfn.m);
            }
            let product = tfn.l.checked_mul(tfn.m)?.checked_mul(tfn.u)?;
            if product.cmp_exact(Exact::ZERO).is_eq() {
                return Some(Num::ZERO);
            }
            Some(Num::Approx(product.to_f64().cbrt()))
        }
    }
}

/// How much each level weighs in an indicator's aggregate: the number of experts who chose it, or
/// the sum of their weights. Weights are normalised by their total over the indicator's respondents.
fn level_weights(counts: &[u64], weights: Option<&[Exact]>) -> Vec<Exact> {
    match weights {
        Some(weights) => weights.to_vec(),
        None => counts
            .iter()
            .map(|&c| Exact::from_int(i128::from(c)))
            .collect(),
    }
}

#[cfg(test)]
/// Arithmetic mean of the experts' triangular numbers, from counts per level (exact).
///
/// Returns `None` when there are no responses (nothing to average) or on arithmetic overflow.
pub(crate) fn arithmetic_mean(scale: &[ScaleLevel], counts: &[u64]) -> Option<Tfn> {
    aggregate(Aggregation::ArithmeticMean, scale, counts, None)
}

/// The group's triangular number for one indicator: counts per level and, when the study weighs its
/// experts, the sum of the weights of the experts per level.
///
/// `None` when nobody rated the indicator, or on exact overflow.
pub fn aggregate(
    method: Aggregation,
    scale: &[ScaleLevel],
    counts: &[u64],
    weights: Option<&[Exact]>,
) -> Option<Tfn> {
    if counts.len() != scale.len() || weights.is_some_and(|w| w.len() != scale.len()) {
        return None;
    }
    let weights = level_weights(counts, weights);
    // Levels somebody chose, with their weight.
    let rated: Vec<(&ScaleLevel, Exact)> = scale
        .iter()
        .zip(counts)
        .zip(&weights)
        .filter(|((_, &count), _)| count > 0)
        .map(|((level, _), &weight)| (level, weight))
        .collect();
    if rated.is_empty() {
        return None;
    }
    let mut total = Exact::ZERO;
    for (_, weight) in &rated {
        total = total.checked_add(*weight)?;
    }
    if total <= Exact::ZERO {
        return None;
    }
    let vertex = |index: usize| -> Vec<(Exact, Exact)> {
        rated
            .iter()
            .map(|(level, weight)| (level.tfn[index], *weight))
            .collect()
    };
    let arithmetic = |index: usize| -> Option<Num> {
        let mut sum = Exact::ZERO;
        for (value, weight) in vertex(index) {
            sum = sum.checked_add(value.checked_mul(weight)?)?;
        }
        Some(Num::Exact(sum.checked_mul(reciprocal(total)?)?))
    };
    let geometric =
        |index: usize| -> Option<Num> { weighted_geometric_mean(&vertex(index), total) };
    let extreme = |index: usize, highest: bool| -> Num {
        let values = vertex(index).into_iter().map(|(value, _)| value);
        let chosen = if highest { values.max() } else { values.min() };
        Num::Exact(chosen.unwrap_or(Exact::ZERO))
    };
    Some(match method {
        Aggregation::ArithmeticMean => Tfn {
            l: arithmetic(0)?,
            m: arithmetic(1)?,
            u: arithmetic(2)?,
        },
        Aggregation::GeometricMean => Tfn {
            l: geometric(0)?,
            m: geometric(1)?,
            u: geometric(2)?,
        },
        Aggregation::MinGeometricMax => Tfn {
            l: extreme(0, false),
            m: geometric(1)?,
            u: extreme(2, true),
        },
    })
}

fn reciprocal(value: Exact) -> Option<Exact> {
    Exact::new(value.denominator(), value.numerator())
}

/// `Π vᵢ^(wᵢ / W)`: exact when a chosen vertex is 0 (the mean is 0) or all chosen vertices are equal.
fn weighted_geometric_mean(values: &[(Exact, Exact)], total: Exact) -> Option<Num> {
    if values.iter().any(|(value, _)| *value == Exact::ZERO) {
        return Some(Num::ZERO);
    }
    let first = values.first()?.0;
    if values.iter().all(|(value, _)| *value == first) {
        return Some(Num::Exact(first));
    }
    let mut log_sum = 0.0;
    for (value, weight) in values {
        let share = weight.checked_mul(reciprocal(total)?)?.to_f64();
        log_sum += share * value.to_f64().ln();
    }
    Some(Num::Approx(log_sum.exp()))
}

/// The vertex distance of a level's number to the group's number, squared and times 3:
/// `(l - l')² + (m - m')² + (u - u')²`. Exact when the group's number is.
fn distance_sum_of_squares(level: &ScaleLevel, group: &Tfn) -> Option<Num> {
    let mut sum = Num::ZERO;
    for (vertex, mean) in level.tfn.iter().zip(group.vertices()) {
        let difference = Num::Exact(*vertex).checked_sub(mean)?;
        sum = sum.checked_add(difference.checked_mul(difference)?)?;
    }
    Some(sum)
}

/// The vertex distance `d = sqrt(((l - l')² + (m - m')² + (u - u')²) / 3)` (Chen 2000).
pub(crate) fn vertex_distance(level: &ScaleLevel, group: &Tfn) -> Option<Num> {
    let squares = distance_sum_of_squares(level, group)?;
    Some(match squares.exact() {
        Some(value) if value == Exact::ZERO => Num::ZERO,
        _ => Num::Approx((squares.to_f64() / 3.0).sqrt()),
    })
}

/// Whether an expert who chose `level` agrees with the group: `d <= max_distance`, decided as
/// `(l - l')² + (m - m')² + (u - u')² <= 3 max_distance²` (exactly when the group's number is exact).
pub(crate) fn level_agrees(level: &ScaleLevel, group: &Tfn, max_distance: Exact) -> Option<bool> {
    let limit = max_distance.checked_mul(max_distance)?.checked_mul_int(3)?;
    Some(
        distance_sum_of_squares(level, group)?
            .cmp_exact(limit)
            .is_le(),
    )
}

/// How closely the experts agree on one indicator.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Agreement {
    pub(crate) responses: u64,
    /// Experts whose vertex distance to the group's number is at most the limit.
    pub agreeing: u64,
    /// `agreeing / responses`.
    pub share: Exact,
    /// Mean over the experts of their vertex distance to the group's number.
    pub mean_distance: Num,
    /// `mean_distance <= max_distance`.
    pub close: bool,
    /// `share >= min_agreement`: the group has reached consensus.
    pub(crate) consensus: bool,
}

/// Agreement from counts per level: every expert at a level has that level's distance.
///
/// Each expert counts once (weights shape the group's number, not the head count). Whether an expert
/// agrees is decided exactly when the group's number is exact: `d <= D` iff the sum of squares is at
/// most `3 D²`.
pub(crate) fn agreement(
    scale: &[ScaleLevel],
    counts: &[u64],
    group: &Tfn,
    max_distance: Exact,
    min_agreement: Exact,
) -> Option<Agreement> {
    let responses: u64 = counts.iter().sum();
    if responses == 0 {
        return None;
    }
    let mut agreeing = 0u64;
    let mut distance_sum = 0.0;
    let mut all_zero = true;
    for (level, &count) in scale.iter().zip(counts) {
        if count == 0 {
            continue;
        }
        if level_agrees(level, group, max_distance)? {
            agreeing += count;
        }
        let distance = vertex_distance(level, group)?;
        all_zero &= distance == Num::ZERO;
        distance_sum += count as f64 * distance.to_f64();
    }
    let mean_distance = if all_zero {
        Num::ZERO
    } else {
        Num::Approx(distance_sum / responses as f64)
    };
    let share = Exact::new(i128::from(agreeing), i128::from(responses))?;
    Some(Agreement {
        responses,
        agreeing,
        share,
        mean_distance,
        close: mean_distance.cmp_exact(max_distance).is_le(),
        consensus: share >= min_agreement,
    })
}

/// One indicator's screening result.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreeningRow {
    /// The indicator's id.
    pub indicator: String,
    /// Experts who rated the indicator.
    pub responses: u64,
    /// True when the number of responses equals the panel size.
    pub complete: bool,
    /// `None` when the indicator has no responses at all.
    pub result: Option<Screened>,
}

/// An indicator's group number, crisp value, decision and agreement.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Screened {
    /// The group's triangular number.
    pub fuzzy: Tfn,
    /// Its crisp value.
    pub crisp: Num,
    /// The decision by the study's rule.
    pub status: Status,
    /// How far the experts agree with the group's number.
    pub agreement: Agreement,
}

/// A condition of the decision rule that an indicator fails.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// crisp < threshold.
    BelowThreshold,
    /// mean vertex distance > the limit.
    TooDistant,
    /// share of agreeing experts < the limit.
    TooFewAgree,
}

impl Shortfall {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Shortfall::BelowThreshold => "below-threshold",
            Shortfall::TooDistant => "mean-distance",
            Shortfall::TooFewAgree => "agreement",
        }
    }
}

impl Screened {
    /// The conditions of `rule` that fail at `threshold`; empty when the indicator is accepted.
    pub fn shortfalls(&self, threshold: Exact, rule: DecisionRule) -> Vec<Shortfall> {
        let mut failed = Vec::new();
        if self.crisp.cmp_exact(threshold).is_lt() {
            failed.push(Shortfall::BelowThreshold);
        }
        if rule == DecisionRule::ThresholdAndConsensus {
            if !self.agreement.close {
                failed.push(Shortfall::TooDistant);
            }
            if !self.agreement.consensus {
                failed.push(Shortfall::TooFewAgree);
            }
        }
        failed
    }

    /// The decision `rule` would take at `threshold`.
    pub(crate) fn status_at(&self, threshold: Exact, rule: DecisionRule) -> Status {
        if self.shortfalls(threshold, rule).is_empty() {
            Status::Accepted
        } else {
            Status::Rejected
        }
    }
}

/// Screens every indicator with the reference paper's method: arithmetic mean, centroid, accepted
/// when `crisp >= threshold`.
pub fn screen(
    scale: &[ScaleLevel],
    counts: &CountsTable,
    panel_size: u64,
    threshold: Exact,
) -> Result<Vec<ScreeningRow>, String> {
    screen_with(&Method::paper(threshold), scale, counts, None, panel_size)
}

/// Screens every indicator by `method`: the group's number, its crisp value, the experts' agreement
/// and the decision.
///
/// A row whose responses differ from `panel_size` is still computed from what it has, and marked
/// incomplete so the report can flag it.
pub fn screen_with(
    method: &Method,
    scale: &[ScaleLevel],
    counts: &CountsTable,
    weights: Option<&LevelWeights>,
    panel_size: u64,
) -> Result<Vec<ScreeningRow>, String> {
    counts
        .rows
        .iter()
        .enumerate()
        .map(|(index, row)| {
            let row_weights = weights.and_then(|w| w.rows.get(index)).map(Vec::as_slice);
            screen_row(method, scale, row, row_weights, panel_size)
        })
        .collect()
}

/// One indicator's group number, crisp value, agreement and decision from its counts per level (and
/// weight sums); `None` when nobody rated it or on exact overflow.
pub fn screen_counts(
    method: &Method,
    scale: &[ScaleLevel],
    counts: &[u64],
    weights: Option<&[Exact]>,
) -> Option<Screened> {
    let fuzzy = aggregate(method.aggregation, scale, counts, weights)?;
    let crisp = defuzzify(method.defuzzification, &fuzzy)?;
    let agreement = agreement(
        scale,
        counts,
        &fuzzy,
        method.max_distance,
        method.min_agreement,
    )?;
    let mut screened = Screened {
        fuzzy,
        crisp,
        status: Status::Rejected,
        agreement,
    };
    screened.status = screened.status_at(method.threshold, method.decision);
    Some(screened)
}

fn screen_row(
    method: &Method,
    scale: &[ScaleLevel],
    row: &CountsRow,
    weights: Option<&[Exact]>,
    panel_size: u64,
) -> Result<ScreeningRow, String> {
    let responses = row.responses();
    let result = if responses == 0 {
        None
    } else {
        Some(
            screen_counts(method, scale, &row.counts, weights).ok_or_else(|| {
                format!(
                    "indicator {}: the ratings are too large to compute exactly",
                    row.indicator
                )
            })?,
        )
    };
    Ok(ScreeningRow {
        indicator: row.indicator.clone(),
        responses,
        complete: responses == panel_size,
        result,
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::config::presets::ScalePreset;
    use crate::domain::{Lang, Names};
    use crate::number::q;

    fn exact(num: i128, den: i128) -> Num {
        Num::Exact(q(num, den))
    }

    fn close_to(value: Num, expected: f64) -> bool {
        (value.to_f64() - expected).abs() < 1e-12
    }

    /// The quarter-step five-level scale the reference paper uses.
    pub(crate) fn quarter_scale() -> Vec<ScaleLevel> {
        let vertices = [(0, 0, 1), (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 4)];
        vertices
            .iter()
            .enumerate()
            .map(|(i, &(l, m, u))| ScaleLevel {
                id: format!("level{}", i + 1),
                label: Names::of(&[
                    (Lang::EN, format!("Level {}", i + 1)),
                    (Lang::FA, format!("سطح {}", i + 1)),
                ]),
                tfn: [q(l, 4), q(m, 4), q(u, 4)],
            })
            .collect()
    }

    /// Counts (VL, L, M, H, VH) = (0, 0, 1, 2, 1): four experts rate M, H, H, VH on the quarter scale.
    const FOUR_EXPERTS: [u64; 5] = [0, 0, 1, 2, 1];

    #[test]
    fn arithmetic_mean_matches_a_hand_computation() {
        // Counts (VL, L, M, H, VH) = (1, 2, 5, 4, 3), n = 15:
        // l = (0*1 + 0*2 + .25*5 + .5*4 + .75*3) / 15 = 5.5 / 15 = 11/30 = 0.3667
        // m = (0*1 + .25*2 + .5*5 + .75*4 + 1*3) / 15 = 9 / 15 = 3/5
        // u = (.25*1 + .5*2 + .75*5 + 1*4 + 1*3) / 15 = 12 / 15 = 4/5
        let tfn = arithmetic_mean(&quarter_scale(), &[1, 2, 5, 4, 3]).unwrap();
        assert_eq!(tfn, Tfn::from_exact([q(11, 30), q(3, 5), q(4, 5)]));
        // crisp = (11/30 + 18/30 + 24/30) / 3 = 53/90 = 0.5889
        assert_eq!(tfn.centroid().unwrap(), exact(53, 90));
        assert_eq!(tfn.centroid().unwrap().round_half_away(3), "0.589");
    }

    #[test]
    fn geometric_mean_matches_a_hand_computation() {
        // M (.25, .5, .75), H (.5, .75, 1) twice, VH (.75, 1, 1):
        // l = (.25 * .5² * .75)^(1/4) = (3/64)^(1/4) = 0.4653024
        // m = (.5 * .75² * 1)^(1/4) = (9/32)^(1/4) = 0.7282377
        // u = (.75 * 1 * 1 * 1)^(1/4) = 0.75^(1/4) = 0.9306049
        let tfn = aggregate(
            Aggregation::GeometricMean,
            &quarter_scale(),
            &FOUR_EXPERTS,
            None,
        )
        .unwrap();
        assert!(close_to(tfn.l, 0.465_302_429_551_049_8), "{tfn:?}");
        assert!(close_to(tfn.m, 0.728_237_657_560_985_1), "{tfn:?}");
        assert!(close_to(tfn.u, 0.930_604_859_102_099_6), "{tfn:?}");
        assert!(!tfn.l.is_exact());
        // Any chosen vertex of 0 makes that vertex's geometric mean exactly 0: VL (0, 0, .25) and
        // VH (.75, 1, 1) give l = 0, m = 0, u = (.25 * 1)^(1/2) = 0.5.
        let tfn = aggregate(
            Aggregation::GeometricMean,
            &quarter_scale(),
            &[1, 0, 0, 0, 1],
            None,
        )
        .unwrap();
        assert_eq!((tfn.l, tfn.m), (Num::ZERO, Num::ZERO));
        assert!(close_to(tfn.u, 0.5));
        // A unanimous panel gives its level exactly.
        let tfn = aggregate(
            Aggregation::GeometricMean,
            &quarter_scale(),
            &[0, 0, 3, 0, 0],
            None,
        )
        .unwrap();
        assert_eq!(tfn, Tfn::from_exact([q(1, 4), q(1, 2), q(3, 4)]));
    }

    #[test]
    fn min_geometric_max_matches_a_hand_computation() {
        // Cheng & Lin: l = min(.25, .5, .5, .75) = .25, m = (9/32)^(1/4) = 0.7282377,
        // u = max(.75, 1, 1, 1) = 1.
        let tfn = aggregate(
            Aggregation::MinGeometricMax,
            &quarter_scale(),
            &FOUR_EXPERTS,
            None,
        )
        .unwrap();
        assert_eq!(tfn.l, exact(1, 4));
        assert!(close_to(tfn.m, 0.728_237_657_560_985_1));
        assert_eq!(tfn.u, exact(1, 1));
    }

    #[test]
    fn weights_are_normalised_over_the_respondents() {
        // Expert A (weight 3) rates H (.5, .75, 1), expert B (weight 1) rates VL (0, 0, .25); weight
        // sums per level (VL, L, M, H, VH) = (1, 0, 0, 3, 0), total 4:
        // l = (3 * .5 + 1 * 0) / 4 = 3/8, m = (3 * .75) / 4 = 9/16, u = (3 * 1 + .25) / 4 = 13/16.
        // Unweighted, the mean would be (1/4, 3/8, 5/8).
        let counts = [1, 0, 0, 1, 0];
        let weights = [q(1, 1), Exact::ZERO, Exact::ZERO, q(3, 1), Exact::ZERO];
        let scale = quarter_scale();
        let tfn = aggregate(Aggregation::ArithmeticMean, &scale, &counts, Some(&weights)).unwrap();
        assert_eq!(tfn, Tfn::from_exact([q(3, 8), q(9, 16), q(13, 16)]));
        // Weights that already sum to one give the same mean: 0.75 and 0.25.
        let normalised = [q(1, 4), Exact::ZERO, Exact::ZERO, q(3, 4), Exact::ZERO];
        assert_eq!(
            aggregate(
                Aggregation::ArithmeticMean,
                &scale,
                &counts,
                Some(&normalised)
            ),
            Some(tfn)
        );
        assert_eq!(
            arithmetic_mean(&scale, &counts).unwrap(),
            Tfn::from_exact([q(1, 4), q(3, 8), q(5, 8)])
        );
        // Weighted geometric: l = 0 and m = 0 (B's vertices), u = 1^(3/4) * .25^(1/4) = 0.7071068.
        let tfn = aggregate(Aggregation::GeometricMean, &scale, &counts, Some(&weights)).unwrap();
        assert_eq!((tfn.l, tfn.m), (Num::ZERO, Num::ZERO));
        assert!(close_to(tfn.u, std::f64::consts::FRAC_1_SQRT_2));
    }

    #[test]
    fn defuzzifications_match_hand_computations() {
        // Mean of M, H, H, VH: l = (.25 + .5 + .5 + .75) / 4 = 1/2, m = (.5 + .75 + .75 + 1) / 4 = 3/4,
        // u = (.75 + 1 + 1 + 1) / 4 = 15/16.
        let tfn = arithmetic_mean(&quarter_scale(), &FOUR_EXPERTS).unwrap();
        assert_eq!(tfn, Tfn::from_exact([q(1, 2), q(3, 4), q(15, 16)]));
        // (1/2 + 3/4 + 15/16) / 3 = (35/16) / 3 = 35/48 = 0.72917
        assert_eq!(
            defuzzify(Defuzzification::Centroid, &tfn),
            Some(exact(35, 48))
        );
        // (1/2 + 2 * 3/4 + 15/16) / 4 = (47/16) / 4 = 47/64 = 0.734375
        assert_eq!(
            defuzzify(Defuzzification::AlphaCutMean, &tfn),
            Some(exact(47, 64))
        );
        // (1/2 + 4 * 3/4 + 15/16) / 6 = (71/16) / 6 = 71/96 = 0.73958
        assert_eq!(
            defuzzify(Defuzzification::GradedMean, &tfn),
            Some(exact(71, 96))
        );
        // (1/2 * 3/4 * 15/16)^(1/3) = (45/128)^(1/3) = 0.7057770
        let geometric = defuzzify(Defuzzification::Geometric, &tfn).unwrap();
        assert!(close_to(geometric, 0.705_777_021_660_771_4), "{geometric}");
        assert_eq!(
            defuzzify(
                Defuzzification::Geometric,
                &Tfn::from_exact([Exact::ZERO, q(1, 4), q(1, 2)])
            ),
            Some(Num::ZERO)
        );
    }

    #[test]
    fn agreement_matches_a_hand_computation() {
        // Group mean (1/2, 3/4, 15/16) of M, H, H, VH. Squared differences per level:
        //   M  (.25, .5, .75): .0625 + .0625 + .03515625 = .16015625, d = sqrt(.16015625 / 3) = 0.2310528
        //   H  (.5, .75, 1):   0 + 0 + .00390625 = .00390625,          d = 0.0360844 (two experts)
        //   VH (.75, 1, 1):    .0625 + .0625 + .00390625 = .12890625,  d = 0.2072890
        // Within 0.2 (sum of squares <= 3 * 0.04 = 0.12): the two H experts, 2 of 4 = 50% < 75%.
        // Mean d = (0.2310528 + 2 * 0.0360844 + 0.2072890) / 4 = 0.1276277 <= 0.2.
        let scale = quarter_scale();
        let tfn = arithmetic_mean(&scale, &FOUR_EXPERTS).unwrap();
        let found = agreement(&scale, &FOUR_EXPERTS, &tfn, q(1, 5), q(3, 4)).unwrap();
        assert_eq!(found.agreeing, 2);
        assert_eq!(found.share, q(1, 2));
        assert!(close_to(found.mean_distance, 0.127_627_669_232_361_3));
        assert!(found.close);
        assert!(!found.consensus);
        assert!(close_to(
            vertex_distance(&scale[2], &tfn).unwrap(),
            0.231_052_843_883_529_5
        ));
        // A looser limit (0.25: sum of squares <= 0.1875) takes in M and VH: 4 of 4.
        let loose = agreement(&scale, &FOUR_EXPERTS, &tfn, q(1, 4), q(3, 4)).unwrap();
        assert_eq!((loose.agreeing, loose.consensus), (4, true));
        // Unanimity: every distance is exactly 0.
        let tfn = arithmetic_mean(&scale, &[0, 0, 0, 5, 0]).unwrap();
        let unanimous = agreement(&scale, &[0, 0, 0, 5, 0], &tfn, q(1, 5), q(3, 4)).unwrap();
        assert_eq!(unanimous.mean_distance, Num::ZERO);
        assert_eq!(unanimous.share, q(1, 1));
    }

    #[test]
    fn an_expert_exactly_at_the_distance_limit_agrees() {
        // Two levels A (0, 0, 0) and B (0.4, 0.4, 0.4) on a custom scale, one expert each: the mean is
        // (0.2, 0.2, 0.2) and both distances are exactly sqrt(3 * 0.04 / 3) = 0.2, so both agree.
        let level = |id: &str, v: Exact| ScaleLevel {
            id: id.into(),
            label: Names::of(&[(Lang::EN, id), (Lang::FA, id)]),
            tfn: [v, v, v],
        };
        let scale = vec![level("a", Exact::ZERO), level("b", q(2, 5))];
        let tfn = arithmetic_mean(&scale, &[1, 1]).unwrap();
        let found = agreement(&scale, &[1, 1], &tfn, q(1, 5), q(3, 4)).unwrap();
        assert_eq!(found.agreeing, 2);
    }

    #[test]
    fn the_combined_rule_names_every_failed_condition() {
        // M, H, H, VH: crisp 35/48 = 0.729 >= 0.5, mean d 0.128 <= 0.2, agreement 50% < 75%.
        let scale = quarter_scale();
        let table = CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: vec![CountsRow {
                indicator: "A".into(),
                counts: FOUR_EXPERTS.to_vec(),
            }],
        };
        let method = Method {
            decision: DecisionRule::ThresholdAndConsensus,
            ..Method::paper(q(1, 2))
        };
        let rows = screen_with(&method, &scale, &table, None, 4).unwrap();
        let screened = rows[0].result.unwrap();
        assert_eq!(screened.status, Status::Rejected);
        assert_eq!(
            screened.shortfalls(q(1, 2), DecisionRule::ThresholdAndConsensus),
            vec![Shortfall::TooFewAgree]
        );
        // The paper's rule accepts it; at 0.75 it also falls below the threshold (0.729 < 0.75).
        assert_eq!(
            screened.status_at(q(1, 2), DecisionRule::Threshold),
            Status::Accepted
        );
        assert_eq!(
            screened.shortfalls(q(3, 4), DecisionRule::ThresholdAndConsensus),
            vec![Shortfall::BelowThreshold, Shortfall::TooFewAgree]
        );
    }

    #[test]
    fn presets_screen_like_their_written_out_tables() {
        // Seven-point tenths, three experts at Medium high (.5, .7, .9): crisp (.5 + .7 + .9) / 3 = 0.7.
        let scale = ScalePreset::SevenPointTenths.levels();
        let tfn = arithmetic_mean(&scale, &[0, 0, 0, 0, 3, 0, 0]).unwrap();
        assert_eq!(tfn.centroid().unwrap(), exact(7, 10));
    }

    #[test]
    fn unanimous_panels_give_the_level_itself() {
        let scale = quarter_scale();
        let tfn = arithmetic_mean(&scale, &[0, 0, 0, 0, 7]).unwrap();
        assert_eq!(tfn, Tfn::from_exact([q(3, 4), q(1, 1), q(1, 1)]));
        assert!(arithmetic_mean(&scale, &[0; 5]).is_none());
        assert!(arithmetic_mean(&scale, &[1, 2]).is_none());
    }

    #[test]
    fn screening_applies_the_threshold_inclusively_and_flags_incomplete_rows() {
        let scale = quarter_scale();
        let table = CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: vec![
                // All "medium": (.25, .5, .75) -> crisp exactly 0.5, accepted at 0.5.
                CountsRow {
                    indicator: "A".into(),
                    counts: vec![0, 0, 3, 0, 0],
                },
                // (3, 2, 5, 3, 2), n = 15: l = 4.25/15, m = 7.25/15, u = 10.5/15; crisp = 22/45 = 0.489.
                CountsRow {
                    indicator: "B".into(),
                    counts: vec![3, 2, 5, 3, 2],
                },
                // Only 2 of 3 responses: computed, flagged.
                CountsRow {
                    indicator: "C".into(),
                    counts: vec![0, 0, 0, 1, 1],
                },
                CountsRow {
                    indicator: "D".into(),
                    counts: vec![0, 0, 0, 0, 0],
                },
            ],
        };
        let rows = screen(&scale, &table, 3, q(1, 2)).unwrap();
        let a = rows[0].result.unwrap();
        assert_eq!(a.crisp, exact(1, 2));
        assert_eq!(a.status, Status::Accepted);
        assert!(rows[0].complete);
        let b = rows[1].result.unwrap();
        assert_eq!(b.fuzzy.l, exact(17, 60));
        assert_eq!(b.crisp, exact(22, 45));
        assert_eq!(b.status, Status::Rejected);
        assert!(!rows[1].complete, "15 responses on a panel of 3");
        assert_eq!(rows[2].responses, 2);
        assert!(!rows[2].complete);
        assert_eq!(rows[2].result.unwrap().fuzzy.m, exact(7, 8));
        assert_eq!(rows[3].result, None);
    }
}
