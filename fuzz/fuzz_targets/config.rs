#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| harbour_app::config::fuzz_entry(data));
