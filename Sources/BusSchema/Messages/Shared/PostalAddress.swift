/// A postal address as printed on a label or an invoice.
public struct PostalAddress: Codable, Sendable, Hashable {
    /// The person to deliver to or to bill, as printed.
    public var recipientName: String?
    /// The company, as printed.
    public var companyName: String?
    /// Street lines, 1 to 3, in print order.
    public var lines: [String]
    /// The postal code; absent where the country has none.
    public var postalCode: String?
    /// The city or locality.
    public var city: String
    /// State, province or county where the country uses one.
    public var region: String?
    /// The country.
    public var country: CountryCode
    /// A phone number for the carrier, E.164.
    public var phone: String?

    /// A value with every field given; optional fields default to absent.
    public init(
        recipientName: String? = nil,
        companyName: String? = nil,
        lines: [String],
        postalCode: String? = nil,
        city: String,
        region: String? = nil,
        country: CountryCode,
        phone: String? = nil
    ) {
        self.recipientName = recipientName
        self.companyName = companyName
        self.lines = lines
        self.postalCode = postalCode
        self.city = city
        self.region = region
        self.country = country
        self.phone = phone
    }

    private enum CodingKeys: String, CodingKey {
        case recipientName = "recipient_name"
        case companyName = "company_name"
        case lines
        case postalCode = "postal_code"
        case city
        case region
        case country
        case phone
    }

    /// The JSON shape.
    public static let schema: SchemaNode = .ref(.postalAddress)

    /// The shape, once, for the shared definition `postal_address`.
    static let shape: SchemaNode = .object(
        .optional("recipient_name", .text(maximumLength: 100), "The person to deliver to or to bill, as printed."),
        .optional("company_name", .text(maximumLength: 100), "The company, as printed."),
        .required("lines", .list(.text(maximumLength: 100), minimumCount: 1, maximumCount: 3), "Street lines, 1 to 3, in print order."),
        .optional("postal_code", .string(StringRule(maximumLength: 12, pattern: "^[A-Za-z0-9][A-Za-z0-9 -]{1,11}$", patternName: "a postal code")), "The postal code; absent where the country has none."),
        .required("city", .text(maximumLength: 100), "The city or locality."),
        .optional("region", .text(maximumLength: 100), "State, province or county where the country uses one."),
        .required("country", .ref(.countryCode), "The country."),
        .optional("phone", .ref(.phone), "A phone number for the carrier, E.164.")
    )
}
