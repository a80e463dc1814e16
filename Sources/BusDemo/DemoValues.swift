import BusSchema
import Foundation

/// Why the demo could not run (not a reconciliation finding: those are in the report).
struct DemoError: Error, CustomStringConvertible {
    let description: String

    init(_ description: String) {
        self.description = description
    }
}

/// Unwraps a value the demo builds from its own constants; nil means the demo itself is wrong.
func required<T>(_ value: T?, _ what: @autoclosure () -> String) throws -> T {
    guard let value else { throw DemoError("the demo built an invalid \(what())") }
    return value
}

/// The values every part of the simulation shares: currency, rates, countries, the day's clock.
enum DemoValues {
    static let currency = Currency.eur
    static let warehouses = [WarehouseCode("LYON-01"), WarehouseCode("PARIS-02")]

    /// The three French VAT rates the catalogue uses.
    static func standardRate() throws -> Rate { try rate("20.0") }
    static func intermediateRate() throws -> Rate { try rate("10.0") }
    static func reducedRate() throws -> Rate { try rate("5.5") }

    static func rate(_ text: String) throws -> Rate { try required(Rate(text), "VAT rate \(text)") }
    static func country(_ code: String) throws -> CountryCode { try required(CountryCode(code), "country \(code)") }
    static func language(_ tag: String) throws -> LanguageCode { try required(LanguageCode(tag), "language \(tag)") }

    /// Minor units in euros.
    static func euros(_ cents: Int64) -> Money { Money(amount: cents, currency: currency) }

    /// A whole quantity.
    static func quantity(_ units: Int) -> Quantity { Quantity(Int64(units)) }
}

/// The simulated business day: every time a message carries is on this day (or the next,
/// for deliveries), whatever the wall clock says, so that a seed always gives the same
/// messages.
struct DayClock {
    /// The day simulated.
    let day: LocalDate
    private let midnight: Int64

    /// Thursday 12 June 2025, a working day.
    init() throws {
        day = try required(LocalDate(year: 2025, month: 6, day: 12), "day")
        midnight = day.daysSinceEpoch * 86_400
    }

    /// The instant `seconds` after midnight of the day (UTC).
    func at(seconds: Int) throws -> Instant {
        try required(Instant(secondsSinceEpoch: midnight + Int64(seconds)), "instant")
    }

    /// The instant at `hour`:`minute` of the day (UTC).
    func at(hour: Int, minute: Int = 0) throws -> Instant {
        try at(seconds: hour * 3600 + minute * 60)
    }

    /// Seconds since midnight of the day.
    func seconds(of instant: Instant) -> Int {
        Int(instant.secondsSinceEpoch - midnight)
    }

    /// `instant` moved by `seconds`.
    func adding(_ seconds: Int, to instant: Instant) throws -> Instant {
        try required(Instant(secondsSinceEpoch: instant.secondsSinceEpoch + Int64(seconds)), "instant")
    }

    /// The day `days` after the simulated one.
    func date(plus days: Int) throws -> LocalDate {
        try required(day.adding(days: days), "date")
    }
}
