//! Conformance vector runner library (see run_vectors.rs).
