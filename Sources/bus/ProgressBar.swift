#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// A progress report on standard error that suits where it goes.
///
/// On a terminal: one line redrawn in place (`\r`), at most ten times a second. Elsewhere (a
/// pipe, a log file, CI): a plain line at each tenth of the way, so a log gets at most eleven
/// lines however long the work.
final class ProgressBar {
    private let label: String
    private let total: Int
    private let isTerminal: Bool
    private var lastDraw = ContinuousClock.now - .seconds(1)
    private var lastTenth = -1

    init(_ label: String, total: Int, isTerminal: Bool = isatty(STDERR_FILENO) == 1) {
        self.label = label
        self.total = max(total, 0)
        self.isTerminal = isTerminal
    }

    /// Reports that `done` of the total are done.
    func update(_ done: Int) {
        guard total > 0 else { return }
        let done = min(done, total)
        if isTerminal {
            let now = ContinuousClock.now
            guard done == total || now - lastDraw >= .milliseconds(100) else { return }
            lastDraw = now
            let width = 30
            let filled = width * done / total
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            write("\r\(label) [\(bar)] \(done)/\(total)" + (done == total ? "\n" : ""))
        } else {
            let tenth = 10 * done / total
            guard tenth > lastTenth else { return }
            lastTenth = tenth
            write("\(label): \(done)/\(total) (\(tenth * 10)%)\n")
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}
