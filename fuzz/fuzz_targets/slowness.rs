#![no_main]
// The policies compile before the per-input timer starts: with coverage and AddressSanitizer
// the default config's keyword automaton alone takes longer than the 2 s a unit is allowed.
libfuzzer_sys::fuzz_target!(
    init: {
        llm_warden_fuzz::targets::policies();
    },
    |data: &[u8]| llm_warden_fuzz::targets::slowness(data)
);
