// swift-tools-version:6.0
import PackageDescription

// The commerce integration bus: six workers over Kafka sharing one schema module.
// No package dependencies by design: Foundation, Dispatch and librdkafka only.
let package = Package(
    name: "commerce-bus",
    platforms: [.macOS(.v15)],
    products: [
        .library(name: "BusKafka", targets: ["BusKafka"]),
        .library(name: "BusSchema", targets: ["BusSchema"]),
        .executable(name: "bus", targets: ["bus"]),
    ],
    targets: [
        // librdkafka (Debian: librdkafka-dev), exposing rdkafka.h and rdkafka_mock.h.
        .systemLibrary(
            name: "CRdKafka",
            pkgConfig: "rdkafka",
            providers: [.apt(["librdkafka-dev"]), .brew(["librdkafka"])]
        ),
        // The only code that touches librdkafka.
        .target(name: "BusKafka", dependencies: ["CRdKafka"]),
        // The public contract: envelope, values, messages, validation, catalogue. Foundation only.
        .target(name: "BusSchema"),
        // The worker runtime: offsets, retries, metrics and health HTTP, logs, env config, signals.
        .target(name: "BusRuntime", dependencies: ["BusKafka", "BusSchema"]),
        // The operator CLI.
        .executableTarget(name: "bus", dependencies: ["BusKafka", "BusSchema", "BusRuntime"]),
        // Benchmarks print figures; they are executables, never timed tests.
        .executableTarget(name: "bus-bench", dependencies: ["BusKafka", "CHeapStats"]),
        // glibc's heap statistics for the memory check (Swift's Glibc module lacks malloc.h).
        .target(name: "CHeapStats"),

        .testTarget(name: "BusKafkaTests", dependencies: ["BusKafka"]),
        .testTarget(name: "BusSchemaTests", dependencies: ["BusSchema"]),
        .testTarget(name: "BusRuntimeTests", dependencies: ["BusRuntime", "BusKafka", "BusSchema"]),
    ]
)
