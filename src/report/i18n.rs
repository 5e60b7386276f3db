//! Report languages: fixed texts from `templates/strings.yaml`, and numbers written the way each language reads them.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};

use crate::domain::Bilingual;
use crate::Lang;

/// The fixed texts of the reports, compiled in so the binary needs no files at run time.
pub(crate) const STRINGS_YAML: &str = include_str!("../../templates/strings.yaml");

/// All fixed texts, by key.
pub(crate) struct Strings {
    table: BTreeMap<String, Bilingual>,
}

impl Strings {
    pub(crate) fn builtin() -> Result<Strings> {
        Strings::parse(STRINGS_YAML).context("templates/strings.yaml")
    }

    pub(crate) fn parse(yaml: &str) -> Result<Strings> {
        let table: BTreeMap<String, Bilingual> = serde_yaml::from_str(yaml)?;
        Ok(Strings { table })
    }

    /// The text for `key`; a missing key is an error, never a silent fallback.
    pub(crate) fn get(&self, lang: Lang, key: &str) -> Result<&str> {
        self.table
            .get(key)
            .map(|text| text.get(lang))
            .ok_or_else(|| anyhow!("templates/strings.yaml has no text for '{key}'"))
    }

    /// The text for `key` with `{name}` placeholders replaced; every placeholder must be filled.
    /// `{name|one|many}` writes the word `one` when the value of `name` is 1, else `many`
    /// ("{n} {n|line|lines}"), for languages whose nouns agree with their number.
    pub(crate) fn fill(&self, lang: Lang, key: &str, values: &[(&str, &str)]) -> Result<String> {
        let template = self.get(lang, key)?;
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| anyhow!("'{key}': unclosed placeholder"))?;
            let mut parts = after[..close].split('|');
            let name = parts.next().unwrap_or_default();
            let value = values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| anyhow!("'{key}': no value for placeholder {{{name}}}"))?;
            // Inside a code span (an odd number of backticks so far) a value is part of a formula
            // or a setting name, which keeps ASCII digits in every language.
            let in_code = out.matches('`').count() % 2 == 1;
            match (parts.next(), parts.next(), parts.next()) {
                (None, _, _) if in_code => out.push_str(&ascii_digits(value)),
                (None, _, _) => out.push_str(value),
                (Some(one), Some(many), None) => {
                    let is_one = matches!(value, "1" | "\u{06F1}");
                    out.push_str(if is_one { one } else { many });
                }
                _ => return Err(anyhow!("'{key}': {{{name}|...}} takes one and many forms")),
            }
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
}

/// A writer of text in one report language: fixed texts from [`Strings`], numbers the way the language
/// writes them. The report model's builder and the audit's wording both write this way.
pub(crate) trait InLanguage {
    /// The language written in.
    fn lang(&self) -> Lang;
    /// The fixed texts.
    fn strings(&self) -> &Strings;

    /// The text for `key`.
    fn t(&self, key: &str) -> Result<String> {
        Ok(self.strings().get(self.lang(), key)?.to_string())
    }

    /// The text for `key` with its placeholders filled.
    fn fill(&self, key: &str, values: &[(&str, &str)]) -> Result<String> {
        self.strings().fill(self.lang(), key, values)
    }

    /// An ASCII number as the language writes it.
    fn num(&self, ascii: &str) -> String {
        localize_number(self.lang(), ascii)
    }

    /// A whole number as the language writes it.
    fn int(&self, value: impl ToString) -> String {
        self.num(&value.to_string())
    }

    /// Whole numbers as one item per range, in the language: `19`, `23`, `27–31`.
    fn range_items(&self, numbers: &[u64]) -> Result<Vec<String>> {
        ranges(numbers)
            .into_iter()
            .map(|(from, to)| {
                if from == to {
                    Ok(self.int(from))
                } else {
                    self.fill(
                        "range.item",
                        &[("from", &self.int(from)), ("to", &self.int(to))],
                    )
                }
            })
            .collect()
    }
}

/// Whole numbers as sorted ranges: `19, 23, 27, 31, 34–35`.
pub(crate) fn ranges(numbers: &[u64]) -> Vec<(u64, u64)> {
    let mut out: Vec<(u64, u64)> = Vec::new();
    for &n in numbers {
        match out.last_mut() {
            Some((_, end)) if *end + 1 == n => *end = n,
            _ => out.push((n, n)),
        }
    }
    out
}

/// Writes an ASCII number for `lang`: Persian digits and the Persian decimal separator (U+066B) in Persian.
pub fn localize_number(lang: Lang, ascii: &str) -> String {
    match lang {
        Lang::En => ascii.to_string(),
        Lang::Fa => {
            // A leading minus is a sign (U+2212); any other hyphen (a page range) stays as written.
            let (sign, digits) = match ascii.strip_prefix('-') {
                Some(rest) => ("\u{2212}", rest),
                None => ("", ascii),
            };
            let localized: String = digits
                .chars()
                .map(|c| match c {
                    '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
                    '.' => '\u{066B}',
                    other => other,
                })
                .collect();
            format!("{sign}{localized}")
        }
    }
}

/// Writes the ASCII digits inside a text (a label such as "6 to 15 years") in Persian digits for
/// Persian; separators and other characters are left as they are.
pub(crate) fn localize_digits(lang: Lang, text: &str) -> String {
    match lang {
        Lang::En => text.to_string(),
        Lang::Fa => text
            .chars()
            .map(|c| match c {
                '0'..='9' => char::from_u32(0x06F0 + (c as u32 - '0' as u32)).unwrap_or(c),
                other => other,
            })
            .collect(),
    }
}

/// A localized number written back in ASCII digits, `.` and `-`.
pub(crate) fn ascii_digits(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{06F0}'..='\u{06F9}' => {
                char::from_u32('0' as u32 + (c as u32 - 0x06F0)).unwrap_or(c)
            }
            '\u{066B}' => '.',
            '\u{2212}' => '-',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn persian_numbers_use_persian_digits_and_separator() {
        assert_eq!(localize_number(Lang::Fa, "0.617"), "۰٫۶۱۷");
        assert_eq!(localize_number(Lang::Fa, "48"), "۴۸");
        assert_eq!(localize_number(Lang::Fa, "-0.5"), "\u{2212}۰٫۵");
        assert_eq!(localize_number(Lang::Fa, "724-749"), "۷۲۴-۷۴۹");
        assert_eq!(localize_number(Lang::En, "0.617"), "0.617");
        assert_eq!(localize_digits(Lang::Fa, "6 تا 15 سال"), "۶ تا ۱۵ سال");
        assert_eq!(localize_digits(Lang::Fa, "v1.2"), "v۱.۲");
        assert_eq!(localize_digits(Lang::En, "6 to 15"), "6 to 15");
    }

    #[test]
    fn placeholders_are_filled_and_missing_ones_are_errors() {
        let strings = Strings::parse("greet: {en: 'Hello {name}!', fa: 'سلام {name}!'}").unwrap();
        assert_eq!(
            strings.fill(Lang::En, "greet", &[("name", "Ada")]).unwrap(),
            "Hello Ada!"
        );
        assert_eq!(
            strings.fill(Lang::Fa, "greet", &[("name", "آدا")]).unwrap(),
            "سلام آدا!"
        );
        assert!(strings.fill(Lang::En, "greet", &[]).is_err());
        assert!(strings.get(Lang::En, "absent").is_err());
    }

    #[test]
    fn the_builtin_strings_load() {
        let strings = Strings::builtin().unwrap();
        assert_eq!(strings.get(Lang::Fa, "status.accepted").unwrap(), "تأیید");
    }

    #[test]
    fn plural_forms_follow_the_number() {
        let strings = Strings::parse(
            "lines: {en: '{n} {n|line|lines} read', fa: '{n} سطر خوانده شد'}\nbad: {en: '{n|a}', fa: '{n}'}",
        )
        .unwrap();
        let fill = |lang, n| strings.fill(lang, "lines", &[("n", n)]).unwrap();
        assert_eq!(fill(Lang::En, "1"), "1 line read");
        assert_eq!(fill(Lang::En, "0"), "0 lines read");
        assert_eq!(fill(Lang::En, "21"), "21 lines read");
        assert_eq!(fill(Lang::Fa, "۱"), "۱ سطر خوانده شد");
        assert!(strings.fill(Lang::En, "bad", &[("n", "1")]).is_err());
    }

    #[test]
    fn values_inside_code_keep_ascii_digits() {
        let strings = Strings::parse(
            "panel: {en: 'x', fa: 'اندازهٔ هیئت `panels.delphi_experts = {panel}` یعنی {panel} نفر'}",
        )
        .unwrap();
        assert_eq!(
            strings.fill(Lang::Fa, "panel", &[("panel", "۱۵")]).unwrap(),
            "اندازهٔ هیئت `panels.delphi_experts = 15` یعنی ۱۵ نفر"
        );
        assert_eq!(ascii_digits("\u{2212}۰٫۵"), "-0.5");
    }

    /// The `{name}` placeholders of a text (the name before any `|` of a plural form).
    fn placeholders(text: &str) -> std::collections::BTreeSet<&str> {
        text.split('{')
            .skip(1)
            .filter_map(|part| part.split_once('}'))
            .map(|(inside, _)| inside.split('|').next().unwrap_or_default())
            .collect()
    }

    /// Every text of strings.yaml is used, by its key in quotes or under a prefix that code
    /// completes (`format!("role.{}", ...)`), and both languages fill the same placeholders.
    #[test]
    fn every_string_is_used_and_both_languages_take_the_same_placeholders() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut code = String::new();
        let mut folders = vec![root.join("src"), root.join("templates")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap() {
                let path = entry.unwrap().path();
                let name = path.to_string_lossy().into_owned();
                if path.is_dir() {
                    folders.push(path);
                } else if name.ends_with(".rs") || name.ends_with(".j2") {
                    code.push_str(&std::fs::read_to_string(&path).unwrap());
                }
            }
        }
        let prefixes: Vec<&str> = code
            .split('"')
            .filter_map(|piece| piece.split_once(".{").map(|(prefix, _)| prefix))
            .filter(|prefix| {
                !prefix.is_empty()
                    && prefix
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c == '.' || c == '_')
            })
            .collect();
        let table: BTreeMap<String, Bilingual> = serde_yaml::from_str(STRINGS_YAML).unwrap();
        let unused: Vec<&String> = table
            .keys()
            .filter(|key| {
                let quoted =
                    code.contains(&format!("\"{key}\"")) || code.contains(&format!("'{key}'"));
                let completed = key
                    .rsplit_once('.')
                    .is_some_and(|(prefix, _)| prefixes.contains(&prefix));
                !quoted && !completed
            })
            .collect();
        assert!(
            unused.is_empty(),
            "unused keys in templates/strings.yaml: {unused:?}"
        );
        for (key, text) in &table {
            assert_eq!(
                placeholders(text.get(Lang::En)),
                placeholders(text.get(Lang::Fa)),
                "{key}: English and Persian fill different placeholders"
            );
        }
    }

    /// Every input role has a label in both languages, and every label in strings.yaml belongs to a
    /// role: the report cites its inputs by role, so a missing label would fail a build.
    #[test]
    fn every_input_role_has_its_label_in_both_languages() {
        use crate::domain::InputRole;
        let strings = Strings::builtin().unwrap();
        for role in InputRole::ALL {
            for lang in Lang::ALL {
                let label = strings.get(lang, &role.strings_key()).unwrap();
                assert!(!label.trim().is_empty(), "{role} in {}", lang.code());
            }
        }
        let keys: Vec<String> = InputRole::ALL.iter().map(|r| r.strings_key()).collect();
        let orphans: Vec<&String> = strings
            .table
            .keys()
            .filter(|key| key.starts_with("role.") && !keys.contains(key))
            .collect();
        assert!(orphans.is_empty(), "labels of no input role: {orphans:?}");
        let names: std::collections::BTreeSet<&str> =
            InputRole::ALL.iter().map(|r| r.name()).collect();
        assert_eq!(names.len(), InputRole::ALL.len(), "two roles share a name");
    }
}
