#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| llm_warden_fuzz::targets::slowness(data));
