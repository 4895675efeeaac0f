pub mod oracle;
pub mod rng;
pub mod streams;
