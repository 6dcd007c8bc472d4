//! Scene-file mutations shared by the property tests (`scene_props`) and the longer fuzzing run
//! (`examples/fuzz_data.rs --scenes`): lines dropped or repeated, values swapped for hostile
//! ones (huge, negative, NaN, wrong types, ragged lists, broken templates, missing files and
//! keys), truncation, and byte edits; and the exercise every input gets (parse, build, make and
//! validate frames).

use flipbook::FrameGenerator;
use flipbook::data::spec::Syntax;
use flipbook::data::{ArrayTable, DataScene, SceneSpec};
use std::path::Path;

/// Values a mutation puts where a value was.
pub const HOSTILE: [&str; 24] = [
    "-1",
    "0",
    "1e30",
    "-1e30",
    "nan",
    "inf",
    "18446744073709551615",
    "3.5",
    "true",
    "\"\"",
    "\"x.npy\"",
    "\"sine.npz:nothing\"",
    "\"sine.npz\"",
    "\"regression_log.csv:nope\"",
    "[]",
    "[[1, 2], [3]]",
    "[1e39, -1e39]",
    "[0, 0]",
    "[[[1]]]",
    "\"{frame\"",
    "\"{nope:.3q}\"",
    "\"C99\"",
    "\"upper middle\"",
    "{}",
];

/// Parses and builds `text` as the scene file `name` with its data in `dir`, then makes and
/// validates its first, middle and last frames. Returns whether it built.
pub fn exercise(name: &str, text: &str, dir: &Path) -> bool {
    let syntax = if name.ends_with(".json") {
        Syntax::Json
    } else {
        Syntax::Toml
    };
    let Ok(spec) = SceneSpec::parse(text, syntax, Path::new(name)) else {
        return false;
    };
    let Ok(scene) = DataScene::build(&spec, dir, &ArrayTable::default(), Path::new(name)) else {
        return false;
    };
    let n = scene.frame_count();
    assert!(n >= 1, "{name}: a built scene has frames");
    for i in [0, n / 2, n - 1] {
        let _ = scene.frame(i).validate();
    }
    true
}

/// Replaces the value of line `line` (after its first `=` or `:`) with `value`.
pub fn swap_value(text: &str, line: usize, value: &str) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    if lines.is_empty() {
        return text.to_string();
    }
    let k = line % lines.len();
    let l = &lines[k];
    if let Some(at) = l.find(['=', ':']) {
        let tail = if l.trim_end().ends_with(',') { "," } else { "" };
        lines[k] = format!("{}{} {value}{tail}", &l[..at], &l[at..at + 1]);
    }
    lines.join("\n")
}

/// One edit of a scene file's text: `op` 0 swaps a value, 1 drops a line, 2 repeats one, 3
/// truncates; `at` and `value` pick where and what.
pub fn mutate(text: &str, op: usize, at: usize, value: usize) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let k = at % lines.len().max(1);
    match op % 4 {
        0 => swap_value(text, at, HOSTILE[value % HOSTILE.len()]),
        1 => lines
            .iter()
            .enumerate()
            .filter(|(i, _)| *i != k)
            .map(|(_, l)| *l)
            .collect::<Vec<_>>()
            .join("\n"),
        2 => {
            let mut out = lines.clone();
            if let Some(l) = lines.get(k) {
                out.insert(k, l);
            }
            out.join("\n")
        }
        _ => text.chars().take(at % (text.chars().count() + 1)).collect(),
    }
}
