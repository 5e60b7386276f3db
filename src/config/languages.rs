//! The `languages` key of `study.yaml` (the report languages, the first the primary one) and the rule
//! that every text study.yaml gives (title, citation, labels, captions) has each of those languages:
//! every missing one is named by its key, in one error.

use std::path::Path;

use super::schema::StudyConfig;
use crate::domain::{Lang, Names};
use crate::error::{InputError, Problems};

impl StudyConfig {
    /// The study's languages: as listed (known, none twice, at least one), or the table's defaults.
    pub(super) fn validate_languages(&self, file: &Path) -> Result<Vec<Lang>, InputError> {
        let Some(listed) = &self.languages else {
            return Ok(Lang::defaults());
        };
        if listed.is_empty() {
            return Err(InputError::key(
                file,
                "languages",
                format!(
                    "the list is empty; name at least one report language ({})",
                    Lang::known_codes()
                ),
            ));
        }
        for (index, lang) in listed.iter().enumerate() {
            if listed[..index].contains(lang) {
                return Err(InputError::key(
                    file,
                    &format!("languages[{}]", index + 1),
                    format!("'{lang}' is listed twice"),
                ));
            }
        }
        Ok(listed.clone())
    }

    /// Every text of the study file in every language of `langs`: the missing ones, each by its key
    /// (`title.fa`), in one error.
    pub(super) fn check_names(&self, file: &Path, langs: &[Lang]) -> Result<(), InputError> {
        let mut problems = Problems::new();
        let mut check = |key: &str, names: &Names| {
            for lang in names.missing(langs) {
                problems.push(InputError::key(
                    file,
                    &format!("{key}.{lang}"),
                    format!(
                        "no {} text; every text needs one in each of the study's languages ({})",
                        lang.name(),
                        codes(langs)
                    ),
                ));
            }
        };
        check("title", &self.title);
        if let Some(citation) = &self.citation {
            for (index, author) in citation.authors.iter().enumerate() {
                check(&format!("citation.authors[{}]", index + 1), author);
            }
            check("citation.title", &citation.title);
            check("citation.journal", &citation.journal);
        }
        for (index, level) in self.scale.iter().flat_map(|s| &s.levels).enumerate() {
            check(&format!("scale.levels[{}].label", index + 1), &level.label);
        }
        let rounds = self.data.ratings_files();
        for (index, round) in rounds.iter().enumerate() {
            if let Some(label) = &round.label {
                check(&format!("{}.label", self.data.ratings_key(index)), label);
            }
        }
        check("tables.counts.caption", &self.tables.counts.caption);
        check("tables.screening.caption", &self.tables.screening.caption);
        if let Some(demographics) = &self.demographics {
            for (index, panel) in demographics.panels.iter().enumerate() {
                check(
                    &format!("demographics.panels[{}].label", index + 1),
                    &panel.label,
                );
            }
            for (index, attribute) in demographics.attributes.iter().enumerate() {
                let key = format!("demographics.attributes[{}]", index + 1);
                check(&format!("{key}.label"), &attribute.label);
                for (category_index, category) in attribute.categories.iter().enumerate() {
                    check(
                        &format!("{key}.categories[{}].label", category_index + 1),
                        &category.label,
                    );
                }
            }
        }
        if let Some(published) = self.coding.as_ref().and_then(|c| c.published.as_ref()) {
            for (key, table) in [
                ("coding.published.design", &published.design),
                ("coding.published.initial_coding", &published.initial_coding),
                ("coding.published.concepts", &published.concepts),
            ] {
                if let Some(table) = table {
                    check(&format!("{key}.caption"), &table.caption);
                }
            }
        }
        problems.into_result()
    }
}

/// `en, fa`.
fn codes(langs: &[Lang]) -> String {
    langs
        .iter()
        .map(|l| l.code())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::super::fixtures::{load, MINIMAL};
    use crate::domain::Lang;

    #[test]
    fn languages_default_to_the_table_defaults_and_are_checked() {
        assert_eq!(load(MINIMAL).unwrap().languages(), [Lang::EN, Lang::FA]);
        let english = MINIMAL.replace("id: demo", "id: demo\nlanguages: [en]");
        assert_eq!(load(&english).unwrap().languages(), [Lang::EN]);
        let persian_first = MINIMAL.replace("id: demo", "id: demo\nlanguages: [fa, en]");
        assert_eq!(
            load(&persian_first).unwrap().languages(),
            [Lang::FA, Lang::EN]
        );
        let error =
            load(&MINIMAL.replace("id: demo", "id: demo\nlanguages: [en, en]")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("languages[2]"));
        let error = load(&MINIMAL.replace("id: demo", "id: demo\nlanguages: []")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("languages"));
        let error =
            load(&MINIMAL.replace("id: demo", "id: demo\nlanguages: [en, de]")).unwrap_err();
        assert!(
            error
                .message
                .contains("unknown language 'de'; the languages are en, fa"),
            "{error}"
        );
    }

    #[test]
    fn a_listed_language_needs_every_text_and_an_unlisted_one_none() {
        // English only: no Persian text anywhere.
        let english = MINIMAL
            .replace("id: demo", "id: demo\nlanguages: [en]")
            .replace("{en: Demo, fa: نمونه}", "{en: Demo}")
            .replace("{en: Low, fa: کم}", "{en: Low}")
            .replace("{en: High, fa: زیاد}", "{en: High}");
        assert!(load(&english).is_ok());
        // Both languages: every missing Persian text is named by its key, all in one error.
        let missing = english.replace("languages: [en]", "languages: [en, fa]");
        let error = load(&missing).unwrap_err();
        assert_eq!(error.yaml_key(), Some("title.fa"));
        assert_eq!(error.problems(), 3);
        let text = error.to_string();
        assert!(text.contains("key 'scale.levels[2].label.fa'"), "{text}");
        assert!(text.contains("no Persian text"), "{text}");
        // A blank text is as missing as an absent one.
        let blank = MINIMAL.replace("{en: Demo, fa: نمونه}", "{en: Demo, fa: ' '}");
        assert_eq!(load(&blank).unwrap_err().yaml_key(), Some("title.fa"));
    }
}
