// Kafka layer benchmarks on the embedded cluster. They print figures; nothing here is a
// pass/fail test except `leak-check`, which a test runs in its own process (see
// Tests/BusKafkaTests/LeakTests.swift) so that other tests' memory does not blur the samples.
//
//   bus-bench [kafka] [--records N] [--size BYTES]   produce, consume and passthrough rates
//   bus-bench runtime [--records N]                 a worker running a stateless relay flow vs the passthrough
//   bus-bench stock [--records N] [--skus N]        the stock-broadcaster worker vs the passthrough
//   bus-bench profile [--records N]                 each per-input step alone (envelope, decode + validate and its
//                                                    parts, the JSONDecoder path it replaced, a hand-written decoder,
//                                                    encode, derived id), in µs per input
//   bus-bench examples [--rounds N] [--only TYPE,...]  decode + validate and encode of each message type's example
//                                                    (topics/examples/), in µs per message
//   bus-bench queries [--queries N] [--burst N]     availability query → answer (p50/p99, queries/s) vs the
//                                                    Kafka layer's own produce → consume round trip
//   bus-bench restore [--value-size BYTES] [--partitions N]        restoring one full changelog partition: records/s,
//                                                    the time for 1,000,000 entries, alive and in its group
//   bus-bench soak [--orders N] [--days D] [--retention-days R] [--no-retention]
//                                                    orders' lives through the three order flows on simulated
//                                                    time: state keys and RSS per simulated day
//   bus-bench leak-check [--records N] [--rounds R] [--simulate-leak BYTES]
//                                                    RSS after each round, one line each
import Foundation
import StockBroadcasterFlow

let arguments = Array(CommandLine.arguments.dropFirst())
let mode = arguments.first { !$0.hasPrefix("--") } ?? "kafka"

func option(_ name: String, default value: Int) -> Int {
    guard let index = arguments.firstIndex(of: name), index + 1 < arguments.count,
          let parsed = Int(arguments[index + 1]), parsed >= 0 else { return value }
    return parsed
}

do {
    switch mode {
    case "kafka":
        try KafkaBenchmark(records: option("--records", default: 100_000), size: option("--size", default: 200)).run()
    case "runtime":
        let count = option("--records", default: 50_000)
        try RuntimeBenchmark(
            flow: RelayFlow(), records: StockMovements.records(count: count, skus: 1000),
            label: "Worker runtime, stateless relay of stock levels",
            finished: { RuntimeBenchmark<RelayFlow>.sum($0, "bus_records_produced_total{topic=\"bench.out\"}") >= Double(count) }
        ).run()
    case "stock":
        // Every input done: read, published (coalesced) and its state in the changelog.
        let count = option("--records", default: 50_000)
        try RuntimeBenchmark(
            flow: StockBroadcaster(), records: StockMovements.records(count: count, skus: option("--skus", default: 1000)),
            label: "stock-broadcaster, stock levels over 2 warehouses",
            finished: { metrics in
                RuntimeBenchmark<StockBroadcaster>.sum(metrics, "bus_records_consumed_total{") >= Double(count)
                    && RuntimeBenchmark<StockBroadcaster>.sum(metrics, "bus_inputs_in_flight") == 0
            }
        ).run()
    case "queries":
        try QueryBenchmark(count: option("--queries", default: 2_000), burst: option("--burst", default: 50_000)).run()
    case "profile":
        try CodecProfile(records: StockMovements.records(count: option("--records", default: 50_000), skus: 1000)).run()
    case "examples":
        let only = arguments.firstIndex(of: "--only").flatMap { $0 + 1 < arguments.count ? arguments[$0 + 1] : nil }
        try ExampleCodecProfile(
            rounds: option("--rounds", default: 2_000),
            only: Set((only ?? "").split(separator: ",").map(String.init))
        ).run()
    case "restore":
        try RestoreBenchmark(valueSize: option("--value-size", default: 1000), partitions: max(option("--partitions", default: 1), 1)).run()
    case "soak":
        try SoakBenchmark(
            orders: option("--orders", default: 200_000), days: option("--days", default: 21),
            retentionDays: arguments.contains("--no-retention") ? 0 : option("--retention-days", default: 3)
        ).run()
    case "leak-check":
        try LeakCheck(
            records: option("--records", default: 100_000), rounds: option("--rounds", default: 5),
            simulatedLeak: option("--simulate-leak", default: 0)
        ).run()
    default:
        FileHandle.standardError.write(Data("usage: bus-bench [kafka|runtime|stock|queries|restore|profile|examples|soak|leak-check] [--records N] [--size BYTES] [--rounds R]\n".utf8))
        exit(2)
    }
} catch {
    FileHandle.standardError.write(Data("bus-bench: \(error)\n".utf8))
    exit(1)
}
