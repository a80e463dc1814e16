import Foundation

/// Tuning of a worker's processing loop. The defaults suit production; tests shorten them.
public struct ProcessingOptions: Sendable {
    /// How long a "latest wins" output is held for later values of the same key.
    public var coalescingLinger: Duration = .milliseconds(100)
    /// Held outputs beyond which everything held is sent at once.
    public var coalescingMaxKeys = 10_000
    /// How long a revoke or shutdown waits for in-flight inputs before giving them up
    /// (they are then consumed again by the partition's next owner).
    public var drainTimeout: Duration = .seconds(10)
    /// Delays between retries of a failed delivery.
    public var retryBackoff: Backoff = .transientFailures
    /// How often stored offsets are committed in the background (besides revoke and shutdown).
    public var commitInterval: Duration = .seconds(1)
    /// How often the lag and state gauges are refreshed.
    public var gaugeInterval: Duration = .seconds(1)

    /// Inputs read and not yet done beyond which the worker stops reading (pauses its
    /// partitions) until half of them are done: undeliverable outputs hold the reading, not
    /// memory.
    public var maxInputsInFlight = 10_000
    /// The same cap on the inputs' bytes (keys and values).
    public var maxBytesInFlight = 64 << 20

    /// A partition with no input for this long has its timers driven by the wall clock
    /// (nil: by input time only, as in a replay or a simulation).
    public var idleTimerTick: Duration? = .seconds(30)

    /// How often a restore under way logs `state_restore_progress`.
    public var restoreProgressInterval: Duration = .seconds(5)

    /// Fault injection only, for proving the kill-and-restart and chaos checks; never set in
    /// production. When set, an input's offset is stored as soon as the flow has handled it,
    /// before its outputs and state changes are acknowledged: a crash then commits inputs
    /// whose outputs were never written, and the checks must report them lost.
    /// Set from `BUS_FAULT_INJECTION=store-offsets-before-ack` (see `WorkerConfig`).
    public var storesOffsetsBeforeAcknowledgement = false

    /// Threads that decode inputs (`BUS_WORKER_THREADS`): above 1, the loop reads a batch of
    /// records ahead and decodes it on this many threads, then handles the records one by one
    /// in the order read, so order and delivery are as with one thread (a partition paused
    /// holds its records read ahead until it is resumed; see `ReadAhead`). Default: the cores
    /// available, at most `defaultWorkerThreadsCap`.
    public var workerThreads = Self.defaultWorkerThreads

    /// The most threads the default asks for: the flow, the encoding and the producer stay on
    /// the loop's thread, so decoding on more threads than this gains nothing measurable.
    public static let defaultWorkerThreadsCap = 8

    /// The default of `workerThreads`: the cores available, 1…`defaultWorkerThreadsCap`.
    public static var defaultWorkerThreads: Int { min(availableCores, defaultWorkerThreadsCap) }

    /// Records read ahead per decode thread and batch: enough to keep the threads busy for a
    /// few hundred microseconds, few enough that a batch adds no latency worth measuring.
    public var readAheadPerThread = 32

    /// The cores this process may use (affinity and cgroup limits as Foundation reads them).
    public static var availableCores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The defaults.
    public init() {}
}
