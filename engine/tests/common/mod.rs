pub mod rng;
pub mod streams;
