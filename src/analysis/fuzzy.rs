//! Fuzzy Delphi screening: triangular fuzzy numbers, aggregation, defuzzification and the threshold rule.

use crate::analysis::{CountsRow, CountsTable, Status};
use crate::config::ScaleLevel;
use crate::number::Exact;

/// A triangular fuzzy number `(l, m, u)`, held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tfn {
    pub l: Exact,
    pub m: Exact,
    pub u: Exact,
}

impl Tfn {
    /// Centroid defuzzification: `(l + m + u) / 3`.
    pub fn centroid(&self) -> Option<Exact> {
        self.l
            .checked_add(self.m)?
            .checked_add(self.u)?
            .checked_div_int(3)
    }
}

/// Arithmetic mean of the experts' triangular numbers, from counts per level.
///
/// Returns `None` when there are no responses (nothing to average) or on arithmetic overflow.
pub fn arithmetic_mean(scale: &[ScaleLevel], counts: &[u64]) -> Option<Tfn> {
    let responses: u64 = counts.iter().sum();
    if responses == 0 || counts.len() != scale.len() {
        return None;
    }
    let mut sums = [Exact::ZERO; 3];
    for (level, &count) in scale.iter().zip(counts) {
        for (sum, vertex) in sums.iter_mut().zip(level.tfn) {
            *sum = sum.checked_add(vertex.checked_mul_int(i128::from(count))?)?;
        }
    }
    let n = i128::from(responses);
    Some(Tfn {
        l: sums[0].checked_div_int(n)?,
        m: sums[1].checked_div_int(n)?,
        u: sums[2].checked_div_int(n)?,
    })
}

/// One indicator's screening result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScreeningRow {
    pub indicator: String,
    pub responses: u64,
    /// True when the number of responses equals the panel size.
    pub complete: bool,
    /// `None` when the indicator has no responses at all.
    pub result: Option<Screened>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Screened {
    pub fuzzy: Tfn,
    pub crisp: Exact,
    pub status: Status,
}

/// Screens every indicator: mean fuzzy number, centroid, accepted when `crisp >= threshold`.
///
/// A row whose responses differ from `panel_size` is still computed from what it has, and marked
/// incomplete so the report can flag it.
pub fn screen(
    scale: &[ScaleLevel],
    counts: &CountsTable,
    panel_size: u64,
    threshold: Exact,
) -> Result<Vec<ScreeningRow>, String> {
    counts
        .rows
        .iter()
        .map(|row| screen_row(scale, row, panel_size, threshold))
        .collect()
}

fn screen_row(
    scale: &[ScaleLevel],
    row: &CountsRow,
    panel_size: u64,
    threshold: Exact,
) -> Result<ScreeningRow, String> {
    let responses = row.responses();
    let result = if responses == 0 {
        None
    } else {
        let overflow = || {
            format!(
                "indicator {}: the counts are too large to average exactly",
                row.indicator
            )
        };
        let fuzzy = arithmetic_mean(scale, &row.counts).ok_or_else(overflow)?;
        let crisp = fuzzy.centroid().ok_or_else(overflow)?;
        let status = if crisp >= threshold {
            Status::Accepted
        } else {
            Status::Rejected
        };
        Some(Screened {
            fuzzy,
            crisp,
            status,
        })
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
    use crate::config::Bilingual;

    fn q(num: i128, den: i128) -> Exact {
        Exact::new(num, den).unwrap()
    }

    /// The quarter-step five-level scale the reference paper uses.
    pub(crate) fn quarter_scale() -> Vec<ScaleLevel> {
        let vertices = [(0, 0, 1), (0, 1, 2), (1, 2, 3), (2, 3, 4), (3, 4, 4)];
        vertices
            .iter()
            .enumerate()
            .map(|(i, &(l, m, u))| ScaleLevel {
                id: format!("level{}", i + 1),
                label: Bilingual {
                    en: format!("Level {}", i + 1),
                    fa: format!("سطح {}", i + 1),
                },
                tfn: [q(l, 4), q(m, 4), q(u, 4)],
            })
            .collect()
    }

    #[test]
    fn arithmetic_mean_matches_a_hand_computation() {
        // Counts (VL, L, M, H, VH) = (1, 2, 5, 4, 3), n = 15:
        // l = (0*1 + 0*2 + .25*5 + .5*4 + .75*3) / 15 = 5.5 / 15 = 11/30 = 0.3667
        // m = (0*1 + .25*2 + .5*5 + .75*4 + 1*3) / 15 = 9 / 15 = 3/5
        // u = (.25*1 + .5*2 + .75*5 + 1*4 + 1*3) / 15 = 12 / 15 = 4/5
        let tfn = arithmetic_mean(&quarter_scale(), &[1, 2, 5, 4, 3]).unwrap();
        assert_eq!(
            tfn,
            Tfn {
                l: q(11, 30),
                m: q(3, 5),
                u: q(4, 5)
            }
        );
        // crisp = (11/30 + 18/30 + 24/30) / 3 = 53/90 = 0.5889
        assert_eq!(tfn.centroid().unwrap(), q(53, 90));
        assert_eq!(tfn.centroid().unwrap().round_half_away(3), "0.589");
    }

    #[test]
    fn unanimous_panels_give_the_level_itself() {
        let scale = quarter_scale();
        let tfn = arithmetic_mean(&scale, &[0, 0, 0, 0, 7]).unwrap();
        assert_eq!(
            tfn,
            Tfn {
                l: q(3, 4),
                m: q(1, 1),
                u: q(1, 1)
            }
        );
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
        assert_eq!(a.crisp, q(1, 2));
        assert_eq!(a.status, Status::Accepted);
        assert!(rows[0].complete);
        let b = rows[1].result.unwrap();
        assert_eq!(b.fuzzy.l, q(17, 60));
        assert_eq!(b.crisp, q(22, 45));
        assert_eq!(b.status, Status::Rejected);
        assert!(!rows[1].complete, "15 responses on a panel of 3");
        assert_eq!(rows[2].responses, 2);
        assert!(!rows[2].complete);
        assert_eq!(rows[2].result.unwrap().fuzzy.m, q(7, 8));
        assert_eq!(rows[3].result, None);
    }
}
