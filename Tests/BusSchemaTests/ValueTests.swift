import Foundation
import Testing
@testable import BusSchema

@Suite struct ValueTests {
    @Test(arguments: ["2024-05-03T10:15:30Z", "2024-05-03T10:15:30.5Z", "2024-05-03T10:15:30.123456789Z", "1970-01-01T00:00:00Z",
                      "2024-02-29T23:59:59Z", "1969-12-31T23:59:59.999Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z"])
    func instantsRoundTrip(_ text: String) throws {
        #expect(try #require(Instant(text)).description == text)
    }

    @Test(arguments: ["2024-05-03T10:15:30+02:00", "2024-05-03 10:15:30Z", "2024-05-03T10:15:30z", "2023-02-29T00:00:00Z", "2024-05-03T24:00:00Z",
                      "2024-05-03T10:15:60Z", "2024-05-03T10:15:30.Z", "2024-05-03T10:15:30.1234567890Z", "2024-05-03", ""])
    func badInstantsAreRefused(_ text: String) {
        #expect(Instant(text) == nil)
    }

    @Test func instantsCompareByMoment() throws {
        #expect(try #require(Instant("2024-05-03T10:15:30Z")) == #require(Instant("2024-05-03T10:15:30.000Z")))
        #expect(try #require(Instant("2024-05-03T10:15:30Z")) < #require(Instant("2024-05-03T10:15:30.001Z")))
        #expect(try #require(Instant("1970-01-01T00:00:01Z")).secondsSinceEpoch == 1)
        #expect(Instant(Date(timeIntervalSince1970: 1.5)).description == "1970-01-01T00:00:01.500Z")
        #expect(Instant(Date(timeIntervalSince1970: .nan)).description == "1970-01-01T00:00:00.000Z")
    }

    @Test(arguments: [("2024-02-29", true), ("2023-02-29", false), ("2024-04-31", false), ("2024-13-01", false), ("2024-5-3", false), ("2024-12-31", true)])
    func localDates(_ text: String, _ valid: Bool) {
        #expect((LocalDate(text) != nil) == valid)
        if valid { #expect(LocalDate(text)?.description == text) }
    }

    @Test func dateArithmetic() throws {
        #expect(try #require(LocalDate("2024-02-28")).adding(days: 2)?.description == "2024-03-01")
        #expect(try #require(Instant("2024-05-03T23:59:59Z")).utcDate.description == "2024-05-03")
    }

    @Test(arguments: [("FR", true), ("GB", true), ("UK", false), ("fr", false), ("FX", false), ("XK", false)])
    func countryCodes(_ code: String, _ valid: Bool) {
        #expect((CountryCode(code) != nil) == valid)
    }

    @Test(arguments: [("fr", true), ("fr-BE", true), ("en-GB", true), ("FR", false), ("fr-be", false), ("xx", false), ("fr-XX", false), ("fr_BE", false)])
    func languageCodes(_ tag: String, _ valid: Bool) {
        #expect((LanguageCode(tag) != nil) == valid)
    }

    @Test(arguments: [("3760123450010", true), ("3760123450011", false), ("96385074", true), ("036000291452", true), ("12345", false)])
    func gtins(_ text: String, _ valid: Bool) {
        #expect(StringFormat.isGTIN(text) == valid)
    }
}

@Suite struct ValidatorTests {
    static let schema: SchemaNode = .object(
        .required("name", .text(maximumLength: 5), "A name."),
        .optional("note", .nullable(.text()), "A note, or null."),
        .required("tags", .list(.oneOf(["a", "b"]), maximumCount: 2), "Tags."),
        .required("labels", .ref(.localizedText), "Labels.")
    )

    static func problems(_ json: String, strict: Bool = false) throws -> [String] {
        SchemaValidator(strict: strict).problems(in: try JSONParser().parse(Data(json.utf8)), against: schema).map(\.description)
    }

    @Test func everyProblemAtOnceInDocumentOrder() throws {
        let found = try Self.problems(#"{"name": "toolong", "tags": ["a", "c", "b"], "labels": {"fr-BE": "", "zz": "x"}}"#)
        #expect(found == [
            "$.name: too long: at most 5 characters",
            "$.tags: too many entries: at most 2",
            "$.tags[1]: not an allowed value: expected one of a, b",
            "$.labels['fr-BE']: empty",
            "$.labels.zz: invalid format: expected a language tag such as fr or fr-BE",
        ])
    }

    @Test func nullableAcceptsNullAndStrictReportsUnknownFields() throws {
        #expect(try Self.problems(#"{"name": "a", "note": null, "tags": [], "labels": {"fr": "x"}}"#) == [])
        #expect(try Self.problems(#"{"name": "a", "tags": [], "labels": {"fr": "x"}, "extra": 1}"#) == [])
        #expect(try Self.problems(#"{"name": "a", "tags": [], "labels": {"fr": "x"}, "extra": 1}"#, strict: true) == ["$.extra: unknown field"])
    }

    /// Paths through every kind of descent (array element, declared member, money's currency,
    /// map value, undeclared member and its elements): a descent that did not come back would
    /// put its siblings' problems under the wrong path.
    @Test func pathsThroughEveryDescent() throws {
        let schema: SchemaNode = .object(
            .required("lines", .list(.object(
                .required("price", .money(.nonNegative), "A price."),
                .required("qty", .integer(minimum: 1), "A quantity.")
            )), "Lines."),
            .required("labels", .ref(.localizedText), "Labels."),
            .required("after", .text(), "A field after the others.")
        )
        let json = #"""
        {"lines": [{"price": {"amount": 1, "currency": "EUR"}, "qty": 1},
                   {"price": {"amount": -1, "currency": "eur", "x": {"n": [1, "4111 1111 1111 1111"]}}, "qty": 0, "extra": [1, {"card_number": "1"}]}],
         "labels": {"fr": "", "de": "x"}, "after": ""}
        """#
        let found = SchemaValidator(strict: true).problems(in: try JSONParser().parse(Data(json.utf8)), against: schema).map(\.description)
        #expect(found == [
            "$.lines[1].price.amount: negative amount",
            "$.lines[1].price.currency: unknown currency: expected an ISO 4217 code such as EUR",
            "$.lines[1].price.x.n[1]: forbidden content: looks like a payment card number",
            "$.lines[1].qty: too small: must be at least 1",
            "$.lines[1].extra[1].card_number: forbidden content: card data fields are not allowed on the bus",
            "$.labels.fr: empty",
            "$.after: empty",
        ])
    }

    @Test func problemsNeverQuoteValues() throws {
        let secret = "camille.martin@example.com"
        let found = try Self.problems(#"{"name": "\#(secret)", "tags": ["\#(secret)"], "labels": {"fr": "4111 1111 1111 1111"}}"#)
        #expect(found.count == 3)
        #expect(found.allSatisfy { !$0.contains(secret) && !$0.contains("4111") })
    }

    @Test(arguments: [("a", "$.a"), ("a b", "$['a b']"), ("fr-BE", "$['fr-BE']"), ("_x1", "$._x1"), ("1x", "$['1x']"), ("it's", "$['it\\'s']")])
    func jsonPaths(_ key: String, _ expected: String) {
        #expect(JSONPath.root.key(key).description == expected)
    }

    @Test func schemaErrorCarriesFieldAndReason() throws {
        let error = try #require(InvalidCorpusTests.failure("shop.payment", 1, Data(#"{"order_number": "WEB-1"}"#.utf8)))
        #expect(error.code == .invalid)
        #expect(error.field == "$.payment_id")
        #expect(error.reason.hasPrefix("invalid: $.payment_id: missing (and "))
    }
}
