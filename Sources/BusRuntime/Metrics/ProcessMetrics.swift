import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The standard `process_*` metrics of Prometheus client libraries, read from `/proc/self` at
/// each scrape: resident memory, CPU time, open and maximum file descriptors, start time.
///
/// On a system without `/proc` the series stay at their last value (0): nothing fails.
enum ProcessMetrics {
    /// Registers the metrics and refreshes them before every render of `registry`.
    static func register(in registry: MetricsRegistry) throws(RuntimeError) {
        let resident = try registry.gauge("process_resident_memory_bytes", help: "Resident memory size in bytes.")
        let virtual = try registry.gauge("process_virtual_memory_bytes", help: "Virtual memory size in bytes.")
        let cpu = try registry.counter("process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.")
        let openFDs = try registry.gauge("process_open_fds", help: "Number of open file descriptors.")
        let maxFDs = try registry.gauge("process_max_fds", help: "Maximum number of open file descriptors.")
        let start = try registry.gauge("process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.")
        let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
        let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
        let bootTime = Self.bootTime()
        registry.collect {
            if let stat = ProcStat.read() {
                resident.set(Double(stat.residentPages) * pageSize)
                virtual.set(Double(stat.virtualBytes))
                cpu.advance(to: Double(stat.userTicks + stat.systemTicks) / ticks)
                if let bootTime { start.set(bootTime + Double(stat.startTicks) / ticks) }
            }
            if let count = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count {
                openFDs.set(Double(count))
            }
            var limit = rlimit()
            #if canImport(Glibc)
            let resource = __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
            #else
            let resource = RLIMIT_NOFILE
            #endif
            if getrlimit(resource, &limit) == 0 { maxFDs.set(Double(limit.rlim_cur)) }
        }
    }

    /// The kernel's boot time (`btime` of /proc/stat), seconds since the epoch.
    private static func bootTime() -> Double? {
        guard let text = try? String(contentsOfFile: "/proc/stat", encoding: .utf8) else { return nil }
        for line in text.split(separator: "\n") where line.hasPrefix("btime ") {
            return Double(line.dropFirst("btime ".count).trimmingCharacters(in: .whitespaces))
        }
        return nil
    }
}

/// The fields of `/proc/self/stat` the process metrics need (proc(5)).
struct ProcStat: Equatable {
    var userTicks: UInt64
    var systemTicks: UInt64
    var startTicks: UInt64
    var virtualBytes: UInt64
    var residentPages: UInt64

    static func read() -> ProcStat? {
        guard let text = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8) else { return nil }
        return parse(text)
    }

    /// Fields after the command name, which is in parentheses and may itself hold spaces and
    /// parentheses: the last `)` ends it.
    static func parse(_ text: String) -> ProcStat? {
        guard let close = text.lastIndex(of: ")") else { return nil }
        let fields = text[text.index(after: close)...].split(separator: " ")
        // fields[0] is field 3 (state): field n is fields[n - 3].
        func field(_ number: Int) -> UInt64? {
            let index = number - 3
            return fields.indices.contains(index) ? UInt64(fields[index]) : nil
        }
        guard let user = field(14), let system = field(15), let start = field(22),
              let virtual = field(23), let resident = field(24) else { return nil }
        return ProcStat(userTicks: user, systemTicks: system, startTicks: start, virtualBytes: virtual, residentPages: resident)
    }
}
