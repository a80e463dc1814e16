import Foundation

/// The report a person reads in ten seconds: each flow's counts and latencies, then one
/// line per reconciliation check, then the verdict.
struct DemoReport {
    let outcome: DemoOutcome
    let checks: [Check]
    let latencies: [String: LatencyStats]

    /// Whether everything reconciled.
    var reconciled: Bool { checks.allSatisfy(\.passed) }

    func print(to output: any DemoConsole) {
        let seconds = Double(outcome.elapsed.components.seconds) + Double(outcome.elapsed.components.attoseconds) / 1e18
        output.line("")
        output.line("bus demo report: run \(outcome.day.run), seed \(outcome.day.seed), workers \(outcome.mode.rawValue), \(outcome.day.orders.count) orders, \(String(format: "%.1f", seconds)) s")
        output.line("")
        output.line("flow                   in     out  dead letters  exceptions   latency (input → first output)")
        for worker in outcome.counts {
            let c = worker.counts
            let latency = latencies[worker.name]?.summary ?? "no samples"
            output.line(worker.name.padding(toLength: 18, withPad: " ", startingAt: 0)
                        + String(format: "%7d %7d %13d %11d   ", c.consumed, c.produced, c.deadLetters, c.exceptions) + latency)
        }
        output.line("(in: inputs its group committed during the run; out: records to the flows' output topics; dead letters and exceptions counted apart)")
        output.line("")
        output.line("reconciliation")
        for check in checks {
            output.line("  \(check.passed ? "ok  " : "FAIL") \(check.name.padding(toLength: 13, withPad: " ", startingAt: 0)) \(check.summary)")
            for detail in check.details { output.line("         - \(detail)") }
            for failure in check.failures.prefix(12) { output.line("         ✗ \(failure)") }
            if check.failures.count > 12 { output.line("         ✗ … and \(check.failures.count - 12) more") }
        }
        output.line("")
        let failed = checks.filter { !$0.passed }.map(\.name)
        output.line(failed.isEmpty ? "RECONCILED: every check holds." : "NOT RECONCILED: \(failed.joined(separator: ", ")).")
        // Workers the demo did not start may run other rules than those it reconciles against.
        if !failed.isEmpty, outcome.mode == .none {
            output.line("--workers none: the workers must run the demo's rules (deploy/demo-rules/; compose: add -f deploy/compose.demo.yaml)")
        }
    }
}
