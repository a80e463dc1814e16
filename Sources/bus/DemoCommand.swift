import Foundation

/// `bus demo`: the six workers on an embedded cluster, living a business day between a
/// simulated ERP and a simulated site, then a reconciliation of everything they did.
struct DemoCommand: BusCommand {
    let name = "demo"
    let summary = "run the bus on an embedded cluster through a simulated business day, then reconcile"
    let usage = """
    usage:
      bus demo [--orders N] [--seed S] [--catalogue FILE]
    Starts an embedded Kafka cluster (3 brokers, every topic of the catalogue) and the six
    workers, each with its own clients and consumer group, then lets a simulated ERP and a
    simulated site live a business day through them: sign-ups and companies, a catalogue with
    variants and three VAT rates, stock movements, orders of every kind with their payments,
    changes, cancellations and returns, and a few bad inputs. A progress line per flow shows
    while it runs; at the end, each flow's counts and latencies and a reconciliation.
      --orders N        orders in the day (default 200)
      --seed S          the seed the day is drawn from (default 20250612): same seed, same day
      --catalogue FILE  the topic catalogue (default topics/topics.json)
    Exit code 0 when everything reconciles, 1 when something does not (named in the report).
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["orders", "seed", "catalogue"])
        guard parsed.positionals.isEmpty else { throw UsageError(message: "unexpected argument '\(parsed.positionals[0])'") }
        var options = DemoOptions()
        if let text = parsed.options["orders"] {
            guard let orders = Int(text), (1...20_000).contains(orders) else { throw UsageError(message: "--orders must be a whole number from 1 to 20000") }
            options.orders = orders
        }
        if let text = parsed.options["seed"] {
            guard let seed = UInt64(text) else { throw UsageError(message: "--seed must be a non-negative whole number") }
            options.seed = seed
        }
        if let path = parsed.options["catalogue"] { options.catalogue = URL(fileURLWithPath: path) }
        guard FileManager.default.isReadableFile(atPath: options.catalogue.path) else {
            output.error("bus demo: cannot read the topic catalogue at \(options.catalogue.path): run from the repository root or pass --catalogue")
            return .failure
        }
        do {
            let outcome = try DemoRun(options: options, output: output).run()
            let checks = try Reconciliation(outcome: outcome).checks()
            let report = DemoReport(outcome: outcome, checks: checks, latencies: EndToEndLatency.measure(outcome.journal, flows: DemoRules.flows))
            report.print(to: output)
            return report.reconciled ? .success : .failure
        } catch {
            output.error("bus demo: \(error)")
            return .failure
        }
    }
}
