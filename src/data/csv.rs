//! The `.csv` reader: a header row names the columns, each column becomes a 1-D `float64` array
//! named by its header, in column order.
//!
//! How it works: the `csv` crate splits records (quotes, CRLF, blank lines); records are read
//! as bytes so that invalid UTF-8 is reported as a cell error rather than a reader failure, and
//! flexibly so that a ragged row is reported by flipbook with its line. Cells are trimmed; an
//! empty cell is NaN; anything else must parse as a number (`nan`, `inf` and exponents
//! included) or the error names the file, line and column. An unnamed header cell (pandas
//! writes one for the index) becomes `column_N` (1-based); a repeated name is an error, since
//! references pick columns by name. A first row made only of numbers is refused: it is data,
//! not a header.

use std::io::Read;
use std::path::Path;

use super::array::Array;
use super::error::{DataError, Location, Result};

/// Reads every column of the CSV file at `path`.
pub(crate) fn open(path: &Path) -> Result<Vec<Array>> {
    let at = Location::file(path);
    let file = std::fs::File::open(path).map_err(|e| DataError::io(&at, e))?;
    from_reader(std::io::BufReader::new(file), path)
}

/// Reads every column of a CSV from `r` (`path` names it in errors and origins).
pub(crate) fn from_reader(r: impl Read, path: &Path) -> Result<Vec<Array>> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(r);
    let err = |line: u64, column: Option<(usize, String)>, reason: String| DataError::Csv {
        path: path.to_path_buf(),
        line,
        column,
        reason,
    };
    let csv_err = |e: ::csv::Error| {
        let line = e.position().map(|p| p.line()).unwrap_or(0);
        match e.into_kind() {
            ::csv::ErrorKind::Io(io) => DataError::io(&Location::file(path), io),
            other => err(line, None, format!("{other:?}")),
        }
    };
    let mut records = reader.byte_records();
    let header = match records.next() {
        Some(r) => r.map_err(csv_err)?,
        None => {
            return Err(err(
                1,
                None,
                "the file is empty; a header row must name the columns".into(),
            ));
        }
    };
    let header_line = header.position().map(|p| p.line()).unwrap_or(1);
    let mut names: Vec<String> = Vec::with_capacity(header.len());
    for (i, cell) in header.iter().enumerate() {
        let cell = if i == 0 {
            cell.strip_prefix(b"\xef\xbb\xbf").unwrap_or(cell)
        } else {
            cell
        };
        let name = std::str::from_utf8(cell)
            .map_err(|_| {
                err(
                    header_line,
                    Some((i + 1, String::new())),
                    "the header is not valid UTF-8".into(),
                )
            })?
            .trim()
            .to_string();
        let name = if name.is_empty() {
            format!("column_{}", i + 1)
        } else {
            name
        };
        if let Some(j) = names.iter().position(|n| *n == name) {
            return Err(err(
                header_line,
                Some((i + 1, name)),
                format!("the header repeats the name of column {}", j + 1),
            ));
        }
        names.push(name);
    }
    if names.iter().all(|n| parse_cell(n.as_bytes()).is_ok()) {
        return Err(err(
            header_line,
            None,
            format!(
                "the first row ({}) holds numbers; the first row must be a header naming the \
                 columns",
                names.join(", ")
            ),
        ));
    }
    let mut columns: Vec<Vec<f64>> = vec![Vec::new(); names.len()];
    for record in records {
        let record = record.map_err(csv_err)?;
        let line = record.position().map(|p| p.line()).unwrap_or(0);
        if record.len() != names.len() {
            return Err(err(
                line,
                None,
                format!(
                    "the row has {} but the header names {} columns",
                    plural(record.len(), "cell"),
                    names.len()
                ),
            ));
        }
        for (i, cell) in record.iter().enumerate() {
            let v = parse_cell(cell)
                .map_err(|reason| err(line, Some((i + 1, names[i].clone())), reason))?;
            columns[i].push(v);
        }
    }
    names
        .into_iter()
        .zip(columns)
        .map(|(name, values)| {
            let n = values.len();
            let a = Array::new(name.clone(), vec![n], values)?;
            Ok(a.with_origin(Location::key(path, name)))
        })
        .collect()
}

fn plural(n: usize, what: &str) -> String {
    if n == 1 {
        format!("1 {what}")
    } else {
        format!("{n} {what}s")
    }
}

/// A cell's value: empty is NaN, otherwise a number.
fn parse_cell(cell: &[u8]) -> std::result::Result<f64, String> {
    let Ok(text) = std::str::from_utf8(cell) else {
        return Err("the cell is not valid UTF-8".into());
    };
    let text = text.trim();
    if text.is_empty() {
        return Ok(f64::NAN);
    }
    text.parse::<f64>().map_err(|_| {
        let shown: String = text.chars().take(40).collect();
        let more = if text.chars().count() > 40 { "…" } else { "" };
        format!("'{shown}{more}' is not a number")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Result<Vec<Array>> {
        from_reader(text, Path::new("log.csv"))
    }

    #[test]
    fn columns_by_header_with_nan_for_empty_cells() {
        let arrays =
            read(b"\xef\xbb\xbfstep, loss ,acc\r\n0,1.5,\n1,1e-1,0.5\n\n2, nan ,-inf\n").unwrap();
        let names: Vec<&str> = arrays.iter().map(|a| a.name()).collect();
        assert_eq!(names, ["step", "loss", "acc"]);
        assert_eq!(arrays[0].to_f32_vec().unwrap(), vec![0.0, 1.0, 2.0]);
        let loss = arrays[1].to_f32_vec().unwrap();
        assert_eq!(&loss[..2], &[1.5, 0.1]);
        assert!(loss[2].is_nan());
        let acc = arrays[2].to_f32_vec().unwrap();
        assert!(acc[0].is_nan() && acc[1] == 0.5 && acc[2] == f32::NEG_INFINITY);
        assert_eq!(arrays[1].origin().unwrap().to_string(), "log.csv:loss");
        assert_eq!(arrays[1].dtype(), super::super::DType::F64);
        assert_eq!(arrays[1].value_range(), Some((0.1, 1.5)));
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let e = read(b"a,b\n1,2\n3,x7\n").unwrap_err().to_string();
        assert_eq!(e, "log.csv: line 3, column 2 ('b'): 'x7' is not a number");
        let e = read(b"a,b\n1,2\n3\n").unwrap_err().to_string();
        assert!(
            e.contains("line 3") && e.contains("1 cell but the header names 2"),
            "{e}"
        );
        let e = read(b"a,b\n1,\xff\n").unwrap_err().to_string();
        assert!(
            e.contains("line 2, column 2 ('b')") && e.contains("UTF-8"),
            "{e}"
        );
        let e = read(b"a,\xff\n").unwrap_err().to_string();
        assert!(e.contains("line 1, column 2") && e.contains("UTF-8"), "{e}");
        let e = read(b"a,a\n1,2\n").unwrap_err().to_string();
        assert!(e.contains("repeats the name of column 1"), "{e}");
        let e = read(b"1,2\n3,4\n").unwrap_err().to_string();
        assert!(e.contains("must be a header"), "{e}");
        assert!(read(b"").unwrap_err().to_string().contains("empty"));
    }

    #[test]
    fn unnamed_and_header_only() {
        let arrays = read(b",x\n").unwrap();
        assert_eq!(arrays[0].name(), "column_1");
        assert_eq!(arrays[1].shape(), &[0]);
    }
}
