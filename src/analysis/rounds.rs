//! Several Delphi rounds: each indicator's crisp value per round, its change between rounds, and the
//! stop rule (stable when the last change is at most a limit in absolute value).

use crate::analysis::fuzzy::ScreeningRow;
use crate::number::{Exact, Num};

/// One indicator across the rounds.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    pub indicator: String,
    /// Crisp value per round; `None` where the indicator had no responses.
    pub(crate) crisp: Vec<Option<Num>>,
    /// Change from each round to the next (`crisp[r + 1] - crisp[r]`), one fewer than rounds.
    pub changes: Vec<Option<Num>>,
    /// Whether the last change is within the limit; `None` when it cannot be computed.
    pub stable: Option<bool>,
}

/// The trajectories of every indicator, from the screening of each round (first round first, every
/// round in the same indicator order).
pub(crate) fn trajectories(rounds: &[Vec<ScreeningRow>], max_change: Exact) -> Vec<Trajectory> {
    let Some(first) = rounds.first() else {
        return Vec::new();
    };
    (0..first.len())
        .map(|index| {
            let crisp: Vec<Option<Num>> = rounds
                .iter()
                .map(|round| round.get(index).and_then(|r| r.result).map(|s| s.crisp))
                .collect();
            let changes: Vec<Option<Num>> = crisp
                .windows(2)
                .map(|pair| match (pair[0], pair[1]) {
                    (Some(before), Some(after)) => after.checked_sub(before),
                    _ => None,
                })
                .collect();
            let stable = changes.last().copied().flatten().map(|change| {
                let magnitude = if change.cmp_exact(Exact::ZERO).is_lt() {
                    Num::ZERO.checked_sub(change).unwrap_or(change)
                } else {
                    change
                };
                magnitude.cmp_exact(max_change).is_le()
            });
            Trajectory {
                indicator: first[index].indicator.clone(),
                crisp,
                changes,
                stable,
            }
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

    fn round(rows: &[(&str, [u64; 5])]) -> Vec<ScreeningRow> {
        let scale = quarter_scale();
        let table = CountsTable {
            levels: scale.iter().map(|l| l.id.clone()).collect(),
            rows: rows
                .iter()
                .map(|(id, counts)| CountsRow {
                    indicator: id.to_string(),
                    counts: counts.to_vec(),
                })
                .collect(),
        };
        screen(&scale, &table, 4, q(1, 2)).unwrap()
    }

    #[test]
    fn changes_and_stability_match_a_hand_computation() {
        // A: round 1 all Medium (crisp 1/2), round 2 M, H, H, VH (35/48): change 35/48 - 24/48 = 11/48
        //    = 0.229 > 0.1, not stable.
        // B: round 1 H, H, H, VH: l = (1.5 + .75) / 4 = 9/16, m = (2.25 + 1) / 4 = 13/16, u = 1;
        //    crisp = (9 + 13 + 16) / 48 = 38/48. Round 2 all H (.5, .75, 1): crisp 36/48.
        //    Change -2/48 = -0.042, |change| <= 0.1: stable.
        // C: exactly 0.1 apart is stable (the rule is |change| <= 0.1): round 1 all Medium (1/2);
        //    round 2 crisp 3/5 needs (l + m + u) = 1.8: M, M, H, H gives l = 3/8, m = 5/8, u = 7/8,
        //    crisp 5/8 (change 1/8 = 0.125, not stable); so compare with the 1/8 limit below.
        let first = round(&[
            ("A", [0, 0, 4, 0, 0]),
            ("B", [0, 0, 0, 3, 1]),
            ("C", [0, 0, 4, 0, 0]),
        ]);
        let second = round(&[
            ("A", [0, 0, 1, 2, 1]),
            ("B", [0, 0, 0, 4, 0]),
            ("C", [0, 0, 2, 2, 0]),
        ]);
        let found = trajectories(&[first.clone(), second.clone()], q(1, 10));
        assert_eq!(found[0].changes, vec![Some(Num::Exact(q(11, 48)))]);
        assert_eq!(found[0].stable, Some(false));
        assert_eq!(found[1].crisp[0], Some(Num::Exact(q(38, 48))));
        assert_eq!(found[1].changes, vec![Some(Num::Exact(q(-2, 48)))]);
        assert_eq!(found[1].stable, Some(true));
        assert_eq!(found[2].changes, vec![Some(Num::Exact(q(1, 8)))]);
        assert_eq!(found[2].stable, Some(false));
        // At a limit of exactly 1/8 the change of C is within it (inclusive).
        let at_limit = trajectories(&[first, second], q(1, 8));
        assert_eq!(at_limit[2].stable, Some(true));
    }

    #[test]
    fn an_indicator_without_responses_in_a_round_has_no_change() {
        let first = round(&[("A", [0, 0, 0, 0, 0])]);
        let second = round(&[("A", [0, 0, 4, 0, 0])]);
        let found = trajectories(&[first, second], q(1, 10));
        assert_eq!(found[0].crisp, vec![None, Some(Num::Exact(q(1, 2)))]);
        assert_eq!(found[0].changes, vec![None]);
        assert_eq!(found[0].stable, None);
    }
}
