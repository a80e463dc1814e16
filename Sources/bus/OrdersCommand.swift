import BusKafka
import BusSchema
import Foundation

/// `bus orders list|show|release|cancel`: the orders order-ingest holds, and operators'
/// decisions on them, over `bus.control` (answers on `bus.control-replies`).
struct OrdersCommand: BusCommand {
    let name = "orders"
    let summary = "list and show held orders; release one to the ERP as it is, or cancel it (over bus.control)"
    let usage = """
    usage:
      bus orders list [--reason CODE] [--json]       held orders (of one hold reason), with their reasons and figures
      bus orders show ORDER [--json]                 one order: its stage, reasons and figures, operators' decisions
      bus orders release ORDER --reason TEXT [--by NAME] [--json]
                                                     send a held order to the ERP as it is (overriding its reasons)
      bus orders cancel ORDER --reason TEXT [--by NAME] [--json]
                                                     cancel a held order; the site is told (shop.order-tracking)
      --reason      list: a hold reason (\(AcceptanceReasonCode.allCases.map(\.rawValue).joined(separator: ", ")));
                    release, cancel: why, for the audit trail kept on the order
      --by NAME     who decides (default $USER, else "operator")
      --wait S      how long to wait for order-ingest's answers (default 15)
    \(ClusterConnection.usage)
    Queries are answered by every running order-ingest instance for the partitions it holds; release and
    cancel by the instance holding the order, once what they did is written; until then the same
    command is sent again every 5 s. Both are idempotent: run again after a timeout.
    """

    func run(_ arguments: [String], output: Output) throws(UsageError) -> ExitCode {
        guard let subcommand = arguments.first else { throw UsageError(message: "missing subcommand (list, show, release or cancel)") }
        guard ["list", "show", "release", "cancel"].contains(subcommand) else {
            throw UsageError(message: "unknown subcommand '\(subcommand)' (list, show, release or cancel)")
        }
        let parsed = try ParsedArguments(Array(arguments.dropFirst()), known: ClusterConnection.flags.union(["reason", "by", "wait"]), switches: ["json"])
        let json = parsed.switches.contains("json")
        let wait = try Self.wait(parsed)
        let by = parsed.options["by"] ?? ProcessInfo.processInfo.environment["USER"].flatMap { $0.isEmpty ? nil : $0 } ?? "operator"
        let id = "orders-\(UUID().uuidString.lowercased())"
        let exchange = ControlExchange(connection: ClusterConnection(parsed))
        switch subcommand {
        case "list":
            _ = try parsed.positionals([], required: 0)
            var reason: AcceptanceReasonCode?
            if let text = parsed.options["reason"] {
                guard let code = AcceptanceReasonCode(rawValue: text) else {
                    throw UsageError(message: "--reason must be a hold reason: \(AcceptanceReasonCode.allCases.map(\.rawValue).joined(separator: ", "))")
                }
                reason = code
            }
            return try attempt(output) {
                let answer = try query(OrderQuery(holdReason: reason, requestedBy: by), id: id, exchange: exchange, wait: wait, stopWhenFound: false)
                return printList(answer, json: json, output: output)
            }
        case "show":
            let number = try Self.orderNumber(parsed)
            if parsed.options["reason"] != nil { throw UsageError(message: "show takes no --reason") }
            return try attempt(output) {
                let answer = try query(OrderQuery(orderNumber: number, requestedBy: by), id: id, exchange: exchange, wait: wait, stopWhenFound: true)
                guard let order = answer.orders.first else { throw CommandFailure("order-ingest holds no order \(number)") }
                return printOrder(order, json: json, output: output)
            }
        default:
            let number = try Self.orderNumber(parsed)
            guard let reason = parsed.options["reason"], !reason.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw UsageError(message: "\(subcommand) needs --reason TEXT (why, for the audit trail kept on the order)")
            }
            let action: OrderCommandAction = subcommand == "release" ? .release : .cancel
            let command = OrderCommand(commandID: EventID(id), orderNumber: number, action: action, requestedBy: by, reason: reason, requestedAt: Instant(Date()))
            return try attempt(output) {
                var outcome: OrderCommandOutcome?
                _ = try exchange.ask(.orderIngest, command, id: id, wait: wait, resendEvery: .seconds(5)) { answer in
                    outcome = answer as? OrderCommandOutcome
                    return outcome != nil
                }
                guard let outcome else {
                    throw CommandFailure("no answer from order-ingest within \(wait): is it running and done restoring? \(subcommand) is idempotent: run it again")
                }
                if json {
                    output.line(String(decoding: MessageCodec().encodePretty(outcome), as: UTF8.self))
                } else {
                    output.line("\(outcome.orderNumber): \(outcome.action.rawValue) \(outcome.outcome.rawValue): \(outcome.message)")
                }
                switch outcome.outcome {
                case .done, .alreadyDone: return .success
                case .refused, .unknownOrder: return .failure
                }
            }
        }
    }

    /// Asks `query` and merges the answers until they cover every partition (or, with
    /// `stopWhenFound`, one holds an order).
    private func query(_ query: OrderQuery, id: String, exchange: ControlExchange, wait: Duration, stopWhenFound: Bool) throws -> OrderQueryAnswer {
        var merged = OrderQueryAnswer(status: .answered, orders: [], partitions: [], partitionCount: 0, answeredAt: Instant(Date()))
        var covered = Set<Int>()
        let complete = try exchange.ask(.orderIngest, query, id: id, wait: wait) { message in
            // Version 1 (an older order-ingest) reads as the current answer.
            guard let answer = message as? OrderQueryAnswer ?? (message as? OrderQueryAnswerV1)?.answer, answer.status == .answered else { return false }
            let fresh = answer.partitions.filter { !covered.contains($0) }
            covered.formUnion(fresh)
            // An order is in one partition: an answer for partitions already covered adds nothing.
            if !fresh.isEmpty { merged.orders += answer.orders }
            merged.partitionCount = answer.partitionCount
            merged.answeredAt = answer.answeredAt
            return (stopWhenFound && !merged.orders.isEmpty) || (answer.partitionCount > 0 && covered.count >= answer.partitionCount)
        }
        merged.partitions = covered.sorted()
        merged.orders.sort { $0.orderNumber < $1.orderNumber }
        if !complete {
            guard !covered.isEmpty else {
                throw CommandFailure("no answer from order-ingest within \(wait): is it running and done restoring?")
            }
            if !(stopWhenFound && !merged.orders.isEmpty) {
                throw CommandFailure("answers cover partitions \(merged.partitions.map(String.init).joined(separator: ",")) of \(merged.partitionCount) only (an instance is missing or restoring): run it again")
            }
        }
        return merged
    }

    private func printList(_ answer: OrderQueryAnswer, json: Bool, output: Output) -> ExitCode {
        if json {
            output.line(String(decoding: MessageCodec().encodePretty(answer), as: UTF8.self))
            return .success
        }
        guard !answer.orders.isEmpty else {
            output.line("no held orders")
            return .success
        }
        var table = Table("ORDER", "TOTAL", "REASON", "LINE", "FIGURES", "MESSAGE")
        for order in answer.orders {
            for reason in order.reasons {
                table.add(order.orderNumber.rawValue, order.total?.description ?? "", reason.code.rawValue, reason.lineNumber.map(String.init) ?? "",
                          Self.figures(reason), Format.oneLine(reason.message))
            }
        }
        table.print(to: output)
        output.line(Format.count(answer.orders.count, "held order"))
        return .success
    }

    private func printOrder(_ order: OrderView, json: Bool, output: Output) -> ExitCode {
        if json {
            let answer = OrderQueryAnswer(status: .answered, orders: [order], partitions: [], partitionCount: 0, answeredAt: Instant(Date()))
            output.line(String(decoding: MessageCodec().encodePretty(answer), as: UTF8.self))
            return .success
        }
        output.line("order \(order.orderNumber): \(order.stage)\(order.total.map { ", total \($0)" } ?? "")")
        if !order.reasons.isEmpty {
            var table = Table("REASON", "LINE", "FIGURES", "MESSAGE")
            for reason in order.reasons {
                table.add(reason.code.rawValue, reason.lineNumber.map(String.init) ?? "", Self.figures(reason), Format.oneLine(reason.message))
            }
            table.print(to: output, indent: 2)
        }
        for decision in order.decisions {
            let overrides = decision.overrides.isEmpty ? "" : " (overriding \(decision.overrides.map(\.rawValue).joined(separator: ", ")))"
            output.line("  \(decision.at) \(decision.action.rawValue) by \(decision.by)\(overrides): \(Format.oneLine(decision.reason))")
        }
        return .success
    }

    /// The figures of a reason, as name=value pairs (ids and line numbers left to their columns).
    static func figures(_ reason: HoldReason) -> String {
        reason.details.filter { $0.key != "line_number" }.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    }

    private static func orderNumber(_ parsed: ParsedArguments) throws(UsageError) -> OrderNumber {
        // Its shape is checked with the request's, as order-ingest checks it.
        OrderNumber(try parsed.positionals(["ORDER"], required: 1)[0])
    }

    private static func wait(_ parsed: ParsedArguments) throws(UsageError) -> Duration {
        guard let text = parsed.options["wait"] else { return .seconds(15) }
        guard let seconds = Int(text), seconds > 0, seconds <= 600 else { throw UsageError(message: "--wait must be a whole number of seconds from 1 to 600") }
        return .seconds(seconds)
    }
}
