'use strict';
/** The napi-rs platform suffix (`linux-x64-gnu`, `darwin-arm64`, `win32-x64-msvc`, …): the
 * name of the native file and of the per-platform package (`cqes-<suffix>`). */
function platformSuffix() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    // glibc reports its version in the process report; musl does not.
    const header = process.report.getReport().header;
    return `linux-${arch}-${header.glibcVersionRuntime ? 'gnu' : 'musl'}`;
  }
  if (platform === 'win32') return `win32-${arch}-msvc`;
  return `${platform}-${arch}`;
}
module.exports = { platformSuffix };
