import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the kernel says of another process now: CPU time used and resident memory, from
/// `/proc/<pid>/stat` (fields 14 and 15, in clock ticks) and `/proc/<pid>/status` (`VmRSS`,
/// `VmHWM`, in kB). Nil once the process is gone or on a system without `/proc`.
struct ProcessSample: Sendable {
    /// User plus system CPU seconds since the process started.
    let cpuSeconds: Double
    /// Resident memory now, in bytes.
    let residentBytes: Int
    /// The most resident memory the process ever had (high-water mark), in bytes.
    let peakResidentBytes: Int

    static func read(pid: Int32) -> ProcessSample? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
        // The command name (field 2) is in parentheses and may hold spaces: count from after it.
        guard let close = stat.lastIndex(of: ")") else { return nil }
        let fields = stat[stat.index(after: close)...].split(separator: " ")
        // After ")": field 3 (state) is index 0, so field n is index n - 3.
        guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return nil }
        func kilobytes(_ name: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(name + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }
        }
        guard let rss = kilobytes("VmRSS"), let hwm = kilobytes("VmHWM") else { return nil }
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        return ProcessSample(cpuSeconds: (user + system) / ticks, residentBytes: rss * 1024, peakResidentBytes: hwm * 1024)
    }
}
