//! Issue 13, item 3: codebooks of any depth. A SYNTHETIC REFI-QDA project in the shape NVivo 12 exports
//! (written here, no real study or person): a four-level code tree, codings at depths 2, 3 and 4, two
//! text sources of which one has no coding, and selections written grouped by code rather than by
//! position. Its counts, matrix, curve and CSV tables are checked against values counted by hand.

use crate::common;

use std::fs;
use std::io::Write;

use delphi_report::analysis::coding::{self, CodedData};
use delphi_report::ingest::load_folder;
use zip::write::SimpleFileOptions;

/// The coded source's text (after its byte-order mark): CRLF line ends and an emoji, which takes two
/// UTF-16 units and four UTF-8 bytes, before the fourth sentence.
const P01: &str = "We go to trade fairs every year.\r\nOur bank gave us capital.\r\nWe call people we meet.\r\nInvestors \u{1F642} put venture money in.\r\nNetworking matters most.\r\n";
const P02: &str = "No coding here.\r\n";

/// Where `needle` starts and ends in `text`, counted in UTF-16 units or in UTF-8 bytes.
fn span(text: &str, needle: &str, utf8: bool) -> (usize, usize) {
    let start = text.find(needle).unwrap_or_else(|| panic!("{needle}"));
    let count = |s: &str| {
        if utf8 {
            s.len()
        } else {
            s.encode_utf16().count()
        }
    };
    let before = count(&text[..start]);
    (before, before + count(needle))
}

/// The SYNTHETIC NVivo-style project. The tree (depth in brackets, * = carries a coding):
///
/// ```text
/// Networking [1]
///   Active participation [2] *
///     Joining business forums [3] *
///       Trade fairs [4] *
///       Chambers of commerce [4]
///     Deliberate networking [3] *
///   Partnerships [2]
///     Joint ventures [3]
/// Resources [1]
///   Financial resources [2] *
///     Capital [3] *
///       Venture capital [4] *
/// ```
///
/// Source P02 (no coding) comes first, then P01, whose seven selections are written code by code as
/// NVivo groups them: Venture capital (sentence 4), Trade fairs (sentence 1), Capital (2), Deliberate
/// networking (3), Active participation (5), Joining business forums (1 again), Financial resources (2
/// again).
fn nvivo_project(utf8: bool) -> String {
    let code = |guid: &str, name: &str, inner: &str| {
        format!(
            r#"<Code guid="{guid}" name="{name}" isCodable="true"><Description/>{inner}</Code>"#
        )
    };
    let tree = [
        code(
            "c-n",
            "Networking",
            &[
                code(
                    "c-ap",
                    "Active participation",
                    &[
                        code(
                            "c-jbf",
                            "Joining business forums",
                            &[
                                code("c-tf", "Trade fairs", ""),
                                code("c-cc", "Chambers of commerce", ""),
                            ]
                            .concat(),
                        ),
                        code("c-dn", "Deliberate networking", ""),
                    ]
                    .concat(),
                ),
                code("c-p", "Partnerships", &code("c-jv", "Joint ventures", "")),
            ]
            .concat(),
        ),
        code(
            "c-r",
            "Resources",
            &code(
                "c-fr",
                "Financial resources",
                &code("c-c", "Capital", &code("c-vc", "Venture capital", "")),
            ),
        ),
    ]
    .concat();
    let selection = |guid: &str, needle: &str, target: &str| {
        let (start, end) = span(P01, needle, utf8);
        format!(
            r#"<PlainTextSelection guid="{guid}" name="{needle}" startPosition="{start}" endPosition="{end}" creatingUser="u1"><Coding guid="{guid}-k" creatingUser="u1"><CodeRef targetGUID="{target}"/></Coding></PlainTextSelection>"#
        )
    };
    let sentence = [
        "We go to trade fairs every year.",
        "Our bank gave us capital.",
        "We call people we meet.",
        "Investors \u{1F642} put venture money in.",
        "Networking matters most.",
    ];
    let selections = [
        selection("s1", sentence[3], "c-vc"),
        selection("s2", sentence[0], "c-tf"),
        selection("s3", sentence[1], "c-c"),
        selection("s4", sentence[2], "c-dn"),
        selection("s5", sentence[4], "c-ap"),
        selection("s6", sentence[0], "c-jbf"),
        selection("s7", sentence[1], "c-fr"),
    ]
    .concat();
    format!(
        r#"<?xml version="1.0" encoding="utf-8"?>
<!-- SYNTHETIC: written for the tests in the shape NVivo 12 exports (REFI-QDA 1.5). -->
<Project xmlns="urn:QDA-XML:project:1.0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" name="synthetic nvivo" origin="NVivo 12">
  <Users><User guid="u1" name="Coder"/></Users>
  <CodeBook><Codes>{tree}</Codes></CodeBook>
  <Sources>
    <TextSource guid="src-2" name="P02" plainTextPath="internal://src-2.txt" creatingUser="u1"/>
    <TextSource guid="src-1" name="P01" plainTextPath="internal://src-1.txt" creatingUser="u1">{selections}</TextSource>
  </Sources>
</Project>
"#
    )
}

fn qdpx(xml: &str) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default();
    writer.start_file("project.qde", options).unwrap();
    writer.write_all(xml.as_bytes()).unwrap();
    // NVivo writes a byte-order mark at the start of each source text.
    for (name, text) in [("sources/src-1.txt", P01), ("sources/src-2.txt", P02)] {
        writer.start_file(name, options).unwrap();
        writer
            .write_all(format!("\u{feff}{text}").as_bytes())
            .unwrap();
    }
    writer.finish().unwrap().into_inner()
}

/// The reference study with the project as its coded data; `segments` is the `coding.segments` entry.
fn study(project: Vec<u8>, segments: &str) -> tempfile::TempDir {
    let study = common::copy_reference_study();
    fs::write(study.path().join("nvivo.qdpx"), project).unwrap();
    let yaml = fs::read_to_string(study.path().join("study.yaml")).unwrap();
    let yaml = yaml.replacen(
        "coding:\n  published:",
        &format!("coding:\n  segments: {segments}\n  published:"),
        1,
    );
    fs::write(study.path().join("study.yaml"), yaml).unwrap();
    study
}

fn coded(study: &tempfile::TempDir) -> CodedData {
    let (_, data) = load_folder(study.path()).unwrap_or_else(|e| panic!("{e}"));
    data.coding.unwrap()
}

/// The Markdown of one cell of a report: from its heading to the next cell's.
fn cell<'a>(report: &'a str, title: &str) -> &'a str {
    let start = report
        .find(&format!("· {title}\n")) // the heading, not its line in the contents
        .unwrap_or_else(|| panic!("no cell {title}"));
    let rest = &report[start..];
    &rest[..rest.find("\n## Cell ").unwrap_or(rest.len())]
}

#[test]
fn a_four_level_nvivo_project_is_counted_by_the_level_rule_with_the_default_levels() {
    let study = study(
        qdpx(&nvivo_project(false)),
        "{format: qdpx, path: nvivo.qdpx}",
    );
    let data = coded(&study);
    assert_eq!(data.documents, vec!["P02", "P01"]);
    assert_eq!(data.codes.len(), 12);

    // By hand, default levels component > concept > initial code. Counted on (the level rule):
    // Venture capital -> Capital, Trade fairs -> Joining business forums (folded up from depth 4);
    // Capital, Deliberate networking, Joining business forums (depth 3, themselves); Active
    // participation, Financial resources (depth 2, above the last level: counted as concepts).
    let counts = coding::counts(&data);
    let per_level: Vec<(usize, usize, usize, usize)> = counts
        .levels
        .iter()
        .map(|l| (l.defined, l.used, l.coded, l.counted))
        .collect();
    // Components: Networking, Resources; both used; no coding sits on them.
    // Concepts: Active participation, Partnerships, Financial resources; used: AP and FR (Partnerships
    // holds only the unused Joint ventures); coded themselves: AP 1, FR 1.
    // Initial codes: JBF, DN, JV, Capital; used JBF, DN, Capital; coded at depth 3: Capital, DN, JBF
    // (3); counted there: those 3 and the 2 folded up = 5.
    assert_eq!(per_level, vec![(2, 2, 0, 0), (3, 2, 2, 2), (4, 3, 3, 5)]);
    // Below the last level: Trade fairs, Chambers of commerce, Venture capital (3 defined, none
    // vanishes); used: Trade fairs, Venture capital; 2 codings, all counted one level up.
    let deeper = counts.deeper;
    assert_eq!(
        (deeper.defined, deeper.used, deeper.coded, deeper.counted),
        (3, 2, 2, 0)
    );
    // Every coding once: 0 + 2 + 5 = 7 selections; 2 sources, 1 of them coded.
    assert_eq!(counts.segments, 7);
    assert_eq!((counts.documents, counts.documents_used), (2, 1));

    // The matrix, codebook order: AP (itself) 1, JBF 1 + Trade fairs 1 = 2, DN 1, JV 0, FR (itself) 1,
    // Capital 1 + Venture capital 1 = 2; one column (P01): P02 is no interview with codings.
    let matrix = coding::matrix(&data);
    let rows: Vec<(String, Vec<u64>)> = matrix
        .rows
        .iter()
        .map(|r| (data.codes[r.code].path.join(" > "), r.per_document.clone()))
        .collect();
    let expected: Vec<(&str, Vec<u64>)> = vec![
        ("Networking > Active participation", vec![1]),
        (
            "Networking > Active participation > Joining business forums",
            vec![2],
        ),
        (
            "Networking > Active participation > Deliberate networking",
            vec![1],
        ),
        ("Networking > Partnerships > Joint ventures", vec![0]),
        ("Resources > Financial resources", vec![1]),
        ("Resources > Financial resources > Capital", vec![2]),
    ];
    let expected: Vec<(String, Vec<u64>)> = expected
        .into_iter()
        .map(|(p, v)| (p.to_string(), v))
        .collect();
    assert_eq!(rows, expected);
    assert_eq!(matrix.documents, vec![1]);
    // The curve: one interview (P01), 7 segments, 5 distinct counted codes (AP, JBF, DN, FR, Capital).
    let steps: Vec<(usize, usize, usize, usize)> = coding::saturation(&data)
        .iter()
        .map(|s| (s.document, s.segments, s.new_codes, s.cumulative))
        .collect();
    assert_eq!(steps, vec![(1, 7, 5, 5)]);
    // Passages: sentences 4, 1, 2, 3, 5 (s6 and s7 repeat the spans of s2 and s3): 5. The first coded
    // passage is the earliest by offset, sentence 1 (s2), not the first written (s1, sentence 4).
    let passages: Vec<usize> = data.segments.iter().map(|s| s.passage).collect();
    assert_eq!(passages, vec![0, 1, 2, 3, 4, 1, 2]);
    let first = data.first_segment(1).unwrap();
    assert_eq!(
        first.text.as_deref(),
        Some("We go to trade fairs every year.")
    );
    assert_eq!(data.first_segment(0), None);

    let build = delphi_report::build_report(study.path()).unwrap();
    let en = common::file_text(&build.files, "report.en.md");
    let counts_cell = cell(&en, "Codes per level");
    for row in [
        "| Initial codes | 331 | – | 4 | 3 |",
        "| Concepts | 48 | 48 | 3 | 2 |",
        "| Components | 9 | 9 | 2 | 2 |",
        "| Codes below the last level (Initial code) | – | – | 3 | 2 |",
        "| Coded segments | – | – | – | 7 |",
        "| Interviewees | 11 | – | 2 | 1 |",
    ] {
        assert!(counts_cell.contains(row), "{row}\n{counts_cell}");
    }
    assert!(
        counts_cell.contains("The code tree has 3 codes below the last analysis level (Initial code); the 2 codings on them are counted as their ancestor at that level (folded up): Networking > Active participation > Joining business forums > Trade fairs (1 coding, counted as Joining business forums); Networking > Active participation > Joining business forums > Chambers of commerce (0 codings, counted as Joining business forums); Resources > Financial resources > Capital > Venture capital (1 coding, counted as Capital)."),
        "{counts_cell}"
    );
    assert!(
        counts_cell.contains("2 codings sit on codes above the last analysis level (Initial code) and are counted at the code's own level: Networking > Active participation (Concept, 1 coding); Resources > Financial resources (Concept, 1 coding)."),
        "{counts_cell}"
    );
    assert!(
        counts_cell.contains("Documents in the coded data: 2 defined, 1 with codings. The others (P02) are defined but not coded"),
        "{counts_cell}"
    );
    let initial = cell(&en, "Initial coding");
    assert!(
        initial.contains(
            "| P01 | We go to trade fairs every year. | Trade fairs; Joining business forums |"
        ),
        "{initial}"
    );
    assert!(!initial.contains("| P02 |"), "{initial}");
    let matrix_cell = cell(&en, "Codes by interview");
    for row in [
        "| Component | Concept | Initial code | P01 | Total |",
        "| Networking | Active participation | – | 1 | 1 |",
        "| Networking | Active participation | Joining business forums | 2 | 2 |",
        "| Networking | Partnerships | Joint ventures | 0 | 0 |",
        "| Resources | Financial resources | Capital | 2 | 2 |",
        "| Total |  |  | 7 | 7 |",
    ] {
        assert!(matrix_cell.contains(row), "{row}\n{matrix_cell}");
    }
    assert!(!matrix_cell.contains("P02 |"), "{matrix_cell}");
    let concepts = cell(&en, "Concepts and their initial codes");
    assert!(
        concepts.contains("| Networking | Active participation | Joining business forums; Deliberate networking | 4 | – |"),
        "{concepts}"
    );
    assert!(
        concepts.contains("| Resources | Financial resources | Capital | 3 | – |"),
        "{concepts}"
    );
    let saturation = cell(&en, "Saturation");
    assert!(
        saturation.contains("| 1 | P01 | 7 | 5 | 5 |"),
        "{saturation}"
    );
    assert!(!saturation.contains("| P02 |"), "{saturation}");
    assert!(
        saturation.contains("the 2 codes above the last level (Initial code) that carry codings of their own are codes of the curve"),
        "{saturation}"
    );
    let fa = common::file_text(&build.files, "report.fa.md");
    assert!(
        fa.contains("درخت کد ۳ کد پایین‌تر از آخرین سطح تحلیل (کد اولیه) دارد"),
        "{fa}"
    );

    // The coding results as CSV, ASCII digits, in the order above.
    let csv = |name: &str| common::file_text(&build.files, name);
    assert_eq!(
        csv("tables/codes_per_level.csv"),
        "level,depth,defined,used,coded,counted\n\
         component,1,2,2,0,0\n\
         concept,2,3,2,2,2\n\
         initial_code,3,4,3,3,5\n\
         below_last_level,,3,2,2,0\n"
    );
    assert_eq!(
        csv("tables/code_matrix.csv"),
        "code,level,P01,total\n\
         Networking > Active participation,concept,1,1\n\
         Networking > Active participation > Joining business forums,initial_code,2,2\n\
         Networking > Active participation > Deliberate networking,initial_code,1,1\n\
         Networking > Partnerships > Joint ventures,initial_code,0,0\n\
         Resources > Financial resources,concept,1,1\n\
         Resources > Financial resources > Capital,initial_code,2,2\n"
    );
    assert_eq!(
        csv("tables/saturation.csv"),
        "order,document,segments,new_codes,cumulative\n1,P01,7,5,5\n"
    );
}

#[test]
fn offsets_are_read_as_users_spell_the_unit() {
    let default = coded(&study(
        qdpx(&nvivo_project(false)),
        "{format: qdpx, path: nvivo.qdpx}",
    ));
    for spelling in ["utf16", "utf-16"] {
        let spelled = coded(&study(
            qdpx(&nvivo_project(false)),
            &format!("{{format: qdpx, path: nvivo.qdpx, offsets: {spelling}}}"),
        ));
        assert_eq!(spelled, default, "{spelling}");
    }
    // The same selections counted in UTF-8 bytes read the same passages with `utf-8` or `utf8`.
    for spelling in ["utf8", "utf-8"] {
        let bytes = coded(&study(
            qdpx(&nvivo_project(true)),
            &format!("{{format: qdpx, path: nvivo.qdpx, offsets: {spelling}}}"),
        ));
        let texts = |d: &CodedData| -> Vec<Option<String>> {
            d.segments.iter().map(|s| s.text.clone()).collect()
        };
        assert_eq!(texts(&bytes), texts(&default), "{spelling}");
    }
    // A unit the tool does not know is refused, naming the setting and the spellings it takes.
    let study = study(
        qdpx(&nvivo_project(false)),
        "{format: qdpx, path: nvivo.qdpx, offsets: utf-32}",
    );
    let error = load_folder(study.path()).unwrap_err();
    // A serde error: located by the line of study.yaml, the key named in the message.
    assert!(error.line.is_some(), "{error}");
    assert!(error.message.contains("offsets"), "{error}");
    assert!(error.message.contains("utf16"), "{error}");
}

#[test]
fn custom_levels_name_the_tree_and_fold_at_their_last_level() {
    // Four levels named by the user: nothing is folded and nothing sits above the last level but the
    // two concept-level codings (depth 2) and the three depth-3 codings.
    let study = study(
        qdpx(&nvivo_project(false)),
        "{format: qdpx, path: nvivo.qdpx}\n  levels: [theme, category, code, subcode]",
    );
    let data = coded(&study);
    let counts = coding::counts(&data);
    let counted: Vec<usize> = counts.levels.iter().map(|l| l.counted).collect();
    // Depth 1: 0; depth 2: AP, FR; depth 3: Capital, DN, JBF; depth 4: Trade fairs, Venture capital.
    assert_eq!(counted, vec![0, 2, 3, 2]);
    assert_eq!(counts.deeper.defined, 0);
    let build = delphi_report::build_report(study.path()).unwrap();
    let levels = common::file_text(&build.files, "tables/codes_per_level.csv");
    assert!(levels.contains("\nsubcode,4,3,2,2,2\n"), "{levels}");
    let en = common::file_text(&build.files, "report.en.md");
    assert!(
        cell(&en, "Codes by interview")
            .contains("| theme | category | code | subcode | P01 | Total |"),
        "{en}"
    );
    // A repeated level name is an error naming the key.
    let bad = study_with_levels("[component, concept, concept]");
    let error = load_folder(bad.path()).unwrap_err();
    assert_eq!(error.yaml_key(), Some("coding.levels[3]"), "{error}");
    assert!(error.message.contains("appears twice"), "{error}");
}

fn study_with_levels(levels: &str) -> tempfile::TempDir {
    study(
        qdpx(&nvivo_project(false)),
        &format!("{{format: qdpx, path: nvivo.qdpx}}\n  levels: {levels}"),
    )
}
