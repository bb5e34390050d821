#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harbour_domain::fuzz::text_inputs(data));
