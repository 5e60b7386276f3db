//! The optional `document` section of `study.yaml`: the author's own document, one Markdown file per
//! report language (`document: {en: report.en.md, fa: report.fa.md}`), and whether the author's text
//! may hold raw HTML (`allow_html`, off by default: raw HTML is shown as text).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::data::check_inside_folder;
use crate::domain::Lang;
use crate::error::InputError;

/// `document:` as written: a file per language code, and `allow_html`.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct DocumentConfig {
    /// The author's HTML passes into the pages and notebooks when true; otherwise it is shown as text.
    #[serde(default)]
    pub allow_html: bool,
    /// The document of each report language, by language code, relative to the study folder.
    #[serde(flatten)]
    pub files: BTreeMap<String, PathBuf>,
}

impl DocumentConfig {
    /// The document written in `lang`.
    pub fn file(&self, lang: Lang) -> Option<&Path> {
        self.files.get(lang.code()).map(PathBuf::as_path)
    }

    /// Every key a language of the study's reports (`langs`), every report language a document, every
    /// path inside the study folder.
    pub(super) fn validate(&self, file: &Path, langs: &[Lang]) -> Result<(), InputError> {
        let codes: Vec<&str> = langs.iter().map(|l| l.code()).collect();
        for (code, path) in &self.files {
            let key = format!("document.{code}");
            if !codes.contains(&code.as_str()) {
                return Err(InputError::key(
                    file,
                    &key,
                    format!(
                        "'{code}' is not a report language; the keys of `document` are {} and allow_html",
                        codes.join(", ")
                    ),
                ));
            }
            check_inside_folder(file, &key, path)?;
        }
        if let Some(missing) = codes.iter().find(|code| !self.files.contains_key(**code)) {
            return Err(InputError::key(
                file,
                "document",
                format!(
                    "no document for '{missing}': give one Markdown file per report language ({missing}: report.{missing}.md)"
                ),
            ));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::super::fixtures::{load, MINIMAL};
    use crate::domain::Lang;

    fn with_document(yaml: &str) -> String {
        format!("{MINIMAL}document: {yaml}\n")
    }

    #[test]
    fn one_document_per_language_inside_the_folder() {
        let study = load(&with_document("{en: report.en.md, fa: text/report.fa.md}")).unwrap();
        let document = study.document().unwrap();
        assert_eq!(
            document.file(Lang::FA),
            Some(Path::new("text/report.fa.md"))
        );
        assert!(!document.allow_html);
        let study = load(&with_document("{en: e.md, fa: f.md, allow_html: true}")).unwrap();
        assert!(study.document().unwrap().allow_html);
        assert!(load(MINIMAL).unwrap().document().is_none());
    }

    #[test]
    fn a_missing_language_a_stray_key_and_a_path_out_are_errors_naming_the_key() {
        let error = load(&with_document("{en: report.en.md}")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("document"));
        assert!(error.message.contains("no document for 'fa'"), "{error}");
        let error = load(&with_document("{en: e.md, fa: f.md, de: d.md}")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("document.de"));
        let error = load(&with_document("{en: ../e.md, fa: f.md}")).unwrap_err();
        assert_eq!(error.yaml_key(), Some("document.en"));
        let error = load(&with_document("{en: e.md, fa: f.md, allow_html: maybe}")).unwrap_err();
        assert!(
            error.to_string().contains("allow_html") || error.to_string().contains("bool"),
            "{error}"
        );
    }
}
