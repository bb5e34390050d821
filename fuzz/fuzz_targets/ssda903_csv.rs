#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harbour_domain::fuzz::ssda903_csv(data));
