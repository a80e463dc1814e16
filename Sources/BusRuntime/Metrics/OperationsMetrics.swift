/// The process-level metrics of a worker executable, beside its flow's: build info, the
/// `process_*` set and readiness as a series (`/readyz` says the same to the orchestrator;
/// the series lets an alert say how long a worker has not been ready).
public enum OperationsMetrics {
    /// Registers them in `registry`; readiness is read from `status` at each scrape.
    public static func register(worker: String, status: WorkerStatus, in registry: MetricsRegistry) throws(RuntimeError) {
        try BuildInfo.register(worker: worker, in: registry)
        try ProcessMetrics.register(in: registry)
        let ready = try registry.gauge("bus_ready", help: "1 while the worker is ready (/readyz answers 200), else 0.")
        registry.collect {
            if case .ready = status.readiness { ready.set(1) } else { ready.set(0) }
        }
    }
}
