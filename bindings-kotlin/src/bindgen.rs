//! uniffi-bindgen, from the workspace's pinned uniffi (generates the Kotlin at build time).

fn main() {
    uniffi::uniffi_bindgen_main()
}
