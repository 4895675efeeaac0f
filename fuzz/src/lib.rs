//! The engine's fuzz targets as a library for the libFuzzer binaries in `fuzz_targets/`.
pub mod targets;
