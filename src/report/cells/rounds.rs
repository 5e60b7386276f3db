//! Crisp values round by round, their changes, and whether the stop rule is met.

use anyhow::Result;

use super::{Availability, Builder, CellSpec};
use crate::domain::InputRole;
use crate::report::i18n::InLanguage;
use crate::report::model::{Cell, Table};
use crate::report::render::escape_markdown;

/// The `rounds` cell.
pub(super) const CELL: CellSpec = CellSpec {
    id: "rounds",
    title_key: "cell.rounds.title",
    description: "Crisp values in every round, their changes and the stop rule",
    availability: Availability::Rounds,
    build: |builder| builder.rounds_cell(),
};

impl Builder<'_> {
    pub(super) fn rounds_cell(&self) -> Result<Cell> {
        let study = self.input.study;
        let trajectories = self.input.trajectories;
        let rounds = study.data_files().ratings_files();
        let labels: Vec<String> = rounds
            .iter()
            .enumerate()
            .map(|(index, round)| match &round.label {
                Some(label) => Ok(label.get(self.lang).to_string()),
                None => self.fill("round.label", &[("number", &self.int(index + 1))]),
            })
            .collect::<Result<_>>()?;
        let mut cell = self.cell("rounds", "cell.rounds.title")?;
        cell.inputs = self.inputs_for(&[
            InputRole::Configuration,
            InputRole::Indicators,
            InputRole::Ratings,
            InputRole::Weights,
        ])?;
        let escaped: Vec<String> = labels.iter().map(|l| escape_markdown(l)).collect();
        cell.method.push(self.fill(
            "cell.rounds.text",
            &[
                ("rounds", &self.int(labels.len())),
                ("labels", &self.join(&escaped)?),
                ("max_change", &self.exact_text(study.max_change())),
            ],
        )?);
        let mut headers = vec![self.t("col.number")?, self.t("col.indicator")?];
        for label in &labels {
            headers.push(self.fill("col.crisp_in", &[("round", label)])?);
        }
        for pair in labels.windows(2) {
            headers.push(self.fill("col.change", &[("from", &pair[0]), ("to", &pair[1])])?);
        }
        headers.push(self.t("col.stable")?);
        let mut rows = Vec::new();
        let mut unstable: Vec<String> = Vec::new();
        let mut stable = 0;
        for (indicator, trajectory) in self.input.data.indicators.iter().zip(trajectories) {
            let mut row = vec![
                self.int(indicator.number),
                indicator.name.get(self.lang).to_string(),
            ];
            row.extend(
                trajectory
                    .crisp
                    .iter()
                    .map(|c| c.map(|v| self.value(v)).unwrap_or_default()),
            );
            row.extend(
                trajectory
                    .changes
                    .iter()
                    .map(|c| c.map(|v| self.value(v)).unwrap_or_default()),
            );
            row.push(match trajectory.stable {
                Some(yes) => self.yes_no(yes)?,
                None => String::new(),
            });
            match trajectory.stable {
                Some(true) => stable += 1,
                Some(false) => unstable.push(format!(
                    "{} ({})",
                    escape_markdown(indicator.name.get(self.lang)),
                    self.int(indicator.number)
                )),
                None => {}
            }
            rows.push(row);
        }
        cell.tables.push(Table {
            id: "rounds".to_string(),
            caption: self.t("cell.rounds.caption")?,
            headers,
            rows,
        });
        cell.notes.push(self.fill(
            "cell.rounds.stable",
            &[
                ("stable", &self.int(stable)),
                ("total", &self.int(trajectories.len())),
                ("max_change", &self.exact_text(study.max_change())),
            ],
        )?);
        cell.notes.push(if unstable.is_empty() {
            self.t("cell.rounds.stop")?
        } else {
            self.fill("cell.rounds.continue", &[("list", &self.join(&unstable)?)])?
        });
        Ok(cell)
    }
}

#[cfg(test)]
mod tests {
    use crate::domain::Lang;
    use crate::report::cells::tiny::{rows, Tiny};

    #[test]
    fn the_rounds_cell_follows_every_indicator_and_applies_the_stop_rule() {
        let tiny = Tiny::rich();
        let cell = tiny.cell(Lang::EN, "rounds");
        let table = &cell.tables[0];
        assert_eq!(table.id, "rounds");
        // I1 moves from 1 low + 2 high (5.5/9 = 0.611) to 3 high (0.833): 0.222 > 0.1.
        assert_eq!(
            rows(table),
            [
                "1 | Distribution networks | 0.611 | 0.833 | 0.222 | no",
                "2 | Export incentives | 0.389 | 0.389 | 0.000 | yes",
                "3 | Patents | 0.611 | 0.611 | 0.000 | yes",
            ]
        );
        assert!(
            cell.notes[0].starts_with("**2** of 3 indicators are stable"),
            "{}",
            cell.notes[0]
        );
        assert!(
            cell.notes[1].contains("Distribution networks (1)"),
            "{}",
            cell.notes[1]
        );
        assert_eq!(
            Tiny::plain().missing("rounds"),
            Some("the study has one round of ratings")
        );
    }
}
