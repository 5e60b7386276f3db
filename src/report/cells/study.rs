//! The study: its panels, what it screens, and whether the indicator names are translations.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::Cell;

/// The `study` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "study",
    title_key: "cell.study.title",
    description: "The study: its panels, the indicators and components it screens, what the report reproduces",
    availability: Availability::Always,
    build: |builder| builder.study_cell(),
};

impl Builder<'_> {
    pub(super) fn study_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let mut cell = self.cell("study", "cell.study.title")?;
        if !study.has_ratings() {
            // A study of coded interviews only: its interviewees, and what the report computes.
            if let Some(n) = study.panels().interviewees {
                cell.narrative
                    .push(self.fill("cell.study.panels_qualitative", &[("n", &self.int(n))])?);
            }
            cell.narrative.push(self.t("cell.study.scope_coding")?);
            cell.inputs = self.inputs_for(&[InputRole::Configuration])?;
            return Ok(cell);
        }
        let interviewees = match study.panels().interviewees {
            Some(n) => self.fill("cell.study.interviewees", &[("n", &self.int(n))])?,
            None => String::new(),
        };
        cell.narrative.push(self.fill(
            "cell.study.panels",
            &[
                ("delphi", &self.int(study.delphi_experts())),
                ("interviewees", &interviewees),
            ],
        )?);
        // A study without components screens its indicators as one group: no "1 components".
        let key = match (self.input.table_audit.is_some(), self.grouped()) {
            (true, true) => "cell.study.scope",
            (true, false) => "cell.study.scope_ungrouped",
            (false, true) => "cell.study.scope_unpublished",
            (false, false) => "cell.study.scope_unpublished_ungrouped",
        };
        cell.narrative.push(self.fill(
            key,
            &[
                ("indicators", &self.int(self.input.data.indicators.len())),
                ("components", &self.int(self.input.data.components.len())),
                ("counts_table", &self.int(study.tables().counts.number)),
                (
                    "screening_table",
                    &self.int(study.tables().screening.number),
                ),
            ],
        )?);
        // Which names in this language are ours: the indicators' (a note), the components' (said
        // either way once the indicators' note is there, so that a reader knows what was printed).
        let indicators_translated = self.names_translated();
        let components_translated = self
            .input
            .data
            .components
            .iter()
            .any(|c| c.translated.contains(&self.lang));
        if indicators_translated {
            cell.narrative.push(self.t("cell.study.translation_note")?);
        }
        if components_translated {
            cell.narrative
                .push(self.t("cell.study.components_translated")?);
        } else if indicators_translated && self.grouped() {
            cell.narrative.push(self.t("cell.study.components_own")?);
        }
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Components,
            InputRole::Indicators,
        ])?;
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::Tiny;

    #[test]
    fn the_study_cell_says_which_names_in_its_language_are_our_translations() {
        // Untranslated names: no note in either language.
        let plain = Tiny::plain();
        for lang in [Lang::EN, Lang::FA] {
            assert_eq!(plain.cell(lang, "study").narrative.len(), 2);
        }
        // English indicator names translated, component names printed: the English report says
        // both; the Persian one, whose names are the publication's, says nothing.
        let indicators = Tiny::plain_with(|data| {
            for indicator in &mut data.indicators {
                indicator.translated = vec![Lang::EN];
            }
        });
        let cell = indicators.cell(Lang::EN, "study");
        assert_eq!(
            cell.narrative[2..],
            [
                "The publication did not print the indicator names in English; the English names here are our translations.",
                "Component names are the publication's own.",
            ]
        );
        assert_eq!(indicators.cell(Lang::FA, "study").narrative.len(), 2);
        // Persian component names translated, indicator names printed: only the components' note.
        let components = Tiny::plain_with(|data| {
            data.components[1].translated = vec![Lang::FA];
        });
        assert_eq!(
            components.cell(Lang::FA, "study").narrative[2..],
            ["نام‌های فارسی مولفه‌ها ترجمهٔ ماست."]
        );
        assert_eq!(components.cell(Lang::EN, "study").narrative.len(), 2);
    }

    #[test]
    fn the_study_cell_states_the_panels_and_the_scope() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "study");
        assert_eq!(cell.heading, "Cell 1 · The study");
        assert_eq!(
            cell.narrative[0],
            "Panels: 3 experts in the fuzzy Delphi round and 2 interviewees in the qualitative part."
        );
        assert!(
            cell.narrative[1]
                .starts_with("The study screens 3 indicators grouped in 2 components.")
                && cell.narrative[1].contains("(Table 1)")
                && cell.narrative[1].contains("(Table 2)"),
            "{}",
            cell.narrative[1]
        );
        let paths: Vec<&str> = cell.inputs.iter().map(|i| i.path.as_str()).collect();
        assert_eq!(paths, ["study.yaml", "components.csv", "indicators.csv"]);
        // Without a printed table there is nothing to audit, and the scope says so.
        let plain = Tiny::plain();
        let cell = plain.cell(Lang::FA, "study");
        assert_eq!(cell.heading, "بخش ۱: پژوهش");
        assert!(
            cell.narrative[0].starts_with("هیئت‌ها: ۳ خبره"),
            "{}",
            cell.narrative[0]
        );
        assert!(
            !cell.narrative[0].contains("مصاحبه"),
            "{}",
            cell.narrative[0]
        );
        assert_eq!(
            cell.narrative[1],
            plain
                .text(Lang::FA, "cell.study.scope_unpublished")
                .replace("{indicators}", "۳")
                .replace("{components}", "۲")
                .replace("{counts_table}", "۱")
                .replace("{screening_table}", "۲")
        );
    }
}
