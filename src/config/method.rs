//! The `method` section of `study.yaml`: aggregation, defuzzification, the threshold (fixed or relative),
//! the decision rule, consensus, stability and the sensitivity sweep, validated in the scale's units.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::scale::scale_units;
use crate::domain::{
    Aggregation, DecisionRule, Defuzzification, Method, ScaleLevel, ThresholdStatistic,
};
use crate::error::InputError;
use crate::number::{Exact, Num};

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct MethodConfig {
    pub(super) aggregation: Aggregation,
    pub(super) defuzzification: Defuzzification,
    /// An indicator is accepted when its crisp value is at least this: a number in the scale's units,
    /// or `{of: mean, factor: 0.8}` / `{of: median, factor: 1}`, relative to the indicators' crisp values.
    pub(super) threshold: ThresholdConfig,
    /// `threshold` (default) or `threshold-and-consensus`.
    #[serde(default)]
    pub(super) decision: DecisionRule,
    /// Expert agreement measured by vertex distance.
    #[serde(default)]
    pub(super) consensus: ConsensusConfig,
    /// Stop rule between rounds.
    #[serde(default)]
    pub(super) stability: StabilityConfig,
    /// Thresholds at which every indicator's verdict is recomputed; by default 0.5 to 0.8 by 0.05 of
    /// the scale's range (0 to 1 for a scale within the unit interval).
    /// Serialised as the default values when not written (they are shares of the range then).
    #[serde(default, serialize_with = "sensitivity_or_default")]
    pub(super) sensitivity: Option<SensitivityConfig>,
}

/// `method.threshold` as written: a number, or a factor times a statistic of the crisp values.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub(super) enum ThresholdConfig {
    Fixed(f64),
    Relative(RelativeThresholdConfig),
}

/// `{of: mean, factor: 0.8}`: the threshold is `factor` times the mean (or median) crisp value over
/// every indicator that has responses.
#[derive(Debug, Clone, Copy, PartialEq, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RelativeThresholdConfig {
    pub(super) of: ThresholdStatistic,
    pub(super) factor: f64,
}

impl<'de> Deserialize<'de> for ThresholdConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> serde::de::Visitor<'de> for Visitor {
            type Value = ThresholdConfig;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str(
                    "a number such as 0.7, or {of: mean, factor: 0.8} or {of: median, factor: 1}",
                )
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<ThresholdConfig, E> {
                Ok(ThresholdConfig::Fixed(v as f64))
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<ThresholdConfig, A::Error> {
                RelativeThresholdConfig::deserialize(serde::de::value::MapAccessDeserializer::new(
                    map,
                ))
                .map(ThresholdConfig::Relative)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// The threshold rule, validated.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum ThresholdRule {
    /// The threshold is the number written.
    Fixed,
    /// `factor` times `of` over the crisp values; `statistic` once the data have been screened.
    Relative {
        of: ThresholdStatistic,
        factor: Exact,
        statistic: Option<Num>,
    },
}

fn sensitivity_or_default<S: serde::Serializer>(
    value: &Option<SensitivityConfig>,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    value.clone().unwrap_or_default().serialize(serializer)
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct ConsensusConfig {
    /// An expert agrees when the vertex distance of their rating to the group's number is at most this.
    pub(super) max_distance: f64,
    /// The group agrees when at least this share of experts agree.
    pub(super) min_agreement: f64,
}

impl Default for ConsensusConfig {
    fn default() -> Self {
        ConsensusConfig {
            max_distance: 0.2,
            min_agreement: 0.75,
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct StabilityConfig {
    /// An indicator is stable when its crisp value moved by at most this since the previous round.
    pub(super) max_change: f64,
}

impl Default for StabilityConfig {
    fn default() -> Self {
        StabilityConfig { max_change: 0.1 }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub(super) struct SensitivityConfig {
    pub(super) from: f64,
    pub(super) to: f64,
    pub(super) step: f64,
}

impl Default for SensitivityConfig {
    fn default() -> Self {
        SensitivityConfig {
            from: 0.5,
            to: 0.8,
            step: 0.05,
        }
    }
}

/// The largest factor of a relative threshold (`{of: mean, factor: ...}`).
const MAX_THRESHOLD_FACTOR: i128 = 10;

/// The most thresholds a sensitivity sweep may have.
const MAX_SENSITIVITY_THRESHOLDS: usize = 101;

/// The method section, validated: the screening method, how its threshold was given, the stop rule
/// between rounds and the sensitivity sweep.
pub(super) struct ValidatedMethod {
    pub(super) method: Method,
    pub(super) threshold_rule: ThresholdRule,
    pub(super) max_change: Exact,
    pub(super) sensitivity_thresholds: Vec<Exact>,
}

impl ValidatedMethod {
    /// The method of a study without ratings: never read (`Study::has_ratings`), so that the study's
    /// accessors need no `Option`.
    pub(super) fn unused() -> ValidatedMethod {
        ValidatedMethod {
            method: Method::paper(Exact::ZERO),
            threshold_rule: ThresholdRule::Fixed,
            max_change: Exact::ZERO,
            sensitivity_thresholds: Vec::new(),
        }
    }
}

impl MethodConfig {
    /// Checks every parameter against the scale's units; `weighted` says whether expert weights apply.
    /// A relative threshold holds the scale's lowest value until [`super::Study::set_relative_threshold`].
    pub(super) fn validate(
        &self,
        file: &Path,
        scale: &[ScaleLevel],
        weighted: bool,
    ) -> Result<ValidatedMethod, InputError> {
        check_geometric_vertices(file, self, scale)?;
        let in_range = |key: &str, value: f64, (low, high): (Exact, Exact)| {
            let exact =
                Exact::from_written_f64(value).map_err(|e| InputError::key(file, key, e))?;
            if exact < low || exact > high {
                return Err(InputError::key(
                    file,
                    key,
                    format!("expected a number from {low} to {high}, found {value}"),
                ));
            }
            Ok(exact)
        };
        // Thresholds, distances and changes are in the scale's units: 0 to 1 for a scale inside the
        // unit interval (every preset), the scale's own range (and 0) for a raw-score scale.
        let (values, spans) = scale_units(scale);
        let share = |key: &str, value: f64| in_range(key, value, (Exact::ZERO, Exact::from_int(1)));
        let unit = |key: &str, value: f64| in_range(key, value, values);
        let (threshold, threshold_rule) = match self.threshold {
            ThresholdConfig::Fixed(value) => {
                (unit("method.threshold", value)?, ThresholdRule::Fixed)
            }
            ThresholdConfig::Relative(relative) => {
                let factor = Exact::from_written_f64(relative.factor)
                    .map_err(|e| InputError::key(file, "method.threshold.factor", e))?;
                if factor <= Exact::ZERO || factor > Exact::from_int(MAX_THRESHOLD_FACTOR) {
                    return Err(InputError::key(
                        file,
                        "method.threshold.factor",
                        format!(
                            "expected a factor above 0 and at most {MAX_THRESHOLD_FACTOR}, found {}",
                            relative.factor
                        ),
                    ));
                }
                // A placeholder until the crisp values are known (`set_relative_threshold`).
                let rule = ThresholdRule::Relative {
                    of: relative.of,
                    factor,
                    statistic: None,
                };
                (values.0, rule)
            }
        };
        let max_distance = in_range(
            "method.consensus.max_distance",
            self.consensus.max_distance,
            spans,
        )?;
        let min_agreement = share(
            "method.consensus.min_agreement",
            self.consensus.min_agreement,
        )?;
        let max_change = in_range(
            "method.stability.max_change",
            self.stability.max_change,
            spans,
        )?;
        let sensitivity_thresholds = sensitivity_thresholds(
            file,
            self.sensitivity.as_ref(),
            values,
            (threshold_rule == ThresholdRule::Fixed).then_some(threshold),
            &unit,
        )?;
        Ok(ValidatedMethod {
            method: Method {
                aggregation: self.aggregation,
                defuzzification: self.defuzzification,
                threshold,
                decision: self.decision,
                max_distance,
                min_agreement,
                weighted,
            },
            threshold_rule,
            max_change,
            sensitivity_thresholds,
        })
    }
}

/// `from, from + step, ..., to` (inclusive when on the grid) and the study's threshold (when it is
/// known before the data are), ascending.
fn sensitivity_thresholds(
    file: &Path,
    config: Option<&SensitivityConfig>,
    (low, high): (Exact, Exact),
    threshold: Option<Exact>,
    unit: &dyn Fn(&str, f64) -> Result<Exact, InputError>,
) -> Result<Vec<Exact>, InputError> {
    let key = "method.sensitivity";
    let (from, to, step) = match config {
        Some(config) => (
            unit("method.sensitivity.from", config.from)?,
            unit("method.sensitivity.to", config.to)?,
            unit("method.sensitivity.step", config.step)?,
        ),
        None => {
            // The default sweep as shares of the range: unchanged (0.5 to 0.8) on a unit scale.
            let defaults = SensitivityConfig::default();
            let span = high.checked_sub(low);
            let at = |share: f64, offset: Exact| -> Result<Exact, InputError> {
                Exact::from_written_f64(share)
                    .ok()
                    .zip(span)
                    .and_then(|(share, span)| share.checked_mul(span)?.checked_add(offset))
                    .ok_or_else(|| InputError::key(file, key, "the scale's range is too large"))
            };
            (
                at(defaults.from, low)?,
                at(defaults.to, low)?,
                at(defaults.step, Exact::ZERO)?,
            )
        }
    };
    if step <= Exact::ZERO || to < from {
        return Err(InputError::key(
            file,
            key,
            "expected from <= to and a positive step",
        ));
    }
    let mut thresholds = Vec::new();
    let mut value = from;
    while value <= to {
        if thresholds.len() == MAX_SENSITIVITY_THRESHOLDS {
            return Err(InputError::key(
                file,
                key,
                format!("more than {MAX_SENSITIVITY_THRESHOLDS} thresholds; use a larger step"),
            ));
        }
        thresholds.push(value);
        value = value
            .checked_add(step)
            .ok_or_else(|| InputError::key(file, key, "step too fine"))?;
    }
    if let Some(threshold) = threshold.filter(|t| !thresholds.contains(t)) {
        thresholds.push(threshold);
        thresholds.sort();
    }
    Ok(thresholds)
}

/// Geometric means and the geometric defuzzification take logarithms or cube roots of products:
/// they need vertices of at least 0.
fn check_geometric_vertices(
    file: &Path,
    method: &MethodConfig,
    scale: &[ScaleLevel],
) -> Result<(), InputError> {
    let geometric = method.aggregation != Aggregation::ArithmeticMean
        || method.defuzzification == Defuzzification::Geometric;
    if !geometric {
        return Ok(());
    }
    match scale
        .iter()
        .position(|level| level.tfn.iter().any(|v| *v < Exact::ZERO))
    {
        Some(index) => Err(InputError::key(
            file,
            &format!("scale.levels[{}]", index + 1),
            format!(
                "a negative vertex cannot be used with aggregation {} and defuzzification {}: geometric means need vertices of 0 or more",
                method.aggregation.name(),
                method.defuzzification.name()
            ),
        )),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{load, MINIMAL};
    use super::*;

    const RAW_SCORES: &str = "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [1, 1, 1]}\n    - {id: mid, label: {en: Mid, fa: میانه}, tfn: [3, 3, 3]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [5, 5, 5]}";

    fn raw_scores(method: &str) -> String {
        let text = MINIMAL.replace(
            "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}",
            RAW_SCORES,
        );
        assert_ne!(text, MINIMAL);
        text.replace(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}",
            method,
        )
    }

    #[test]
    fn a_raw_score_scale_takes_thresholds_and_sweeps_in_its_own_units() {
        let study = load(&raw_scores(
            "method: {aggregation: min-geometric-max, defuzzification: geometric, threshold: 3.5}",
        ))
        .unwrap();
        assert_eq!(study.scale()[2].tfn, [Exact::from_int(5); 3]);
        assert_eq!(study.threshold(), Exact::new(7, 2).unwrap());
        // The default sweep is 0.5 to 0.8 by 0.05 of the range 0..5: 2.5, 2.75, ..., 4, with 3.5 on it.
        let expected: Vec<Exact> = (10..=16).map(|k| Exact::new(k, 4).unwrap()).collect();
        assert_eq!(study.sensitivity_thresholds(), expected);
        // Beyond the scale's highest vertex is refused, naming the range.
        let error = load(&raw_scores(
            "method: {aggregation: min-geometric-max, defuzzification: geometric, threshold: 5.5}",
        ))
        .unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.threshold"));
        assert!(error.message.contains("from 0 to 5"), "{error}");
        // Negative vertices are fine for arithmetic methods, not for geometric ones.
        let negative = raw_scores(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0}",
        )
        .replace("[1, 1, 1]", "[-2, -2, -2]");
        let study = load(&negative).unwrap();
        assert_eq!(study.scale()[0].tfn[0], Exact::from_int(-2));
        let error =
            load(&negative.replace("defuzzification: centroid", "defuzzification: geometric"))
                .unwrap_err();
        assert_eq!(error.yaml_key(), Some("scale.levels[1]"));
        assert!(
            error
                .message
                .contains("geometric means need vertices of 0 or more"),
            "{error}"
        );
    }

    #[test]
    fn a_relative_threshold_is_read_and_waits_for_the_crisp_values() {
        let text = MINIMAL.replace("threshold: 0.5}", "threshold: {of: mean, factor: 0.8}}");
        let mut study = load(&text).unwrap();
        assert!(study.threshold_pending());
        assert_eq!(
            study.threshold_rule(),
            ThresholdRule::Relative {
                of: ThresholdStatistic::Mean,
                factor: Exact::new(4, 5).unwrap(),
                statistic: None
            }
        );
        // The sweep has the grid only until the threshold is known, then the threshold joins it.
        assert_eq!(study.sensitivity_thresholds().len(), 7);
        study.set_relative_threshold(
            Num::Exact(Exact::new(13, 24).unwrap()),
            Exact::new(13, 30).unwrap(),
        );
        assert!(!study.threshold_pending());
        assert_eq!(study.method().threshold, Exact::new(13, 30).unwrap());
        assert_eq!(
            study.sensitivity_thresholds()[0],
            Exact::new(13, 30).unwrap()
        );
        let median =
            load(&MINIMAL.replace("threshold: 0.5}", "threshold: {of: median, factor: 1}}"))
                .unwrap();
        assert!(matches!(
            median.threshold_rule(),
            ThresholdRule::Relative {
                of: ThresholdStatistic::Median,
                ..
            }
        ));
        for (bad, key, says) in [
            ("{of: mode, factor: 1}", None, "unknown variant `mode`"),
            ("{of: mean}", None, "missing field `factor`"),
            (
                "{of: mean, factor: 0}",
                Some("method.threshold.factor"),
                "above 0",
            ),
            (
                "{of: mean, factor: 11}",
                Some("method.threshold.factor"),
                "at most 10",
            ),
            (
                "{of: mean, factor: 1, base: 2}",
                None,
                "unknown field `base`",
            ),
            ("half", None, "expected a number such as 0.7, or {of: mean"),
        ] {
            let error = load(&MINIMAL.replace("threshold: 0.5}", &format!("threshold: {bad}}}")))
                .unwrap_err();
            assert_eq!(error.yaml_key(), key, "{bad}: {error}");
            assert!(error.message.contains(says), "{bad}: {error}");
        }
    }

    #[test]
    fn thresholds_outside_zero_to_one_are_rejected() {
        let error = load(&MINIMAL.replace("threshold: 0.5", "threshold: 1.5")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.threshold"));
    }

    #[test]
    fn existing_configurations_get_the_paper_rule_and_default_parameters() {
        let study = load(MINIMAL).unwrap();
        assert_eq!(*study.method(), Method::paper(Exact::new(1, 2).unwrap()));
        assert_eq!(study.max_change(), Exact::new(1, 10).unwrap());
        // 0.5, 0.55, ..., 0.8: seven thresholds, the study's 0.5 among them.
        let expected: Vec<Exact> = (10..=16).map(|k| Exact::new(k, 20).unwrap()).collect();
        assert_eq!(study.sensitivity_thresholds(), expected);
        // A threshold off the grid is added in order.
        let off = load(&MINIMAL.replace("threshold: 0.5", "threshold: 0.62")).unwrap();
        assert_eq!(off.sensitivity_thresholds().len(), 8);
        assert_eq!(
            off.sensitivity_thresholds()[3],
            Exact::new(62, 100).unwrap()
        );
    }

    #[test]
    fn methods_and_parameters_are_read_and_checked() {
        let text = MINIMAL.replace(
            "method: {aggregation: arithmetic-mean, defuzzification: centroid, threshold: 0.5}",
            "method:\n  aggregation: min-geometric-max\n  defuzzification: graded-mean\n  threshold: 0.7\n  decision: threshold-and-consensus\n  consensus: {max_distance: 0.25, min_agreement: 0.8}\n  stability: {max_change: 0.2}\n  sensitivity: {from: 0.6, to: 0.7, step: 0.1}",
        );
        let study = load(&text).unwrap();
        assert_eq!(study.method().aggregation, Aggregation::MinGeometricMax);
        assert_eq!(study.method().defuzzification, Defuzzification::GradedMean);
        assert_eq!(study.method().decision, DecisionRule::ThresholdAndConsensus);
        assert_eq!(study.method().max_distance, Exact::new(1, 4).unwrap());
        assert_eq!(study.method().min_agreement, Exact::new(4, 5).unwrap());
        assert_eq!(study.max_change(), Exact::new(1, 5).unwrap());
        assert_eq!(study.sensitivity_thresholds().len(), 2);
        assert!(!study.method().is_exact());
        let error = load(&text.replace("min_agreement: 0.8", "min_agreement: 80")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.consensus.min_agreement"));
        let error = load(&text.replace("step: 0.1", "step: 0")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("method.sensitivity"));
        let error = load(&text.replace("graded-mean", "median")).unwrap_err();
        assert!(
            error.message.contains("unknown variant `median`"),
            "{error}"
        );
    }
}
