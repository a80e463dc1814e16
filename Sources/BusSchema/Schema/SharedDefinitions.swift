/// The shapes every message shares: identifiers, codes, contact details, addresses.
/// Each is exported once per JSON Schema document under `$defs/<name>`.
extension SchemaDefinition {
    private static func identifier(_ name: String, _ summary: String, pattern: String, named: String,
                                   screensCardNumbers: Bool = true) -> SchemaDefinition {
        SchemaDefinition(name: name, summary: summary,
                         node: .string(StringRule(pattern: pattern, patternName: named, screensCardNumbers: screensCardNumbers)))
    }

    /// An ERP account code.
    public static let erpAccountCode = identifier(
        "erp_account_code", "A customer account's code in the ERP (e.g. C000123).",
        pattern: "^[A-Z0-9][A-Z0-9._-]{0,19}$", named: "an ERP account code: 1 to 20 upper-case letters, digits, '.', '_' or '-'")
    /// An ERP contact id.
    public static let erpContactID = identifier(
        "erp_contact_id", "A contact person's id within an ERP account (B2B).",
        pattern: "^[A-Z0-9][A-Z0-9._-]{0,19}$", named: "an ERP contact id: 1 to 20 upper-case letters, digits, '.', '_' or '-'")
    /// A site account id.
    public static let siteAccountID = identifier(
        "site_account_id", "A customer account's id on the site.",
        pattern: "^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$", named: "a site account id: 1 to 64 letters, digits, '_' or '-'")
    /// A SKU.
    public static let sku = identifier(
        "sku", "A stock-keeping unit: one sellable article or variant.",
        pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$", named: "a SKU: 1 to 40 letters, digits, '.', '_' or '-'")
    /// A site order number.
    public static let orderNumber = identifier(
        "order_number", "The site's order number (e.g. WEB-100234); the key of every order topic.",
        pattern: "^[A-Z0-9][A-Z0-9-]{2,31}$", named: "an order number: 3 to 32 upper-case letters, digits or '-'",
        // Marketplace order ids are long digit runs ("402-1234567-1234567") that pass the
        // Luhn check one time in ten; an order number is never where a card is typed.
        screensCardNumbers: false)
    /// An ERP invoice number.
    public static let invoiceNumber = identifier(
        "invoice_number", "An ERP invoice number.",
        pattern: "^[A-Z0-9][A-Z0-9/._-]{0,31}$", named: "an invoice number: 1 to 32 upper-case letters, digits, '/', '.', '_' or '-'")
    /// An ERP credit note number.
    public static let creditNoteNumber = identifier(
        "credit_note_number", "An ERP credit note number.",
        pattern: "^[A-Z0-9][A-Z0-9/._-]{0,31}$", named: "a credit note number: 1 to 32 upper-case letters, digits, '/', '.', '_' or '-'")
    /// A return number.
    public static let returnNumber = identifier(
        "return_number", "The site's return (RMA) number.",
        pattern: "^[A-Z0-9][A-Z0-9-]{2,31}$", named: "a return number: 3 to 32 upper-case letters, digits or '-'")
    /// A warehouse code.
    public static let warehouseCode = identifier(
        "warehouse_code", "A warehouse code in the ERP.",
        pattern: "^[A-Z0-9][A-Z0-9_-]{0,15}$", named: "a warehouse code: 1 to 16 upper-case letters, digits, '_' or '-'")
    /// A price list code.
    public static let priceListCode = identifier(
        "price_list_code", "A price list code in the ERP, also the site's customer price group.",
        pattern: "^[A-Z0-9][A-Z0-9_-]{0,19}$", named: "a price list code: 1 to 20 upper-case letters, digits, '_' or '-'")
    /// An id made by a producer.
    public static let eventID = identifier(
        "event_id", "An id chosen by the producer, unique for what it names (a UUID is fine).",
        pattern: "^[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}$", named: "an id: 1 to 128 letters, digits, '_', '.', ':' or '-'")
    /// A code from a list kept outside the bus.
    public static let code = identifier(
        "code", "A code from a list kept outside the bus (family, category, carrier, template, reason).",
        pattern: "^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$", named: "a code: 1 to 64 letters, digits, '_', '.' or '-'")
    /// A unit of measure.
    public static let unitCode = identifier(
        "unit_code", "A unit of measure, UN/ECE Recommendation 20 code (C62 piece, KGM kilogram, MTR metre, LTR litre).",
        pattern: "^[A-Z0-9]{2,3}$", named: "a UN/ECE unit code such as C62 or KGM")
    /// An e-mail address.
    public static let email = SchemaDefinition(
        name: "email", summary: "An e-mail address.",
        node: .string(StringRule(maximumLength: 254, pattern: "^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", patternName: "an e-mail address")))
    /// A phone number.
    public static let phone = identifier(
        "phone", "A phone number in E.164 form (+33612345678).",
        pattern: "^\\+[1-9][0-9]{6,14}$", named: "an E.164 phone number such as +33612345678",
        // E.164 numbers of 13 to 15 digits pass the Luhn check one time in ten.
        screensCardNumbers: false)
    /// An https URL.
    public static let url = SchemaDefinition(
        name: "url", summary: "An https URL.",
        node: .string(StringRule(maximumLength: 2000, pattern: "^https://[^\\s]+$", patternName: "an https URL")))
    /// A VAT number.
    public static let vatNumber = identifier(
        "vat_number", "An intra-community VAT number with its country prefix (FR12345678901).",
        pattern: "^[A-Z]{2}[0-9A-Z+*.-]{2,20}$", named: "a VAT number with its country prefix such as FR12345678901")
    /// A country.
    public static let countryCode = SchemaDefinition(
        name: "country_code", summary: "An ISO 3166-1 alpha-2 country code.",
        node: .string(StringRule(format: .countryCode)))
    /// A currency.
    public static let currencyCode = SchemaDefinition(
        name: "currency_code", summary: "An ISO 4217 currency code.",
        node: .string(StringRule(format: .currencyCode)))
    /// A language.
    public static let languageCode = SchemaDefinition(
        name: "language_code", summary: "An ISO 639-1 language code, optionally with an ISO 3166 region (fr, fr-BE).",
        node: .string(StringRule(format: .languageCode)))
    /// A GTIN.
    public static let gtin = SchemaDefinition(
        name: "gtin", summary: "A GTIN (EAN/UPC) of 8, 12, 13 or 14 digits with a valid check digit.",
        node: .string(StringRule(format: .gtin, screensCardNumbers: false)))
    /// A postal address.
    public static let postalAddress = SchemaDefinition(
        name: "postal_address", summary: "A postal address as printed on a label.",
        node: PostalAddress.shape)
    /// Text per language.
    public static let localizedText = SchemaDefinition(
        name: "localized_text", summary: "Text per language: an object keyed by language tag, at least one entry.",
        node: .map(keys: StringRule(format: .languageCode), values: .text(maximumLength: 10_000), minimumCount: 1))
}
