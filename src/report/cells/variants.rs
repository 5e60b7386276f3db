//! How the report states the method variants a study may use (issue 14): reverse-coded items, a scale
//! of raw scores rather than shares of 0..1, and a threshold relative to the panel's own crisp values.
//! Each is said only when the study uses it, with its formula.

use anyhow::Result;

use crate::report::i18n::InLanguage;

use super::Builder;
use crate::config::ThresholdRule;
use crate::number::{Exact, Num};
use crate::report::render::escape_markdown;

/// The mark after a reverse-coded indicator's name in the tables (explained by a note under them).
pub(super) const REVERSED_MARK: &str = "†";

impl Builder<'_> {
    /// Whether the indicator's ratings were reversed before fuzzification.
    pub(super) fn is_reversed(&self, id: &str) -> bool {
        self.input.data.reversed.iter().any(|r| r == id)
    }

    /// An indicator's name as a table shows it: with [`REVERSED_MARK`] when it is reverse-coded.
    pub(super) fn marked_name(&self, indicator: &crate::analysis::Indicator) -> String {
        let name = indicator.name.get(self.lang);
        if self.is_reversed(&indicator.id) {
            format!("{name} {REVERSED_MARK}")
        } else {
            name.to_string()
        }
    }

    /// The note under a table whose rows carry [`REVERSED_MARK`] (`key` says what the table shows of
    /// the reversal), or nothing when no item is reversed.
    pub(super) fn reversed_note(&self, key: &str) -> Result<Option<String>> {
        if self.input.data.reversed.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.fill(
            key,
            &[
                ("mark", REVERSED_MARK),
                ("levels", &self.int(self.input.study.scale().len())),
            ],
        )?))
    }

    /// The method paragraph on reverse-coded items, naming them, when the study has any.
    pub(super) fn reverse_paragraph(&self) -> Result<Option<String>> {
        let reversed = &self.input.data.reversed;
        if reversed.is_empty() {
            return Ok(None);
        }
        let items: Vec<String> = reversed
            .iter()
            .map(|id| {
                format!(
                    "{} ({})",
                    escape_markdown(&self.indicator_name(id)),
                    self.indicator_number(id)
                )
            })
            .collect();
        Ok(Some(self.fill(
            "cell.method.reverse",
            &[
                ("count", &self.int(reversed.len())),
                ("list", &self.join(&items)?),
                ("levels", &self.int(self.input.study.scale().len())),
                ("mark", REVERSED_MARK),
            ],
        )?))
    }

    /// The lowest and highest value the scale's numbers can give, widened to hold 0 and 1: 0 to 1 for
    /// a scale inside the unit interval (every preset), the scale's own range for raw scores.
    pub(super) fn scale_range(&self) -> (Exact, Exact) {
        let scale = &self.input.study.scale();
        let lowest = scale.iter().map(|l| l.tfn[0]).min().unwrap_or(Exact::ZERO);
        let highest = scale
            .iter()
            .map(|l| l.tfn[2])
            .max()
            .unwrap_or(Exact::from_int(1));
        (lowest.min(Exact::ZERO), highest.max(Exact::from_int(1)))
    }

    /// Whether the scale's numbers are raw scores (some vertex below 0 or above 1).
    pub(super) fn raw_scores(&self) -> bool {
        self.scale_range() != (Exact::ZERO, Exact::from_int(1))
    }

    /// The method paragraph on a raw-score scale: its units are those of every value and parameter.
    pub(super) fn raw_scores_paragraph(&self) -> Result<Option<String>> {
        if !self.raw_scores() {
            return Ok(None);
        }
        let scale = &self.input.study.scale();
        let low = scale.iter().map(|l| l.tfn[0]).min().unwrap_or(Exact::ZERO);
        let high = scale.iter().map(|l| l.tfn[2]).max().unwrap_or(Exact::ZERO);
        Ok(Some(self.fill(
            "cell.method.raw_scores",
            &[
                ("low", &self.exact_text(low)),
                ("high", &self.exact_text(high)),
            ],
        )?))
    }

    /// The method paragraph of a relative threshold: its formula, the statistic of this panel's crisp
    /// values and the effective threshold (exact fractions where the method is exact).
    pub(super) fn relative_threshold_paragraph(&self) -> Result<Option<String>> {
        let study = self.input.study;
        let ThresholdRule::Relative {
            of,
            factor,
            statistic: Some(statistic),
        } = study.threshold_rule()
        else {
            return Ok(None);
        };
        let indicators = self
            .input
            .screening
            .iter()
            .filter(|r| r.result.is_some())
            .count();
        let (statistic_text, threshold_text) = match statistic {
            Num::Exact(value) => (
                self.exact_value_text(value)?,
                self.exact_value_text(study.threshold())?,
            ),
            Num::Approx(_) => {
                let approx = |value: Exact| {
                    self.fill(
                        "cell.method.relative_approx_value",
                        &[("value", &self.exact_text(value))],
                    )
                };
                let statistic = statistic.as_ratio().unwrap_or(Exact::ZERO);
                (approx(statistic)?, approx(study.threshold())?)
            }
        };
        let mut text = self.fill(
            &format!("cell.method.relative_threshold.{}", of.name()),
            &[
                ("factor", &self.exact_text(factor)),
                ("indicators", &self.int(indicators)),
                ("statistic", &statistic_text),
                ("threshold", &threshold_text),
            ],
        )?;
        text.push(' ');
        text.push_str(&self.t(if statistic.is_exact() {
            "cell.method.relative_exact"
        } else {
            "cell.method.relative_approx"
        })?);
        Ok(Some(text))
    }

    /// `= 1.96`, or `= 28/15 ≈ 1.866667` when 6 decimals do not end the exact value.
    fn exact_value_text(&self, value: Exact) -> Result<String> {
        let short = value.short_decimal();
        if Exact::parse_decimal(&short).ok() == Some(value) {
            return self.fill(
                "cell.method.relative_value",
                &[("value", &self.num(&short))],
            );
        }
        self.fill(
            "cell.method.relative_fraction",
            &[
                ("value", &self.num(&short)),
                ("fraction", &self.num(&value.to_string())),
            ],
        )
    }
}
