//! Fixed texts of the reports by key, in every language of the languages table
//! (`templates/strings/<code>.yaml`), with placeholders and plural forms filled; numbers written the
//! way each language reads them.

use std::collections::BTreeMap;

use anyhow::{anyhow, Result};

use crate::domain::language::ascii_number;
use crate::domain::Lang;
use crate::domain::Names;

/// All fixed texts, by key.
pub(crate) struct Strings {
    table: BTreeMap<String, Names>,
}

impl Strings {
    /// The texts of every language of the table.
    pub(crate) fn builtin() -> Result<Strings> {
        crate::domain::language::check_builtin().map_err(|e| anyhow!(e))?;
        let mut table: BTreeMap<String, Names> = BTreeMap::new();
        for lang in Lang::all() {
            for key in lang.language().keys() {
                let text = lang.text(key).unwrap_or_default();
                table.entry(key.to_string()).or_default().set(lang, text);
            }
        }
        Ok(Strings { table })
    }

    /// Texts from YAML, each key a map of language code to text (`greet: {en: Hello, fa: سلام}`), for
    /// the tests.
    #[cfg(test)]
    pub(crate) fn parse(yaml: &str) -> Result<Strings> {
        let table: BTreeMap<String, Names> = serde_yaml::from_str(yaml)?;
        Ok(Strings { table })
    }

    /// The text for `key`; a missing key or language is an error, never a silent fallback.
    pub(crate) fn get(&self, lang: Lang, key: &str) -> Result<&str> {
        self.table
            .get(key)
            .and_then(|text| text.find(lang))
            .ok_or_else(|| anyhow!("templates/strings/{lang}.yaml has no text for '{key}'"))
    }

    /// The text for `key` with `{name}` placeholders replaced; every placeholder must be filled.
    /// `{name|one|other}` writes one of the word forms by the value of `name` (a number in any
    /// language's digits), as the language's plural rule picks it: "{n} {n|line|lines}".
    pub(crate) fn fill(&self, lang: Lang, key: &str, values: &[(&str, &str)]) -> Result<String> {
        let template = self.get(lang, key)?;
        let plural = lang.language().plural;
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
            let forms: Vec<&str> = parts.collect();
            if forms.is_empty() {
                // Inside a code span (an odd number of backticks so far) a value is part of a formula
                // or a setting name, which keeps ASCII digits in every language.
                if out.matches('`').count() % 2 == 1 {
                    out.push_str(&ascii_digits(value));
                } else {
                    out.push_str(value);
                }
            } else {
                if forms.len() != plural.forms() {
                    return Err(anyhow!(
                        "'{key}': {{{name}|...}} takes {} word forms in {}",
                        plural.forms(),
                        lang.name()
                    ));
                }
                let count: u64 = ascii_digits(value).parse().map_err(|_| {
                    anyhow!("'{key}': {{{name}|...}} needs a whole number, found '{value}'")
                })?;
                out.push_str(forms[plural.pick(count)]);
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

/// Writes an ASCII number for `lang`: its digits, decimal separator and minus sign.
pub fn localize_number(lang: Lang, ascii: &str) -> String {
    lang.number(ascii)
}

/// Writes the ASCII digits inside a text (a label such as "6 to 15 years") in `lang`'s digits;
/// separators and other characters are left as they are.
pub(crate) fn localize_digits(lang: Lang, text: &str) -> String {
    lang.digits(text)
}

/// A localized number written back in ASCII digits, `.` and `-`.
pub(crate) fn ascii_digits(text: &str) -> String {
    ascii_number(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::language::placeholders;

    #[test]
    fn persian_numbers_use_persian_digits_and_separator() {
        assert_eq!(localize_number(Lang::FA, "0.617"), "۰٫۶۱۷");
        assert_eq!(localize_number(Lang::FA, "48"), "۴۸");
        assert_eq!(localize_number(Lang::FA, "-0.5"), "\u{2212}۰٫۵");
        assert_eq!(localize_number(Lang::FA, "724-749"), "۷۲۴-۷۴۹");
        assert_eq!(localize_number(Lang::EN, "0.617"), "0.617");
        assert_eq!(localize_digits(Lang::FA, "6 تا 15 سال"), "۶ تا ۱۵ سال");
        assert_eq!(localize_digits(Lang::FA, "v1.2"), "v۱.۲");
        assert_eq!(localize_digits(Lang::EN, "6 to 15"), "6 to 15");
    }

    #[test]
    fn placeholders_are_filled_and_missing_ones_are_errors() {
        let strings = Strings::parse("greet: {en: 'Hello {name}!', fa: 'سلام {name}!'}").unwrap();
        assert_eq!(
            strings.fill(Lang::EN, "greet", &[("name", "Ada")]).unwrap(),
            "Hello Ada!"
        );
        assert_eq!(
            strings.fill(Lang::FA, "greet", &[("name", "آدا")]).unwrap(),
            "سلام آدا!"
        );
        assert!(strings.fill(Lang::EN, "greet", &[]).is_err());
        assert!(strings.get(Lang::EN, "absent").is_err());
    }

    #[test]
    fn the_builtin_strings_load() {
        let strings = Strings::builtin().unwrap();
        assert_eq!(strings.get(Lang::FA, "status.accepted").unwrap(), "تأیید");
    }

    #[test]
    fn plural_forms_follow_the_number() {
        let strings = Strings::parse(
            "lines: {en: '{n} {n|line|lines} read', fa: '{n} سطر خوانده شد'}\nbad: {en: '{n|a}', fa: '{n}'}",
        )
        .unwrap();
        let fill = |lang, n| strings.fill(lang, "lines", &[("n", n)]).unwrap();
        assert_eq!(fill(Lang::EN, "1"), "1 line read");
        assert_eq!(fill(Lang::EN, "0"), "0 lines read");
        assert_eq!(fill(Lang::EN, "21"), "21 lines read");
        assert_eq!(fill(Lang::FA, "۱"), "۱ سطر خوانده شد");
        assert!(strings.fill(Lang::EN, "bad", &[("n", "1")]).is_err());
    }

    #[test]
    fn values_inside_code_keep_ascii_digits() {
        let strings = Strings::parse(
            "panel: {en: 'x', fa: 'اندازهٔ هیئت `panels.delphi_experts = {panel}` یعنی {panel} نفر'}",
        )
        .unwrap();
        assert_eq!(
            strings.fill(Lang::FA, "panel", &[("panel", "۱۵")]).unwrap(),
            "اندازهٔ هیئت `panels.delphi_experts = 15` یعنی ۱۵ نفر"
        );
        assert_eq!(ascii_digits("\u{2212}۰٫۵"), "-0.5");
    }

    /// Every key of every shipped language's strings file is used, by its key in quotes or under a
    /// prefix that code completes (`format!("role.{}", ...)`); every language has every key, with the
    /// same placeholders, and plural forms as many as its rule takes.
    #[test]
    fn every_string_is_used_and_every_language_has_each_with_the_same_placeholders() {
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
        let strings = Strings::builtin().unwrap();
        let table = &strings.table;
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
            "unused keys in templates/strings/*.yaml: {unused:?}"
        );
        let languages = Lang::all();
        assert!(languages.len() >= 2, "{languages:?}");
        for (key, text) in table {
            for lang in &languages {
                let written = text.find(*lang);
                assert!(written.is_some(), "{key}: no text in {lang}");
                let written = written.unwrap_or_default();
                assert_eq!(
                    placeholders(written),
                    placeholders(text.get(Lang::EN)),
                    "{key}: {lang} fills other placeholders than en"
                );
                for form in written.split('{').skip(1).filter_map(|p| p.split_once('}')) {
                    let parts = form.0.split('|').count();
                    assert!(
                        parts == 1 || parts == lang.language().plural.forms() + 1,
                        "{key}: {{{}}} in {lang} does not give its plural rule's forms",
                        form.0
                    );
                }
            }
        }
    }

    /// Every input role has a label in both languages, and every label in strings.yaml belongs to a
    /// role: the report cites its inputs by role, so a missing label would fail a build.
    #[test]
    fn every_input_role_has_its_label_in_both_languages() {
        use crate::domain::InputRole;
        let strings = Strings::builtin().unwrap();
        for role in InputRole::ALL {
            for lang in Lang::all() {
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
