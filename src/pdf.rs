//! PDF exports: each `report.<lang>.html` of a report folder printed to `report.<lang>.pdf` by a
//! headless Chromium-family browser (A4 and margins from the page's print CSS, no header or footer, no
//! network). PDFs are exports, not report files: browsers change their bytes from version to version, so
//! they are neither in the manifest nor compared by `check`. With `SOURCE_DATE_EPOCH`, the PDF's dates
//! are rewritten from it.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::domain::Lang;
use crate::error::OutputError;

/// Browsers looked for on PATH, in this order.
pub(crate) const BROWSERS: [&str; 4] = [
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
];

/// Is `relative` (a path inside a report folder, with `/`) a PDF export rather than a report file?
pub(crate) fn is_export(relative: &str) -> bool {
    relative.starts_with("report.") && relative.ends_with(".pdf") && !relative.contains('/')
}

/// The browser to print with: the one named (by `--browser` or `DELPHI_REPORT_BROWSER`), else the
/// first of [`BROWSERS`] on PATH.
pub fn find_browser(named: Option<&Path>) -> Result<PathBuf> {
    if let Some(named) = named {
        return match runs(named) {
            true => Ok(named.to_path_buf()),
            false => bail!(OutputError::new(format!(
                "the browser {} does not run (`{} --version` failed); name a Chromium-family browser",
                named.display(),
                named.display()
            ))),
        };
    }
    for name in BROWSERS {
        if runs(Path::new(name)) {
            return Ok(PathBuf::from(name));
        }
    }
    bail!(OutputError::new(format!(
        "no Chromium-family browser found on PATH (looked for {}); install one (Debian or Ubuntu: \
         `sudo apt-get install chromium`; Fedora: `sudo dnf install chromium`; macOS or Windows: Google \
         Chrome) or name it with --browser PATH or DELPHI_REPORT_BROWSER",
        BROWSERS.join(", ")
    )))
}

fn runs(browser: &Path) -> bool {
    Command::new(browser)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Prints every `report.<lang>.html` of `folder` to `report.<lang>.pdf` beside it; returns the PDFs.
pub fn export(
    folder: &Path,
    browser: &Path,
    source_date_epoch: Option<u64>,
) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    let pages: Vec<(Lang, PathBuf)> = Lang::all()
        .into_iter()
        .map(|lang| (lang, folder.join(format!("report.{}.html", lang.code()))))
        .filter(|(_, page)| page.is_file())
        .collect();
    if pages.is_empty() {
        bail!(OutputError::new(format!(
            "{} holds no report.<language>.html: build the report first (`delphi-report build-report`)",
            folder.display()
        )));
    }
    for (lang, page) in pages {
        let pdf = folder.join(format!("report.{}.pdf", lang.code()));
        print(browser, &page, &pdf)?;
        if let Some(epoch) = source_date_epoch {
            let bytes = std::fs::read(&pdf)
                .with_context(|| OutputError::new(format!("cannot read {}", pdf.display())))?;
            let dated = set_dates(&bytes, epoch)
                .with_context(|| OutputError::new(format!("dating {}", pdf.display())))?;
            std::fs::write(&pdf, dated)
                .with_context(|| OutputError::new(format!("cannot write {}", pdf.display())))?;
        }
        written.push(pdf);
    }
    Ok(written)
}

/// One page to one PDF, in a fresh browser profile that is removed afterwards (A4 from the page's
/// print stylesheet, no header or footer, no network). Public for the printed-page tests, which print
/// pages of their own the same way.
pub fn print(browser: &Path, page: &Path, pdf: &Path) -> Result<()> {
    let page = page
        .canonicalize()
        .with_context(|| OutputError::new(format!("cannot find {}", page.display())))?;
    let profile = tempfile::tempdir().context(OutputError::new(
        "cannot create a temporary browser profile",
    ))?;
    // Chromium writes next to the target only once it has finished.
    let _ = std::fs::remove_file(pdf);
    let output = Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            // The page is self-contained: any attempt to reach a host fails.
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", page.display()))
        .output()
        .with_context(|| OutputError::new(format!("cannot run {}", browser.display())))?;
    if !output.status.success() || !pdf.is_file() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last: Vec<&str> = stderr.lines().rev().take(5).collect();
        bail!(OutputError::new(format!(
            "{} could not print {} to {} ({}): {}",
            browser.display(),
            page.display(),
            pdf.display(),
            output.status,
            last.into_iter().rev().collect::<Vec<_>>().join(" / ")
        )));
    }
    Ok(())
}

/// The PDF with every creation and modification date (Info dictionary `(D:...)` strings and XMP
/// `<xmp:...Date>` elements, when uncompressed) replaced by `epoch`, each in the same number of bytes,
/// so that the cross-reference offsets stay right.
pub(crate) fn set_dates(pdf: &[u8], epoch: u64) -> Result<Vec<u8>> {
    let when = crate::report::manifest::utc_timestamp(epoch); // YYYY-MM-DDTHH:MM:SSZ
    let digits: String = when.chars().filter(char::is_ascii_digit).collect(); // YYYYMMDDHHMMSS
    let mut out = pdf.to_vec();
    for key in [&b"/CreationDate"[..], b"/ModDate"] {
        let mut from = 0;
        while let Some(at) = find(&out[from..], key).map(|i| i + from) {
            let rest = &out[at + key.len()..];
            let open = rest.iter().take_while(|b| b.is_ascii_whitespace()).count();
            if rest.get(open) == Some(&b'(') {
                let start = at + key.len() + open + 1;
                let Some(length) = out[start..].iter().position(|&b| b == b')') else {
                    bail!("an unterminated date string");
                };
                let date = info_date(&digits, length)?;
                out[start..start + length].copy_from_slice(date.as_bytes());
            }
            from = at + key.len();
        }
    }
    for element in ["xmp:CreateDate", "xmp:ModifyDate", "xmp:MetadataDate"] {
        let open = format!("<{element}>");
        let close = format!("</{element}>");
        let mut from = 0;
        while let Some(at) = find(&out[from..], open.as_bytes()).map(|i| i + from) {
            let start = at + open.len();
            let Some(length) = find(&out[start..], close.as_bytes()) else {
                bail!("an unterminated <{element}>");
            };
            let date = xmp_date(&when, length)?;
            out[start..start + length].copy_from_slice(date.as_bytes());
            from = start + length;
        }
    }
    Ok(out)
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

/// A PDF date (`D:YYYYMMDDHHmmSS` and a UTC offset) in exactly `length` bytes.
fn info_date(digits: &str, length: usize) -> Result<String> {
    ["+00'00'", "+00'00", "Z", ""]
        .iter()
        .map(|zone| format!("D:{digits}{zone}"))
        .find(|date| date.len() == length)
        .with_context(|| format!("a PDF date of {length} bytes has no UTC form of that length"))
}

/// An XMP date (ISO 8601, UTC) in exactly `length` bytes.
fn xmp_date(when: &str, length: usize) -> Result<String> {
    let plain = when.trim_end_matches('Z');
    [
        format!("{plain}+00:00"),
        when.to_string(),
        format!("{plain}.000+00:00"),
        format!("{plain}.000Z"),
    ]
    .into_iter()
    .find(|date| date.len() == length)
    .with_context(|| format!("an XMP date of {length} bytes has no UTC form of that length"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_rewritten_in_place_from_the_epoch() {
        // 1700000000 is 2023-11-14T22:13:20Z (see manifest::utc_timestamp's test).
        let pdf = b"%PDF-1.4\n1 0 obj <</CreationDate (D:20261202135400+00'00')\n/ModDate(D:20261202135400Z)>>\n<x:xmpmeta><xmp:CreateDate>2026-12-02T13:54:00+00:00</xmp:CreateDate><xmp:ModifyDate>2026-12-02T13:54:00Z</xmp:ModifyDate></x:xmpmeta>\nxref";
        let dated = set_dates(pdf, 1_700_000_000).unwrap();
        assert_eq!(dated.len(), pdf.len());
        assert_eq!(
            String::from_utf8(dated).unwrap(),
            "%PDF-1.4\n1 0 obj <</CreationDate (D:20231114221320+00'00')\n/ModDate(D:20231114221320Z)>>\n<x:xmpmeta><xmp:CreateDate>2023-11-14T22:13:20+00:00</xmp:CreateDate><xmp:ModifyDate>2023-11-14T22:13:20Z</xmp:ModifyDate></x:xmpmeta>\nxref"
        );
        // A date of a length no UTC form has cannot be rewritten without moving offsets.
        assert!(set_dates(b"/ModDate (D:2026)", 0).is_err());
    }

    #[test]
    fn only_top_level_report_pdfs_are_exports() {
        assert!(is_export("report.fa.pdf"));
        assert!(!is_export("figures/report.fa.pdf"));
        assert!(!is_export("report.fa.html"));
    }

    #[test]
    fn a_browser_that_does_not_run_is_named_in_the_error() {
        let error = find_browser(Some(Path::new("/nonexistent/chromium"))).unwrap_err();
        assert!(error
            .to_string()
            .contains("/nonexistent/chromium does not run"));
    }
}
