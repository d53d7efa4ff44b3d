//! uniffi-bindgen, from the workspace's pinned uniffi.

fn main() {
    uniffi::uniffi_bindgen_main()
}
