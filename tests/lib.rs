//! The conformance suite's Rust runner lives in `run_vectors.rs`; `vectors/` holds the cases
//! every host runs (format: `README.md`).
