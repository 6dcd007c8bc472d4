//! Memory budgets: before allocating something whose size the user chose (a frame count that
//! sets how much a scene precomputes, a canvas size), check that the machine can hold it, so a
//! typo such as `--frames 10000000000` is an error naming the value instead of an allocation
//! abort or a machine swapping to a halt. The budget is Linux's `MemAvailable` (what can be
//! allocated without swapping); where it cannot be read, only arithmetic overflow is refused.

use crate::{Error, Result};

/// Bytes the machine can allocate now without swapping, if the system says.
pub fn available_bytes() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// Refuses `what` if it would need `count` × `each` bytes and that overflows or exceeds the
/// memory available.
pub fn check_fits(what: impl FnOnce() -> String, count: u64, each: u64) -> Result<()> {
    let available = available_bytes();
    let needed = count.checked_mul(each);
    match (needed, available) {
        (Some(n), Some(a)) if n > a => Err(Error::OutOfMemory {
            what: what(),
            needed: n,
            available: a,
        }),
        (None, a) => Err(Error::OutOfMemory {
            what: what(),
            needed: u64::MAX,
            available: a.unwrap_or(0),
        }),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_what_cannot_fit_and_overflow() {
        let err = check_fits(|| "a test".into(), u64::MAX / 2, 4).unwrap_err();
        assert!(err.to_string().starts_with("a test would need"), "{err}");
        if let Some(a) = available_bytes() {
            assert!(a > 0);
            assert!(check_fits(|| "a big test".into(), a, 2).is_err());
            assert!(check_fits(|| "a small test".into(), 1, 1024).is_ok());
        }
    }
}
