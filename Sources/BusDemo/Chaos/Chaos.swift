import BusKafka
import BusRuntime
import BusSchema
import Foundation

/// What `bus chaos` is asked to do.
public struct ChaosOptions: Sendable {
    /// The demo's options: seed, orders, catalogue, run id, extra worker environment.
    public var demo = DemoOptions()
    /// The wall time the day's load is spread over.
    public var minutes = 3
    /// SIGKILLs in the run (at least one per worker).
    public var kills = 10
    /// Whether partition leaders are spread per topic (as on a real cluster) rather than the
    /// mock's partition p of every topic on one broker.
    public var spreadLeaders = true

    public init() {}
}

/// The chaos run: a clean run of the day first (inline workers, its own embedded cluster),
/// then the same day against the six workers as child processes on an embedded cluster of
/// three brokers, with SIGKILLs, a broker outage and a second replica of two workers during
/// the load; then the demo's reconciliation and the chaos checks.
public enum Chaos {
    /// Runs both and prints the report on `console`; true when every check holds.
    public static func run(_ options: ChaosOptions, console: any DemoConsole) throws -> Bool {
        var cleanOptions = options.demo
        cleanOptions.cluster = .embedded(brokers: 3)
        cleanOptions.workers = .inline
        cleanOptions.dayLength = nil
        cleanOptions.run = RunTag.random()
        cleanOptions.workerEnvironment = [:]
        console.line("bus chaos: 1/2 the clean run (same seed, inline workers, no faults)")
        let cleanRun = DemoRun(options: cleanOptions, console: console)
        let clean = try cleanRun.run { cluster, directory in try WorkerFleet.start(.inline, on: cluster, options: cleanOptions, logDirectory: directory) }
        // The clean run is the reference for the compacted topics: what it fails to reconcile
        // is reported (and fails the verdict), and the chaos run goes on.
        let cleanFailures = try Reconciliation(outcome: clean).checks().filter { !$0.passed }
        // A failed clean run leaves its journal for whoever traces it (its findings are
        // intermittent: the run that shows one is the one to read).
        if !cleanFailures.isEmpty { dumpJournal(clean.journal, to: cleanRun.workDirectory, console: console) }
        let cleanCheck = Check(name: "clean run", summary: "the same seed without faults (run \(clean.day.run), inline workers) reconciles",
                               failures: cleanFailures.flatMap { check in check.failures.prefix(4).map { "\(check.name): \($0)" } })

        var chaosOptions = options.demo
        chaosOptions.cluster = .embedded(brokers: 3)
        chaosOptions.workers = .processes
        chaosOptions.dayLength = .seconds(60 * options.minutes)
        let day = Duration.seconds(60 * options.minutes)
        let plan = ChaosPlan(workers: DemoRules.flows.map(\.name), kills: options.kills, day: day, brokers: 3, seed: chaosOptions.seed)
        console.line("bus chaos: 2/2 the chaos run (run \(chaosOptions.run), \(options.minutes) min of load, \(plan.kills) kills, a broker down for 10 s, a second replica of two workers, "
                     + "leaders \(options.spreadLeaders ? "spread per topic" : "aligned (partition p of every topic on one broker)"))")
        // The worker processes inherit the environment: an injected fault is said up front.
        if let fault = ProcessInfo.processInfo.environment[WorkerConfig.faultInjectionVariable] {
            console.line("  fault injected into the workers (inherited): \(WorkerConfig.faultInjectionVariable)=\(fault)")
        }
        if !chaosOptions.workerEnvironment.isEmpty {
            console.line("  worker environment: \(chaosOptions.workerEnvironment.keys.sorted().map { "\($0)=\(chaosOptions.workerEnvironment[$0] ?? "")" }.joined(separator: " "))")
        }
        let catalogue = try TopicCatalogue.load(from: Data(contentsOf: chaosOptions.catalogue))
        let run = DemoRun(options: chaosOptions, console: console)
        var driver: ChaosDriver?
        run.workersAreRestarted = true
        run.beforeStop = { [unowned run] in
            // Workers killed late may still be joining their groups: their recovery counts too.
            let deadline = ContinuousClock.now + .seconds(90)
            while let driver, !(driver.unrecovered.isEmpty && driver.isDone), ContinuousClock.now < deadline {
                driver.turn(elapsed: .now - (run.dayStarted ?? .now))
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
        run.onRecord = { record in driver?.observe(record) }
        run.onTurn = { [unowned run] in
            guard let driver, let started = run.dayStarted else { return }
            driver.turn(elapsed: .now - started)
        }
        let outcome: DemoOutcome
        do {
            outcome = try run.run { cluster, directory in
                guard let embedded = cluster.embedded else { throw DemoError("the chaos run needs its own embedded cluster") }
                // On a real cluster a broker's groups move to another coordinator when it goes
                // down; the mock keeps each group on the broker its id hashes to, and a group
                // there could neither commit nor rejoin during the outage, so no kill there
                // would meet a commit made too early. Every group is coordinated by a broker
                // that stays up.
                let upBrokers = (Int32(1)...3).filter { $0 != plan.downBroker }
                for (index, flow) in DemoRules.flows.enumerated() {
                    embedded.setGroupCoordinator(flow.name, broker: upBrokers[index % upBrokers.count])
                }
                let layout = options.spreadLeaders ? LeaderLayout.spread(catalogue, brokers: 3) : nil
                for (topic, leaders) in layout?.leaders ?? [:] {
                    for (partition, broker) in leaders.enumerated() { embedded.setPartitionLeader(topic: topic, partition: Int32(partition), broker: broker) }
                }
                let launcher = try ProcessLauncher(cluster: cluster, options: chaosOptions, logDirectory: directory)
                let workers = try DemoRules.flows.map { try launcher.start($0.name) }
                let window = layout.map { OutputWindow(catalogue: catalogue, flows: DemoRules.flows, layout: $0, downBroker: plan.downBroker) }
                driver = ChaosDriver(plan: plan, launcher: launcher, cluster: embedded, workers: workers, window: window)
                return workers
            }
        } catch {
            driver?.stopReplicas()
            throw error
        }
        guard let driver else { throw DemoError("the chaos run started no workers") }
        driver.finishRemovals()
        driver.stopReplicas()

        // Every compacted topic the bus shares (tables for the site, the ERP and the workers);
        // the workers' own changelogs (`bus.<worker>.state`) are left out of the comparison:
        // they keep bookkeeping in arrival order (steps handled, the last event's time), which
        // kills and an outage legitimately change between two runs of the same day.
        let compacted = catalogue.topics.filter { $0.cleanup == .compact }.map(\.name)
        let shared = compacted.filter { !($0.hasPrefix("bus.") && $0.hasSuffix(".state")) }
        let checks = try Reconciliation(outcome: outcome).checks()
        let chaos = ChaosChecks(outcome: outcome, clean: clean, differencesDirectory: run.workDirectory)
        let duplicates = chaos.duplicates(compacted: Set(compacted))
        var faults: [String] = driver.problems
        if !driver.isDone { faults.append("the plan was not carried out to its end (the day ended first)") }
        faults += driver.unrecovered.map { "\($0) killed and not ready again by the end" }
        for worker in DemoRules.flows.map(\.name) where driver.kills[worker, default: 0] == 0 { faults.append("\(worker) was never killed") }
        let killed = driver.kills.values.reduce(0, +)
        if killed < min(10, options.kills) { faults.append("only \(killed) kills, \(min(10, options.kills)) planned at least") }
        let windows = "\(driver.windowsMet) of \(driver.windowsMet + driver.windowsMissed.count) outage kills after inputs whose outputs wait"
            + (driver.windowsMissed.isEmpty ? "" : " (not: \(driver.windowsMissed.joined(separator: ", ")))")
        let faultCheck = Check(name: "faults", summary: "\(driver.kills.values.reduce(0, +)) kills (each worker at least once, each restarted), broker outage \(seconds(driver.outage)), "
                               + "\(windows), \(driver.replicasAdded) second replicas added and \(driver.replicasRemoved) removed", failures: faults)
        let allChecks = checks + [faultCheck, duplicates.check, chaos.offsets(), cleanCheck, chaos.compactedTopics(shared)]

        console.line("")
        console.line("chaos schedule (time into the day)")
        for line in driver.log { console.line("  \(line)") }
        for crash in driver.crashes { console.line("  crash: \(crash)") }
        let report = DemoReport(outcome: outcome, checks: allChecks, latencies: EndToEndLatency.measure(outcome.journal, flows: DemoRules.flows))
        report.print(to: console)
        if !report.reconciled { dumpJournal(outcome.journal, to: run.workDirectory, console: console) }
        let flowChecks: Set = ["orders", "lifecycles", "notifications", "invoices", "availability", "catalogue", "customers", "bad inputs"]
        let lost = checks.filter { flowChecks.contains($0.name) }.reduce(0) { $0 + $1.failures.count }
        console.line("")
        console.line("chaos figures: kills \(driver.kills.values.reduce(0, +)) (\(driver.kills.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))); "
                     + "outage \(seconds(driver.outage)); kills while outputs wait \(driver.windowsMet); crashes restarted \(driver.crashes.count); inputs \(run.published); lost \(lost); duplicates after dedup \(duplicates.duplicated) "
                     + "(\(duplicates.redelivered) redelivered outputs deduplicated by ce_id); worst recovery \(driver.worstRecovery.map(seconds) ?? "none") (SIGKILL to /readyz 200)")
        return report.reconciled
    }

    /// Writes every record the run read to `journal.txt` in its work directory (`JournalDump`:
    /// the day's made-up personal data stays in that file, never in the report).
    private static func dumpJournal(_ journal: BusJournal, to directory: URL, console: any DemoConsole) {
        let path = directory.appendingPathComponent("journal.txt").path
        do {
            try JournalDump.write(journal, to: path)
            console.line("  journal of the run that did not reconcile: \(path)")
        } catch {
            console.line("  journal not written to \(path): \(type(of: error))")
        }
    }

    private static func seconds(_ duration: Duration) -> String {
        String(format: "%.1f s", Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18)
    }
}
