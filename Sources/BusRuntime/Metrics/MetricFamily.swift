/// What the registry needs from every metric kind: identity for duplicate checks and rendering.
protocol MetricFamily: AnyObject, Sendable {
    /// The metric name.
    var name: String { get }
    /// The declared label names, in order.
    var labelNames: [String] { get }
    /// The `# TYPE` word and, for histograms, the buckets: two registrations are the same metric
    /// only if this matches too.
    var shape: String { get }
    /// Appends HELP, TYPE and every series, in a stable order.
    func render(into text: inout String)
}

extension MetricFamily {
    /// The values of the declared labels, in declared order. Undeclared keys are dropped and a
    /// missing label is empty, which Prometheus treats as absent: recording never fails.
    func values(of labels: [String: String]) -> [String] {
        labelNames.map { labels[$0] ?? "" }
    }
}
