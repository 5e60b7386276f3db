//! The front page: the key findings (one line each, linked to their cells), the citation, and the
//! list of input files with their combined digest that the key findings and the inputs cell share.

use anyhow::{anyhow, Result};

use super::Builder;
use crate::analysis::Status;
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, KeyFinding};
use crate::report::render::escape_markdown;

/// One row of the inputs table: a file with every role it plays.
pub(super) struct InputFile {
    pub(super) path: String,
    pub(super) roles: Vec<String>,
    pub(super) rows: String,
    pub(super) sha256: String,
}

/// One digest for all the inputs: the SHA-256 of the listing `sha256sum` prints for the files in
/// the inputs table's order (`<digest>  <path>` lines), so a reader can recompute it with
/// `sha256sum FILES | sha256sum` in the study folder.
pub(super) fn combined_digest(files: &[InputFile]) -> String {
    let listing: String = files
        .iter()
        .map(|f| format!("{}  {}\n", f.sha256, f.path))
        .collect();
    crate::digest::sha256_hex(listing.as_bytes())
}

impl Builder<'_> {
    /// The key findings of the front page, one line each: the screening result, every audit
    /// finding (the audit cell's own lines), the printed sample shares no panel fits, the inputs.
    pub(super) fn key_findings(&self, cells: &[Cell]) -> Result<Vec<KeyFinding>> {
        // A link to the cell, or its title when the document does not place it.
        let cell_link = |id: &str| -> Result<String> {
            match cells.iter().find(|c| c.id == id) {
                Some(cell) => Ok(format!("[{}](#{id})", escape_markdown(&cell.label))),
                None => {
                    let spec =
                        super::assemble::spec(id).ok_or_else(|| anyhow!("no cell '{id}'"))?;
                    Ok(escape_markdown(&self.t(spec.title_key)?))
                }
            }
        };
        let line = |text: String| KeyFinding {
            text,
            details: Vec::new(),
        };
        let mut findings = Vec::new();
        if self.input.study.has_ratings() {
            findings.push(line(self.fill(
                "front.screening",
                &[
                    ("cell", &cell_link("summary")?),
                    ("result", &self.screening_result()?),
                ],
            )?));
        } else if let Some(coding) = &self.input.qualitative.coding {
            // A study of coded interviews only: what was coded, in one line.
            let counts = &coding.counts;
            findings.push(line(self.fill(
                "front.coding",
                &[
                    ("cell", &cell_link("coding-counts")?),
                    ("segments", &self.int(counts.segments)),
                    ("documents", &self.int(counts.documents_used)),
                    (
                        "codes",
                        &self.int(counts.levels.last().map_or(0, |l| l.used)),
                    ),
                ],
            )?));
        }
        if let Some(audit) = self.input.table_audit {
            let details = self.audit_headlines(audit)?;
            let key = if details.is_empty() {
                "front.audit_clean"
            } else {
                "front.audit"
            };
            findings.push(KeyFinding {
                text: self.fill(key, &[("cell", &cell_link("audit")?)])?,
                details,
            });
        }
        if let Some(sets) = self.input.shares_audit {
            let unfit: Vec<String> = sets
                .iter()
                .filter(|s| !s.panels.is_empty() && s.panels.iter().all(|(_, _, fits)| !fits))
                .map(|s| escape_markdown(s.set.label.get(self.lang)))
                .collect();
            if !unfit.is_empty() {
                findings.push(line(self.fill(
                    "front.shares_unfit",
                    &[
                        ("list", &self.join(&unfit)?),
                        ("cell", &cell_link("aggregates")?),
                    ],
                )?));
            }
        }
        let files = self.input_files()?;
        findings.push(line(self.fill(
            "front.inputs",
            &[
                ("files", &self.int(files.len())),
                ("digest", &combined_digest(&files)),
                ("cell", &cell_link("inputs")?),
            ],
        )?));
        Ok(findings)
    }

    /// The screening result in one sentence (the summary cell's first line).
    pub(super) fn screening_result(&self) -> Result<String> {
        let statuses: Vec<Status> = self
            .input
            .screening
            .iter()
            .filter_map(|r| r.result.map(|s| s.status))
            .collect();
        let accepted = statuses.iter().filter(|s| **s == Status::Accepted).count();
        self.fill(
            "cell.summary.text",
            &[
                ("threshold", &self.threshold_text()),
                ("accepted", &self.int(accepted)),
                ("rejected", &self.int(statuses.len() - accepted)),
                ("total", &self.int(self.input.screening.len())),
            ],
        )
    }

    /// Every input file once, in reading order, with all its roles.
    pub(super) fn input_files(&self) -> Result<Vec<InputFile>> {
        let mut roles = vec![InputRole::Configuration];
        roles.extend(self.input.data.inputs.iter().map(|i| i.role));
        let mut files: Vec<InputFile> = Vec::new();
        for input in self.inputs_for(&roles)? {
            match files.iter_mut().find(|f| f.path == input.path) {
                Some(file) => file.roles.push(input.role),
                None => files.push(InputFile {
                    path: input.path,
                    roles: vec![input.role],
                    rows: input.rows,
                    sha256: input.sha256,
                }),
            }
        }
        Ok(files)
    }

    /// The study's citation as trusted Markdown, or an empty string.
    pub(super) fn citation(&self) -> Result<String> {
        let Some(citation) = self.input.study.citation() else {
            return Ok(String::new());
        };
        let authors: Vec<String> = citation
            .authors
            .iter()
            .map(|a| escape_markdown(a.get(self.lang)))
            .collect();
        let separator = self.t("list.separator")?;
        let volume = match (&citation.volume, &citation.issue) {
            (Some(v), Some(i)) => format!("{separator}{}({})", self.num(v), self.num(i)),
            (Some(v), None) => format!("{separator}{}", self.num(v)),
            _ => String::new(),
        };
        let pages = citation
            .pages
            .as_ref()
            .map(|p| format!("{separator}{}", self.num(p)))
            .unwrap_or_default();
        let doi = citation
            .doi
            .as_ref()
            .map(|d| format!(" DOI: {}", escape_markdown(d)))
            .unwrap_or_default();
        self.fill(
            "cell.study.citation",
            &[
                ("authors", &self.join(&authors)?),
                ("year", &self.int(citation.year)),
                ("title", &escape_markdown(citation.title.get(self.lang))),
                ("journal", &escape_markdown(citation.journal.get(self.lang))),
                ("volume", &escape_markdown(&volume)),
                ("pages", &escape_markdown(&pages)),
                ("doi", &doi),
            ],
        )
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::Tiny;

    #[test]
    fn key_findings_link_to_their_cells() {
        let tiny = Tiny::rich();
        let document = tiny.document(Lang::EN);
        let findings: Vec<&str> = document
            .front
            .findings
            .iter()
            .map(|f| f.text.as_str())
            .collect();
        assert_eq!(
            findings[0],
            "[Cell 6](#summary): At the threshold 0.5, **2** of 3 indicators are accepted and **1** rejected."
        );
        assert!(
            findings[1].starts_with("[Cell 10](#audit): "),
            "{}",
            findings[1]
        );
        assert_eq!(document.front.findings[1].details.len(), 2);
        assert!(
            findings[2].starts_with("[Cell 3](#inputs): 8 input files"),
            "{}",
            findings[2]
        );
        // The contents list every cell, and the numbered tables and figures under theirs.
        let contents: Vec<&str> = document
            .front
            .contents
            .iter()
            .map(|c| c.anchor.as_str())
            .collect();
        assert_eq!(
            &contents[..6],
            [
                "study",
                "method",
                "inputs",
                "counts",
                "table-1",
                "screening"
            ]
        );
        assert!(contents.contains(&"figure-crisp"));
    }

    #[test]
    fn the_citation_is_empty_without_one() {
        let tiny = Tiny::plain();
        assert_eq!(tiny.with_builder(Lang::EN, |b| b.citation().unwrap()), "");
    }
}
