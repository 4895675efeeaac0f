//! The engine's fuzz targets as a library for the libFuzzer binaries in `fuzz_targets/`.
//! The target functions live in the workspace's dev-only `testkit` crate, where the seeded run
//! (`engine/tests/fuzz_seeded.rs`) uses them too.
pub use llm_warden_testkit::fuzz_targets as targets;
