//! The API stream builders and readers, from the test-support crate (kept here for the tests that
//! say `mod common`).
// Not every test that says `mod common` uses it.
#![allow(unused_imports)]

pub use llm_warden_testkit::streams::*;
