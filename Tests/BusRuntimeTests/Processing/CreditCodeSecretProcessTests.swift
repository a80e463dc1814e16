import BusKafka
import BusSchema
import Foundation
import Testing

/// The payment-letterer executable with its credit code secret as operators give it: in a
/// variable or a mounted file. A bad setting stops it at start naming the variable; a missing
/// one is a warning; a given one keys the codes it issues, and no line of its output shows it.
@Suite("payment-letterer credit code secret", .serialized)
struct CreditCodeSecretProcessTests {
    typealias Worker = WorkerEnvironmentTests.WorkerProcess

    static let topics = [Topics.shopPayments, Topics.erpInvoices, Topics.erpSalesOrders, "bus.payment-letterer.rekey", "bus.payment-letterer.state",
                         "bus.dlq.payment-letterer", Topics.exceptions, Topics.control, Topics.erasures, Topics.erpReceipts, Topics.erpLettering,
                         Topics.shopStoreCredits, Topics.shopAccountInvoices]

    static func cluster() throws -> EmbeddedCluster {
        let cluster = try EmbeddedCluster()
        for topic in topics { try cluster.createTopic(topic, partitions: 3) }
        return cluster
    }

    static func secretFile(_ text: String) throws -> URL {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("credit-code-secret-\(UUID().uuidString)")
        try Data(text.utf8).write(to: file)
        return file
    }

    @Test("unusable settings: exit 2, the line names the variable and never the value", arguments: [
        (["BUS_CREDIT_CODE_SECRET_FILE": "/nonexistent/credit-code-secret"], "BUS_CREDIT_CODE_SECRET_FILE"),
        (["BUS_CREDIT_CODE_SECRET": "short-s3cret"], "BUS_CREDIT_CODE_SECRET"),
        (["BUS_CREDIT_CODE_SECRET": "long-enough-s3cret-but-twice", "BUS_CREDIT_CODE_SECRET_FILE": "/etc/hostname"], "BUS_CREDIT_CODE_SECRET_FILE"),
    ])
    func refused(_ environment: [String: String], _ variable: String) throws {
        let cluster = try Self.cluster()
        let worker = try Worker(environment, cluster: cluster, executable: "payment-letterer")
        defer { worker.stop() }
        #expect(worker.exitCode(within: .seconds(30)) == 2)
        #expect(worker.lines.contains { $0.contains("invalid_configuration") && $0.contains(variable) }, "\(worker.lines)")
        #expect(!worker.lines.contains { $0.contains("s3cret") }, "the value is in no line")
    }

    @Test("no secret: one warning, and the worker becomes ready")
    func missing() throws {
        let cluster = try Self.cluster()
        let worker = try Worker([:], cluster: cluster, executable: "payment-letterer")
        defer { worker.stop() }
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(60)) { WorkerProcessTests.status(port: worker.port, path: "/readyz") == 200 }, "ready: \(worker.lines.suffix(5))")
        worker.stop()
        #expect(worker.lines.filter { $0.contains("\"event\":\"credit_code_secret_missing\"") }.count == 1, "\(worker.lines.prefix(5))")
    }

    @Test("a secret in a file keys the store credit code issued for a credit note published by an outside client; no line shows it",
          .enabled(if: OutsideClient.isAvailable, "run scripts/setup.sh for .venv-test"))
    func keyed() throws {
        let cluster = try Self.cluster()
        let text = "s3cret-\(UUID().uuidString)"
        let secret = try #require(CreditCodeSecret(text))
        let file = try Self.secretFile(text + "\n")
        defer { try? FileManager.default.removeItem(at: file) }
        let worker = try Worker(["BUS_CREDIT_CODE_SECRET_FILE": file.path], cluster: cluster, executable: "payment-letterer")
        defer { worker.stop() }
        #expect(WorkerProcessTests.waitFor(timeout: .seconds(60)) { WorkerProcessTests.status(port: worker.port, path: "/readyz") == 200 }, "ready: \(worker.lines.suffix(5))")

        let order = OrderNumber("WEB-77")
        let start = Instant(Date(timeIntervalSince1970: 1_714_730_000))
        let tax = Money(amount: 841, currency: .eur)
        let invoice = ERPInvoice(invoiceNumber: "FA-77", orderNumber: order, accountCode: "C000077", currency: .eur,
                                 totalExclTax: Money(amount: 4209, currency: .eur), totalTax: tax, totalInclTax: Money(amount: 5050, currency: .eur),
                                 issuedAt: start, dueOn: start.utcDate)
        let note = ERPCreditNote(creditNoteNumber: "AV-77", invoiceNumber: "FA-77", orderNumber: order, accountCode: "C000077", currency: .eur,
                                 totalExclTax: Money(amount: 1250, currency: .eur), totalTax: Money(amount: 250, currency: .eur),
                                 totalInclTax: Money(amount: 1500, currency: .eur), reason: .return, refundMethod: .storeCredit, issuedAt: start)
        let codec = MessageCodec()
        func record<M: BusMessage>(_ message: M, id: String) -> [String: Any] {
            let envelope = Envelope(for: M.self, id: id, source: "erp/test", time: start)
            return ["topic": Topics.erpInvoices, "key": order.rawValue, "value_b64": codec.encode(message).base64EncodedString(),
                    "headers": Dictionary(envelope.headers.map { ($0.key, $0.value) }, uniquingKeysWith: { $1 })]
        }
        _ = try OutsideClient.produce(brokers: cluster.bootstrapServers, [record(invoice, id: "inv-77"), record(note, id: "av-77")])
        let lettering = try OutsideClient.read(brokers: cluster.bootstrapServers, topic: Topics.erpLettering, count: 1, timeout: 60)
        worker.stop()

        let value = try #require(lettering.first?["value"] as? String, "store credit on erp.lettering: \(worker.lines.suffix(5))")
        let credit = try codec.decode(StoreCreditIssued.self, from: Data(value.utf8))
        #expect(credit.code == CreditCode.derive(.storeCredit, from: ["AV-77"], secret: secret), "keyed by the file's secret (its newline trimmed)")
        #expect(credit.code != CreditCode.derive(.storeCredit, from: ["AV-77"]), "not the code the number alone gives")
        #expect(!worker.lines.contains { $0.contains("credit_code_secret_missing") })
        #expect(!worker.lines.isEmpty && !worker.lines.contains { $0.contains(text) }, "the secret is in no line")
    }
}
