//! Frame diffing: the smallest box holding every changed pixel between two frames, found by
//! comparing rows in 32-byte chunks from both ends. GIF and APNG store only that box of each
//! frame after the first.

/// The smallest box `(x0, y0, x1, y1)` (exclusive ends) holding every pixel that differs
/// between two `w`×`h` frames of `bytes_per_pixel` bytes each (palette indices, RGB), or `None`
/// when they are equal. GIF and APNG store only this box of each frame after the first.
pub(crate) fn changed_box<'a>(
    prev: &'a [u8],
    cur: &'a [u8],
    w: usize,
    h: usize,
    bytes_per_pixel: usize,
) -> Option<(usize, usize, usize, usize)> {
    let stride = w * bytes_per_pixel;
    let row = |b: &'a [u8], y: usize| &b[y * stride..(y + 1) * stride];
    let rows_differ = |y: usize| row(prev, y) != row(cur, y);
    let y0 = (0..h).find(|&y| rows_differ(y))?;
    let y1 = (y0..h).rev().find(|&y| rows_differ(y))? + 1;
    let (mut x0, mut x1) = (w, 0);
    for y in y0..y1 {
        let (p, c) = (row(prev, y), row(cur, y));
        let left = x0 * bytes_per_pixel;
        if let Some(first) = first_difference(&p[..left], &c[..left]) {
            x0 = first / bytes_per_pixel;
        }
        let right = x1 * bytes_per_pixel;
        if let Some(last) = last_difference(&p[right..], &c[right..]) {
            x1 = (right + last) / bytes_per_pixel + 1;
        }
    }
    Some((x0, y0, x1.max(x0 + 1), y1))
}

/// Bytes compared at once by [`first_difference`] and [`last_difference`]: a fixed-size array
/// comparison compiles to a few vector instructions, where a per-byte (or per-pixel slice)
/// comparison costs a call each.
const CHUNK: usize = 32;

fn same_chunk(x: &[u8], y: &[u8]) -> bool {
    match (<&[u8; CHUNK]>::try_from(x), <&[u8; CHUNK]>::try_from(y)) {
        (Ok(x), Ok(y)) => x == y,
        _ => x == y,
    }
}

/// The index of the first byte where `a` and `b` (of equal length) differ.
fn first_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let (ca, cb) = (a.chunks_exact(CHUNK), b.chunks_exact(CHUNK));
    let tail = ca.remainder().len();
    let chunk = ca.zip(cb).position(|(x, y)| !same_chunk(x, y));
    let from = chunk.map_or(a.len() - tail, |k| k * CHUNK);
    (from..a.len()).find(|&i| a[i] != b[i])
}

/// The index of the last byte where `a` and `b` (of equal length) differ.
fn last_difference(a: &[u8], b: &[u8]) -> Option<usize> {
    let (ca, cb) = (a.rchunks_exact(CHUNK), b.rchunks_exact(CHUNK));
    let head = ca.remainder().len();
    let chunk = ca.zip(cb).position(|(x, y)| !same_chunk(x, y));
    let to = chunk.map_or(head, |k| a.len() - k * CHUNK);
    (0..to).rev().find(|&i| a[i] != b[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `changed_box` agrees with a pixel-by-pixel scan for widths around the chunk size,
    /// one- and four-byte pixels, and changes at the rows' ends.
    #[test]
    fn changed_box_matches_a_plain_scan() {
        fn plain(p: &[u8], c: &[u8], w: usize, h: usize, bpp: usize) -> Option<[usize; 4]> {
            let differs = |x: usize, y: usize| {
                let i = (y * w + x) * bpp;
                p[i..i + bpp] != c[i..i + bpp]
            };
            let all: Vec<(usize, usize)> = (0..h)
                .flat_map(|y| (0..w).map(move |x| (x, y)))
                .filter(|&(x, y)| differs(x, y))
                .collect();
            let xs = all.iter().map(|a| a.0);
            let ys = all.iter().map(|a| a.1);
            Some([
                xs.clone().min()?,
                ys.clone().min()?,
                xs.max()? + 1,
                ys.max()? + 1,
            ])
        }
        let mut seed = 7u64;
        let mut next = |n: usize| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize % n
        };
        for bpp in [1, 4] {
            for w in [1, 2, 31, 32, 33, 64, 65, 100] {
                let h = 6;
                let prev: Vec<u8> = (0..w * h * bpp).map(|i| (i % 251) as u8).collect();
                for changes in 0..4 {
                    let mut cur = prev.clone();
                    for _ in 0..changes {
                        let x = [0, w - 1, next(w)][next(3)];
                        let i = (next(h) * w + x) * bpp + next(bpp);
                        cur[i] ^= 0x55;
                    }
                    let got = changed_box(&prev, &cur, w, h, bpp).map(|b| [b.0, b.1, b.2, b.3]);
                    assert_eq!(got, plain(&prev, &cur, w, h, bpp), "w {w} bpp {bpp}");
                }
            }
        }
    }
}
