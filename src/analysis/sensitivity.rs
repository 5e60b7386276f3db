//! Sensitivity of the decisions to the threshold: every indicator's verdict at every threshold of a
//! sweep, and which indicators change verdict within it.

use crate::analysis::fuzzy::ScreeningRow;
use crate::analysis::Status;
use crate::domain::DecisionRule;
use crate::number::Exact;

/// One indicator across the thresholds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdicts {
    pub indicator: String,
    /// Verdict per threshold, in the sweep's order; `None` when the indicator has no responses.
    pub(crate) statuses: Vec<Option<Status>>,
}

impl Verdicts {
    /// Whether the verdict changes somewhere in the sweep.
    pub fn flips(&self) -> bool {
        let mut decided = self.statuses.iter().flatten();
        decided
            .next()
            .is_some_and(|first| decided.any(|other| other != first))
    }

    /// The highest threshold of the sweep at which the indicator is still accepted, if any.
    pub fn last_accepted(&self, thresholds: &[Exact]) -> Option<Exact> {
        thresholds
            .iter()
            .zip(&self.statuses)
            .filter(|(_, s)| **s == Some(Status::Accepted))
            .map(|(t, _)| *t)
            .next_back()
    }
}

/// The verdict of every indicator at every threshold under `rule` (the consensus conditions of the
/// combined rule do not depend on the threshold and are applied as they are).
pub(crate) fn sweep(
    screening: &[ScreeningRow],
    thresholds: &[Exact],
    rule: DecisionRule,
) -> Vec<Verdicts> {
    screening
        .iter()
        .map(|row| Verdicts {
            indicator: row.indicator.clone(),
            statuses: thresholds
                .iter()
                .map(|&t| row.result.map(|s| s.status_at(t, rule)))
                .collect(),
        })
        .collect()
}

/// Accepted indicators per threshold.
pub(crate) fn accepted_counts(verdicts: &[Verdicts], thresholds: usize) -> Vec<usize> {
    (0..thresholds)
        .map(|i| {
            verdicts
                .iter()
                .filter(|v| v.statuses[i] == Some(Status::Accepted))
                .count()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::fuzzy::screen;
    use crate::analysis::fuzzy::tests::quarter_scale;
    use crate::analysis::{CountsRow, CountsTable};
    use crate::number::q;

    #[test]
    fn verdicts_flip_where_the_threshold_passes_the_crisp_value() {
        // A: all Medium, crisp 1/2 = 0.5: accepted at 0.5 only (0.5 >= 0.5), rejected at 0.6 and 0.7.
        // B: M, H, H, VH, crisp 35/48 = 0.729: accepted at 0.5, 0.6, 0.7.
        // C: all Very low (0, 0, .25), crisp 1/12 = 0.083: rejected everywhere.
        let scale = quarter_scale();
        let table = CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: [
                ("A", [0, 0, 4, 0, 0]),
                ("B", [0, 0, 1, 2, 1]),
                ("C", [4, 0, 0, 0, 0]),
            ]
            .iter()
            .map(|(id, counts)| CountsRow {
                indicator: id.to_string(),
                counts: counts.to_vec(),
            })
            .collect(),
        };
        let screening = screen(&scale, &table, 4, q(1, 2)).unwrap();
        let thresholds = [q(1, 2), q(3, 5), q(7, 10)];
        let found = sweep(&screening, &thresholds, DecisionRule::Threshold);
        use Status::{Accepted as A, Rejected as R};
        assert_eq!(found[0].statuses, vec![Some(A), Some(R), Some(R)]);
        assert!(found[0].flips());
        assert_eq!(found[0].last_accepted(&thresholds), Some(q(1, 2)));
        assert_eq!(found[1].statuses, vec![Some(A), Some(A), Some(A)]);
        assert!(!found[1].flips());
        assert_eq!(found[2].statuses, vec![Some(R), Some(R), Some(R)]);
        assert_eq!(found[2].last_accepted(&thresholds), None);
        assert_eq!(accepted_counts(&found, 3), vec![2, 1, 1]);
        // Under the combined rule B lacks consensus (2 of 4 agree): rejected at every threshold.
        let combined = sweep(&screening, &thresholds, DecisionRule::ThresholdAndConsensus);
        assert_eq!(combined[1].statuses, vec![Some(R), Some(R), Some(R)]);
    }
}
