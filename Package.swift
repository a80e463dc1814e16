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
        // The six flows: business rules only, no Kafka (Sources/Flows/<Flow>), and their workers.
        .target(name: "CustomerSyncFlow", dependencies: ["BusSchema"], path: "Sources/Flows/CustomerSync"),
        .executableTarget(name: "customer-sync", dependencies: ["CustomerSyncFlow", "BusRuntime"]),
        .target(name: "ArticlePublisherFlow", dependencies: ["BusSchema"], path: "Sources/Flows/ArticlePublisher"),
        .executableTarget(name: "article-publisher", dependencies: ["ArticlePublisherFlow", "BusRuntime"]),
        .target(name: "StockBroadcasterFlow", dependencies: ["BusSchema"], path: "Sources/Flows/StockBroadcaster"),
        .executableTarget(name: "stock-broadcaster", dependencies: ["StockBroadcasterFlow", "BusRuntime"]),
        .target(name: "OrderIngestFlow", dependencies: ["BusSchema"], path: "Sources/Flows/OrderIngest"),
        .executableTarget(name: "order-ingest", dependencies: ["OrderIngestFlow", "BusRuntime"]),
        .target(name: "PaymentLettererFlow", dependencies: ["BusSchema"], path: "Sources/Flows/PaymentLetterer"),
        .executableTarget(name: "payment-letterer", dependencies: ["PaymentLettererFlow", "BusRuntime"]),
        .target(name: "StatusNotifierFlow", dependencies: ["BusSchema"], path: "Sources/Flows/StatusNotifier"),
        .executableTarget(name: "status-notifier", dependencies: ["StatusNotifierFlow", "BusRuntime"]),
        // The demo and the chaos run: the simulated ERP and site, the six workers (threads or
        // child processes), the reconciliation. Only `bus` links it: no worker executable does.
        .target(name: "BusDemo", dependencies: ["BusKafka", "BusSchema", "BusRuntime", "CustomerSyncFlow", "ArticlePublisherFlow",
                                                "StockBroadcasterFlow", "OrderIngestFlow", "PaymentLettererFlow", "StatusNotifierFlow"]),
        // The operator CLI.
        .executableTarget(name: "bus", dependencies: ["BusKafka", "BusSchema", "BusRuntime", "BusDemo", "CustomerSyncFlow", "ArticlePublisherFlow",
                                                     "StockBroadcasterFlow", "OrderIngestFlow", "PaymentLettererFlow", "StatusNotifierFlow"]),
        // Benchmarks print figures; they are executables, never timed tests.
        .executableTarget(name: "bus-bench", dependencies: ["BusKafka", "BusSchema", "BusRuntime", "BusTestKit", "StockBroadcasterFlow", "OrderIngestFlow",
                                                      "PaymentLettererFlow", "StatusNotifierFlow", "CHeapStats"]),
        // glibc's heap statistics for the memory check (Swift's Glibc module lacks malloc.h).
        .target(name: "CHeapStats"),

        // Test support shared by the test targets: a flow harness on the embedded cluster and
        // the kill-and-restart check. Not a product: it ships nowhere.
        .target(name: "BusTestKit", dependencies: ["BusKafka", "BusSchema", "BusRuntime"]),

        .testTarget(name: "BusKafkaTests", dependencies: ["BusKafka"]),
        .testTarget(name: "BusSchemaTests", dependencies: ["BusSchema"], exclude: ["Invalid"]),
        .testTarget(name: "BusRuntimeTests", dependencies: ["BusRuntime", "BusKafka", "BusSchema", "BusTestKit"]),
        .testTarget(name: "CustomerSyncFlowTests", dependencies: ["CustomerSyncFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "ArticlePublisherFlowTests", dependencies: ["ArticlePublisherFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "StockBroadcasterFlowTests", dependencies: ["StockBroadcasterFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "OrderIngestFlowTests", dependencies: ["OrderIngestFlow", "PaymentLettererFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "PaymentLettererFlowTests", dependencies: ["PaymentLettererFlow", "StatusNotifierFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "BusCLITests", dependencies: [
            "BusKafka", "BusSchema", "BusRuntime", "BusTestKit", "BusDemo",
            "CustomerSyncFlow", "ArticlePublisherFlow", "StockBroadcasterFlow", "OrderIngestFlow", "PaymentLettererFlow", "StatusNotifierFlow",
        ]),
        .testTarget(name: "ErasureEndToEndTests", dependencies: ["CustomerSyncFlow", "OrderIngestFlow", "PaymentLettererFlow", "StatusNotifierFlow",
                                                        "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        .testTarget(name: "StatusNotifierFlowTests", dependencies: ["StatusNotifierFlow", "BusSchema", "BusRuntime", "BusKafka", "BusTestKit"]),
        // Outside clients (the CloudEvents Python SDK, confluent-kafka, AsyncAPI and JSON Schema
        // validators) against every worker and the contract files.
        .testTarget(name: "InteropTests", dependencies: [
            "BusSchema", "BusRuntime", "BusKafka", "BusTestKit", "CustomerSyncFlow", "ArticlePublisherFlow",
            "StockBroadcasterFlow", "OrderIngestFlow", "PaymentLettererFlow", "StatusNotifierFlow",
        ], exclude: ["Python", "Specs"]),
        // The hostile-input corpus and the personal-data scan (scripts/hostile, scripts/pii_scan.py)
        // against the built executables as processes: no Swift dependency, the executables are the subject.
        .testTarget(name: "HostileInputTests"),
    ]
)
