import BusKafka
import Foundation

/// Carries out a chaos plan during the day, one due action per turn of the demo's loop, and
/// keeps what happened: kills, outage, replicas, and each kill's recovery time (from the
/// SIGKILL until the restarted worker answers `/readyz` again).
final class ChaosDriver {
    private let plan: ChaosPlan
    private var next = 0
    private let launcher: ProcessLauncher
    private let cluster: EmbeddedCluster
    private(set) var workers: [String: WorkerProcess] = [:]
    private var replicas: [String: WorkerProcess] = [:]
    private var killedAt: [String: ContinuousClock.Instant] = [:]
    private var recovering: [String: ContinuousClock.Instant] = [:]
    /// What happened, one line each, with its time in the day.
    private(set) var log: [String] = []
    private(set) var kills: [String: Int] = [:]
    private(set) var recoveries: [Duration] = []
    private(set) var outage: Duration = .zero
    private var outageStarted: ContinuousClock.Instant?
    private(set) var replicasAdded = 0
    private(set) var replicasRemoved = 0
    /// Workers that exited on their own (a fatal error: by design the process ends and the
    /// orchestrator restarts it), restarted here as an orchestrator would, with why.
    private(set) var crashes: [String] = []
    /// Problems carrying out the plan (a restart that failed, a replica that did not stop cleanly).
    private(set) var problems: [String] = []
    /// Which inputs leave their outputs waiting during the outage; nil when the leaders are
    /// the mock's own (aligned), then a window kill falls at its latest time.
    private let window: OutputWindow?
    /// Kills due during the outage, each waiting for its worker to have read an input whose
    /// outputs wait.
    private var windowKills: [WindowKill] = []
    /// Restarts of window kills, due at their instant.
    private var restarts: [(due: ContinuousClock.Instant, worker: String)] = []
    /// Window kills that fell after inputs whose outputs waited, and those that saw none.
    private(set) var windowsMet = 0
    private(set) var windowsMissed: [String] = []

    /// How long after the first input whose outputs wait the worker is killed: past the
    /// runtime's commit interval (1 s), so that offsets stored early would be committed.
    static let windowMargin = Duration.milliseconds(2500)

    private struct WindowKill {
        let worker: String
        let downFor: Duration
        let by: Duration
        /// When the journal first showed an input of the worker whose outputs wait, the
        /// worker being ready.
        var since: ContinuousClock.Instant?
        var inputs = 0
    }

    init(plan: ChaosPlan, launcher: ProcessLauncher, cluster: EmbeddedCluster, workers: [WorkerProcess], window: OutputWindow?) {
        self.plan = plan
        self.launcher = launcher
        self.cluster = cluster
        self.window = window
        for worker in workers { self.workers[worker.name] = worker }
    }

    /// A record the day's journal read: during the outage, an input a worker due for a window
    /// kill can read while its outputs wait opens that worker's window.
    func observe(_ record: ObservedRecord) {
        guard outageStarted != nil, let window else { return }
        for index in windowKills.indices where window.holdsOutputs(of: windowKills[index].worker, topic: record.topic, partition: record.partition) {
            guard workers[windowKills[index].worker]?.isReady == true else { continue }
            if windowKills[index].since == nil { windowKills[index].since = .now }
            windowKills[index].inputs += 1
        }
    }

    /// Whether every action has been carried out.
    var isDone: Bool { next == plan.actions.count && windowKills.isEmpty && restarts.isEmpty }

    /// Carries out the actions due `elapsed` into the day, and notes recoveries.
    func turn(elapsed: Duration) {
        while next < plan.actions.count, plan.actions[next].at <= elapsed {
            // The broker stays down its full 10 s, however late the loop took it down.
            if case .brokerUp = plan.actions[next].kind, let started = outageStarted, ContinuousClock.now - started < ChaosPlan.outage { break }
            perform(plan.actions[next].kind, at: elapsed)
            next += 1
        }
        killInWindows(elapsed: elapsed)
        for restart in restarts where restart.due <= .now { perform(.restart(worker: restart.worker), at: elapsed) }
        restarts.removeAll { $0.due <= .now }
        // As an orchestrator does: a worker that ended on its own is started again.
        for worker in Array(workers.values) + Array(replicas.values) {
            guard let failure = worker.failure else { continue }
            crashes.append(failure)
            log.append(String(format: "%6.1f s  ", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
                       + "\(worker.label) exited on its own: restarted, as an orchestrator would")
            do { try worker.start() } catch { problems.append("\(worker.label) did not restart: \(error)") }
            if workers[worker.name] === worker, recovering[worker.name] == nil { recovering[worker.name] = .now }
        }
        for (name, since) in recovering where workers[name]?.isReady == true {
            recoveries.append(.now - since)
            recovering[name] = nil
        }
    }

    /// Stops the replicas still running (the plan removes them; this is for an early end).
    func stopReplicas() {
        for replica in replicas.values { replica.requestStop() }
        for replica in replicas.values { replica.waitUntilStopped() }
        replicas = [:]
    }

    /// The worst kill-to-ready time; nil before any recovery.
    var worstRecovery: Duration? { recoveries.max() }

    /// Kills not yet recovered at the end.
    var unrecovered: [String] { recovering.keys.sorted() }

    private func perform(_ kind: ChaosAction.Kind, at elapsed: Duration) {
        let when = String(format: "%6.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        switch kind {
        case .kill(let name, _):
            // A worker still down from an earlier kill is not killed twice.
            guard let worker = workers[name], worker.processID != nil else { return }
            worker.kill()
            kills[name, default: 0] += 1
            if recovering[name] == nil { recovering[name] = .now }
            log.append("\(when)  SIGKILL \(name) (pid gone)")
        case .killWhileOutputsWait(let name, let downFor, let by):
            windowKills.append(WindowKill(worker: name, downFor: downFor, by: by))
        case .restart(let name):
            guard let worker = workers[name], worker.processID == nil else { return }
            do {
                try worker.start()
                log.append("\(when)  restart \(name)")
            } catch {
                problems.append("\(name) did not restart: \(error)")
            }
        case .brokerDown(let broker):
            cluster.setBrokerDown(broker)
            outageStarted = .now
            log.append("\(when)  broker \(broker) down")
        case .brokerUp(let broker):
            cluster.setBrokerUp(broker)
            if let started = outageStarted { outage += .now - started }
            outageStarted = nil
            log.append("\(when)  broker \(broker) up")
        case .addReplica(let name):
            do {
                replicas[name] = try launcher.start(name, label: "\(name)#2")
                replicasAdded += 1
                log.append("\(when)  second replica of \(name) started")
            } catch {
                problems.append("no second replica of \(name): \(error)")
            }
        case .removeReplica(let name):
            guard let replica = replicas.removeValue(forKey: name) else { return }
            // SIGTERM: the replica drains, commits and leaves; its exit is checked at the end.
            replica.requestStop()
            removing.append(replica)
            replicasRemoved += 1
            log.append("\(when)  second replica of \(name) stopped (SIGTERM)")
        }
    }

    /// Kills the workers whose window opened (inputs read, outputs waiting, for longer than
    /// the commit interval), and those whose latest time came.
    private func killInWindows(elapsed: Duration) {
        let when = String(format: "%6.1f s", Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        var pending: [WindowKill] = []
        for kill in windowKills {
            let opened = kill.since.map { ContinuousClock.now - $0 >= Self.windowMargin } ?? false
            guard opened || elapsed >= kill.by else { pending.append(kill); continue }
            guard let worker = workers[kill.worker], worker.processID != nil else {
                windowsMissed.append("\(kill.worker) (down at its window)")
                continue
            }
            worker.kill()
            kills[kill.worker, default: 0] += 1
            if recovering[kill.worker] == nil { recovering[kill.worker] = .now }
            restarts.append((.now + kill.downFor, kill.worker))
            if kill.since != nil {
                windowsMet += 1
                log.append("\(when)  SIGKILL \(kill.worker) while its outputs wait (\(Reconciliation.count(kill.inputs, "input")) read whose outputs wait for the down broker)")
            } else {
                windowsMissed.append(kill.worker)
                log.append("\(when)  SIGKILL \(kill.worker) during the outage (no input seen whose outputs wait)")
            }
        }
        windowKills = pending
    }

    private var removing: [WorkerProcess] = []

    /// Waits for the removed replicas' exits; a replica that did not stop cleanly is a problem.
    func finishRemovals() {
        for replica in removing {
            replica.waitUntilStopped()
            // Reported with the crashes, not as a failed fault: the runtime ends a worker whose
            // state restore failed (as after an outage), and an orchestrator would restart it.
            if !replica.exitedCleanly { crashes.append("\(replica.label) did not exit 0 on SIGTERM (log: \(replica.logFile.path))") }
        }
        removing = []
    }
}
