import BusKafka
import Foundation

/// Where the demo's records go.
public enum DemoCluster: Sendable {
    /// An embedded cluster (librdkafka's mock) of this many brokers, in this process.
    case embedded(brokers: Int)
    /// An existing cluster, reached with this configuration (bootstrap servers and the
    /// `KAFKA_*` security settings the workers read too); its topics exist already.
    case external(KafkaConfig)
}

/// Who runs the six workers during the demo.
public enum DemoWorkerMode: String, Sendable, CaseIterable {
    /// The six built worker executables, found next to the running one, as child processes
    /// configured by their environment as in a container.
    case processes
    /// Each worker on a thread of this process, with its own clients and consumer group.
    case inline
    /// Workers already running against the cluster (compose, Kubernetes): the demo only plays
    /// the ERP and the site, and reconciles.
    case none
}

/// What `bus demo` is asked to do.
public struct DemoOptions: Sendable {
    /// Orders in the day.
    public var orders = 200
    /// The seed the day is drawn from: same seed, same day.
    public var seed: UInt64 = 20_250_612
    /// The topic catalogue.
    public var catalogue = URL(fileURLWithPath: "topics/topics.json")
    /// What every key and id of the run carries.
    public var run = RunTag.random()
    public var cluster = DemoCluster.embedded(brokers: 3)
    public var workers = DemoWorkerMode.inline
    /// Where the worker executables are (`processes`); nil: next to the running executable.
    public var executables: URL?
    /// Extra environment for worker processes (`BUS_FAULT_INJECTION`, ...).
    public var workerEnvironment: [String: String] = [:]
    /// The wall time the day's events are spread over; nil: 60 ms an order, 3 to 25 s.
    public var dayLength: Duration?

    public init() {}

    /// The day's orders are spread over this much wall time (the rest is the bus's reaction).
    var dayDuration: Duration { dayLength ?? .milliseconds(min(25_000, max(3_000, orders * 60))) }
    /// Beyond this the run stops and reports what did not settle. A stall detector, not a
    /// speed check: the opening alone has taken over 80 s inside the full test suite on two
    /// loaded cores (it takes about 2 s on a quiet machine).
    var timeout: Duration { .seconds(180) + dayDuration * 2 }
}

/// Where the demo writes its report and progress: the CLI's standard output.
public protocol DemoConsole {
    /// Writes one line.
    func line(_ text: String)
}
