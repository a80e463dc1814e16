import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Where finished log lines go. Receives one complete JSON object, without the line feed.
public struct LogSink: Sendable {
    private let write: @Sendable (String) -> Void

    /// A sink that hands each line to `write` (e.g. a test collecting lines).
    public init(_ write: @escaping @Sendable (String) -> Void) {
        self.write = write
    }

    /// Standard error, one line per write, serialised so lines from several threads never interleave.
    public static let standardError = LogSink { line in
        let bytes = Array((line + "\n").utf8)
        standardErrorLock.withLock { _ in
            var written = 0
            while written < bytes.count {
                let result = bytes[written...].withUnsafeBytes { Glibc.write(STDERR_FILENO, $0.baseAddress, $0.count) }
                if result > 0 {
                    written += result
                } else if result < 0, errno == EINTR {
                    continue
                } else {
                    return  // stderr closed or full: losing a log line must not stop the worker
                }
            }
        }
    }

    private static let standardErrorLock = Mutex(())

    /// Passes one line on.
    func emit(_ line: String) { write(line) }
}
