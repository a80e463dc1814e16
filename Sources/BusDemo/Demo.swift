import Foundation

/// The demo's entry point for the CLI: one simulated business day against the six workers,
/// then the reconciliation and its report.
public enum Demo {
    /// Runs the day as `options` say and prints the report on `console`; true when every
    /// reconciliation check holds. Throws when the run could not start (no cluster, no
    /// worker executables): that is not a reconciliation finding.
    public static func run(_ options: DemoOptions, console: any DemoConsole) throws -> Bool {
        let run = DemoRun(options: options, console: console)
        let outcome = try run.run { cluster, directory in
            try WorkerFleet.start(options.workers, on: cluster, options: options, logDirectory: directory)
        }
        let checks = try Reconciliation(outcome: outcome).checks()
        let report = DemoReport(outcome: outcome, checks: checks, latencies: EndToEndLatency.measure(outcome.journal, flows: DemoRules.flows))
        report.print(to: console)
        return report.reconciled
    }
}
