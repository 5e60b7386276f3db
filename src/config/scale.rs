//! The `scale` section of `study.yaml`: a built-in preset or levels written out, validated into exact
//! levels (lowest first), and the units the method's thresholds and distances are checked in.

use std::collections::BTreeSet;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::presets::ScalePreset;
use crate::domain::{Names, ScaleLevel};
use crate::error::InputError;
use crate::number::Exact;

/// What a study with ratings but no scale is told.
pub(super) const NO_SCALE_CHOSEN: &str = "no scale chosen; write `preset: <name>` (four-point-thirds, five-point-quarters, five-point-fifths, seven-point-tenths) or the `levels`";

/// Either a built-in preset or levels written out; exactly one of the two.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ScaleConfig {
    /// A built-in scale (`five-point-quarters`, ...); see `config/presets.rs` for the tables and sources.
    #[serde(default)]
    pub(super) preset: Option<ScalePreset>,
    /// Levels from the lowest to the highest.
    #[serde(default)]
    pub(super) levels: Vec<LevelConfig>,
}

/// A vertex as written: a number (`0.25`) or a fraction in quotes (`"1/3"`), held exactly.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
#[serde(untagged)]
pub(super) enum VertexValue {
    Number(f64),
    Fraction(#[serde(serialize_with = "fraction_text")] Exact),
}

fn fraction_text<S: serde::Serializer>(value: &Exact, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&value.to_string())
}

impl<'de> Deserialize<'de> for VertexValue {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = VertexValue;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number such as 0.25 or a fraction in quotes such as \"1/3\"")
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v as f64))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<VertexValue, E> {
                Ok(VertexValue::Number(v as f64))
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<VertexValue, E> {
                parse_fraction(v)
                    .map(VertexValue::Fraction)
                    .map_err(E::custom)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// `a/b` or a plain decimal, exactly.
fn parse_fraction(text: &str) -> Result<Exact, String> {
    match text.split_once('/') {
        Some((num, den)) => {
            let parse = |part: &str| {
                part.trim()
                    .parse::<i128>()
                    .map_err(|_| format!("'{text}' is not a fraction such as 1/3"))
            };
            let (num, den) = (parse(num)?, parse(den)?);
            if den <= 0 || !(-1_000_000..=1_000_000).contains(&num) || den > 1_000_000 {
                return Err(format!(
                    "'{text}': expected a fraction a/b with |a| <= 1000000 and 0 < b <= 1000000"
                ));
            }
            Exact::new(num, den).ok_or_else(|| format!("'{text}' has a zero denominator"))
        }
        None => Exact::parse_decimal(text.trim()),
    }
}

impl VertexValue {
    fn exact(self) -> Result<Exact, String> {
        match self {
            VertexValue::Number(value) => Exact::from_written_f64(value),
            VertexValue::Fraction(value) => Ok(value),
        }
    }
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub(super) struct LevelConfig {
    /// Identifier used as the column name in count tables (`very_low`).
    pub(super) id: String,
    /// Label in both languages; raw ratings may use either label, the id or the level number.
    pub(super) label: Names,
    /// Triangular fuzzy number `[l, m, u]` with `l <= m <= u`, any finite numbers (0..1 or raw scores such
    /// as `[3, 3, 3]`); numbers or fractions (`"1/3"`).
    pub(super) tfn: [VertexValue; 3],
}

impl ScaleConfig {
    /// The levels with exact vertices: the preset's, or the ones written, checked (ids usable as CSV
    /// columns and unique, `l <= m <= u`, levels rising).
    pub(super) fn validate(&self, file: &Path) -> Result<Vec<ScaleLevel>, InputError> {
        match (self.preset, self.levels.is_empty()) {
            (Some(preset), true) => return Ok(preset.levels()),
            (Some(_), false) => {
                return Err(InputError::key(
                    file,
                    "scale",
                    "give either `preset` or `levels`, not both",
                ))
            }
            (None, true) => return Err(InputError::key(file, "scale", NO_SCALE_CHOSEN)),
            (None, false) => {}
        }
        if self.levels.len() < 2 {
            return Err(InputError::key(
            file,
            "scale.levels",
            "expected at least two levels (or a preset: four-point-thirds, five-point-quarters, five-point-fifths, seven-point-tenths)",
        ));
        }
        let mut seen = BTreeSet::new();
        let mut levels: Vec<ScaleLevel> = Vec::with_capacity(self.levels.len());
        for (index, level) in self.levels.iter().enumerate() {
            let key = format!("scale.levels[{}]", index + 1);
            if level.id.is_empty()
                || !level
                    .id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_')
            {
                return Err(InputError::key(
                    file,
                    &key,
                    format!(
                        "level id '{}' must be letters, digits or '_' (it is a CSV column name)",
                        level.id
                    ),
                ));
            }
            if !seen.insert(level.id.clone()) {
                return Err(InputError::key(
                    file,
                    &key,
                    format!("level id '{}' appears twice", level.id),
                ));
            }
            let mut tfn = [Exact::ZERO; 3];
            for (slot, value) in tfn.iter_mut().zip(level.tfn) {
                *slot = value.exact().map_err(|e| InputError::key(file, &key, e))?;
            }
            let [l, m, u] = tfn;
            // Any finite vertices (a raw-score scale (k, k, k) as well as 0..1), in order.
            if !(l <= m && m <= u) {
                return Err(InputError::key(
                    file,
                    &key,
                    format!("expected l <= m <= u, found ({l}, {m}, {u})"),
                ));
            }
            if let Some(previous) = levels.last() {
                if m <= previous.tfn[1] {
                    return Err(InputError::key(
                    file,
                    &key,
                    "levels must run from lowest to highest: each level's m must exceed the previous one's",
                ));
                }
            }
            levels.push(ScaleLevel {
                id: level.id.clone(),
                label: level.label.clone(),
                tfn,
            });
        }
        Ok(levels)
    }
}

/// The range of a threshold (lowest to highest value) and of a distance or change (0 to the widest
/// span) in the scale's units: 0 to 1 for a scale within the unit interval, else widened to the scale.
pub(super) fn scale_units(scale: &[ScaleLevel]) -> ((Exact, Exact), (Exact, Exact)) {
    let one = Exact::from_int(1);
    let lowest = scale.iter().map(|l| l.tfn[0]).min().unwrap_or(Exact::ZERO);
    let highest = scale.iter().map(|l| l.tfn[2]).max().unwrap_or(one);
    let low = lowest.min(Exact::ZERO);
    let high = highest.max(one);
    let span = high.checked_sub(low).unwrap_or(one).max(one);
    ((low, high), (Exact::ZERO, span))
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{load, MINIMAL};
    use crate::number::Exact;

    #[test]
    fn scale_vertices_out_of_order_or_levels_decreasing_are_rejected() {
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, 0.75]")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("scale.levels[2]"));
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.75, 0.5, 1]")).unwrap_err();
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0, 0, 0.5]")).unwrap_err();
        assert!(error.message.contains("lowest to highest"), "{error}");
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, .inf]")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("scale.levels[2]"));
        assert!(error.message.contains("not a finite number"), "{error}");
    }

    #[test]
    fn a_preset_replaces_the_levels_and_fractions_are_exact() {
        let with_preset = MINIMAL.replace(
            "  levels:\n    - {id: low, label: {en: Low, fa: کم}, tfn: [0, 0, 0.5]}\n    - {id: high, label: {en: High, fa: زیاد}, tfn: [0.5, 1, 1]}",
            "  preset: four-point-thirds",
        );
        assert_ne!(with_preset, MINIMAL);
        let study = load(&with_preset).unwrap();
        assert_eq!(study.scale().len(), 4);
        assert_eq!(study.scale()[1].tfn[1], Exact::new(1, 3).unwrap());
        // Both at once is refused.
        let both = MINIMAL.replace("scale:\n", "scale:\n  preset: seven-point-tenths\n");
        let error = load(&both).unwrap_err();
        assert!(
            error.message.contains("either `preset` or `levels`"),
            "{error}"
        );
        // A custom level may use fractions: "1/3" is exactly 1/3, not 0.333.
        let thirds = MINIMAL.replace("[0, 0, 0.5]", "[0, 0, \"1/3\"]");
        assert_eq!(
            load(&thirds).unwrap().scale[0].tfn[2],
            Exact::new(1, 3).unwrap()
        );
        let error = load(&MINIMAL.replace("[0, 0, 0.5]", "[0, 0, \"1/0\"]")).unwrap_err();
        assert!(error.message.contains("1/0"), "{error}");
        // Fractions beyond 1 are vertices like any other (a raw-score scale).
        let beyond = load(&MINIMAL.replace("[0.5, 1, 1]", "[0.5, 1, \"4/3\"]")).unwrap();
        assert_eq!(beyond.scale()[1].tfn[2], Exact::new(4, 3).unwrap());
        let error = load(&MINIMAL.replace("[0.5, 1, 1]", "[\"4/3\", 1, 1]")).unwrap_err();
        assert!(error.message.contains("expected l <= m <= u"), "{error}");
    }
}
