//! Tick positions and labels, after matplotlib's AutoLocator and ScalarFormatter.
//!
//! The locator asks for at most `n` intervals and picks the smallest step from
//! {1, 2, 2.5, 5, 10}·10ᵏ that covers the range with no more; ticks are the step's multiples
//! inside the limits. Labels share one number of decimals (enough for the step), use the true
//! minus sign "−" as matplotlib does, and switch to a common ×10ᵏ factor for very large or
//! very small values.

/// Ticks of one axis: positions and their labels, plus a factor shown once at the axis end
/// (e.g. "×10⁶") when the labels are scaled.
#[derive(Clone, Debug, PartialEq)]
pub struct AxisTicks {
    /// Tick positions in data units, ascending.
    pub values: Vec<f64>,
    /// One label per tick.
    pub labels: Vec<String>,
    /// A multiplier the labels are scaled by, e.g. "×10⁶"; empty when not scaled.
    pub factor: String,
}

const STEPS: [f64; 5] = [1.0, 2.0, 2.5, 5.0, 10.0];

/// How many intervals fit on an axis of `length_px` whose labels are `font_px` tall, as
/// matplotlib's `get_tick_space` (3 font sizes apart along x, 2 along y), between 1 and 9.
pub fn max_intervals(length_px: f32, font_px: f32, horizontal: bool) -> usize {
    let per = font_px * if horizontal { 3.0 } else { 2.0 };
    ((length_px / per.max(1.0)).floor() as usize).clamp(1, 9)
}

/// The step for `[lo, hi]` with at most `max_intervals` intervals.
pub fn nice_step(lo: f64, hi: f64, max_intervals: usize) -> f64 {
    let span = (hi - lo).abs();
    if !(span.is_finite() && span > 0.0) {
        return 1.0;
    }
    let raw = span / max_intervals.max(1) as f64;
    let mut scale = 10f64.powf(raw.log10().floor());
    // The largest step that still puts a tick inside the range, in case none fits the count
    // (a range across zero always needs two intervals).
    let mut fallback = scale;
    while scale < span * 100.0 {
        for s in STEPS {
            let step = s * scale;
            let inside = (hi / step + 1e-9).floor() >= (lo / step - 1e-9).ceil();
            if !inside {
                continue;
            }
            fallback = step;
            // Intervals between the outermost multiples that bracket the range.
            let intervals = ((hi / step).ceil() - (lo / step).floor()) as usize;
            if intervals <= max_intervals {
                return step;
            }
        }
        scale *= 10.0;
    }
    fallback
}

/// Tick values: multiples of the nice step inside `[lo, hi]` (in either order).
pub fn locate(lo: f64, hi: f64, max_intervals: usize) -> Vec<f64> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    if !(lo.is_finite() && hi.is_finite()) {
        return Vec::new();
    }
    if hi - lo <= f64::EPSILON * lo.abs().max(1.0) {
        return vec![lo];
    }
    let step = nice_step(lo, hi, max_intervals);
    let tol = step * 1e-6;
    let first = ((lo - tol) / step).ceil() as i64;
    let last = ((hi + tol) / step).floor() as i64;
    (first..=last)
        .map(|k| k as f64 * step)
        .map(|v| if v.abs() < tol { 0.0 } else { v })
        .collect()
}

/// Formats `values` (evenly spaced ticks) with a shared number of decimals.
pub fn format(values: &[f64]) -> AxisTicks {
    let biggest = values.iter().fold(0.0f64, |m, v| m.max(v.abs()));
    let step = values
        .windows(2)
        .map(|w| (w[1] - w[0]).abs())
        .fold(f64::INFINITY, f64::min);
    // Scale by 10^k when numbers get long, as matplotlib's offset/scientific notation does.
    let exp = if biggest >= 1e5 || (biggest > 0.0 && biggest < 1e-3) {
        biggest.log10().floor() as i32
    } else {
        0
    };
    let scale = 10f64.powi(exp);
    let step = if step.is_finite() && step > 0.0 {
        step / scale
    } else {
        1.0
    };
    let decimals = decimals_for(step);
    let labels = values.iter().map(|v| number(v / scale, decimals)).collect();
    let factor = if exp == 0 {
        String::new()
    } else {
        format!("×10{}", superscript(exp))
    };
    AxisTicks {
        values: values.to_vec(),
        labels,
        factor,
    }
}

/// Ticks for `[lo, hi]` with at most `max_intervals` intervals, located and formatted.
pub fn auto(lo: f64, hi: f64, max_intervals: usize) -> AxisTicks {
    format(&locate(lo, hi, max_intervals))
}

/// Decimals needed to tell apart multiples of `step` (2.5 needs one more than 2).
fn decimals_for(step: f64) -> usize {
    for d in 0..10 {
        let scaled = step * 10f64.powi(d as i32);
        if (scaled - scaled.round()).abs() < 1e-6 * scaled.max(1.0) {
            return d;
        }
    }
    10
}

/// A number with `decimals` decimals and a typographic minus sign.
pub fn number(v: f64, decimals: usize) -> String {
    let s = format!("{v:.decimals$}");
    let s = if s
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.')
    {
        s.trim_start_matches('-').to_string()
    } else {
        s
    };
    s.replace('-', "\u{2212}")
}

fn superscript(n: i32) -> String {
    n.to_string()
        .chars()
        .map(|c| match c {
            '-' => '⁻',
            '0' => '⁰',
            '1' => '¹',
            '2' => '²',
            '3' => '³',
            '4' => '⁴',
            '5' => '⁵',
            '6' => '⁶',
            '7' => '⁷',
            '8' => '⁸',
            _ => '⁹',
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(lo: f64, hi: f64, n: usize) -> Vec<String> {
        auto(lo, hi, n).labels
    }

    #[test]
    fn matplotlib_like_ticks() {
        assert_eq!(labels(0.0, 10.0, 9), ["0", "2", "4", "6", "8", "10"]);
        assert_eq!(
            labels(0.0, 1.0, 9),
            ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
        );
        assert_eq!(
            labels(-1.5, 1.5, 9),
            [
                "\u{2212}1.5",
                "\u{2212}1.0",
                "\u{2212}0.5",
                "0.0",
                "0.5",
                "1.0",
                "1.5"
            ]
        );
        assert_eq!(labels(0.0, 6.3, 9), ["0", "1", "2", "3", "4", "5", "6"]);
        assert_eq!(
            labels(0.0, 0.05, 6),
            ["0.00", "0.01", "0.02", "0.03", "0.04", "0.05"]
        );
        assert_eq!(labels(0.0, 100.0, 4), ["0", "25", "50", "75", "100"]);
    }

    #[test]
    fn steps_of_two_and_a_half_get_an_extra_decimal() {
        assert_eq!(
            labels(0.0, 1.0, 4),
            ["0.00", "0.25", "0.50", "0.75", "1.00"]
        );
    }

    #[test]
    fn never_more_intervals_than_asked() {
        for (lo, hi) in [
            (0.0, 1.0),
            (-3.7, 12.2),
            (1e-4, 3e-4),
            (0.0, 55.0),
            (-25.0, 25.0),
            (123.0, 124.0),
        ] {
            for n in 1..=9 {
                let t = locate(lo, hi, n);
                assert!(!t.is_empty() && t.len() <= n + 1, "{lo}..{hi} n={n}: {t:?}");
                let tol = (hi - lo) * 1e-5;
                assert!(
                    t.iter().all(|&v| v >= lo - tol && v <= hi + tol),
                    "{lo}..{hi}: {t:?}"
                );
            }
        }
    }

    #[test]
    fn big_and_small_numbers_use_a_factor() {
        let t = auto(0.0, 3e6, 6);
        assert_eq!(t.factor, "×10⁶");
        assert_eq!(t.labels.first().map(String::as_str), Some("0.0"));
        let t = auto(0.0, 4e-4, 4);
        assert_eq!(t.factor, "×10⁻⁴");
        assert!(auto(0.0, 1000.0, 5).factor.is_empty());
    }

    #[test]
    fn degenerate_ranges_are_safe() {
        assert_eq!(locate(2.0, 2.0, 5), vec![2.0]);
        assert!(locate(f64::NAN, 1.0, 5).is_empty());
        assert_eq!(locate(10.0, 0.0, 9), locate(0.0, 10.0, 9));
        assert_eq!(number(-0.0, 1), "0.0");
        assert_eq!(max_intervals(500.0, 13.9, true), 9);
        assert_eq!(max_intervals(100.0, 13.9, true), 2);
    }
}
