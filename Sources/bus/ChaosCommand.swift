import BusDemo
import Foundation

/// `bus chaos`: the demo's day against the six workers as separate processes while they are
/// killed, a broker is down and replicas come and go; then the reconciliation.
struct ChaosCommand: BusCommand {
    let name = "chaos"
    let summary = "the demo's day against worker processes under kills, a broker outage and rebalances, then reconcile"
    let usage = """
    usage: bus chaos [--minutes N] [--orders N] [--kills N] [--seed S] [--run-id ID] [--leaders spread|aligned] [--catalogue FILE]
    First a clean run of the day (inline workers, its own embedded cluster, no faults), then the same
    day on an embedded cluster of 3 brokers against the six worker executables (next to bus) as
    child processes. During the load: N SIGKILLs, each restarted: every worker once while a broker
    is down, after it read inputs whose outputs wait for that broker (with leaders spread), the rest
    at random points after the outage; one broker down for 10 s (every group's coordinator on a
    broker that stays up); a second replica of two workers started and stopped.
    At the end: the demo's reconciliation (every input has its outputs), no output duplicated once
    deduplicated by ce_id, every group committed to the end of its inputs, and the last value of
    every key of every compacted topic equal to the clean run's. Prints kills, outage, inputs, lost,
    duplicates after dedup and the worst recovery time (SIGKILL to /readyz 200).
      --minutes N   the wall time the day's load is spread over (default 3)
      --orders N    orders in the day (default 200)
      --kills N     SIGKILLs (default 10, at least 6)
      --seed S      the day's and the schedule's seed (default 20250612)
      --run-id ID   as for bus demo
      --leaders L   spread (default): partition leaders spread per topic, as on a real cluster, so that
                    during the outage outputs wait while their inputs are read; aligned: the mock's
                    own layout, partition p of every topic on one broker (inputs and outputs stall together)
    Worker processes inherit the environment (BUS_FAULT_INJECTION=store-offsets-before-ack makes them
    store offsets before their outputs are acknowledged: the run must then report lost outputs).
    Exit code 0 when everything reconciles, 1 when something does not.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        let parsed = try ParsedArguments(arguments, known: ["minutes", "orders", "kills", "seed", "run-id", "leaders", "catalogue"])
        _ = try parsed.positionals([], required: 0)
        var options = ChaosOptions()
        options.minutes = try parsed.positiveInteger("minutes") ?? options.minutes
        options.kills = max(6, try parsed.positiveInteger("kills") ?? options.kills)
        if let orders = try parsed.positiveInteger("orders") {
            guard orders <= 20_000 else { throw UsageError(message: "--orders must be a whole number from 1 to 20000") }
            options.demo.orders = orders
        }
        if let text = parsed.options["seed"] {
            guard let seed = UInt64(text) else { throw UsageError(message: "--seed must be a non-negative whole number") }
            options.demo.seed = seed
        }
        if let text = parsed.options["run-id"] {
            guard let run = RunTag(text) else { throw UsageError(message: "--run-id must be 1 to 8 upper-case letters or digits") }
            options.demo.run = run
        }
        if let text = parsed.options["leaders"] {
            guard ["spread", "aligned"].contains(text) else { throw UsageError(message: "--leaders must be spread or aligned") }
            options.spreadLeaders = text == "spread"
        }
        if let path = parsed.options["catalogue"] { options.demo.catalogue = URL(fileURLWithPath: path) }
        guard FileManager.default.isReadableFile(atPath: options.demo.catalogue.path) else {
            output.error("bus chaos: cannot read the topic catalogue at \(options.demo.catalogue.path): run from the repository root or pass --catalogue")
            return .failure
        }
        do {
            return try Chaos.run(options, console: output) ? .success : .failure
        } catch {
            output.error("bus chaos: \(error)")
            return .failure
        }
    }
}
