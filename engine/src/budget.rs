//! The work budget: a fuel meter over what the detectors do for one exchange.
//!
//! Why: the filter runs on the proxy's worker thread, and nothing there interrupts a callback
//! that takes long (V8 in Envoy has no watchdog). Every detector is written to cost time linear in
//! its input, and `tests/scaling.rs` checks that with this meter; the budget is the guarantee
//! that does not rest on having found every slow path. An exchange is allowed a number of work
//! units proportional to what it brings (`limits.work_units_per_byte` per byte of inspected text,
//! plus a floor); the detectors charge the meter for the bytes they examine, each regex attempt
//! and each rewrite, and stop when it is empty. The exchange then fails closed: a request is
//! refused with `inspection_budget_exceeded`, a response text is masked whole and ends the
//! answer like a `block` secret (see [`crate::secrets`]).
//!
//! How: the meter is per thread and installed for the length of one engine call ([`Meter::run`]),
//! so the detectors' signatures stay as they are; the engine never yields inside a call, so two
//! exchanges on one thread never share it. Outside [`Meter::run`] nothing is limited and
//! [`measure`] reads what a call cost (the deterministic count the scaling tests compare).
//!
//! Units: one per byte examined by a pass over text; [`REGEX_ATTEMPT`] plus the haystack's length
//! per regex attempt; one per byte written by a rewrite.

use std::cell::Cell;

/// Fixed units charged for starting a regex attempt (on top of the bytes it reads).
pub const REGEX_ATTEMPT: u64 = 32;

#[derive(Clone, Copy)]
struct State {
    /// Units left (meaningless when not `limited`).
    left: u64,
    /// Units charged since the state was installed.
    spent: u64,
    /// The slice clock: units charged plus units only counted (see [`count`]).
    clock: u64,
    limited: bool,
}

const UNLIMITED: State = State {
    left: u64::MAX,
    spent: 0,
    clock: 0,
    limited: false,
};

thread_local! {
    static METER: Cell<State> = const { Cell::new(UNLIMITED) };
    /// The slice clock at the end of the last [`Meter::run`] (see [`last_run_clock`]).
    static LAST_CLOCK: Cell<u64> = const { Cell::new(0) };
}

/// Charges `units` of work to the current exchange's meter.
#[inline]
pub fn charge(units: u64) {
    METER.with(|m| {
        let s = m.get();
        m.set(State {
            left: s.left.saturating_sub(units),
            spent: s.spent.saturating_add(units),
            clock: s.clock.saturating_add(units),
            limited: s.limited,
        });
    });
}

/// Charges `bytes` units (a pass over `bytes` bytes of text).
#[inline]
pub fn charge_bytes(bytes: usize) {
    charge(u64::try_from(bytes).unwrap_or(u64::MAX));
}

/// Charges one regex attempt over a haystack of `hay` bytes.
#[inline]
pub fn charge_regex(hay: usize) {
    charge(REGEX_ATTEMPT.saturating_add(u64::try_from(hay).unwrap_or(u64::MAX)));
}

/// Whether the current meter is empty: detectors stop, and their caller fails closed.
#[inline]
pub fn exhausted() -> bool {
    METER.with(|m| {
        let s = m.get();
        s.limited && s.left == 0
    })
}

/// Counts `bytes` of work on the slice clock without charging the budget: a pass the budget
/// prices elsewhere (normalising and the keyword search are prepaid per byte) or not at all
/// (parsing, the learned detector), so that a large request's steps still end slices (see
/// [`slice_clock`]) while what a request may spend stays as it was.
#[inline]
pub fn count(bytes: usize) {
    count_units(u64::try_from(bytes).unwrap_or(u64::MAX));
}

/// Work units a step of a stepped pass spends before it returns (on the slice clock, see
/// [`slice_clock`]; `secrets::TextsRedaction`, the injection rules): small beside a slice, so a
/// slice ends close to its bound.
pub const STEP_UNITS: u64 = 1 << 16;

/// [`count`] of `units` already weighed (a stage whose units stand for more time than others').
#[inline]
pub fn count_units(units: u64) {
    METER.with(|m| {
        let mut s = m.get();
        s.clock = s.clock.saturating_add(units);
        m.set(s);
    });
}

/// Units charged or counted since the current meter was installed (one [`Meter::run`] call):
/// the clock by which a long request inspection ends its slice (see `Exchange::resume`).
/// Counted work, not time, so where a slice ends is the same on every run.
pub fn slice_clock() -> u64 {
    METER.with(|m| m.get().clock)
}

/// What the slice clock read at the end of the last [`Meter::run`] on this thread: the units a
/// slice went through, charged or counted (a measurement aid: `examples/dos_timing`).
pub fn last_run_clock() -> u64 {
    LAST_CLOCK.with(Cell::get)
}

/// Runs `f` with an unlimited meter and returns what it charged: the deterministic cost of a
/// call (the scaling tests compare it across input sizes).
pub fn measure<R>(f: impl FnOnce() -> R) -> (R, u64) {
    let outer = METER.with(|m| m.replace(UNLIMITED));
    let r = f();
    let spent = METER.with(|m| m.replace(outer)).spent;
    (r, spent)
}

/// One exchange's meter: units left, carried between its engine calls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Meter {
    left: u64,
    /// Whether the meter ran empty (it stays so: the exchange already failed closed).
    exhausted: bool,
}

impl Meter {
    /// A meter holding `units`.
    pub fn new(units: u64) -> Self {
        Self {
            left: units,
            exhausted: false,
        }
    }

    /// Adds `units` (a stream earns work as its bytes arrive).
    pub fn grant(&mut self, units: u64) {
        if !self.exhausted {
            self.left = self.left.saturating_add(units);
        }
    }

    /// Units left.
    pub fn left(&self) -> u64 {
        self.left
    }

    /// Whether a call under this meter ran out.
    pub fn exhausted(&self) -> bool {
        self.exhausted
    }

    /// Runs `f` with this meter installed; what `f` charges is taken from it.
    pub fn run<R>(&mut self, f: impl FnOnce() -> R) -> R {
        let installed = State {
            left: if self.exhausted { 0 } else { self.left },
            spent: 0,
            clock: 0,
            limited: true,
        };
        let outer = METER.with(|m| m.replace(installed));
        let r = f();
        let after = METER.with(|m| m.replace(outer));
        LAST_CLOCK.with(|c| c.set(after.clock));
        // What was spent here is spent by the caller too (a `measure` around an exchange).
        charge(after.spent);
        self.left = after.left;
        self.exhausted |= after.left == 0;
        r
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meters_nest_and_run_out() {
        let (_, spent) = measure(|| {
            charge(5);
            charge_bytes(7);
        });
        assert_eq!(spent, 12);
        let mut m = Meter::new(10);
        m.run(|| {
            charge(4);
            assert!(!exhausted());
            // A measurement inside does not spend the installed meter.
            let (_, inner) = measure(|| charge(100));
            assert_eq!(inner, 100);
            assert!(!exhausted());
        });
        assert_eq!(m.left(), 6);
        // A measurement around a meter sees what it spent.
        let ((), outer) = measure(|| Meter::new(100).run(|| charge(30)));
        assert_eq!(outer, 30);
        m.run(|| {
            charge(6);
            assert!(exhausted());
        });
        assert!(m.exhausted());
        m.grant(100);
        m.run(|| assert!(exhausted()));
        // Outside any meter nothing is limited.
        charge(u64::MAX);
        assert!(!exhausted());
    }
}
