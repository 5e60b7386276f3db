//! The effective threshold of a relative rule (`method.threshold: {of: mean, factor: 0.8}`): a factor
//! times the mean or median crisp value over the indicators, exact when the crisp values are.

use crate::domain::ThresholdStatistic;
use crate::number::{Exact, Num};

/// A relative threshold worked out: the statistic of the crisp values and `factor x statistic`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct EffectiveThreshold {
    pub(crate) statistic: Num,
    pub(crate) threshold: Exact,
}

/// `factor x mean(crisp)` or `factor x median(crisp)` over the indicators that have a crisp value.
///
/// Exact crisp values give an exact statistic (the mean `Σ c / n`; the median the middle value, or
/// the mean of the two middle values when `n` is even). When any crisp value is an f64 the statistic
/// is an f64 and the threshold is that double's exact binary value times the factor, so the indicator
/// at the median of an odd panel of indicators is exactly at a `median x 1` threshold.
pub(crate) fn effective_threshold(
    of: ThresholdStatistic,
    factor: Exact,
    crisp: &[Num],
) -> Result<EffectiveThreshold, String> {
    if crisp.is_empty() {
        return Err(
            "no indicator has responses, so there is no crisp value to take the threshold from"
                .into(),
        );
    }
    let overflow = || "the crisp values are too large to compute the threshold exactly".to_string();
    let statistic = match of {
        ThresholdStatistic::Mean => mean(crisp).ok_or_else(overflow)?,
        ThresholdStatistic::Median => {
            let mut sorted = crisp.to_vec();
            sorted.sort_by(|a, b| a.total_cmp(*b));
            let middle = sorted.len() / 2;
            if sorted.len() % 2 == 1 {
                sorted[middle]
            } else {
                mean(&sorted[middle - 1..=middle]).ok_or_else(overflow)?
            }
        }
    };
    let base = match statistic {
        Num::Exact(value) => Some(value),
        Num::Approx(value) => Exact::from_f64_exact(value),
    };
    let threshold = base
        .and_then(|value| value.checked_mul(factor))
        .ok_or_else(overflow)?;
    Ok(EffectiveThreshold {
        statistic,
        threshold,
    })
}

/// The arithmetic mean, exact when every value is; `None` on exact overflow.
fn mean(values: &[Num]) -> Option<Num> {
    let mut sum = Num::ZERO;
    for value in values {
        sum = sum.checked_add(*value)?;
    }
    sum.checked_div_int(values.len() as i128)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::q;

    #[test]
    fn mean_and_median_thresholds_are_exact_on_exact_crisp_values() {
        // SYNTHETIC crisp values 1/2, 3/4, 1/4, 2/3. Mean = (6 + 9 + 3 + 8) / 12 / 4 = 26/48 = 13/24;
        // x 0.8 = 13/30 = 0.4333... Sorted 1/4, 1/2, 2/3, 3/4: median = (1/2 + 2/3) / 2 = 7/12.
        let crisp = [q(1, 2), q(3, 4), q(1, 4), q(2, 3)].map(Num::Exact);
        let found = effective_threshold(ThresholdStatistic::Mean, q(4, 5), &crisp).unwrap();
        assert_eq!(found.statistic, Num::Exact(q(13, 24)));
        assert_eq!(found.threshold, q(13, 30));
        let found = effective_threshold(ThresholdStatistic::Median, q(1, 1), &crisp).unwrap();
        assert_eq!(found.statistic, Num::Exact(q(7, 12)));
        assert_eq!(found.threshold, q(7, 12));
        // An odd count takes the middle value itself: 1/4, 1/2, 3/4 -> 1/2.
        let odd = [q(3, 4), q(1, 4), q(1, 2)].map(Num::Exact);
        let found = effective_threshold(ThresholdStatistic::Median, q(1, 1), &odd).unwrap();
        assert_eq!(found.threshold, q(1, 2));
    }

    #[test]
    fn an_approximate_median_is_exactly_the_median_indicator_s_double() {
        let crisp = [
            Num::Approx(0.3),
            Num::Approx(2f64.sqrt() / 2.0),
            Num::Exact(q(1, 1)),
        ];
        let found = effective_threshold(ThresholdStatistic::Median, q(1, 1), &crisp).unwrap();
        assert_eq!(found.statistic, Num::Approx(2f64.sqrt() / 2.0));
        assert!(Num::Approx(2f64.sqrt() / 2.0)
            .cmp_exact(found.threshold)
            .is_eq());
        assert!(effective_threshold(ThresholdStatistic::Mean, q(1, 1), &[]).is_err());
    }
}
