import BusDemo
import BusSchema
import Foundation

/// `bus demo`: the six workers living a simulated business day between a simulated ERP and a
/// simulated site, on an embedded cluster or an existing one, then a reconciliation of
/// everything they did. The simulator and the reconciliation live in BusDemo.
struct DemoCommand: BusCommand {
    let name = "demo"
    let summary = "run the bus through a simulated business day (embedded or existing cluster), then reconcile"
    let usage = """
    usage:
      bus demo [--orders N] [--seed S] [--run-id ID] [--catalogue FILE]
               [--brokers HOST:PORT[,...]] [--workers processes|inline|none]
    Lets a simulated ERP and a simulated site live a business day through the six workers: sign-ups
    and companies, a catalogue with variants and three VAT rates, stock movements, orders of every
    kind with their payments, changes, cancellations and returns, and a few bad inputs. A progress
    line per flow shows while it runs; at the end, each flow's counts and latencies and a
    reconciliation, the same on any cluster.
      --orders N        orders in the day (default 200)
      --seed S          the seed the day is drawn from (default 20250612): same seed, same day
      --run-id ID       1-8 upper-case letters or digits every key and id of the run carries
                        (default: a random one, printed), so that runs on one cluster stay apart
      --brokers HOST:PORT[,...]
                        an existing cluster (`bus dev`, staging): the catalogue's topics are applied
                        first as `bus topics apply` does; KAFKA_* variables (security.protocol,
                        sasl.*, ssl.*) apply as for the workers. Without it: an embedded cluster of
                        3 brokers in this process, with every catalogue topic
      --workers MODE    processes: the six worker executables next to bus, as child processes with
                        their environment (default with --brokers); inline: each on a thread of
                        this process (default without); none: workers already running on the cluster
      --catalogue FILE  the topic catalogue (default topics/topics.json)
    Exit code 0 when everything reconciles, 1 when something does not (named in the report).
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: Set(["orders", "seed", "catalogue", "run-id", "workers"]).union(ClusterConnection.flags))
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
        if let text = parsed.options["run-id"] {
            guard let run = RunTag(text) else { throw UsageError(message: "--run-id must be 1 to 8 upper-case letters or digits") }
            options.run = run
        }
        let external = parsed.options["brokers"] != nil
        options.workers = external ? .processes : .inline
        if let text = parsed.options["workers"] {
            guard let mode = DemoWorkerMode(rawValue: text) else { throw UsageError(message: "--workers must be processes, inline or none") }
            guard external || mode != .none else { throw UsageError(message: "--workers none needs --brokers: nothing else runs on the demo's own embedded cluster") }
            options.workers = mode
        }
        if let path = parsed.options["catalogue"] { options.catalogue = URL(fileURLWithPath: path) }
        guard FileManager.default.isReadableFile(atPath: options.catalogue.path) else {
            output.error("bus demo: cannot read the topic catalogue at \(options.catalogue.path): run from the repository root or pass --catalogue")
            return .failure
        }
        if external {
            let connection = ClusterConnection(parsed)
            let applied = try attempt(output) { () throws -> ExitCode in
                let catalogue = try TopicCatalogue.load(from: Data(contentsOf: options.catalogue))
                try TopicsCommand().apply(catalogue, connection: connection, output: output)
                return .success
            }
            guard applied == .success else { return applied }
            options.cluster = .external(connection.config)
        }
        do {
            return try Demo.run(options, console: output) ? .success : .failure
        } catch {
            output.error("bus demo: \(error)")
            return .failure
        }
    }
}

extension Output: DemoConsole {}
