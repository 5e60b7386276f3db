//! Report languages: fixed texts from `templates/strings.yaml`, and numbers written the way each language reads them.

use std::collections::BTreeMap;

use anyhow::{anyhow, Context, Result};

use crate::config::Bilingual;
use crate::Lang;

/// The fixed texts of the reports, compiled in so the binary needs no files at run time.
pub const STRINGS_YAML: &str = include_str!("../../templates/strings.yaml");

/// All fixed texts, by key.
pub struct Strings {
    table: BTreeMap<String, Bilingual>,
}

impl Strings {
    pub fn builtin() -> Result<Strings> {
        Strings::parse(STRINGS_YAML).context("templates/strings.yaml")
    }

    pub fn parse(yaml: &str) -> Result<Strings> {
        let table: BTreeMap<String, Bilingual> = serde_yaml::from_str(yaml)?;
        Ok(Strings { table })
    }

    /// The text for `key`; a missing key is an error, never a silent fallback.
    pub fn get(&self, lang: Lang, key: &str) -> Result<&str> {
        self.table
            .get(key)
            .map(|text| text.get(lang))
            .ok_or_else(|| anyhow!("templates/strings.yaml has no text for '{key}'"))
    }

    /// The text for `key` with `{name}` placeholders replaced; every placeholder must be filled.
    pub fn fill(&self, lang: Lang, key: &str, values: &[(&str, &str)]) -> Result<String> {
        let template = self.get(lang, key)?;
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(open) = rest.find('{') {
            out.push_str(&rest[..open]);
            let after = &rest[open + 1..];
            let close = after
                .find('}')
                .ok_or_else(|| anyhow!("'{key}': unclosed placeholder"))?;
            let name = &after[..close];
            let value = values
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| *v)
                .ok_or_else(|| anyhow!("'{key}': no value for placeholder {{{name}}}"))?;
            out.push_str(value);
            rest = &after[close + 1..];
        }
        out.push_str(rest);
        Ok(out)
    }
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
pub fn localize_digits(lang: Lang, text: &str) -> String {
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
        assert_eq!(strings.get(Lang::Fa, "status.accepted").unwrap(), "تایید");
    }
}
