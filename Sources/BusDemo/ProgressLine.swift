import Foundation

/// One status line per flow while the demo runs, at most every `interval`: redrawn in place
/// on a terminal, printed only when something changed otherwise, so a log stays short.
struct ProgressLine {
    let interval: Duration
    let isTerminal = isatty(STDOUT_FILENO) == 1
    private var last: [String] = []
    private var lastDrawn = ContinuousClock.now - .seconds(3600)
    private var drawnLines = 0

    init(interval: Duration = .milliseconds(500)) {
        self.interval = interval
    }

    /// Draws `status` (where the day is) and `workers`' counts if the interval has passed, or
    /// at once with `force`; a log only gets a block when something changed.
    mutating func draw(_ workers: [(name: String, counts: WorkerCounts)], elapsed: Duration, status: String = "", force: Bool = false) {
        let now = ContinuousClock.now
        guard force || now - lastDrawn >= interval else { return }
        lastDrawn = now
        let counts = workers.map { worker -> String in
            let c = worker.counts
            return "  " + worker.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                + String(format: "in %6d  out %6d  lag %5d  dead letters %3d  exceptions %3d", c.consumed, c.produced, c.lag, c.deadLetters, c.exceptions)
        }
        let lines = [status] + counts
        if isTerminal {
            // Move up over the previous block and redraw it.
            var text = drawnLines > 0 ? "\u{1B}[\(drawnLines)A" : ""
            text += lines.map { "\u{1B}[2K" + $0 }.joined(separator: "\n") + "\n"
            FileHandle.standardOutput.write(Data(text.utf8))
            drawnLines = lines.count
        } else if counts != last {
            let seconds = Int(elapsed.components.seconds)
            FileHandle.standardOutput.write(Data(("[\(seconds) s] \(status)\n" + counts.joined(separator: "\n") + "\n").utf8))
        }
        last = counts
    }
}
