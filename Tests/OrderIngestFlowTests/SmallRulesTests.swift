import BusSchema
import Foundation
import OrderIngestFlow
import Testing

/// Voucher split, payment import rules and the release schedule.
@Suite("order-ingest: vouchers, payments, release times")
struct SmallRulesTests {
    struct SplitCase: Sendable, CustomTestStringConvertible {
        let amount: Int64
        let weights: [String: Int64]
        let parts: [String: Int64]
        var testDescription: String { "\(amount) over \(weights.sorted { $0.key > $1.key }) → \(parts.sorted { $0.key > $1.key })" }
    }

    @Test("a voucher splits over VAT rates in proportion to their lines, adding up to the cent", arguments: [
        SplitCase(amount: 1000, weights: ["20": 4893, "10": 2047], parts: ["20": 705, "10": 295]),
        SplitCase(amount: 1500, weights: ["20": 7470, "10": 3045, "5.5": 2385], parts: ["20": 869, "10": 354, "5.5": 277]),
        SplitCase(amount: 100, weights: ["20": 100, "10": 100, "5.5": 100], parts: ["20": 34, "10": 33, "5.5": 33]),
        SplitCase(amount: 500, weights: ["20": 5060], parts: ["20": 500]),
        SplitCase(amount: 1, weights: ["20": 1, "5.5": 999], parts: ["5.5": 1]),
        SplitCase(amount: 300, weights: ["20": 0, "10": 0], parts: ["20": 300]),
    ])
    func voucherSplit(_ row: SplitCase) {
        let weights = Dictionary(uniqueKeysWithValues: row.weights.map { (Shop.rate($0.key), Shop.money($0.value)) })
        let parts = VoucherSplit.split(Shop.money(row.amount), over: weights)
        #expect(Dictionary(uniqueKeysWithValues: parts.map { ($0.rate.description, $0.amount.amount) }) == row.parts)
        #expect(parts.reduce(0) { $0 + $1.amount.amount } == row.amount)
        #expect(parts.map(\.rate) == parts.map(\.rate).sorted(by: >), "rates in descending order")
    }

    struct PaymentCase: Sendable, CustomTestStringConvertible {
        let rule: PaymentImportRule
        let status: PaymentStatus?
        let captured: Int64?
        let goes: Bool
        var testDescription: String { "\(rule.rawValue), \(status?.rawValue ?? "no status"), captured \(captured.map(String.init) ?? "nothing") → \(goes ? "goes" : "waits")" }
    }

    @Test("import rules per payment method: always, when paid, when authorised, never", arguments: [
        PaymentCase(rule: .always, status: .pending, captured: nil, goes: true),
        PaymentCase(rule: .whenAuthorised, status: .authorised, captured: nil, goes: true),
        PaymentCase(rule: .whenAuthorised, status: .paid, captured: nil, goes: true),
        PaymentCase(rule: .whenAuthorised, status: .pending, captured: nil, goes: false),
        PaymentCase(rule: .whenAuthorised, status: nil, captured: 5000, goes: true),
        PaymentCase(rule: .whenPaid, status: .authorised, captured: nil, goes: false),
        PaymentCase(rule: .whenPaid, status: .pending, captured: 4999, goes: false),
        PaymentCase(rule: .whenPaid, status: .pending, captured: 5000, goes: true),
        PaymentCase(rule: .whenPaid, status: .paid, captured: nil, goes: true),
        PaymentCase(rule: .never, status: .paid, captured: 5000, goes: false),
    ])
    func paymentRule(_ row: PaymentCase) {
        #expect(row.rule.isSatisfied(status: row.status, amount: Shop.money(5000), captured: row.captured.map(Shop.money)) == row.goes)
    }

    struct ScheduleCase: Sendable, CustomTestStringConvertible {
        let times: [String]
        let every: Int
        let now: String
        let next: String
        var testDescription: String { "\(times) every \(every) min, at \(now) → \(next)" }
    }

    @Test("batched release at configured times or intervals (here in UTC): the first release at or after now", arguments: [
        ScheduleCase(times: ["12:00", "18:00"], every: 0, now: "2030-03-04T10:15:00Z", next: "2030-03-04T12:00:00Z"),
        ScheduleCase(times: ["12:00", "18:00"], every: 0, now: "2030-03-04T12:00:00Z", next: "2030-03-04T12:00:00Z"),
        ScheduleCase(times: ["12:00", "18:00"], every: 0, now: "2030-03-04T12:00:01Z", next: "2030-03-04T18:00:00Z"),
        ScheduleCase(times: ["18:00", "12:00"], every: 0, now: "2030-03-04T19:30:00Z", next: "2030-03-05T12:00:00Z"),
        ScheduleCase(times: ["06:30"], every: 0, now: "2030-12-31T23:59:59Z", next: "2031-01-01T06:30:00Z"),
        ScheduleCase(times: [], every: 240, now: "2030-03-04T09:10:00Z", next: "2030-03-04T12:00:00Z"),
        ScheduleCase(times: ["13:15"], every: 240, now: "2030-03-04T12:00:30Z", next: "2030-03-04T13:15:00Z"),
    ])
    func schedule(_ row: ScheduleCase) throws {
        let schedule = ReleaseSchedule(times: row.times, everyMinutes: row.every)
        #expect(schedule.nextRelease(atOrAfter: try #require(Instant(row.now))) == Instant(row.next))
    }

    struct LocalScheduleCase: Sendable, CustomTestStringConvertible {
        let times: [String]
        let now: String
        let next: String
        var testDescription: String { "\(times) Paris time, at \(now) → \(next)" }
    }

    @Test("batched release times are the merchant's local times (Europe/Paris by default), across daylight saving changes", arguments: [
        // Winter (UTC+1): 06:00 Paris is 05:00 UTC.
        LocalScheduleCase(times: ["06:00"], now: "2030-01-15T04:00:00Z", next: "2030-01-15T05:00:00Z"),
        // Summer (UTC+2): 06:00 Paris is 04:00 UTC.
        LocalScheduleCase(times: ["06:00"], now: "2030-07-15T03:00:00Z", next: "2030-07-15T04:00:00Z"),
        // Spring forward, Sunday 31 March 2030: 06:00 is already summer time.
        LocalScheduleCase(times: ["06:00"], now: "2030-03-30T23:30:00Z", next: "2030-03-31T04:00:00Z"),
        // The night before, 06:00 was still winter time.
        LocalScheduleCase(times: ["06:00"], now: "2030-03-29T23:30:00Z", next: "2030-03-30T05:00:00Z"),
        // 02:30 does not exist on 31 March 2030: the release moves forward by the hour skipped (03:30 CEST, 01:30 UTC).
        LocalScheduleCase(times: ["02:30"], now: "2030-03-30T23:30:00Z", next: "2030-03-31T01:30:00Z"),
        // 02:30 happens twice on 27 October 2030: the release is the first (CEST, 00:30 UTC).
        LocalScheduleCase(times: ["02:30"], now: "2030-10-26T23:00:00Z", next: "2030-10-27T00:30:00Z"),
        // Fall back, Sunday 27 October 2030: 06:00 is winter time again.
        LocalScheduleCase(times: ["06:00"], now: "2030-10-27T00:00:00Z", next: "2030-10-27T05:00:00Z"),
        // 00:30 Paris on 1 July is 22:30 UTC on 30 June: a UTC clock would release a day late.
        LocalScheduleCase(times: ["00:30", "12:00"], now: "2030-06-30T21:00:00Z", next: "2030-06-30T22:30:00Z"),
    ])
    func localSchedule(_ row: LocalScheduleCase) throws {
        var rules = OrderIngestRules.defaults
        rules.releaseMode = .batched
        rules.releaseTimes = row.times
        let schedule = try #require(rules.schedule)
        #expect(schedule.nextRelease(atOrAfter: try #require(Instant(row.now))) == Instant(row.next))
    }

    @Test("validity dates are the merchant's local dates: 00:30 on 1 July in Paris is 1 July, 23:30 on 31 October is 31 October", arguments: [
        ("2030-06-30T22:30:00Z", "2030-07-01"), ("2030-06-30T21:59:59Z", "2030-06-30"),
        ("2030-10-31T22:30:00Z", "2030-10-31"), ("2030-10-31T23:00:00Z", "2030-11-01"), ("2030-01-01T00:00:00Z", "2030-01-01"),
    ])
    func localDate(_ instant: String, _ day: String) throws {
        #expect(OrderIngestRules.defaults.localDate(at: try #require(Instant(instant))) == LocalDate(day))
    }

    @Test("release times are HH:MM", arguments: [("00:00", 0), ("23:59", 1439), ("12:30", 750), ("24:00", nil), ("9:30", nil), ("12:3", nil), ("noon", nil)] as [(String, Int?)])
    func minuteOfDay(_ text: String, _ minute: Int?) {
        #expect(ReleaseSchedule.minuteOfDay(text) == minute)
    }
}
