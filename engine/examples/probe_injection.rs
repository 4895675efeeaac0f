#![allow(clippy::unwrap_used)]
use llm_warden_engine::injection::{normalize, InjectionConfig, InjectionDetector};
use llm_warden_engine::text::{ScanText, TextKind};
fn main() {
    let d = InjectionDetector::compile(&InjectionConfig::default(), "p").unwrap();
    for t in std::env::args().skip(1) {
        println!("{:?}", normalize::normalize(&t).text);
        println!("{:?}", d.scan(&[ScanText::new(t, TextKind::User, "x")]));
    }
}
