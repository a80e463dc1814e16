import Testing
@testable import BusSchema

@Suite struct MoneyTests {
    static func eur(_ amount: Int64) -> Money { Money(amount: amount, currency: .eur) }

    @Test(arguments: [
        // unit price, quantity, mode, expected (quantity × unit price, to the cent)
        (1999, "2.5", RoundingMode.halfUp, 4998), (1999, "2.5", .halfEven, 4998), (1999, "2.5", .down, 4997),
        (1999, "1.5", .halfUp, 2999), (1999, "1.5", .halfEven, 2998), (1999, "1.5", .down, 2998),
        (-1999, "1.5", .halfUp, -2999), (-1999, "1.5", .halfEven, -2998), (-1999, "1.5", .down, -2998),
        (1000, "0.333", .halfUp, 333), (1234, "0.001", .halfUp, 1), (1234, "0.001", .down, 1),
        (1658, "2", .down, 3316), (0, "12.345", .halfUp, 0),
    ] as [(Int64, String, RoundingMode, Int64)])
    func quantityTimesUnitPrice(_ price: Int64, _ quantity: String, _ mode: RoundingMode, _ expected: Int64) throws {
        let result = try Self.eur(price).multiplied(by: #require(Quantity(quantity)), rounding: mode)
        #expect(result == Self.eur(expected))
    }

    @Test(arguments: [
        // base excl. tax, VAT rate, mode, gross = base × (1 + rate)
        (1658, "20.0", RoundingMode.halfUp, 1990), (1658, "20.0", .down, 1989),
        (1250, "5.5", .halfUp, 1319), (1250, "5.5", .halfEven, 1319), (1250, "5.5", .down, 1318),
        (1000, "0", .halfUp, 1000), (999, "2.1", .halfEven, 1020), (1400, "20", .halfUp, 1680),
    ] as [(Int64, String, RoundingMode, Int64)])
    func baseGrossedByRate(_ base: Int64, _ rate: String, _ mode: RoundingMode, _ expected: Int64) throws {
        #expect(try Self.eur(base).grossed(at: #require(Rate(rate)), rounding: mode) == Self.eur(expected))
    }

    @Test(arguments: [
        // amount, rate, mode, amount × rate
        (4207, "20.0", RoundingMode.halfUp, 841), (2525, "10", .halfUp, 253), (2525, "10", .halfEven, 252),
        (2535, "10", .halfEven, 254), (2525, "10", .down, 252), (-2525, "10", .halfUp, -253),
    ] as [(Int64, String, RoundingMode, Int64)])
    func portionAtRate(_ amount: Int64, _ rate: String, _ mode: RoundingMode, _ expected: Int64) throws {
        #expect(try Self.eur(amount).portion(at: #require(Rate(rate)), rounding: mode) == Self.eur(expected))
    }

    @Test func nettedRemovesTheRate() throws {
        #expect(try Self.eur(1990).netted(at: #require(Rate("20.0")), rounding: .halfUp) == Self.eur(1658))
        #expect(throws: SchemaError.self) { try Self.eur(100).netted(at: #require(Rate("-100")), rounding: .halfUp) }
    }

    @Test(arguments: [
        ("1234.5", "JPY", RoundingMode.halfEven, 1234), ("1234.5", "JPY", .halfUp, 1235),
        ("1.2345", "KWD", .halfUp, 1235), ("1.2345", "KWD", .down, 1234), ("19.99", "EUR", .down, 1999),
        ("-0.005", "EUR", .halfUp, -1), ("-0.005", "EUR", .halfEven, 0),
    ] as [(String, String, RoundingMode, Int64)])
    func majorUnitsToMinorUnits(_ major: String, _ code: String, _ mode: RoundingMode, _ expected: Int64) throws {
        let currency = try #require(Currency(code: code))
        #expect(try Money(#require(ExactDecimal(major)), currency, rounding: mode) == Money(amount: expected, currency: currency))
    }

    @Test func mixedCurrenciesAreRefused() {
        let usd = Money(amount: 100, currency: .usd)
        #expect { try Self.eur(100).adding(usd) } throws: { ($0 as? SchemaError)?.code == .currencyMismatch }
        #expect { try Self.eur(100).subtracting(usd) } throws: { ($0 as? SchemaError)?.code == .currencyMismatch }
        #expect { try Money.sum([Self.eur(1), usd], in: .eur) } throws: { ($0 as? SchemaError)?.code == .currencyMismatch }
    }

    @Test func overflowIsAnErrorNotATrap() {
        #expect { try Self.eur(.max).adding(Self.eur(1)) } throws: { ($0 as? SchemaError)?.code == .overflow }
        #expect { try Self.eur(.min).negated() } throws: { ($0 as? SchemaError)?.code == .overflow }
        #expect { try Self.eur(.max).multiplied(by: Quantity(2), rounding: .halfUp) } throws: { ($0 as? SchemaError)?.code == .overflow }
    }

    @Test func sumsAndFormats() throws {
        #expect(try Money.sum([Self.eur(1990), Self.eur(10)], in: .eur) == Self.eur(2000))
        #expect(Self.eur(1999).description == "19.99 EUR")
        #expect(Money(amount: 5, currency: .jpy).description == "5 JPY")
        #expect(Self.eur(-5).majorUnits.description == "-0.05")
    }

    @Test(arguments: [("EUR", 2), ("JPY", 0), ("KWD", 3), ("CLF", 4), ("CHF", 2), ("XOF", 0)])
    func currencyExponents(_ code: String, _ exponent: Int) {
        #expect(Currency(code: code)?.minorUnitExponent == exponent)
    }

    @Test(arguments: ["eur", "EURO", "XXX", "XAU", "", "ABC"])
    func unknownCurrencies(_ code: String) {
        #expect(Currency(code: code) == nil)
    }
}

@Suite struct DecimalTests {
    @Test(arguments: ["2.500", "20.0", "0", "-0.75", "123456789012.123456", "0.000000000000000001", "999999999999999999", "10"])
    func canonicalTextRoundTrips(_ text: String) throws {
        #expect(try #require(ExactDecimal(text)).description == text)
        #expect(try #require(Quantity(text)).description == text)
    }

    @Test(arguments: ["-0", "-0.00", "+1", "01", "1.", ".5", "1e3", "", "-", "1.2.3", "1,5", " 1", "0.0000000000000000001", "99999999999999999999", "NaN"])
    func nonCanonicalTextIsRefused(_ text: String) {
        #expect(ExactDecimal(text) == nil)
    }

    @Test func equalityIsNumeric() throws {
        #expect(try #require(ExactDecimal("2.5")) == #require(ExactDecimal("2.500")))
        #expect(try #require(ExactDecimal("2.49")) < #require(ExactDecimal("2.5")))
        #expect(try #require(ExactDecimal("2.5")).hashValue == #require(ExactDecimal("2.50")).hashValue)
    }

    @Test(arguments: [
        ("2.345", 2, RoundingMode.halfUp, "2.35"), ("2.345", 2, .halfEven, "2.34"), ("2.355", 2, .halfEven, "2.36"),
        ("2.349", 2, .down, "2.34"), ("-2.345", 2, .halfUp, "-2.35"), ("-2.345", 2, .down, "-2.34"), ("2.5", 3, .down, "2.500"),
    ] as [(String, Int, RoundingMode, String)])
    func rounding(_ text: String, _ scale: Int, _ mode: RoundingMode, _ expected: String) throws {
        #expect(try #require(ExactDecimal(text)).rounded(toScale: scale, mode).description == expected)
    }

    @Test func exactArithmetic() throws {
        let a = try #require(ExactDecimal("2.500"))
        let b = try #require(ExactDecimal("0.15"))
        #expect(try a.multiplied(by: b).description == "0.37500")
        #expect(try a.adding(b).description == "2.650")
        #expect(try b.subtracting(a).description == "-2.350")
        #expect { try ExactDecimal(.max).adding(ExactDecimal(1)) } throws: { ($0 as? SchemaError)?.code == .overflow }
    }
}
