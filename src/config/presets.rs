//! Built-in linguistic scales: their levels, labels (fixed texts of every language) and exact triangular
//! fuzzy numbers, with sources.

use serde::{Deserialize, Serialize};

use crate::domain::{Names, ScaleLevel};
use crate::number::Exact;

/// A named scale a study can use instead of writing its levels (`scale: {preset: ...}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ScalePreset {
    /// 4 levels on thirds: (0, 0, 1/3), (0, 1/3, 2/3), (1/3, 2/3, 1), (2/3, 1, 1).
    FourPointThirds,
    /// 5 levels on quarters: (0, 0, .25), (0, .25, .5), (.25, .5, .75), (.5, .75, 1), (.75, 1, 1).
    FivePointQuarters,
    /// 5 levels on fifths: (0, 0, .2), (0, .2, .4), (.2, .4, .6), (.4, .6, .8), (.6, .8, 1).
    FivePointFifths,
    /// 7 levels on tenths: (0, 0, .1), (0, .1, .3), (.1, .3, .5), (.3, .5, .7), (.5, .7, .9), (.7, .9, 1), (.9, 1, 1).
    SevenPointTenths,
}

impl ScalePreset {
    pub(crate) const ALL: [ScalePreset; 4] = [
        ScalePreset::FourPointThirds,
        ScalePreset::FivePointQuarters,
        ScalePreset::FivePointFifths,
        ScalePreset::SevenPointTenths,
    ];

    /// The name used in `study.yaml`.
    pub(crate) fn name(self) -> &'static str {
        match self {
            ScalePreset::FourPointThirds => "four-point-thirds",
            ScalePreset::FivePointQuarters => "five-point-quarters",
            ScalePreset::FivePointFifths => "five-point-fifths",
            ScalePreset::SevenPointTenths => "seven-point-tenths",
        }
    }

    /// The levels, lowest first, with exact vertices.
    pub fn levels(self) -> Vec<ScaleLevel> {
        // (id, l, m, u) with vertices as numerators over `den`; the labels are the fixed texts
        // `scale_level.<id>` of every language.
        type Row = (&'static str, i128, i128, i128);
        let (den, rows): (i128, &[Row]) = match self {
            // A uniform partition of [0, 1] into thirds: the same construction as the quarter-step table,
            // for four-point Likert items. Not taken from a particular publication.
            ScalePreset::FourPointThirds => (
                3,
                &[
                    ("low", 0, 0, 1),
                    ("somewhat_low", 0, 1, 2),
                    ("somewhat_high", 1, 2, 3),
                    ("high", 2, 3, 3),
                ],
            ),
            // The table that reproduces Rezvani, Afrasiabi & Mobini (2024), Tables 6 and 7 (see
            // data/htsme-2024/README.md); common in Persian-language fuzzy Delphi studies.
            ScalePreset::FivePointQuarters => (
                4,
                &[
                    ("very_low", 0, 0, 1),
                    ("low", 0, 1, 2),
                    ("medium", 1, 2, 3),
                    ("high", 2, 3, 4),
                    ("very_high", 3, 4, 4),
                ],
            ),
            // The 0.2-step table as used in fuzzy Delphi applications; note that its top level peaks at
            // 0.8, not 1. Not taken from a particular publication: check it against the study's own.
            ScalePreset::FivePointFifths => (
                5,
                &[
                    ("very_low", 0, 0, 1),
                    ("low", 0, 1, 2),
                    ("medium", 1, 2, 3),
                    ("high", 2, 3, 4),
                    ("very_high", 3, 4, 5),
                ],
            ),
            // Chen, C.-T. (2000), "Extensions of the TOPSIS for group decision-making under fuzzy
            // environment", Fuzzy Sets and Systems 114(1), 1-9, Table 1 (linguistic variables for the
            // importance weight of each criterion).
            ScalePreset::SevenPointTenths => (
                10,
                &[
                    ("very_low", 0, 0, 1),
                    ("low", 0, 1, 3),
                    ("medium_low", 1, 3, 5),
                    ("medium", 3, 5, 7),
                    ("medium_high", 5, 7, 9),
                    ("high", 7, 9, 10),
                    ("very_high", 9, 10, 10),
                ],
            ),
        };
        rows.iter()
            .map(|&(id, l, m, u)| ScaleLevel {
                id: id.to_string(),
                label: Names::fixed_text(&format!("scale_level.{id}")),
                tfn: [l, m, u].map(|v| Exact::new(v, den).unwrap_or(Exact::ZERO)),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::number::q;

    #[test]
    fn presets_hold_their_published_vertices_exactly() {
        let quarters = ScalePreset::FivePointQuarters.levels();
        assert_eq!(quarters[2].tfn, [q(1, 4), q(1, 2), q(3, 4)]);
        assert_eq!(quarters[4].tfn, [q(3, 4), q(1, 1), q(1, 1)]);
        let fifths = ScalePreset::FivePointFifths.levels();
        assert_eq!(fifths[4].tfn, [q(3, 5), q(4, 5), q(1, 1)]);
        let sevens = ScalePreset::SevenPointTenths.levels();
        assert_eq!(sevens.len(), 7);
        assert_eq!(sevens[1].tfn, [q(0, 1), q(1, 10), q(3, 10)]);
        assert_eq!(sevens[5].tfn, [q(7, 10), q(9, 10), q(1, 1)]);
        let thirds = ScalePreset::FourPointThirds.levels();
        assert_eq!(thirds[1].tfn, [q(0, 1), q(1, 3), q(2, 3)]);
    }

    #[test]
    fn every_preset_is_a_valid_ordered_scale() {
        for preset in ScalePreset::ALL {
            let levels = preset.levels();
            for level in &levels {
                let [l, m, u] = level.tfn;
                assert!(
                    Exact::ZERO <= l && l <= m && m <= u && u <= q(1, 1),
                    "{level:?}"
                );
            }
            assert!(levels.windows(2).all(|w| w[0].tfn[1] < w[1].tfn[1]));
        }
    }
}
