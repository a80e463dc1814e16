import Dispatch
import Testing
import BusRuntime

struct MetricsRegistryTests {
    @Test("counters, gauges and histograms render in exposition format 0.0.4, in a stable order")
    func exactText() throws {
        let registry = MetricsRegistry()
        // Registered out of order on purpose: families render sorted by name.
        let seconds = try registry.histogram(
            "bus_processing_seconds", help: "Time to handle one input.", labels: ["topic"], buckets: [0.1, 1, 0.5])
        let consumed = try registry.counter(
            "bus_records_consumed_total", help: "Records read, per topic.", labels: ["topic"])
        let lag = try registry.gauge("bus_consumer_lag", help: "Records behind the end.", labels: ["topic", "partition"])
        let rebalances = try registry.counter("bus_rebalances_total", help: "Partition assignments and revocations.")

        consumed.increment(labels: ["topic": "shop.orders"])
        consumed.increment(by: 2, labels: ["topic": "erp.stock"])
        consumed.increment(labels: ["topic": "shop.orders"])
        lag.set(12, labels: ["topic": "shop.orders", "partition": "1"])
        lag.set(0.5, labels: ["topic": "shop.orders", "partition": "0"])
        seconds.observe(0.05, labels: ["topic": "shop.orders"])
        seconds.observe(0.1, labels: ["topic": "shop.orders"])  // on a bound: counts in that bucket
        seconds.observe(.milliseconds(750), labels: ["topic": "shop.orders"])
        seconds.observe(3, labels: ["topic": "shop.orders"])

        #expect(registry.render() == """
            # HELP bus_consumer_lag Records behind the end.
            # TYPE bus_consumer_lag gauge
            bus_consumer_lag{topic="shop.orders",partition="0"} 0.5
            bus_consumer_lag{topic="shop.orders",partition="1"} 12
            # HELP bus_processing_seconds Time to handle one input.
            # TYPE bus_processing_seconds histogram
            bus_processing_seconds_bucket{topic="shop.orders",le="0.1"} 2
            bus_processing_seconds_bucket{topic="shop.orders",le="0.5"} 2
            bus_processing_seconds_bucket{topic="shop.orders",le="1"} 3
            bus_processing_seconds_bucket{topic="shop.orders",le="+Inf"} 4
            bus_processing_seconds_sum{topic="shop.orders"} 3.9
            bus_processing_seconds_count{topic="shop.orders"} 4
            # HELP bus_rebalances_total Partition assignments and revocations.
            # TYPE bus_rebalances_total counter
            bus_rebalances_total 0
            # HELP bus_records_consumed_total Records read, per topic.
            # TYPE bus_records_consumed_total counter
            bus_records_consumed_total{topic="erp.stock"} 2
            bus_records_consumed_total{topic="shop.orders"} 2

            """)
        _ = rebalances
    }

    @Test("label values and help text are escaped", arguments: [
        ("plain", "plain"),
        ("back\\slash", "back\\\\slash"),
        ("a \"quote\"", "a \\\"quote\\\""),
        ("two\nlines", "two\\nlines"),
        ("ünïcode ✓", "ünïcode ✓"),
    ])
    func escaping(raw: String, escaped: String) throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter("x_total", help: "Help with \\ and\n\"quotes\".", labels: ["reason"])
        counter.increment(labels: ["reason": raw])
        #expect(registry.render() == """
            # HELP x_total Help with \\\\ and\\n"quotes".
            # TYPE x_total counter
            x_total{reason="\(escaped)"} 1

            """)
    }

    @Test("numbers use the format's spellings", arguments: [
        (0.0, "0"), (-0.0, "0"), (3, "3"), (1_000_000, "1000000"), (0.25, "0.25"), (1e-05, "1e-05"),
        (1e20, "1e+20"), (.infinity, "+Inf"), (-.infinity, "-Inf"), (.nan, "NaN"), (-7, "-7"),
    ])
    func numbers(value: Double, text: String) throws {
        let registry = MetricsRegistry()
        try registry.gauge("g", help: "G.").set(value)
        #expect(registry.render() == "# HELP g G.\n# TYPE g gauge\ng \(text)\n")
    }

    @Test("recording never fails: undeclared labels are dropped, missing ones are empty, bad counts ignored")
    func lenientRecording() throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter("c_total", help: "C.", labels: ["topic", "reason"])
        counter.increment(labels: ["topic": "t", "email": "someone@example.com"])
        counter.increment(by: -5, labels: ["topic": "t"])
        counter.increment(by: .nan, labels: ["topic": "t"])
        let gauge = try registry.gauge("g", help: "G.", labels: ["partition"])
        gauge.set(4, labels: ["partition": "0"])
        gauge.decrement(labels: ["partition": "0"])
        gauge.set(9, labels: ["partition": "1"])
        gauge.remove(labels: ["partition": "1"])
        let histogram = try registry.histogram("h", help: "H.", buckets: [1])
        histogram.observe(.nan)
        #expect(registry.render() == """
            # HELP c_total C.
            # TYPE c_total counter
            c_total{topic="t",reason=""} 1
            # HELP g G.
            # TYPE g gauge
            g{partition="0"} 3
            # HELP h H.
            # TYPE h histogram
            h_bucket{le="1"} 0
            h_bucket{le="+Inf"} 0
            h_sum 0
            h_count 0

            """)
    }

    @Test("registering the same metric twice returns it; a clash is an error")
    func registration() throws {
        let registry = MetricsRegistry()
        let first = try registry.counter("dup_total", help: "D.", labels: ["topic"])
        let second = try registry.counter("dup_total", help: "D.", labels: ["topic"])
        #expect(first === second)
        #expect(throws: RuntimeError.self) { try registry.gauge("dup_total", help: "D.", labels: ["topic"]) }
        #expect(throws: RuntimeError.self) { try registry.counter("dup_total", help: "D.", labels: ["other"]) }
        _ = try registry.histogram("hist", help: "H.", buckets: [1, 2])
        #expect(throws: RuntimeError.self) { try registry.histogram("hist", help: "H.", buckets: [1, 3]) }
    }

    @Test("bad names, labels and buckets are refused with .invalidMetric", arguments: [
        ("9starts_with_digit", ["ok"], [1.0]),
        ("has-dash", ["ok"], [1]),
        ("", ["ok"], [1]),
        ("ok", ["bad-label"], [1]),
        ("ok", ["__reserved"], [1]),
        ("ok", ["le"], [1]),
        ("ok", ["twice", "twice"], [1]),
        ("ok", ["fine"], [.infinity]),
    ])
    func invalid(name: String, labels: [String], buckets: [Double]) {
        let registry = MetricsRegistry()
        let error = #expect(throws: RuntimeError.self) {
            try registry.histogram(name, help: "x", labels: labels, buckets: buckets)
        }
        #expect(error?.code == .invalidMetric)
        #expect(registry.render() == "")
    }

    @Test("concurrent recording loses nothing")
    func concurrency() throws {
        let registry = MetricsRegistry()
        let counter = try registry.counter("n_total", help: "N.", labels: ["worker"])
        let histogram = try registry.histogram("d", help: "D.", buckets: [1])
        DispatchQueue.concurrentPerform(iterations: 8) { index in
            for _ in 0..<1_000 {
                counter.increment(labels: ["worker": "\(index % 2)"])
                histogram.observe(0.5)
                if index == 0 { _ = registry.render().count }
            }
        }
        #expect(counter.value(labels: ["worker": "0"]) == 4_000)
        #expect(counter.value(labels: ["worker": "1"]) == 4_000)
        #expect(histogram.count() == 8_000)
    }
}
