//! Long ratings files read in one streaming pass: polars parses batches, we count and validate them as they pass,
//! so memory stays bounded whatever the file's size.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use polars::prelude::*;
use sha2::{Digest, Sha256};

use crate::analysis::{Indicator, Round};
use crate::config::ScaleLevel;
use crate::error::InputError;
use crate::ingest::ratings::RatingReader;
use crate::ingest::weights::{ExpertWeights, Tally};

/// Called with the number of rows counted so far, after every batch (for a progress display).
pub type Progress = Arc<dyn Fn(usize) + Send + Sync>;

/// What a pass over a file's raw bytes learns: its digest, and that it is UTF-8 text.
pub struct FileDigest {
    pub sha256: String,
    pub bytes: u64,
}

/// Hashes a file and checks it is UTF-8, reading 1 MiB at a time; invalid bytes are reported with their line.
pub fn digest_text_file(path: &Path) -> Result<FileDigest, InputError> {
    let io_error = |e: std::io::Error| InputError::file(path, format!("cannot read the file: {e}"));
    let mut file = File::open(path).map_err(io_error)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 1 << 20];
    // Bytes of a UTF-8 sequence cut by the end of the previous chunk.
    let mut carry: Vec<u8> = Vec::new();
    let mut lines_before = 0usize;
    let mut total = 0u64;
    loop {
        let read = file.read(&mut buffer).map_err(io_error)?;
        if read == 0 {
            break;
        }
        let chunk = &buffer[..read];
        hasher.update(chunk);
        total += read as u64;
        let mut joined;
        let text: &[u8] = if carry.is_empty() {
            chunk
        } else {
            joined = std::mem::take(&mut carry);
            joined.extend_from_slice(chunk);
            &joined
        };
        match std::str::from_utf8(text) {
            Ok(_) => {}
            Err(e) if e.error_len().is_none() => carry = text[e.valid_up_to()..].to_vec(),
            Err(e) => {
                let line = lines_before
                    + text[..e.valid_up_to()]
                        .iter()
                        .filter(|&&b| b == b'\n')
                        .count()
                    + 1;
                return Err(InputError::at_line(
                    path,
                    line,
                    "the file is not valid UTF-8 text; save it as UTF-8",
                ));
            }
        }
        lines_before += text.iter().filter(|&&b| b == b'\n').count()
            - carry.iter().filter(|&&b| b == b'\n').count();
    }
    if !carry.is_empty() {
        return Err(InputError::at_line(
            path,
            lines_before + 1,
            "the file ends inside a UTF-8 character",
        ));
    }
    if total == 0 {
        return Err(InputError::file(
            path,
            "the file is empty; expected a header row and data rows",
        ));
    }
    Ok(FileDigest {
        sha256: hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect(),
        bytes: total,
    })
}

/// Counting state carried from batch to batch; owns what it needs so the polars callback can hold it.
struct LongCounter {
    path: PathBuf,
    scale: Vec<ScaleLevel>,
    indicators: PlHashMap<String, usize>,
    experts: PlHashMap<String, usize>,
    /// Weight units of each expert, by expert index (0 when the study is unweighted).
    expert_units: Vec<i128>,
    weights: Option<ExpertWeights>,
    /// Level index of each distinct rating text seen (few distinct values, many rows).
    levels: PlHashMap<String, Option<usize>>,
    tally: Tally,
    n_indicators: usize,
    /// Bit `expert * indicators + indicator` is set once that pair is rated: duplicates cost one bit per pair.
    rated: Vec<u64>,
    rows: usize,
}

impl LongCounter {
    fn count_batch(&mut self, batch: &DataFrame) -> Result<(), InputError> {
        let path = self.path.clone();
        let column = |name: &str| {
            batch
                .column(name)
                .and_then(|c| c.str())
                .map_err(|e| InputError::column(&path, name, e.to_string()))
        };
        let (experts, indicators, ratings) =
            (column("expert")?, column("indicator")?, column("rating")?);
        let n_indicators = self.n_indicators;
        for ((expert, indicator), rating) in
            experts.iter().zip(indicators.iter()).zip(ratings.iter())
        {
            self.rows += 1;
            let row = self.rows;
            let cell = |value: Option<&'_ str>, name: &str| -> Result<String, InputError> {
                match value.map(str::trim) {
                    Some(text) if !text.is_empty() => Ok(text.to_string()),
                    _ => Err(InputError::cell(&path, row, name, "empty cell")),
                }
            };
            let indicator_text = indicator.map(str::trim).unwrap_or_default();
            let Some(&indicator_index) = self.indicators.get(indicator_text) else {
                let text = cell(indicator, "indicator")?;
                return Err(InputError::cell(
                    &path,
                    row,
                    "indicator",
                    format!("unknown indicator id '{text}'"),
                ));
            };
            let expert_text = expert.map(str::trim).unwrap_or_default();
            let expert_index = match self.experts.get(expert_text) {
                Some(&index) => index,
                None => {
                    let name = cell(expert, "expert")?;
                    let units = match &self.weights {
                        Some(w) => w
                            .units_of(&name)
                            .ok_or_else(|| w.missing(&path, row, "expert", &name))?,
                        None => 0,
                    };
                    let index = self.experts.len();
                    self.experts.insert(name, index);
                    self.expert_units.push(units);
                    index
                }
            };
            let rating_text = rating.map(str::trim).unwrap_or_default();
            let level = match self.levels.get(rating_text) {
                Some(&level) => level,
                None => {
                    let text = cell(rating, "rating")?;
                    let level = RatingReader::new(&self.scale).level_of(&text);
                    self.levels.insert(text, level);
                    level
                }
            };
            let Some(level) = level else {
                let reader = RatingReader::new(&self.scale);
                return Err(InputError::cell(
                    &path,
                    row,
                    "rating",
                    format!("expected {}, found '{rating_text}'", reader.expected()),
                ));
            };
            let bit = expert_index * n_indicators + indicator_index;
            if bit / 64 >= self.rated.len() {
                self.rated.resize(bit / 64 + 1024, 0);
            }
            if self.rated[bit / 64] & (1 << (bit % 64)) != 0 {
                return Err(InputError::cell(
                    &path,
                    row,
                    "indicator",
                    format!(
                        "expert '{expert_text}' rated indicator '{indicator_text}' twice; expected one rating per expert and indicator"
                    ),
                ));
            }
            self.rated[bit / 64] |= 1 << (bit % 64);
            self.tally
                .add(indicator_index, level, self.expert_units[expert_index]);
        }
        Ok(())
    }
}

/// `expert,indicator,rating`, one row per rating, counted per indicator and level in one streaming pass
/// (with the sum of the experts' weights per level when `weights` is given).
/// Returns the counts and the number of data rows.
pub fn count_long_ratings(
    path: &Path,
    scale: &[ScaleLevel],
    indicators: &[Indicator],
    weights: Option<&ExpertWeights>,
    progress: Option<Progress>,
) -> Result<(Round, usize), InputError> {
    let polars_error =
        |e: PolarsError| InputError::file(path, format!("not a readable CSV table: {e}"));
    let mut first_bytes = [0u8; 4];
    let read = File::open(path)
        .and_then(|mut file| file.read(&mut first_bytes))
        .map_err(|e| InputError::file(path, format!("cannot read the file: {e}")))?;
    crate::ingest::table::refuse_compressed(path, &first_bytes[..read])?;
    let source = PlRefPath::try_from_path(path).map_err(polars_error)?;
    let mut frame = LazyCsvReader::new(source)
        .with_has_header(true)
        .with_infer_schema_length(Some(0))
        .finish()
        .map_err(polars_error)?;
    let schema = frame.collect_schema().map_err(polars_error)?;
    let found: Vec<String> = schema.iter_names().map(|n| n.to_string()).collect();
    if let Some(error) = super::table::duplicated_column(path, &found) {
        return Err(error);
    }
    let expected = ["expert", "indicator", "rating"];
    for name in expected {
        if !found.iter().any(|f| f == name) {
            return Err(InputError::column(
                path,
                name,
                format!("missing column; the header has {}", found.join(",")),
            ));
        }
    }
    if let Some(extra) = found.iter().find(|f| !expected.contains(&f.as_str())) {
        return Err(InputError::column(
            path,
            extra,
            "unexpected column; expected the columns expert,indicator,rating",
        ));
    }

    // First error found, or the counter; the callback stops the scan at the first error.
    let state: Arc<Mutex<Result<LongCounter, InputError>>> =
        Arc::new(Mutex::new(Ok(LongCounter {
            path: path.to_path_buf(),
            scale: scale.to_vec(),
            indicators: indicators
                .iter()
                .enumerate()
                .map(|(i, ind)| (ind.id.clone(), i))
                .collect(),
            experts: PlHashMap::new(),
            expert_units: Vec::new(),
            weights: weights.cloned(),
            levels: PlHashMap::new(),
            tally: Tally::new(indicators.len(), scale.len(), weights.is_some()),
            n_indicators: indicators.len(),
            rated: Vec::new(),
            rows: 0,
        })));
    let in_callback = Arc::clone(&state);
    let plan = frame
        .select([col("expert"), col("indicator"), col("rating")])
        .sink_batches(
            PlanCallback::new(move |batch: DataFrame| {
                let mut guard = in_callback
                    .lock()
                    .map_err(|_| polars_err!(ComputeError: "ratings counter poisoned"))?;
                let failure = match &mut *guard {
                    Ok(counter) => {
                        let failure = counter.count_batch(&batch).err();
                        if let Some(progress) = &progress {
                            progress(counter.rows);
                        }
                        failure
                    }
                    Err(_) => return Ok(true),
                };
                let stop = failure.is_some();
                if let Some(error) = failure {
                    *guard = Err(error);
                }
                Ok(stop)
            }),
            // Batches in file order, so row numbers in errors are the file's.
            true,
            None,
        )
        .map_err(polars_error)?;
    plan.collect_with_engine(Engine::Streaming)
        .map_err(polars_error)?;

    let mut guard = state
        .lock()
        .map_err(|_| InputError::file(path, "the ratings counter failed"))?;
    let counter = std::mem::replace(&mut *guard, Err(InputError::file(path, "counted twice")))?;
    Ok((counter.tally.finish(scale, indicators), counter.rows))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    fn file_with(bytes: &[u8]) -> tempfile::NamedTempFile {
        let mut file = tempfile::NamedTempFile::new().unwrap();
        file.write_all(bytes).unwrap();
        file
    }

    #[test]
    fn the_digest_is_the_sha256_of_the_whole_file() {
        let file = file_with(b"abc");
        let digest = digest_text_file(file.path()).unwrap();
        assert_eq!(
            digest.sha256,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert_eq!(digest.bytes, 3);
    }

    #[test]
    fn multibyte_characters_cut_by_a_chunk_boundary_are_valid() {
        // Each line is 9 bytes ("a,بسیار" ...): 1 MiB is not a multiple of it, so some character straddles
        // a chunk boundary; the file is valid UTF-8 and must pass.
        let line = "ab,زیاد\n";
        let text = line.repeat((3 << 20) / line.len());
        let digest = digest_text_file(file_with(text.as_bytes()).path()).unwrap();
        assert_eq!(digest.bytes as usize, text.len());
    }

    #[test]
    fn an_invalid_byte_after_the_first_chunk_is_located_by_line() {
        let mut bytes = "x\n".repeat(600_000).into_bytes(); // 1.2 MB, lines 1..=600000
        bytes.extend_from_slice(b"\xff\n");
        let error = digest_text_file(file_with(&bytes).path()).err().unwrap();
        assert_eq!(error.line, Some(600_001));
    }

    #[test]
    fn an_empty_file_is_an_error() {
        let error = digest_text_file(file_with(b"").path()).err().unwrap();
        assert!(error.message.contains("empty"), "{error}");
    }
}
